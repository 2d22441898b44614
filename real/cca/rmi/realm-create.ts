// RMI_REALM_CREATE(rd, params_ptr). Failure order: TF-RMM's (which passes the ACS), codes per ACS.
import { MEASURE_TAG } from '../ops';
import { INPUT } from '../status';
import { REALM_PARAMS, RPV_WORDS } from '../layout';
import { arg, row } from '../command';
import type { RmiCommand } from '../spec';
import { granuleRows, gstate, inMemory, nsRows } from '../checks';
import { readWord, readWords } from '../memory';
import { claim } from '../ops';
import { RealState, Rd, RttEntry, withVmids } from '../state';
import { UNASSIGNED, UNASSIGNED_NS, levelSize, makeRtt, rootCount, RTT_ENTRIES } from '../rtt';
import { hashWords } from '../../../model/bits';

export interface RealmParams {
  flags: bigint; s2sz: bigint; sveVl: bigint; numBps: bigint; numWps: bigint; pmuNumCtrs: bigint; hashAlgo: bigint;
  rpv: bigint[]; vmid: bigint; rttBase: bigint; rttLevelStart: bigint; rttNumStart: bigint;
}

/**
 * The fields at TF-RMM's widths (lib/smc/include/smc-rmi.h, struct rmi_realm_params at
 * rmm-spec-v1.0-rel0): s2sz, sve_vl, num_bps, num_wps, pmu_num_ctrs and rtt_num_start are 32-bit,
 * the hash algorithm 8-bit, the VMID 16-bit (`unsigned short`: a word of 0x10001 is VMID 1); the
 * bits above a field's width are not part of it. flags, rtt_base and rtt_level_start are 64-bit.
 */
export function readRealmParams(s: RealState, pa: number): RealmParams {
  const w = (off: number) => readWord(s, pa, off);
  const u32 = (off: number) => w(off) & 0xffffffffn;
  return {
    flags: w(REALM_PARAMS.flags), s2sz: u32(REALM_PARAMS.s2sz), sveVl: u32(REALM_PARAMS.sveVl), numBps: u32(REALM_PARAMS.numBps),
    numWps: u32(REALM_PARAMS.numWps), pmuNumCtrs: u32(REALM_PARAMS.pmuNumCtrs), hashAlgo: w(REALM_PARAMS.hashAlgo) & 0xffn,
    rpv: readWords(s, pa, REALM_PARAMS.rpv, RPV_WORDS), vmid: w(REALM_PARAMS.vmid) & 0xffffn, rttBase: w(REALM_PARAMS.rttBase),
    rttLevelStart: w(REALM_PARAMS.rttLevelStart), rttNumStart: u32(REALM_PARAMS.rttNumStart),
  };
}

const FLAG_LPA2 = 1n, FLAG_SVE = 2n, FLAG_PMU = 4n;

interface C { s: RealState; rd: bigint; ptr: bigint; p: RealmParams }

/**
 * The parameters are read when a row first needs them, after the params_ptr rows (as REC_ENTER's
 * entry: a params_ptr at a granule in another state would otherwise have its content digested for
 * nothing). A class, not an object literal with a getter (which kept the state the call saw out of V8's
 * young-generation collections: see REC_ENTER's context).
 */
class Context implements C {
  private params: RealmParams | undefined;
  constructor(readonly s: RealState, readonly rd: bigint, readonly ptr: bigint) {}
  get p(): RealmParams {
    return (this.params ??= readRealmParams(this.s, inMemory(this.s, this.ptr) ? Number(this.ptr & ~0xfffn) : 0));
  }
}

/** Signed view of the 64-bit level (the spec's rtt_level_start is an Int64). */
const level = (p: RealmParams): bigint => (p.rttLevelStart >= 1n << 63n ? p.rttLevelStart - (1n << 64n) : p.rttLevelStart);

/** The realm asks for LPA2 (flags bit 0). */
const wantsLpa2 = (p: RealmParams): boolean => (p.flags & FLAG_LPA2) !== 0n;

/**
 * TF-RMM validate_ipa_bits_and_sl + s2_num_root_rtts: the IPA width is at most 48 (52 with the
 * realm's LPA2 flag), the start level in [0, 3] ([-1, 3] with LPA2), level 0 needs a PA width ≥ 44,
 * and rtt_num_start is the exact number of concatenated root tables (reference §10).
 */
function rootsOk(c: C): boolean {
  const { cfg } = c.s;
  const lpa2 = wantsLpa2(c.p);
  const l = level(c.p);
  if (c.p.s2sz > (lpa2 ? 52n : 48n) || l < (lpa2 ? -1n : 0n) || l > 3n) return false;
  const n = rootCount(Number(c.p.s2sz), Number(l));
  if (n === 0 || BigInt(n) !== c.p.rttNumStart) return false;
  return !(l === 0n && cfg.paWidth < 44);
}

const rootRange = (c: C): [bigint, bigint] => [c.p.rttBase, c.p.rttBase + c.p.rttNumStart * 4096n];

/**
 * A root table's entries: k UNASSIGNED/EMPTY, then UNASSIGNED_NS. One array per k, shared by every
 * realm's roots (tables never write their array: a change copies it).
 */
