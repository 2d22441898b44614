// The RMM's state invariants (reference §8), checked on one real state. Each violation names the
// invariant and the exact component that breaks it, e.g.
//   { invariant: 'delegated-zero', component: 'granule 0x5000', message: 'DELEGATED granule holds non-zero word 3 = 0x7' }.
//
// Cost: one pass over the granule vector (GPT/GST agreement, zero DELEGATED granules, collecting the
// live objects), then a walk of every realm's RTTs from its roots through TABLE entries, then the
// RECs and the CPUs. So O(granules + live RTTs × 512 + RECs). Nothing is rescanned. Along a trace,
// InvariantChecker (below) does the same from what each step changed.
//
// Temporal statements of §8 (7: the RIM changes only while NEW; 8: RIPAS transitions) are properties
// of steps, not of states, and are not checked here.

import { Config } from '../../real/cca/config';
import { GRANULE_SIZE, hex } from '../../model/bits';
import { pdiff, pget } from '../../model/pvec';
import { GranuleState, Pas } from '../../real/cca/types';
import { RTT_ENTRIES, isLive, levelSize, rootCount } from '../../real/cca/rtt';
import { mpidrToIndex } from '../../real/cca/rmi/rec-create';
import { Content, Granule, RealState, Rd, Rec, Rtt, RttEntry, isMmio } from '../../real/cca/state';
import { EntryKind, Place, RttTree, placeOf } from './rtt-tree';

export interface InvariantViolation {
  invariant: string;
  component: string;
  message: string;
}

/** Every invariant this module checks, with the statement of §8 it comes from. */
export const INVARIANTS = {
  'gpt-gst': '§8.2: UNDELEGATED ⇔ the granule is in its home PAS (NS, or the configured SECURE/ROOT); every other GST state ⇔ PAS REALM; MMIO is never delegated',
  'content-kind': 'well-formedness: RD granules hold an RD, REC granules a REC, RTT granules an RTT, all others data words',
  'delegated-zero': '§8.1: DELEGATED granules are zero-filled',
  'data-owner': '§8.3: every DATA granule is mapped by exactly one ASSIGNED entry of exactly one realm',
  'rtt-parent': '§8.3: every RTT granule has exactly one parent: a TABLE entry, or the root list of exactly one RD',
  'aux-owner': '§8.3: every REC_AUX granule belongs to exactly one REC; a REC has exactly REC_AUX_COUNT aux granules',
  'rec-owner': '§8.3: every REC belongs to an RD',
  'rtt-states': '§8.4: the PAR holds only UNASSIGNED/ASSIGNED/TABLE, the unprotected half only UNASSIGNED_NS/ASSIGNED_NS/TABLE; ASSIGNED maps DATA (level 3, or aligned runs at levels 1-2)',
  refcount: '§8.5: RD refcount = #RECs; RTT refcount = #live entries; REC refcount = 1 iff RUNNING; all others 0',
  vmid: '§8.6: VMIDs are unique among live realms and `vmids` maps exactly the live realms',
  'rec-index': '§8.6: REC indices of a realm are distinct and below its rec_index',
  mpidr: '§8.6: MPIDRs are unique per realm and encode the REC index',
  'rtt-level': '§5: a root RTT is at the realm start level (and there are as many as its geometry needs); a child RTT is one level below its parent',
  'rec-cpu': '§8.9: a RUNNING REC runs on exactly one CPU, and not in a NEW realm; a CPU in realm mode runs a RUNNING REC',
  'ns-entries': '§5/§6 RTT_MAP_UNPROTECTED: UNASSIGNED and UNASSIGNED_NS entries carry no output address or attributes; an ASSIGNED_NS entry keeps only what the host may set: MemAttr [4:2]/S2AP (not the reserved MemAttr) and an output address below 2^48 (2^52 with LPA2)',
  'block-aligned': '§5: an ASSIGNED_NS block (above level 3) maps an output address aligned to its size, and there are no level-0 blocks (ASSIGNED blocks: rtt-states)',
} as const;
export type InvariantName = keyof typeof INVARIANTS;

const CONTENT_KIND: Record<GranuleState, Content['kind']> = {
  UNDELEGATED: 'words', DELEGATED: 'words', DATA: 'words', REC_AUX: 'words', RD: 'rd', REC: 'rec', RTT: 'rtt',
};

