// The real machine's state: GPT + GST + memory per granule (a persistent vector, structurally shared),
// the per-CPU state, and the VMIDs in use. Every object is immutable; commands build new versions.

import { Config } from './config';
import { GRANULE_SHIFT, GRANULE_SIZE, hashWords } from '../../model/bits';
import { PVec, pget, pset, pvecFrom } from '../../model/pvec';
import { GranuleState, Hipas, Pas, RealmState, RecState, Ripas, Words, ZERO_WORDS } from './types';
import type { WmState } from '../shared/weakmem/executor';

/** One RTT entry (reference §5). `addr` is the output PA for ASSIGNED / ASSIGNED_NS / TABLE. */
export interface RttEntry {
  readonly hipas: Hipas;
  readonly ripas: Ripas;
  readonly addr: number;
  /** ASSIGNED_NS only: the host's MemAttr/S2AP descriptor bits. */
  readonly attrs: bigint;
}

export interface Rtt {
  readonly kind: 'rtt';
  readonly level: number;
  readonly entries: readonly RttEntry[]; // 512
}

export interface RealmFeatures {
  readonly lpa2: boolean;
  readonly sve: boolean;
  readonly sveVl: number;
  readonly pmu: boolean;
  readonly pmuNumCtrs: number;
  readonly numBps: number;
  readonly numWps: number;
}

/** Realm Descriptor (reference §4). The number of live RECs is the RD granule's refcount. */
export interface Rd {
  readonly kind: 'rd';
  readonly state: RealmState;
  readonly ipaWidth: number;
  readonly rttBase: number;
  readonly rttLevelStart: number;
  readonly rttNumStart: number;
  readonly vmid: number;
  readonly hashAlgo: number;
  /** [0] = RIM, [1..4] = REMs. */
  readonly measurements: readonly bigint[];
  readonly recIndex: number;
  readonly rpv: readonly bigint[];
  readonly features: RealmFeatures;
}

export type PsciPending =
  | { readonly kind: 'CPU_ON'; readonly target: bigint; readonly entry: bigint; readonly contextId: bigint }
  | { readonly kind: 'AFFINITY_INFO'; readonly target: bigint };

/** Why the REC last exited: decides which entry flags are legal and how entry completes. */
export type LastExit =
  | { readonly kind: 'none' }
  | { readonly kind: 'emulatable-da'; readonly write: boolean; readonly rt: number; readonly size: number; readonly signExtend: boolean; readonly ipa: number }
  | { readonly kind: 'sync' }
  | { readonly kind: 'unprotected-da'; readonly ipa: number }
  | { readonly kind: 'sysreg-read'; readonly rt: number }
  | { readonly kind: 'host-call'; readonly ipa: number }
  | { readonly kind: 'ripas-change' }
  | { readonly kind: 'psci' }
  | { readonly kind: 'other' };

export interface Rec {
  readonly kind: 'rec';
  readonly owner: number; // RD PA
  readonly state: RecState;
  readonly runnable: boolean;
  readonly mpidr: bigint;
  readonly index: number;
  readonly pc: bigint;
  /** Saved register file (realm/regs.ts): X0..X30 then the EL1/timer system registers. */
  readonly regs: readonly bigint[];
  /** Auxiliary granules: they hold the REC's attestation state (rec-aux.ts). */
  readonly aux: readonly number[];
  readonly psciPending: PsciPending | null;
  readonly lastExit: LastExit;
  /** Pending RIPAS change request (RSI_IPA_STATE_SET): [ripasAddr, ripasTop) to ripasValue. */
  readonly ripasAddr: number;
  readonly ripasTop: number;
  readonly ripasValue: Ripas;
  readonly ripasDestroyed: boolean;
  readonly ripasRequested: boolean;
  /** Virtual GIC state: given by the host at entry, reported back at every exit (reference §7). */
  readonly gicHcr: bigint;
  readonly gicLrs: readonly bigint[];
  readonly trapWfi: boolean;
  readonly trapWfe: boolean;
  /** An SEA injected into the realm at entry, delivered at its next step. */
  readonly seaPending: boolean;
  /** The pending host call's structure address (RSI_HOST_CALL), for completion at the next entry. */
  readonly hostCallIpa: number;
  /** Its REC_DESTROY handler is in flight (weak-memory mode): the REC lock is held. */
  readonly destroying?: boolean;
}

