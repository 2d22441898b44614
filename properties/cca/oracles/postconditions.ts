// Declarative postconditions of the RMI commands (DESIGN.md "Independent oracles"), one short table
// per command written from the reference (rmm-v1.0.md §3-§6; DEN0137 1.0 B4.3.x success conditions
// and footprints): on SUCCESS, exactly which granules change (GST state, GPT, refcount, RD/REC fields,
// RTT entries, memory words) and to what, plus the outputs; everything outside the footprint is
// unchanged. On failure nothing changes. Shares no code with real/cca/rmi/* (world.ts is this folder's).

import type { Violation } from '../../../model/system';
import { pdiff } from '../../../model/pvec';
import type { Action, Observation } from '../../../real/cca/actions';
import { RMI_COMMANDS, RMI_NAMES, RmiName } from '../../../real/cca/rmi';
import { REALM_PARAMS, REC_ENTRY, REC_PARAMS } from '../../../real/cca/layout';
import type { Granule, RealState, Rd, Rec, Rtt, RttEntry } from '../../../real/cca/state';
import type { Ripas } from '../../../real/cca/types';
import { deepEqual, firstDifference } from '../../diff';
import { ENTRIES, GRAN, entrySize, foldOf, gran, levelArg, par, rdAt, recAt, rttAt, walkTo, word } from './world';
import { descOa, ripasProgress, setRipasOk } from './status';

/** A check of one granule of the footprint: the problem, or null. */
type Check = (g0: Granule, g1: Granule) => string | null;
interface Post {
  readonly granules: ReadonlyMap<number, Check>;
  readonly outputs?: readonly (bigint | undefined)[];
  /** The step may change the VMID map / the CPUs as the command specifies (checked here), else they are unchanged. */
  readonly vmids?: (v0: RealState['vmids'], v1: RealState['vmids']) => string | null;
  readonly cpu?: (s1: RealState) => string | null;
}

const hx = (v: number | bigint) => '0x' + v.toString(16);
const RIPAS: Record<Ripas, bigint> = { EMPTY: 0n, RAM: 1n, DESTROYED: 2n };

