// ctrl_sm(sm, stc; D, Z) — B.4; Ec::sys_ctrl_sm, Sm::up / Sm::dn (inc/sm.hpp). Up: release the first
// waiter (it returns SUCCESS); else counter = 2^64-1 → OVRFLOW; else counter++. Down: an interrupt SM
// on a CPU other than its routed one → BAD_CPU; counter > 0 → counter := Z ? 0 : counter-1; else block
// (FIFO) until an up, or until time stc (≠ 0) → TIMEOUT.
import { row, reg } from '../call';
import type { Call, Ctx } from '../call';
import { BAD_CAP, BAD_CPU, Cap, OVRFLOW, SM_DN, SM_UP, SUCCESS, Sm, State, Wake } from '../types';
import { U64_MASK } from '../../../model/bits';
import { ecAt, obj, put, release } from '../state';

interface C extends Ctx { readonly smCap: Cap | null; readonly sm: Sm | null; readonly down: boolean; readonly zero: boolean }

export const CTRL_SM: Call<C> = {
  name: 'ctrl_sm',
  context: (c) => { const smCap = c.cap(c.sel); const o = smCap ? obj(c.s, smCap.obj) : null; return { s: c.s, ec: c.ec, cpu: c.cpu, x: c.x, sel: c.sel, flags: c.flags, spec: c.spec, cap: c.cap, smCap, sm: o && o.type === 'SM' ? o : null, down: (c.flags & 1) !== 0, zero: (c.flags & 2) !== 0 }; },
  failures: [
    row('sm_cap', (c) => !c.spec.valid(c.s, c.smCap, 'SM', null, c.down ? SM_DN : SM_UP), BAD_CAP),
    row('overflow', (c) => c.spec.smOverflow && !c.down && c.sm!.queue.length === 0 && c.sm!.counter === U64_MASK, OVRFLOW),
    row('irq_cpu', (c) => c.down && c.sm!.irq >= 0 && c.cpu !== (c.sm!.route?.cpu ?? 0), BAD_CPU),
  ],
  effect: (c) => {
    const sm = c.sm!;
    if (!c.down) { const r = smUp(c.s, sm.id); return { s: r.s, wakes: r.wakes }; }
    if (sm.counter > 0n) return { s: put(c.s, { ...sm, counter: c.zero ? 0n : sm.counter - 1n }) };
    // Block: the SM queue holds a reference (recount); the EC resumes with SUCCESS or TIMEOUT.
    const s = put(c.s, { ...sm, queue: [...sm.queue, c.ec.id], ref: sm.ref + 1 });
    return { s: put(s, { ...ecAt(s, c.ec.id)!, st: 'sm', smWait: sm.id, timeout: reg(c.x, 1) }), status: null, note: 'blocked' };
  },
};

/** Sm::up: wake the first waiter, or count (wrapping if there is no overflow check). */
export function smUp(s: State, id: number): { s: State; wakes: Wake[] } {
  const sm = obj(s, id) as Sm;
  if (sm.queue.length === 0) return { s: put(s, { ...sm, counter: (sm.counter + 1n) & U64_MASK }), wakes: [] };
  const [head, ...rest] = sm.queue;
  s = put(s, { ...sm, queue: rest });
  const e = ecAt(s, head)!;
  const regs = e.regs.slice(); regs[0] = BigInt(SUCCESS);
  s = put(s, { ...e, st: 'run', smWait: -1, timeout: 0n, regs });
  return { s: release(s, id, 1), wakes: [{ ec: head, status: SUCCESS }] };
}
