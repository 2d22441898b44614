// Trace generation (DESIGN.md "Trace generation"). fast-check generates *abstract* commands; each is
// resolved against the current real state into concrete actions: arguments are indices into what is
// meaningful now (the k-th delegated granule, the k-th live REC, a hot IPA), mixed with raw
// adversarial 64-bit values. A `progress` command asks a small planner for the next step towards a
// running realm, so deep states are reached in few commands and shrinking keeps only the steps a
// counterexample needs. Realm programs keep secrets in X19-X22 and in the "secret" pages, and
// declassify only public constants (the discipline the noninterference product relies on).

import fc from 'fast-check';
import { Action, Instr } from '../../real/cca/actions';
import { Config, granuleLayout } from '../../real/cca/config';
import { RMI_NAMES, RmiName, rmiFid } from '../../real/cca/rmi';
import { encodeRecEntry, encodeRecParams, encodeRealmParams } from '../../real/cca/params';
import { ENTRY_FLAGS } from '../../real/cca/layout';
import { PVec, pdiff, pget } from '../../model/pvec';
import { traceOf } from '../engine/shrink';
import { GranuleState } from '../../real/cca/types';
import { Granule, RealState, Rd, Rec, Rtt, granuleAt, isMmio, rdOf, recOf, rttOf } from '../../real/cca/state';
import { indexToMpidr } from '../../real/cca/rmi/rec-create';
import { RSI } from '../../real/cca/realm/rsi';
import { PSCI_FID } from '../../real/cca/realm/psci';
import { RTT_ENTRIES, inPar, ipaLimit, isRttGranule, levelSize, parBoundary, walk } from '../../real/cca/rtt';
import { step } from '../../real/cca/step';
import { faithful } from '../../real/cca/faithful';

/** Reserved NS granules: realm/REC params at granule 0, CPU c's run granule at 1 + c, a source page after. */
export const layout = (cfg: Config) => ({ params: 0, run: (cpu: number) => 4096 * (1 + cpu), src: 4096 * (1 + cfg.cpus) });

export const HOT_IPAS = [0x0, 0x1000, 0x2000, 0x3000, 0x200000, 0x40000000, 0x7ffff000, 0x80000000, 0x80001000, 0x80200000];
/** Realm-side conventions: secrets live in pages 0x0/0x1000 and registers X19-X22; 0x2000 is public. */
export const SECRET_PAGES = [0x0, 0x1000];
export const PUBLIC_PAGE = 0x2000;
const SECRET_REGS = [19, 20, 21, 22];
const PUBLIC_REGS = [1, 2, 3, 4, 5, 6, 7];
const ADVERSARIAL = [0n, (1n << 64n) - 1n, 0x1n, 0x800n, 0xfffn, 1n << 48n, 1n << 63n, 0x80000000n, 0x100000000n];

export type Pick =
  | { k: 'pick'; of: Pool; i: number }
  | { k: 'raw'; v: bigint }
  | { k: 'ipa'; i: number; level: number }
  /** The i-th IPA (aligned to `level`) where the realm of the command's first argument has, now, an entry of class `cls`. */
  | { k: 'ipaOf'; cls: IpaClass; i: number; level: number }
  | { k: 'lit'; v: bigint };
/** What a realm's RTT holds at an IPA now: a DATA page, a free level-3 entry, a walk that stops above level 3, or the unprotected half. */
export const IPA_CLASSES = ['assigned', 'free', 'shallow', 'unprotected'] as const;
export type IpaClass = (typeof IPA_CLASSES)[number];
export type Pool = 'undelegated' | 'delegated' | 'rd' | 'rec' | 'data' | 'rtt' | 'ns' | 'any' | 'run';

export type Cmd =
  | { t: 'progress'; i: number }
  | { t: 'rmi'; name: RmiName; args: Pick[]; cpu: number }
  | { t: 'fid'; fid: bigint; cpu: number }
  | { t: 'realmParams'; valid: boolean; vmid: number; rtt: number; twoLevel: boolean; raw: bigint }
  | { t: 'recParams'; rd: number; runnable: boolean; aux: number; mpidrRaw: bigint | null }
  | { t: 'recEntry'; cpu: number; flags: bigint; gpr0: bigint }
  | { t: 'host'; cpu: number; write: boolean; addr: Pick; value: bigint; dma: boolean }
  | { t: 'realm'; cpu: number; instr: Instr }
  | { t: 'call'; cpu: number; fid: bigint; args: bigint[] }
  /** One micro-op of an in-flight RMM handler (weak-memory mode): the k-th eligible op of a CPU. */
  | { t: 'micro'; cpu: number; k: number }
  /** A planned sequence (see PLANS): the next phase of it, as a chunk of actions. */
  | { t: 'plan'; plan: PlanName; i: number };

// ---- looking at the state ----
// Picks index at most PICKS entries of a pool, so only that many UNDELEGATED granules are ever needed;
// the other pools (granules in some RMM state) are kept up to date from the differences between
// successive states, so resolving a command costs the same with 64 or 65,536 granules.
const PICKS = 16;

interface StateIndex {
  readonly granules: PVec<Granule>;
  readonly byState: ReadonlyMap<GranuleState, readonly number[]>;
}
let lastIndex: StateIndex | null = null;

function byState(s: RealState): ReadonlyMap<GranuleState, readonly number[]> {
  const prev = lastIndex;
  if (prev && prev.granules === s.granules) return prev.byState;
  let map: Map<GranuleState, number[]>;
  const changes: number[] = [];
  if (prev && prev.granules.size === s.granules.size) pdiff(prev.granules, s.granules, (i) => changes.push(i));
  // (a plan's chunk may change a whole 512-granule region between two commands)
  if (prev && prev.granules.size === s.granules.size && changes.length <= 2048) {
    // Removals and additions per state, applied once (a pool may hold a whole region).
    const gone = new Map<GranuleState, Set<number>>();
    const added = new Map<GranuleState, number[]>();
    for (const i of changes) {
      const was = pget(prev.granules, i).state;
      const now = pget(s.granules, i).state;
      if (was === now) continue;
      if (was !== 'UNDELEGATED') (gone.get(was) ?? gone.set(was, new Set()).get(was)!).add(i * 4096);
      if (now !== 'UNDELEGATED') (added.get(now) ?? added.set(now, []).get(now)!).push(i * 4096);
    }
    map = new Map(prev.byState as Map<GranuleState, number[]>);
    for (const st of new Set([...gone.keys(), ...added.keys()])) {
      const out = gone.has(st) ? (map.get(st) ?? []).filter((pa) => !gone.get(st)!.has(pa)) : (map.get(st) ?? []).slice();
      const add = added.get(st);
      if (add) {
        out.push(...add);
        out.sort((a, b) => a - b);
      }
      map.set(st, out);
    }
  } else {
    map = new Map();
    for (let i = 0; i < s.granules.size; i++) {
      const st = pget(s.granules, i).state;
      if (st !== 'UNDELEGATED') (map.get(st) ?? map.set(st, []).get(st)!).push(i * 4096);
    }
  }
  lastIndex = { granules: s.granules, byState: map };
  return map;
}

/** The first PICKS UNDELEGATED granules (not MMIO) satisfying `pred`, in address order. */
function undelegated(s: RealState, pred: (i: number) => boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.granules.size && out.length < PICKS; i++)
    if (pget(s.granules, i).state === 'UNDELEGATED' && pred(i) && !isMmio(s.cfg, i)) out.push(i * 4096);
  return out;
}

function pool(s: RealState, p: Pool): readonly number[] {
  const cfg = s.cfg;
  switch (p) {
    case 'undelegated': // not the reserved NS granules (params, run granules, source page)
      return undelegated(s, (i) => i > cfg.cpus + 1);
    case 'ns':
      return undelegated(s, () => true);
    case 'delegated':
      return byState(s).get('DELEGATED') ?? [];
    case 'rd':
      return byState(s).get('RD') ?? [];
    case 'rec':
      return byState(s).get('REC') ?? [];
    case 'data':
      return byState(s).get('DATA') ?? [];
    case 'rtt':
      return byState(s).get('RTT') ?? [];
    case 'any':
      return Array.from({ length: Math.min(PICKS, cfg.granules) }, (_, i) => i * 4096);
    case 'run': // the run granules of CPUs that are running a REC right now (the §5.5 race)
      return s.cpus.flatMap((c) => (c.mode.kind === 'realm' ? [c.mode.run] : []));
  }
}
const nth = <T>(xs: readonly T[], i: number): T | undefined => (xs.length ? xs[i % xs.length] : undefined);

/** IPAs the classes are drawn from: the hot ones and the block plans' ranges. */
const CLASS_IPAS = [...HOT_IPAS, 0x400000, 0x80400000, 0x201000];

function classIpa(s: RealState, rdPa: number | undefined, p: Extract<Pick, { k: 'ipaOf' }>): number {
  const align = (ipa: number) => ipa - (ipa % levelSize(Math.max(0, Math.min(3, p.level))));
  if (rdPa === undefined || granuleAt(s, rdPa).state !== 'RD') return align(HOT_IPAS[p.i % HOT_IPAS.length]);
  const rd = rdOf(s, rdPa);
  const of = CLASS_IPAS.filter((ipa) => {
    if (ipa >= ipaLimit(rd)) return false;
    if (!inPar(rd, ipa)) return p.cls === 'unprotected';
    const w = walk(s, rd, ipa, 3);
    return p.cls === (w.level < 3 ? 'shallow' : w.entry.hipas === 'ASSIGNED' ? 'assigned' : w.entry.hipas === 'UNASSIGNED' ? 'free' : '');
  });
  return align(nth(of, p.i) ?? HOT_IPAS[p.i % HOT_IPAS.length]);
}

