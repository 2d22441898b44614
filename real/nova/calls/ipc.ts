// ipc_call(pt, mtd; T) and ipc_reply(mtd) — B.4; Ec::sys_ipc_call, Ec::rendezvous, Ec::help,
// Ec::sys_ipc_reply, Ec::reply (src/syscall.cpp, src/ec.cpp). Mtd_user::count = mtd % 512 + 1 words
// (inc/mtd.hpp). An event's reply loads architectural state (Ec_arch::state_save): GPR bit (Mtd_arch
// bit 2) → X0..X7 from UTCB words 0..7 [D: the model's register file].
import { row, reg } from '../call';
import type { Call, Ctx, Effect } from '../call';
import { ABORTED, BAD_CPU, BAD_CAP, Cap, Ec, PT_CALL, Pt, SUCCESS, State, TIMEOUT, Wake } from '../types';
import { ecAt, obj, put, release } from '../state';
import { pget, pset } from '../../../model/pvec';
import { flow } from '../flows';

interface C extends Ctx { readonly ptCap: Cap | null; readonly pt: Pt | null; readonly callee: Ec | null; readonly mtd: number; readonly t: boolean }

/** Whether a (local) EC is idle, waiting for a call: NOVA's `ec->cont == nullptr`. */
export const idle = (e: Ec): boolean => e.st === 'wait' && e.cont === null && e.caller < 0 && e.sub === 'local';
export const words = (mtd: number): number => (mtd % 512) + 1;

export function copyUtcb(s: State, from: number, to: number, n: number): State {
  const a = ecAt(s, from), b = ecAt(s, to);
  if (!a?.utcb || !b?.utcb) return s;
  let u = b.utcb;
  for (let i = 0; i < n; i++) u = pset(u, i, pget(a.utcb, i));
  return put(s, { ...b, utcb: u });
}

export const IPC_CALL: Call<C> = {
  name: 'ipc_call',
  context: (c) => {
    const ptCap = c.cap(c.sel); const o = ptCap ? obj(c.s, ptCap.obj) : null;
    const pt = o && o.type === 'PT' ? o : null;
    return { s: c.s, ec: c.ec, cpu: c.cpu, x: c.x, sel: c.sel, flags: c.flags, spec: c.spec, cap: c.cap, ptCap, pt, callee: pt ? ecAt(c.s, pt.ec) : null, mtd: Number(reg(c.x, 1) & 0xffffffffn), t: (c.flags & 1) !== 0 };
  },
  failures: [
    row('pt_cap', (c) => !c.spec.valid(c.s, c.ptCap, 'PT', null, PT_CALL), BAD_CAP),
    row('cpu', (c) => c.callee!.cpu !== c.ec.cpu, BAD_CPU),
    row('busy_timeout', (c) => !idle(c.callee!) && c.t, TIMEOUT),
    row('callee_dead', (c) => c.callee!.st === 'dead', ABORTED),
  ],
  effect: (c) => {
    const callee = c.callee!, pt = c.pt!;
    // Busy: help the callee and run the hypercall again later (Ec::help with cont = sys_ipc_call).
    if (!idle(callee)) return { s: put(c.s, { ...c.ec, cont: { k: 'retry', regs: c.x } }), status: null, note: 'help' };
    return { s: rendezvous(c.s, c.ec.id, pt, c.mtd, 'ipc'), status: null, note: 'rendezvous' };
  },
};

/** Ec::rendezvous: the caller waits, the callee runs at pt.ip with X0 = pt.id, X1 = mtd. */
export function rendezvous(s: State, callerId: number, pt: Pt, mtd: number, kind: 'ipc' | 'event'): State {
  const caller = ecAt(s, callerId)!, calleeId = pt.ec;
  if (kind === 'ipc') s = copyUtcb(s, callerId, calleeId, words(mtd));
  else {
    const h = ecAt(s, calleeId)!;
    if (h.utcb && (mtd & 4)) { let u = h.utcb; caller.regs.forEach((v, i) => (u = pset(u, i, v))); s = put(s, { ...h, utcb: u }); }
  }
  s = put(s, { ...ecAt(s, callerId)!, st: 'call', callee: calleeId, cont: null });
  const h = ecAt(s, calleeId)!;
  const regs = h.regs.slice(); regs[0] = pt.ptId; regs[1] = BigInt(mtd);
  s = put(s, { ...h, st: 'run', caller: callerId, callKind: kind, regs, ip: pt.ip, ref: h.ref + 1 });
  return flow(s, caller.pd, h.pd);
}

export const IPC_REPLY: Call<Ctx> = {
  name: 'ipc_reply',
  context: (c) => c,
  failures: [],
  effect: (c): Effect => {
    let s = c.s;
    const self = c.ec, mtd = Number(reg(c.x, 1) & 0xffffffffn);
    const wakes: Wake[] = [];
    const caller = self.caller >= 0 ? ecAt(s, self.caller) : null;
    if (caller) {
      if (self.callKind === 'ipc') {
        s = copyUtcb(s, self.id, caller.id, words(mtd));
        const regs = caller.regs.slice(); regs[0] = BigInt(SUCCESS); regs[1] = BigInt(mtd);
        s = put(s, { ...ecAt(s, caller.id)!, st: 'run', callee: -1, regs });
        wakes.push({ ec: caller.id, status: SUCCESS, x1: BigInt(mtd) });
      } else {
        let regs = caller.regs;
        if (mtd & 4 && self.utcb) regs = regs.map((_, i) => pget(self.utcb!, i));
        s = put(s, { ...ecAt(s, caller.id)!, st: 'run', callee: -1, regs });
        wakes.push({ ec: caller.id, status: -1 });
      }
      s = flow(s, self.pd, caller.pd);
    }
    // Ec::reply: wait for the next call on any PT of this EC (cont = nullptr).
    s = put(s, { ...ecAt(s, self.id)!, st: 'wait', caller: -1, callKind: null, cont: null });
    if (caller) s = release(s, self.id, 1);
    return { s, status: null, wakes };
  },
};