/** Per configuration, once: the PAS every granule has while UNDELEGATED, and which granules are MMIO. */
interface Home { readonly pas: readonly Pas[]; readonly mmio: readonly boolean[] }
const homes = new WeakMap<Config, Home>();
function homeOf(cfg: Config): Home {
  let h = homes.get(cfg);
  if (!h) {
    const secure = new Set(cfg.secureGranules);
    const root = new Set(cfg.rootGranules);
    const pas: Pas[] = [];
    const mmio: boolean[] = [];
    for (let i = 0; i < cfg.granules; i++) {
      pas.push(secure.has(i) ? 'SECURE' : root.has(i) ? 'ROOT' : 'NS');
      mmio.push(isMmio(cfg, i));
    }
    h = { pas, mmio };
    homes.set(cfg, h);
  }
  return h;
}

/**
 * Per RTT object (immutable, shared between successive states): its live-entry count and the indices
 * of the entries that need a closer look — everything except UNASSIGNED in the PAR and UNASSIGNED_NS
 * outside it. Valid for one (base IPA, level, PAR boundary), which is stored with it.
 */
interface TableScan { readonly base: number; readonly level: number; readonly par: number; readonly live: number; readonly others: readonly number[] }
const scans = new WeakMap<Rtt, TableScan>();
/** Unprotected entry objects checked and found fine, with the place they had (tables rewritten for one
 * entry keep the other entries' objects). */
const nsEntryFine = new WeakMap<RttEntry, { readonly ipa: number; readonly tag: number }>();

function scanTable(t: Rtt, base: number, level: number, par: number): TableScan {
  const c = scans.get(t);
  if (c && c.base === base && c.level === level && c.par === par) return c;
  const size = levelSize(level);
  let live = 0;
  const others: number[] = [];
  for (let j = 0; j < RTT_ENTRIES; j++) {
    const e = t.entries[j];
    if (isLive(e)) live++;
    const ipa = base + j * size;
    const bare = e.addr === 0 && e.attrs === 0n;
    if (bare && ((e.hipas === 'UNASSIGNED' && ipa < par) || (e.hipas === 'UNASSIGNED_NS' && ipa >= par))) continue;
    others.push(j);
  }
  const r = { base, level, par, live, others };
  scans.set(t, r);
  return r;
}

/** A Ref per granule index, valid only where its stamp is the current generation. */
class Marks {
  private readonly stamps: Float64Array;
  private readonly refs: (Ref | undefined)[];
  constructor(n: number) { this.stamps = new Float64Array(n); this.refs = new Array(n); }
  get(i: number, gen: number): Ref | undefined { return this.stamps[i] === gen ? this.refs[i] : undefined; }
  set(i: number, gen: number, r: Ref): void { this.stamps[i] = gen; this.refs[i] = r; }
}
/** Scratch marks per granule count (a check never runs inside another one). */
const scratch = new Map<number, { rtt: Marks; data: Marks; gen: number; next(): number }>();
function marksFor(n: number) {
  let m = scratch.get(n);
  if (!m) {
    m = { rtt: new Marks(n), data: new Marks(n), gen: 0, next() { return ++this.gen; } };
    scratch.set(n, m);
  }
  return m;
}

/** Hex of a model address (a number) or a 64-bit value. */
const hx = (v: number | bigint): string =>
  typeof v === 'bigint' ? hex(v) : Number.isSafeInteger(v) && v >= 0 ? '0x' + v.toString(16) : String(v);
export const granuleComponent = (pa: number): string => `granule ${hx(pa)}`;
export const entryComponent = (rd: number, ipa: number, level: number): string => `realm ${hx(rd)} ipa ${hx(ipa)} level ${level}`;

/**
 * Where an RTT or DATA granule is referenced from. Kept as data and turned into text only when a
 * violation is reported (no strings or closures are built on the hot path).
 */
type Ref = { readonly kind: 'root'; readonly rd: number; readonly r: number } | { readonly kind: 'entry'; readonly rd: number; readonly ipa: number; readonly level: number };
const refComponent = (x: Ref): string => (x.kind === 'root' ? granuleComponent(x.rd) : entryComponent(x.rd, x.ipa, x.level));
const refText = (x: Ref): string => (x.kind === 'root' ? `root ${x.r} of realm ${hx(x.rd)}` : `the entry at ${entryComponent(x.rd, x.ipa, x.level)}`);

type Report = (invariant: InvariantName, component: string, message: string) => void;

/**
 * One RTT entry at its place in a realm's tree: the per-entry rules of §8.4 (rtt-states), §5 and §6
 * (ns-entries, block-aligned). Reports what it breaks when given `report` (message arguments are
 * evaluated only then). The full walk and the incremental tree (rtt-tree.ts) both classify with it.
 */
