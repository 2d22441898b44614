// The simulation relation between the real machine and the ideal one (DESIGN.md "Properties"),
// checked incrementally: only granules, CPUs, exclusive pages and registers that changed (by object
// identity, thanks to structural sharing) since the previous step are compared.

import { hex } from '../../model/bits';
import { Observation } from '../../real/cca/actions';
import { pdiff, pget } from '../../model/pvec';
import { Words, wordsEqual } from '../../real/cca/types';
import { Granule, RealState, Rd, Rec, Rtt, RttEntry, contentWords, granuleAt } from '../../real/cca/state';
import { RTT_ENTRIES, inPar, levelSize } from '../../real/cca/rtt';
import { sameRttGeometry, tableEntries } from './oracles/world';
import { IdealState } from '../../ideal/cca/machine';
import { deepEqual, firstDifference } from '../diff';

import type { Violation } from '../../model/system';
export type { Violation };

/** Observation equality; the real machine may fault where the ideal returns a value, never the reverse. */
export function compareObservations(real: Observation, ideal: Observation): Violation | null {
  if (sameRmi(real, ideal) || deepEqual(real, ideal)) return null;
  const realFaults = (real.kind === 'host-read' || real.kind === 'dma-read') && real.fault !== undefined && ideal.kind === real.kind && ideal.fault === undefined;
  const realSea = real.kind === 'realm' && ideal.kind === 'realm' && real.event.sea === true && !ideal.event.sea && !real.exit && !ideal.exit;
  if (realFaults || realSea) return null;
  const d = firstDifference(real, ideal);
  if (!d) return null;
  return { property: 'Observation', component: `${describeObs(real)} ${d.path}`, detail: `real ${d.a}, ideal ${d.b}` };
}

/** The common case, quickly: two equal RMI results. */
function sameRmi(a: Observation, b: Observation): boolean {
  if (a.kind !== 'rmi' || b.kind !== 'rmi') return false;
  if (a.fid !== b.fid || a.x0 !== b.x0 || a.pending !== b.pending || a.failed !== b.failed || a.cpu !== b.cpu) return false;
  for (let i = 0; i < 4; i++) if (a.x[i] !== b.x[i]) return false;
  return a.x.length === b.x.length;
}

export function describeObs(o: Observation): string {
  switch (o.kind) {
    case 'rmi':
      return `RMI ${o.name ?? hex(o.fid)}`;
    case 'realm':
      return o.exit ? 'REC exit' : 'realm';
    default:
      return o.kind;
  }
}

/** Rel1 on one granule: everything but realm data (DATA content) and REC register files. */
function rel1Granule(r: Granule, w: Granule): string | null {
  if (r.pas === w.pas && r.state === w.state && r.refcount === w.refcount && sameContent(r, w)) return null;
  const d =
    firstDifference({ pas: r.pas, state: r.state, refcount: r.refcount }, { pas: w.pas, state: w.state, refcount: w.refcount }) ??
    (r.state === 'DATA' && w.state === 'DATA' ? null : firstDifference(r.content, w.content, 'content', (p) => p === 'content.regs'));
  return d ? `${d.path}: real ${d.a}, ideal ${d.b}` : null;
}

/** Fast equality of what Rel1 compares in a granule's content (the common case: equal). */
function sameContent(r: Granule, w: Granule): boolean {
  const a = r.content;
  const b = w.content;
  if (a === b || (r.state === 'DATA' && w.state === 'DATA')) return true;
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'words':
      return wordsEqual(a.words, (b as typeof a).words);
    case 'rtt': {
      const e = (b as typeof a).entries;
      if (a.level !== (b as typeof a).level) return false;
      for (let i = 0; i < a.entries.length; i++) {
        const x = a.entries[i];
        const y = e[i];
        if (x !== y && (x.hipas !== y.hipas || x.ripas !== y.ripas || x.addr !== y.addr || x.attrs !== y.attrs)) return false;
      }
      return true;
    }
    case 'rd':
      return deepEqual(a, b);
    case 'rec': {
      // Everything but the register file (Rel3's).
      const x = a as unknown as Record<string, unknown>;
      const y = b as unknown as Record<string, unknown>;
      const keys = Object.keys(x);
      if (keys.length !== Object.keys(y).length) return false;
      for (const k of keys) if (k !== 'regs' && !deepEqual(x[k], y[k])) return false;
      return true;
    }
  }
}

