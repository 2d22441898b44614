// The Status oracle (DESIGN.md "Independent oracles"): every RMI command's failure conditions as data,
// written from the reference (rmm-v1.0.md §6, with the failure-condition orderings of DEN0137 1.0
// B4.3.x) and evaluated on the pre-state. It gives the set of results the specification allows:
//   - a condition is evaluated only when the conditions it `needs` (well-formedness: the granule is
//     an RD before the realm's state is read) do not hold;
//   - a holding condition's error is allowed unless a condition it comes `after` (an ordering the
//     specification states, e.g. [rd_bound, rd_state] < [realm_state], [ipa_bound] < [rtt_walk]) holds;
//   - conditions without an ordering between them are unordered: any of their errors is allowed;
//   - no holding condition: SUCCESS.
// `maybe` marks conditions where TF-RMM and the model disagree pending issue 14's fidelity fixes: both
// outcomes are accepted. Shares no code with real/cca/rmi/*: the RTT walk, the fold rule, the MPIDR
// and GIC checks are this folder's own (world.ts).

import type { Violation } from '../../../model/system';
import type { Action, Observation } from '../../../real/cca/actions';
import type { RealState, Rd, Rec } from '../../../real/cca/state';
import { RMI_NAMES, RMI_COMMANDS, RmiName } from '../../../real/cca/rmi';
import { REALM_PARAMS, REC_ENTRY, REC_PARAMS } from '../../../real/cca/layout';
import {
  GRAN, Walk, aligned, delegable, entrySize, entrySizeN, foldOf, gicValid, gran, levelArg, mpidrIndex, par, rdAt, recAt, rttAt,
  paBits, rttIsLive, stateOf, walkTo, word,
} from './world';
import type { Rd as RdT } from '../../../real/cca/state';

const OA_LPA2 = ((1n << 50n) - 1n) & ~0xfffn, OA_48 = 0xffff_ffff_f000n;
const MASK_LPA2 = 0x1cn | 0xc0n | OA_LPA2 | 0x300n, MASK_48 = 0x1cn | 0xc0n | OA_48;
/** Descriptor bits the host may set (MemAttr [4:2], S2AP [7:6], OA [47:12]; LPA2: OA [49:12] and OA[51:50] in [9:8]). */
export const hostMask = (rd: RdT): bigint => (rd.features.lpa2 ? MASK_LPA2 : MASK_48);
/** The output address a descriptor names. */
export const descOa = (desc: bigint, rd: RdT): bigint => (rd.features.lpa2 ? (desc & OA_LPA2) | (((desc >> 8n) & 3n) << 50n) : desc & OA_48);

/** An allowed result: 'SUCCESS', 'ERROR_INPUT', 'ERROR_REALM/1', 'ERROR_RTT/2', ... (index shown when not 0). */
type Err = string;
const INPUT = 'ERROR_INPUT', REALM = 'ERROR_REALM', REC = 'ERROR_REC';
const RTT = (l: number): Err => `ERROR_RTT/${l}`;

interface Cond {
  readonly id: string;
  readonly pre: () => boolean;
  readonly err: Err | (() => Err);
  readonly needs?: readonly string[];
  readonly after?: readonly string[];
  readonly maybe?: boolean;
  /** Not a failure condition: only what other conditions need to be evaluable (e.g. an IPA the walk can take). */
  readonly guard?: boolean;
}
const cond = (id: string, pre: () => boolean, err: Cond['err'], o: Partial<Pick<Cond, 'needs' | 'after' | 'maybe' | 'guard'>> = {}): Cond => ({ id, pre, err, ...o });

/** G(x, S): x_align, x_bound, x_state, all ERROR_INPUT [S]. */
const G = (p: string, s: RealState, v: bigint, state: string): Cond[] => [
  cond(`${p}_align`, () => !aligned(v), INPUT),
  cond(`${p}_bound`, () => !delegable(s, v), INPUT),
  cond(`${p}_state`, () => stateOf(s, v) !== state, INPUT, { needs: [`${p}_align`, `${p}_bound`] }),
];
/** NS(p): p_align, p_bound, p_pas (GPT NS), all ERROR_INPUT. */
const NS = (p: string, s: RealState, v: bigint): Cond[] => [
  cond(`${p}_align`, () => !aligned(v), INPUT),
  cond(`${p}_bound`, () => !delegable(s, v), INPUT),
  cond(`${p}_pas`, () => gran(s, v)!.pas !== 'NS', INPUT, { needs: [`${p}_align`, `${p}_bound`] }),
];
const RD_OK = ['rd_align', 'rd_bound', 'rd_state'];
const lazy = <T>(f: () => T): (() => T) => {
  let v: T | undefined;
  let done = false;
  return () => (done ? (v as T) : ((done = true), (v = f())));
};

