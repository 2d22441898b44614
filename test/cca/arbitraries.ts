// A fast-check generator of host action sequences that reach deep states (DESIGN.md "Trace
// generation").
//
// Commands are generated as *data* (`Cmd`): their arguments are `Pick`s, mostly indices into what is
// meaningful in the state at the time the command runs ("the 2nd RD", "the 5th DELEGATED granule",
// "the 1st TABLE entry of that realm", "hot IPA 3 aligned to a level-2 entry"), mixed with raw
// adversarial 64-bit values. `toAction(state, cmd)` resolves them against the current state, so when
// fast-check shrinks a trace (drops commands), the remaining arguments still point at live objects.
//
// A trace is a list of *chunks*: single commands, and short host scenarios (delegate an aligned run,
// write realm params then REALM_CREATE, create an RTT chain to level 3, write REC params then
// REC_CREATE, tear a realm down). The scenarios make deep states likely; each of their commands is
// still an ordinary, independently resolved Cmd, and shrinking can drop any of them. A trace starts
// with a short optional setup (realms, RTT chains, data, a REC: in that order), then the body.
//
// Length: 20–80 steps (explicit bounds, fast-check `size: 'max'`). The body keeps a minimum number of
// chunks, so a shrunk counterexample may end with a few commands after the failing step; shrinking
// still minimises everything before it, and the tests report the executed prefix only.

import fc from 'fast-check';
import { Action, FieldWrite, Instr } from '../../real/cca/actions';
import { Config, DEFAULT_CONFIG } from '../../real/cca/config';
import { GRANULE_SIZE, U64_MASK } from '../../model/bits';
import { encodeRealmParams, encodeRecEntry, encodeRecParams } from '../../real/cca/params';
import { pget } from '../../model/pvec';
import { RmiName, rmiFid } from '../../real/cca/rmi';
import { GranuleState, Hipas } from '../../real/cca/types';
import { RTT_ENTRIES, levelSize } from '../../real/cca/rtt';
import { indexToMpidr } from '../../real/cca/rmi/rec-create';
import { RealState, Rd, Rtt, isMmio } from '../../real/cca/state';

// ---------------------------------------------------------------------------------------------
// Picks: how an argument is chosen.

/** Config-relative adversarial values. */
export type Special =
  | 'zero' | 'max' | 'sign' | 'unaligned' | 'pa-end' | 'last-granule' | 'mmio' | 'secure' | 'root'
  | 'par' | 'par-minus' | 'ipa-limit' | 'pa48' | 'undelegated-unaligned';

export type Pick =
  /** The k-th granule of the PA space (mod the number of granules). */
  | { readonly kind: 'granule'; readonly k: number }
  /** The k-th granule in GST state `state` (falls back to the k-th granule if there is none). */
  | { readonly kind: 'state'; readonly state: GranuleState; readonly k: number }
  /** The k-th granule the host may use as a buffer: UNDELEGATED, PAS NS, memory. */
  | { readonly kind: 'ns'; readonly k: number }
  /** The first granule of the k-th size-aligned run of n DELEGATED granules (else the k-th DELEGATED one). */
  | { readonly kind: 'run'; readonly n: number; readonly k: number }
  /** The k-th hot IPA, rounded down to a level-`align` entry when align is 0..3. */
  | { readonly kind: 'ipa'; readonly k: number; readonly align: number | null; readonly plus?: number }
  /**
   * An RTT entry of the realm `rd` picks: the k-th entry (post-order: deepest first) whose state is
   * in `want`; `part` is its IPA, its level, or the level of the table it points to (level + 1).
   */
  | {
      readonly kind: 'entry'; readonly rd: Pick; readonly k: number; readonly want: readonly Hipas[]; readonly part: 'ipa' | 'level' | 'child-level';
      /** Only entries at this level; `plus` is added to the IPA. */
      readonly atLevel?: number; readonly plus?: number;
    }
  /**
   * The k-th (realm, level-3 table in its PAR) pair over all realms: `part` is the RD, or the IPA of the
   * table plus `plus`. Without one: the k-th RD and the k-th hot IPA.
   */
  | { readonly kind: 'l3'; readonly k: number; readonly part: 'rd' | 'ipa'; readonly plus: number }
  /** The level just below the start level of the realm `rd` picks, but at least `min`. */
  | { readonly kind: 'below-start'; readonly rd: Pick; readonly min: number }
  /** The pending RIPAS change of the REC `rec` picks: its next address, or its top (else 0). */
  | { readonly kind: 'rec-ripas'; readonly rec: Pick; readonly part: 'addr' | 'top' }
  /** The MPIDR of the next REC of the realm `rd` picks (its rec_index), plus `delta`. */
  | { readonly kind: 'next-mpidr'; readonly rd: Pick; readonly delta: number }
  /** An RTT_MAP_UNPROTECTED descriptor: the PA `at` picks, with attribute bits. */
  | { readonly kind: 'desc'; readonly at: Pick; readonly attrs: bigint }
  | { readonly kind: 'special'; readonly which: Special }
  | { readonly kind: 'raw'; readonly v: bigint };

export const HOT_IPAS: readonly number[] = [
  0, 0x1000, 0x2000, 0x3000, 0x200000, 0x201000, 0x400000, 0x40000000, 0x7ffff000, // protected (w = 32)
  0x80000000, 0x80001000, 0x80200000, 0xc0000000, 0xfffff000, // unprotected
  0x100000000, // 2^w: out of range
];

// ---------------------------------------------------------------------------------------------
// Commands as data.

export interface RealmParamsChoice {
  readonly s2sz: bigint; readonly levelStart: bigint; readonly numStart: bigint; readonly rttBase: Pick;
  /** 'free': the smallest VMID no live realm uses. */
  readonly vmid: bigint | 'free';
  readonly hashAlgo: bigint; readonly flags: bigint; readonly numBps: bigint; readonly numWps: bigint; readonly pmuNumCtrs: bigint;
}
export interface RecParamsChoice {
  readonly flags: bigint; readonly mpidr: Pick; readonly pc: bigint; readonly gprs: readonly bigint[];
  readonly numAux: bigint | 'auto'; readonly aux: readonly Pick[];
}