/** Granule PA -> the IPAs mapping it in one realm (more than one only in a state the invariants reject). */
class PaIndex {
  private readonly one = new Map<number, number>();
  private readonly more = new Map<number, number[]>();
  add(pa: number, ipa: number): void {
    const x = this.one.get(pa);
    if (x !== undefined) this.one.delete(pa), this.more.set(pa, [x, ipa]);
    else if (this.more.has(pa)) this.more.get(pa)!.push(ipa);
    else this.one.set(pa, ipa);
  }
  remove(pa: number, ipa: number): void {
    if (this.one.get(pa) === ipa) return void this.one.delete(pa);
    const xs = this.more.get(pa);
    if (!xs) return;
    xs.splice(xs.indexOf(ipa) >>> 0, 1);
    if (xs.length === 1) this.more.delete(pa), this.one.set(pa, xs[0]);
  }
  all(f: (pa: number, ipa: number) => void): void {
    this.one.forEach((ipa, pa) => f(pa, ipa));
    this.more.forEach((ipas, pa) => ipas.forEach((ipa) => f(pa, ipa)));
  }
  forEach(pa: number, f: (ipa: number) => void): void {
    const x = this.one.get(pa);
    if (x !== undefined) f(x);
    else this.more.get(pa)?.forEach(f);
  }
}

/** One reachable table of a realm, as last seen. */
interface TablePages { t: Rtt; readonly level: number; readonly base: number; tables: readonly number[]; gen: number }
/** One realm's mapped pages (ASSIGNED RAM in its PAR), from the world's RTTs. */
interface RealmPages {
  rd: Rd;
  readonly tables: Map<number, TablePages>;
  /** Granules the last walk reached through a TABLE entry that held no RTT (only in a broken tree). */
  misses: Set<number>;
  /** Page IPA -> DATA granule PA, and back. */
  readonly byIpa: Map<number, number>;
  readonly byPa: PaIndex;
}


/**
 * Where each DATA granule of the world is mapped, per live realm, kept from step to step: a table
 * object that changed is compared with the one before entry by entry (by identity), so a step costs
 * the entries it changed, not the pages the realm holds. A walk reaches each table once per realm
 * (the first parent in walk order wins), so a full build and any sequence of updates agree. A realm
 * none of whose tables (nor granules its walk found no table in) changed is not walked.
 */
class PageMap {
  readonly realms = new Map<number, RealmPages>();
  private gen = 0;
  private last: RealState['granules'] | null = null;

  /** Brings the map to the world `w`; `added` hears of every page mapped anew (all pages of a new realm). */
  update(w: RealState, added: (rd: number, ipa: number, pa: number) => void): void {
    const gen = ++this.gen;
    const live = new Set<number>();
    // The granules changed since the world the map was last brought to (the first time, every realm is new).
    let changed: number[] | null = null;
    if (this.last && this.last.size !== w.granules.size) this.realms.clear(); // another configuration: start over
    else if (this.last) pdiff(this.last, w.granules, (i) => void (changed ??= []).push(i * 4096));
    this.last = w.granules;
    for (const rdPa of w.vmids.values()) {
      if (live.has(rdPa)) continue;
      live.add(rdPa);
      const rd = granuleAt(w, rdPa).content as Rd;
      let r = this.realms.get(rdPa);
      if (r && !(rd.kind === 'rd' && r.rd.kind === 'rd' && sameRttGeometry(r.rd, rd))) r = undefined;
      const fresh = !r;
      if (!r) this.realms.set(rdPa, (r = { rd, tables: new Map(), byIpa: new Map(), byPa: new PaIndex(), misses: new Set() }));
      r.rd = rd;
      const rp = r;
      if (!fresh && !(changed as number[] | null)?.some((pa) => rp.tables.has(pa) || rp.misses.has(pa))) continue;
      r.misses = new Set();
      const page = (tp: TablePages, j: number, e: RttEntry, f: (ipa: number, pa: number) => void) => {
        if (e.hipas !== 'ASSIGNED' || e.ripas !== 'RAM') return;
        const size = levelSize(tp.level), ipa = tp.base + j * size;
        if (!inPar(rd, ipa)) return;
        for (let k = 0; k < size / 4096 && k < 512; k++) f(ipa + k * 4096, e.addr + k * 4096);
      };
      const unmap = (ipa: number, pa: number) => {
        r!.byIpa.delete(ipa);
        r!.byPa.remove(pa, ipa);
      };
      // New pages are entered after the walk and the removal of unreachable tables, so that a page
      // that moves from one table to another in one step (a fold) is removed, then entered.
      const pending: number[] = [];
      const map = (ipa: number, pa: number) => void pending.push(ipa, pa);
      const drop = (tp: TablePages) => tp.t.entries.forEach((e, j) => page(tp, j, e, unmap));
      const visit = (pa: number, level: number, base: number) => {
        const i = pa / 4096;
        const t = Number.isInteger(i) && i >= 0 && i < w.granules.size ? pget(w.granules, i).content : undefined;
        if (!t || t.kind !== 'rtt') return void r!.misses.add(pa);
        let tp = r!.tables.get(pa);
        if (tp?.gen === gen) return; // reached before in this walk
        if (tp && (tp.level !== level || tp.base !== base)) drop(tp), (tp = undefined);
        if (!tp) {
          tp = { t, level, base, tables: tableEntries(t), gen };
          r!.tables.set(pa, tp);
          for (let j = 0; j < RTT_ENTRIES; j++) page(tp, j, t.entries[j], map);
        } else if (tp.t !== t) {
          const was = tp.t.entries;
          let tables = false;
          for (let j = 0; j < RTT_ENTRIES; j++) {
            const a = was[j], b = t.entries[j];
            if (a === b) continue;
            page(tp, j, a, unmap);
            page(tp, j, b, map);
            tables ||= a.hipas === 'TABLE' || b.hipas === 'TABLE';
          }
          tp.t = t;
          if (tables) tp.tables = tableEntries(t);
        }
        tp.gen = gen;
        const size = levelSize(level);
        for (const j of tp.tables) visit(t.entries[j].addr, level + 1, base + j * size);
      };
      if (rd.kind === 'rd') for (let k = 0; k < rd.rttNumStart; k++) visit(rd.rttBase + k * 4096, rd.rttLevelStart, k * RTT_ENTRIES * levelSize(rd.rttLevelStart));
      for (const [pa, tp] of r.tables) if (tp.gen !== gen) drop(tp), r.tables.delete(pa);
      for (let k = 0; k < pending.length; k += 2) {
        r.byIpa.set(pending[k], pending[k + 1]);
        r.byPa.add(pending[k + 1], pending[k]);
        added(rdPa, pending[k], pending[k + 1]);
      }
    }
    for (const rdPa of this.realms.keys()) if (!live.has(rdPa)) this.realms.delete(rdPa);
  }
}

