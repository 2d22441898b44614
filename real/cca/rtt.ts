// Stage-2 translation tables (reference §5): level arithmetic, the RTT walk, entry constructors,
// unfold (RTT_CREATE under a block) and fold (RTT_FOLD) rules.

import { RealState, Rd, RttEntry, Rtt, granuleAt, rttOf } from './state';
import { Hipas, Ripas } from './types';

export const RTT_ENTRIES = 512;

/** log2 of the size of the region one level-l entry maps (4 KB granules). */
export const levelShift = (l: number): number => 12 + 9 * (3 - l);
// Sizes of levels -1..3 by table (the invariant walk asks for them per entry); other levels computed.
const LEVEL_SIZES = [-1, 0, 1, 2, 3].map((l) => 2 ** levelShift(l));
export const levelSize = (l: number): number => (l >= -1 && l <= 3 && Number.isInteger(l) ? LEVEL_SIZES[l + 1] : 2 ** levelShift(l));
export const isAligned = (ipa: number, l: number): boolean => ipa % levelSize(l) === 0;
/** Index of the level-l entry covering ipa within its 512-entry table. */
export const entryIndex = (ipa: number, l: number): number => Math.floor(ipa / levelSize(l)) % RTT_ENTRIES;

export const parBoundary = (rd: Rd): number => 2 ** (rd.ipaWidth - 1);
export const inPar = (rd: Rd, ipa: number): boolean => ipa < parBoundary(rd);
export const ipaLimit = (rd: Rd): number => 2 ** rd.ipaWidth;

/**
 * Every RTT and RTT entry object the machine stores is made by these two functions, so that each kind
 * has one shape (V8 map; test/cca/real/shapes.test.ts): the checkers read them in loops over 512
 * entries, and objects of several shapes (spread copies, frozen constants) made each such read a slow
 * megamorphic one.
 */
export const makeRtt = (level: number, entries: readonly RttEntry[]): Rtt => ({ kind: 'rtt', level, entries });
export const makeEntry = (hipas: Hipas, ripas: Ripas, addr: number, attrs: bigint): RttEntry => ({ hipas, ripas, addr, attrs });

/** Entries are shared constants where they carry no address: most of a table is one object. */
const unassigned: Record<Ripas, RttEntry> = {
  EMPTY: makeEntry('UNASSIGNED', 'EMPTY', 0, 0n),
  RAM: makeEntry('UNASSIGNED', 'RAM', 0, 0n),
  DESTROYED: makeEntry('UNASSIGNED', 'DESTROYED', 0, 0n),
};
export const UNASSIGNED = (ripas: Ripas): RttEntry => unassigned[ripas];
export const UNASSIGNED_NS: RttEntry = makeEntry('UNASSIGNED_NS', 'EMPTY', 0, 0n);
export const ASSIGNED = (addr: number, ripas: Ripas): RttEntry => makeEntry('ASSIGNED', ripas, addr, 0n);
export const ASSIGNED_NS = (addr: number, attrs: bigint): RttEntry => makeEntry('ASSIGNED_NS', 'EMPTY', addr, attrs);
export const TABLE = (addr: number): RttEntry => makeEntry('TABLE', 'EMPTY', addr, 0n);

/** Live for refcounts and RealmIsLive: ASSIGNED (protected) or TABLE. ASSIGNED_NS is not live (§4). */
export const isLive = (e: RttEntry): boolean => e.hipas === 'ASSIGNED' || e.hipas === 'TABLE';
/** "Has a PA": what the `top` outputs skip over (TF-RMM skip_non_live_entries). */
export const hasPa = (e: RttEntry): boolean => e.hipas === 'ASSIGNED' || e.hipas === 'ASSIGNED_NS' || e.hipas === 'TABLE';

/**
 * Per entry object, the one entries array of a table holding only it: tables never write their array
 * (a change copies it, withEntry), so every table RTT_CREATE makes under an unassigned entry can share
 * it rather than allocate 4 KB each (7% of a CCA check's allocation).
 */
const uniformEntries = new WeakMap<RttEntry, readonly RttEntry[]>();
export function uniformRtt(level: number, e: RttEntry): Rtt {
  let entries = uniformEntries.get(e);
  if (!entries) {
    const a: RttEntry[] = []; // pushed, not new Array(n).fill: a packed array, like every other table's
    for (let i = 0; i < RTT_ENTRIES; i++) a.push(e);
    uniformEntries.set(e, (entries = a));
  }
  return makeRtt(level, entries);
}

export function withEntry(t: Rtt, index: number, e: RttEntry): Rtt {
  const entries = t.entries.slice();
  entries[index] = e;
  return makeRtt(t.level, entries);
}

export interface WalkResult {
  /** Level of the table where the walk stopped (= requested level if reached). */
  readonly level: number;
  /** PA of that table. */
  readonly rtt: number;
  readonly index: number;
  readonly entry: RttEntry;
}

/** PA of the root RTT (among the concatenated ones) covering ipa. */
export function rootFor(rd: Rd, ipa: number): number {
  const n = Math.floor(ipa / levelSize(rd.rttLevelStart) / RTT_ENTRIES);
  return rd.rttBase + n * 4096;
}