export type Cmd =
  | { readonly kind: 'rmi'; readonly cpu: number; readonly name: RmiName; readonly args: readonly Pick[] }
  /** An SMC with a function ID that is not an RMI command (holes of removed commands, random). */
  | { readonly kind: 'fid'; readonly cpu: number; readonly fid: bigint; readonly args: readonly Pick[] }
  | { readonly kind: 'realm-params'; readonly cpu: number; readonly at: Pick; readonly p: RealmParamsChoice }
  | { readonly kind: 'rec-params'; readonly cpu: number; readonly at: Pick; readonly p: RecParamsChoice }
  | { readonly kind: 'rec-entry'; readonly cpu: number; readonly at: Pick; readonly flags: bigint; readonly gicHcr: bigint; readonly gprs: readonly bigint[] }
  | { readonly kind: 'host-read' | 'dma-read'; readonly cpu: number; readonly at: Pick; readonly off: number; readonly count: number }
  | { readonly kind: 'host-write' | 'dma-write'; readonly cpu: number; readonly at: Pick; readonly off: number; readonly words: readonly bigint[] }
  | { readonly kind: 'realm'; readonly cpu: number; readonly instr: Instr };

// ---------------------------------------------------------------------------------------------
// Resolution against a state.

/** Lazily computed lists of what is meaningful in one state. */
class View {
  private byState?: Map<GranuleState, number[]>;
  private nsList?: number[];
  constructor(readonly s: RealState) {}
  get granules(): number {
    return this.s.granules.size;
  }
  list(state: GranuleState): number[] {
    if (!this.byState) {
      this.byState = new Map();
      for (let i = 0; i < this.granules; i++) {
        const g = pget(this.s.granules, i);
        const l = this.byState.get(g.state);
        if (l) l.push(i * GRANULE_SIZE);
        else this.byState.set(g.state, [i * GRANULE_SIZE]);
      }
    }
    return this.byState.get(state) ?? [];
  }
  ns(): number[] {
    if (!this.nsList) {
      this.nsList = [];
      for (let i = 0; i < this.granules; i++) {
        const g = pget(this.s.granules, i);
        if (g.state === 'UNDELEGATED' && g.pas === 'NS' && !isMmio(this.s.cfg, i)) this.nsList.push(i * GRANULE_SIZE);
      }
    }
    return this.nsList;
  }
  granule(pa: number) {
    return pget(this.s.granules, pa / GRANULE_SIZE);
  }
  /** The content at a resolved (possibly adversarial) address, if it is a granule of the model. */
  contentAt(pa: bigint) {
    if (pa < 0n || pa % BigInt(GRANULE_SIZE) !== 0n || pa >= BigInt(this.granules * GRANULE_SIZE)) return undefined;
    return this.granule(Number(pa)).content;
  }
  /** Non-unassigned entries of a realm's RTTs, children before parents. */
  entries(rdPa: bigint): { ipa: number; level: number; hipas: Hipas }[] {
    const c = this.contentAt(rdPa);
    if (!c || c.kind !== 'rd') return [];
    const rd = c as Rd;
    const out: { ipa: number; level: number; hipas: Hipas }[] = [];
    const visit = (pa: number, level: number, base: number, depth: number) => {
      if (!Number.isInteger(pa) || pa < 0 || pa % GRANULE_SIZE || pa / GRANULE_SIZE >= this.granules || depth > 4) return;
      const t = this.granule(pa).content;
      if (t.kind !== 'rtt') return;
      const size = levelSize(level);
      (t as Rtt).entries.forEach((e, j) => {
        if (e.hipas === 'UNASSIGNED' || e.hipas === 'UNASSIGNED_NS') return;
        if (e.hipas === 'TABLE') visit(e.addr, level + 1, base + j * size, depth + 1);
        out.push({ ipa: base + j * size, level, hipas: e.hipas });
      });
    };
    for (let r = 0; r < rd.rttNumStart; r++) visit(rd.rttBase + r * GRANULE_SIZE, rd.rttLevelStart, r * RTT_ENTRIES * levelSize(rd.rttLevelStart), 0);
    return out;
  }
}

const nth = <T>(xs: readonly T[], k: number): T | undefined => (xs.length ? xs[((k % xs.length) + xs.length) % xs.length] : undefined);

function special(v: View, which: Special): bigint {
  const cfg = v.s.cfg;
  const firstMmio = cfg.mmioRanges.length ? cfg.mmioRanges[0][0] : cfg.granules;
  switch (which) {
    case 'zero': return 0n;
    case 'max': return U64_MASK;
    case 'sign': return 1n << 63n;
    case 'unaligned': return 0x1008n;
    case 'undelegated-unaligned': return BigInt((nth(v.ns(), 1) ?? 0) + 1);
    case 'pa-end': return BigInt(cfg.granules * GRANULE_SIZE);
    case 'last-granule': return BigInt((cfg.granules - 1) * GRANULE_SIZE);
    case 'mmio': return BigInt(firstMmio * GRANULE_SIZE);
    case 'secure': return BigInt((cfg.secureGranules[0] ?? 0) * GRANULE_SIZE);
    case 'root': return BigInt((cfg.rootGranules[0] ?? 0) * GRANULE_SIZE);
    case 'par': return 1n << 31n;
    case 'par-minus': return (1n << 31n) - 0x1000n;
    case 'ipa-limit': return 1n << 32n;
    case 'pa48': return 1n << 48n;
  }
}

