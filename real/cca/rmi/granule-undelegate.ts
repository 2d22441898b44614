// RMI_GRANULE_UNDELEGATE(addr): DELEGATED -> UNDELEGATED (GPT NS). The content is already zero
// (invariant 1): every path into DELEGATED scrubs.
import { arg } from '../command';
import type { RmiCommand } from '../spec';
import { granuleRows } from '../checks';
import { RealState, makeGranule, updateGranule } from '../state';

interface C { s: RealState; addr: bigint }

export const GRANULE_UNDELEGATE: RmiCommand<C> = {
  name: 'GRANULE_UNDELEGATE',
  context: (s, x) => ({ s, addr: arg(x, 0) }),
  failures: [...granuleRows<C>('gran', (c) => c.addr, 'DELEGATED')],
  effect: (c) => ({ state: updateGranule(c.s, Number(c.addr), (g) => makeGranule('NS', 'UNDELEGATED', 0, g.content)) }),
};