export type Content = { readonly kind: 'words'; readonly words: Words } | Rd | Rec | Rtt;
export const ZERO_CONTENT: Content = { kind: 'words', words: ZERO_WORDS };

export interface Granule {
  /** GPT entry (owned by EL3). */
  readonly pas: Pas;
  /** GST: RMM granule state. */
  readonly state: GranuleState;
  /** RD: number of RECs; RTT: number of live entries; REC: 1 while RUNNING. */
  readonly refcount: number;
  readonly content: Content;
}
/** Every granule object is made here, in one shape (V8 map), as RTTs are (rtt.ts makeRtt): the checkers read granules on every step. */
export const makeGranule = (pas: Pas, state: GranuleState, refcount: number, content: Content): Granule => ({ pas, state, refcount, content });
/** New content, as stored (ops.ts claim, setContent): an RD or REC made by spreading an older one is rebuilt field by field, so that it has one shape too. */
export const makeContent = (c: Content): Content => (c.kind === 'rd' ? makeRd(c) : c.kind === 'rec' ? makeRec(c) : c);

const makeRd = (r: Rd): Rd => ({
  kind: 'rd', state: r.state, ipaWidth: r.ipaWidth, rttBase: r.rttBase, rttLevelStart: r.rttLevelStart, rttNumStart: r.rttNumStart, vmid: r.vmid,
  hashAlgo: r.hashAlgo, measurements: r.measurements, recIndex: r.recIndex, rpv: r.rpv, features: r.features,
});
function makeRec(r: Rec): Rec {
  const o: Rec = {
    kind: 'rec', owner: r.owner, state: r.state, runnable: r.runnable, mpidr: r.mpidr, index: r.index, pc: r.pc, regs: r.regs, aux: r.aux,
    psciPending: r.psciPending, lastExit: r.lastExit, ripasAddr: r.ripasAddr, ripasTop: r.ripasTop, ripasValue: r.ripasValue,
    ripasDestroyed: r.ripasDestroyed, ripasRequested: r.ripasRequested, gicHcr: r.gicHcr, gicLrs: r.gicLrs, trapWfi: r.trapWfi,
    trapWfe: r.trapWfe, seaPending: r.seaPending, hostCallIpa: r.hostCallIpa,
  };
  // (Present only while a weak-memory REC_DESTROY is in flight: absent and undefined differ to deepEqual's key count.)
  return r.destroying === undefined ? o : { ...o, destroying: r.destroying };
}

/** What a physical CPU is doing. */
export type CpuMode =
  | { readonly kind: 'host' }
  /** Inside REC_ENTER: running `rec`, exit record goes to `run`. */
  | { readonly kind: 'realm'; readonly rec: number; readonly run: number }
  /** Inside a multi-step RMM handler (weak-memory mode): REC_CREATE, REC_DESTROY or REALM_DESTROY. */
  | { readonly kind: 'micro'; readonly cmd: 'REC_CREATE' | 'REC_DESTROY' | 'REALM_DESTROY'; readonly rd: number; readonly rec: number };

export interface Cpu {
  readonly mode: CpuMode;
  /** The live register file of the REC running on this CPU (realm/regs.ts), else []. */
  readonly regs: readonly bigint[];
  readonly pc: bigint;
}

export interface RealState {
  readonly cfg: Config;
  readonly granules: PVec<Granule>;
  readonly cpus: readonly Cpu[];
  /** VMID -> RD PA, for VMID uniqueness among live realms. */
  readonly vmids: ReadonlyMap<number, number>;
  /** The RMM's weak memory (REC count and list per realm) and in-flight handlers; null until used. */
  readonly wm: WmState | null;
}

/**
 * Every state is made here, in one shape (V8 map), as granules are: a state is copied on every granule
 * write, and spreading states ({ ...s, granules }) was 3% of a checked step in a profile.
 */
export const makeState = (cfg: Config, granules: PVec<Granule>, cpus: readonly Cpu[], vmids: ReadonlyMap<number, number>, wm: WmState | null): RealState =>
  ({ cfg, granules, cpus, vmids, wm });