type Table = (s: RealState, x: (i: number) => bigint) => Cond[];

/** The structure commands' argument rows (RTT_CREATE/DESTROY/FOLD): the level-(l-1) entry holds the table. */
function structure(s: RealState, rd: () => Rd, ipa: bigint, level: bigint): Cond[] {
  const l = levelArg(level);
  return [
    cond('level_bound', () => l < rd().rttLevelStart + 1 || l > 3, INPUT, { needs: RD_OK }),
    cond('ipa_align', () => !aligned(ipa, entrySizeN(l - 1)), INPUT, { needs: [...RD_OK, 'level_bound'] }),
    cond('ipa_bound', () => ipa >= 1n << BigInt(rd().ipaWidth), INPUT, { needs: RD_OK }),
  ];
}
/** The walk of a structure command: towards level-1, needs the realm, a valid level and ipa < 2^w ([level_bound, ipa_bound] < [rtt_walk, ...]). */
const WALKABLE = [...RD_OK, 'level_bound', 'ipa_bound'];

const TABLES: Record<RmiName, Table> = {
  VERSION: (_s, x) => [cond('version', () => x(0) !== 0x10000n, INPUT)],
  FEATURES: () => [],
  GRANULE_DELEGATE: (s, x) => [...G('gran', s, x(0), 'UNDELEGATED'), cond('gran_gpt', () => gran(s, x(0))!.pas !== 'NS', INPUT, { needs: ['gran_align', 'gran_bound'] })],
  GRANULE_UNDELEGATE: (s, x) => G('gran', s, x(0), 'DELEGATED'),
  REALM_ACTIVATE: (s, x) => [...G('rd', s, x(0), 'RD'), cond('realm_state', () => rdAt(s, x(0)).state !== 'NEW', REALM, { needs: RD_OK })],
  REALM_DESTROY: (s, x) => [
    ...G('rd', s, x(0), 'RD'),
    // RealmIsLive: RECs exist (in weak-memory mode the handler decides), or a root RTT has an ASSIGNED or TABLE entry.
    cond('realm_live', () => {
      const rd = rdAt(s, x(0));
      if (!s.cfg.weakMemory && gran(s, x(0))!.refcount !== 0) return true;
      for (let i = 0; i < rd.rttNumStart; i++) if (rttIsLive(rttAt(s, rd.rttBase + i * GRAN))) return true;
      return false;
    }, REALM, { needs: RD_OK }),
  ],
  REC_AUX_COUNT: (s, x) => G('rd', s, x(0), 'RD'),
  REALM_CREATE: (s, x) => {
    const ptr = x(1);
    const w = (off: number) => word(gran(s, ptr), off);
    // Field widths of RmiRealmParams (TF-RMM struct rmi_realm_params): 32-bit counts and s2sz, 8-bit
    // hash algorithm, 16-bit VMID; flags, rtt_base and rtt_level_start are 64-bit (issue 14 §4).
    const u32 = (off: number) => w(off) & 0xffff_ffffn;
    const p = ['params_align', 'params_bound', 'params_pas'];
    const flags = () => w(REALM_PARAMS.flags), s2sz = () => u32(REALM_PARAMS.s2sz), hash = () => w(REALM_PARAMS.hashAlgo) & 0xffn;
    const num = () => u32(REALM_PARAMS.rttNumStart), base = () => w(REALM_PARAMS.rttBase), vmid = () => w(REALM_PARAMS.vmid) & 0xffffn;
    const start = () => (w(REALM_PARAMS.rttLevelStart) >= 1n << 63n ? w(REALM_PARAMS.rttLevelStart) - (1n << 64n) : w(REALM_PARAMS.rttLevelStart));
    const lpa2 = () => (flags() & 1n) !== 0n;
    const c = s.cfg;
    return [
      ...NS('params', s, ptr),
      cond('params_valid', () => hash() > 1n || s2sz() < BigInt(c.minIpaWidth) || s2sz() > BigInt(c.maxIpaWidth), INPUT, { needs: p }),
      // RealmParamsSupported: features FEATURES does not offer; 0 breakpoints/watchpoints are reserved,
      // PMU with 0 counters needs FEAT_HPMN0 (TF-RMM validate_realm_params; issue 14 §4).
      cond('params_supp', () => {
        const f = flags();
        if (lpa2() && !c.lpa2) return true;
        if (f & 2n && (!c.sveSupported || u32(REALM_PARAMS.sveVl) > BigInt(c.sveMaxVl))) return true;
        const ctrs = u32(REALM_PARAMS.pmuNumCtrs);
        if (f & 4n && (!c.pmuSupported || ctrs > BigInt(c.pmuMaxCtrs) || (ctrs === 0n && !c.pmuHpmn0))) return true;
        const [bps, wps] = [u32(REALM_PARAMS.numBps), u32(REALM_PARAMS.numWps)];
        if (bps === 0n || wps === 0n || bps > BigInt(c.maxBps) || wps > BigInt(c.maxWps)) return true;
        return (hash() === 0n && !c.sha256) || (hash() === 1n && !c.sha512);
      }, INPUT, { needs: p }),
      // RttConfigIsValid (reference §10): width ≤ 48 (52 with LPA2), start level 0-3 (-1 with LPA2),
      // level 0 needs a PA width ≥ 44, and exactly as many concatenated roots as the geometry needs.
      cond('rtt_num_level', () => {
        const l = start();
        const wd = s2sz();
        if (wd > (lpa2() ? 52n : 48n) || l < (lpa2() ? -1n : 0n) || l > 3n) return true;
        if (l === 0n && c.paWidth < 44) return true;
        if (l === -1n) return wd < 49n || wd > 52n || num() !== 1n;
        const b = (3n - l) * 9n;
        if (wd < b + 13n || wd > b + 25n) return true;
        return num() !== (wd <= b + 21n ? 1n : 1n << (wd - (b + 21n)));
      }, INPUT, { needs: p }),
      cond('vmid_valid', () => vmid() >= 1n << BigInt(c.vmidBits) || s.vmids.has(Number(vmid())), INPUT, { needs: p }),
      cond('alias', () => x(0) >= base() && x(0) < base() + num() * BigInt(GRAN), INPUT, { needs: p }),
      ...G('rd', s, x(0), 'DELEGATED'),
      cond('rtt_align', () => num() === 0n || base() % (num() * BigInt(GRAN)) !== 0n, INPUT, { needs: p }),
      cond('rtt_state', () => {
        for (let a = base(), i = 0n; i < num() && i < 64n; i++, a += BigInt(GRAN)) if (!aligned(a) || !delegable(s, a) || stateOf(s, a) !== 'DELEGATED') return true;
        return false;
      }, INPUT, { needs: p }),
    ];
  },
  REC_CREATE: (s, x) => {
    const ptr = x(2);
    const w = (off: number) => word(gran(s, ptr), off);
    const p = ['params_align', 'params_bound', 'params_pas'];
    const n = () => w(REC_PARAMS.numAux);
    const aux = lazy(() => Array.from({ length: Number(n() < 16n ? n() : 16n) }, (_, i) => w(REC_PARAMS.aux + 8 * i)));
    const rd = () => rdAt(s, x(0));
    return [
      ...NS('params', s, ptr),
      cond('num_aux', () => n() > 16n, INPUT, { needs: p }),
      cond('aux_align', () => aux().some((a) => !aligned(a)), INPUT, { needs: p }),
      cond('aux_bound', () => aux().some((a) => !delegable(s, a)), INPUT, { needs: p }),
      cond('aux_alias', () => aux().some((a, i) => a === x(1) || aux().indexOf(a) !== i), INPUT, { needs: p }),
      cond('aux_state', () => aux().some((a) => aligned(a) && delegable(s, a) && stateOf(s, a) !== 'DELEGATED'), INPUT, { needs: p }),
      ...G('rec', s, x(1), 'DELEGATED'),
      ...G('rd', s, x(0), 'RD'),
      // "too many RECs" (reference §6): the realm's MPIDR index space (MAX_RECS_ORDER) is used up.
      cond('num_recs', () => rd().recIndex >= 2 ** s.cfg.maxRecsOrder, REALM, { needs: RD_OK }),
      cond('realm_state', () => rd().state !== 'NEW', REALM, { needs: RD_OK }),
      cond('mpidr_index', () => mpidrIndex(w(REC_PARAMS.mpidr)) !== rd().recIndex, INPUT, { needs: [...p, ...RD_OK] }),
      cond('num_aux_count', () => n() !== BigInt(s.cfg.recAuxCount), INPUT, { needs: p }),
    ];
  },
  REC_DESTROY: (s, x) => [...G('rec', s, x(0), 'REC'), cond('rec_running', () => recAt(s, x(0)).state === 'RUNNING', REC, { needs: ['rec_align', 'rec_bound', 'rec_state'] })],
  REC_ENTER: (s, x) => {
    const run = x(1);
    const rec = () => recAt(s, x(0));
    const realm = () => rdAt(s, BigInt(rec().owner)).state;
    const flags = () => word(gran(s, run), REC_ENTRY.flags);
    // [rec_align, rec_bound, rec_gran_state, run_pas, run_bound, run_align] < everything else.
    const o = { needs: ['rec_align', 'rec_bound', 'rec_state'], after: ['run_align', 'run_bound', 'run_pas'] };
    const last = () => rec().lastExit.kind;
    return [
      ...NS('run', s, run),
      ...G('rec', s, x(0), 'REC'),
      cond('rec_running', () => rec().state === 'RUNNING', REC, o),
      cond('realm_new', () => realm() === 'NEW', REALM, o),
      cond('system_off', () => realm() === 'SYSTEM_OFF', `${REALM}/1`, o),
      cond('rec_runnable', () => !rec().runnable, REC, o),
      cond('rec_psci', () => rec().psciPending !== null, REC, o),
      cond('rec_gicv3', () => {
        const g = gran(s, run);
        const lrs = Array.from({ length: 16 }, (_, i) => word(g, REC_ENTRY.gicv3Lrs + 8 * i));
        return !gicValid(word(g, REC_ENTRY.gicv3Hcr), lrs, s.cfg.gicNumLrs);
      }, REC, { needs: ['rec_align', 'rec_bound', 'rec_state', 'run_align', 'run_bound', 'run_pas'] }),
      cond('inject_sea', () => (flags() & 2n) !== 0n && last() !== 'unprotected-da' && last() !== 'emulatable-da', REC, { ...o, needs: [...o.needs, ...o.after] }),
      cond('rec_mmio', () => (flags() & 1n) !== 0n && last() !== 'emulatable-da', REC, { ...o, needs: [...o.needs, ...o.after] }),
    ];
  },
  PSCI_COMPLETE: (s, x) => {
    const calling = () => recAt(s, x(0)), target = () => recAt(s, x(1));
    const both = ['calling_align', 'calling_bound', 'calling_state', 'target_align', 'target_bound', 'target_state'];
    const pend = [...both, 'pending'];
    return [
      cond('alias', () => x(0) === x(1), INPUT),
      ...G('calling', s, x(0), 'REC'),
      ...G('target', s, x(1), 'REC'),
      cond('calling_running', () => calling().state === 'RUNNING', INPUT, { needs: both }),
      cond('pending', () => calling().psciPending === null, INPUT, { needs: both }),
      cond('owner', () => target().owner !== calling().owner, INPUT, { needs: both }),
      cond('target', () => target().mpidr !== calling().psciPending!.target, INPUT, { needs: pend }),
      // PsciReturnCodePermitted: SUCCESS; or DENIED for a CPU_ON whose target is not already on.
      cond('status', () => !(x(2) === 0n || (calling().psciPending!.kind === 'CPU_ON' && x(2) === (1n << 64n) - 3n && !target().runnable)), INPUT, { needs: pend }),
    ];
  },
  DATA_CREATE: (s, x) => [
    cond('flags_valid', () => x(4) > 1n, INPUT),
    ...NS('src', s, x(3)),
    ...G('data', s, x(1), 'DELEGATED'),
    ...G('rd', s, x(0), 'RD'),
    cond('realm_state', () => rdAt(s, x(0)).state !== 'NEW', REALM, { needs: RD_OK }),
    ...dataRows(s, x(0), x(2), x(1), 'UNASSIGNED'),
  ],
  DATA_CREATE_UNKNOWN: (s, x) => [...G('data', s, x(1), 'DELEGATED'), ...G('rd', s, x(0), 'RD'), ...dataRows(s, x(0), x(2), x(1), 'UNASSIGNED')],
  DATA_DESTROY: (s, x) => [...G('rd', s, x(0), 'RD'), ...dataRows(s, x(0), x(1), null, 'ASSIGNED')],
  RTT_CREATE: (s, x) => {
    const rd = () => rdAt(s, x(0));
    const l = levelArg(x(3));
    const w = lazy(() => walkTo(s, rd(), Number(x(2)), l - 1));
    return [
      ...G('rd', s, x(0), 'RD'),
      ...structure(s, rd, x(2), x(3)),
      ...G('rtt', s, x(1), 'DELEGATED'),
      cond('rtt_bound2', () => x(1) >= 1n << paBits(rd()), INPUT, { needs: RD_OK }),
      cond('rtt_walk', () => w().level < l - 1, () => RTT(w().level), { needs: WALKABLE }),
      cond('rtte_state', () => w().entry.hipas === 'TABLE', () => RTT(w().level), { needs: [...WALKABLE, 'rtt_walk'] }),
    ];
  },
  RTT_DESTROY: (s, x) => {
    const rd = () => rdAt(s, x(0));
    const l = levelArg(x(2));
    const w = lazy(() => walkTo(s, rd(), Number(x(1)), l - 1));
    return [
      ...G('rd', s, x(0), 'RD'),
      ...structure(s, rd, x(1), x(2)),
      cond('rtt_walk', () => w().level < l - 1, () => RTT(w().level), { needs: WALKABLE }),
      cond('rtte_state', () => w().entry.hipas !== 'TABLE', () => RTT(w().level), { needs: [...WALKABLE, 'rtt_walk'] }),
      cond('rtt_live', () => rttIsLive(rttAt(s, w().entry.addr)), RTT(l), { needs: [...WALKABLE, 'rtt_walk', 'rtte_state'] }),
    ];
  },
  RTT_FOLD: (s, x) => {
    const rd = () => rdAt(s, x(0));
    const l = levelArg(x(2));
    const w = lazy(() => walkTo(s, rd(), Number(x(1)), l - 1));
    const f = lazy(() => foldOf(rttAt(s, w().entry.addr), l));
    const after = [...WALKABLE, 'rtt_walk', 'rtte_state'];
    return [
      ...G('rd', s, x(0), 'RD'),
      ...structure(s, rd, x(1), x(2)),
      cond('rtt_walk', () => w().level < l - 1, () => RTT(w().level), { needs: WALKABLE }),
      cond('rtte_state', () => w().entry.hipas !== 'TABLE', () => RTT(w().level), { needs: [...WALKABLE, 'rtt_walk'] }),
      cond('rtt_homo', () => f() === null, RTT(l), { needs: after }),
      // A homogeneous ASSIGNED(_NS) level-1 table would make a level-0 block: not homogeneous by A5.5.6
      // (ERROR_RTT(l)); TF-RMM reports the parent's level [T]. Both are accepted.
      cond('rtt_homo_l0', () => f() === 'l0-block', RTT(l), { needs: after }),
      cond('rtt_homo_l0_tfrmm', () => f() === 'l0-block', RTT(l - 1), { needs: after }),
    ];
  },
  RTT_MAP_UNPROTECTED: (s, x) => {
    const rd = () => rdAt(s, x(0));
    const l = levelArg(x(2));
    const desc = x(3);
    const w = lazy(() => walkTo(s, rd(), Number(x(1)), l));
    return [
      cond('level_bound', () => l < 1 || l > 3, INPUT),
      ...G('rd', s, x(0), 'RD'),
      // RttDescriptorIsValidForUnprotected: only MemAttr [4:2] (FEAT_S2FWB), S2AP [7:6] and the OA may be
      // set, MemAttr 0b100 is reserved (TF-RMM host_ns_s2tte_is_valid; issue 14 §4).
      cond('attr_valid', () => (desc & ~hostMask(rd())) !== 0n || ((desc >> 2n) & 7n) === 4n, INPUT, { needs: RD_OK }),
      cond('addr_align', () => !aligned(descOa(desc, rd()), entrySizeN(l)), INPUT, { needs: [...RD_OK, 'level_bound'] }),
      cond('ipa_align', () => !aligned(x(1), entrySizeN(l)), INPUT, { needs: ['level_bound'] }),
      cond('ipa_bound', () => x(1) < BigInt(par(rd())) || x(1) >= 1n << BigInt(rd().ipaWidth), INPUT, { needs: RD_OK }),
      cond('rtt_walk', () => w().level !== l, () => RTT(w().level), { needs: [...RD_OK, 'level_bound', 'ipa_bound'] }),
      cond('rtte_state', () => w().entry.hipas !== 'UNASSIGNED_NS', RTT(l), { needs: [...RD_OK, 'level_bound', 'ipa_bound', 'rtt_walk'] }),
    ];
  },
  RTT_UNMAP_UNPROTECTED: (s, x) => {
    const rd = () => rdAt(s, x(0));
    const l = levelArg(x(2));
    const w = lazy(() => walkTo(s, rd(), Number(x(1)), l));
    return [
      cond('level_bound', () => l < 1 || l > 3, INPUT),
      ...G('rd', s, x(0), 'RD'),
      cond('ipa_align', () => !aligned(x(1), entrySizeN(l)), INPUT, { needs: ['level_bound'] }),
      cond('ipa_bound', () => x(1) < BigInt(par(rd())) || x(1) >= 1n << BigInt(rd().ipaWidth), INPUT, { needs: RD_OK }),
      cond('rtt_walk', () => w().level !== l, () => RTT(w().level), { needs: [...RD_OK, 'level_bound', 'ipa_bound'] }),
      cond('rtte_state', () => w().entry.hipas !== 'ASSIGNED_NS', RTT(l), { needs: [...RD_OK, 'level_bound', 'ipa_bound', 'rtt_walk'] }),
    ];
  },
  RTT_READ_ENTRY: (s, x) => {
    const rd = () => rdAt(s, x(0));
    const l = levelArg(x(2));
    return [
      ...G('rd', s, x(0), 'RD'),
      cond('level_bound', () => l < rd().rttLevelStart || l > 3, INPUT, { needs: RD_OK }),
      cond('ipa_align', () => !aligned(x(1), entrySizeN(l)), INPUT, { needs: [...RD_OK, 'level_bound'] }),
      cond('ipa_bound', () => x(1) >= 1n << BigInt(rd().ipaWidth), INPUT, { needs: RD_OK }),
    ];
  },
  RTT_INIT_RIPAS: (s, x) => {
    const rd = () => rdAt(s, x(0));
    const [base, top] = [x(1), x(2)];
    const w = lazy(() => walkTo(s, rd(), Number(base), 3));
    const walkable = [...RD_OK, 'walk_bound'];
    return [
      cond('size_valid', () => top <= base, INPUT),
      ...G('rd', s, x(0), 'RD'),
      cond('base_gran_align', () => !aligned(base), INPUT), // reference §6 [T]; the spec leaves it to base_align
      cond('top_gran_align', () => !aligned(top), INPUT),
      cond('top_bound', () => top > BigInt(par(rd())), INPUT, { needs: RD_OK }),
      cond('realm_state', () => rd().state !== 'NEW', REALM, { needs: RD_OK }),
      cond('walk_bound', () => base >= BigInt(par(rd())), INPUT, { needs: RD_OK, guard: true }),
      cond('base_align', () => !aligned(base, entrySizeN(w().level)), () => RTT(w().level), { needs: walkable }),
      cond('rtte_state', () => { const e = w().entry; return e.hipas !== 'UNASSIGNED' || e.ripas === 'DESTROYED'; }, () => RTT(w().level), { needs: walkable }),
      cond('no_progress', () => ripasProgress(s, w(), base, top, (e) => e.hipas === 'UNASSIGNED' && e.ripas !== 'DESTROYED') === 0, () => RTT(w().level), { needs: walkable, after: ['top_gran_align'] }),
    ];
  },
  RTT_SET_RIPAS: (s, x) => {
    const rd = () => rdAt(s, x(0));
    const rec = () => recAt(s, x(1));
    const [base, top] = [x(2), x(3)];
    const w = lazy(() => walkTo(s, rd(), Number(base), 3));
    const recOk = ['rec_align', 'rec_bound', 'rec_state'];
    const walkable = [...RD_OK, 'walk_bound'];
    return [
      cond('size_valid', () => top <= base, INPUT),
      ...G('rd', s, x(0), 'RD'),
      ...G('rec', s, x(1), 'REC'),
      cond('rec_running', () => rec().state === 'RUNNING', REC, { needs: recOk }),
      cond('rec_owner', () => BigInt(rec().owner) !== x(0), REC, { needs: recOk }),
      cond('base_bound', () => base !== BigInt(rec().ripasAddr), INPUT, { needs: recOk }),
      cond('top_bound', () => top > BigInt(rec().ripasTop), INPUT, { needs: recOk }),
      cond('top_gran_align', () => !aligned(top), INPUT),
      cond('walk_bound', () => base >= BigInt(par(rd())), INPUT, { needs: RD_OK, guard: true }),
      cond('base_align', () => !aligned(base, entrySizeN(w().level)), () => RTT(w().level), { needs: walkable, after: ['base_bound'] }),
      cond('no_progress', () => ripasProgress(s, w(), base, top, (e) => setRipasOk(e, rec())) === 0, () => RTT(w().level), { needs: [...walkable, ...recOk], after: ['top_gran_align', 'base_bound'] }),
    ];
  },
};

