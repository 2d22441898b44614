// RMI_GRANULE_DELEGATE(addr): UNDELEGATED (GPT NS) -> DELEGATED (GPT Realm), zeroed.
import { INPUT } from '../status';
import { arg, row } from '../command';
import type { RmiCommand } from '../spec';
import { granuleRows } from '../checks';
import { RealState, granuleAt } from '../state';
import { claim } from '../ops';
import { zeroContent } from '../memory';

interface C { s: RealState; addr: bigint }

export const GRANULE_DELEGATE: RmiCommand<C> = {
  name: 'GRANULE_DELEGATE',
  context: (s, x) => ({ s, addr: arg(x, 0) }),
  failures: [
    ...granuleRows<C>('gran', (c) => c.addr, 'UNDELEGATED'),
    // Secure and Root memory is UNDELEGATED to the RMM but EL3 refuses to move it to the Realm PAS.
    row('gran_gpt', (c) => granuleAt(c.s, Number(c.addr)).pas !== 'NS', INPUT),
  ],
  effect: (c) => ({ state: claim(c.s, Number(c.addr), 'DELEGATED', zeroContent()) }),
};
