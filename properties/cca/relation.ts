// The simulation relation between the real machine and the ideal one (DESIGN.md "Properties"),
// checked incrementally: only granules, CPUs, exclusive pages and registers that changed (by object
// identity, thanks to structural sharing) since the previous step are compared.

import { hex } from '../../model/bits';
import { Observation } from '../../real/cca/actions';
import { pdiff, pget } from '../../model/pvec';
import { Words, wordsEqual } from '../../real/cca/types';
import { Granule, RealState, Rd, Rec, Rtt, contentWords, granuleAt } from '../../real/cca/state';
import { RTT_ENTRIES, inPar, levelSize } from '../../real/cca/rtt';
import { sameRttGeometry } from './oracles/world';
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

/** One realm's mapped pages (ASSIGNED RAM in its PAR), from the world's RTTs. */
interface RealmPages {
  readonly rdPa: number;
  readonly rd: Rd;
  /** Every granule the walk read, with the content it read: the pages stand while these do. */
  readonly read: readonly (readonly [number, Granule['content']])[];
  /** Page IPA -> DATA granule PA, and back. */
  readonly byIpa: Map<number, number>;
  readonly byPa: Map<number, number>;
}
/** Where each DATA granule is mapped, per live realm (RD PA). */
interface Mapping { readonly realms: Map<number, RealmPages> }

/** Per RTT object (immutable, shared across states): its TABLE and ASSIGNED-RAM entry indices. */
const tableScans = new WeakMap<Rtt, { tables: number[]; ram: number[] }>();
function scan(t: Rtt): { tables: number[]; ram: number[] } {
  let r = tableScans.get(t);
  if (!r) {
    r = { tables: [], ram: [] };
    for (let j = 0; j < RTT_ENTRIES; j++) {
      const e = t.entries[j];
      if (e.hipas === 'TABLE') r.tables.push(j);
      else if (e.hipas === 'ASSIGNED' && e.ripas === 'RAM') r.ram.push(j);
    }
    tableScans.set(t, r);
  }
  return r;
}

/** Each live realm's pages; a realm whose walk read the same objects as before keeps its old pages. */
function mappings(w: RealState, old?: Mapping): Mapping {
  const realms = new Map<number, RealmPages>();
  for (const rdPa of w.vmids.values()) {
    const rd = granuleAt(w, rdPa).content as Rd;
    const was = old?.realms.get(rdPa);
    if (was && rd.kind === 'rd' && was.rd.kind === 'rd' && sameRttGeometry(was.rd, rd) && was.read.every(([pa, c]) => granuleAt(w, pa).content === c)) {
      realms.set(rdPa, was);
      continue;
    }
    const byIpa = new Map<number, number>(), byPa = new Map<number, number>();
    const read: [number, Granule['content']][] = [];
    const walk = (pa: number, level: number, base: number) => {
      const t = granuleAt(w, pa).content as Rtt;
      read.push([pa, t]);
      if (t.kind !== 'rtt') return;
      const size = levelSize(level);
      const { tables, ram } = scan(t);
      for (const j of tables) walk(t.entries[j].addr, level + 1, base + j * size);
      for (const j of ram) {
        const e = t.entries[j];
        const ipa = base + j * size;
        if (!inPar(rd, ipa)) continue;
        for (let k = 0; k < size / 4096 && k < 512; k++) {
          byPa.set(e.addr + k * 4096, ipa + k * 4096);
          byIpa.set(ipa + k * 4096, e.addr + k * 4096);
        }
      }
    };
    for (let i = 0; i < rd.rttNumStart; i++) walk(rd.rttBase + i * 4096, rd.rttLevelStart, i * RTT_ENTRIES * levelSize(rd.rttLevelStart));
    realms.set(rdPa, { rdPa, rd, read, byIpa, byPa });
  }
  return { realms };
}

export class RelationChecker {
  private prevReal: RealState | null = null;
  private prevIdeal: IdealState | null = null;
  private map: Mapping = { realms: new Map() };

  /** The pair the next check compares against (it must satisfy the relation, e.g. equal initial states). */
  start(real: RealState, ideal: IdealState): void {
    this.prevReal = real;
    this.prevIdeal = ideal;
    this.map = mappings(ideal.world);
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
    const old = this.map;
    if (rttChanged) this.map = mappings(w, old);
    const pages = new Map<string, { rd: number; ipa: number; pa: number }>();
    // Every realm that maps the granule (two would be the invariants' data-owner violation).
    const add = (pa: number) => {
      for (const r of this.map.realms.values()) {
        const ipa = r.byPa.get(pa);
        if (ipa !== undefined) pages.set(`${r.rdPa}:${ipa}`, { rd: r.rdPa, ipa, pa });
      }
    };
    if (!pr) for (const [rd, r] of this.map.realms) for (const [ipa, pa] of r.byIpa) pages.set(`${rd}:${ipa}`, { rd, ipa, pa });
    else {
      if (rttChanged) {
        for (const [rd, now] of this.map.realms) {
          const was = old.realms.get(rd);
          if (was === now) continue;
          for (const [ipa, pa] of now.byIpa) if (was?.byIpa.get(ipa) !== pa) pages.set(`${rd}:${ipa}`, { rd, ipa, pa });
        }
      }
      for (const i of changed) add(i * 4096);
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
