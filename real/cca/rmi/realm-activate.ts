// RMI_REALM_ACTIVATE(rd): NEW -> ACTIVE. The RIM is final from here on.
import { REALM } from '../status';
import { arg, row } from '../command';
import type { RmiCommand } from '../spec';
import { granuleRows } from '../checks';
import { RealState, rdOf } from '../state';
import { setContent } from '../ops';

interface C { s: RealState; rd: bigint }

export const REALM_ACTIVATE: RmiCommand<C> = {
  name: 'REALM_ACTIVATE',
  context: (s, x) => ({ s, rd: arg(x, 0) }),
  failures: [
    ...granuleRows<C>('rd', (c) => c.rd, 'RD'),
    row('realm_state', (c) => rdOf(c.s, Number(c.rd)).state !== 'NEW', REALM),
  ],
  effect: (c) => ({ state: setContent(c.s, Number(c.rd), { ...rdOf(c.s, Number(c.rd)), state: 'ACTIVE' }) }),
};
