// Per-IPA RIPAS/HIPAS transitions (reference §5, §8.4, §8.8): for every IPA of every realm, what a
// stage-2 walk gives (HIPAS, RIPAS, output PA, host attributes), before and after each step, against
// the transitions the reference allows for that step. Seen per IPA, not per RTT entry, so a table
// destroyed back to an entry with the wrong RIPAS, a fold or unfold that changes what an IPA maps, or a
// DESTROYED page changed without the realm's consent is caught whatever entry holds it.
//
// A realm's view is a list of runs [lo, hi) of uniform state (contiguous output addresses), built from
// per-table segment lists cached per (immutable) RTT object. After a step, the two trees are walked
// side by side: a subtree whose table and children are the same objects before and after is equal and
// skipped, and runs are built only for the entries that changed; the differences found there are
// joined across entry boundaries exactly where whole views would have one run (tested against the
// comparison of whole views, which a new realm still gets).

import type { Violation } from '../../../model/system';
import { pdiff } from '../../../model/pvec';
import type { Action, Observation } from '../../../real/cca/actions';
import { RMI_COMMANDS, RMI_NAMES, RmiName } from '../../../real/cca/rmi';
import type { RealState, Rd, Rtt, RttEntry } from '../../../real/cca/state';
import type { Hipas, Ripas } from '../../../real/cca/types';
import { ENTRIES, GRAN, entrySize, gran, levelArg, par, recAt, sameRttGeometry, tableEntries } from './world';
import { descOa } from './status';

/** What the walk of one IPA gives: PA is the output address of that IPA (ASSIGNED, ASSIGNED_NS). */
export interface IpaState { readonly hipas: Hipas; readonly ripas: Ripas; readonly pa: number; readonly attrs: bigint }
interface Run extends IpaState { readonly lo: number; readonly hi: number }
interface View { readonly runs: readonly Run[]; readonly rd: Rd }

const assigned = (h: Hipas) => h === 'ASSIGNED' || h === 'ASSIGNED_NS';
const norm = (e: RttEntry): IpaState => ({
  hipas: e.hipas,
  ripas: e.hipas === 'UNASSIGNED' || e.hipas === 'ASSIGNED' ? e.ripas : 'EMPTY',
  pa: assigned(e.hipas) ? e.addr : 0,
  attrs: e.hipas === 'ASSIGNED_NS' ? e.attrs : 0n,
});
/** Whether run b continues run a (same state, output addresses contiguous). */
const continues = (a: Run, b: IpaState): boolean =>
  a.hipas === b.hipas && a.ripas === b.ripas && a.attrs === b.attrs && (!assigned(a.hipas) || a.pa + (a.hi - a.lo) === b.pa);

/** Per RTT object: its entries as segments of uniform state (TABLE entries alone, as children). */
type Seg = { readonly i0: number; readonly i1: number; readonly e: RttEntry; readonly st: IpaState };
const segCache = new WeakMap<Rtt, Seg[]>();
function segments(t: Rtt): Seg[] {
  let r = segCache.get(t);
  if (r) return r;
  r = [];
  const size = entrySize(t.level);
  let start = 0;
  for (let i = 1; i <= ENTRIES; i++) {
    if (i < ENTRIES && extends_(t.entries[start], t.entries[i], (i - start) * size)) continue;
    r.push({ i0: start, i1: i, e: t.entries[start], st: norm(t.entries[start]) });
    start = i;
  }
  segCache.set(t, r);
  return r;
}
/** Whether entry b, `off` bytes after entry a, continues a's run (no allocation: this is the hot path). */
function extends_(a: RttEntry, b: RttEntry, off: number): boolean {
  if (a === b) return a.hipas !== 'TABLE' && !assigned(a.hipas);
  if (a.hipas !== b.hipas || a.hipas === 'TABLE') return false;
  if ((a.hipas === 'UNASSIGNED' || a.hipas === 'ASSIGNED') && a.ripas !== b.ripas) return false;
  if (a.hipas === 'ASSIGNED_NS' && a.attrs !== b.attrs) return false;
  return !assigned(a.hipas) || b.addr === a.addr + off;
}

