// The RMM's non-DRF REC bookkeeping (CCA paper §4.2, Figure 4) as multi-step handlers. With
// `Config.weakMemory` on, REC_CREATE, REC_DESTROY and REALM_DESTROY pass their failure checks
// atomically, then run their bookkeeping as a micro-program on the shared weak-memory executor:
// each `micro` trace step executes one eligible op of a CPU's handler, in any order Armv8 allows,
// so traces interleave and reorder them. The RMI call completes when its program is done.

import { Observation } from '../actions';
import { RmiName, rmiFid } from '../rmi';
import { REALM, SUCCESS, Status, packStatus } from '../status';
import type { Programs, Spec } from '../spec';
import { CpuMode, RealState, Rec, granuleAt, hostCpu, rdOf, recOf, withCpu, withWm } from '../state';
import { addRefcount, release, setContent } from '../ops';
import { WmOp, WmState, compileProgram, eligible, initState, isDone, opLabel, step as wmStep } from '../../shared/weakmem/executor';
import { REC_REGS, realmDestroy, recCreate, recDestroy, recLocs } from './recBookkeeping';
import type { StepResult } from '../spec';
import { freeRealm, realmIsLive } from '../realm-free';

export type HandlerCmd = 'REC_CREATE' | 'REC_DESTROY' | 'REALM_DESTROY';
export type MicroMode = Extract<CpuMode, { kind: 'micro' }>;

/** Location names of a realm's bookkeeping in weak memory: `rd@0x4000.count`, ... */
export const locsOf = (rd: number) => recLocs(`rd@0x${rd.toString(16)}`);

/** The faithful micro-programs (the variant `rec-count-no-release` replaces REC_DESTROY's). */
export const faithfulPrograms: Programs = {
  recCreate: (rd: number, slot: number, rec: number): WmOp[] => recCreate({ rd: `rd@0x${rd.toString(16)}`, slot, rec }),
  recDestroy: (rd: number, slot: number): WmOp[] => recDestroy({ rd: `rd@0x${rd.toString(16)}`, slot, barrier: true }),
  realmDestroy: (rd: number, slots: number): WmOp[] => realmDestroy({ rd: `rd@0x${rd.toString(16)}`, slots }),
};

/** Gives `cpu` a new program on the shared weak memory, keeping memory and other CPUs' progress. */
export function spawn(wm: WmState | null, cpus: number, cpu: number, ops: WmOp[]): WmState {
  const threads = Array.from({ length: cpus }, (_, c) => (c === cpu ? ops : (wm?.prog.threads[c] ?? [])));
  const init: Record<string, bigint> = {};
  if (wm) for (const [k, cell] of Object.entries(wm.mem)) init[k] = cell.v;
  const fresh = initState(compileProgram(threads, init));
  if (!wm) return fresh;
  const done = fresh.done.map((row, c) => (c === cpu ? row : wm.done[c] ?? row));
  return { ...fresh, done, mem: { ...fresh.mem, ...wm.mem } };
}

/** Starts a handler on `cpu` after its RMI checks passed; the call is pending until it completes. */
export function startHandler(s: RealState, cpu: number, mode: Omit<MicroMode, 'kind'>, ops: WmOp[]): RealState {
  const wm = spawn(s.wm, s.cpus.length, cpu, ops);
  return withCpu(withWm(s, wm), cpu, { mode: { kind: 'micro', ...mode }, regs: [], pc: 0n });
}

/** The eligible ops of `cpu`'s handler. */
export const eligibleOn = (s: RealState, cpu: number): number[] => (s.wm ? eligible(s.wm).filter((e) => e.cpu === cpu).map((e) => e.op) : []);

const cpuDone = (wm: WmState, cpu: number): boolean =>
  isDone({ ...wm, done: wm.done.map((row, c) => (c === cpu ? row : row.map(() => ({})))) });

/** A register value the handler's program read (undefined if that load has not executed). */
function regOf(wm: WmState, cpu: number, reg: string): bigint | undefined {
  const ops = wm.prog.threads[cpu];
  for (let i = ops.length - 1; i >= 0; i--) if ((ops[i] as { reg?: string }).reg === reg && ops[i].op !== 'store') return wm.done[cpu][i]?.v;
  return undefined;
}