function value(s: RealState, p: Pick, rdPa?: number): bigint {
  switch (p.k) {
    case 'ipaOf':
      return BigInt(classIpa(s, rdPa, p));
    case 'raw':
    case 'lit':
      return p.v;
    case 'ipa': {
      const ipa = HOT_IPAS[p.i % HOT_IPAS.length];
      const size = 2 ** (12 + 9 * (3 - Math.max(0, Math.min(3, p.level))));
      return BigInt(ipa - (ipa % size));
    }
    case 'pick': {
      const v = nth(pool(s, p.of), p.i);
      return v === undefined ? BigInt(p.i * 4096) : BigInt(v);
    }
  }
}

const rmi = (cpu: number, name: RmiName, args: (bigint | number)[]): Action => ({ kind: 'rmi', cpu, fid: BigInt(rmiFid(name)), args: args.map(BigInt) });
const hostCpu = (s: RealState, c: number): number => {
  const free = s.cpus.map((x, i) => (x.mode.kind === 'host' ? i : -1)).filter((i) => i >= 0);
  return nth(free, c) ?? c % s.cpus.length;
};
const realmCpu = (s: RealState, c: number): number => {
  const busy = s.cpus.map((x, i) => (x.mode.kind === 'realm' ? i : -1)).filter((i) => i >= 0);
  return nth(busy, c) ?? c % s.cpus.length;
};

function realmParams(s: RealState, rtt: number, vmid: number, twoLevel: boolean): Action {
  const cfg = s.cfg;
  const [rttLevelStart, rttNumStart] = twoLevel ? [2n, 4n] : [1n, 1n];
  return { kind: 'host-write', cpu: hostCpu(s, 0), addr: BigInt(layout(cfg).params), writes: encodeRealmParams({ s2sz: 32n, rttLevelStart, rttNumStart, rttBase: BigInt(rtt), vmid: BigInt(vmid), hashAlgo: 0n }) };
}

/** The planner behind `progress`: the next phase towards realms that run, with memory behind them. */
function progress(s: RealState, i: number): Action[] {
  const cfg = s.cfg;
  const L = layout(cfg);
  const cpu = hostCpu(s, i);
  const deleg = pool(s, 'delegated');
  const undeleg = pool(s, 'undelegated');
  /** Delegates fresh granules until `n` are DELEGATED; returns the actions and the granules to use. */
  const need = (n: number): { acts: Action[]; pas: number[] } | null => {
    const extra = undeleg.slice(0, Math.max(0, n - deleg.length));
    if (deleg.length + extra.length < n) return null;
    return { acts: extra.map((pa) => rmi(cpu, 'GRANULE_DELEGATE', [pa])), pas: [...deleg, ...extra].slice(0, n) };
  };
  // An RMM handler in flight (weak-memory mode) runs on, one micro-op at a time.
  const inHandler = s.cpus.flatMap((x, c) => (x.mode.kind === 'micro' ? [c] : []));
  if (inHandler.length && (i % 2 === 0 || s.cpus.every((x) => x.mode.kind !== 'host'))) return [{ kind: 'micro', cpu: nth(inHandler, i >> 1)!, op: i >> 2 }];
  // Tearing a realm down (always for one that is off): data, tables, RECs, then the realm itself.
  // (also one whose REC_DESTROY is in flight: REALM_DESTROY then races it, the Figure-4 scenario).
  const dying = new Set(s.cpus.flatMap((c) => (c.mode.kind === 'micro' && c.mode.cmd === 'REC_DESTROY' ? [c.mode.rd] : [])));
  const off = pool(s, 'rd').filter((pa) => (granuleAt(s, pa).content as Rd).state === 'SYSTEM_OFF' || dying.has(pa));
  if (off.length || i % 13 === 12) {
    const t = teardown(s, cpu, nth(off.length ? off : pool(s, 'rd'), i));
    if (t.length) return t;
  }
  const rds = pool(s, 'rd').filter((pa) => (granuleAt(s, pa).content as Rd).state !== 'SYSTEM_OFF');
  // A second realm now and then, so realms can collide.
  if (rds.length === 0 || (rds.length === 1 && i % 7 === 6)) {
    const g = need(2);
    if (!g) return [];
    return [...g.acts, realmParams(s, g.pas[1], 1 + (rds.length % 3), false), rmi(cpu, 'REALM_CREATE', [g.pas[0], L.params])];
  }
  const rdPa = nth(rds, i)!;
  const rd = granuleAt(s, rdPa).content as Rd;
  const recs = pool(s, 'rec').filter((r) => (granuleAt(s, r).content as Rec).owner === rdPa);
  const w = (ipa: number) => walkLevel(s, rd, ipa, 3);
  // The host applies a RIPAS change a REC asked for (all of it, or the first page).
  const asking = recs.map((r) => granuleAt(s, r).content as Rec).find((r) => r.ripasRequested && r.ripasTop > r.ripasAddr && r.state === 'READY');
  if (asking && i % 3 !== 0) {
    const recPa = recs.find((r) => granuleAt(s, r).content === asking)!;
    const top = i % 2 ? asking.ripasTop : asking.ripasAddr + 0x1000;
    return [rmi(cpu, 'RTT_SET_RIPAS', [rdPa, recPa, asking.ripasAddr, top])];
  }
  // The host takes a page back (its RIPAS becomes DESTROYED; the realm must consent to use it again).
  if (i % 11 === 10 && rd.state !== 'NEW') {
    const ipa = [0, 0x1000][i % 2];
    if (w(ipa) === 3 && entryAt(s, rd, ipa).hipas === 'ASSIGNED') {
      // ... and often backs it again at once with a fresh granule (the realm must still consent).
      const g = i % 2 === 0 ? need(1) : null;
      return [rmi(cpu, 'DATA_DESTROY', [rdPa, ipa]), ...(g ? [...g.acts, rmi(cpu, 'DATA_CREATE_UNKNOWN', [rdPa, g.pas[0], ipa])] : [])];
    }
  }
  // Shared memory: tables in the unprotected half and an NS page mapped at 0x80000000.
  if (i % 5 === 4) {
    const ns = 0x80000000;
    if (w(ns) < 3) {
      const g = need(1);
      return g ? [...g.acts, rmi(cpu, 'RTT_CREATE', [rdPa, g.pas[0], ns - (ns % 2 ** (12 + 9 * (3 - w(ns)))), w(ns) + 1])] : [];
    }
    if (entryAt(s, rd, ns).hipas === 'UNASSIGNED_NS') return [rmi(cpu, 'RTT_MAP_UNPROTECTED', [rdPa, ns, 3, BigInt(L.src) | 0xc0n | (0x7n << 2n)])];
  }
  // Memory (any realm state for tables and DATA_CREATE_UNKNOWN; DATA_CREATE and INIT_RIPAS while NEW).
  // i = 0, where shrinking goes, takes the shortest path to a running realm.
  if (i % 4 !== 0) {
    const ipa = [0, 0x1000, 0x2000, 0x3000][(i % 4) - 1 + (i % 8 >= 4 ? 1 : 0)];
    if (w(ipa) < 3) {
      const g = need(1);
      return g ? [...g.acts, rmi(cpu, 'RTT_CREATE', [rdPa, g.pas[0], ipa - (ipa % 2 ** (12 + 9 * (3 - w(ipa)))), w(ipa) + 1])] : [];
    }
    const e = entryAt(s, rd, ipa);
    if (rd.state === 'NEW' && e.ripas === 'EMPTY' && e.hipas === 'UNASSIGNED') return [rmi(cpu, 'RTT_INIT_RIPAS', [rdPa, ipa, ipa + 0x1000 * (1 + (i % 3))])];
    if (e.hipas === 'UNASSIGNED') {
      const g = need(1);
      if (!g) return [];
      if (rd.state === 'NEW') return [...g.acts, { kind: 'host-write', cpu, addr: BigInt(L.src), writes: [{ off: 8 * ((i >> 2) % 4), value: BigInt(0xd0 + i) }] }, rmi(cpu, 'DATA_CREATE', [rdPa, g.pas[0], ipa, L.src, i % 2])];
      return [...g.acts, rmi(cpu, 'DATA_CREATE_UNKNOWN', [rdPa, g.pas[0], ipa])];
    }
  }
  if (rd.state === 'NEW') {
    if (recs.length < 1 + (i % 2)) {
      const g = need(1 + cfg.recAuxCount);
      if (!g) return [];
      const p = encodeRecParams({ flags: 1n, mpidr: indexToMpidr(rd.recIndex), pc: 0x1000n, gprs: [0n, 0x11n], numAux: BigInt(cfg.recAuxCount), aux: g.pas.slice(1).map(BigInt) });
      return [...g.acts, { kind: 'host-write', cpu, addr: BigInt(L.params), writes: p }, rmi(cpu, 'REC_CREATE', [rdPa, g.pas[0], L.params])];
    }
    return [rmi(cpu, 'REALM_ACTIVATE', [rdPa])];
  }
  // ACTIVE: answer a pending PSCI request, or enter a REC that is not running on a free CPU.
  const pending = recs.find((r) => (granuleAt(s, r).content as Rec).psciPending !== null);
  if (pending !== undefined && i % 2 === 0) {
    const p = (granuleAt(s, pending).content as Rec).psciPending!;
    const target = recs.find((r) => (granuleAt(s, r).content as Rec).mpidr === p.target);
    if (target !== undefined) return [rmi(cpu, 'PSCI_COMPLETE', [pending, target, 0])];
  }
  const ready = recs.filter((r) => {
    const x = granuleAt(s, r).content as Rec;
    return x.state === 'READY' && x.runnable && x.psciPending === null;
  });
  const rec = nth(ready, i);
  if (rec === undefined || s.cpus[cpu].mode.kind !== 'host') return [];
  const last = (granuleAt(s, rec).content as Rec).lastExit.kind;
  const flags = last === 'emulatable-da' && i % 2 ? ENTRY_FLAGS.EMUL_MMIO : 0n;
  const enter = rmi(cpu, 'REC_ENTER', [rec, L.run(cpu)]);
  // A clean run granule needs no entry write (shorter counterexamples).
  const run = granuleAt(s, L.run(cpu));
  if (flags === 0n && i % 4 === 0 && run.content.kind === 'words' && run.content.words.size === 0) return [enter];
  return [{ kind: 'host-write', cpu, addr: BigInt(L.run(cpu)), writes: encodeRecEntry({ flags, gprs: [BigInt(0x50 + i)] }) }, enter];
}

