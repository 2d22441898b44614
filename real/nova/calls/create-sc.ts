// create_sc(sel, pd, ec, scd) — B.4; Ec::sys_create_sc, Sc::create (inc/sc.hpp). scd: budget X3[15:0],
// prio X3[22:16], cos X3[38:23]; on Arm only cos 0 is valid (inc/aarch64/cos.hpp Cos::valid_cos).
// "Cannot bind → ABORTED" needs the EC's reference count at zero, which a valid capability excludes.
import { row, reg } from '../call';
import type { Call } from '../call';
import { BAD_CAP, BAD_PAR, Cap, EC_BIND_SC, Ec, PD_SC, Sc, definedPerms } from '../types';
import { CreateCtx, createAndInsert, createCtx, insertRows } from './common';
import { ecAt, put } from '../state';

interface C extends CreateCtx { readonly ecCap: Cap | null; readonly target: Ec | null; readonly budget: number; readonly prio: number; readonly cos: number }

export const CREATE_SC: Call<C> = {
  name: 'create_sc',
  context: (c) => {
    const ecCap = c.cap(reg(c.x, 2)); const x3 = reg(c.x, 3);
    return Object.assign(createCtx(c), { ecCap, target: ecCap ? ecAt(c.s, ecCap.obj) : null, budget: Number(x3 & 0xffffn), prio: Number((x3 >> 16n) & 0x7fn), cos: Number((x3 >> 23n) & 0xffffn) });
  },
  failures: [
    row('scd', (c) => c.prio === 0 || c.budget === 0 || c.cos !== 0, BAD_PAR),
    row('caps', (c) => !c.spec.valid(c.s, c.pdCap, 'PD', 'pd', PD_SC) || !c.spec.valid(c.s, c.ecCap, 'EC', null, EC_BIND_SC), BAD_CAP),
    row('ec_local', (c) => c.target!.sub === 'local', BAD_CAP),
    ...insertRows<C>(),
  ],
  effect: (c) => {
    const t = c.target!;
    // The scheduler holds a reference on the SC (recount in state.ts) [D].
    let { s, o } = createAndInsert<Sc>(c, (id) => ({ type: 'SC', id, ref: 1, charged: -1, ec: t.id, cpu: t.cpu, prio: c.prio, budget: c.budget, used: 0n }), () => definedPerms('SC', ''));
    const e = ecAt(s, t.id)!;
    // Scheduler::unblock: a global EC or vCPU that had no SC becomes runnable (its STARTUP continuation runs first).
    s = put(s, { ...e, ref: e.ref + 1, scs: e.scs + 1, st: e.st === 'wait' && e.scs === 0 && e.caller < 0 ? 'run' : e.st });
    void o;
    return { s };
  },
};