/** Appends the runs of the table at pa (covering IPA `base` on, at `level`) to `runs`, joining a run that continues the last one. */
function visitRuns(s: RealState, pa: number, level: number, base: number, depth: number, runs: Run[], reads?: Set<number>): void {
  reads?.add(pa);
  const g = gran(s, pa);
  if (!g || g.content.kind !== 'rtt' || depth > 4) return; // a broken tree is the invariants' to report
  const t = g.content;
  const size = entrySize(level);
  for (const sg of segments(t)) {
    if (sg.e.hipas === 'TABLE') visitRuns(s, sg.e.addr, level + 1, base + sg.i0 * size, depth + 1, runs, reads);
    else pushRun(runs, sg.st, base + sg.i0 * size, base + sg.i1 * size);
  }
}
function pushRun(runs: Run[], st: IpaState, lo: number, hi: number): void {
  const prev = runs[runs.length - 1];
  if (prev && prev.hi === lo && continues(prev, st)) runs[runs.length - 1] = { hipas: prev.hipas, ripas: prev.ripas, pa: prev.pa, attrs: prev.attrs, lo: prev.lo, hi };
  else runs.push({ hipas: st.hipas, ripas: st.ripas, pa: st.pa, attrs: st.attrs, lo, hi });
}

function buildView(s: RealState, rdPa: number): View {
  const rd = gran(s, rdPa)!.content as Rd;
  const runs: Run[] = [];
  const span = entrySize(rd.rttLevelStart) * ENTRIES;
  for (let r = 0; r < rd.rttNumStart; r++) visitRuns(s, rd.rttBase + r * GRAN, rd.rttLevelStart, r * span, 0, runs);
  return { runs, rd };
}

type Emit = (lo: number, hi: number, p: IpaState, q: IpaState) => void;
/**
 * The differences of a realm's views before and after a step (as diff of the whole views reports them),
 * walking the two trees side by side. The RD's geometry is the same before and after. `reads` gets
 * every granule the walk of the tree after the step read.
 */
function diffTrees(pre: RealState, post: RealState, rd: Rd, f: Emit, reads: Set<number>): void {
  // Differences found entry by entry are joined when both sides continue across the boundary: that is
  // where whole views have one run on each side, so diff of whole views reports one range.
  let pend: { lo: number; hi: number; p: IpaState; q: IpaState } | null = null;
  const emit: Emit = (lo, hi, p, q) => {
    if (pend && pend.hi === lo && continues({ ...pend.p, lo: pend.lo, hi: pend.hi }, p) && continues({ ...pend.q, lo: pend.lo, hi: pend.hi }, q)) pend.hi = hi;
    else {
      if (pend) f(pend.lo, pend.hi, pend.p, pend.q);
      pend = { lo, hi, p, q };
    }
  };
  const rtt = (s: RealState, pa: number): Rtt | undefined => {
    const g = gran(s, pa);
    return g && g.content.kind === 'rtt' ? g.content : undefined;
  };
  /** One window [base, base + span) as whole views have it: each side's runs over it, compared. */
  const window = (e0: RttEntry | number, e1: RttEntry | number, level: number, base: number, span: number, depth: number) => {
    const r0: Run[] = [], r1: Run[] = [];
    if (typeof e0 === 'number') visitRuns(pre, e0, level, base, depth, r0); else pushRun(r0, norm(e0), base, base + span);
    if (typeof e1 === 'number') visitRuns(post, e1, level, base, depth, r1, reads); else pushRun(r1, norm(e1), base, base + span);
    diff(r0, r1, emit);
  };
  const pair = (pa0: number, pa1: number, level: number, base: number, depth: number) => {
    reads.add(pa1);
    const t0 = rtt(pre, pa0), t1 = rtt(post, pa1);
    if (!t0 || !t1 || depth > 4) return window(pa0, pa1, level, base, entrySize(level) * ENTRIES, depth);
    const size = entrySize(level);
    if (t0 === t1) {
      // The same table: only what its TABLE entries lead to can differ (their indices, not its segments:
      // a table of scattered pages has hundreds of segments).
      for (const i of tableEntries(t0)) pair(t0.entries[i].addr, t0.entries[i].addr, level + 1, base + i * size, depth + 1);
      return;
    }
    for (let i = 0; i < ENTRIES; i++) {
      const e0 = t0.entries[i], e1 = t1.entries[i];
      if (e0.hipas === 'TABLE' && e1.hipas === 'TABLE') pair(e0.addr, e1.addr, level + 1, base + i * size, depth + 1);
      else if (e0 !== e1) window(e0.hipas === 'TABLE' ? e0.addr : e0, e1.hipas === 'TABLE' ? e1.addr : e1, level + 1, base + i * size, size, depth + 1);
    }
  };
  const span = entrySize(rd.rttLevelStart) * ENTRIES;
  for (let r = 0; r < rd.rttNumStart; r++) pair(rd.rttBase + r * GRAN, rd.rttBase + r * GRAN, rd.rttLevelStart, r * span, 0);
  const last = pend as { lo: number; hi: number; p: IpaState; q: IpaState } | null;
  if (last) f(last.lo, last.hi, last.p, last.q);
}