export function classifyEntry(e: RttEntry, ipa: number, level: number, tablePa: number, p: Place, report?: Report): EntryKind {
  // Entries UNASSIGNED in the PAR or UNASSIGNED_NS outside it, with nothing else set, are fine anywhere.
  if (e.addr === 0 && e.attrs === 0n && ((e.hipas === 'UNASSIGNED' && ipa < p.par) || (e.hipas === 'UNASSIGNED_NS' && ipa >= p.par))) return 'fine';
  const at = () => entryComponent(p.rdPa, ipa, level);
  if (ipa >= p.limit) {
    report?.('rtt-states', at(), `${e.hipas} entry in RTT ${hx(tablePa)} beyond the IPA width (${hx(p.limit)}): only UNASSIGNED_NS may lie there`);
    return 'bad';
  }
  switch (e.hipas) {
    case 'UNASSIGNED':
    case 'ASSIGNED': {
      if (ipa >= p.par) return report?.('rtt-states', at(), `${e.hipas} entry in RTT ${hx(tablePa)} in the unprotected half (PAR ends at ${hx(p.par)})`), 'bad';
      if (e.hipas === 'UNASSIGNED') return report?.('ns-entries', at(), `UNASSIGNED entry in RTT ${hx(tablePa)} carries output address ${hx(e.addr)} / attributes ${hx(e.attrs)}`), 'bad';
      // ASSIGNED in the PAR: a DATA page (level 3) or an aligned block (levels 1-2) inside the PA range.
      if (level < 1 || level > 3) return report?.('rtt-states', at(), `ASSIGNED entry at level ${level}: blocks exist only at levels 1-2`), 'bad';
      const size = levelSize(level);
      if (e.addr % size !== 0) return report?.('rtt-states', at(), `ASSIGNED level-${level} entry maps ${hx(e.addr)}, not aligned to its size ${hx(size)}`), 'bad';
      if (!(e.addr >= 0) || e.addr + size > p.paEnd) return report?.('rtt-states', at(), `ASSIGNED level-${level} entry maps [${hx(e.addr)}, ${hx(e.addr + size)}), beyond the PA range`), 'bad';
      return 'data';
    }
    case 'UNASSIGNED_NS':
    case 'ASSIGNED_NS': {
      if (ipa < p.par) return report?.('rtt-states', at(), `${e.hipas} entry in RTT ${hx(tablePa)} in the protected half (PAR ends at ${hx(p.par)})`), 'bad';
      const tag = level * 2 + (p.lpa2 ? 1 : 0);
      const fine = nsEntryFine.get(e);
      if (fine?.ipa === ipa && fine.tag === tag) return 'fine';
      let bad = false;
      checkNs(e, level, p.lpa2, (i, c, m) => ((bad = true), report?.(i, c, m)), at);
      if (!bad) nsEntryFine.set(e, { ipa, tag });
      return bad ? 'bad' : 'fine';
    }
    case 'TABLE':
      if (level >= 3) return report?.('rtt-states', at(), `TABLE entry in RTT ${hx(tablePa)} at level 3`), 'bad';
      return 'table';
    default:
      return report?.('rtt-states', at(), `entry in RTT ${hx(tablePa)} has unknown state ${String((e as RttEntry).hipas)}`), 'bad';
  }
}

/** An entry of the unprotected half: only the host's attributes and an aligned output address (§5, §6 RTT_MAP_UNPROTECTED). */
function checkNs(e: RttEntry, level: number, lpa2: boolean, violation: Report, at: () => string): void {
  if (e.hipas === 'UNASSIGNED_NS') return violation('ns-entries', at(), `UNASSIGNED_NS entry carries output address ${hx(e.addr)} / attributes ${hx(e.attrs)}`);
  // MemAttr [4:2] (FEAT_S2FWB; 0b100 reserved) and S2AP [7:6]: TF-RMM host_ns_s2tte_is_valid.
  if ((e.attrs & ~0xdcn) !== 0n || ((e.attrs >> 2n) & 7n) === 4n) violation('ns-entries', at(), `ASSIGNED_NS entry has attributes ${hx(e.attrs)}: only MemAttr/S2AP, and not the reserved MemAttr, come from the host`);
  const paBits = lpa2 ? 52 : 48;
  if (!(e.addr >= 0) || e.addr >= 2 ** paBits) violation('ns-entries', at(), `ASSIGNED_NS entry maps ${hx(e.addr)}, beyond 2^${paBits}`);
  if (level < 1) violation('block-aligned', at(), `ASSIGNED_NS block at level ${level}: blocks exist only at levels 1-2`);
  else if (e.addr % levelSize(level) !== 0) violation('block-aligned', at(), `ASSIGNED_NS level-${level} entry maps ${hx(e.addr)}, not aligned to its size ${hx(levelSize(level))}`);
}