/**
 * Walks from the root towards `level`, descending only through TABLE entries. Stops at `level` or at
 * the first non-TABLE entry above it. Precondition: ipa < 2^w and level ≥ rttLevelStart.
 */
export function walk(s: RealState, rd: Rd, ipa: number, level: number): WalkResult {
  let l = rd.rttLevelStart;
  let pa = rootFor(rd, ipa);
  for (;;) {
    const t = rttOf(s, pa);
    const index = entryIndex(ipa, l);
    const entry = t.entries[index];
    if (l >= level || entry.hipas !== 'TABLE') return { level: l, rtt: pa, index, entry };
    pa = entry.addr;
    l += 1;
  }
}

/** Address of the first entry with a PA at or after `ipa` in the walk's table, else the table's end. */
export function skipNonLive(s: RealState, ipa: number, w: WalkResult): number {
  if (hasPa(w.entry)) return ipa;
  const t = rttOf(s, w.rtt);
  const size = levelSize(w.level);
  let i = w.index + 1;
  while (i < RTT_ENTRIES && !hasPa(t.entries[i])) i++;
  return Math.floor(ipa / size) * size + (i - w.index) * size;
}

/**
 * RIPAS commands process consecutive entries of the walked table, without splitting: how many, from
 * the walked one, lie entirely below `top` and are accepted by `ok`.
 */
export function entriesBelow(t: Rtt, w: WalkResult, base: number, top: number, ok: (e: RttEntry) => boolean): number {
  const size = levelSize(w.level);
  let n = 0;
  for (let i = w.index; i < RTT_ENTRIES && base + (n + 1) * size <= top && ok(t.entries[i]); i++) n++;
  return n;
}

/** The child table RTT_CREATE builds under a non-TABLE parent entry (unfold, §5). */
export function unfold(parent: RttEntry, childLevel: number): { rtt: Rtt; live: number } {
  const size = levelSize(childLevel);
  if (parent.hipas === 'ASSIGNED' || parent.hipas === 'ASSIGNED_NS') {
    const entries: RttEntry[] = [];
    for (let i = 0; i < RTT_ENTRIES; i++)
      entries.push(parent.hipas === 'ASSIGNED' ? ASSIGNED(parent.addr + i * size, parent.ripas) : ASSIGNED_NS(parent.addr + i * size, parent.attrs));
    return { rtt: makeRtt(childLevel, entries), live: parent.hipas === 'ASSIGNED' ? RTT_ENTRIES : 0 };
  }
  return { rtt: uniformRtt(childLevel, parent), live: 0 };
}

export type FoldResult = { ok: true; entry: RttEntry } | { ok: false; level: number };

/**
 * The parent entry RTT_FOLD makes of a child table at `childLevel` (§5): homogeneous unassigned tables
 * fold at any level; ASSIGNED / ASSIGNED_NS ones only into contiguous, aligned blocks at level ≥ 1.
 */
export function fold(t: Rtt, childLevel: number): FoldResult {
  const e0 = t.entries[0];
  const parentLevel = childLevel - 1;
  const size = levelSize(childLevel);
  const same = (pred: (e: RttEntry, i: number) => boolean) => t.entries.every(pred);
  switch (e0.hipas) {
    case 'UNASSIGNED':
      return same((e) => e.hipas === 'UNASSIGNED' && e.ripas === e0.ripas) ? { ok: true, entry: UNASSIGNED(e0.ripas) } : { ok: false, level: childLevel };
    case 'UNASSIGNED_NS':
      return same((e) => e.hipas === 'UNASSIGNED_NS') ? { ok: true, entry: UNASSIGNED_NS } : { ok: false, level: childLevel };
    case 'ASSIGNED':
    case 'ASSIGNED_NS': {
      const homogeneous =
        e0.addr % levelSize(parentLevel) === 0 &&
        same((e, i) => e.hipas === e0.hipas && e.ripas === e0.ripas && e.attrs === e0.attrs && e.addr === e0.addr + i * size);
      if (!homogeneous) return { ok: false, level: childLevel };
      // TF-RMM: no block entries at level 0 (or -1); the parent level is where the walk stopped.
      if (parentLevel < 1) return { ok: false, level: parentLevel };
      return { ok: true, entry: e0.hipas === 'ASSIGNED' ? ASSIGNED(e0.addr, e0.ripas) : ASSIGNED_NS(e0.addr, e0.attrs) };
    }
    default:
      return { ok: false, level: childLevel };
  }
}

/**
 * Number of concatenated root RTTs for (w, start level), or 0 when the geometry is invalid (§10;
 * TF-RMM s2_inconsistent_sl / s2_num_root_rtts). Start level -1 (LPA2 only) takes w in [49, 52] with
 * one 16-entry root. A w above 48 needs LPA2, which REALM_CREATE checks before this.
 */
export function rootCount(w: number, s: number): number {
  if (s === -1) return w >= 49 && w <= 52 ? 1 : 0;
  const base = (3 - s) * 9;
  if (s < 0 || s > 3 || w < base + 13 || w > base + 25) return 0;
  return w <= base + 21 ? 1 : 2 ** (w - (base + 21));
}

export const isRttGranule = (s: RealState, pa: number): boolean => granuleAt(s, pa).state === 'RTT';