function resolve(v: View, p: Pick): bigint {
  switch (p.kind) {
    case 'granule':
      return BigInt((((p.k % v.granules) + v.granules) % v.granules) * GRANULE_SIZE);
    case 'state': {
      const pa = nth(v.list(p.state), p.k);
      return pa === undefined ? resolve(v, { kind: 'granule', k: p.k }) : BigInt(pa);
    }
    case 'ns': {
      const pa = nth(v.ns(), p.k);
      return pa === undefined ? resolve(v, { kind: 'granule', k: p.k }) : BigInt(pa);
    }
    case 'run': {
      const runs: number[] = [];
      for (let i = 0; i + p.n <= v.granules; i += p.n) {
        let ok = true;
        for (let j = 0; j < p.n && ok; j++) ok = v.granule((i + j) * GRANULE_SIZE).state === 'DELEGATED';
        if (ok) runs.push(i * GRANULE_SIZE);
      }
      const pa = nth(runs, p.k);
      return pa === undefined ? resolve(v, { kind: 'state', state: 'DELEGATED', k: p.k }) : BigInt(pa);
    }
    case 'ipa': {
      let ipa = nth(HOT_IPAS, p.k)!;
      if (p.align !== null && p.align >= 0 && p.align <= 3) ipa -= ipa % levelSize(p.align);
      return BigInt(ipa + (p.plus ?? 0));
    }
    case 'entry': {
      const es = v.entries(resolve(v, p.rd)).filter((e) => p.want.includes(e.hipas) && (p.atLevel === undefined || e.level === p.atLevel));
      const e = nth(es, p.k);
      if (!e) return p.part === 'ipa' ? resolve(v, { kind: 'ipa', k: p.k, align: 3, plus: p.plus }) : BigInt(3);
      return BigInt(p.part === 'ipa' ? e.ipa + (p.plus ?? 0) : p.part === 'level' ? e.level : e.level + 1);
    }
    case 'l3': {
      const slots: [number, number][] = [];
      for (const rd of v.list('RD')) {
        const c = v.contentAt(BigInt(rd));
        if (!c || c.kind !== 'rd') continue;
        const par = 2 ** ((c as Rd).ipaWidth - 1);
        for (const e of v.entries(BigInt(rd))) if (e.hipas === 'TABLE' && e.level === 2 && e.ipa < par) slots.push([rd, e.ipa]);
      }
      const slot = nth(slots, p.k);
      if (!slot) return p.part === 'rd' ? resolve(v, { kind: 'state', state: 'RD', k: p.k }) : resolve(v, { kind: 'ipa', k: p.k % 9, align: 3, plus: p.plus });
      return BigInt(p.part === 'rd' ? slot[0] : slot[1] + p.plus);
    }
    case 'below-start': {
      const c = v.contentAt(resolve(v, p.rd));
      return BigInt(Math.max(p.min, c && c.kind === 'rd' ? (c as Rd).rttLevelStart + 1 : 0));
    }
    case 'rec-ripas': {
      const c = v.contentAt(resolve(v, p.rec));
      return c && c.kind === 'rec' ? BigInt(p.part === 'addr' ? c.ripasAddr : c.ripasTop) : 0n;
    }
    case 'next-mpidr': {
      const c = v.contentAt(resolve(v, p.rd));
      const next = c && c.kind === 'rd' ? (c as Rd).recIndex : 0;
      return indexToMpidr(Math.max(0, next + p.delta));
    }
    case 'desc':
      return (resolve(v, p.at) & ~0xfffn) | p.attrs;
    case 'special':
      return special(v, p.which);
    case 'raw':
      return p.v & U64_MASK;
  }
}

function freeVmid(s: RealState): bigint {
  let v = 0;
  while (s.vmids.has(v)) v++;
  return BigInt(v);
}

/** The trace step a command stands for in state s. */
export function toAction(s: RealState, c: Cmd): Action {
  const v = new View(s);
  const r = (p: Pick) => resolve(v, p);
  switch (c.kind) {
    case 'rmi':
      return { kind: 'rmi', cpu: c.cpu, fid: BigInt(rmiFid(c.name)), args: c.args.map(r) };
    case 'fid':
      return { kind: 'rmi', cpu: c.cpu, fid: c.fid, args: c.args.map(r) };
    case 'realm-params': {
      const p = c.p;
      const writes = encodeRealmParams({
        flags: p.flags, s2sz: p.s2sz, numBps: p.numBps, numWps: p.numWps, pmuNumCtrs: p.pmuNumCtrs, hashAlgo: p.hashAlgo,
        vmid: p.vmid === 'free' ? freeVmid(s) : p.vmid, rttBase: r(p.rttBase), rttLevelStart: p.levelStart, rttNumStart: p.numStart,
      });
      return { kind: 'host-write', cpu: c.cpu, addr: r(c.at), writes };
    }
    case 'rec-params': {
      const aux = c.p.aux.map(r);
      const writes = encodeRecParams({
        flags: c.p.flags, mpidr: r(c.p.mpidr), pc: c.p.pc, gprs: [...c.p.gprs],
        numAux: c.p.numAux === 'auto' ? BigInt(s.cfg.recAuxCount) : c.p.numAux, aux,
      });
      return { kind: 'host-write', cpu: c.cpu, addr: r(c.at), writes };
    }
    case 'rec-entry':
      return { kind: 'host-write', cpu: c.cpu, addr: r(c.at), writes: encodeRecEntry({ flags: c.flags, gicv3Hcr: c.gicHcr, gprs: [...c.gprs] }) };
    case 'host-read':
      return { kind: 'host-read', cpu: c.cpu, addr: (r(c.at) + BigInt(c.off)) & U64_MASK, count: c.count };
    case 'dma-read':
      return { kind: 'dma-read', addr: (r(c.at) + BigInt(c.off)) & U64_MASK, count: c.count };
    case 'host-write':
    case 'dma-write': {
      const writes: FieldWrite[] = c.words.map((value, i) => ({ off: 8 * i, value }));
      const addr = (r(c.at) + BigInt(c.off)) & U64_MASK;
      return c.kind === 'host-write' ? { kind: 'host-write', cpu: c.cpu, addr, writes } : { kind: 'dma-write', addr, writes };
    }
    case 'realm':
      return { kind: 'realm', cpu: c.cpu, instr: c.instr };
  }
}

// ---------------------------------------------------------------------------------------------
// Arbitraries.

export interface TraceOptions {
  readonly cfg?: Config;
  /** Bounds on the number of steps (defaults 20..80). */
  readonly minSteps?: number;
  readonly maxSteps?: number;
  /** Weight of realm instructions (0 = host-only traces). */
  readonly realmWeight?: number;
}

const k = fc.nat({ max: 63 });
const u64arb = fc.bigInt({ min: 0n, max: U64_MASK });
const SPECIALS: readonly Special[] = [
  'zero', 'max', 'sign', 'unaligned', 'pa-end', 'last-granule', 'mmio', 'secure', 'root', 'par', 'par-minus', 'ipa-limit', 'pa48',
  'undelegated-unaligned',
];

const specialArb: fc.Arbitrary<Pick> = fc.constantFrom(...SPECIALS).map((which) => ({ kind: 'special', which }) as const);
const rawArb: fc.Arbitrary<Pick> = fc.oneof(
  u64arb.map((v) => ({ kind: 'raw', v }) as const),
  fc.constantFrom(0n, 1n, 2n, 3n, 4n, 0xfffn, 0x1000n, 0x10000n).map((v) => ({ kind: 'raw', v }) as const),
);
/** An adversarial value: a config-relative special or a raw 64-bit value. */
const adversarial: fc.Arbitrary<Pick> = fc.oneof(specialArb, rawArb);

