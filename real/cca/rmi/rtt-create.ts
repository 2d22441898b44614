// RMI_RTT_CREATE(rd, rtt, ipa, level): a new level-`level` table under the level-(l-1) entry for ipa.
// Under a non-TABLE entry the new table unfolds it (§5). Any realm state.
import { INPUT, rttError } from '../status';
import { arg, row } from '../command';
import type { RmiCommand } from '../spec';
import { granuleRows } from '../checks';
import { addRefcount, claim, setContent } from '../ops';
import { TABLE, isLive, withEntry } from '../rtt';
import { rttOf } from '../state';
import { RttCtx, lvl, rdAt, structureRows, walkTo } from './rtt-common';

interface C extends RttCtx { rtt: bigint }

const parent = (c: C) => walkTo(c, lvl(c) - 1);

export const RTT_CREATE: RmiCommand<C> = {
  name: 'RTT_CREATE',
  context: (s, x) => ({ s, rd: arg(x, 0), rtt: arg(x, 1), ipa: arg(x, 2), level: arg(x, 3) }),
  failures: [
    ...granuleRows<C>('rd', (c) => c.rd, 'RD'),
    structureRows.level_bound,
    structureRows.ipa_align,
    structureRows.ipa_bound,
    ...granuleRows<C>('rtt', (c) => c.rtt, 'DELEGATED'),
    row('rtt_bound2', (c) => c.rtt >= 1n << (rdAt(c).features.lpa2 ? 52n : 48n), INPUT),
    row('rtt_walk', (c) => parent(c).level < lvl(c) - 1, (c) => rttError(parent(c).level)),
    row('rtte_state', (c) => parent(c).entry.hipas === 'TABLE', (c) => rttError(lvl(c) - 1)),
  ],
  effect: (c, spec) => {
    const w = parent(c);
    const { rtt, live } = spec.unfold(w.entry, lvl(c));
    let s = claim(c.s, Number(c.rtt), 'RTT', rtt, live);
    s = setContent(s, w.rtt, withEntry(rttOf(s, w.rtt), w.index, TABLE(Number(c.rtt))));
    // The parent gains a live entry unless it replaced an (already live) ASSIGNED block.
    return { state: isLive(w.entry) ? s : addRefcount(s, w.rtt, 1) };
  },
};