// ---- granule checks ----
const all = (...cs: Check[]): Check => (a, b) => { for (const c of cs) { const r = c(a, b); if (r) return r; } return null; };
const gst = (state: string, pas = 'REALM'): Check => (_a, b) => (b.state !== state || b.pas !== pas ? `is ${b.state}/${b.pas}, expected ${state}/${pas}` : null);
const refc = (f: (r0: number) => number): Check => (a, b) => (b.refcount !== f(a.refcount) ? `refcount ${a.refcount} -> ${b.refcount}, expected ${f(a.refcount)}` : null);
const zero: Check = (_a, b) => (b.content.kind !== 'words' || [...b.content.words.values()].some((v) => v !== 0n) ? 'is not zero (not scrubbed)' : null);
/** Returned to DELEGATED: zeroed, refcount 0 (§3, invariant 1). */
const released: Check = all(gst('DELEGATED'), refc(() => 0), zero);
/** Object fields: `set` the expected values of the fields that change; every other field unchanged. */
function fields<T extends object>(set: (o0: T) => Partial<T>, kind?: string): Check {
  return (a, b) => {
    if (kind && b.content.kind !== kind) return `holds ${b.content.kind}, expected ${kind}`;
    const o0 = a.content as unknown as T;
    const want = { ...o0, ...set(o0) };
    // deepEqual first: firstDifference builds a path string for every field and array element it
    // visits, which on a REC (registers, list registers, aux granules) made REC_ENTER's check 45 us.
    if (deepEqual(want, b.content)) return null;
    const d = firstDifference(want, b.content, '', (p) => p === 'kind' && kind !== undefined);
    return d ? `${d.path}: ${d.b}, expected ${d.a}` : null;
  };
}
/** A freshly made object: `want` lists the fields the reference fixes; unspecified fields are free. */
function made<T extends object>(want: Partial<T>): Check {
  return (_a, b) => {
    const o = b.content as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(want)) if (!deepEqual(o[k], v)) return `${k}: ${firstDifference(o[k], v)?.a ?? '?'}, expected ${firstDifference(o[k], v)?.b ?? '?'}`;
    return null;
  };
}
const sameEntry = (x: RttEntry, y: RttEntry): boolean => {
  if (x.hipas !== y.hipas) return false;
  if ((x.hipas === 'UNASSIGNED' || x.hipas === 'ASSIGNED') && x.ripas !== y.ripas) return false;
  if (x.hipas !== 'UNASSIGNED' && x.hipas !== 'UNASSIGNED_NS' && x.addr !== y.addr) return false;
  return x.hipas !== 'ASSIGNED_NS' || x.attrs === y.attrs;
};
const showEntry = (e: RttEntry) => `${e.hipas}${e.hipas === 'UNASSIGNED' || e.hipas === 'ASSIGNED' ? '/' + e.ripas : ''}${e.hipas !== 'UNASSIGNED' && e.hipas !== 'UNASSIGNED_NS' ? ' ' + hx(e.addr) : ''}${e.hipas === 'ASSIGNED_NS' ? ' attrs ' + hx(e.attrs) : ''}`;
/** An RTT whose entries lo..lo+n-1 become `want(i, old)` and every other entry is unchanged; refcount changes by `d`. */
function entries(lo: number, n: number, want: (i: number, e: RttEntry) => RttEntry, d = 0): Check {
  return (a, b) => {
    const t0 = a.content as Rtt;
    const t1 = b.content as Rtt;
    if (b.content.kind !== 'rtt' || t1.level !== t0.level) return 'is no longer the same RTT';
    const x0 = t0.entries, x1 = t1.entries;
    for (let i = 0; i < ENTRIES; i++) {
      const e = i >= lo && i < lo + n ? want(i, x0[i]) : x0[i];
      if (x1[i] !== e && !sameEntry(x1[i], e)) return `entry ${i} is ${showEntry(x1[i])}, expected ${showEntry(e)}`;
    }
    return refc((r) => r + d)(a, b);
  };
}
/** An RTT whose entry i becomes e, every other entry unchanged; refcount changes by `d`. */
const entry = (i: number, e: RttEntry, d = 0): Check => entries(i, 1, () => e, d);
const A = (addr: number, ripas: Ripas): RttEntry => ({ hipas: 'ASSIGNED', ripas, addr, attrs: 0n });
const U = (ripas: Ripas): RttEntry => ({ hipas: 'UNASSIGNED', ripas, addr: 0, attrs: 0n });
const UNS: RttEntry = { hipas: 'UNASSIGNED_NS', ripas: 'EMPTY', addr: 0, attrs: 0n };

/** The postcondition of a successful call, or null when the step is not the whole command (a weak-memory handler continues it). */
type Table = (s: RealState, x: (i: number) => bigint, o: Extract<Observation, { kind: 'rmi' }>) => Post | null;
const idx = (pa: bigint | number) => Number(pa) / GRAN;
const post = (gs: [bigint | number, Check][], rest: Omit<Post, 'granules'> = {}): Post => ({ granules: new Map(gs.map(([pa, c]) => [idx(pa), c])), ...rest });