/** The DATA_* rows after the granule checks: ipa_bound < rtt_walk, rtte_state (Ordered). */
function dataRows(s: RealState, rdv: bigint, ipa: bigint, data: bigint | null, want: 'UNASSIGNED' | 'ASSIGNED'): Cond[] {
  const rd = () => rdAt(s, rdv);
  const w = lazy(() => walkTo(s, rd(), Number(ipa), 3));
  const walkable = [...RD_OK, 'ipa_bound'];
  return [
    cond('ipa_bound', () => ipa >= BigInt(par(rd())), INPUT, { needs: RD_OK }),
    cond('ipa_align', () => !aligned(ipa), INPUT),
    ...(data === null ? [] : [cond('data_bound2', () => data >= 1n << paBits(rd()), INPUT, { needs: RD_OK })]),
    cond('rtt_walk', () => w().level < 3, () => RTT(w().level), { needs: walkable }),
    cond('rtte_state', () => w().entry.hipas !== want, RTT(3), { needs: [...walkable, 'rtt_walk'] }),
  ];
}

/** How many consecutive entries from the walked one lie wholly below top and are accepted (no splitting). */
export function ripasProgress(s: RealState, w: Walk, base: bigint, top: bigint, ok: (e: Walk['entry']) => boolean): number {
  const t = rttAt(s, w.rtt);
  const size = BigInt(entrySize(w.level));
  let n = 0;
  for (let i = w.index; i < 512 && base + BigInt(n + 1) * size <= top && ok(t.entries[i]); i++) n++;
  return n;
}
/** RTT_SET_RIPAS may change an entry: protected (UNASSIGNED/ASSIGNED), DESTROYED only with CHANGE_DESTROYED. */
export const setRipasOk = (e: Walk['entry'], rec: Rec): boolean =>
  (e.hipas === 'UNASSIGNED' || e.hipas === 'ASSIGNED') && (e.ripas !== 'DESTROYED' || rec.ripasDestroyed);

