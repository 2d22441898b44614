// RMI_DATA_DESTROY(rd, ipa) -> X1 = PA of the DATA granule, X2 = top. Any realm state.
// RIPAS RAM becomes DESTROYED (the host took memory the realm relied on: invariant 8).
import { INPUT, rttError } from '../status';
import { arg, row } from '../command';
import type { RmiCommand } from '../spec';
import { granuleRows, isAligned4K } from '../checks';
import { addRefcount, release, setContent } from '../ops';
import { UNASSIGNED, WalkResult, skipNonLive, walk, withEntry } from '../rtt';
import { RealState, rttOf } from '../state';
import { ipaOutsidePar, walkL3 } from './data-create';
import { rdAt } from './rtt-common';

interface C { s: RealState; rd: bigint; ipa: bigint; w?: WalkResult }

export const DATA_DESTROY: RmiCommand<C> = {
  name: 'DATA_DESTROY',
  context: (s, x) => ({ s, rd: arg(x, 0), ipa: arg(x, 1) }),
  failures: [
    ...granuleRows<C>('rd', (c) => c.rd, 'RD'),
    row('ipa_bound', (c) => ipaOutsidePar(rdAt(c), c.ipa), INPUT),
    row('ipa_align', (c) => !isAligned4K(c.ipa), INPUT),
    // A block mapping (after RTT_FOLD) stops the walk at level 1 or 2.
    row('rtt_walk', (c) => walkL3(c).level < 3, (c) => rttError(walkL3(c).level)),
    row('rtte_state', (c) => walkL3(c).entry.hipas !== 'ASSIGNED', rttError(3)),
  ],
  // On ERROR_RTT the host still gets `top` to continue its iteration.
  failOutputs: (c, failed) => (failed === 'rtt_walk' || failed === 'rtte_state' ? [0n, BigInt(skipNonLive(c.s, Number(c.ipa), walkL3(c)))] : []),
  effect: (c, spec) => {
    const w = walkL3(c);
    const ripas = spec.ripas.afterDataDestroy(w.entry.ripas);
    let s = setContent(c.s, w.rtt, withEntry(rttOf(c.s, w.rtt), w.index, UNASSIGNED(ripas)));
    s = addRefcount(s, w.rtt, -1);
    s = release(s, w.entry.addr, spec);
    const after = walk(s, rdAt({ s, rd: c.rd }), Number(c.ipa), 3);
    return { state: s, x: [BigInt(w.entry.addr), BigInt(skipNonLive(s, Number(c.ipa), after))] };
  },
};