/** The next step of destroying realm `rdPa`: its data and tables, its RECs, then the realm. */
function teardown(s: RealState, cpu: number, rdPa: number | undefined): Action[] {
  if (rdPa === undefined || s.cpus[cpu].mode.kind !== 'host') return [];
  const rd = granuleAt(s, rdPa).content as Rd;
  const live = firstLive(s, rd);
  if (live) {
    if (live.kind === 'data') return live.ipas.map((ipa) => rmi(cpu, 'DATA_DESTROY', [rdPa, ipa]));
    if (live.kind === 'table') return [rmi(cpu, 'RTT_DESTROY', [rdPa, live.ipa, live.level])];
    // A DATA block: unfolded first, its pages destroyed one by one after.
    const g = pool(s, 'delegated')[0] ?? pool(s, 'undelegated')[0];
    if (g === undefined) return [];
    const acts = granuleAt(s, g).state === 'UNDELEGATED' ? [rmi(cpu, 'GRANULE_DELEGATE', [g])] : [];
    return [...acts, rmi(cpu, 'RTT_CREATE', [rdPa, g, live.ipa, live.level + 1])];
  }
  const rec = pool(s, 'rec').find((r) => {
    const x = granuleAt(s, r).content as Rec;
    return x.owner === rdPa && x.state === 'READY' && !x.destroying;
  });
  if (rec !== undefined) return [rmi(cpu, 'REC_DESTROY', [rec])];
  return [rmi(cpu, 'REALM_DESTROY', [rdPa])];
}

type Live = { kind: 'data'; ipas: number[] } | { kind: 'table' | 'block'; ipa: number; level: number };

/**
 * The first thing that keeps a realm live, depth first: the DATA pages of a level-3 table (all of
 * them), a DATA block, or a table with no live entry left (to destroy). Looks only at the realm's
 * own tables, so its cost does not depend on the number of granules.
 */
function firstLive(s: RealState, rd: Rd): Live | null {
  const visit = (pa: number, level: number, base: number): Live | null => {
    const t = rttOf(s, pa);
    const size = levelSize(level);
    const data: number[] = [];
    for (let k = 0; k < RTT_ENTRIES; k++) {
      const e = t.entries[k];
      if (e.hipas === 'ASSIGNED') {
        if (level < 3) return { kind: 'block', ipa: base + k * size, level };
        data.push(base + k * size);
      } else if (e.hipas === 'TABLE') {
        if (!isRttGranule(s, e.addr)) continue;
        return visit(e.addr, level + 1, base + k * size) ?? { kind: 'table', ipa: base + k * size, level: level + 1 };
      }
    }
    return data.length ? { kind: 'data', ipas: data } : null;
  };
  const rootSpan = levelSize(rd.rttLevelStart) * RTT_ENTRIES;
  for (let r = 0; r < rd.rttNumStart; r++) {
    if (!isRttGranule(s, rd.rttBase + r * 4096)) continue;
    const l = visit(rd.rttBase + r * 4096, rd.rttLevelStart, r * rootSpan);
    if (l) return l;
  }
  return null;
}

const walkLevel = (s: RealState, rd: Rd, ipa: number, level: number) => walk(s, rd, ipa, level).level;
const entryAt = (s: RealState, rd: Rd, ipa: number) => walk(s, rd, ipa, 3).entry;
// ---- planned sequences ----
// A `plan` command stands for a whole sequence that random commands would almost never assemble: the
// host mapping a whole table and folding it, 512 DATA pages folded into a block and unfolded again,
// a realm asking for a RIPAS change across a block, RTT_DESTROY of tables with live, empty and
// destroyed children, a PSCI request answered, two REC-bookkeeping handlers racing. A plan is a
// decision procedure on the state (what is the next action towards its goal, given where the sequence
// stands), run ahead on a scratch copy of the state with the faithful specification to make the
// chunk of actions the command resolves to; it keeps no memory between commands, shrinks like any
// command, and looks at no more than one 512-entry table and one 512-granule region at a time, so its
// cost does not grow with the number of granules. The chunk is only a guess at what the checked
// specification will do: a variant that behaves otherwise just sees the rest of the chunk fail.

export const PLANS = ['ns-block', 'data-block', 'ripas-block', 'rtt-destroy', 'psci', 'race', 'host-race', 'sweep', 'reclaim'] as const;
export type PlanName = (typeof PLANS)[number];

const BLOCK = levelSize(2);
/** Unprotected 2 MB ranges of the NS-block plan (above the PAR of a 32-bit realm). */
const NS_BLOCKS = [0x80200000, 0x80400000];
/** Protected 2 MB ranges of the block plans (HOT_IPAS has 0x200000, so random accesses land there). */
const P_BLOCKS = [0x200000, 0x400000];
/** A 1 GB range whose level-2 table the plans create and fold back into a level-1 entry. */
const GB_TABLE = 0x40000000;
/** NS block output addresses: the host's own reserved granules at PA 0, and PAs beyond memory. */
const NS_PAS = [0x0, 0x0, 0x200000, 0x40000000];
const NS_ATTRS = 0xc0n | (0x7n << 2n);
const RIPAS_ARG: Record<'EMPTY' | 'RAM', bigint> = { EMPTY: 0n, RAM: 1n };
const PSCI_DENIED = (1n << 64n) - 3n;
/** Actions a plan may emit in one command (512 delegations + 512 DATA pages + a few). */
const PLAN_MAX = 1100;

/** One action or a few, the next of a plan in state `s`; null when the plan is done. */
type Next = (s: RealState) => Action[] | null;

/** Runs a plan ahead on a scratch state; stops when it is done, stuck (a batch changed nothing) or long. */
function runPlan(s0: RealState, next: Next): Action[] {
  const out: Action[] = [];
  let s = s0;
  while (out.length < PLAN_MAX) {
    const as = next(s);
    if (!as || as.length === 0) break;
    const before = s;
    for (const a of as) {
      out.push(a);
      s = step(faithful, s, a).state;
    }
    if (s === before) break;
  }
  return out;
}

/**
 * The blocks profile (`check --blocks`): 1,028 granules, the default's holes moved to the top, so the
 * 512 granules at PA 2 MB..4 MB are ordinary memory that the data-block plan turns into one
 * 2 MB-aligned run of DATA pages, folded into a level-2 ASSIGNED block. Any `--granules N` with
 * N ≥ 1,028 has the same region. The planner's own objects (RDs, RTTs, RECs) come from the first
 * 512 granules, so the region stays free for the block.
 */
export const BLOCKS_GRANULES = 1028;
export const blocksProfile = (): Partial<Config> => granuleLayout(BLOCKS_GRANULES);

/** The 2 MB-aligned granule region (above the reserved NS granules) that can become a DATA block, if any. */
export function dataRegion(cfg: Config): number | null {
  // Only the first few candidates are looked at: the blocks profile has its region at 2 MB.
  for (let r = 1; r <= 3 && (r + 1) * 512 <= cfg.granules; r++) {
    const from = r * 512;
    const hole = (i: number) => isMmio(cfg, i) || cfg.secureGranules.includes(i) || cfg.rootGranules.includes(i);
    let ok = true;
    for (let i = from; i < from + 512 && ok; i++) ok = !hole(i);
    if (ok) return from * 4096;
  }
  return null;
}
const regionCache = new WeakMap<Config, number | null>();
const regionOf = (cfg: Config): number | null => {
  if (!regionCache.has(cfg)) regionCache.set(cfg, dataRegion(cfg));
  return regionCache.get(cfg)!;
};
const inRegion = (cfg: Config, pa: number): boolean => {
  const r = regionOf(cfg);
  return r !== null && pa >= r && pa < r + BLOCK;
};

/** `n` DELEGATED granules for tables and objects (not from the DATA-block region), delegating as needed. */
function grab(s: RealState, cpu: number, n: number): { acts: Action[]; pas: number[] } | null {
  const deleg = pool(s, 'delegated').filter((pa) => !inRegion(s.cfg, pa));
  const undeleg = pool(s, 'undelegated').filter((pa) => !inRegion(s.cfg, pa));
  const extra = undeleg.slice(0, Math.max(0, n - deleg.length));
  if (deleg.length + extra.length < n) return null;
  return { acts: extra.map((pa) => rmi(cpu, 'GRANULE_DELEGATE', [pa])), pas: [...deleg, ...extra].slice(0, n) };
}

const levelOk = (rd: Rd, ipa: number, level: number): boolean => ipa >= 0 && ipa < ipaLimit(rd) && level > rd.rttLevelStart && level <= 3;

/** The next RTT_CREATE on the way to a level-`level` table covering `ipa` (null when it is there). */
function tableTowards(s: RealState, cpu: number, rdPa: number, rd: Rd, ipa: number, level: number): Action[] | null {
  const w = walk(s, rd, ipa, level);
  if (w.level >= level) return null;
  const l = w.level + 1;
  const g = grab(s, cpu, 1);
  return g ? [...g.acts, rmi(cpu, 'RTT_CREATE', [rdPa, g.pas[0], ipa - (ipa % levelSize(l - 1)), l])] : null;
}

/** The level-3 table behind the level-2 entry at `ipa` (2 MB aligned), or null. */
function l3Table(s: RealState, rd: Rd, ipa: number): Rtt | null {
  const w = walk(s, rd, ipa, 2);
  return w.level === 2 && w.entry.hipas === 'TABLE' ? rttOf(s, w.entry.addr) : null;
}

