// RMI_RTT_MAP_UNPROTECTED(rd, ipa, level, desc): maps host-chosen NS memory at an unprotected IPA.
// Not live: no refcount (ASSIGNED_NS does not pin the RTT, §4). Any realm state.
import { INPUT, rttError } from '../status';
import { arg, row } from '../command';
import type { RmiCommand } from '../spec';
import { granuleRows } from '../checks';
import { setContent } from '../ops';
import { ASSIGNED_NS, withEntry } from '../rtt';
import { rttOf } from '../state';
import { RttCtx, lvl, mapIpaAlign, mapIpaBound, mapLevelBound, sizeOfLevel, walkTo } from './rtt-common';

/** Host-controlled descriptor fields: MemAttr[5:2], S2AP[7:6]; output address OA[47:12]. */
export const DESC_MEMATTR = 0xfn << 2n;
export const DESC_S2AP = 0x3n << 6n;
export const DESC_OA = ((1n << 48n) - 1n) & ~0xfffn;
export const memAttr = (desc: bigint): bigint => (desc >> 2n) & 0xfn;
/**
 * The reserved MemAttr encoding under FEAT_S2FWB. The reference only says "reserved MemAttr"; TF-RMM
 * (host_ns_s2tte_is_valid) rejects exactly one value, S2TTE_MEMATTR_FWB_RESERVED = 0b0100, so we do too.
 */
export const memAttrReserved = (desc: bigint): boolean => memAttr(desc) === 0x4n;

interface C extends RttCtx { desc: bigint }

const entry = (c: C) => walkTo(c, lvl(c));

export const RTT_MAP_UNPROTECTED: RmiCommand<C> = {
  name: 'RTT_MAP_UNPROTECTED',
  context: (s, x) => ({ s, rd: arg(x, 0), ipa: arg(x, 1), level: arg(x, 2), desc: arg(x, 3) }),
  failures: [
    mapLevelBound,
    ...granuleRows<C>('rd', (c) => c.rd, 'RD'),
    row('attr_valid', (c) => (c.desc & ~(DESC_MEMATTR | DESC_S2AP | DESC_OA)) !== 0n || memAttrReserved(c.desc), INPUT),
    row('addr_align', (c) => (c.desc & DESC_OA) % sizeOfLevel(lvl(c)) !== 0n, INPUT),
    row('addr_bound', (c) => (c.desc & DESC_OA) >= 1n << 48n, INPUT),
    mapIpaAlign,
    mapIpaBound,
    // The walk must stop exactly at the level (a level above the start level stops at the root: ERROR_RTT).
    row('rtt_walk', (c) => entry(c).level !== lvl(c), (c) => rttError(entry(c).level)),
    row('rtte_state', (c) => entry(c).entry.hipas !== 'UNASSIGNED_NS', (c) => rttError(lvl(c))),
  ],
  effect: (c) => {
    const w = entry(c);
    const e = ASSIGNED_NS(Number(c.desc & DESC_OA), c.desc & (DESC_MEMATTR | DESC_S2AP));
    return { state: setContent(c.s, w.rtt, withEntry(rttOf(c.s, w.rtt), w.index, e)) };
  },
};