/**
 * A table's shape (ids, `needs`, `after`, `maybe`, `guard`) as indices, kept per command: the rows are
 * the same for every call of a command, only their closures differ. A `needs` naming no earlier row
 * blocks its row (-1); an `after` naming no row is dropped. Checked against the ids on every call.
 */
interface Shape { readonly ids: readonly string[]; readonly needs: readonly (readonly number[])[]; readonly after: readonly (readonly number[])[]; readonly anyMaybe: boolean }
const shapes = new Map<RmiName, Shape>();
function shapeOf(name: RmiName, conds: readonly Cond[]): Shape {
  const known = shapes.get(name);
  if (known && known.ids.length === conds.length && conds.every((c, i) => c.id === known.ids[i])) return known;
  const ids = conds.map((c) => c.id);
  const at = (id: string, before: number) => { const j = ids.indexOf(id); return j >= 0 && j < before ? j : -1; };
  const shape: Shape = {
    ids,
    needs: conds.map((c, i) => (c.needs ?? []).map((n) => at(n, i))),
    after: conds.map((c) => (c.after ?? []).map((a) => ids.indexOf(a)).filter((j) => j >= 0)),
    anyMaybe: conds.some((c) => c.maybe),
  };
  shapes.set(name, shape);
  return shape;
}