/** Mostly `meaningful`, sometimes adversarial. */
const mostly = (meaningful: fc.Arbitrary<Pick>, w = 6): fc.Arbitrary<Pick> =>
  fc.oneof({ arbitrary: meaningful, weight: w }, { arbitrary: adversarial, weight: 1 });

const st = (state: GranuleState): fc.Arbitrary<Pick> => k.map((k) => ({ kind: 'state', state, k }) as const);
const rdPick = mostly(fc.oneof({ arbitrary: st('RD'), weight: 8 }, { arbitrary: st('REC'), weight: 1 }, { arbitrary: st('DELEGATED'), weight: 1 }));
const recPick = mostly(fc.oneof({ arbitrary: st('REC'), weight: 8 }, { arbitrary: st('RD'), weight: 1 }, { arbitrary: st('REC_AUX'), weight: 1 }));
const delegatedPick = mostly(fc.oneof({ arbitrary: st('DELEGATED'), weight: 8 }, { arbitrary: st('UNDELEGATED'), weight: 1 }, { arbitrary: st('DATA'), weight: 1 }));
const nsPick = mostly(fc.oneof({ arbitrary: k.map((k) => ({ kind: 'ns', k }) as const), weight: 8 }, { arbitrary: st('DELEGATED'), weight: 1 }));
const anyGranule: fc.Arbitrary<Pick> = fc.oneof(
  k.map((k) => ({ kind: 'granule', k }) as const),
  st('DELEGATED'), st('UNDELEGATED'), st('RD'), st('REC'), st('RTT'), st('DATA'), st('REC_AUX'),
);
const levelArb = fc.oneof({ arbitrary: fc.integer({ min: 0, max: 3 }), weight: 8 }, { arbitrary: fc.constantFrom(-1, 4, 64), weight: 1 });
const levelPick = (l: number): Pick => ({ kind: 'raw', v: BigInt(l) & U64_MASK });
/** A hot IPA, usually aligned for `level` (structure commands align to level - 1). */
const ipaFor = (align: number | null): fc.Arbitrary<Pick> =>
  mostly(
    fc.oneof(
      { arbitrary: k.map((k) => ({ kind: 'ipa', k, align }) as const), weight: 4 },
      { arbitrary: k.map((k) => ({ kind: 'ipa', k, align: null }) as const), weight: 1 },
    ),
  );
const entryPick = (rd: Pick, want: readonly Hipas[], part: 'ipa' | 'level' | 'child-level', kk = 0): Pick => ({ kind: 'entry', rd, k: kk, want, part });
const attrsArb = fc.oneof(
  { arbitrary: fc.tuple(fc.constantFrom(0n, 1n, 2n, 3n, 5n, 6n, 7n), fc.constantFrom(0n, 1n, 2n, 3n)).map(([m, ap]) => (m << 2n) | (ap << 6n)), weight: 6 },
  { arbitrary: fc.constantFrom(1n, 2n, 0x3cn, 0x10n << 2n, 1n << 50n, 0x800n), weight: 1 },
);

const cpuArb = (cfg: Config) =>
  fc.oneof({ arbitrary: fc.constant(0), weight: 24 }, { arbitrary: fc.integer({ min: 0, max: cfg.cpus - 1 }), weight: 12 }, { arbitrary: fc.constantFrom(cfg.cpus, -1), weight: 1 });

type Chunk = Cmd[];

