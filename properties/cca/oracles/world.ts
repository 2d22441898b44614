// What the independent oracles read of a real state, written from the reference (rmm-v1.0.md §1-§5)
// and sharing no code with the command effects in real/cca/rmi/* or with real/cca/rtt.ts: granule
// checks, a stage-2 walk, RTT entry classes, MPIDR indices, the GIC entry check. Only the state's
// types and its plain accessors are imported.

import { U64_MASK, toAddr } from '../../../model/bits';
import { pget } from '../../../model/pvec';
import type { Granule, RealState, Rd, Rec, Rtt, RttEntry } from '../../../real/cca/state';

export const GRAN = 4096;
export const ENTRIES = 512;
// BigInt constants made once: V8 computes `1n << 63n` or `BigInt(GRAN)` anew (a heap BigInt) at every call.
const GRAN_N = BigInt(GRAN);
const TWO63 = 1n << 63n, TWO64 = 1n << 64n;

/** The granule at a PA the model holds, or undefined. */
export function gran(s: RealState, pa: bigint | number): Granule | undefined {
  const v = typeof pa === 'bigint' ? toAddr(pa) : pa;
  if (!(v >= 0) || v % GRAN !== 0 || v >= s.cfg.granules * GRAN) return undefined;
  return pget(s.granules, v / GRAN);
}
/** PaIsDelegable (x_bound): inside the PA range and memory, not MMIO (§1). */
export function delegable(s: RealState, v: bigint): boolean {
  const n = toAddr(v); // -1 outside the model's address space
  if (n < 0 || n >= s.cfg.granules * GRAN) return false;
  const i = Math.floor(n / GRAN);
  return !s.cfg.mmioRanges.some(([a, b]) => i >= a && i < b);
}
export const aligned = (v: bigint, bytes: bigint = GRAN_N): boolean => v % bytes === 0n;
export const stateOf = (s: RealState, v: bigint): string | undefined => gran(s, v - (v % GRAN_N))?.state;
export const rdAt = (s: RealState, v: bigint): Rd => gran(s, v)!.content as Rd;
export const recAt = (s: RealState, v: bigint): Rec => gran(s, v)!.content as Rec;
export const rttAt = (s: RealState, v: number): Rtt => gran(s, v)!.content as Rtt;
export const isObj = (s: RealState, v: bigint, state: string): boolean => aligned(v) && delegable(s, v) && stateOf(s, v) === state;

/** Bytes one level-l entry maps (4 KB granules, 512 entries per table). */
export const entrySize = (l: number): number => 2 ** (12 + 9 * (3 - l));
const ENTRY_SIZES_N = [-1, 0, 1, 2, 3].map((l) => 1n << BigInt(12 + 9 * (3 - l)));
export const entrySizeN = (l: number): bigint => ENTRY_SIZES_N[l + 1] ?? 1n << BigInt(12 + 9 * (3 - l));
export const par = (rd: Rd): number => 2 ** (rd.ipaWidth - 1);
export const ipaTop = (rd: Rd): number => 2 ** rd.ipaWidth;
/** A 64-bit argument as a signed level (values that cannot be a level become out of range). */
export const levelArg = (v: bigint): number => (v >= TWO63 ? Math.max(-100, Number(v - TWO64)) : v > 100n ? 100 : Number(v));
/** The realm's descriptor and PA format: 52-bit with its LPA2 flag (FEAT_LPA2), else 48-bit. */
export const paBits = (rd: Rd): bigint => (rd.features.lpa2 ? 52n : 48n);

export interface Walk { readonly level: number; readonly rtt: number; readonly index: number; readonly entry: RttEntry }
/** RttWalk (§5): from the root covering ipa through TABLE entries, stopping at `level` or above it. */
export function walkTo(s: RealState, rd: Rd, ipa: number, level: number): Walk {
  let l = rd.rttLevelStart;
  const span = entrySize(l) * ENTRIES;
  let rtt = rd.rttBase + Math.floor(ipa / span) * GRAN;
  for (;;) {
    const index = Math.floor(ipa / entrySize(l)) % ENTRIES;
    const entry = rttAt(s, rtt).entries[index];
    if (l >= level || entry.hipas !== 'TABLE') return { level: l, rtt, index, entry };
    rtt = entry.addr;
    l++;
  }
}
/** RttSkipNonLiveEntries: the IPA of the first entry at or after ipa holding a PA (ASSIGNED, ASSIGNED_NS, TABLE), else the table's end. */
export function walkTop(s: RealState, ipa: number, w: Walk): number {
  const t = rttAt(s, w.rtt);
  const size = entrySize(w.level);
  let i = w.index;
  while (i < ENTRIES && !hasPa(t.entries[i])) i++;
  return Math.floor(ipa / size) * size + (i - w.index) * size;
}
export const hasPa = (e: RttEntry): boolean => e.hipas === 'ASSIGNED' || e.hipas === 'ASSIGNED_NS' || e.hipas === 'TABLE';
/** Per RTT object (immutable, shared across states): the indices of its TABLE entries. */
const tableScans = new WeakMap<Rtt, number[]>();
export function tableEntries(t: Rtt): number[] {
  let r = tableScans.get(t);
  if (r) return r;
  r = [];
  for (let i = 0; i < ENTRIES; i++) if (t.entries[i].hipas === 'TABLE') r.push(i);
  tableScans.set(t, r);
  return r;
}
/** RttIsLive: some entry is ASSIGNED or TABLE (ASSIGNED_NS is not live, §4). */
export const rttIsLive = (t: Rtt): boolean => t.entries.some((e) => e.hipas === 'ASSIGNED' || e.hipas === 'TABLE');

