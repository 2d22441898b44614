// The structural RTT invariants (§8.3 data-owner and rtt-parent, §8.4 rtt-states, §8.5 RTT refcounts,
// §5 rtt-level, ns-entries, block-aligned) kept from one step to the next, so that a step costs what
// it changed, not what the realms hold. A DATA_CREATE into a realm with 512 pages re-reads one table's
// 512 entry pointers, not the 512 pages.
//
// The tree keeps, per reachable table, what its entries claim: the DATA granules its ASSIGNED entries
// map, its child tables, its live-entry count and how many of its entries break a per-entry rule.
// Claims are counted per granule, so "no DATA granule mapped twice", "every mapped granule is DATA" and
// "every DATA granule is mapped" are three counters. `update` answers only "all of these hold": when
// one does not, the full walk of checkInvariants runs and names the violations. So the tree decides
// nothing on its own but a verdict of "no violation", and test/cca/incremental-invariants.test.ts
// checks that verdict against the full walk after every step of faithful and faulty traces.
//
// What an entry is at its place (fine, bad, data, table) comes from the invariants' own per-entry
// rule (`classify`), the one the full walk reports from: the two cannot disagree on an entry.

import { GRANULE_SIZE } from '../../model/bits';
import { pget } from '../../model/pvec';
import { RTT_ENTRIES, ipaLimit, levelSize, parBoundary } from '../../real/cca/rtt';
import type { Granule, RealState, Rd, Rtt, RttEntry } from '../../real/cca/state';

/** Where a table sits: its realm, the realm's IPA layout and the model's PA range. */
export interface Place {
  readonly rdPa: number;
  readonly par: number;
  readonly limit: number;
  readonly lpa2: boolean;
  /** End of the model's PA range (granules × 4 KB). */
  readonly paEnd: number;
}
export const placeOf = (rdPa: number, rd: Rd, granules: number): Place => ({
  rdPa, par: parBoundary(rd), limit: ipaLimit(rd), lpa2: rd.features?.lpa2 === true, paEnd: granules * GRANULE_SIZE,
});

/** An entry at its place: breaks a per-entry rule, maps DATA (a run of granules), points to a child table, or is fine. */
export type EntryKind = 'fine' | 'bad' | 'data' | 'table';
export type Classify = (e: RttEntry, ipa: number, level: number, tablePa: number, p: Place) => EntryKind;

/** One reachable table, as the tree last saw it. Mutated in place when the table object changes. */
interface Inst {
  readonly pa: number;
  t: Rtt;
  readonly place: Place;
  readonly level: number;
  readonly base: number;
  bad: number;
  live: number;
  /** Entries of kind 'data' (a table without any has nothing to release when dropped). */
  datas: number;
  tables: number[];
  gen: number;
}

const isDataWords = (g: Granule): boolean => g.state === 'DATA' && g.content.kind === 'words';

export class RttTree {
  /** ASSIGNED entries mapping each granule (by index). */
  private readonly claims: Int32Array;
  /** Granules claimed twice or more; claimed granules not DATA; claimed DATA granules holding data words. */
  private multi = 0;
  private notData = 0;
  private dataWords = 0;
  private readonly insts = new Map<number, Inst>();
  /** Generation in which each granule was reached as a table (two parents: reached twice). */
  private readonly reachedAt: Float64Array;
  private gen = 0;
  private reached = 0;
  private ok = true;

  constructor(private readonly n: number, private readonly classify: Classify) {
    this.claims = new Int32Array(n);
    this.reachedAt = new Float64Array(n);
  }

  /** Granule i changed from a to b since the last call; call for every changed granule before `update`. */
  granuleChanged(i: number, a: Granule, b: Granule): void {
    if (this.claims[i] === 0) return;
    this.notData += (b.state !== 'DATA' ? 1 : 0) - (a.state !== 'DATA' ? 1 : 0);
    this.dataWords += (isDataWords(b) ? 1 : 0) - (isDataWords(a) ? 1 : 0);
  }

  /**
   * Brings the tree up to `s` from the realms `rds`, and tells whether every structural RTT invariant
   * holds: every entry fine at its place, every table reached once at its level with a refcount equal to
   * its live entries, every RTT granule reached (`rtts` of them), every mapped granule DATA and mapped
   * once, and every DATA granule holding words mapped (`datas` of them).
   */
  update(s: RealState, rds: Iterable<number>, rtts: number, datas: number): boolean {
    const gen = ++this.gen;
    this.reached = 0;
    this.ok = true;
    for (const rdPa of rds) {
      const rd = pget(s.granules, rdPa / GRANULE_SIZE).content as Rd;
      const place = placeOf(rdPa, rd, this.n);
      const span = RTT_ENTRIES * levelSize(rd.rttLevelStart);
      for (let r = 0; r < rd.rttNumStart; r++) this.visit(s, rd.rttBase + r * GRANULE_SIZE, rd.rttLevelStart, r * span, place, gen);
    }
    for (const [pa, inst] of this.insts) if (inst.gen !== gen) this.drop(s, inst), this.insts.delete(pa);
    return this.ok && this.multi === 0 && this.notData === 0 && this.dataWords === datas && this.reached === rtts;
  }

