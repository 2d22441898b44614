// Robust safety with unknown endpoints (reference §7, VMSL): after every step of an endpoint that is
// not known, (a) memory changed only in pages it could write, RX buffers the SPMC fills, or pages it
// owns that the SPMC zeroed for it; (b) every known endpoint's exclusive pages, page modes and
// registers of every vCPU are unchanged (x0–x7 of the one vCPU a direct message from the unknown
// endpoint reached may change: the receiver's vCPU for this CPU, or the requester's waiting vCPU).
import type { Violation } from '../../model/system';
import { pdiff, pget } from '../../model/pvec';
import { M, owned, valid } from '../../real/ffa/consts';
import { Action, Obs, RealState } from '../../real/ffa/machine';
import { hex } from '../../real/ffa/json';
import { isError } from './oracles';

/** Whether endpoint `id` is the sender of a live transaction covering page p (a DONATE in flight). */
const sends = (s: RealState, id: number, p: number): boolean =>
  s.txns.some((t) => t !== null && t.sender === id && t.constituents.some((c) => p >= c.page && p < c.page + c.count));
const same = (a: readonly bigint[], b: readonly bigint[]): boolean => a === b || a.every((v, k) => v === b[k]);

export function robustSafety(pre: RealState, a: Action, o: Obs, post: RealState, known: ReadonlySet<number>): Violation[] {
  if (known.has(a.ep) || post === pre) return [];
  const u = pre.eps.findIndex((e) => e.id === a.ep);
  if (u < 0) return [];
  const out: Violation[] = [];
  const me = pre.eps[u];
  const rx = { has: (p: number) => post.eps.some((e) => e.mbox.rx === p) || pre.eps.some((e) => e.mbox.rx === p) };
  const none: readonly number[] = [];
  const cl = o.k === 'smc' && !isError(o.status) ? o.cleared : none;
  const cleared = { has: (p: number) => cl.includes(p) };
  // The pages whose row the step replaced (unchanged rows are the same object).
  const written: number[] = [];
  if (post.mem !== pre.mem) pdiff(pre.mem, post.mem, (p, x, y) => { if (!same(x, y)) written.push(p); });
  for (const p of written) {
    const m = pget(me.modes, p);
    const ok = (valid(m) && (m & M.W) !== 0) || rx.has(p) || (cleared.has(p) && (owned(m) || valid(m) || sends(pre, me.id, p)));
    if (!ok) out.push({ property: 'RobustSafety', component: `unknown ${hex(a.ep)} page ${hex(p * 4096)}`, detail: 'changed a page it could not write' });
  }
  for (let k = 0; k < pre.eps.length; k++) {
    const K = pre.eps[k];
    if (!known.has(K.id) || k === u) continue;
    const Q = post.eps[k];
    let moved = false;
    if (Q.modes !== K.modes) pdiff(K.modes, Q.modes, () => { moved = true; });
    if (moved) out.push({ property: 'RobustSafety', component: `known ${hex(K.id)} stage-2`, detail: `unknown ${hex(a.ep)} changed its page modes` });
    for (const p of written) {
      if (!valid(pget(K.modes, p)) || p === K.mbox.tx || p === K.mbox.rx) continue;
      if (pre.eps.some((e, j) => j !== k && valid(pget(e.modes, p)))) continue;
      out.push({ property: 'RobustSafety', component: `known ${hex(K.id)} exclusive page ${hex(p * 4096)}`, detail: `changed by unknown ${hex(a.ep)}` });
    }
    if (Q.vcpus !== K.vcpus) {
      // The vCPU of K a successful direct message from the unknown endpoint may reach (-1: none).
      let reached = -1;
      if (o.k === 'smc' && o.status === 'SUCCESS' && a.kind === 'smc') {
        const n = K.vcpus.length;
        if (o.abi === 'MSG_SEND_DIRECT_REQ' && Number((a.regs[1] ?? 0n) & 0xffffn) === K.id) reached = n === 1 ? 0 : a.cpu;
        const mv = me.vcpus[me.vcpus.length === 1 ? 0 : a.cpu];
        if (o.abi === 'MSG_SEND_DIRECT_RESP' && mv && mv.serving === K.id) reached = mv.servingVcpu;
      }
      K.vcpus.forEach((v, c) => {
        const q = Q.vcpus[c];
        if (!q || q.regs === v.regs) return;
        const r = q.regs.findIndex((x, j) => x !== v.regs[j] && !(c === reached && j < 8));
        if (r >= 0) out.push({ property: 'RobustSafety', component: `known ${hex(K.id)} vCPU ${c} x${r}`, detail: `changed by unknown ${hex(a.ep)}` });
      });
    }
  }
  return out;
}