/** A5.5.6 RTT folding: the parent entry a homogeneous child at `level` folds into, or null. */
export function foldOf(t: Rtt, level: number): RttEntry | 'l0-block' | null {
  const e0 = t.entries[0];
  const size = entrySize(level);
  const all = (p: (e: RttEntry, i: number) => boolean) => t.entries.every(p);
  if (e0.hipas === 'UNASSIGNED') return all((e) => e.hipas === 'UNASSIGNED' && e.ripas === e0.ripas) ? { hipas: 'UNASSIGNED', ripas: e0.ripas, addr: 0, attrs: 0n } : null;
  if (e0.hipas === 'UNASSIGNED_NS') return all((e) => e.hipas === 'UNASSIGNED_NS') ? { hipas: 'UNASSIGNED_NS', ripas: 'EMPTY', addr: 0, attrs: 0n } : null;
  if (e0.hipas !== 'ASSIGNED' && e0.hipas !== 'ASSIGNED_NS') return null;
  const ok = e0.addr % entrySize(level - 1) === 0 && all((e, i) => e.hipas === e0.hipas && e.ripas === e0.ripas && e.attrs === e0.attrs && e.addr === e0.addr + i * size);
  if (!ok) return null;
  return level < 2 ? 'l0-block' : { hipas: e0.hipas, ripas: e0.ripas, addr: e0.addr, attrs: e0.attrs };
}

/** RecIndex: MPIDR = Aff3[39:32] Aff2[23:16] Aff1[15:8] Aff0[3:0]; any other bit set makes it invalid (-1). */
export function mpidrIndex(m: bigint): number {
  if ((m & ~0xff_00ff_ff0fn & U64_MASK) !== 0n) return -1;
  return Number((m & 0xfn) | (((m >> 8n) & 0xffn) << 4n) | (((m >> 16n) & 0xffn) << 12n) | (((m >> 32n) & 0xffn) << 20n));
}

/**
 * Gicv3ConfigIsValid (reference §6 REC_ENTER; TF-RMM gic_validate_state): ICH_HCR may hold only UIE,
 * LRENPIE, NPIE, VGrp0/1 E/D IE (bits 7:1) and TDIR (14); each implemented, non-Invalid list register
 * has HW = 0, no pINTID bits except EOI (41), a vINTID in 0-1019 or 8192-65535, and no two share one.
 */
export function gicValid(hcr: bigint, lrs: readonly bigint[], numLrs: number): boolean {
  if ((hcr & ~(0xfen | 0x4000n)) !== 0n) return false;
  const seen = new Set<bigint>();
  for (const lr of lrs.slice(0, numLrs)) {
    if (((lr >> 62n) & 3n) === 0n) continue;
    const v = lr & 0xffff_ffffn;
    if ((lr >> 61n) & 1n || ((lr >> 32n) & 0x1fffn & ~0x200n) !== 0n) return false;
    if (!(v <= 1019n || (v >= 8192n && v <= 65535n)) || seen.has(v)) return false;
    seen.add(v);
  }
  return true;
}

/** 64-bit word `off` (bytes) of a granule's data words. */
export function word(g: Granule | undefined, off: number): bigint {
  return g && g.content.kind === 'words' ? g.content.words.get(off >>> 3) ?? 0n : 0n;
}
/** Whether two RDs give the same stage-2 walk: the same root RTTs, start level and IPA width. */
export const sameRttGeometry = (a: Rd, b: Rd): boolean =>
  a === b || (a.rttBase === b.rttBase && a.rttNumStart === b.rttNumStart && a.rttLevelStart === b.rttLevelStart && a.ipaWidth === b.ipaWidth);