/** One RMI command with arguments typical for it (mostly meaningful, sometimes adversarial). */
function rmiArb(cfg: Config): fc.Arbitrary<Cmd> {
  const cpu = cpuArb(cfg);
  const call = (name: RmiName, ...args: fc.Arbitrary<Pick>[]): fc.Arbitrary<Cmd> =>
    fc.tuple(cpu, ...args).map(([c, ...as]) => ({ kind: 'rmi', cpu: c as number, name, args: as as Pick[] }));
  const lvl = levelArb.map(levelPick);
  const structure = (name: RmiName) =>
    fc.tuple(cpu, rdPick, levelArb, k, fc.boolean()).chain(([c, rd, l, kk, fromEntries]) =>
      (fromEntries && name !== 'RTT_CREATE'
        ? fc.constant<[Pick, Pick]>([entryPick(rd, ['TABLE'], 'ipa', kk), entryPick(rd, ['TABLE'], 'child-level', kk)])
        : ipaFor(l - 1).map((ipa): [Pick, Pick] => [ipa, levelPick(l)])
      ).chain(([ipa, level]) =>
        name === 'RTT_CREATE'
          ? delegatedPick.map((rtt): Cmd => ({ kind: 'rmi', cpu: c, name, args: [rd, rtt, ipa, level] }))
          : fc.constant<Cmd>({ kind: 'rmi', cpu: c, name, args: [rd, ipa, level] }),
      ),
    );
  const version = fc.oneof({ arbitrary: fc.constant<Pick>({ kind: 'raw', v: 0x10000n }), weight: 3 }, { arbitrary: adversarial, weight: 1 });
  const flags = fc.oneof({ arbitrary: fc.constantFrom<Pick>({ kind: 'raw', v: 0n }, { kind: 'raw', v: 1n }), weight: 6 }, { arbitrary: adversarial, weight: 1 });
  const psciStatus = fc.constantFrom<Pick>({ kind: 'raw', v: 0n }, { kind: 'raw', v: U64_MASK - 2n }, { kind: 'raw', v: U64_MASK }, { kind: 'raw', v: 1n });
  const mappedIpa = (want: readonly Hipas[]) => (rd: Pick) => fc.oneof(k.map((kk) => entryPick(rd, want, 'ipa', kk)), ipaFor(3));
  return fc.oneof(
    { arbitrary: call('VERSION', version), weight: 1 },
    { arbitrary: call('FEATURES', fc.oneof(fc.constant<Pick>({ kind: 'raw', v: 0n }), adversarial)), weight: 1 },
    { arbitrary: call('GRANULE_DELEGATE', mostly(fc.oneof(st('UNDELEGATED'), k.map((k) => ({ kind: 'ns', k }) as const)), 3)), weight: 4 },
    { arbitrary: call('GRANULE_UNDELEGATE', mostly(fc.oneof({ arbitrary: st('DELEGATED'), weight: 4 }, { arbitrary: anyGranule, weight: 1 }), 3)), weight: 4 },
    { arbitrary: call('REALM_CREATE', delegatedPick, nsPick), weight: 3 },
    { arbitrary: call('REALM_ACTIVATE', rdPick), weight: 3 },
    { arbitrary: call('REALM_DESTROY', rdPick), weight: 2 },
    { arbitrary: call('REC_AUX_COUNT', rdPick), weight: 1 },
    { arbitrary: call('REC_CREATE', rdPick, delegatedPick, nsPick), weight: 2 },
    { arbitrary: call('REC_DESTROY', recPick), weight: 2 },
    { arbitrary: call('REC_ENTER', recPick, nsPick), weight: 2 },
    { arbitrary: call('PSCI_COMPLETE', recPick, recPick, psciStatus), weight: 1 },
    { arbitrary: call('DATA_CREATE', rdPick, delegatedPick, ipaFor(3), nsPick, flags), weight: 4 },
    { arbitrary: call('DATA_CREATE_UNKNOWN', rdPick, delegatedPick, ipaFor(3)), weight: 3 },
    { arbitrary: fc.tuple(cpu, rdPick).chain(([c, rd]) => mappedIpa(['ASSIGNED'])(rd).map((ipa): Cmd => ({ kind: 'rmi', cpu: c, name: 'DATA_DESTROY', args: [rd, ipa] }))), weight: 3 },
    { arbitrary: structure('RTT_CREATE'), weight: 6 },
    { arbitrary: structure('RTT_DESTROY'), weight: 3 },
    { arbitrary: structure('RTT_FOLD'), weight: 3 },
    {
      arbitrary: fc.tuple(cpu, rdPick, fc.integer({ min: 1, max: 3 }), attrsArb, fc.oneof(nsPick, anyGranule)).chain(([c, rd, l, attrs, at]) =>
        ipaFor(l).map((ipa): Cmd => ({ kind: 'rmi', cpu: c, name: 'RTT_MAP_UNPROTECTED', args: [rd, ipa, levelPick(l), { kind: 'desc', at, attrs }] })),
      ),
      weight: 3,
    },
    {
      arbitrary: fc.tuple(cpu, rdPick, k, fc.boolean()).chain(([c, rd, kk, e]) =>
        (e ? fc.constant<[Pick, Pick]>([entryPick(rd, ['ASSIGNED_NS'], 'ipa', kk), entryPick(rd, ['ASSIGNED_NS'], 'level', kk)]) : fc.tuple(ipaFor(3), lvl)).map(
          ([ipa, level]): Cmd => ({ kind: 'rmi', cpu: c, name: 'RTT_UNMAP_UNPROTECTED', args: [rd, ipa, level] }),
        ),
      ),
      weight: 2,
    },
    { arbitrary: fc.tuple(cpu, rdPick, levelArb).chain(([c, rd, l]) => ipaFor(l).map((ipa): Cmd => ({ kind: 'rmi', cpu: c, name: 'RTT_READ_ENTRY', args: [rd, ipa, levelPick(l)] }))), weight: 2 },
    {
      arbitrary: fc.tuple(cpu, rdPick, ipaFor(3), fc.constantFrom(0x1000, 0x2000, 0x200000, 0x40000000, -0x1000, 0x800)).map(
        ([c, rd, base, len]): Cmd => ({ kind: 'rmi', cpu: c, name: 'RTT_INIT_RIPAS', args: [rd, base, plus(base, len)] }),
      ),
      weight: 3,
    },
    {
      arbitrary: fc.tuple(cpu, rdPick, recPick, ipaFor(3), fc.constantFrom(0x1000, 0x2000, 0x200000)).map(
        ([c, rd, rec, base, len]): Cmd => ({ kind: 'rmi', cpu: c, name: 'RTT_SET_RIPAS', args: [rd, rec, base, plus(base, len)] }),
      ),
      weight: 1,
    },
  );
}

/** `base + len` for an IPA pick (a raw pick for anything else). */
function plus(base: Pick, len: number): Pick {
  if (base.kind === 'ipa') return { ...base, plus: (base.plus ?? 0) + len };
  return { kind: 'raw', v: 0x1000n + BigInt(len) };
}

const realmParamsArb: fc.Arbitrary<RealmParamsChoice> = fc.oneof(
  {
    // Valid geometries: (w 32, start 1, 1 root), (w 32, start 2, 4 roots), rarely (w 40, start 1, 2 roots).
    arbitrary: fc
      .tuple(
        fc.constantFrom<[bigint, bigint, bigint]>([32n, 1n, 1n], [32n, 1n, 1n], [32n, 2n, 4n], [32n, 2n, 4n], [40n, 1n, 2n]),
        k, fc.constantFrom<bigint | 'free'>('free', 'free', 'free', 0n, 1n, 2n, 3n), fc.constantFrom(0n, 1n), fc.constantFrom(0n, 0n, 4n),
      )
      .map(([[s2sz, levelStart, numStart], kk, vmid, hashAlgo, flags]) => ({
        s2sz, levelStart, numStart, rttBase: { kind: 'run', n: Number(numStart), k: kk } as Pick, vmid, hashAlgo, flags,
        numBps: 1n, numWps: 1n, pmuNumCtrs: flags ? 2n : 0n, // 0 breakpoints/watchpoints is reserved (TF-RMM)
      })),
    weight: 9,
  },
  {
    // Adversarial: every field from a set of boundary values.
    arbitrary: fc.record({
      s2sz: fc.constantFrom(0n, 31n, 32n, 33n, 40n, 48n, 49n, 64n, U64_MASK),
      levelStart: fc.constantFrom(0n, 1n, 2n, 3n, 4n, U64_MASK),
      numStart: fc.constantFrom(0n, 1n, 2n, 4n, 16n, 17n),
      rttBase: fc.oneof(k.map((kk) => ({ kind: 'run', n: 1, k: kk }) as Pick), anyGranule, adversarial),
      vmid: fc.constantFrom<bigint | 'free'>('free', 0n, 1n, 255n, 65535n, 65536n, U64_MASK),
      hashAlgo: fc.constantFrom(0n, 1n, 2n, U64_MASK),
      flags: fc.constantFrom(0n, 1n, 2n, 4n, 7n, U64_MASK),
      numBps: fc.constantFrom(0n, 6n, 7n, 64n),
      numWps: fc.constantFrom(0n, 6n, 7n, 64n),
      pmuNumCtrs: fc.constantFrom(0n, 4n, 5n, 32n),
    }),
    weight: 1,
  },
);

