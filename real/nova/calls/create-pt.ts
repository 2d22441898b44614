// create_pt(sel, pd, ec, ip) — B.4; Ec::sys_create_pt, Pt::create (inc/pt.hpp): PT(ec, ip, id 0, mtd 0).
import { row, reg } from '../call';
import type { Call } from '../call';
import { BAD_CAP, Cap, EC_BIND_PT, Ec, PD_PT, Pt, definedPerms } from '../types';
import { CreateCtx, createAndInsert, createCtx, insertRows } from './common';
import { addRef, ecAt } from '../state';

interface C extends CreateCtx { readonly ecCap: Cap | null; readonly target: Ec | null }

export const CREATE_PT: Call<C> = {
  name: 'create_pt',
  context: (c) => { const ecCap = c.cap(reg(c.x, 2)); return Object.assign(createCtx(c), { ecCap, target: ecCap ? ecAt(c.s, ecCap.obj) : null }); },
  failures: [
    row('caps', (c) => !c.spec.valid(c.s, c.pdCap, 'PD', 'pd', PD_PT) || !c.spec.valid(c.s, c.ecCap, 'EC', null, EC_BIND_PT), BAD_CAP),
    row('ec_not_local', (c) => c.target!.sub !== 'local', BAD_CAP),
    ...insertRows<C>(),
  ],
  effect: (c) => {
    const { s } = createAndInsert<Pt>(c, (id) => ({ type: 'PT', id, ref: 0, charged: -1, ec: c.target!.id, ip: reg(c.x, 3), ptId: 0n, mtd: 0 }), () => definedPerms('PT', ''));
    return { s: addRef(s, c.target!.id, 1) };
  },
};
