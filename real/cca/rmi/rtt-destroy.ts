// RMI_RTT_DESTROY(rd, ipa, level) -> X1 = PA of the RTT, X2 = top. The parent entry becomes
// UNASSIGNED/DESTROYED in the PAR (the realm must consent before using it again) or UNASSIGNED_NS.
import { rttError } from '../status';
import { arg, row } from '../command';
import type { RmiCommand } from '../spec';
import { granuleRows } from '../checks';
import { addRefcount, release, setContent } from '../ops';
import { UNASSIGNED, UNASSIGNED_NS, inPar, skipNonLive, walk, withEntry } from '../rtt';
import { granuleAt, rttOf } from '../state';
import { RttCtx, lvl, rdAt, structureRows, walkTo } from './rtt-common';

const parent = (c: RttCtx) => walkTo(c, lvl(c) - 1);
const reached = (c: RttCtx) => parent(c).level === lvl(c) - 1 && parent(c).entry.hipas === 'TABLE';

export const RTT_DESTROY: RmiCommand<RttCtx> = {
  name: 'RTT_DESTROY',
  context: (s, x) => ({ s, rd: arg(x, 0), ipa: arg(x, 1), level: arg(x, 2) }),
  failures: [
    ...granuleRows<RttCtx>('rd', (c) => c.rd, 'RD'),
    structureRows.level_bound,
    structureRows.ipa_align,
    structureRows.ipa_bound,
    row('rtt_walk', (c) => !reached(c), (c) => rttError(parent(c).level)),
    // rtt_live: the child still has an ASSIGNED or TABLE entry (its refcount counts them).
    row('rtt_live', (c) => granuleAt(c.s, parent(c).entry.addr).refcount !== 0, (c) => rttError(lvl(c))),
  ],
  failOutputs: (c, failed) => (failed === 'rtt_walk' || failed === 'rtt_live' ? [0n, BigInt(skipNonLive(c.s, Number(c.ipa), parent(c)))] : []),
  effect: (c, spec) => {
    const w = parent(c);
    const child = w.entry.addr;
    const replacement = inPar(rdAt(c), Number(c.ipa)) ? UNASSIGNED(spec.ripas.afterRttDestroy()) : UNASSIGNED_NS;
    let s = setContent(c.s, w.rtt, withEntry(rttOf(c.s, w.rtt), w.index, replacement));
    s = addRefcount(s, w.rtt, -1);
    s = release(s, child, spec);
    const after = walk(s, rdAt({ s, rd: c.rd }), Number(c.ipa), lvl(c) - 1);
    return { state: s, x: [BigInt(child), BigInt(skipNonLive(s, Number(c.ipa), after))] };
  },
};