/** One `micro` trace step: the k-th eligible op of `cpu`'s handler; completes the RMI call when done. */
export function microStep(spec: Spec, s: RealState, cpu: number, k: number): StepResult {
  const mode = s.cpus[cpu].mode;
  if (mode.kind !== 'micro' || !s.wm) return { state: s, obs: { kind: 'skip', cpu, reason: 'no multi-step RMM handler is in progress on this CPU' } };
  const ops = eligibleOn(s, cpu);
  if (ops.length === 0) return { state: s, obs: { kind: 'micro', cpu, done: false } }; // waiting for a lock
  const op = ops[((k % ops.length) + ops.length) % ops.length];
  const wm = wmStep(s.wm, cpu, op);
  const label = `#${op} ${opLabel(s.wm.prog.threads[cpu][op])}`;
  let t: RealState = withWm(s, wm);
  if (!cpuDone(wm, cpu)) return { state: t, obs: { kind: 'micro', cpu, done: false, op: label } };
  // The handler's program is complete: apply the command's effect and return from the SMC.
  let status: Status = SUCCESS;
  let permutation: string | undefined;
  switch (mode.cmd) {
    case 'REC_CREATE':
      t = addRefcount(t, mode.rd, 1);
      break;
    case 'REC_DESTROY': {
      const rec = recOf(t, mode.rec);
      for (const a of rec.aux) t = release(t, a, spec);
      t = release(t, mode.rec, spec);
      // The RD may be gone already: REALM_DESTROY saw the decremented count before this handler ended.
      if (mode.rd >= 0) t = addRefcount(t, mode.rd, -1);
      break;
    }
    case 'REALM_DESTROY': {
      const count = regOf(wm, cpu, REC_REGS.destroyCount) ?? 0n;
      if (count !== 0n || realmIsLive(t, mode.rd)) {
        status = REALM;
        break;
      }
      const rd = rdOf(t, mode.rd);
      // The permutation condition: a zero count means an empty REC list.
      const stale = Array.from({ length: rd.recIndex }, (_, i) => [i, regOf(wm, cpu, REC_REGS.destroySlot(i)) ?? 0n] as const).filter(([, v]) => v !== 0n);
      if (stale.length) permutation = `REALM_DESTROY read REC count 0 but rec_list[${stale[0][0]}] = 0x${stale[0][1].toString(16)}`;
      // Its consequence: no REC still references the RD (a REC_DESTROY yet to clear its slot).
      t.cpus.forEach((c, other) => {
        const m = c.mode;
          if (permutation || m.kind !== 'micro' || m.cmd !== 'REC_DESTROY' || m.rd !== mode.rd) return;
        const slot = recOf(t, m.rec).index;
        const slotStore = wm.prog.threads[other].findIndex((o) => o.op === 'store' && o.loc === locsOf(mode.rd).slot(slot));
        if (slotStore >= 0 && !wm.done[other][slotStore])
          permutation = `RD destroyed while REC 0x${m.rec.toString(16)} (REC_DESTROY on cpu ${other}) still has to clear rec_list[${slot}]`;
      });
      t = freeRealm(t, mode.rd, spec);
      // REC_DESTROYs still in flight for this realm (past their decrement) no longer have an RD.
      t.cpus.forEach((c, other) => {
        if (c.mode.kind === 'micro' && c.mode.cmd === 'REC_DESTROY' && c.mode.rd === mode.rd) t = withCpu(t, other, { ...c, mode: { ...c.mode, rd: -1 } });
      });
      break;
    }
  }
  t = withCpu(t, cpu, hostCpu);
  const rmi: Observation = { kind: 'rmi', cpu, name: mode.cmd as RmiName, fid: BigInt(rmiFid(mode.cmd)), status, x0: packStatus(status), x: [0n, 0n, 0n, 0n] };
  return { state: t, obs: { kind: 'micro', cpu, done: true, op: label, exit: rmi, ...(permutation ? { permutation } : {}) } };
}

/** Marks a REC whose REC_DESTROY handler is in flight (it can be neither entered nor destroyed again). */
export function markDestroying(s: RealState, recPa: number): RealState {
  return setContent(s, recPa, { ...(granuleAt(s, recPa).content as Rec), destroying: true });
}