const roots = new Map<number, readonly RttEntry[]>();
function rootEntries(k: number): readonly RttEntry[] {
  let entries = roots.get(k);
  if (!entries) {
    const a: RttEntry[] = [];
    for (let j = 0; j < RTT_ENTRIES; j++) a.push(j < k ? UNASSIGNED('EMPTY') : UNASSIGNED_NS);
    roots.set(k, (entries = a));
  }
  return entries;
}

export const REALM_CREATE: RmiCommand<C> = {
  name: 'REALM_CREATE',
  context: (s, x) => new Context(s, arg(x, 0), arg(x, 1)),
  failures: [
    ...nsRows<C>('params', (c) => c.ptr),
    // params_valid: encodings the spec reserves.
    row('params_valid', (c) => c.p.hashAlgo > 1n || c.p.s2sz < BigInt(c.s.cfg.minIpaWidth) || c.p.s2sz > BigInt(c.s.cfg.maxIpaWidth), INPUT),
    // params_supp: a feature the platform does not offer (FEATURES register 0).
    row('params_supp', (c) => {
      const { cfg } = c.s;
      const p = c.p;
      if (p.flags & FLAG_LPA2 && !cfg.lpa2) return true;
      if (p.flags & FLAG_SVE && (!cfg.sveSupported || p.sveVl > BigInt(cfg.sveMaxVl))) return true;
      if (p.flags & FLAG_PMU && (!cfg.pmuSupported || p.pmuNumCtrs > BigInt(cfg.pmuMaxCtrs))) return true;
      // Zero PMU counters only where the PE has FEAT_HPMN0 (TF-RMM validate_realm_params).
      if (p.flags & FLAG_PMU && p.pmuNumCtrs === 0n && !cfg.pmuHpmn0) return true;
      // TF-RMM validate_realm_params: "The values 0 are reserved" for num_bps and num_wps, so 0 is
      // ERROR_INPUT (reference §10 said 0 was accepted; the rmm-spec-v1.0-rel0 source rejects it).
      if (p.numBps === 0n || p.numBps > BigInt(cfg.maxBps) || p.numWps === 0n || p.numWps > BigInt(cfg.maxWps)) return true;
      return (p.hashAlgo === 0n && !cfg.sha256) || (p.hashAlgo === 1n && !cfg.sha512);
    }, INPUT),
    row('rtt_num_level', (c) => !rootsOk(c), INPUT),
    row('vmid_valid', (c) => c.p.vmid >= 1n << BigInt(c.s.cfg.vmidBits) || c.s.vmids.has(Number(c.p.vmid)), INPUT),
    row('alias', (c) => c.rd >= rootRange(c)[0] && c.rd < rootRange(c)[1], INPUT),
    ...granuleRows<C>('rd', (c) => c.rd, 'DELEGATED'),
    // v1.0: rtt_base aligned to the size of the concatenated root (rtt_num_start granules).
    row('rtt_align', (c) => c.p.rttBase % (c.p.rttNumStart * 4096n) !== 0n, INPUT),
    row('rtt_state', (c) => {
      for (let a = rootRange(c)[0]; a < rootRange(c)[1]; a += 4096n) if (!inMemory(c.s, a) || gstate(c.s, a) !== 'DELEGATED') return true;
      return false;
    }, INPUT),
  ],
  effect: (c) => {
    const p = c.p;
    const w = Number(p.s2sz);
    const start = Number(level(p));
    const n = Number(p.rttNumStart);
    const base = Number(p.rttBase);
    const rd: Rd = {
      kind: 'rd', state: 'NEW', ipaWidth: w, rttBase: base, rttLevelStart: start, rttNumStart: n, vmid: Number(p.vmid),
      hashAlgo: Number(p.hashAlgo),
      // RIM starts from the realm parameters (abstract hash); REMs start at zero.
      measurements: [hashWords(MEASURE_TAG.REALM, [p.flags, p.s2sz, p.sveVl, p.numBps, p.numWps, p.pmuNumCtrs, p.hashAlgo]), 0n, 0n, 0n, 0n],
      recIndex: 0, rpv: p.rpv,
      features: {
        lpa2: wantsLpa2(p), sve: (p.flags & FLAG_SVE) !== 0n, sveVl: Number(p.sveVl & 0xfn), pmu: (p.flags & FLAG_PMU) !== 0n,
        pmuNumCtrs: Number(p.pmuNumCtrs & 0x1fn), numBps: Number(p.numBps), numWps: Number(p.numWps),
      },
    };
    let s = claim(c.s, Number(c.rd), 'RD', rd);
    // Root entries: the protected half UNASSIGNED/EMPTY, the unprotected half UNASSIGNED_NS.
    const par = 2 ** (w - 1);
    const size = levelSize(start);
    for (let i = 0; i < n; i++) {
      let k = 0; // entries of this root below the PAR
      while (k < RTT_ENTRIES && (i * RTT_ENTRIES + k) * size < par) k++;
      s = claim(s, base + i * 4096, 'RTT', makeRtt(start, rootEntries(k)));
    }
    const vmids = new Map(s.vmids);
    vmids.set(rd.vmid, Number(c.rd));
    return { state: withVmids(s, vmids) };
  },
};