function recParamsArb(rd: Pick, auxK: number): fc.Arbitrary<RecParamsChoice> {
  const meaningfulAux: Pick[] = [1, 2, 3, 4].map((i) => ({ kind: 'state', state: 'DELEGATED', k: auxK + i }));
  return fc.record({
    flags: fc.constantFrom(1n, 1n, 1n, 0n, U64_MASK),
    mpidr: fc.oneof({ arbitrary: fc.constant<Pick>({ kind: 'next-mpidr', rd, delta: 0 }), weight: 8 }, { arbitrary: fc.constantFrom<Pick>({ kind: 'next-mpidr', rd, delta: -1 }, { kind: 'next-mpidr', rd, delta: 1 }, { kind: 'raw', v: 0x100000000000n }), weight: 1 }),
    pc: fc.constantFrom(0n, 0x1000n, 0x80000000n),
    gprs: fc.array(fc.constantFrom(0n, 1n, 0xdeadn, U64_MASK), { maxLength: 8 }),
    numAux: fc.oneof({ arbitrary: fc.constant<'auto'>('auto'), weight: 8 }, { arbitrary: fc.constantFrom(0n, 1n, 3n, 16n, 17n, U64_MASK), weight: 1 }),
    aux: fc.oneof(
      { arbitrary: fc.constant(meaningfulAux), weight: 8 },
      { arbitrary: fc.array(fc.oneof(delegatedPick, anyGranule, adversarial), { maxLength: 4 }), weight: 2 },
      { arbitrary: fc.constant([meaningfulAux[0], meaningfulAux[0]]), weight: 1 }, // aux_alias
    ),
  });
}

/** A realm SMC: X0 = an RSI or PSCI function ID, X1..X3 = arguments, then `smc`. */
const realmCallArb: fc.Arbitrary<Instr[]> = fc
  .tuple(
    fc.constantFrom(
      0xc4000190n, 0xc4000192n, 0xc4000193n, 0xc4000194n, 0xc4000195n, 0xc4000196n, 0xc4000197n, 0xc4000197n, 0xc4000198n, 0xc4000199n,
      0x84000000n, 0x84000002n, 0xc4000003n, 0xc4000003n, 0xc4000004n, 0x84000008n, 0x8400000an, 0xc400019fn,
    ),
    fc.array(fc.oneof(fc.constantFrom(0n, 1n, 0x100n, 0x1000n, 0x2000n, 0x3000n, 0x200000n, 0x80000000n), u64arb), { minLength: 3, maxLength: 3 }),
  )
  .map(([fid, args]): Instr[] => [{ op: 'mov', reg: 0, value: fid }, ...args.map((value, i): Instr => ({ op: 'mov', reg: i + 1, value })), { op: 'smc' }]);

const realmInstrArb: fc.Arbitrary<Instr> = fc.oneof(
  fc.constantFrom<Instr>({ op: 'irq' }, { op: 'fiq' }, { op: 'wfi' }, { op: 'wfe' }, { op: 'hvc' }, { op: 'serror' }),
  fc.tuple(k, fc.integer({ min: 0, max: 30 })).map(([kk, reg]): Instr => ({ op: 'load', ipa: BigInt(nth(HOT_IPAS, kk)!), reg })),
  fc.tuple(k, fc.integer({ min: 0, max: 30 })).map(([kk, reg]): Instr => ({ op: 'store', ipa: BigInt(nth(HOT_IPAS, kk)!), reg })),
  fc.tuple(fc.integer({ min: 0, max: 30 }), u64arb).map(([reg, value]): Instr => ({ op: 'mov', reg, value })),
);

/** Host and device memory accesses (and param/entry structure writes). */
function memArb(cfg: Config): fc.Arbitrary<Cmd> {
  const cpu = cpuArb(cfg);
  const at = fc.oneof({ arbitrary: nsPick, weight: 3 }, { arbitrary: anyGranule, weight: 3 }, { arbitrary: adversarial, weight: 1 });
  const off = fc.oneof({ arbitrary: fc.constantFrom(0, 8, 0x800, 0xff8), weight: 6 }, { arbitrary: fc.constantFrom(1, 4, 0x1000, 0xffc), weight: 1 });
  const words = fc.array(fc.oneof(fc.constantFrom(0n, 1n, 0x1234n), u64arb), { minLength: 1, maxLength: 4 });
  return fc.oneof(
    fc.tuple(cpu, at, off, fc.integer({ min: 1, max: 4 })).map(([c, a, o, n]): Cmd => ({ kind: 'host-read', cpu: c, at: a, off: o, count: n })),
    fc.tuple(at, off, fc.integer({ min: 1, max: 4 })).map(([a, o, n]): Cmd => ({ kind: 'dma-read', cpu: -1, at: a, off: o, count: n })),
    fc.tuple(cpu, at, off, words).map(([c, a, o, w]): Cmd => ({ kind: 'host-write', cpu: c, at: a, off: o, words: w })),
    fc.tuple(at, off, words).map(([a, o, w]): Cmd => ({ kind: 'dma-write', cpu: -1, at: a, off: o, words: w })),
    fc.tuple(cpu, nsPick, fc.constantFrom(0n, 0n, 1n, 2n, 4n, 0x10n, 0x1fn), fc.constantFrom(0n, 0n, 1n << 20n), fc.array(u64arb, { maxLength: 2 })).map(
      ([c, a, flags, gicHcr, gprs]): Cmd => ({ kind: 'rec-entry', cpu: c, at: a, flags, gicHcr, gprs }),
    ),
  );
}

/**
 * Short host scenarios that make deep states likely. Each delegates the granules it needs itself,
 * named by granule index (stable under shrinking), and uses the k-th RD / REC for the rest.
 */
