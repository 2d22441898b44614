// The simulation relation (reference §6 and DESIGN "Properties"), incremental: a component that is
// the same object in both machines as at the previous check still satisfies the relation.
//   World: page modes, mailboxes, direct-message state, the transaction table, ghost flows are equal.
//   Memory: each page's real content equals its ideal cell (held value, or the world frame).
//   Registers: each endpoint vCPU's real registers equal its ideal exclusive registers.
import type { Violation } from '../../model/system';
import { PVec, pdiff, pget, ptoArray } from '../../model/pvec';
import { RealState } from '../../real/ffa/machine';
import { Endpoint, Txn, pageAt } from '../../real/ffa/state';
import { hex } from '../../real/ffa/json';
import { Cell, Ideal } from '../../ideal/ffa/machine';

const eqArr = <T>(a: readonly T[], b: readonly T[]): boolean => {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
};
function eqTxn(a: Txn | null, b: Txn | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const bytes = (x: Uint8Array | null, y: Uint8Array | null) => x === y || (!!x && !!y && x.length === y.length && x.every((v, k) => v === y[k]));
  return a.handle === b.handle && a.func === b.func && a.sender === b.sender && a.tag === b.tag && a.attrs === b.attrs && a.flags === b.flags
    && a.totalLen === b.totalLen && a.complete === b.complete && a.pageCount === b.pageCount && a.origMode === b.origMode
    && bytes(a.buf, b.buf) && eqArr(a.fragCounts, b.fragCounts)
    && a.constituents.length === b.constituents.length && a.constituents.every((c, k) => c.page === b.constituents[k].page && c.count === b.constituents[k].count)
    && a.receivers.length === b.receivers.length && a.receivers.every((r, k) => { const q = b.receivers[k]; return r.id === q.id && r.perms === q.perms && r.flags === q.flags && r.retrieved === q.retrieved && r.mode === q.mode; });
}
/** The first page whose mode differs, or -1; `since` (the two rows at the previous check, which were
 *  equal) limits the search to the pages either side changed since. */
function modeDiff(r: PVec<number>, i: PVec<number>, since?: { r: PVec<number>; i: PVec<number> }): number {
  if (r === i) return -1;
  const pages = new Set<number>();
  if (since) { pdiff(since.r, r, (p) => pages.add(p)); pdiff(since.i, i, (p) => pages.add(p)); } else pdiff(r, i, (p) => pages.add(p));
  let first = -1;
  for (const p of pages) if (pget(r, p) !== pget(i, p) && (first < 0 || p < first)) first = p;
  return first;
}
function epDiff(r: Endpoint, i: Endpoint, since?: { r: Endpoint; i: Endpoint }): string | null {
  const p = modeDiff(r.modes, i.modes, since && { r: since.r.modes, i: since.i.modes });
  if (p >= 0) return `page ${hex(p * 4096)} mode: real ${hex(pget(r.modes, p))}, ideal ${hex(pget(i.modes, p))}`;
  const a = r.mbox, b = i.mbox;
  if (a !== b && (a.tx !== b.tx || a.rx !== b.rx || a.full !== b.full || a.sender !== b.sender || a.size !== b.size || a.func !== b.func)) return 'mailbox state differs';
  if (r.vcpus.length !== i.vcpus.length) return 'vCPU count differs';
  for (let k = 0; k < r.vcpus.length; k++) {
    const a = r.vcpus[k], b = i.vcpus[k];
    if (a.waiting !== b.waiting || a.serving !== b.serving || a.servingVcpu !== b.servingVcpu || a.cpu !== b.cpu) return `vCPU ${k} direct-message state differs`;
  }
  return null;
}

export class Relation {
  private real: RealState | null = null;
  private ideal: Ideal | null = null;