const POST: Record<RmiName, Table> = {
  VERSION: () => post([], { outputs: [0x10000n, 0x10000n] }),
  FEATURES: (s, x) => post([], { outputs: [x(0) === 0n ? featureRegister0(s) : 0n] }),
  REC_AUX_COUNT: (s) => post([], { outputs: [BigInt(s.cfg.recAuxCount)] }),
  GRANULE_DELEGATE: (_s, x) => post([[x(0), all(gst('DELEGATED'), refc(() => 0), zero)]]),
  GRANULE_UNDELEGATE: (_s, x) => post([[x(0), all(gst('UNDELEGATED', 'NS'), refc(() => 0), zero)]]),
  REALM_ACTIVATE: (_s, x) => post([[x(0), fields<Rd>(() => ({ state: 'ACTIVE' }), 'rd')]]),
  REALM_DESTROY: (s, x, o) => {
    if (o.pending) return null;
    const rd = rdAt(s, x(0));
    const roots: [number, Check][] = Array.from({ length: rd.rttNumStart }, (_, i) => [rd.rttBase + i * GRAN, released]);
    return post([[x(0), released], ...roots], { vmids: (v0, v1) => (v1.has(rd.vmid) || v1.size !== v0.size - 1 ? `VMID ${rd.vmid} is not freed (alone)` : null) });
  },
  REALM_CREATE: (s, x) => {
    const p = (off: number) => word(gran(s, x(1)), off);
    const lv = p(REALM_PARAMS.rttLevelStart);
    const [w, start, n, base, vmid] = [Number(p(REALM_PARAMS.s2sz) & 0xffff_ffffn), Number(lv >= 1n << 63n ? lv - (1n << 64n) : lv), Number(p(REALM_PARAMS.rttNumStart) & 0xffff_ffffn), Number(p(REALM_PARAMS.rttBase)), Number(p(REALM_PARAMS.vmid) & 0xffffn)];
    const rpv = Array.from({ length: 8 }, (_, i) => p(REALM_PARAMS.rpv + 8 * i));
    const rd = made<Rd>({ state: 'NEW', ipaWidth: w, rttBase: base, rttLevelStart: start, rttNumStart: n, vmid, hashAlgo: Number(p(REALM_PARAMS.hashAlgo) & 0xffn), recIndex: 0, rpv });
    const rems: Check = (_a, b) => ((b.content as Rd).measurements.slice(1).some((m) => m !== 0n) ? 'REMs are not zero' : null);
    const size = entrySize(start);
    const [inPar, beyond] = [U('EMPTY'), UNS];
    const root = (r: number): Check => all(gst('RTT'), refc(() => 0), (_a, b) => {
      const t = b.content as Rtt;
      if (b.content.kind !== 'rtt' || t.level !== start) return `is not a level-${start} RTT`;
      const es = t.entries; // (read once: every root of every new realm has 512 entries to compare)
      const par = 2 ** (w - 1);
      for (let j = 0; j < ENTRIES; j++) {
        const want = (r * ENTRIES + j) * size < par ? inPar : beyond;
        // The same object as the entry before, expected the same: already compared.
        if (j > 0 && es[j] === es[j - 1] && want === ((r * ENTRIES + j - 1) * size < par ? inPar : beyond)) continue;
        if (!sameEntry(es[j], want)) return `entry ${j} is ${showEntry(es[j])}, expected ${showEntry(want)}`;
      }
      return null;
    });
    const roots: [number, Check][] = Array.from({ length: n }, (_, i) => [base + i * GRAN, root(i)]);
    return post([[x(0), all(gst('RD'), refc(() => 0), rd, rems)], ...roots], { vmids: (v0, v1) => (v1.get(vmid) !== Number(x(0)) || v1.size !== v0.size + 1 ? `VMID ${vmid} is not reserved for the realm (alone)` : null) });
  },
  REC_CREATE: (s, x, o) => {
    if (o.pending) return null; // weak-memory mode: the handler finishes the bookkeeping
    const p = (off: number) => word(gran(s, x(2)), off);
    const rd0 = rdAt(s, x(0));
    const runnable = (p(REC_PARAMS.flags) & 1n) !== 0n;
    const aux = Array.from({ length: s.cfg.recAuxCount }, (_, i) => Number(p(REC_PARAMS.aux + 8 * i)));
    const gprs = Array.from({ length: 31 }, (_, i) => (i < 8 ? p(REC_PARAMS.gprs + 8 * i) : 0n));
    const rec = made<Rec>({ owner: Number(x(0)), state: 'READY', runnable, mpidr: p(REC_PARAMS.mpidr), index: rd0.recIndex, pc: p(REC_PARAMS.pc), aux, psciPending: null, ripasAddr: 0, ripasTop: 0 });
    const regs: Check = (_a, b) => ((b.content as Rec).regs.slice(0, 31).some((v, i) => v !== gprs[i]) ? `X0-X30 are ${(b.content as Rec).regs.slice(0, 8).map(hx)}..., expected the params' X0-X7 and zeros` : null);
    // The RIM is extended iff the REC is runnable (its value is an abstract hash: only whether it changed).
    const rim: Check = (a, b) => (((a.content as Rd).measurements[0] !== (b.content as Rd).measurements[0]) !== runnable ? `RIM ${runnable ? 'not ' : ''}extended for a ${runnable ? '' : 'non-'}runnable REC` : null);
    return post([
      [x(1), all(gst('REC'), refc(() => 0), rec, regs)],
      ...aux.map((a): [number, Check] => [a, all(gst('REC_AUX'), refc(() => 0))]),
      [x(0), all(refc((r) => r + 1), rim, rdRest((r) => ({ recIndex: r.recIndex + 1 })))],
    ]);
  },
  REC_DESTROY: (s, x, o) => {
    if (o.pending) return null;
    const rec = recAt(s, x(0));
    return post([[x(0), released], ...rec.aux.map((a): [number, Check] => [a, released]), [rec.owner, all(refc((r) => r - 1), rdRest(() => ({})))]]);
  },
  REC_ENTER: (s, x) => recEnter(s, x(0), x(1)),
  PSCI_COMPLETE: (s, x) => {
    const c = recAt(s, x(0)), t = recAt(s, x(1));
    const p = c.psciPending!;
    const DENIED = (1n << 64n) - 3n, ALREADY_ON = (1n << 64n) - 4n;
    let x0: bigint;
    let reset = false;
    if (p.kind === 'AFFINITY_INFO') x0 = t.runnable ? 0n : 1n;
    else if (x(2) !== 0n) x0 = x(2) === DENIED ? DENIED : x(2);
    else if (t.runnable) x0 = ALREADY_ON;
    else (x0 = 0n), (reset = true);
    const caller = fields<Rec>((r) => ({ psciPending: null, regs: [x0, 0n, 0n, 0n, ...r.regs.slice(4)] }), 'rec');
    const gs: [bigint, Check][] = [[x(0), caller]];
    // CPU_ON: the target starts at the entry point with X0 = context_id, every other register reset.
    if (reset && p.kind === 'CPU_ON') gs.push([x(1), all(made<Rec>({ pc: p.entry, runnable: true }), (_a, b) => {
      const r = (b.content as Rec).regs;
      return r[0] !== p.contextId || r.slice(1, 31).some((v) => v !== 0n) ? 'the reset target does not have X0 = context_id and X1-X30 = 0' : null;
    })]);
    return post(gs);
  },
  DATA_CREATE: (s, x) => {
    const w = walkTo(s, rdAt(s, x(0)), Number(x(2)), 3);
    const src = gran(s, x(3))!;
    const copy: Check = (_a, b) => (b.content.kind !== 'words' || !sameWords(b, src) ? 'does not hold the source granule\'s content' : null);
    const rim: Check = (a, b) => ((a.content as Rd).measurements[0] === (b.content as Rd).measurements[0] ? 'RIM not extended' : null);
    return post([
      [x(1), all(gst('DATA'), refc(() => 0), copy)],
      [w.rtt, entry(w.index, A(Number(x(1)), 'RAM'), 1)],
      [x(0), all(rim, rdRest(() => ({})))],
    ]);
  },
  DATA_CREATE_UNKNOWN: (s, x) => {
    const w = walkTo(s, rdAt(s, x(0)), Number(x(2)), 3);
    return post([[x(1), all(gst('DATA'), refc(() => 0), zero)], [w.rtt, entry(w.index, A(Number(x(1)), w.entry.ripas), 1)]]);
  },
  DATA_DESTROY: (s, x) => {
    const w = walkTo(s, rdAt(s, x(0)), Number(x(1)), 3);
    const ripas: Ripas = w.entry.ripas === 'EMPTY' ? 'EMPTY' : 'DESTROYED';
    return post([[w.entry.addr, released], [w.rtt, entry(w.index, U(ripas), -1)]], { outputs: [BigInt(w.entry.addr), BigInt(topAfter(s, w, Number(x(1)), U(ripas)))] });
  },
  RTT_CREATE: (s, x) => {
    const l = levelArg(x(3));
    const w = walkTo(s, rdAt(s, x(0)), Number(x(2)), l - 1);
    const e = w.entry;
    const size = entrySize(l);
    // Unfold (A5.5.7): every child entry takes the parent's state; ASSIGNED(_NS) addresses run on contiguously.
    const child = (i: number): RttEntry => (e.hipas === 'ASSIGNED' || e.hipas === 'ASSIGNED_NS' ? { ...e, addr: e.addr + i * size } : e);
    const rtt: Check = all(gst('RTT'), refc(() => (e.hipas === 'ASSIGNED' ? ENTRIES : 0)), (_a, b) => {
      const t = b.content as Rtt;
      if (b.content.kind !== 'rtt' || t.level !== l) return `is not a level-${l} RTT`;
      const es = t.entries;
      for (let i = 0; i < ENTRIES; i++) if (!sameEntry(es[i], child(i))) return `entry ${i} is ${showEntry(es[i])}, expected ${showEntry(child(i))} (unfolded from ${showEntry(e)})`;
      return null;
    });
    const table: RttEntry = { hipas: 'TABLE', ripas: 'EMPTY', addr: Number(x(1)), attrs: 0n };
    return post([[x(1), rtt], [w.rtt, entry(w.index, table, e.hipas === 'ASSIGNED' ? 0 : 1)]]);
  },
  RTT_DESTROY: (s, x) => {
    const rd = rdAt(s, x(0));
    const l = levelArg(x(2));
    const w = walkTo(s, rd, Number(x(1)), l - 1);
    const e = Number(x(1)) < par(rd) ? U('DESTROYED') : UNS;
    return post([[w.entry.addr, released], [w.rtt, entry(w.index, e, -1)]], { outputs: [BigInt(w.entry.addr), BigInt(topAfter(s, w, Number(x(1)), e))] });
  },
  RTT_FOLD: (s, x) => {
    const l = levelArg(x(2));
    const w = walkTo(s, rdAt(s, x(0)), Number(x(1)), l - 1);
    const f = foldOf(rttAt(s, w.entry.addr), l);
    if (f === null || f === 'l0-block') return post([[w.entry.addr, () => 'RTT_FOLD succeeded on a table that is not homogeneous (A5.5.6)']]);
    return post([[w.entry.addr, released], [w.rtt, entry(w.index, f, f.hipas === 'ASSIGNED' ? 0 : -1)]], { outputs: [BigInt(w.entry.addr)] });
  },
  RTT_MAP_UNPROTECTED: (s, x) => {
    const l = levelArg(x(2));
    const w = walkTo(s, rdAt(s, x(0)), Number(x(1)), l);
    const e: RttEntry = { hipas: 'ASSIGNED_NS', ripas: 'EMPTY', addr: Number(descOa(x(3), rdAt(s, x(0)))), attrs: x(3) & 0xdcn };
    return post([[w.rtt, entry(w.index, e)]]);
  },
  RTT_UNMAP_UNPROTECTED: (s, x) => {
    const w = walkTo(s, rdAt(s, x(0)), Number(x(1)), levelArg(x(2)));
    return post([[w.rtt, entry(w.index, UNS)]], { outputs: [BigInt(topAfter(s, w, Number(x(1)), UNS))] });
  },
  RTT_READ_ENTRY: (s, x) => {
    const w = walkTo(s, rdAt(s, x(0)), Number(x(1)), levelArg(x(2)));
    const e = w.entry;
    const state = e.hipas === 'TABLE' ? 2n : e.hipas === 'ASSIGNED' || e.hipas === 'ASSIGNED_NS' ? 1n : 0n;
    // desc: the PA of ASSIGNED (none for DESTROYED, TF-RMM) and TABLE; PA and host attributes of ASSIGNED_NS.
    // (with LPA2, an ASSIGNED_NS descriptor carries OA[51:50] in bits [9:8])
    const lpa2 = rdAt(s, x(0)).features.lpa2;
    const oaDesc = (oa: bigint) => (lpa2 ? (oa & ((1n << 50n) - 1n)) | ((oa >> 50n) << 8n) : oa);
    const desc = e.hipas === 'ASSIGNED' ? (e.ripas === 'DESTROYED' ? 0n : BigInt(e.addr)) : e.hipas === 'TABLE' ? BigInt(e.addr) : e.hipas === 'ASSIGNED_NS' ? oaDesc(BigInt(e.addr)) | e.attrs : 0n;
    const ripas = e.hipas === 'UNASSIGNED' || e.hipas === 'ASSIGNED' ? RIPAS[e.ripas] : 0n;
    return post([], { outputs: [BigInt.asUintN(64, BigInt(w.level)), state, desc, ripas] });
  },
  RTT_INIT_RIPAS: (s, x) => {
    const w = walkTo(s, rdAt(s, x(0)), Number(x(1)), 3);
    const n = ripasProgress(s, w, x(1), x(2), (e) => e.hipas === 'UNASSIGNED' && e.ripas !== 'DESTROYED');
    const rim: Check = (a, b) => ((a.content as Rd).measurements[0] === (b.content as Rd).measurements[0] ? 'RIM not extended' : null);
    return post([[w.rtt, entries(w.index, n, () => U('RAM'))], [x(0), all(rim, rdRest(() => ({})))]], { outputs: [x(1) + BigInt(n * entrySize(w.level))] });
  },
  RTT_SET_RIPAS: (s, x) => {
    const rec = recAt(s, x(1));
    const w = walkTo(s, rdAt(s, x(0)), Number(x(2)), 3);
    const n = ripasProgress(s, w, x(2), x(3), (e) => setRipasOk(e, rec));
    const top = Number(x(2)) + n * entrySize(w.level);
    return post([
      [w.rtt, entries(w.index, n, (_i, e) => ({ ...e, ripas: rec.ripasValue }))],
      [x(1), fields<Rec>(() => ({ ripasAddr: top }), 'rec')],
    ], { outputs: [BigInt(top)] });
  },
};

