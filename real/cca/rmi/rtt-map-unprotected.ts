// RMI_RTT_MAP_UNPROTECTED(rd, ipa, level, desc): maps host-chosen NS memory at an unprotected IPA.
// Not live: no refcount (ASSIGNED_NS does not pin the RTT, §4). Any realm state.
import { INPUT, rttError } from '../status';
import { arg, row } from '../command';
import type { RmiCommand } from '../spec';
import { granuleRows } from '../checks';
import { setContent } from '../ops';
import { ASSIGNED_NS, withEntry } from '../rtt';
import { rttOf } from '../state';
import { RttCtx, lvl, rdAt, mapIpaAlign, mapIpaBound, mapLevelBound, sizeOfLevel, walkTo } from './rtt-common';

/**
 * Host-controlled descriptor fields (TF-RMM host_ns_s2tte_is_valid / s2tte_lvl_mask and
 * S2TTE_NS_ATTR_MASK, lib/s2tt at rmm-spec-v1.0-rel0): MemAttr[4:2] (FEAT_S2FWB: three bits; bit 5
 * is not host-controlled, so a descriptor with it set is rejected), S2AP[7:6], OA[47:12]; a realm
 * with LPA2 also has OA[49:48] in place and OA[51:50] in descriptor bits [9:8].
 */
export const DESC_MEMATTR = 0x7n << 2n;
export const DESC_S2AP = 0x3n << 6n;
export const DESC_OA = ((1n << 48n) - 1n) & ~0xfffn;
const DESC_OA_LPA2 = ((1n << 50n) - 1n) & ~0xfffn;
const DESC_OA_51_50 = 0x3n << 8n;
export const memAttr = (desc: bigint): bigint => (desc >> 2n) & 0x7n;
/**
 * The reserved MemAttr encoding under FEAT_S2FWB: TF-RMM rejects exactly one value of the 3-bit
 * field, S2TTE_MEMATTR_FWB_RESERVED = 0b100.
 */
export const memAttrReserved = (desc: bigint): boolean => memAttr(desc) === 0x4n;
/** The descriptor bits the host may set for a realm with or without LPA2. */
export const hostDescMask = (lpa2: boolean): bigint => DESC_MEMATTR | DESC_S2AP | (lpa2 ? DESC_OA_LPA2 | DESC_OA_51_50 : DESC_OA);
/** The output address the descriptor names (LPA2: OA[51:50] comes from bits [9:8]). */
export const descOa = (desc: bigint, lpa2: boolean): bigint =>
  lpa2 ? (desc & DESC_OA_LPA2) | (((desc & DESC_OA_51_50) >> 8n) << 50n) : desc & DESC_OA;

interface C extends RttCtx { desc: bigint }

const entry = (c: C) => walkTo(c, lvl(c));
const lpa2Of = (c: C): boolean => rdAt(c).features.lpa2;

export const RTT_MAP_UNPROTECTED: RmiCommand<C> = {
  name: 'RTT_MAP_UNPROTECTED',
  context: (s, x) => ({ s, rd: arg(x, 0), ipa: arg(x, 1), level: arg(x, 2), desc: arg(x, 3) }),
  failures: [
    mapLevelBound,
    ...granuleRows<C>('rd', (c) => c.rd, 'RD'),
    // Bits the host does not control for this realm: neither MemAttr/S2AP nor output address (OA above
    // bit 47 and bits [9:8], which carry OA[51:50], only with LPA2). One mask check in TF-RMM.
    row('attr_valid', (c) => (c.desc & ~hostDescMask(lpa2Of(c))) !== 0n || memAttrReserved(c.desc), INPUT),
    row('addr_align', (c) => descOa(c.desc, lpa2Of(c)) % sizeOfLevel(lvl(c)) !== 0n, INPUT),
    // OA ≥ 2^48 without LPA2: shadowed by attr_valid (those bits are not OA bits then); kept for the table.
    row('addr_bound', (c) => !lpa2Of(c) && descOa(c.desc, false) >= 1n << 48n, INPUT),
    mapIpaAlign,
    mapIpaBound,
    // The walk must stop exactly at the level (a level above the start level stops at the root: ERROR_RTT).
    row('rtt_walk', (c) => entry(c).level !== lvl(c), (c) => rttError(entry(c).level)),
    row('rtte_state', (c) => entry(c).entry.hipas !== 'UNASSIGNED_NS', (c) => rttError(lvl(c))),
  ],
  effect: (c) => {
    const w = entry(c);
    const e = ASSIGNED_NS(Number(descOa(c.desc, lpa2Of(c))), c.desc & (DESC_MEMATTR | DESC_S2AP));
    return { state: setContent(c.s, w.rtt, withEntry(rttOf(c.s, w.rtt), w.index, e)) };
  },
};