/** A table's rows as data (ids, needs, after), for the test that every id they name is a row. */
export const tableRows = (name: RmiName, s: RealState, args: readonly bigint[]) =>
  TABLES[name](s, (i) => args[i] ?? 0n).map((c) => ({ id: c.id, needs: c.needs ?? [], after: c.after ?? [] }));

const UNSET = 3, FALSE = 0, TRUE = 1, BLOCKED = 2;

/** The results the failure table allows for an RMI call in state s, and the conditions that hold. */
export function allowedResults(name: RmiName, s: RealState, args: readonly bigint[]): { allowed: Set<Err>; holding: string[] } {
  const conds = TABLES[name](s, (i) => args[i] ?? 0n);
  const shape = shapeOf(name, conds);
  const n = conds.length;
  const run = (skipMaybe: boolean) => {
    // Per row: FALSE, TRUE, or BLOCKED (a row it needs did not evaluate to FALSE); rows are evaluated in order.
    const h = new Uint8Array(n).fill(UNSET);
    let maybe = false;
    for (let i = 0; i < n; i++) {
      const needs = shape.needs[i];
      let blocked = false;
      for (let k = 0; k < needs.length; k++) if (needs[k] < 0 || h[needs[k]] !== FALSE) { blocked = true; break; }
      const c = conds[i];
      h[i] = blocked ? BLOCKED : skipMaybe && c.maybe ? FALSE : c.pre() ? TRUE : FALSE;
      if (c.maybe && h[i] === TRUE) maybe = true;
    }
    const out = new Set<Err>();
    const holding: string[] = [];
    for (let i = 0; i < n; i++) {
      const c = conds[i];
      if (h[i] !== TRUE || c.guard) continue;
      holding.push(c.id);
      const after = shape.after[i];
      let later = false;
      for (let k = 0; k < after.length; k++) if (h[after[k]] === TRUE) { later = true; break; }
      if (!later) out.add(typeof c.err === 'function' ? c.err() : c.err);
    }
    if (out.size === 0) out.add('SUCCESS');
    return { out, holding, maybe };
  };
  const a = run(false);
  if (shape.anyMaybe && a.maybe) for (const e of run(true).out) a.out.add(e);
  return { allowed: a.out, holding: a.holding };
}

const NAME_OF = new Map<bigint, RmiName>(RMI_NAMES.map((n) => [BigInt(0xc4000150 + RMI_COMMANDS[n]), n]));

/** Checks one step's RMI result against the failure table evaluated on the pre-state. */
export function checkStatus(pre: RealState, a: Action, o: Observation): Violation | null {
  if (a.kind !== 'rmi' || o.kind !== 'rmi' || !o.status) return null;
  const name = NAME_OF.get(a.fid);
  if (!name) return null;
  const got = o.status.index === 0 ? o.status.status : `${o.status.status}/${o.status.index}`;
  let r: ReturnType<typeof allowedResults>;
  try {
    r = allowedResults(name, pre, a.args);
  } catch (e) {
    return { property: 'Status', component: name, detail: `the failure table could not be evaluated: ${String(e)}` };
  }
  if (r.allowed.has(got)) return null;
  return {
    property: 'Status',
    component: `${name} ${r.holding.length ? r.holding.join(', ') : 'no failure condition'}`,
    detail: `returned ${got}; the failure table allows ${[...r.allowed].join(' | ')}`,
  };
}