export class RelationChecker {
  private prevReal: RealState | null = null;
  private prevIdeal: IdealState | null = null;
  private map = new PageMap();

  /** The page mapping the checker holds, as sorted "realm ipa pa" lines in hex (for tests: it must equal a fresh build's). */
  mapping(): string[] {
    const out: string[] = [];
    for (const [rd, r] of this.map.realms) for (const [ipa, pa] of r.byIpa) out.push(`${hex(rd)} ${hex(ipa)} ${hex(pa)}`);
    for (const [rd, r] of this.map.realms) r.byPa.all((pa, ipa) => out.push(`${hex(rd)} ${hex(ipa)} ${hex(pa)} by PA`));
    return out.sort();
  }

  /** The pair the next check compares against (it must satisfy the relation, e.g. equal initial states). */
  start(real: RealState, ideal: IdealState): void {
    this.prevReal = real;
    this.prevIdeal = ideal;
    this.map = new PageMap();
    this.map.update(ideal.world, () => undefined);
  }

  /** Checks the relation on a new pair of states; `full` ignores what is known from the previous pair. */
  check(real: RealState, ideal: IdealState, full = false): Violation[] {
    const out: Violation[] = [];
    const w = ideal.world;
    const pr = full ? null : this.prevReal;
    const pi = full ? null : this.prevIdeal;
    // Granules that changed in either machine.
    const changed = new Set<number>();
    if (pr && pi) {
      pdiff(pr.granules, real.granules, (i) => changed.add(i));
      pdiff(pi.world.granules, w.granules, (i) => changed.add(i));
    } else for (let i = 0; i < real.granules.size; i++) changed.add(i);
    let rttChanged = !pr;
    for (const i of changed) {
      const r = pget(real.granules, i);
      const g = pget(w.granules, i);
      const msg = rel1Granule(r, g);
      if (msg) out.push({ property: 'Rel1', component: `granule ${hex(i * 4096)}`, detail: msg });
      if (r.state === 'RTT' || g.state === 'RTT' || (pr && pget(pr.granules, i).state === 'RTT')) rttChanged = true;
    }
    if (!pr || real.cpus !== pr.cpus || w.cpus !== pi!.world.cpus) {
      real.cpus.forEach((c, k) => {
        if (c.pc === w.cpus[k].pc && deepEqual(c.mode, w.cpus[k].mode)) return;
        const d = firstDifference({ mode: c.mode, pc: c.pc }, { mode: w.cpus[k].mode, pc: w.cpus[k].pc });
        if (d) out.push({ property: 'Rel1', component: `cpu ${k} ${d.path}`, detail: `real ${d.a}, ideal ${d.b}` });
      });
    }
    if (!pr || real.vmids !== pr.vmids || w.vmids !== pi!.world.vmids) {
      const d = firstDifference(real.vmids, w.vmids);
      if (d) out.push({ property: 'Rel1', component: `vmids${d.path}`, detail: `real ${d.a}, ideal ${d.b}` });
    }
    // Rel2 of a page depends on its mapping, its granule in both machines and the realm's exclusive
    // content: check the pages where one of these changed (every page on the first check).
    const pages = new Map<string, { rd: number; ipa: number; pa: number }>();
    const page = (rd: number, ipa: number, pa: number) => pages.set(`${rd}:${ipa}`, { rd, ipa, pa });
    // A full check builds the mapping afresh: every page is new.
    if (!pr) this.map = new PageMap();
    if (rttChanged) this.map.update(w, page);
    if (pr) {
      // Every realm, and every IPA, that maps a changed granule (two would be the invariants' data-owner violation).
      for (const i of changed) for (const [rd, r] of this.map.realms) r.byPa.forEach(i * 4096, (ipa) => page(rd, ipa, i * 4096));
      for (const [rd, mem] of ideal.mem) {
        const before = pi?.mem.get(rd);
        if (before === mem) continue;
        for (const [ipa, words] of mem) {
          const pa = before?.get(ipa) === words ? undefined : this.map.realms.get(rd)?.byIpa.get(ipa);
          if (pa !== undefined) pages.set(`${rd}:${ipa}`, { rd, ipa, pa });
        }
      }
    }
    for (const p of pages.values()) {
      const realWords = contentWords(granuleAt(real, p.pa).content);
      const expected: Words = ideal.mem.get(p.rd)?.get(p.ipa) ?? contentWords(granuleAt(w, p.pa).content);
      if (!wordsEqual(realWords, expected)) {
        const k = [...new Set([...realWords.keys(), ...expected.keys()])].sort((a, b) => a - b).find((x) => realWords.get(x) !== expected.get(x))!;
        out.push({
          property: 'Rel2',
          component: `realm ${hex(p.rd)} ipa ${hex(p.ipa)} word ${k}`,
          detail: `real ${hex(realWords.get(k) ?? 0n)}, ideal ${hex(expected.get(k) ?? 0n)}${ideal.mem.get(p.rd)?.has(p.ipa) ? '' : ' (Unknown: the world\'s)'}`,
        });
      }
    }
    // Rel3: the register file of every REC whose granule, CPU or exclusive registers changed.
    const recs = new Set<number>();
    if (!pr) real.cpus.forEach(() => undefined);
    for (const i of changed) if (pget(real.granules, i).state === 'REC') recs.add(i * 4096);
    if (!pi || ideal.regs !== pi.regs) for (const [rec, regs] of ideal.regs) if (pi?.regs.get(rec) !== regs) recs.add(rec);
    real.cpus.forEach((c) => c.mode.kind === 'realm' && recs.add(c.mode.rec));
    for (const rec of recs) {
      const rr = granuleAt(real, rec).content as Rec;
      if (rr.kind !== 'rec') continue;
      const cpu = real.cpus.findIndex((c) => c.mode.kind === 'realm' && c.mode.rec === rec);
      const realRegs = cpu >= 0 ? real.cpus[cpu].regs : rr.regs;
      const worldRegs = cpu >= 0 ? w.cpus[cpu].regs : (granuleAt(w, rec).content as Rec).regs;
      const excl = ideal.regs.get(rec);
      for (let i = 0; i < realRegs.length; i++) {
        const want = excl?.[i] ?? worldRegs[i];
        if (realRegs[i] !== want) {
          out.push({ property: 'Rel3', component: `rec ${hex(rec)} ${regName(i)}${cpu >= 0 ? ` (running on cpu ${cpu})` : ''}`, detail: `real ${hex(realRegs[i])}, ideal ${hex(want)}` });
          break;
        }
      }
    }
    this.prevReal = real;
    this.prevIdeal = ideal;
    return out;
  }
}

import { FILE_SYSREGS, NGPRS } from '../../real/cca/realm/regs';
export const regName = (i: number): string => (i < NGPRS ? `X${i}` : FILE_SYSREGS[i - NGPRS]);