/**
 * Which granules to look at: `scan` gets the per-granule checks (GPT/GST, content kind, DELEGATED
 * zero, plain refcounts); `live` lists the granules the structural checks start from, by state
 * (only those whose content is of their state's kind). By default every granule is scanned and
 * filed in the same pass; InvariantChecker passes what changed and keeps the lists.
 */
export interface Focus {
  readonly scan: Iterable<number>;
  readonly live: LiveGranules;
  /**
   * Which structural checks can have changed their answer (all by default): `realms` the VMIDs and
   * roots of each RD, `tree` the RTT trees and DATA mapping, `recs` the RECs, their aux granules and
   * the CPUs. InvariantChecker leaves out a group only after a state that broke nothing, when the step
   * changed nothing the group reads (READ_BY, below InvariantChecker).
   */
  readonly sections?: Sections;
  /** The RTT trees kept from the previous state (told of the changed granules): the walk runs only if it finds a fault. */
  readonly tree?: RttTree;
}
/** The structural checks in three groups (Focus.sections). */
export interface Sections { readonly realms: boolean; readonly tree: boolean; readonly recs: boolean }
const ALL: Sections = { realms: true, tree: true, recs: true };

/** Granule indices by state. DATA granules only as a count: the walk marks every one it reaches,
 * and a count that differs from the marks is what sends the check through all granules to name them. */
export interface LiveGranules {
  readonly rds: Iterable<number>;
  readonly recs: Iterable<number>;
  readonly rtts: ReadonlySet<number>;
  readonly auxes: Iterable<number>;
  readonly datas: number;
}

/** The live granules by state, filed one granule at a time (a full pass, or a step's differences). */
class Live implements LiveGranules {
  readonly rds = new Set<number>();
  readonly recs = new Set<number>();
  readonly rtts = new Set<number>();
  readonly auxes = new Set<number>();
  private readonly data = new Set<number>();
  get datas(): number { return this.data.size; }
  clear(): void { for (const x of [this.rds, this.recs, this.rtts, this.auxes, this.data]) x.clear(); }
  /** Files granule i under its state (only if its content is of that state's kind). */
  put(i: number, g: Granule): void {
    this.rds.delete(i), this.recs.delete(i), this.rtts.delete(i), this.auxes.delete(i), this.data.delete(i);
    if (g.content.kind !== CONTENT_KIND[g.state]) return;
    if (g.state === 'RD') this.rds.add(i);
    else if (g.state === 'REC') this.recs.add(i);
    else if (g.state === 'RTT') this.rtts.add(i);
    else if (g.state === 'REC_AUX') this.auxes.add(i);
    else if (g.state === 'DATA') this.data.add(i);
  }
}