const liveRds = (s: RealState) => pool(s, 'rd').filter((pa) => (granuleAt(s, pa).content as Rd).state !== 'SYSTEM_OFF');

/** NS map of a whole table → create → fold: an ASSIGNED_NS block mapped at level 2 and unfolded, or 512 level-3 mappings, folded back. */
function nsBlockPlan(s0: RealState, cpu: number, rdPa: number, i: number): Next {
  const rd = rdOf(s0, rdPa);
  const B = NS_BLOCKS[(i >> 3) % NS_BLOCKS.length];
  const pa = NS_PAS[(i >> 4) % NS_PAS.length];
  const attrs = (i >> 6) % 4 === 3 ? 0x40n : NS_ATTRS;
  // (512 mappings one by one now and then: long chunks make counterexamples slow to shrink)
  const mode = (['block', 'empty', 'block', 'empty', 'block', 'empty', 'block', 'table'] as const)[i % 8];
  const after = (['unmap', 'keep', 'read', 'remap', 'unfold'] as const)[(i >> 2) % 5];
  if (inPar(rd, B) || !levelOk(rd, B, 3)) return () => null;
  let folded = false;
  let unfolded = false;
  let finished = false;
  return (s) => {
    if (finished) return null;
    const w2 = walk(s, rd, B, 2);
    if (w2.level < 2) return tableTowards(s, cpu, rdPa, rd, B, 2);
    const e = w2.entry;
    if (e.hipas === 'UNASSIGNED_NS') {
      if (folded) return null;
      if (mode === 'block') return [rmi(cpu, 'RTT_MAP_UNPROTECTED', [rdPa, B, 2, BigInt(pa) | attrs])];
      return tableTowards(s, cpu, rdPa, rd, B, 3);
    }
    if (e.hipas === 'ASSIGNED_NS') {
      if (!folded && !unfolded) return (unfolded = true), tableTowards(s, cpu, rdPa, rd, B, 3);
      finished = true;
      // A REC of this realm running elsewhere reads through the block first.
      const c = s.cpus.findIndex((x) => x.mode.kind === 'realm' && recOf(s, x.mode.rec).owner === rdPa);
      const read: Action[] = c >= 0 ? [{ kind: 'realm', cpu: c, instr: { op: 'load', ipa: BigInt(B + 0x1008), reg: 2 } }] : [];
      switch (after) {
        case 'unmap': return [...read, rmi(cpu, 'RTT_UNMAP_UNPROTECTED', [rdPa, B, 2])];
        case 'read': return [...read, rmi(cpu, 'RTT_READ_ENTRY', [rdPa, B, 2]), rmi(cpu, 'RTT_UNMAP_UNPROTECTED', [rdPa, B, 3])];
        case 'remap': return [...read, rmi(cpu, 'RTT_MAP_UNPROTECTED', [rdPa, B, 2, BigInt(pa) | attrs]), rmi(cpu, 'RTT_UNMAP_UNPROTECTED', [rdPa, B, 2])];
        case 'unfold': return [...read, ...(tableTowards(s, cpu, rdPa, rd, B, 3) ?? [])];
        case 'keep': return read;
      }
    }
    if (e.hipas !== 'TABLE') return null;
    const t = rttOf(s, e.addr);
    if (mode === 'table' && !folded) {
      // Map the first unmapped entry, contiguous with the block's output address.
      const k = t.entries.findIndex((x) => x.hipas === 'UNASSIGNED_NS');
      if (k >= 0) return [rmi(cpu, 'RTT_MAP_UNPROTECTED', [rdPa, B + k * 4096, 3, BigInt(pa + k * 4096) | attrs])];
    }
    if (folded) return null;
    folded = true;
    return [rmi(cpu, 'RTT_FOLD', [rdPa, B, 3])];
  };
}

/**
 * A block of protected memory at a 2 MB IPA: with a DATA region (the blocks profile) 512 DATA pages
 * on consecutive granules, folded into an ASSIGNED block, then unfolded or probed; without one, an
 * UNASSIGNED table unfolded and folded back (and a 1 GB level-2 table folded into its level-1 entry).
 */
function dataBlockPlan(s0: RealState, cpu: number, rdPa: number, i: number): Next {
  const rd = rdOf(s0, rdPa);
  const region = i % 4 !== 3 ? regionOf(s0.cfg) : null; // now and then an unassigned block in the blocks profile too
  const P = region !== null ? P_BLOCKS[0] : P_BLOCKS[(i >> 2) % P_BLOCKS.length];
  const after = (['unfold', 'probe', 'keep', 'refold'] as const)[(i >> 3) % 4];
  const measured = (i >> 5) % 2 === 1;
  const initFirst = (i >> 6) % 2 === 1;
  if (P + BLOCK > parBoundary(rd) || !levelOk(rd, P, 3)) return () => null;
  if (region === null && (i >> 2) % 4 === 3 && levelOk(rd, GB_TABLE, 2) && GB_TABLE + levelSize(1) <= parBoundary(rd)) {
    // A level-2 table of unassigned entries, folded back into its level-1 entry.
    let folded = false;
    return (s) => {
      if (folded) return null;
      const w = walk(s, rd, GB_TABLE, 1);
      if (w.entry.hipas !== 'TABLE') return tableTowards(s, cpu, rdPa, rd, GB_TABLE, 2);
      folded = true;
      return [rmi(cpu, 'RTT_FOLD', [rdPa, GB_TABLE, 2])];
    };
  }
  let k = 0; // the next page of the region to fill
  let folded = false;
  let finished = false;
  let dirtied = false;
  const L = layout(s0.cfg);
  return (s) => {
    if (finished) return null;
    const w2 = walk(s, rd, P, 2);
    if (w2.level < 2) return tableTowards(s, cpu, rdPa, rd, P, 2);
    const e = w2.entry;
    const r = rdOf(s, rdPa);
    if (e.hipas === 'UNASSIGNED') {
      if (folded) return null;
      if (initFirst && r.state === 'NEW' && e.ripas === 'EMPTY') return [rmi(cpu, 'RTT_INIT_RIPAS', [rdPa, P, P + BLOCK])];
      return tableTowards(s, cpu, rdPa, rd, P, 3);
    }
    if (e.hipas === 'ASSIGNED') {
      finished = true;
      switch (after) {
        case 'unfold': return tableTowards(s, cpu, rdPa, rd, P, 3);
        case 'refold': {
          const t = tableTowards(s, cpu, rdPa, rd, P, 3);
          return t && [...t, rmi(cpu, 'RTT_FOLD', [rdPa, P, 3])];
        }
        case 'probe': return [rmi(cpu, 'RTT_READ_ENTRY', [rdPa, P, 2]), rmi(cpu, 'DATA_DESTROY', [rdPa, P]), rmi(cpu, 'RTT_DESTROY', [rdPa, P, 3])];
        case 'keep': return null;
      }
    }
    if (e.hipas !== 'TABLE' || folded) return null;
    const t = rttOf(s, e.addr);
    if (region !== null) {
      // Fill: page k of the block is granule k of the region.
      for (; k < RTT_ENTRIES; k++) {
        const x = t.entries[k];
        const pa = region + k * 4096;
        if (x.hipas === 'ASSIGNED' && x.addr === pa) continue;
        if (x.hipas !== 'UNASSIGNED') break; // not ours: the fold will say so
        const g = granuleAt(s, pa);
        if (g.state === 'UNDELEGATED') return [rmi(cpu, 'GRANULE_DELEGATE', [pa])];
        if (g.state !== 'DELEGATED') break;
        if (measured && r.state === 'NEW') return [rmi(cpu, 'DATA_CREATE', [rdPa, pa, P + k * 4096, L.src, 1])];
        return [rmi(cpu, 'DATA_CREATE_UNKNOWN', [rdPa, pa, P + k * 4096])];
      }
    } else if (!dirtied && measured) {
      // One page in and out again: the fold sees a DESTROYED (was RAM) or EMPTY page among the rest.
      dirtied = true;
      const g = grab(s, cpu, 1);
      if (g && t.entries[0].hipas === 'UNASSIGNED')
        return [...g.acts, rmi(cpu, 'DATA_CREATE_UNKNOWN', [rdPa, g.pas[0], P]), rmi(cpu, 'RTT_FOLD', [rdPa, P, 3]), rmi(cpu, 'DATA_DESTROY', [rdPa, P])];
    }
    folded = true;
    return [rmi(cpu, 'RTT_FOLD', [rdPa, P, 3])];
  };
}