const show = (p: IpaState) => `${p.hipas}${p.hipas === 'UNASSIGNED' || p.hipas === 'ASSIGNED' ? '/' + p.ripas : ''}${assigned(p.hipas) ? ' pa 0x' + p.pa.toString(16) : ''}${p.hipas === 'ASSIGNED_NS' ? ' attrs 0x' + p.attrs.toString(16) : ''}`;
const same = (p: IpaState, q: IpaState) => p.hipas === q.hipas && p.ripas === q.ripas && p.pa === q.pa && p.attrs === q.attrs;
const NAME_OF = new Map<bigint, RmiName>(RMI_NAMES.map((n) => [BigInt(0xc4000150 + RMI_COMMANDS[n]), n]));

/** What a successful command may do to the IPAs [lo, hi) of realm rd: `ok(p, q, ipa)` gives the problem or null. */
interface Rule { readonly rd: number; readonly lo: number; readonly hi: number; readonly ok: (p: IpaState, q: IpaState, ipa: number) => string | null }

function ruleOf(pre: RealState, name: RmiName, x: (i: number) => bigint): Rule | null {
  const rd = Number(x(0));
  const need = (cond: boolean, why: string) => (cond ? null : why);
  const page = (ipa: bigint) => ({ lo: Number(ipa), hi: Number(ipa) + GRAN });
  switch (name) {
    case 'DATA_CREATE':
    case 'DATA_CREATE_UNKNOWN': {
      const data = Number(x(1));
      return { rd, ...page(x(2)), ok: (p, q, ipa) => need(p.hipas === 'UNASSIGNED' && q.hipas === 'ASSIGNED' && q.pa === data + (ipa - Number(x(2))) && q.ripas === (name === 'DATA_CREATE' ? 'RAM' : p.ripas), `DATA_CREATE${name === 'DATA_CREATE' ? '' : '_UNKNOWN'} maps an UNASSIGNED IPA to the new DATA granule ${name === 'DATA_CREATE' ? 'as RAM' : 'keeping its RIPAS'}`) };
    }
    case 'DATA_DESTROY':
      return { rd, ...page(x(1)), ok: (p, q) => need(p.hipas === 'ASSIGNED' && q.hipas === 'UNASSIGNED' && q.ripas === (p.ripas === 'RAM' ? 'DESTROYED' : p.ripas), 'DATA_DESTROY unmaps an ASSIGNED IPA: RAM becomes DESTROYED, EMPTY and DESTROYED stay') };
    case 'RTT_DESTROY': {
      const l = levelArg(x(2));
      const rdObj = gran(pre, rd)!.content as Rd;
      return {
        rd, lo: Number(x(1)), hi: Number(x(1)) + entrySize(l - 1),
        ok: (p, q, ipa) => ipa < par(rdObj)
          ? need(p.hipas === 'UNASSIGNED' && q.hipas === 'UNASSIGNED' && q.ripas === 'DESTROYED', 'RTT_DESTROY leaves the protected IPAs of a non-live table UNASSIGNED/DESTROYED (A5.5.9)')
          : need(q.hipas === 'UNASSIGNED_NS', 'RTT_DESTROY leaves unprotected IPAs UNASSIGNED_NS'),
      };
    }
    case 'RTT_INIT_RIPAS':
      return { rd, lo: Number(x(1)), hi: Number(x(2)), ok: (p, q) => need(p.hipas === 'UNASSIGNED' && p.ripas === 'EMPTY' && q.hipas === 'UNASSIGNED' && q.ripas === 'RAM', 'RTT_INIT_RIPAS only turns UNASSIGNED/EMPTY into RAM') };
    case 'RTT_SET_RIPAS': {
      const rec = recAt(pre, x(1));
      if (rec.owner !== rd) return null;
      return {
        rd, lo: Math.max(Number(x(2)), rec.ripasAddr), hi: Math.min(Number(x(3)), rec.ripasTop),
        ok: (p, q) => {
          if (p.ripas === 'DESTROYED' && !rec.ripasDestroyed) return 'a DESTROYED IPA changes only with the realm\'s consent (CHANGE_DESTROYED)';
          return need((p.hipas === 'UNASSIGNED' || p.hipas === 'ASSIGNED') && q.hipas === p.hipas && q.pa === p.pa && q.ripas === rec.ripasValue, `RTT_SET_RIPAS applies the realm's request (${rec.ripasValue}) and changes nothing else`);
        },
      };
    }
    case 'RTT_MAP_UNPROTECTED': {
      const oa = Number(descOa(x(3), gran(pre, rd)!.content as Rd));
      return { rd, lo: Number(x(1)), hi: Number(x(1)) + entrySize(levelArg(x(2))), ok: (p, q, ipa) => need(p.hipas === 'UNASSIGNED_NS' && q.hipas === 'ASSIGNED_NS' && q.pa === oa + (ipa - Number(x(1))) && q.attrs === (x(3) & 0xdcn), 'RTT_MAP_UNPROTECTED maps the host\'s output address and attributes') };
    }
    case 'RTT_UNMAP_UNPROTECTED':
      return { rd, lo: Number(x(1)), hi: Number(x(1)) + entrySize(levelArg(x(2))), ok: (p, q) => need(p.hipas === 'ASSIGNED_NS' && q.hipas === 'UNASSIGNED_NS', 'RTT_UNMAP_UNPROTECTED unmaps an ASSIGNED_NS IPA') };
    default:
      return null; // RTT_CREATE (unfold) and RTT_FOLD preserve every IPA; nothing else touches the RTTs
  }
}