export const withVmids = (s: RealState, vmids: ReadonlyMap<number, number>): RealState => makeState(s.cfg, s.granules, s.cpus, vmids, s.wm);
export const withWm = (s: RealState, wm: WmState | null): RealState => makeState(s.cfg, s.granules, s.cpus, s.vmids, wm);

export const granuleIndex = (pa: number): number => Math.floor(pa / GRANULE_SIZE);
export const granulePa = (i: number): number => i * GRANULE_SIZE;

export function isMmio(cfg: Config, i: number): boolean {
  for (const [a, b] of cfg.mmioRanges) if (i >= a && i < b) return true;
  return false;
}

/** Is `pa` inside the PA range and backed by memory (not MMIO)? */
export function isMemory(cfg: Config, pa: number): boolean {
  if (pa < 0 || pa >= cfg.granules * GRANULE_SIZE) return false;
  return !isMmio(cfg, pa >>> GRANULE_SHIFT);
}

/** Every CPU is made here (withCpu stores what it is given through it): one shape, as for states. */
export const makeCpu = (mode: CpuMode, regs: readonly bigint[], pc: bigint): Cpu => ({ mode, regs, pc });
const HOST_CPU: Cpu = makeCpu({ kind: 'host' }, [], 0n);

const initialStates = new WeakMap<Config, RealState>();

/** The state after reset: every granule UNDELEGATED in its home PAS, all zero. Shared per config (immutable). */
export function initialState(cfg: Config): RealState {
  const known = initialStates.get(cfg);
  if (known) return known;
  const s = buildInitialState(cfg);
  initialStates.set(cfg, s);
  return s;
}

function buildInitialState(cfg: Config): RealState {
  const secure = new Set(cfg.secureGranules);
  const root = new Set(cfg.rootGranules);
  const gs: Granule[] = [];
  for (let i = 0; i < cfg.granules; i++) {
    const pas: Pas = secure.has(i) ? 'SECURE' : root.has(i) ? 'ROOT' : 'NS';
    gs.push(makeGranule(pas, 'UNDELEGATED', 0, ZERO_CONTENT));
  }
  return makeState(cfg, pvecFrom(gs), Array.from({ length: cfg.cpus }, () => HOST_CPU), new Map(), null);
}

export const granuleAt = (s: RealState, pa: number): Granule => pget(s.granules, granuleIndex(pa));

export function withGranule(s: RealState, pa: number, g: Granule): RealState {
  const granules = pset(s.granules, granuleIndex(pa), g);
  return granules === s.granules ? s : makeState(s.cfg, granules, s.cpus, s.vmids, s.wm);
}

export function updateGranule(s: RealState, pa: number, f: (g: Granule) => Granule): RealState {
  return withGranule(s, pa, f(granuleAt(s, pa)));
}

export function withCpu(s: RealState, cpu: number, c: Cpu): RealState {
  const cpus = s.cpus.slice();
  cpus[cpu] = makeCpu(c.mode, c.regs, c.pc);
  return makeState(s.cfg, s.granules, cpus, s.vmids, s.wm);
}

export const hostCpu = HOST_CPU;

export function rdOf(s: RealState, pa: number): Rd {
  return granuleAt(s, pa).content as Rd;
}
export function recOf(s: RealState, pa: number): Rec {
  return granuleAt(s, pa).content as Rec;
}
export function rttOf(s: RealState, pa: number): Rtt {
  return granuleAt(s, pa).content as Rtt;
}

/**
 * The 4 KB a physical read of the granule returns. Metadata objects are not zero: their bytes are a
 * deterministic digest of the object, so a granule that returns to the host unscrubbed leaks visibly.
 */
const digests = new WeakMap<Content, Words>();
export function contentWords(c: Content): Words {
  if (c.kind === 'words') return c.words;
  const cached = digests.get(c);
  if (cached) return cached;
  const text = JSON.stringify(c, (_k, v) => (typeof v === 'bigint' ? v.toString(16) : v));
  const codes: bigint[] = [];
  for (let i = 0; i < text.length; i++) codes.push(BigInt(text.charCodeAt(i)));
  const w: Words = new Map([[0, hashWords(0x5ca1ab1en, codes) | 1n]]);
  digests.set(c, w);
  return w;
}