function scenarios(cfg: Config) {
  const cpu = fc.oneof({ arbitrary: fc.constant(0), weight: 2 }, { arbitrary: fc.integer({ min: 0, max: cfg.cpus - 1 }), weight: 1 });
  /** Mostly a protected hot IPA (w = 32), sometimes any. */
  const hotK = fc.oneof({ arbitrary: fc.nat({ max: 8 }), weight: 3 }, { arbitrary: k, weight: 1 });
  const rmi = (c: number, name: RmiName, ...args: Pick[]): Cmd => ({ kind: 'rmi', cpu: c, name, args });
  const g = (i: number): Pick => ({ kind: 'granule', k: i });
  const delegate = (c: number, ...is: number[]) => is.map((i) => rmi(c, 'GRANULE_DELEGATE', g(i)));
  const gi = fc.nat({ max: cfg.granules - 1 });
  const rdK: fc.Arbitrary<Pick> = k.map((kk) => ({ kind: 'state', state: 'RD', k: kk }) as const);

  const delegateRun = fc.tuple(cpu, fc.constantFrom(1, 2, 4), gi).map(([c, n, base]) =>
    delegate(c, ...Array.from({ length: n }, (_, i) => base - (base % n) + i)),
  );
  // Delegate the roots (an aligned run) and the RD, write the params, REALM_CREATE.
  const makeRealm = fc.tuple(cpu, gi, gi, k, realmParamsArb).map(([c, base, rdI, kp, p]): Chunk => {
    const n = p.rttBase.kind === 'run' ? p.rttBase.n : 1;
    const root = base - (base % n);
    const roots = Array.from({ length: n }, (_, i) => root + i);
    const rd = roots.includes(rdI) ? (root + n) % cfg.granules : rdI;
    const params: RealmParamsChoice = p.rttBase.kind === 'run' ? { ...p, rttBase: g(root) } : p;
    return [
      ...delegate(c, ...roots, rd),
      { kind: 'realm-params', cpu: c, at: { kind: 'ns', k: kp }, p: params },
      rmi(c, 'REALM_CREATE', g(rd), { kind: 'ns', k: kp }),
    ];
  });
  // RTTs down to level 2 or 3 at a hot IPA.
  // (The new table is the k-th DELEGATED granule: whichever the delegation just made, or an older one.)
  const rttChain = fc.tuple(cpu, rdK, gi, gi, k, hotK, fc.constantFrom(2, 3, 3)).map(([c, rd, a, b, kt, ki, depth]): Chunk => {
    const out: Cmd[] = [];
    // Level 2 (or the first level below the start level), then level 3.
    const levels: Pick[] = depth === 2 ? [{ kind: 'below-start', rd, min: 2 }] : [{ kind: 'below-start', rd, min: 2 }, levelPick(3)];
    levels.forEach((level, i) => {
      out.push(...delegate(c, i ? b : a), rmi(c, 'RTT_CREATE', rd, { kind: 'state', state: 'DELEGATED', k: kt }, { kind: 'ipa', k: ki, align: i ? 2 : 1 }, level));
    });
    return out;
  });
  // DATA at a hot IPA of the k-th realm, or (mostly) in a page of an existing level-3 table of some realm.
  const dataAt = fc.oneof(
    { arbitrary: fc.tuple(k, fc.nat({ max: 8 })).map(([kr, ki]): [Pick, Pick] => [{ kind: 'state', state: 'RD', k: kr }, { kind: 'ipa', k: ki, align: 3 }]), weight: 1 },
    { arbitrary: fc.tuple(k, fc.nat({ max: 3 })).map(([kk, page]): [Pick, Pick] => [{ kind: 'l3', k: kk, part: 'rd', plus: 0 }, { kind: 'l3', k: kk, part: 'ipa', plus: page * 0x1000 }]), weight: 3 },
  );
  const makeData = fc.tuple(cpu, dataAt, gi, k, k, fc.boolean(), fc.constantFrom(0n, 1n), fc.array(u64arb, { minLength: 1, maxLength: 2 })).map(
    ([c, [rd, ipa], d, kd, ks, unknown, flags, words]): Chunk => {
      const data: Pick = { kind: 'state', state: 'DELEGATED', k: kd };
      if (unknown) return [...delegate(c, d), rmi(c, 'DATA_CREATE_UNKNOWN', rd, data, ipa)];
      const src: Pick = { kind: 'ns', k: ks };
      return [
        ...delegate(c, d),
        { kind: 'host-write', cpu: c, at: src, off: 0, words },
        rmi(c, 'DATA_CREATE', rd, data, ipa, src, { kind: 'raw', v: flags }),
      ];
    },
  );
  const makeRec = fc.tuple(cpu, rdK, gi, gi, gi, k).chain(([c, rd, r, a1, a2, kp]) =>
    recParamsArb(rd, 0).map((p): Chunk => {
      const aux = cfg.recAuxCount === 2 && p.aux.length === 4 && p.aux[0].kind === 'state' ? [g(a1), g(a2)] : p.aux;
      return [
        ...delegate(c, r, a1, a2),
        { kind: 'rec-params', cpu: c, at: { kind: 'ns', k: kp }, p: { ...p, aux } },
        rmi(c, 'REC_CREATE', rd, g(r), { kind: 'ns', k: kp }),
      ];
    }),
  );
  const initRipas = fc.tuple(cpu, rdK, k, fc.constantFrom(0x1000, 0x4000, 0x200000)).map(([c, rd, ki, len]): Chunk => [
    rmi(c, 'RTT_INIT_RIPAS', rd, { kind: 'ipa', k: ki, align: 3 }, { kind: 'ipa', k: ki, align: 3, plus: len }),
  ]);
  const mapNs = fc.tuple(cpu, rdK, gi, gi, k, attrsArb, k).map(([c, rd, a, b, ki, attrs, kn]): Chunk => [
    ...delegate(c, a, b),
    rmi(c, 'RTT_CREATE', rd, g(a), { kind: 'ipa', k: 9 + (ki % 5), align: 1 }, levelPick(2)),
    rmi(c, 'RTT_CREATE', rd, g(b), { kind: 'ipa', k: 9 + (ki % 5), align: 2 }, levelPick(3)),
    rmi(c, 'RTT_MAP_UNPROTECTED', rd, { kind: 'ipa', k: 9 + (ki % 5), align: 3 }, levelPick(3), { kind: 'desc', at: { kind: 'ns', k: kn }, attrs }),
  ]);
  // Run a REC: a few instructions or an RSI/PSCI call, then the host's follow-up (re-entry, answering
  // a PSCI request, applying a RIPAS change).
  const realmWork = fc.oneof(fc.array(realmInstrArb, { minLength: 1, maxLength: 3 }), realmCallArb);
  const enter = fc.tuple(cpu, rdK, k, k, k, realmWork, fc.nat({ max: 3 })).map(([c, rd, kr, kt, kn, instrs, followUp]): Chunk => {
    const rec: Pick = { kind: 'state', state: 'REC', k: kr };
    const out: Cmd[] = [
      rmi(c, 'REALM_ACTIVATE', rd),
      rmi(c, 'REC_ENTER', rec, { kind: 'ns', k: kn }),
      ...instrs.map((instr): Cmd => ({ kind: 'realm', cpu: c, instr })),
    ];
    if (followUp === 1) out.push(rmi(c, 'PSCI_COMPLETE', rec, { kind: 'state', state: 'REC', k: kt }, { kind: 'raw', v: 0n }));
    if (followUp === 2) out.push(rmi(c, 'RTT_SET_RIPAS', rd, rec, { kind: 'rec-ripas', rec, part: 'addr' }, { kind: 'rec-ripas', rec, part: 'top' }));
    if (followUp !== 0) out.push(rmi(c, 'REC_ENTER', rec, { kind: 'ns', k: kn }), { kind: 'realm', cpu: c, instr: { op: 'irq' } });
    return out;
  });
  // Tear a realm down, deepest objects first: RECs, DATA, RTTs (post-order), then the RD.
  const teardown = fc.tuple(cpu, rdK, k, fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 4 }), fc.boolean()).map(
    ([c, rd, kr, nData, nRtt, undelegate]): Chunk => {
      const out: Cmd[] = [rmi(c, 'REC_DESTROY', { kind: 'state', state: 'REC', k: kr })];
      for (let i = 0; i < nData; i++) out.push(rmi(c, 'DATA_DESTROY', rd, entryPick(rd, ['ASSIGNED'], 'ipa')));
      for (let i = 0; i < nRtt; i++) out.push(rmi(c, 'RTT_DESTROY', rd, entryPick(rd, ['TABLE'], 'ipa'), entryPick(rd, ['TABLE'], 'child-level')));
      out.push(rmi(c, 'REALM_DESTROY', rd));
      if (undelegate) out.push(rmi(c, 'GRANULE_UNDELEGATE', { kind: 'state', state: 'DELEGATED', k: kr }));
      return out;
    },
  );
  // A REC created, its realm activated, the REC run.
  const recAndRun = fc.tuple(makeRec, enter).map(([a, b]): Chunk => [...a, ...b]);
  return { delegateRun, makeRealm, rttChain, makeData, makeRec, initRipas, mapNs, enter, recAndRun, teardown };
}