/** A realm asks for a RIPAS change across a 2 MB block (all of it, two blocks, or one page of it); the host applies it, unfolding where it must. */
function ripasBlockPlan(s0: RealState, cpu: number, i: number): Next {
  const recPa = (s0.cpus[cpu].mode as { rec: number }).rec;
  const rdPa = recOf(s0, recPa).owner;
  const rd = rdOf(s0, rdPa);
  const region = regionOf(s0.cfg);
  const P = region !== null && i % 2 === 0 ? P_BLOCKS[0] : P_BLOCKS[(i >> 1) % P_BLOCKS.length];
  const top = P + [BLOCK, 2 * BLOCK, 0x1000, BLOCK][(i >> 2) % 4];
  const unfoldFirst = (i >> 4) % 2 === 1;
  if (top > parBoundary(rd) || !levelOk(rd, P, 3)) return () => null;
  const e0 = walk(s0, rd, P, 3).entry;
  const value: 'EMPTY' | 'RAM' = (e0.ripas === 'RAM') !== ((i >> 5) % 4 === 3) ? 'EMPTY' : 'RAM';
  const consent = e0.ripas === 'DESTROYED' || (i >> 7) % 2 === 1 ? 1n : 0n;
  const run = layout(s0.cfg).run(cpu);
  let phase: 'ask' | 'apply' | 'enter' | 'done' = 'ask';
  let tries = 0;
  return (s) => {
    switch (phase) {
      case 'ask': {
        phase = 'apply';
        const args = [RSI.IPA_STATE_SET, BigInt(P), BigInt(top), RIPAS_ARG[value], consent];
        return [...args.map((v, reg): Action => ({ kind: 'realm', cpu, instr: { op: 'mov', reg, value: v } })), { kind: 'realm', cpu, instr: { op: 'smc' } }];
      }
      case 'apply': {
        const rec = recOf(s, recPa);
        if (s.cpus[cpu].mode.kind !== 'host') return (phase = 'done'), null; // the request was refused
        if (!rec.ripasRequested || rec.ripasAddr >= rec.ripasTop || tries++ > 4) {
          phase = 'enter';
          return [{ kind: 'host-write', cpu, addr: BigInt(run), writes: encodeRecEntry({ flags: (i >> 6) % 4 === 3 ? ENTRY_FLAGS.RIPAS_RESPONSE : 0n, gprs: [0n] }) }];
        }
        const w = walk(s, rd, rec.ripasAddr, 3);
        const size = levelSize(w.level);
        // An entry the range does not cover whole cannot change: the host splits it first.
        const set = rmi(cpu, 'RTT_SET_RIPAS', [rdPa, recPa, rec.ripasAddr, rec.ripasTop]);
        if (w.level < 3 && (rec.ripasAddr % size !== 0 || rec.ripasAddr + size > rec.ripasTop)) {
          // Refused (ERROR_RTT) unless split first; the host tries as it is now and then.
          const t = tableTowards(s, cpu, rdPa, rd, rec.ripasAddr, w.level + 1);
          if (t) return unfoldFirst ? t : [set, ...t];
        }
        return [set];
      }
      case 'enter':
        phase = 'done';
        return [rmi(cpu, 'REC_ENTER', [recPa, run]), { kind: 'realm', cpu, instr: { op: 'load', ipa: BigInt(P + 8), reg: 1 } }];
      case 'done':
        return null;
    }
  };
}

/**
 * RTT_DESTROY of a table with live children (ASSIGNED or TABLE: refused), with none, with DESTROYED
 * ones (DATA destroyed first) or with NS mappings (dropped); then its parent, now perhaps empty.
 */
function rttDestroyPlan(s0: RealState, cpu: number, rdPa: number, i: number): Next {
  const rd = rdOf(s0, rdPa);
  const T = [0x0, P_BLOCKS[0], 0x80000000, NS_BLOCKS[0], P_BLOCKS[1]][i % 5];
  const mode = (['direct', 'clear', 'clear', 'parent'] as const)[(i >> 3) % 4];
  const T1 = T - (T % levelSize(1));
  if (!levelOk(rd, T, 3)) return () => null;
  let phase: 'table' | 'l3' | 'l2' | 'done' = 'table';
  let probed = false;
  const next: Next = (s) => {
    switch (phase) {
      case 'table': {
        const w2 = walk(s, rd, T, 2);
        if (w2.level < 2) return tableTowards(s, cpu, rdPa, rd, T, 2);
        if (w2.entry.hipas !== 'TABLE') return tableTowards(s, cpu, rdPa, rd, T, 3); // a new empty table, or a DATA block unfolded
        phase = 'l3';
        // Its parent first, now and then: refused, it has a live (TABLE) child.
        if (mode === 'parent' && !probed && levelOk(rd, T, 2)) return (probed = true), [rmi(cpu, 'RTT_DESTROY', [rdPa, T1, 2])];
        return next(s);
      }
      case 'l3': {
        const t = l3Table(s, rd, T);
        if (t === null) return (phase = 'done'), null;
        if (mode !== 'direct') {
          const acts: Action[] = [];
          t.entries.forEach((x, k) => {
            if (x.hipas === 'ASSIGNED') acts.push(rmi(cpu, 'DATA_DESTROY', [rdPa, T + k * 4096]));
          });
          if (acts.length) return acts;
        }
        phase = mode === 'parent' ? 'l2' : 'done';
        return [rmi(cpu, 'RTT_DESTROY', [rdPa, T, 3])];
      }
      case 'l2':
        phase = 'done';
        return levelOk(rd, T, 2) ? [rmi(cpu, 'RTT_DESTROY', [rdPa, T1, 2])] : null;
      case 'done':
        return null;
    }
  };
  return next;
}

/** A REC asks about or starts a sibling (PSCI CPU_ON / AFFINITY_INFO); the host answers with PSCI_COMPLETE and enters it again. */
function psciPlan(s0: RealState, cpu: number, i: number): Next {
  const recPa = (s0.cpus[cpu].mode as { rec: number }).rec;
  const rec = recOf(s0, recPa);
  const sibs = pool(s0, 'rec').filter((r) => r !== recPa && recOf(s0, r).owner === rec.owner);
  const target = nth(sibs, i >> 2);
  if (target === undefined) return () => null;
  const mpidr = recOf(s0, target).mpidr;
  const on = i % 2 === 0;
  const status = on && (i >> 1) % 4 === 3 ? PSCI_DENIED : 0n;
  const run = layout(s0.cfg).run(cpu);
  let phase = 0;
  return (s) => {
    switch (phase++) {
      case 0: {
        const args = on ? [PSCI_FID.CPU_ON, mpidr, 0x1000n, 0x42n] : [PSCI_FID.AFFINITY_INFO, mpidr, 0n];
        return [...args.map((v, reg): Action => ({ kind: 'realm', cpu, instr: { op: 'mov', reg, value: v } })), { kind: 'realm', cpu, instr: { op: 'smc' } }];
      }
      case 1:
        if (recOf(s, recPa).psciPending === null || s.cpus[cpu].mode.kind !== 'host') return null;
        return [rmi(cpu, 'PSCI_COMPLETE', [recPa, target, status])];
      case 2:
        return [{ kind: 'host-write', cpu, addr: BigInt(run), writes: encodeRecEntry({ flags: 0n, gprs: [0n] }) }, rmi(cpu, 'REC_ENTER', [recPa, run])];
      default:
        return null;
    }
  };
}

/** The commands a sweep tries at every class of IPA, with their other arguments valid where they can be. */
const SWEPT: readonly RmiName[] = ['REC_CREATE', 'DATA_CREATE', 'DATA_CREATE_UNKNOWN', 'DATA_DESTROY', 'RTT_CREATE', 'RTT_DESTROY', 'RTT_FOLD', 'RTT_MAP_UNPROTECTED', 'RTT_UNMAP_UNPROTECTED', 'RTT_INIT_RIPAS', 'RTT_READ_ENTRY'];

/**
 * A failure-table sweep: one management command on one realm (a NEW one when there is one, half of
 * the time) at an IPA of every class (a DATA page, a free level-3 entry, a walk that stops above
 * level 3, the unprotected half, beyond the IPA width), or REC_CREATE with valid parameters, so that
 * conditions that fail together, and the order the table checks them in, are exercised in the
 * states that matter.
 */
function sweepPlan(s0: RealState, cpu: number, i: number): Next {
  const rds = liveRds(s0);
  const fresh = rds.filter((pa) => rdOf(s0, pa).state === 'NEW');
  const rdPa = i % 2 && fresh.length ? nth(fresh, i >> 1)! : nth(rds, i >> 1);
  if (rdPa === undefined) return () => null;
  const rd = rdOf(s0, rdPa);
  const name = SWEPT[(i >> 2) % SWEPT.length];
  const level = 3 - ((i >> 6) % 2);
  const L = layout(s0.cfg);
  let done = false;
  return (s) => {
    if (done) return null;
    done = true;
    if (name === 'REC_CREATE') {
      // Valid parameters (the next MPIDR, DELEGATED aux granules): what is left to fail is the realm's state or REC count.
      const g = grab(s, cpu, 1 + s.cfg.recAuxCount);
      if (!g) return null;
      const p = encodeRecParams({ flags: 1n, mpidr: indexToMpidr(rdOf(s, rdPa).recIndex), pc: 0x1000n, gprs: [0n], numAux: BigInt(s.cfg.recAuxCount), aux: g.pas.slice(1).map(BigInt) });
      return [...g.acts, { kind: 'host-write', cpu, addr: BigInt(L.params), writes: p }, rmi(cpu, 'REC_CREATE', [rdPa, g.pas[0], L.params])];
    }
    const g = grab(s, cpu, 1);
    if (!g) return null;
    // The one that may succeed (a free entry) last, so the granule is still DELEGATED for the others.
    const ipa = (cls: IpaClass) => classIpa(s, rdPa, { k: 'ipaOf', cls, i: i >> 7, level });
    const ipas = [ipa('assigned'), ipa('shallow'), ipa('unprotected'), ipaLimit(rd) + levelSize(level), ipa('free')];
    const call = (ipa: number): Action => {
      switch (name) {
        case 'DATA_CREATE': return rmi(cpu, name, [rdPa, g.pas[0], ipa, L.src, 0]);
        case 'DATA_CREATE_UNKNOWN': return rmi(cpu, name, [rdPa, g.pas[0], ipa]);
        case 'RTT_CREATE': return rmi(cpu, name, [rdPa, g.pas[0], ipa, level]);
        case 'RTT_MAP_UNPROTECTED': return rmi(cpu, name, [rdPa, ipa, level, BigInt(L.src - (L.src % levelSize(level))) | NS_ATTRS]);
        case 'RTT_INIT_RIPAS': return rmi(cpu, name, [rdPa, ipa, ipa + 0x1000]);
        case 'DATA_DESTROY': return rmi(cpu, name, [rdPa, ipa]);
        default: return rmi(cpu, name, [rdPa, ipa, level]);
      }
    };
    return [...g.acts, ...ipas.map(call)];
  };
}