export class IpaOracle {
  /**
   * Per realm, the granules its last walk read (its RD and every table) and the version of the granules
   * it read them in: while none of them changes, the realm's view is the same (so a step that changes
   * one realm's tables walks that realm alone).
   */
  private readonly reads = new Map<number, { granules: RealState['granules']; pas: Set<number> }>();

  /** whole: compare whole views (the comparison the side-by-side walk is tested against). */
  constructor(private readonly whole = false) {}

  private rd(s: RealState, rdPa: number): Rd | undefined {
    const g = gran(s, rdPa);
    return g && g.state === 'RD' && g.content.kind === 'rd' ? g.content : undefined;
  }

  check(pre: RealState, a: Action, o: Observation, post: RealState): Violation[] {
    if (pre.granules === post.granules) return [];
    let touched = false;
    const changed: number[] = [];
    // Only tables, and realms appearing or going, change what a walk gives (an RD's measurements do not).
    pdiff(pre.granules, post.granules, (i, g0, g1) => {
      changed.push(i * GRAN);
      if (g0.state === g1.state ? g0.state === 'RTT' && g0.content !== g1.content : g0.state === 'RTT' || g1.state === 'RTT' || g0.state === 'RD' || g1.state === 'RD') touched = true;
    });
    // A realm whose last walk read none of the changed granules (its RD included) has the same view.
    for (const c of this.reads.values()) if (c.granules === pre.granules && !changed.some((pa) => c.pas.has(pa))) c.granules = post.granules;
    if (!touched) return [];
    const name = a.kind === 'rmi' && o.kind === 'rmi' && o.status?.status === 'SUCCESS' && !o.pending ? NAME_OF.get(a.fid) : undefined;
    const what = name ?? (a.kind === 'rmi' ? `a failed ${NAME_OF.get(a.fid) ?? 'call'}` : `a ${a.kind} step`);
    let rule: Rule | null = null;
    try {
      rule = name ? ruleOf(pre, name, (i) => (a as { args: readonly bigint[] }).args[i] ?? 0n) : null;
    } catch {
      rule = null;
    }
    const out: Violation[] = [];
    const rds = new Set<number>([...pre.vmids.values(), ...post.vmids.values()]);
    for (const rd of rds) {
      const rd0 = this.rd(pre, rd), rd1 = this.rd(post, rd);
      if (!rd0 && rd1) {
        if (name !== 'REALM_CREATE') out.push(violation(rd, 0, 0, `a realm appeared by ${what}`));
        else out.push(...initial(rd, buildView(post, rd)));
        continue;
      }
      if (!rd0 || !rd1) continue; // destroyed: REALM_DESTROY's status and postcondition decide
      const report: Emit = (lo, hi, p, q) => {
        if (out.length >= 4) return;
        const r = rule && rule.rd === rd && lo >= rule.lo && hi <= rule.hi ? rule.ok(p, q, lo) : `${what} may not change this IPA range`;
        if (r) out.push(violation(rd, lo, hi, `${show(p)} -> ${show(q)} by ${what}: ${r}`));
      };
      if (this.whole || !sameRttGeometry(rd0, rd1)) {
        diff(buildView(pre, rd).runs, buildView(post, rd).runs, report);
        continue;
      }
      if (this.reads.get(rd)?.granules === post.granules) continue;
      const pas = new Set<number>([rd]);
      diffTrees(pre, post, rd1, report, pas);
      this.reads.set(rd, { granules: post.granules, pas });
    }
    return out;
  }
}