function scenarioArb(cfg: Config): fc.Arbitrary<Chunk> {
  const { delegateRun, makeRealm, rttChain, makeData, makeRec, initRipas, mapNs, enter, recAndRun, teardown } = scenarios(cfg);
  return fc.oneof(
    { arbitrary: delegateRun, weight: 2 },
    { arbitrary: makeRealm, weight: 5 },
    { arbitrary: rttChain, weight: 5 },
    { arbitrary: makeData, weight: 5 },
    { arbitrary: makeRec, weight: 3 },
    { arbitrary: initRipas, weight: 1 },
    { arbitrary: mapNs, weight: 1 },
    { arbitrary: enter, weight: 1 },
    { arbitrary: recAndRun, weight: 2 },
    { arbitrary: teardown, weight: 2 },
  );
}

/** A single command of any kind. */
export function cmdArb(opts: TraceOptions = {}): fc.Arbitrary<Cmd> {
  const cfg = opts.cfg ?? DEFAULT_CONFIG;
  const cpu = cpuArb(cfg);
  const fidArb = fc.oneof(
    fc.constantFrom(0xc4000156n, 0xc4000160n, 0xc4000163n, 0xc400016an, 0xc4000170n, 0xc4000150n - 1n, 0n, U64_MASK, 0x84000000n),
    u64arb,
  );
  return fc.oneof(
    { arbitrary: rmiArb(cfg), weight: 12 },
    { arbitrary: memArb(cfg), weight: 3 },
    { arbitrary: fc.tuple(cpu, fidArb, fc.array(adversarial, { maxLength: 3 })).map(([c, fid, args]): Cmd => ({ kind: 'fid', cpu: c, fid, args })), weight: 1 },
    { arbitrary: fc.tuple(cpu, realmInstrArb).map(([c, instr]): Cmd => ({ kind: 'realm', cpu: c, instr })), weight: opts.realmWeight ?? 1 },
  );
}

/** A trace: chunks of single commands and scenarios, flattened, `minSteps..maxSteps` long. */
export function traceArb(opts: TraceOptions = {}): fc.Arbitrary<Cmd[]> {
  const cfg = opts.cfg ?? DEFAULT_CONFIG;
  const minSteps = opts.minSteps ?? 20;
  const maxSteps = opts.maxSteps ?? 80;
  const chunk = fc.oneof({ arbitrary: cmdArb(opts).map((c) => [c]), weight: 3 }, { arbitrary: scenarioArb(cfg), weight: 2 });
  // A short setup prefix (a realm, its RTTs, some data) so that most of the body runs against live
  // objects; shrinking drops it when it does not matter.
  const sc = scenarios(cfg);
  const setup = fc
    .tuple(
      fc.array(sc.makeRealm, { maxLength: 2, size: 'max' }),
      fc.array(sc.rttChain, { maxLength: 2, size: 'max' }),
      fc.array(sc.makeData, { maxLength: 2, size: 'max' }),
      fc.array(sc.makeRec, { maxLength: 1, size: 'max' }),
    )
    .map(([a, b, c, d]) => [...a, ...b, ...c, ...d]);
  // Chunks average ~2-3 commands; the array bounds are in chunks, the result is cut at maxSteps.
  const body = fc.array(chunk, { minLength: Math.ceil(minSteps / 2), maxLength: Math.ceil(maxSteps / 2), size: 'max' });
  return fc.tuple(setup, body).map(([a, b]) => [...a, ...b].flat().slice(0, maxSteps));
}

/** A readable one-line rendering of a resolved action (for failure messages and replay). */
export function describeAction(a: Action): string {
  const h = (v: bigint) => '0x' + v.toString(16);
  switch (a.kind) {
    case 'rmi':
      return `cpu${a.cpu} rmi ${h(a.fid)}(${a.args.map(h).join(', ')})`;
    case 'host-read':
    case 'dma-read':
      return `${a.kind} ${h(a.addr)} x${a.count}`;
    case 'host-write':
    case 'dma-write':
      return `${a.kind} ${h(a.addr)} ${a.writes.length} words`;
    case 'realm':
      return `cpu${a.cpu} realm ${JSON.stringify(a.instr, (_k, v) => (typeof v === 'bigint' ? h(v) : v))}`;
    case 'micro':
      return `cpu${a.cpu} micro ${a.op}`;
  }
}