/**
 * The host acts on another CPU while a REC runs (the CCA paper's §5.5 races): it delegates the
 * running CPU's run granule, destroys a page the realm uses, or tries to destroy the running REC,
 * its realm or a table under it (refused); then the realm exits (an interrupt, or an access to the
 * page), and the host takes the run granule back.
 */
function hostRacePlan(s0: RealState, c: number, i: number): Next {
  const hosts = s0.cpus.map((x, k) => (x.mode.kind === 'host' ? k : -1)).filter((k) => k >= 0);
  const h = nth(hosts, i >> 2);
  if (h === undefined) return () => null;
  const { rec, run } = s0.cpus[c].mode as { rec: number; run: number };
  const rdPa = recOf(s0, rec).owner;
  const what = i % 4;
  const page = [0x0, 0x1000][(i >> 4) % 2];
  const exit: Action = { kind: 'realm', cpu: c, instr: { op: (i >> 5) % 2 ? 'irq' : 'fiq' } };
  let phase = 0;
  return (s) => {
    switch (phase++) {
      case 0:
        switch (what) {
          case 0: return [rmi(h, 'GRANULE_DELEGATE', [run])];
          case 1: return [rmi(h, 'DATA_DESTROY', [rdPa, page])];
          case 2: return [rmi(h, 'REC_DESTROY', [rec]), rmi(h, 'REALM_DESTROY', [rdPa]), rmi(h, 'GRANULE_UNDELEGATE', [run]), exit];
          default: return [rmi(h, 'RTT_DESTROY', [rdPa, 0, 3]), rmi(h, 'RTT_READ_ENTRY', [rdPa, page, 3]), exit];
        }
      case 1:
        if (s.cpus[c].mode.kind !== 'realm') return null;
        return [what === 1 ? { kind: 'realm', cpu: c, instr: { op: 'load', ipa: BigInt(page + 8), reg: 3 } } : exit];
      case 2:
        return granuleAt(s, run).state === 'DELEGATED' ? [rmi(h, 'GRANULE_UNDELEGATE', [run])] : null;
      default:
        return null;
    }
  };
}

/**
 * The host takes back a page a running realm uses and backs it again (reference §8.8): the realm
 * writes it, the host destroys it (RIPAS DESTROYED) and puts a fresh granule behind it, the realm's
 * access exits, the realm consents (RSI_IPA_STATE_SET with CHANGE_DESTROYED), the host applies the
 * change, and the realm reads the page again.
 */
function reclaimPlan(s0: RealState, c: number, i: number): Next {
  const hosts = s0.cpus.map((x, k) => (x.mode.kind === 'host' ? k : -1)).filter((k) => k >= 0);
  const h = nth(hosts, i >> 2);
  if (h === undefined) return () => null;
  const { rec, run } = s0.cpus[c].mode as { rec: number; run: number };
  const rdPa = recOf(s0, rec).owner;
  const rd = rdOf(s0, rdPa);
  const page = [0x0, 0x1000][i % 2];
  const w = walk(s0, rd, page, 3);
  if (w.level !== 3 || w.entry.hipas !== 'ASSIGNED' || w.entry.ripas !== 'RAM') return () => null;
  const realm = (instr: Instr): Action => ({ kind: 'realm', cpu: c, instr });
  const enter = (flags: bigint): Action[] => [{ kind: 'host-write', cpu: c, addr: BigInt(run), writes: encodeRecEntry({ flags, gprs: [0n] }) }, rmi(c, 'REC_ENTER', [rec, run])];
  let phase = 0;
  return (s) => {
    switch (phase++) {
      case 0: {
        const g = grab(s, h, 1);
        if (!g) return null;
        return [realm({ op: 'store', ipa: BigInt(page + 8), reg: 19 }), rmi(h, 'DATA_DESTROY', [rdPa, page]), ...g.acts, rmi(h, 'DATA_CREATE_UNKNOWN', [rdPa, g.pas[0], page]), realm({ op: 'load', ipa: BigInt(page + 8), reg: 20 })];
      }
      case 1:
        if (s.cpus[c].mode.kind !== 'host') return null;
        return [...enter(0n), ...[RSI.IPA_STATE_SET, BigInt(page), BigInt(page + 0x1000), 1n, 1n].map((v, reg) => realm({ op: 'mov', reg, value: v })), realm({ op: 'smc' })];
      case 2:
        if (s.cpus[c].mode.kind !== 'host') return null;
        return [rmi(c, 'RTT_SET_RIPAS', [rdPa, rec, page, page + 0x1000]), ...enter(0n), realm({ op: 'load', ipa: BigInt(page + 8), reg: 21 })];
      default:
        return null;
    }
  };
}

/**
 * Weak memory: a fresh realm with one REC, then REC_DESTROY on one CPU against REALM_DESTROY on
 * another (the CCA paper's Figure 4), the first handler's micro-ops taken out of program order where
 * the memory model lets them (the later eligible op), the second run to completion in between.
 */
function racePlan(s0: RealState, i: number): Next {
  // CPUs running a REC are interrupted to take part; CPUs inside a handler are not.
  const hosts = s0.cpus.map((c, k) => (c.mode.kind !== 'micro' ? k : -1)).filter((k) => k >= 0);
  if (!s0.cfg.weakMemory || hosts.length < 2) return () => null;
  const irqs = s0.cpus.flatMap((c, k): Action[] => (c.mode.kind === 'realm' ? [{ kind: 'realm', cpu: k, instr: { op: 'irq' } }] : []));
  const a = hosts[i % hosts.length];
  const b = hosts[(i + 1) % hosts.length];
  const g = grab(s0, hosts.find((k) => s0.cpus[k].mode.kind === 'host') ?? a, 3 + s0.cfg.recAuxCount);
  if (!g) return () => null;
  let vmid = 1;
  while (s0.vmids.has(vmid)) vmid++;
  const [rdPa, rtt, recPa, ...aux] = g.pas;
  const L = layout(s0.cfg);
  const reorder = (i >> 2) % 4 !== 3 ? 1 : 0;
  const early = (i >> 4) % 4 === 3 ? 1 : 0; // how many of REC_DESTROY's ops run before REALM_DESTROY starts, beyond the lock
  const until = (s: RealState, c: number, op: number, n: number): Action[] => (s.cpus[c].mode.kind === 'micro' ? Array.from({ length: n }, () => ({ kind: 'micro', cpu: c, op }) as Action) : []);
  let phase = 0;
  return (s) => {
    switch (phase++) {
      case 0:
        return [
          ...irqs,
          ...g.acts,
          realmParams(s, rtt, vmid, false),
          rmi(a, 'REALM_CREATE', [rdPa, L.params]),
          { kind: 'host-write', cpu: a, addr: BigInt(L.params), writes: encodeRecParams({ flags: 1n, mpidr: indexToMpidr(0), pc: 0x1000n, gprs: [0n], numAux: BigInt(aux.length), aux: aux.map(BigInt) }) },
          rmi(a, 'REC_CREATE', [rdPa, recPa, L.params]),
        ];
      case 1:
        if (s.cpus[a].mode.kind !== 'micro') return null;
        return [{ kind: 'micro', cpu: a, op: 0 }];
      case 2:
        if (s.cpus[a].mode.kind === 'micro') return (phase = 2), [{ kind: 'micro', cpu: a, op: 0 }];
        if (granuleAt(s, recPa).state !== 'REC') return null;
        return [rmi(a, 'REC_DESTROY', [recPa]), { kind: 'micro', cpu: a, op: 0 }, ...Array.from({ length: 1 + early }, () => ({ kind: 'micro', cpu: a, op: reorder }) as Action)];
      case 3:
        return [rmi(b, 'REALM_DESTROY', [rdPa])];
      case 4:
        if (s.cpus[b].mode.kind === 'micro') return (phase = 4), until(s, b, 0, 1);
        return until(s, a, 0, 1).length ? ((phase = 4), until(s, a, 0, 1)) : null;
      default:
        return null;
    }
  };
}

/** Resolves a plan command: the plan's chunk, or a step of the planner when the plan has nothing to do here. */
function plan(s: RealState, name: PlanName, i: number): Action[] {
  const cpu = hostCpu(s, i);
  const running = s.cpus.map((x, c) => (x.mode.kind === 'realm' ? c : -1)).filter((c) => c >= 0);
  let next: Next | null = null;
  if (name === 'ripas-block' || name === 'psci' || name === 'host-race' || name === 'reclaim') {
    const c = nth(running, i);
    if (c !== undefined) next = name === 'psci' ? psciPlan(s, c, i) : name === 'host-race' ? hostRacePlan(s, c, i) : name === 'reclaim' ? reclaimPlan(s, c, i) : ripasBlockPlan(s, c, i);
    // With room for a DATA block that is still free, the running realm gets one first (kept, not unfolded), so the change crosses it.
    const region = regionOf(s.cfg);
    if (c !== undefined && next && name === 'ripas-block' && i % 2 === 0 && region !== null && granuleAt(s, region).state === 'UNDELEGATED' && s.cpus[cpu].mode.kind === 'host') {
      const first = dataBlockPlan(s, cpu, recOf(s, (s.cpus[c].mode as { rec: number }).rec).owner, 16);
      const then = next;
      let building = true;
      next = (t) => {
        if (building) {
          const as = first(t);
          if (as) return as;
          building = false;
        }
        return then(t);
      };
    }
  } else if (name === 'race') {
    next = racePlan(s, i);
  } else if (s.cpus[cpu].mode.kind === 'host') {
    const rds = name === 'rtt-destroy' ? pool(s, 'rd') : liveRds(s);
    const rdPa = nth(rds, i >> 8);
    if (name === 'sweep') next = sweepPlan(s, cpu, i);
    else if (rdPa !== undefined) next = name === 'ns-block' ? nsBlockPlan(s, cpu, rdPa, i) : name === 'data-block' ? dataBlockPlan(s, cpu, rdPa, i) : rttDestroyPlan(s, cpu, rdPa, i);
  }
  const acts = next ? runPlan(s, next) : [];
  return acts.length ? acts : progress(s, i);
}

