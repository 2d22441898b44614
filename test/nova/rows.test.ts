// One test per failure row and per ordered pair of B.4 (statuses written from the reference), on the
// real machine alone, and the same statuses from the ideal machine (which decides them on its own).
import { describe, expect, test } from 'vitest';
import { boot, DEFAULT_CONFIG, sels } from '../../real/nova/state';
import { step } from '../../real/nova/machine';
import { faithful } from '../../real/nova/faithful';
import { encodeCall, Args } from '../../real/nova/abi';
import { init as idealInit, step as idealStep, RULES } from '../../ideal/nova/machine';
import type { Action, Config, Obs, State } from '../../real/nova/types';

const ALL = new Set<string>(RULES);
const NAMES = ['SUCCESS', 'TIMEOUT', 'ABORTED', 'OVRFLOW', 'BAD_HYP', 'BAD_CAP', 'BAD_PAR', 'BAD_FTR', 'BAD_CPU', 'BAD_DEV', 'MEM_OBJ', 'MEM_CAP'];
const ROOT = 5;

/** A world driven through both machines; `call` returns the status both agree on. */
class World {
  r: State; i: State; readonly S;
  constructor(readonly c: Config = DEFAULT_CONFIG) { this.r = boot(c); this.i = idealInit(this.r, c, faithful, ALL); this.S = sels(c); }
  act(a: Action): Obs {
    const x = step(this.r, a, faithful), y = idealStep(this.i, a, faithful, ALL);
    this.r = x.state; this.i = y.state;
    const strip = (o: Obs) => (o.kind === 'hcall' ? { ...o, note: undefined } : o.kind === 'skip' ? { kind: 'skip' } : o);
    expect(strip(y.obs)).toEqual(strip(x.obs));
    return x.obs;
  }
  call(name: string, args: Args, ec = ROOT, cpu?: number): string {
    const o = this.act({ kind: 'hypercall', cpu: cpu ?? (ec === ROOT ? 0 : this.cpuOf(ec)), ec, regs: encodeCall(name, args) });
    return o.kind === 'hcall' ? (o.status === null ? 'pending' : NAMES[o.status]) : o.kind;
  }
  cpuOf(ec: number): number { const o = this.r.objs; void o; return this.ecCpu.get(ec) ?? 0; }
  ecCpu = new Map<number, number>();
  /** A child PD 0x40 with spaces 0x41/0x42, handler EC 0x43 (id 17) + PT 0x44 on STARTUP, global EC
   *  0x45 (id 19) running with SC 0x46 after its STARTUP message was answered; it holds its PD (all
   *  perms) at selector 1, its object space at 2. */
  child(cpuHandler = 0, cpuThread = 0): void {
    const S = this.S;
    expect([
      this.call('create_pd', { sel: 0x40, pd: S.R_PD, op: 0 }), this.call('create_pd', { sel: 0x41, pd: 0x40, op: 1 }), this.call('create_pd', { sel: 0x42, pd: 0x40, op: 2 }),
      this.call('create_ec', { sel: 0x43, pd: 0x40, hva: 0x7f000, cpu: cpuHandler, evt: 0x100 }), this.call('create_pt', { sel: 0x44, pd: 0x40, ec: 0x43, ip: 0x1000 }),
      this.call('create_ec', { sel: 0x45, pd: 0x40, hva: 0x7e000, cpu: cpuThread, evt: 0x100, T: true }),
      this.call('ctrl_pd', { src: S.R_OBJ, dst: 0x41, ssb: 0x44, dsb: 0x140, ord: 0, pmm: 0x1f }),
      this.call('ctrl_pd', { src: S.R_OBJ, dst: 0x41, ssb: 0x40, dsb: 1, ord: 0, pmm: 0x1f }),
      this.call('ctrl_pd', { src: S.R_OBJ, dst: 0x41, ssb: 0x41, dsb: 2, ord: 0, pmm: 0x1f }),
      this.call('create_sc', { sel: 0x46, pd: 0x40, ec: 0x45, budget: 10, prio: 1 }),
    ]).toEqual(Array(10).fill('SUCCESS'));
    this.ecCpu.set(17, cpuHandler); this.ecCpu.set(19, cpuThread);
  }
}

