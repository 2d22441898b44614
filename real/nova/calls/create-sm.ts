// create_sm(sel, pd, cnt) — B.4; Ec::sys_create_sm, Pd::create_sm: counter = cnt, perms UP|DN.
import { row, reg } from '../call';
import type { Call } from '../call';
import { BAD_CAP, PD_SM, Sm, definedPerms } from '../types';
import { CreateCtx, createAndInsert, createCtx, insertRows } from './common';

export const CREATE_SM: Call<CreateCtx> = {
  name: 'create_sm',
  context: createCtx,
  failures: [
    row('pd_cap', (c) => !c.spec.valid(c.s, c.pdCap, 'PD', 'pd', PD_SM), BAD_CAP),
    ...insertRows<CreateCtx>(),
  ],
  effect: (c) => {
    const { s } = createAndInsert<Sm>(c, (id) => ({ type: 'SM', id, ref: 0, charged: -1, counter: reg(c.x, 2), queue: [], irq: -1, route: null }), () => definedPerms('SM', 'sm'));
    return { s };
  },
};
