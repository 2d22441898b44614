// Trace generation (DESIGN.md "Trace generation"). fast-check generates *abstract* commands; each is
// resolved against the current real state into concrete actions: arguments are indices into what is
// meaningful now (the k-th delegated granule, the k-th live REC, a hot IPA), mixed with raw
// adversarial 64-bit values. A `progress` command asks a small planner for the next step towards a
// running realm, so deep states are reached in few commands and shrinking keeps only the steps a
// counterexample needs. Realm programs keep secrets in X19-X22 and in the "secret" pages, and
// declassify only public constants (the discipline the noninterference product relies on).

import fc from 'fast-check';
import { Action, Instr } from '../../real/cca/actions';
import { Config } from '../../real/cca/config';
import { RMI_NAMES, RmiName, rmiFid } from '../../real/cca/rmi';
import { encodeRecEntry, encodeRecParams, encodeRealmParams } from '../../real/cca/params';
import { ENTRY_FLAGS } from '../../real/cca/layout';
import { PVec, pdiff, pget } from '../../model/pvec';
import { GranuleState } from '../../real/cca/types';
import { Granule, RealState, Rd, Rec, granuleAt, isMmio } from '../../real/cca/state';
import { indexToMpidr } from '../../real/cca/rmi/rec-create';
import { RSI } from '../../real/cca/realm/rsi';
import { PSCI_FID } from '../../real/cca/realm/psci';
import { walk } from '../../real/cca/rtt';

/** Reserved NS granules: realm/REC params at granule 0, CPU c's run granule at 1 + c, a source page after. */
export const layout = (cfg: Config) => ({ params: 0, run: (cpu: number) => 4096 * (1 + cpu), src: 4096 * (1 + cfg.cpus) });

export const HOT_IPAS = [0x0, 0x1000, 0x2000, 0x3000, 0x200000, 0x40000000, 0x7ffff000, 0x80000000, 0x80001000, 0x80200000];
/** Realm-side conventions: secrets live in pages 0x0/0x1000 and registers X19-X22; 0x2000 is public. */
export const SECRET_PAGES = [0x0, 0x1000];
export const PUBLIC_PAGE = 0x2000;
const SECRET_REGS = [19, 20, 21, 22];
const PUBLIC_REGS = [1, 2, 3, 4, 5, 6, 7];
const ADVERSARIAL = [0n, (1n << 64n) - 1n, 0x1n, 0x800n, 0xfffn, 1n << 48n, 1n << 63n, 0x80000000n, 0x100000000n];

export type Pick = { k: 'pick'; of: Pool; i: number } | { k: 'raw'; v: bigint } | { k: 'ipa'; i: number; level: number } | { k: 'lit'; v: bigint };
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
  | { t: 'micro'; cpu: number; k: number };

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
  if (prev && prev.granules.size === s.granules.size && changes.length <= 64) {
    map = new Map([...prev.byState].map(([k, v]) => [k, v.slice()]));
    for (const i of changes) {
      const was = pget(prev.granules, i).state;
      const now = pget(s.granules, i).state;
      if (was === now) continue;
      if (was !== 'UNDELEGATED') map.set(was, map.get(was)!.filter((pa) => pa !== i * 4096));
      if (now !== 'UNDELEGATED') {
        const xs = map.get(now) ?? [];
        map.set(now, [...xs, i * 4096].sort((a, b) => a - b));
      }
    }
  } else {
    map = new Map();
    for (let i = 0; i < s.granules.size; i++) {
      const st = pget(s.granules, i).state;
      if (st !== 'UNDELEGATED') map.set(st, [...(map.get(st) ?? []), i * 4096]);
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

function value(s: RealState, p: Pick): bigint {
  switch (p.k) {
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
  const p = twoLevel
    ? { s2sz: 32n, rttLevelStart: 2n, rttNumStart: 4n }
    : { s2sz: 32n, rttLevelStart: 1n, rttNumStart: 1n };
  return { kind: 'host-write', cpu: hostCpu(s, 0), addr: BigInt(layout(cfg).params), writes: encodeRealmParams({ ...p, rttBase: BigInt(rtt), vmid: BigInt(vmid), hashAlgo: 0n }) };
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
  for (const ipa of [0, 0x1000, 0x2000, 0x3000]) if (walkLevel(s, rd, ipa, 3) === 3 && entryAt(s, rd, ipa).hipas === 'ASSIGNED') return [rmi(cpu, 'DATA_DESTROY', [rdPa, ipa])];
  for (const ipa of [0, 0x80000000])
    for (const level of [3, 2]) if (walkLevel(s, rd, ipa, level) === level) return [rmi(cpu, 'RTT_DESTROY', [rdPa, ipa - (ipa % 2 ** (12 + 9 * (4 - level))), level])];
  const rec = pool(s, 'rec').find((r) => {
    const x = granuleAt(s, r).content as Rec;
    return x.owner === rdPa && x.state === 'READY' && !x.destroying;
  });
  if (rec !== undefined) return [rmi(cpu, 'REC_DESTROY', [rec])];
  return [rmi(cpu, 'REALM_DESTROY', [rdPa])];
}

const walkLevel = (s: RealState, rd: Rd, ipa: number, level: number) => walk(s, rd, ipa, level).level;
const entryAt = (s: RealState, rd: Rd, ipa: number) => walk(s, rd, ipa, 3).entry;

/** Resolves an abstract command against the current state. */
export function resolve(s: RealState, c: Cmd): Action[] {
  const cfg = s.cfg;
  switch (c.t) {
    case 'progress':
      return progress(s, c.i);
    case 'rmi': {
      const cpu = hostCpu(s, c.cpu);
      // A command that wants a DELEGATED granule when there is none gets one delegated first.
      const fresh = pool(s, 'undelegated')[0];
      if (c.args.some((p) => p.k === 'pick' && p.of === 'delegated') && pool(s, 'delegated').length === 0 && fresh !== undefined)
        return [rmi(cpu, 'GRANULE_DELEGATE', [fresh]), rmi(cpu, c.name, c.args.map((p) => (p.k === 'pick' && p.of === 'delegated' ? BigInt(fresh) : value(s, p))))];
      return [rmi(cpu, c.name, c.args.map((p) => value(s, p)))];
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
);

/** A trace: `maxCommands` abstract commands (each resolves to one or a few actions). */
export const traceArb = (maxCommands: number): fc.Arbitrary<Cmd[]> => fc.array(cmdArb, { minLength: 1, maxLength: maxCommands, size: 'max' });