  check(real: RealState, ideal: Ideal): Violation[] {
    const out: Violation[] = [];
    const pr = this.real, pi = this.ideal;
    const w = ideal.world;
    // World
    if (!pr || !pi || real.eps !== pr.eps || w.eps !== pi.world.eps) {
      for (let k = 0; k < real.eps.length; k++) {
        if (real.eps[k] === w.eps[k]) continue;
        const r0 = pr?.eps[k], i0 = pi?.world.eps[k];
        const d = epDiff(real.eps[k], w.eps[k], r0 && i0 && r0.modes.size === real.eps[k].modes.size ? { r: r0, i: i0 } : undefined);
        if (d) out.push({ property: 'Relation', component: `world endpoint ${hex(real.eps[k].id)}`, detail: d });
      }
    }
    if (real.txns !== w.txns && (!pr || !pi || real.txns !== pr.txns || w.txns !== pi.world.txns)) {
      for (let k = 0; k < real.txns.length; k++) {
        if (!eqTxn(real.txns[k], w.txns[k])) out.push({ property: 'Relation', component: `world transaction slot ${k}`, detail: `real ${real.txns[k] ? `handle ${hex(real.txns[k]!.handle)}` : 'free'}, ideal ${w.txns[k] ? `handle ${hex(w.txns[k]!.handle)}` : 'free'} (or their fields differ)` });
      }
    }
    if (!eqArr(real.flows, w.flows)) out.push({ property: 'Relation', component: 'world flows', detail: 'ghost flow sets differ' });
    // Memory: the pages whose real content, ideal cell or world frame changed since the last check
    // (every page at the first check).
    const pages = new Set<number>();
    if (!pr || !pi || pr.mem.size !== real.mem.size) {
      // A start where the ideal's world memory is the real memory and no cell holds a value (every
      // run's first state) has nothing to compare.
      if (real.mem !== w.mem || !noHeldValue(ideal.cells)) for (let p = 0; p < real.mem.size; p++) pages.add(p);
    } else {
      const add = (p: number) => { pages.add(p); };
      pdiff(pr.mem, real.mem, add);
      pdiff(pi.cells, ideal.cells, add);
      pdiff(pi.world.mem, w.mem, add);
    }
    for (const p of [...pages].sort((x, y) => x - y)) {
      const cell = pget(ideal.cells, p);
      const exp = cell.who ? cell.val ?? pageAt(w, p) : pageAt(w, p);
      const got = pageAt(real, p);
      if (!eqArr(got, exp)) {
        const k = got.findIndex((v, j) => v !== exp[j]);
        out.push({ property: 'Relation', component: `page ${hex(p * 4096)} word ${k}`, detail: `real ${hex(got[k])}, ideal ${hex(exp[k])} (${cell.who ? `held by ${holdersOf(real, cell.who)}` : 'world'})` });
      }
    }
    // Registers
    for (let k = 0; k < real.eps.length; k++) {
      const vs = real.eps[k].vcpus, xs = ideal.xregs[k];
      if (pr && pi && vs === pr.eps[k]?.vcpus && xs === pi.xregs[k]) continue;
      for (let c = 0; c < vs.length; c++) {
        const a = vs[c].regs, b = xs[c];
        if (!b) { out.push({ property: 'Relation', component: `endpoint ${hex(real.eps[k].id)} vCPU ${c}`, detail: 'no ideal registers' }); continue; }
        if (!eqArr(a, b)) {
          const r = a.findIndex((v, j) => v !== b[j]);
          out.push({ property: 'Relation', component: `endpoint ${hex(real.eps[k].id)} vCPU ${c} x${r}`, detail: `real ${hex(a[r])}, ideal ${hex(b[r])}` });
        }
      }
    }
    this.real = real;
    this.ideal = ideal;
    return out;
  }
}
/** No cell holds a value of its own (every page reads the world frame); computed once per cells. */
const PLAIN = new WeakMap<PVec<Cell>, boolean>();
function noHeldValue(cells: PVec<Cell>): boolean {
  let r = PLAIN.get(cells);
  if (r === undefined) { r = ptoArray(cells).every((c) => c.val === undefined); PLAIN.set(cells, r); }
  return r;
}
const holdersOf = (s: RealState, m: number): string => s.eps.filter((_, k) => m & (1 << k)).map((e) => hex(e.id)).join('+');