const hx = (v: number) => '0x' + v.toString(16);
const violation = (rd: number, lo: number, hi: number, detail: string): Violation => ({ property: 'IpaTransition', component: `realm ${hx(rd)} ipa [${hx(lo)}, ${hx(hi)})`, detail });

/** A new realm: the PAR UNASSIGNED/EMPTY, the rest UNASSIGNED_NS (§5 "Initial"). */
function initial(rd: number, v: View): Violation[] {
  const r = v.rd;
  const want = (ipa: number): IpaState => (ipa < par(r) ? { hipas: 'UNASSIGNED', ripas: 'EMPTY', pa: 0, attrs: 0n } : { hipas: 'UNASSIGNED_NS', ripas: 'EMPTY', pa: 0, attrs: 0n });
  for (const run of v.runs) {
    const w = want(run.lo);
    if (!same(run, w) || (run.lo < par(r) && run.hi > par(r))) return [violation(rd, run.lo, run.hi, `${show(run)} in a new realm: REALM_CREATE leaves the PAR UNASSIGNED/EMPTY and the rest UNASSIGNED_NS`)];
  }
  return [];
}

/** Calls f for each maximal IPA range over which both views are uniform and differ. */
function diff(a: readonly Run[], b: readonly Run[], f: (lo: number, hi: number, p: IpaState, q: IpaState) => void): void {
  let i = 0, j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i], y = b[j];
    const lo = Math.max(x.lo, y.lo), hi = Math.min(x.hi, y.hi);
    if (lo < hi) {
      const p = at(x, lo), q = at(y, lo);
      if (!same(p, q)) f(lo, hi, p, q);
    }
    if (x.hi <= y.hi) i++;
    else j++;
  }
}
const at = (r: Run, ipa: number): IpaState => (assigned(r.hipas) ? { ...r, pa: r.pa + (ipa - r.lo) } : r);