/** Resolves an abstract command against the current state. */
export function resolve(s: RealState, c: Cmd): Action[] {
  const cfg = s.cfg;
  switch (c.t) {
    case 'progress':
      return progress(s, c.i);
    case 'plan':
      return plan(s, c.plan, c.i);
    case 'rmi': {
      const cpu = hostCpu(s, c.cpu);
      // IPAs by class are looked up in the realm the command names first.
      const rdPa = c.args[0]?.k === 'pick' && c.args[0].of === 'rd' ? Number(value(s, c.args[0])) : undefined;
      // A command that wants a DELEGATED granule when there is none gets one delegated first.
      const fresh = c.args.some((p) => p.k === 'pick' && p.of === 'delegated') && pool(s, 'delegated').length === 0 ? pool(s, 'undelegated')[0] : undefined;
      if (fresh !== undefined)
        return [rmi(cpu, 'GRANULE_DELEGATE', [fresh]), rmi(cpu, c.name, c.args.map((p) => (p.k === 'pick' && p.of === 'delegated' ? BigInt(fresh) : value(s, p, rdPa))))];
      return [rmi(cpu, c.name, c.args.map((p) => value(s, p, rdPa)))];
    }
    case 'fid':
      return [{ kind: 'rmi', cpu: hostCpu(s, c.cpu), fid: c.fid, args: [] }];
    case 'realmParams': {
      if (!c.valid) return [{ kind: 'host-write', cpu: hostCpu(s, 0), addr: BigInt(layout(cfg).params), writes: encodeRealmParams({ s2sz: c.raw & 0x3fn, rttLevelStart: (c.raw >> 8n) & 3n, rttNumStart: (c.raw >> 12n) & 7n, vmid: BigInt(c.vmid), rttBase: value(s, { k: 'pick', of: 'delegated', i: c.rtt }) }) }];
      return [realmParams(s, Number(value(s, { k: 'pick', of: 'delegated', i: c.rtt })), c.vmid, c.twoLevel)];
    }
    case 'recParams': {
      const rdPa = nth(pool(s, 'rd'), c.rd);
      const idx = rdPa === undefined ? 0 : (granuleAt(s, rdPa).content as Rd).recIndex;
      const deleg = pool(s, 'delegated');
      return [{ kind: 'host-write', cpu: hostCpu(s, 0), addr: BigInt(layout(cfg).params), writes: encodeRecParams({ flags: c.runnable ? 1n : 0n, mpidr: c.mpidrRaw ?? indexToMpidr(idx), pc: 0x1000n, numAux: BigInt(c.aux), aux: deleg.slice(1, 1 + c.aux).map(BigInt) }) }];
    }
    case 'recEntry': {
      const cpu = hostCpu(s, c.cpu);
      return [{ kind: 'host-write', cpu, addr: BigInt(layout(cfg).run(cpu)), writes: encodeRecEntry({ flags: c.flags, gprs: [c.gpr0] }) }];
    }
    case 'host': {
      const addr = value(s, c.addr);
      if (c.dma) return [c.write ? { kind: 'dma-write', addr, writes: [{ off: 0, value: c.value }] } : { kind: 'dma-read', addr, count: 1 }];
      const cpu = hostCpu(s, c.cpu);
      return [c.write ? { kind: 'host-write', cpu, addr, writes: [{ off: 0, value: c.value }] } : { kind: 'host-read', cpu, addr, count: 4 }];
    }
    case 'micro': {
      const busy = s.cpus.map((x, i) => (x.mode.kind === 'micro' ? i : -1)).filter((i) => i >= 0);
      if (busy.length === 0) return progress(s, c.cpu);
      return [{ kind: 'micro', cpu: nth(busy, c.cpu)!, op: c.k }];
    }
    case 'realm':
      // With no REC running, a realm instruction stands for getting one running.
      if (!s.cpus.some((x) => x.mode.kind === 'realm')) return progress(s, c.cpu);
      return [{ kind: 'realm', cpu: realmCpu(s, c.cpu), instr: c.instr }];
    case 'call': {
      if (!s.cpus.some((x) => x.mode.kind === 'realm')) return progress(s, c.cpu);
      const cpu = realmCpu(s, c.cpu);
      let args = c.args;
      // Consent (CHANGE_DESTROYED) is asked for a page the host actually took back, when there is one.
      if (c.fid === RSI.IPA_STATE_SET && (args[3] === 1n || args[2] === 1n) && s.cpus[cpu].mode.kind === 'realm') {
        const rd = granuleAt(s, (granuleAt(s, (s.cpus[cpu].mode as { rec: number }).rec).content as Rec).owner).content as Rd;
        const taken = [0, 0x1000, 0x2000, 0x3000].find((ipa) => walkLevel(s, rd, ipa, 3) === 3 && entryAt(s, rd, ipa).ripas === 'DESTROYED');
        if (taken !== undefined) args = [BigInt(taken), BigInt(taken + 0x1000), 1n, 1n];
      }
      const movs: Action[] = [c.fid, ...args].map((v, k) => ({ kind: 'realm', cpu, instr: { op: 'mov', reg: k, value: v } }));
      return [...movs, { kind: 'realm', cpu, instr: { op: 'smc' } }];
    }
  }
}

// ---- arbitraries ----
const idx = fc.nat({ max: 15 });
const raw = fc.oneof(fc.constantFrom(...ADVERSARIAL), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }));
const pick = (of: Pool): fc.Arbitrary<Pick> =>
  fc.oneof({ weight: 12, arbitrary: idx.map((i) => ({ k: 'pick', of, i }) as Pick) }, { weight: 1, arbitrary: raw.map((v) => ({ k: 'raw', v }) as Pick) });
const ipa = (level: fc.Arbitrary<number>): fc.Arbitrary<Pick> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.tuple(fc.nat({ max: 3 }), level).map(([i, l]) => ({ k: 'ipa', i, level: l }) as Pick) },
    { weight: 6, arbitrary: fc.tuple(idx, level).map(([i, l]) => ({ k: 'ipa', i, level: l }) as Pick) },
    { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...IPA_CLASSES), idx, level).map(([cls, i, l]) => ({ k: 'ipaOf', cls, i, level: l }) as Pick) },
    { weight: 1, arbitrary: raw.map((v) => ({ k: 'raw', v }) as Pick) },
  );
const lit = (...vs: bigint[]): fc.Arbitrary<Pick> => fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...vs).map((v) => ({ k: 'lit', v }) as Pick) }, { weight: 1, arbitrary: raw.map((v) => ({ k: 'raw', v }) as Pick) });
const level = fc.constantFrom(1, 2, 3);
const levelArg = lit(1n, 2n, 3n, 0n);

const ARGS: Record<RmiName, fc.Arbitrary<Pick>[]> = {
  VERSION: [lit(0x10000n, 0x20000n)],
  FEATURES: [lit(0n, 1n)],
  GRANULE_DELEGATE: [fc.oneof({ weight: 6, arbitrary: pick('undelegated') }, { weight: 2, arbitrary: pick('ns') }, { weight: 2, arbitrary: pick('run') })],
  GRANULE_UNDELEGATE: [pick('delegated')],
  DATA_CREATE: [pick('rd'), pick('delegated'), ipa(fc.constant(3)), pick('ns'), lit(0n, 1n)],
  DATA_CREATE_UNKNOWN: [pick('rd'), pick('delegated'), ipa(fc.constant(3))],
  DATA_DESTROY: [pick('rd'), ipa(fc.constant(3))],
  REALM_ACTIVATE: [pick('rd')],
  REALM_CREATE: [pick('delegated'), lit(0n)],
  REALM_DESTROY: [pick('rd')],
  REC_CREATE: [pick('rd'), pick('delegated'), lit(0n)],
  REC_DESTROY: [pick('rec')],
  REC_ENTER: [pick('rec'), lit(0x1000n, 0x2000n)],
  RTT_CREATE: [pick('rd'), pick('delegated'), ipa(fc.constantFrom(1, 2)), levelArg],
  RTT_DESTROY: [pick('rd'), ipa(fc.constantFrom(1, 2)), levelArg],
  RTT_MAP_UNPROTECTED: [pick('rd'), ipa(level), levelArg, lit(0x3000n | 0xc0n, 0x4000n | 0xc0n, 0x5000n | 0x40n, 0x1000n | 0xc0n)],
  RTT_READ_ENTRY: [pick('rd'), ipa(level), levelArg],
  RTT_UNMAP_UNPROTECTED: [pick('rd'), ipa(level), levelArg],
  PSCI_COMPLETE: [pick('rec'), pick('rec'), lit(0n, (1n << 64n) - 3n)],
  RTT_FOLD: [pick('rd'), ipa(fc.constantFrom(1, 2)), levelArg],
  REC_AUX_COUNT: [pick('rd')],
  RTT_INIT_RIPAS: [pick('rd'), ipa(fc.constant(3)), lit(0x1000n, 0x2000n, 0x4000n, 0x200000n)],
  RTT_SET_RIPAS: [pick('rd'), pick('rec'), ipa(fc.constant(3)), lit(0x1000n, 0x2000n, 0x3000n, 0x4000n)],
};

