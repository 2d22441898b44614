// RMI_DATA_CREATE_UNKNOWN(rd, data, ipa): maps a zeroed DATA granule at ipa; RIPAS unchanged; not
// measured; allowed in any realm state (the host backs memory on demand after activation).
import { arg } from '../command';
import type { RmiCommand } from '../spec';
import { granuleRows } from '../checks';
import { claim } from '../ops';
import { zeroContent } from '../memory';
import { WalkResult } from '../rtt';
import { RealState } from '../state';
import { mapData, mapRows, walkL3 } from './data-create';

interface C { s: RealState; rd: bigint; data: bigint; ipa: bigint; w?: WalkResult }

export const DATA_CREATE_UNKNOWN: RmiCommand<C> = {
  name: 'DATA_CREATE_UNKNOWN',
  context: (s, x) => ({ s, rd: arg(x, 0), data: arg(x, 1), ipa: arg(x, 2) }),
  failures: [
    ...granuleRows<C>('data', (c) => c.data, 'DELEGATED'),
    ...granuleRows<C>('rd', (c) => c.rd, 'RD'),
    ...mapRows<C>(),
  ],
  effect: (c) => {
    const w = walkL3(c);
    const s = claim(c.s, Number(c.data), 'DATA', zeroContent());
    return { state: mapData(s, w, Number(c.data), w.entry.ripas) };
  },
};