/** Every RD field but the RIM and `set`'s is unchanged (the RIM is checked apart: it is an abstract hash). */
const rdRest = (set: (r: Rd) => Partial<Rd>): Check => (a, b) => {
  if (b.content.kind !== 'rd') return 'is no longer an RD';
  const r0 = a.content as Rd;
  const r1 = b.content as Rd;
  const want = { ...r0, ...set(r0), measurements: [r1.measurements[0], ...r0.measurements.slice(1)] };
  if (deepEqual(want, r1)) return null; // as in fields: paths are built only for a difference
  const d = firstDifference(want, r1);
  return d ? `${d.path}: ${d.b}, expected ${d.a}` : null;
};

const NO_WORDS: ReadonlyMap<number, bigint> = new Map();
/** The same words, an absent word reading as zero (compared both ways, without building a key set). */
const sameWords = (a: Granule, b: Granule): boolean => {
  const x = a.content.kind === 'words' ? a.content.words : NO_WORDS;
  const y = b.content.kind === 'words' ? b.content.words : NO_WORDS;
  if (x === y) return true;
  for (const [k, v] of x) if ((y.get(k) ?? 0n) !== v) return false;
  for (const [k, v] of y) if (!x.has(k) && v !== 0n) return false;
  return true;
};

/** walk_top after the walked entry became `e` (RttSkipNonLiveEntries from ipa, on the table after the command). */
function topAfter(s: RealState, w: ReturnType<typeof walkTo>, ipa: number, e: RttEntry): number {
  const t = rttAt(s, w.rtt);
  const size = entrySize(w.level);
  let i = w.index + 1;
  const live = (x: RttEntry) => x.hipas === 'ASSIGNED' || x.hipas === 'ASSIGNED_NS' || x.hipas === 'TABLE';
  if (!live(e)) while (i < ENTRIES && !live(t.entries[i])) i++;
  else i = w.index;
  return Math.floor(ipa / size) * size + (i - w.index) * size;
}

