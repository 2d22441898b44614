// Argument rows shared by the RTT commands (reference §6, "level classes").
import { INPUT } from '../status';
import { row } from '../command';
import { WalkResult, walk } from '../rtt';
import { RealState, Rd, rdOf } from '../state';

export interface RttCtx { s: RealState; rd: bigint; ipa: bigint; level: bigint; w?: WalkResult; wt?: number }

export const rdAt = (c: { s: RealState; rd: bigint }): Rd => rdOf(c.s, Number(c.rd));
// The level is a signed 64-bit argument (TF-RMM: `long level`): -5 is below every start level, even an
// LPA2 realm's -1. Values far outside [-1, 3] are pinned at ±100 so they stay out of range as numbers.
export const lvl = (c: { level: bigint }): number =>
  c.level >= 1n << 63n ? Math.max(-100, Number(c.level - (1n << 64n))) : c.level > 100n ? 100 : Number(c.level);
// Total for any level (a reordered failure table may test alignment before the level bound): above level 3
// the size is one byte, so nothing divides by zero.
const sizeOf = (l: number): bigint => 1n << BigInt(Math.max(0, 12 + 9 * (3 - l)));

/** Walk towards `level`; cached in the context so rows and effects agree. */
export const walkTo = (c: RttCtx, level: number): WalkResult => {
  if (c.w === undefined || c.wt !== level) {
    c.w = walk(c.s, rdAt(c), Number(c.ipa), level);
    c.wt = level;
  }
  return c.w;
};

/** Structure commands (RTT_CREATE/DESTROY/FOLD) address the level-(l-1) entry that holds the table. */
export const structureRows = {
  level_bound: row<RttCtx>('level_bound', (c) => lvl(c) < rdAt(c).rttLevelStart + 1 || lvl(c) > 3, INPUT),
  ipa_align: row<RttCtx>('ipa_align', (c) => c.ipa % sizeOf(lvl(c) - 1) !== 0n, INPUT),
  ipa_bound: row<RttCtx>('ipa_bound', (c) => c.ipa >= 1n << BigInt(rdAt(c).ipaWidth), INPUT),
};

/** Unprotected-mapping commands address a level-l entry in the unprotected half. */
export const mapLevelBound = row<RttCtx>('level_bound', (c) => lvl(c) < 1 || lvl(c) > 3, INPUT);
export const mapIpaAlign = row<RttCtx>('ipa_align', (c) => c.ipa % sizeOf(lvl(c)) !== 0n, INPUT);
export const mapIpaBound = row<RttCtx>(
  'ipa_bound',
  (c) => c.ipa < 1n << BigInt(rdAt(c).ipaWidth - 1) || c.ipa >= 1n << BigInt(rdAt(c).ipaWidth),
  INPUT,
);
export const sizeOfLevel = sizeOf;
