// The REC-list bookkeeping of the paper's Figure 4 (section 4.2) as weak-memory micro-programs.
//
//   REC_CREATE (holds the RD lock):    (a) check rec_list[id] is empty; (b) rec_list[id] = rec;
//                                      (c) counter++
//   REC_DESTROY (holds only the REC's lock):  (d) rec_list[id] = 0; (e) counter--
//   REALM_DESTROY (holds the RD lock): (f) check counter == 0; (g) then rec_list must be empty,
//                                      and the RD (holding rec_list) is freed
//
// Permutation condition P: when REALM_DESTROY finds counter == 0, rec_list is empty. The bug the
// paper found: (e) can be reordered before (d) on Arm, so REALM_DESTROY can see counter == 0 while
// rec_list[id] is still set, and free an RD whose list is later written by (d). The fix gives (e)
// release semantics (or puts a DMB ST between (d) and (e)).
//
// Modelling choices:
// - Locks are `lock` (atomic test-and-set with acquire, eligible only when free) / `unlock`
//   (release store of 0), as RMM's spinlocks are acquire/release.
// - The counter is updated with an atomic fetch-and-add (`faa`, no result register). The paper says
//   counter-- runs "without holding any lock" while counter++ runs under the RD lock; a non-atomic
//   load/store decrement would race with REC_CREATE's increment and with other REC_DESTROYs
//   (lost updates could make the counter too low, which is itself a security bug), so like TF-RMM
//   (atomic_granule_put_release / atomic_granule_get) both are single-copy-atomic RMWs. The fix is
//   then STADDL (release) instead of STADD, or a DMB ST before a plain STADD.
// - Branches are straight-line code with control dependencies: the ops after "if (x)" carry a ctrl
//   dependency on the register holding x; which branch was taken is read from the outcome.
// - REALM_DESTROY reads the counter with acquire semantics (TF-RMM's granule_refcount_read_acquire).
//   A control dependency alone would not do: Armv8 may speculate the rec_list loads past the
//   branch (ctrl orders only later stores), so the check could see a stale slot even with the fix
//   in REC_DESTROY. `realmDestroy({ acquire: false })` builds that weaker variant.

import type { WmOp } from '../../shared/weakmem/executor';

/** Location names of one realm's bookkeeping. */
export interface RecLocs {
  readonly rdLock: string;
  readonly count: string;
  readonly state: string;
  slot(i: number): string;
  recLock(i: number): string;
}

export function recLocs(rd = 'rd'): RecLocs {
  return {
    rdLock: `${rd}.lock`,
    count: `${rd}.count`,
    state: `${rd}.state`,
    slot: (i) => `${rd}.rec_list[${i}]`,
    recLock: (i) => `${rd}.rec${i}.lock`,
  };
}

/** Registers the micro-programs write (so callers can read results from the outcome). */
export const REC_REGS = {
  /** REC_CREATE: value of rec_list[id] seen by check (a). */
  createSlot: 'slot',
  /** REALM_DESTROY: counter value seen by check (f). */
  destroyCount: 'count',
  /** REALM_DESTROY: value of rec_list[i] seen by (g). */
  destroySlot: (i: number): string => `slot${i}`,
} as const;

/** REC_CREATE: lock RD; (a) r = rec_list[id]; if r == 0 { (b) rec_list[id] = rec; (c) counter++ }; unlock RD. */
export function recCreate(p: { slot: number; rec: bigint | number; rd?: string }): WmOp[] {
  const L = recLocs(p.rd);
  const onEmpty = [{ kind: 'ctrl' as const, on: [REC_REGS.createSlot] }];
  return [
    { op: 'lock', loc: L.rdLock },
    { op: 'load', loc: L.slot(p.slot), reg: REC_REGS.createSlot }, // (a)
    { op: 'store', loc: L.slot(p.slot), val: p.rec, deps: onEmpty }, // (b)
    { op: 'faa', loc: L.count, add: 1, deps: onEmpty }, // (c)
    { op: 'unlock', loc: L.rdLock },
  ];
}

/**
 * REC_DESTROY: lock REC; (d) rec_list[id] = 0; [fix]; (e) counter--; unlock REC.
 * `barrier: true` is the fixed code: (e) is a release RMW (STADDL), or with `fix: 'dmb'` a DMB ST
 * precedes a plain STADD. `barrier: false` is the buggy prototype: (e) may become visible before (d).
 */
export function recDestroy(p: { slot: number; barrier: boolean; fix?: 'release' | 'dmb'; rd?: string }): WmOp[] {
  const L = recLocs(p.rd);
  const fix = p.barrier ? (p.fix ?? 'release') : 'none';
  return [
    { op: 'lock', loc: L.recLock(p.slot) },
    { op: 'store', loc: L.slot(p.slot), val: 0 }, // (d)
    ...(fix === 'dmb' ? [{ op: 'dmb', kind: 'st' } as const] : []),
    { op: 'faa', loc: L.count, add: -1, order: fix === 'release' ? 'release' : 'plain' }, // (e)
    { op: 'unlock', loc: L.recLock(p.slot) },
  ];
}

/**
 * REALM_DESTROY: lock RD; (f) c = counter; if c == 0 { (g) read every rec_list slot (all must be 0
 * by P); free the RD (rd.state = 1) }; unlock RD.
 */
export function realmDestroy(p: { slots: number; rd?: string; acquire?: boolean }): WmOp[] {
  const L = recLocs(p.rd);
  const onZero = [{ kind: 'ctrl' as const, on: [REC_REGS.destroyCount] }];
  const slots: WmOp[] = [];
  for (let i = 0; i < p.slots; i++) slots.push({ op: 'load', loc: L.slot(i), reg: REC_REGS.destroySlot(i), deps: onZero }); // (g)
  return [
    { op: 'lock', loc: L.rdLock },
    { op: 'load', loc: L.count, reg: REC_REGS.destroyCount, order: p.acquire === false ? 'plain' : 'acquire' }, // (f)
    ...slots,
    { op: 'store', loc: L.state, val: 1, deps: onZero }, // free
    { op: 'unlock', loc: L.rdLock },
  ];
}