/** REC entry (reference §6 REC_ENTER, entry completion in order), as a footprint. */
function recEnter(s: RealState, recPa: bigint, run: bigint): Post {
  const rec = recAt(s, recPa);
  const g = gran(s, run);
  const flags = word(g, REC_ENTRY.flags);
  const gpr0 = word(g, REC_ENTRY.gprs);
  const regs = rec.regs.slice();
  let pc = rec.pc;
  const last = rec.lastExit;
  const gs: [number, Check][] = [];
  if (flags & 1n && last.kind === 'emulatable-da') {
    if (!last.write) {
      const m = last.size >= 8 ? (1n << 64n) - 1n : (1n << BigInt(last.size * 8)) - 1n;
      const v = gpr0 & m;
      regs[last.rt] = last.signExtend && last.size < 8 && (v >> BigInt(last.size * 8 - 1)) & 1n ? v | (((1n << 64n) - 1n) ^ m) : v;
    }
    pc += 4n;
  }
  if (last.kind === 'ripas-change') [regs[0], regs[1], regs[2]] = [0n, BigInt(rec.ripasAddr), flags & 16n ? 1n : 0n];
  if (last.kind === 'sysreg-read') (regs[last.rt] = gpr0), (pc += 4n);
  if (last.kind === 'host-call') {
    regs[0] = 0n;
    // The host's answer (entry.gprs[0..30]) goes into the realm's RsiHostCall structure, if still mapped RAM.
    const w = walkTo(s, rdAt(s, BigInt(rec.owner)), last.ipa, 3);
    if (w.entry.hipas === 'ASSIGNED' && w.entry.ripas === 'RAM') {
      const pa = w.entry.addr + (last.ipa % entrySize(w.level));
      const page = pa - (pa % GRAN);
      const gprs = Array.from({ length: 31 }, (_, k) => word(g, REC_ENTRY.gprs + 8 * k));
      gs.push([page, (a, b) => {
        for (let k = 0; k < 512; k++) {
          const j = k - ((pa % GRAN) / 8 + 1);
          const want = j >= 0 && j < 31 ? gprs[j] : word(a, k * 8);
          if (word(b, k * 8) !== want) return `word ${k} is ${hx(word(b, k * 8))}, expected ${hx(want)} (host-call completion)`;
        }
        return null;
      }]);
    }
  }
  const lrs = Array.from({ length: 16 }, (_, k) => word(g, REC_ENTRY.gicv3Lrs + 8 * k));
  const ripas = last.kind === 'ripas-change' ? { ripasTop: rec.ripasAddr, ripasRequested: false } : {};
  const want = (r: Rec): Partial<Rec> => ({
    state: 'RUNNING', regs, pc, seaPending: (flags & 2n) !== 0n, lastExit: { kind: 'none' }, trapWfi: (flags & 4n) !== 0n, trapWfe: (flags & 8n) !== 0n,
    gicHcr: word(g, REC_ENTRY.gicv3Hcr), gicLrs: lrs, ...ripas,
  });
  const recCheck: Check = all(refc((r) => r + 1), fields<Rec>(want, 'rec'));
  return post([[Number(recPa), recCheck], ...gs], {
    cpu: (s1) => {
      const c = s1.cpus.find((k) => k.mode.kind === 'realm' && k.mode.rec === Number(recPa));
      if (!c || c.mode.kind !== 'realm' || c.mode.run !== Number(run)) return `no CPU runs the REC with run granule ${hx(run)}`;
      return c.pc !== pc || c.regs.length !== regs.length || c.regs.some((v, i) => v !== regs[i]) ? 'the CPU does not hold the REC\'s registers and PC' : null;
    },
  });
}

