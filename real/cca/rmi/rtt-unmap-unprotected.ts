// RMI_RTT_UNMAP_UNPROTECTED(rd, ipa, level) -> X1 = top. The entry returns to UNASSIGNED_NS (+TLBI).
import { rttError } from '../status';
import { arg, row } from '../command';
import type { RmiCommand } from '../spec';
import { granuleRows } from '../checks';
import { setContent } from '../ops';
import { UNASSIGNED_NS, skipNonLive, walk, withEntry } from '../rtt';
import { rttOf } from '../state';
import { RttCtx, lvl, mapIpaAlign, mapIpaBound, mapLevelBound, rdAt, walkTo } from './rtt-common';

const entry = (c: RttCtx) => walkTo(c, lvl(c));

export const RTT_UNMAP_UNPROTECTED: RmiCommand<RttCtx> = {
  name: 'RTT_UNMAP_UNPROTECTED',
  context: (s, x) => ({ s, rd: arg(x, 0), ipa: arg(x, 1), level: arg(x, 2) }),
  failures: [
    mapLevelBound,
    ...granuleRows<RttCtx>('rd', (c) => c.rd, 'RD'),
    mapIpaAlign,
    mapIpaBound,
    // The walk must stop exactly at the level (a level above the start level stops at the root: ERROR_RTT).
    row('rtt_walk', (c) => entry(c).level !== lvl(c), (c) => rttError(entry(c).level)),
    row('rtte_state', (c) => entry(c).entry.hipas !== 'ASSIGNED_NS', (c) => rttError(lvl(c))),
  ],
  failOutputs: (c, failed) => (failed === 'rtt_walk' || failed === 'rtte_state' ? [BigInt(skipNonLive(c.s, Number(c.ipa), entry(c)))] : []),
  effect: (c) => {
    const w = entry(c);
    const s = setContent(c.s, w.rtt, withEntry(rttOf(c.s, w.rtt), w.index, UNASSIGNED_NS));
    const after = walk(s, rdAt({ s, rd: c.rd }), Number(c.ipa), lvl(c));
    return { state: s, x: [BigInt(skipNonLive(s, Number(c.ipa), after))] };
  },
};
