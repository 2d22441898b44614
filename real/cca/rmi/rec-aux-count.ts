// RMI_REC_AUX_COUNT(rd) -> X1 = number of auxiliary granules a REC of this realm needs.
import { arg } from '../command';
import type { RmiCommand } from '../spec';
import { granuleRows } from '../checks';
import { RealState } from '../state';

interface C { s: RealState; rd: bigint }

export const REC_AUX_COUNT: RmiCommand<C> = {
  name: 'REC_AUX_COUNT',
  context: (s, x) => ({ s, rd: arg(x, 0) }),
  failures: [...granuleRows<C>('rd', (c) => c.rd, 'RD')],
  effect: (c) => ({ state: c.s, x: [BigInt(c.s.cfg.recAuxCount)] }),
};