function featureRegister0(s: RealState): bigint {
  const c = s.cfg;
  const f = (v: number | boolean, shift: number) => BigInt(Number(v)) << BigInt(shift);
  return f(c.maxIpaWidth, 0) | f(c.lpa2, 8) | f(c.sveSupported, 9) | f(c.sveMaxVl, 10) | f(c.maxBps, 14) | f(c.maxWps, 20) | f(c.pmuSupported, 26) | f(c.pmuMaxCtrs, 27) | f(c.sha256, 32) | f(c.sha512, 33) | f(c.gicNumLrs, 34) | f(c.maxRecsOrder, 38);
}

const NAME_OF = new Map<bigint, RmiName>(RMI_NAMES.map((n) => [BigInt(0xc4000150 + RMI_COMMANDS[n]), n]));

/** The postcondition of one RMI step: its footprint changed as the table says, nothing else changed. */
export function checkPostcondition(pre: RealState, a: Action, o: Observation, postState: RealState): Violation[] {
  if (a.kind !== 'rmi' || o.kind !== 'rmi' || !o.status) return [];
  const name = NAME_OF.get(a.fid);
  if (!name) return [];
  const v = (component: string, detail: string): Violation => ({ property: 'Postcondition', component: `${name} ${component}`, detail });
  const out: Violation[] = [];
  const ok = o.status.status === 'SUCCESS';
  let p: Post | null;
  try {
    p = ok ? POST[name](pre, (i) => a.args[i] ?? 0n, o) : post([]);
  } catch (e) {
    return [v('', `the postcondition could not be evaluated: ${String(e)}`)];
  }
  if (!p) return [];
  const what = ok ? 'outside the footprint' : `although the call failed (${o.status.status})`;
  pdiff(pre.granules, postState.granules, (i, g0, g1) => {
    const c = p.granules.get(i);
    if (!c) out.push(v(`granule ${hx(i * GRAN)}`, `changed ${what}: ${g0.state} -> ${g1.state}${g0.content !== g1.content ? ', content changed' : ''}${g0.refcount !== g1.refcount ? `, refcount ${g0.refcount} -> ${g1.refcount}` : ''}`));
  });
  for (const [i, c] of p.granules) {
    if (i < 0 || i >= pre.granules.size || !Number.isInteger(i)) continue;
    const g0 = gran(pre, i * GRAN)!, g1 = gran(postState, i * GRAN)!;
    const r = c(g0, g1);
    if (r) out.push(v(`granule ${hx(i * GRAN)}`, r));
  }
  if (pre.vmids !== postState.vmids && !deepEqual(pre.vmids, postState.vmids)) {
    const r = p.vmids ? p.vmids(pre.vmids, postState.vmids) : `the VMID map changed ${what}`;
    if (r) out.push(v('vmids', r));
  } else if (p.vmids) {
    const r = p.vmids(pre.vmids, postState.vmids);
    if (r) out.push(v('vmids', r));
  }
  if (p.cpu) {
    const r = p.cpu(postState);
    if (r) out.push(v('cpus', r));
  } else if (pre.cpus !== postState.cpus && !(o.pending && postState.cfg.weakMemory) && !deepEqual(pre.cpus, postState.cpus)) out.push(v('cpus', `a CPU changed ${what}`));
  if (p.outputs) p.outputs.forEach((want, k) => {
    if (want !== undefined && (o.x[k] ?? 0n) !== want) out.push(v(`X${k + 1}`, `is ${hx(o.x[k] ?? 0n)}, expected ${hx(want)}`));
  });
  return out;
}
