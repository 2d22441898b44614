// Argument rows shared by the RTT commands (reference §6, "level classes").
import { INPUT } from '../status';
import { row } from '../command';
import { WalkResult, walk } from '../rtt';
import { RealState, Rd, rdOf } from '../state';

export interface RttCtx { s: RealState; rd: bigint; ipa: bigint; level: bigint; w?: WalkResult; wt?: number }

export const rdAt = (c: { s: RealState; rd: bigint }): Rd => rdOf(c.s, Number(c.rd));
/** The level as a signed 64-bit integer. */
export const lvl = (c: { level: bigint }): number => (c.level >= 1n << 63n ? -1 : c.level > 8n ? 8 : Number(c.level));
const sizeOf = (l: number): bigint => 1n << BigInt(12 + 9 * (3 - l));

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