export function checkInvariants(s: RealState, focus?: Focus): InvariantViolation[] {
  const out: InvariantViolation[] = [];
  // Arguments are evaluated only when a violation is found: component strings cost nothing otherwise.
  const violation = (invariant: InvariantName, component: string, message: string) => out.push({ invariant, component, message });
  const cfg = s.cfg;
  const home = homeOf(cfg);
  const n = s.granules.size;

  /** The granule at a PA, or undefined if the PA is not a granule address of the model. */
  const at = (pa: number): Granule | undefined =>
    Number.isInteger(pa) && pa >= 0 && pa % GRANULE_SIZE === 0 && pa / GRANULE_SIZE < n ? pget(s.granules, pa / GRANULE_SIZE) : undefined;
  const describe = (pa: number): string => {
    const g = at(pa);
    return g ? `${hx(pa)} (${g.state})` : `${hx(pa)} (not a granule)`;
  };

  // ---- 1. One pass over the granules: GPT/GST agreement, content kinds, DELEGATED zero, plain refcounts.
  const scanned = new Set<number>();
  const perGranule = (g: Granule, i: number, pa: number) => {
    if (g.state === 'UNDELEGATED') {
      if (g.pas !== home.pas[i]) violation('gpt-gst', granuleComponent(pa), `UNDELEGATED granule has PAS ${g.pas}, expected ${home.pas[i]}`);
    } else {
      if (g.pas !== 'REALM') violation('gpt-gst', granuleComponent(pa), `${g.state} granule has PAS ${g.pas}, expected REALM`);
      if (home.mmio[i]) violation('gpt-gst', granuleComponent(pa), `MMIO granule is ${g.state}: MMIO is never delegable`);
      else if (home.pas[i] !== 'NS') violation('gpt-gst', granuleComponent(pa), `${home.pas[i]} granule is ${g.state}: ${home.pas[i]} memory is never delegable`);
    }
    if (g.content.kind !== CONTENT_KIND[g.state]) {
      violation('content-kind', granuleComponent(pa), `${g.state} granule holds ${g.content.kind === 'words' ? 'data words' : `an ${g.content.kind.toUpperCase()} object`}`);
      return;
    }
    switch (g.state) {
      case 'RD':
      case 'REC':
      case 'RTT':
        return; // refcounts checked against RECs / live entries below
      case 'DATA':
      case 'REC_AUX':
        break;
      case 'DELEGATED': {
        if (g.content.kind !== 'words') break;
        for (const [k, v] of g.content.words) {
          if (v !== 0n) {
            violation('delegated-zero', granuleComponent(pa), `DELEGATED granule holds non-zero word ${k} = ${hx(v)}`);
            break;
          }
        }
        break;
      }
      case 'UNDELEGATED': break;
    }
    if (g.refcount !== 0) violation('refcount', granuleComponent(pa), `${g.state} granule has refcount ${g.refcount}, expected 0`);
  };
  let live: LiveGranules;
  if (focus) {
    for (const i of focus.scan) if (!scanned.has(i) && i >= 0 && i < n) scanned.add(i), perGranule(pget(s.granules, i), i, i * GRANULE_SIZE);
    live = focus.live;
  } else {
    const all = new Live();
    for (let i = 0; i < n; i++) {
      const g = pget(s.granules, i);
      perGranule(g, i, i * GRANULE_SIZE);
      all.put(i, g);
    }
    live = all;
  }
  const pas = (xs: Iterable<number>) => Array.from(xs, (i) => i * GRANULE_SIZE);
  const sections = focus?.sections ?? ALL;
  if (!sections.realms && !sections.tree && !sections.recs) return out;
  // (RTTs as a count: only the full walk, when the tree finds a fault, goes through them.)
  const rds = pas(live.rds), recs = sections.recs ? pas(live.recs) : [], auxes = sections.recs ? pas(live.auxes) : [];

  // ---- 2. Each realm: VMID, root RTTs, then its RTT tree.
  // RTT granule -> its one parent, DATA granule -> the entry mapping it: marks by granule index,
  // valid for this call's generation (no maps to build and grow on every step).
  const marks = marksFor(n);
  const gen = marks.next();
  const rttParent = marks.rtt, dataRef = marks.data;
  const byVmid = new Map<number, number>();
  const rdOf = (pa: number) => (at(pa) as Granule).content as Rd;
  let mapped = 0; // distinct DATA granules (words content) the walk found mapped

  /** Registers `pa` as an RTT with the parent `parent`; false if it must not be walked (again). */
  const adoptRtt = (pa: number, parent: Ref, level: number): boolean => {
    const g = at(pa);
    if (!g || g.state !== 'RTT' || g.content.kind !== 'rtt') {
      violation('rtt-parent', refComponent(parent), `${refText(parent)} points to granule ${describe(pa)}, not an RTT`);
      return false;
    }
    const prev = rttParent.get(pa / GRANULE_SIZE, gen);
    if (prev !== undefined) {
      violation('rtt-parent', granuleComponent(pa), `RTT has two parents: ${refText(prev)} and ${refText(parent)}`);
      return false;
    }
    rttParent.set(pa / GRANULE_SIZE, gen, parent);
    if (g.content.level !== level) violation('rtt-level', granuleComponent(pa), `RTT is at level ${g.content.level}, expected ${level} (child of ${refText(parent)})`);
    return true;
  };

  /** An ASSIGNED entry in the PAR (aligned, in the PA range): maps a run of DATA granules, each mapped only here. */
  const checkAssigned = (ref: Ref & { kind: 'entry' }, e: RttEntry) => {
    for (let pa = e.addr; pa < e.addr + levelSize(ref.level); pa += GRANULE_SIZE) {
      const g = at(pa) as Granule;
      if (g.state !== 'DATA') return violation('rtt-states', refComponent(ref), `ASSIGNED entry maps granule ${hx(pa)} in state ${g.state}, not DATA`);
      const prev = dataRef.get(pa / GRANULE_SIZE, gen);
      if (prev !== undefined) violation('data-owner', granuleComponent(pa), `DATA granule is mapped twice: by ${refText(prev)} and by ${refText(ref)}`);
      else {
        dataRef.set(pa / GRANULE_SIZE, gen, ref);
        if (g.content.kind === 'words') mapped++; // counted as the live lists count DATA granules
      }
    }
  };

  const walkTable = (place: Place, pa: number, level: number, base: number) => {
    const g = at(pa) as Granule;
    const t = g.content as Rtt;
    const size = levelSize(level);
    // The scan (cached per RTT object) lists the entries that are not trivially fine.
    const { live, others } = scanTable(t, base, level, place.par);
    for (const j of others) {
      const e = t.entries[j];
      const ipa = base + j * size;
      const k = classifyEntry(e, ipa, level, pa, place, violation);
      if (k === 'data') checkAssigned({ kind: 'entry', rd: place.rdPa, ipa, level }, e);
      else if (k === 'table' && adoptRtt(e.addr, { kind: 'entry', rd: place.rdPa, ipa, level }, level + 1)) walkTable(place, e.addr, level + 1, ipa);
    }
    if (g.refcount !== live) violation('refcount', granuleComponent(pa), `RTT refcount is ${g.refcount}, but it has ${live} live entries (ASSIGNED + TABLE)`);
  };

  if (sections.realms) for (const rdPa of rds) {
    const rd = rdOf(rdPa);
    // VMIDs.
    if (!Number.isInteger(rd.vmid) || rd.vmid < 0 || rd.vmid >= 2 ** cfg.vmidBits) violation('vmid', granuleComponent(rdPa), `realm VMID ${rd.vmid} is out of range (${cfg.vmidBits} bits)`);
    const other = byVmid.get(rd.vmid);
    if (other !== undefined) violation('vmid', granuleComponent(rdPa), `VMID ${rd.vmid} is also used by realm ${hx(other)}`);
    else byVmid.set(rd.vmid, rdPa);
    const mapped = s.vmids.get(rd.vmid);
    if (mapped !== rdPa) violation('vmid', granuleComponent(rdPa), `vmids maps VMID ${rd.vmid} to ${mapped === undefined ? 'nothing' : hx(mapped)}, not to this realm`);
    // Roots.
    const roots = rootCount(rd.ipaWidth, rd.rttLevelStart);
    if (roots !== rd.rttNumStart)
      violation('rtt-level', granuleComponent(rdPa), `realm has ${rd.rttNumStart} root RTTs; IPA width ${rd.ipaWidth} at start level ${rd.rttLevelStart} needs ${roots}`);
  }
  // The RTT trees: the incremental tree's "all hold" stands for the walk; otherwise the walk names what breaks.
  if (sections.tree && !focus?.tree?.update(s, rds, live.rtts.size, live.datas)) {
    for (const rdPa of rds) {
      const rd = rdOf(rdPa);
      const place = placeOf(rdPa, rd, n);
      const rootSpan = RTT_ENTRIES * levelSize(rd.rttLevelStart);
      for (let r = 0; r < rd.rttNumStart; r++) {
        const root = rd.rttBase + r * GRANULE_SIZE;
        if (adoptRtt(root, { kind: 'root', rd: rdPa, r }, rd.rttLevelStart)) walkTable(place, root, rd.rttLevelStart, r * rootSpan);
      }
    }
    for (const pa of pas(live.rtts)) if (rttParent.get(pa / GRANULE_SIZE, gen) === undefined) violation('rtt-parent', granuleComponent(pa), 'RTT granule has no parent: neither a root of a realm nor under a TABLE entry');
    // Every DATA granule mapped: the marked ones are distinct DATA granules, so equal counts mean all.
    const datas: number[] = [];
    if (mapped !== live.datas)
      for (let i = 0; i < n; i++) {
        const g = pget(s.granules, i);
        if (g.state === 'DATA' && g.content.kind === 'words') datas.push(i * GRANULE_SIZE);
      }
    for (const pa of datas) if (dataRef.get(pa / GRANULE_SIZE, gen) === undefined) violation('data-owner', granuleComponent(pa), 'DATA granule is not mapped by any RTT entry');
  }
  if (sections.realms) for (const [vmid, pa] of s.vmids) {
    if (byVmid.get(vmid) !== pa) violation('vmid', `vmid ${vmid}`, `vmids maps VMID ${vmid} to ${describe(pa)}, which is not a live realm with that VMID`);
  }

  // ---- 3. RECs: owner, aux granules, refcount, index, MPIDR.
  if (!sections.recs) return out;
  const inFlight = new Set<number>();
  for (const c of s.cpus) if (c.mode.kind === 'micro') inFlight.add(c.mode.rd);
  const recsOf = new Map<number, number[]>(); // RD PA -> its RECs' PAs
  const auxOwner = new Map<number, number>();
  for (const recPa of recs) {
    const g = at(recPa) as Granule;
    const rec = g.content as Rec;
    const owner = at(rec.owner);
    // A REC whose REC_DESTROY handler is in flight may outlive its RD only if it already left the REC
    // list (checked when REALM_DESTROY completes: the permutation condition's consequence).
    // It is not counted in its realm's REC list either: it has left it, or is leaving.
    if (rec.destroying) {
      // no owner checks
    } else if (!owner || owner.state !== 'RD' || owner.content.kind !== 'rd') {
      violation('rec-owner', granuleComponent(recPa), `REC's owner ${describe(rec.owner)} is not an RD`);
    } else {
      const list = recsOf.get(rec.owner);
      if (list) list.push(recPa);
      else recsOf.set(rec.owner, [recPa]);
    }
    if (rec.aux.length !== cfg.recAuxCount) violation('aux-owner', granuleComponent(recPa), `REC has ${rec.aux.length} aux granules, REC_AUX_COUNT is ${cfg.recAuxCount}`);
    for (const a of rec.aux) {
      const ag = at(a);
      if (!ag || ag.state !== 'REC_AUX') violation('aux-owner', granuleComponent(recPa), `REC's aux granule ${describe(a)} is not REC_AUX`);
      else if (auxOwner.has(a)) violation('aux-owner', granuleComponent(a), `REC_AUX granule belongs to two RECs: ${hx(auxOwner.get(a)!)} and ${hx(recPa)}`);
      else auxOwner.set(a, recPa);
    }
    const want = rec.state === 'RUNNING' ? 1 : 0;
    if (g.refcount !== want) violation('refcount', granuleComponent(recPa), `${rec.state} REC has refcount ${g.refcount}, expected ${want}`);
  }
  for (const a of auxes) if (!auxOwner.has(a)) violation('aux-owner', granuleComponent(a), 'REC_AUX granule belongs to no REC');

  for (const rdPa of rds) {
    const rd = rdOf(rdPa);
    const list = recsOf.get(rdPa) ?? [];
    const g = at(rdPa) as Granule;
    // While a REC_CREATE / REC_DESTROY handler of this realm is in flight the count is in transit.
    if (g.refcount !== list.length && !inFlight.has(rdPa)) violation('refcount', granuleComponent(rdPa), `RD refcount is ${g.refcount}, but the realm has ${list.length} RECs`);
    const byIndex = new Map<number, number>();
    const byMpidr = new Map<bigint, number>();
    for (const recPa of list) {
      const rec = (at(recPa) as Granule).content as Rec;
      if (!(rec.index >= 0 && rec.index < rd.recIndex)) violation('rec-index', granuleComponent(recPa), `REC index ${rec.index} is not below the realm's rec_index ${rd.recIndex}`);
      const i = byIndex.get(rec.index);
      if (i !== undefined) violation('rec-index', granuleComponent(recPa), `REC index ${rec.index} is also used by REC ${hx(i)}`);
      else byIndex.set(rec.index, recPa);
      const m = byMpidr.get(rec.mpidr);
      if (m !== undefined) violation('mpidr', granuleComponent(recPa), `MPIDR ${hx(rec.mpidr)} is also used by REC ${hx(m)}`);
      else byMpidr.set(rec.mpidr, recPa);
      if (mpidrToIndex(rec.mpidr) !== rec.index) violation('mpidr', granuleComponent(recPa), `MPIDR ${hx(rec.mpidr)} does not encode the REC index ${rec.index}`);
    }
  }

  // ---- 4. CPUs and running RECs.
  const cpusOf = new Map<number, number[]>();
  s.cpus.forEach((c, i) => {
    if (c.mode.kind !== 'realm') return;
    const recPa = c.mode.rec;
    const g = at(recPa);
    if (!g || g.state !== 'REC' || g.content.kind !== 'rec') return violation('rec-cpu', `cpu ${i}`, `CPU is in realm mode on granule ${describe(recPa)}, not a REC`);
    if (g.content.state !== 'RUNNING') violation('rec-cpu', `cpu ${i}`, `CPU is in realm mode on REC ${hx(recPa)}, which is ${g.content.state}`);
    const list = cpusOf.get(recPa);
    if (list) list.push(i);
    else cpusOf.set(recPa, [i]);
  });
  for (const recPa of recs) {
    const rec = (at(recPa) as Granule).content as Rec;
    if (rec.state !== 'RUNNING') continue;
    const owner = at(rec.owner);
    if (owner && owner.content.kind === 'rd' && owner.content.state === 'NEW') violation('rec-cpu', granuleComponent(recPa), `REC is RUNNING but its realm ${hx(rec.owner)} is NEW`);
    const on = cpusOf.get(recPa) ?? [];
    if (on.length !== 1) violation('rec-cpu', granuleComponent(recPa), `RUNNING REC is on ${on.length} CPUs${on.length ? ` (${on.join(', ')})` : ''}, expected exactly 1`);
  }
  return out;
}