describe('B.4 failure rows, in order', () => {
  test('create_pd: BAD_CAP (pd) before BAD_PAR (op > 6); ABORTED for a second object/host space; BAD_FTR for PIO/MSR on Arm', () => {
    const w = new World(), S = w.S;
    expect(w.call('create_pd', { sel: 0x40, pd: 0x999, op: 9 })).toBe('BAD_CAP');
    expect(w.call('create_pd', { sel: 0x40, pd: S.R_PD, op: 9 })).toBe('BAD_PAR');
    expect(w.call('create_pd', { sel: 0x40, pd: S.R_PD, op: 1 })).toBe('ABORTED');
    expect(w.call('create_pd', { sel: 0x40, pd: S.R_PD, op: 2 })).toBe('ABORTED');
    expect(w.call('create_pd', { sel: 0x40, pd: S.R_PD, op: 5 })).toBe('BAD_FTR');
    expect(w.call('create_pd', { sel: 0x40, pd: S.R_PD, op: 6 })).toBe('BAD_FTR');
    expect(w.call('create_pd', { sel: 0x40, pd: S.R_PD, op: 3 })).toBe('SUCCESS');
    expect(w.call('create_pd', { sel: 0x40, pd: S.R_PD, op: 3 })).toBe('BAD_CAP');    // insert: slot not null
  });
  test('create_pd op 4 (DMA) without an SMMU → BAD_FTR', () => {
    const w = new World({ ...DEFAULT_CONFIG, smmus: 0 });
    expect(w.call('create_pd', { sel: 0x40, pd: w.S.R_PD, op: 4 })).toBe('BAD_FTR');
  });
  test('create_ec: BAD_PAR (hva) before BAD_CPU before BAD_CAP before ABORTED (spaces)', () => {
    const w = new World(), S = w.S;
    expect(w.call('create_ec', { sel: 0x40, pd: 0x999, hva: 1n << 40n, cpu: 9 })).toBe('BAD_PAR');
    expect(w.call('create_ec', { sel: 0x40, pd: 0x999, hva: 0x10000, cpu: 9 })).toBe('BAD_CPU');
    expect(w.call('create_ec', { sel: 0x40, pd: 0x999, hva: 0x10000, cpu: 1 })).toBe('BAD_CAP');
    expect(w.call('create_pd', { sel: 0x41, pd: S.R_PD, op: 0 })).toBe('SUCCESS');
    expect(w.call('create_ec', { sel: 0x40, pd: 0x41, hva: 0x10000, cpu: 1 })).toBe('ABORTED');
    expect(w.call('create_ec', { sel: 0x40, pd: S.R_PD, hva: 0x10000, cpu: 1 })).toBe('SUCCESS');
  });
  test('create_sc: BAD_PAR (prio/budget/cos) before BAD_CAP; a local EC → BAD_CAP', () => {
    const w = new World(), S = w.S;
    expect(w.call('create_sc', { sel: 0x40, pd: 0x999, ec: 0x999, budget: 0, prio: 1 })).toBe('BAD_PAR');
    expect(w.call('create_sc', { sel: 0x40, pd: 0x999, ec: 0x999, budget: 1, prio: 0 })).toBe('BAD_PAR');
    expect(w.call('create_sc', { sel: 0x40, pd: 0x999, ec: 0x999, budget: 1, prio: 1, cos: 1 })).toBe('BAD_PAR');
    expect(w.call('create_sc', { sel: 0x40, pd: S.R_PD, ec: 0x999, budget: 1, prio: 1 })).toBe('BAD_CAP');
    expect(w.call('create_ec', { sel: 0x41, pd: S.R_PD, hva: 0x10000, cpu: 0 })).toBe('SUCCESS');
    expect(w.call('create_sc', { sel: 0x40, pd: S.R_PD, ec: 0x41, budget: 1, prio: 1 })).toBe('BAD_CAP');
  });
  test('create_pt: BAD_CAP without PD/PT or EC/BIND_PT; a global EC → BAD_CAP', () => {
    const w = new World(), S = w.S;
    expect(w.call('create_pt', { sel: 0x40, pd: S.R_PD, ec: S.R_EC })).toBe('BAD_CAP');   // the root EC is global
    expect(w.call('ctrl_pd', { src: S.R_OBJ, dst: S.R_OBJ, ssb: S.R_PD, dsb: 0x50, ord: 0, pmm: 0x17 })).toBe('SUCCESS');
    expect(w.call('create_ec', { sel: 0x41, pd: S.R_PD, hva: 0x10000, cpu: 0 })).toBe('SUCCESS');
    expect(w.call('create_pt', { sel: 0x40, pd: 0x50, ec: 0x41 })).toBe('BAD_CAP');       // PD capability without PT
    expect(w.call('create_pt', { sel: 0x40, pd: S.R_PD, ec: 0x41 })).toBe('SUCCESS');
  });
  test('ctrl_pd: BAD_PAR (alignment) before any capability check; BAD_CAP (TAKE/GRANT, kinds); BAD_PAR (range, NOVA mad)', () => {
    const w = new World(), S = w.S;
    expect(w.call('ctrl_pd', { src: 0x999, dst: 0x999, ssb: 1, dsb: 0, ord: 1, pmm: 0x1f })).toBe('BAD_PAR');
    expect(w.call('ctrl_pd', { src: 0x999, dst: S.R_OBJ, ssb: 0, dsb: 0, ord: 1, pmm: 0x1f })).toBe('BAD_CAP');
    expect(w.call('ctrl_pd', { src: S.R_PD, dst: S.R_OBJ, ssb: 0, dsb: 0, ord: 0, pmm: 0x1f })).toBe('BAD_CAP');  // a PD is not a space
    expect(w.call('ctrl_pd', { src: S.R_OBJ, dst: S.R_OBJ, ssb: 2 ** 18, dsb: 0, ord: 0, pmm: 0x1f })).toBe('BAD_PAR');
    expect(w.call('ctrl_pd', { src: S.R_NOVA, dst: S.R_OBJ, ssb: S.NOVA_HST, dsb: 0x3f, ord: 0, pmm: 0x1f })).toBe('SUCCESS');
    expect(w.call('ctrl_pd', { src: 0x3f, dst: S.R_OBJ, ssb: 5, dsb: 0x10, ord: 0, pmm: 3, mad: 4 })).toBe('BAD_PAR'); // NOVA host, invalid mad
    expect(w.call('ctrl_pd', { src: 0x3f, dst: S.R_OBJ, ssb: 5, dsb: 0x10, ord: 0, pmm: 3 })).toBe('BAD_CAP');          // host → object space
    expect(w.call('ctrl_pd', { src: S.R_NOVA, dst: S.R_OBJ, ssb: S.ROOT_HST, dsb: 0x3e, ord: 0, pmm: 0x1f })).toBe('SUCCESS');
    expect(w.call('ctrl_pd', { src: 0x3f, dst: 0x3e, ssb: 5, dsb: 0x10, ord: 0, pmm: 3 })).toBe('SUCCESS');
    expect(w.act({ kind: 'store', cpu: 0, ec: ROOT, addr: 0x10008n, value: 7n })).toMatchObject({ fault: false });
    expect(w.call('ctrl_pd', { src: 0x3f, dst: 0x3e, ssb: 1, dsb: 0x11, ord: 0, pmm: 3 })).toBe('SUCCESS');   // kernel page: nothing
    expect(w.act({ kind: 'load', cpu: 0, ec: ROOT, addr: 0x11000n })).toMatchObject({ fault: true });
  });
  test('ctrl_ec / ctrl_sc / ctrl_pt: BAD_CAP without CTRL or with the wrong object type; ctrl_sc returns the time', () => {
    const w = new World(), S = w.S;
    expect(w.call('ctrl_sc', { sc: S.R_EC })).toBe('BAD_CAP');
    expect(w.call('ctrl_ec', { ec: S.R_SC })).toBe('BAD_CAP');
    expect(w.call('ctrl_pt', { pt: S.R_SC })).toBe('BAD_CAP');
    expect(w.call('ctrl_sc', { sc: S.R_SC })).toBe('SUCCESS');
  });
  test('ctrl_sm: BAD_CAP (UP/DOWN), OVRFLOW, down without count blocks, up releases the waiter', () => {
    const w = new World(), S = w.S;
    expect(w.call('create_sm', { sel: 0x40, pd: S.R_PD, cnt: (1n << 64n) - 1n })).toBe('SUCCESS');
    expect(w.call('ctrl_sm', { sm: 0x40 })).toBe('OVRFLOW');
    expect(w.call('ctrl_sm', { sm: 0x40, D: 1, Z: 1 })).toBe('SUCCESS');                 // counter := 0
    expect(w.call('ctrl_pd', { src: S.R_OBJ, dst: S.R_OBJ, ssb: 0x40, dsb: 0x41, ord: 0, pmm: 1 })).toBe('SUCCESS');
    expect(w.call('ctrl_sm', { sm: 0x41, D: 1 })).toBe('BAD_CAP');                        // UP only
    expect(w.call('ctrl_sm', { sm: 0x40, D: 1 })).toBe('pending');                        // blocks
  });
  test('interrupt SMs: assign_int BAD_CPU before BAD_CAP, only ASSIGN SMs; down on another CPU → BAD_CPU', () => {
    const w = new World(), S = w.S;
    expect(w.call('ctrl_pd', { src: S.R_NOVA, dst: S.R_OBJ, ssb: S.NOVA_INT, dsb: 0x30, ord: 0, pmm: 0x1f })).toBe('SUCCESS');
    expect(w.call('create_sm', { sel: 0x31, pd: S.R_PD, cnt: 0 })).toBe('SUCCESS');
    expect(w.call('assign_int', { sm: 0x31, cpu: 5 })).toBe('BAD_CPU');
    expect(w.call('assign_int', { sm: 0x31, cpu: 1 })).toBe('BAD_CAP');
    expect(w.call('assign_int', { sm: 0x30, cpu: 1 })).toBe('SUCCESS');
    expect(w.call('ctrl_sm', { sm: 0x30, D: 1 })).toBe('BAD_CPU');                        // routed to CPU 1, caller on 0
  });
  test('ctrl_hw / assign_dev from a non-root PD → BAD_HYP; root: BAD_PAR, BAD_FTR, BAD_CAP, BAD_DEV, BAD_PAR', () => {
    const w = new World(), S = w.S;
    w.child();
    expect(w.act({ kind: 'load', cpu: 0, ec: 19, addr: 0n })).toMatchObject({ kind: 'event', ev: 64, to: 17 }); // STARTUP first
    expect(w.call('ipc_reply', {}, 17)).toBe('pending');
    expect(w.call('ctrl_hw', { op: 0 }, 19)).toBe('BAD_HYP');
    expect(w.call('assign_dev', { dma: 1 }, 19)).toBe('BAD_HYP');
    expect(w.call('ctrl_hw', { op: 1 })).toBe('BAD_PAR');
    expect(w.call('ctrl_hw', { op: 4 })).toBe('BAD_FTR');
    expect(w.call('ctrl_hw', { op: 0, desc: 0 })).toBe('SUCCESS');
    expect(w.call('assign_dev', { dma: S.R_OBJ, smmu: 0x2000_0000n, dad: 0 })).toBe('BAD_CAP');
    expect(w.call('create_pd', { sel: 0x50, pd: S.R_PD, op: 4 })).toBe('SUCCESS');
    expect(w.call('assign_dev', { dma: 0x50, smmu: 0x1000n, dad: 0 })).toBe('BAD_DEV');
    expect(w.call('assign_dev', { dma: 0x50, smmu: 0x2000_0000n, dad: 9 })).toBe('BAD_PAR');
    expect(w.call('assign_dev', { dma: 0x50, smmu: 0x2000_0000n, dad: 1 })).toBe('SUCCESS');
  });
  test('ipc_call: BAD_CAP before BAD_CPU; TIMEOUT when busy with T; a killed callee aborts the call', () => {
    const w = new World();
    w.child(1, 0);                                                                         // handler on CPU 1
    expect(w.call('ipc_call', { pt: 0x45 })).toBe('BAD_CAP');                            // an EC, not a PT
    expect(w.call('ipc_call', { pt: 0x44 })).toBe('BAD_CPU');
    expect(w.act({ kind: 'load', cpu: 0, ec: 19, addr: 0n })).toMatchObject({ kind: 'event', killed: true });  // STARTUP PT on another CPU
  });
  test('ipc_call: TIMEOUT when the callee is busy and T is set; ABORTED when the callee dies', () => {
    const w = new World();
    w.child(0, 0);
    expect(w.act({ kind: 'load', cpu: 0, ec: 19, addr: 0n })).toMatchObject({ kind: 'event', to: 17, killed: false }); // handler busy with STARTUP
    expect(w.call('ipc_call', { pt: 0x44, T: 1 })).toBe('TIMEOUT');
    expect(w.call('ipc_reply', {}, 17)).toBe('pending');
    expect(w.call('ipc_call', { pt: 0x44 })).toBe('pending');                            // rendezvous
    expect(w.act({ kind: 'exc', cpu: 0, ec: 17, ev: 3 })).toMatchObject({ killed: true, wakes: [{ ec: 5, status: 2 }] }); // ABORTED
    expect(w.call('ipc_call', { pt: 0x44 })).toBe('ABORTED');                            // helping a dead EC
  });
  test('insert: MEM_OBJ before MEM_CAP before BAD_CAP (occupied)', () => {
    const w = new World({ ...DEFAULT_CONFIG, rootQuota: 0, capQuota: 0 }), S = w.S;
    expect(w.call('create_sm', { sel: S.R_PD, pd: S.R_PD })).toBe('MEM_OBJ');
    const v = new World({ ...DEFAULT_CONFIG, capQuota: -2 }), T = v.S;
    expect(v.call('create_sm', { sel: 0x40, pd: T.R_PD })).toBe('MEM_CAP');
    expect(v.call('create_sm', { sel: T.R_PD, pd: T.R_PD })).toBe('BAD_CAP');            // table exists, slot occupied
  });
  test('number 0xf → BAD_HYP', () => {
    const w = new World();
    expect(w.act({ kind: 'hypercall', cpu: 0, ec: ROOT, regs: [0xffn] })).toMatchObject({ status: 4 });
  });
});