  private visit(s: RealState, pa: number, level: number, base: number, place: Place, gen: number): void {
    const i = pa / GRANULE_SIZE;
    const g = Number.isInteger(i) && i >= 0 && i < this.n ? pget(s.granules, i) : undefined;
    if (!g || g.state !== 'RTT' || g.content.kind !== 'rtt' || this.reachedAt[i] === gen) {
      this.ok = false; // not an RTT, or a second parent: the full walk names it
      return;
    }
    this.reachedAt[i] = gen;
    this.reached++;
    const t = g.content;
    if (t.level !== level) this.ok = false;
    let inst = this.insts.get(pa);
    if (inst && !(inst.level === level && inst.base === base && samePlace(inst.place, place))) {
      this.drop(s, inst);
      inst = undefined;
    }
    if (!inst) {
      inst = this.fresh(s, pa, t, level, base, place);
      this.insts.set(pa, inst);
    } else if (inst.t !== t) this.patch(s, inst, t);
    inst.gen = gen;
    if (inst.bad > 0 || g.refcount !== inst.live) this.ok = false;
    const size = levelSize(level);
    for (const j of inst.tables) this.visit(s, t.entries[j].addr, level + 1, base + j * size, place, gen);
  }

  private fresh(s: RealState, pa: number, t: Rtt, level: number, base: number, place: Place): Inst {
    const inst: Inst = { pa, t, place, level, base, bad: 0, live: 0, datas: 0, tables: [], gen: 0 };
    const entries = t.entries, size = levelSize(level);
    // A new table is mostly one entry object repeated (RTT_CREATE of an unassigned range): an entry
    // found fine is fine again at the next index on the same side of the PAR and of the IPA limit (all
    // a per-entry rule reads of the place), and a fine entry counts nothing.
    let last: RttEntry | null = null, lastSide = -1;
    for (let j = 0; j < RTT_ENTRIES; j++) {
      const e = entries[j];
      const ipa = base + j * size;
      const side = ipa < place.par ? 0 : ipa < place.limit ? 1 : 2;
      if (e === last && side === lastSide) continue;
      const k = this.enter(s, inst, j, e, 1);
      if (k === 'table') inst.tables.push(j);
      last = k === 'fine' ? e : null;
      lastSide = side;
    }
    return inst;
  }

  /** The table object changed: only entries that are different objects are reclassified. */
  private patch(s: RealState, inst: Inst, t: Rtt): void {
    const old = inst.t.entries, now = t.entries;
    let tables = false;
    for (let j = 0; j < RTT_ENTRIES; j++) {
      if (old[j] === now[j]) continue;
      tables = this.enter(s, inst, j, old[j], -1) === 'table' || tables;
      tables = this.enter(s, inst, j, now[j], 1) === 'table' || tables;
    }
    inst.t = t;
    if (tables) {
      inst.tables = [];
      for (let j = 0; j < RTT_ENTRIES; j++) if (now[j].hipas === 'TABLE' && this.kind(inst, j, now[j]) === 'table') inst.tables.push(j);
    }
  }

  private drop(s: RealState, inst: Inst): void {
    if (inst.datas > 0) for (let j = 0; j < RTT_ENTRIES; j++) this.enter(s, inst, j, inst.t.entries[j], -1);
  }

  private kind(inst: Inst, j: number, e: RttEntry): EntryKind {
    return this.classify(e, inst.base + j * levelSize(inst.level), inst.level, inst.pa, inst.place);
  }

  /** Adds (+1) or removes (-1) what entry j claims; returns its kind. */
  private enter(s: RealState, inst: Inst, j: number, e: RttEntry, d: 1 | -1): EntryKind {
    // The common entry, UNASSIGNED in the PAR with nothing else set, is fine without asking (as in classify).
    if (e.hipas === 'UNASSIGNED' && e.addr === 0 && e.attrs === 0n && inst.base + j * levelSize(inst.level) < inst.place.par) return 'fine';
    const k = this.kind(inst, j, e);
    if (e.hipas === 'ASSIGNED' || e.hipas === 'TABLE') inst.live += d;
    if (k === 'bad') inst.bad += d;
    else if (k === 'data') {
      inst.datas += d;
      const from = e.addr / GRANULE_SIZE, to = from + levelSize(inst.level) / GRANULE_SIZE;
      for (let i = from; i < to; i++) this.claim(s, i, d);
    }
    return k;
  }

  private claim(s: RealState, i: number, d: 1 | -1): void {
    const c = (this.claims[i] += d);
    const first = d === 1 ? c === 1 : c === 0; // the granule became, or stopped being, claimed
    const second = d === 1 ? c === 2 : c === 1;
    if (second) this.multi += d;
    if (first) {
      const g = pget(s.granules, i);
      if (g.state !== 'DATA') this.notData += d;
      else if (g.content.kind === 'words') this.dataWords += d;
    }
  }
}

const samePlace = (a: Place, b: Place): boolean =>
  a === b || (a.rdPa === b.rdPa && a.par === b.par && a.limit === b.limit && a.lpa2 === b.lpa2 && a.paEnd === b.paEnd);