/** One line per violation, for failure messages. */
export function formatViolations(vs: readonly InvariantViolation[]): string {
  return vs.map((v) => `${v.invariant} ${v.component}: ${v.message}`).join('\n');
}

/**
 * Invariants checked incrementally along a trace: per-granule checks only on granules that changed
 * (by identity, thanks to structural sharing), structural checks from the live granules by state,
 * kept up to date from the same differences, and the RTT trees kept by an RttTree (rtt-tree.ts), which
 * re-reads only the tables a step replaced; the full walk runs only when the tree finds a fault, to name
 * it. So a step costs what it changed: neither the granule count nor the pages a realm holds.
 */
const fullyChecked = new WeakMap<RealState, { live: number[]; violations: InvariantViolation[] }>();

export class InvariantChecker {
  private prev: RealState | null = null;
  private readonly live = new Live();
  private tree: RttTree | null = null;
  /** The last state checked broke nothing (what lets a step skip the groups it cannot affect). */
  private clean = false;

  check(s: RealState): InvariantViolation[] {
    const out = this.run(s);
    this.clean = out.length === 0;
    return out;
  }

  private run(s: RealState): InvariantViolation[] {
    if (!this.prev || this.prev.cfg !== s.cfg) {
      // A full check, remembered per state object: every trace starts from the same initial state.
      let full = fullyChecked.get(s);
      if (!full) {
        const live: number[] = [];
        for (let i = 0; i < s.granules.size; i++) if (pget(s.granules, i).state !== 'UNDELEGATED') live.push(i);
        full = { live, violations: checkInvariants(s) };
        fullyChecked.set(s, full);
      }
      this.live.clear();
      for (const i of full.live) this.live.put(i, pget(s.granules, i));
      this.prev = s;
      this.tree = new RttTree(s.granules.size, classifyEntry);
      this.tree.update(s, Array.from(this.live.rds, (i) => i * GRANULE_SIZE), this.live.rtts.size, this.live.datas);
      return full.violations;
    }
    const changed: number[] = [];
    // Which groups of structural checks the step can affect: those that read a granule whose state,
    // refcount or metadata object changed (in its state before or after), the CPU modes or the VMIDs.
    // A step that changed only data words (a realm store, a host write) affects none of them.
    let touched = 0;
    if (s.cpus !== this.prev.cpus && s.cpus.some((c, k) => c.mode !== this.prev!.cpus[k].mode)) touched |= RECS;
    if (s.vmids !== this.prev.vmids) touched |= REALMS;
    const tree = this.tree!;
    pdiff(this.prev.granules, s.granules, (i, a, b) => {
      changed.push(i);
      tree.granuleChanged(i, a, b);
      if (a.state !== b.state || a.refcount !== b.refcount || a.content.kind !== 'words' || b.content.kind !== 'words') {
        touched |= READ_BY[a.state] | READ_BY[b.state];
        this.live.put(i, b);
      }
    });
    this.prev = s;
    // After a state that broke something, every group runs (the reads above assume nothing points
    // where it must not).
    return checkInvariants(s, { scan: changed, live: this.live, sections: this.clean ? GROUPS[touched] : ALL, tree });
  }
}

const REALMS = 1, TREE = 2, RECS = 4;
/**
 * The groups that read a granule in each state, given a state that broke nothing: then no RD, REC,
 * RTT entry or CPU refers to a DELEGATED or UNDELEGATED granule, so those are read by none (only by
 * the per-granule checks, which run on every changed granule). The realms group reads RDs; the tree
 * reads RDs (roots), RTTs and DATA; the RECs group reads RECs, their aux granules and their RDs.
 */
const READ_BY: Record<GranuleState, number> = { UNDELEGATED: 0, DELEGATED: 0, RD: REALMS | TREE | RECS, RTT: TREE, DATA: TREE, REC: RECS, REC_AUX: RECS };
const GROUPS: readonly Sections[] = Array.from({ length: 8 }, (_, m) => ({ realms: (m & REALMS) !== 0, tree: (m & TREE) !== 0, recs: (m & RECS) !== 0 }));