/** Commands that change what realms depend on come up more often than queries. */
const RMI_WEIGHT: Partial<Record<RmiName, number>> = {
  DATA_CREATE_UNKNOWN: 3, DATA_DESTROY: 3, DATA_CREATE: 2, RTT_DESTROY: 2, RTT_FOLD: 2, RTT_CREATE: 2, REC_DESTROY: 2, GRANULE_DELEGATE: 3,
  GRANULE_UNDELEGATE: 2, REALM_DESTROY: 2, RTT_SET_RIPAS: 2, RTT_UNMAP_UNPROTECTED: 2, PSCI_COMPLETE: 2,
};
const rmiName = fc.oneof(...RMI_NAMES.map((n) => ({ weight: RMI_WEIGHT[n] ?? 1, arbitrary: fc.constant(n) })));
const rmiCmd: fc.Arbitrary<Cmd> = rmiName.chain((name) =>
  fc.tuple(fc.tuple(...ARGS[name]), idx).map(([args, cpu]) => ({ t: 'rmi', name, args, cpu }) as Cmd),
);

const publicVal = fc.constantFrom(0n, 1n, 2n, 0x1000n, 0x2000n, 0x80000000n, 0x42n);
const secretVal = fc.bigInt({ min: 1n, max: (1n << 64n) - 1n });
const secretIpa = fc.tuple(fc.constantFrom(...SECRET_PAGES), fc.nat({ max: 3 })).map(([p, w]) => BigInt(p + 8 * w));
const anyIpa = fc.oneof(
  { weight: 3, arbitrary: secretIpa },
  { weight: 2, arbitrary: fc.constantFrom(...HOT_IPAS.map(BigInt)) },
  { weight: 1, arbitrary: raw },
);

const instr: fc.Arbitrary<Instr> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...SECRET_REGS), secretVal).map(([reg, value]) => ({ op: 'mov', reg, value, secret: true }) as Instr) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...PUBLIC_REGS), publicVal).map(([reg, value]) => ({ op: 'mov', reg, value }) as Instr) },
  { weight: 5, arbitrary: fc.tuple(secretIpa, fc.constantFrom(...SECRET_REGS)).map(([ipa, reg]) => ({ op: 'store', ipa, reg }) as Instr) },
  { weight: 4, arbitrary: fc.tuple(anyIpa, fc.constantFrom(...PUBLIC_REGS), fc.constantFrom(1, 4, 8)).map(([ipa, reg, size]) => ({ op: 'store', ipa, reg, size }) as Instr) },
  { weight: 5, arbitrary: fc.tuple(anyIpa, fc.constantFrom(...SECRET_REGS)).map(([ipa, reg]) => ({ op: 'load', ipa, reg }) as Instr) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(0x80000000n, 0x80000008n, 0x80000010n, 0x80001000n, 0x80200008n), fc.constantFrom(...PUBLIC_REGS), fc.constantFrom(1, 2, 4, 8), fc.boolean()).map(([ipa, reg, size, signed]) => ({ op: 'load', ipa, reg, size, signed }) as Instr) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...SECRET_REGS), fc.constantFrom(...SECRET_REGS)).map(([reg, src]) => ({ op: 'movr', reg, src }) as Instr) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...SECRET_REGS), publicVal).map(([reg, value]) => ({ op: 'add', reg, src: reg, value }) as Instr) },
  { weight: 1, arbitrary: fc.constantFrom(...SECRET_REGS).map((reg) => ({ op: 'msr', reg, sysreg: 'TPIDR_EL1' }) as Instr) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...SECRET_REGS), fc.constantFrom('TPIDR_EL1', 'ID_AA64PFR0_EL1', 'CNTV_CTL_EL0')).map(([reg, sysreg]) => ({ op: 'mrs', reg, sysreg }) as Instr) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...PUBLIC_REGS), fc.constantFrom('CNTV_CTL_EL0', 'CNTV_CVAL_EL0', 'ICC_SGI1R_EL1', 'ICC_DIR_EL1', 'ICC_PMR_EL1')).map(([reg, sysreg]) => ({ op: 'msr', reg, sysreg }) as Instr) },
  { weight: 1, arbitrary: fc.constantFrom(...PUBLIC_REGS).map((reg) => ({ op: 'mrs', reg, sysreg: 'ICC_PMR_EL1' }) as Instr) },
  { weight: 2, arbitrary: fc.constantFrom<Instr>({ op: 'wfi' }, { op: 'wfe' }, { op: 'irq' }, { op: 'fiq' }, { op: 'serror' }, { op: 'hvc' }, { op: 'fetch', ipa: 0x1000n }, { op: 'fetch', ipa: 0x3004n }, { op: 'fetch', ipa: 0x80000000n }) },
);

const mpidr = fc.constantFrom(0n, 1n, 2n, 0x100n);
type Call = { fid: bigint; args: bigint[] };
const C = (fid: bigint, args: bigint[] = []): Call => ({ fid, args });
const call: fc.Arbitrary<Call> = fc.oneof<fc.Arbitrary<Call>[]>(
  fc.tuple(fc.constantFrom(0x0n, 0x1000n, 0x2000n, 0x3000n), fc.constantFrom(0x1000n, 0x2000n, 0x3000n), fc.constantFrom(0n, 1n), fc.constantFrom(0n, 1n)).map(([b, n, ripas, flags]) => C(RSI.IPA_STATE_SET, [b, b + n, ripas, flags])),
  fc.constantFrom(0x2000n, 0x2100n, 0x3000n, 0x80000000n, 0x2f80n).map((p) => C(RSI.HOST_CALL, [p])),
  fc.tuple(fc.constantFrom(0n, 1n, 4n, 5n), fc.constantFrom(8n, 64n, 65n), publicVal).map(([i, n, v]) => C(RSI.MEASUREMENT_EXTEND, [i, n, v])),
  fc.constantFrom(0n, 1n, 5n).map((i) => C(RSI.MEASUREMENT_READ, [i])),
  fc.constantFrom(C(RSI.ATTESTATION_TOKEN_INIT, [0x77n]), C(RSI.ATTESTATION_TOKEN_CONTINUE, [0x2000n, 0n, 64n]), C(RSI.ATTESTATION_TOKEN_CONTINUE, [0x2000n, 0x100n, 32n]), C(RSI.REALM_CONFIG, [0x2000n]), C(RSI.REALM_CONFIG, [0x3000n]), C(RSI.VERSION, [0x10000n]), C(RSI.FEATURES, [0n]), C(0xc40001afn, []), C(0x12345n, [])),
  fc.tuple(fc.constantFrom(0x0n, 0x2000n), fc.constantFrom(0x1000n, 0x4000n, 0x200000n)).map(([b, e]) => C(RSI.IPA_STATE_GET, [b, b + e])),
  fc.tuple(mpidr, fc.constantFrom(0x1000n, 0x80000000n), publicVal).map(([t, e, ctx]) => C(PSCI_FID.CPU_ON, [t, e, ctx])),
  fc.tuple(mpidr, fc.constantFrom(0n, 1n)).map(([t, l]) => C(PSCI_FID.AFFINITY_INFO, [t, l])),
  fc.constantFrom(PSCI_FID.VERSION, PSCI_FID.CPU_OFF, PSCI_FID.CPU_SUSPEND, PSCI_FID.SYSTEM_OFF, PSCI_FID.SYSTEM_RESET).map((fid) => C(fid)),
  fc.constantFrom(PSCI_FID.CPU_ON, 0x84000099n).map((f) => C(PSCI_FID.FEATURES, [f])),
);

const entryFlags = fc.constantFrom(0n, 0n, ENTRY_FLAGS.EMUL_MMIO, ENTRY_FLAGS.INJECT_SEA, ENTRY_FLAGS.TRAP_WFI | ENTRY_FLAGS.TRAP_WFE, ENTRY_FLAGS.RIPAS_RESPONSE, ENTRY_FLAGS.EMUL_MMIO | ENTRY_FLAGS.INJECT_SEA);

export const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 16, arbitrary: idx.map((i) => ({ t: 'progress', i }) as Cmd) },
  { weight: 8, arbitrary: rmiCmd },
  { weight: 18, arbitrary: fc.tuple(idx, instr).map(([cpu, i]) => ({ t: 'realm', cpu, instr: i }) as Cmd) },
  { weight: 4, arbitrary: fc.tuple(idx, call).map(([cpu, c]) => ({ t: 'call', cpu, ...c }) as Cmd) },
  { weight: 3, arbitrary: fc.tuple(idx, entryFlags, publicVal).map(([cpu, flags, gpr0]) => ({ t: 'recEntry', cpu, flags, gpr0 }) as Cmd) },
  { weight: 2, arbitrary: fc.tuple(fc.boolean(), fc.nat({ max: 3 }), idx, fc.boolean(), raw).map(([valid, vmid, rtt, twoLevel, r]) => ({ t: 'realmParams', valid: valid || vmid > 0, vmid, rtt, twoLevel, raw: r }) as Cmd) },
  { weight: 2, arbitrary: fc.tuple(idx, fc.boolean(), fc.nat({ max: 3 }), fc.option(raw, { freq: 5 })).map(([rd, runnable, aux, m]) => ({ t: 'recParams', rd, runnable, aux, mpidrRaw: m }) as Cmd) },
  { weight: 3, arbitrary: fc.tuple(idx, fc.boolean(), pick('any'), publicVal, fc.boolean()).map(([cpu, write, addr, v, dma]) => ({ t: 'host', cpu, write, addr, value: v, dma }) as Cmd) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(0xc4000156n, 0xc4000160n, 0xc400015fn, 0x84000000n, 0xc40001ffn), idx).map(([fid, cpu]) => ({ t: 'fid', fid, cpu }) as Cmd) },
  { weight: 6, arbitrary: fc.tuple(idx, fc.nat({ max: 3 })).map(([cpu, k]) => ({ t: 'micro', cpu, k }) as Cmd) },
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...PLANS), fc.nat({ max: 1023 })).map(([p, i]) => ({ t: 'plan', plan: p, i }) as Cmd) },
);

/** A trace: `maxCommands` abstract commands (each resolves to one or a few actions). */
export const traceArb = (maxCommands: number): fc.Arbitrary<Cmd[]> => traceOf(cmdArb, { minLength: 1, maxLength: maxCommands });
