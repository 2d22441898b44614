// create_ec(sel, pd, hva|cpu, sp, evt; G,T,F) — B.4; Ec::sys_create_ec, Pd::create_ec, Ec::create_hst /
// Ec::create_gst (src/aarch64/ec_arch.cpp). G = vCPU, T = global (host EC) / offset timer (vCPU).
// A host EC's UTCB is mapped at hva in the PD's host space (Ec_arch constructor: K|U|W|R).
import { row, reg } from '../call';
import type { Call } from '../call';
import { ABORTED, BAD_CAP, BAD_CPU, BAD_FTR, BAD_PAR, Ec, M_R, M_W, PD_EC, definedPerms } from '../types';
import { CreateCtx, createAndInsert, createCtx, insertRows } from './common';
import { memSpace, memsel, newEc, put, addRef } from '../state';

interface C extends CreateCtx { readonly hva: bigint; readonly cpuArg: number; readonly g: boolean; readonly t: boolean }

/** STARTUP = Event::hst_arch (64) + 0 (inc/aarch64/event.hpp). */
export const EV_STARTUP = 64, EV_RECALL = 65;

export const CREATE_EC: Call<C> = {
  name: 'create_ec',
  context: (c) => {
    const x2 = reg(c.x, 2);
    return Object.assign(createCtx(c), { hva: x2 & ~0xfffn, cpuArg: Number(x2 & 0xfffn), g: (c.flags & 1) !== 0, t: (c.flags & 2) !== 0 });
  },
  failures: [
    row('hva', (c) => c.hva >= BigInt(memsel(c.s.cfg)) << 12n, BAD_PAR),
    row('cpu', (c) => c.cpuArg >= c.s.cfg.cpus, BAD_CPU),
    row('pd_cap', (c) => !c.spec.valid(c.s, c.pdCap, 'PD', 'pd', PD_EC), BAD_CAP),
    row('spaces', (c) => c.pd!.obj < 0 || c.pd!.hst < 0, ABORTED),
    row('vcpu', (c) => c.g && !c.s.cfg.vcpu, BAD_FTR),
    ...insertRows<C>(),
  ],
  effect: (c) => {
    const pd = c.pd!;
    const sub = c.g ? 'vcpu' : c.t ? 'global' : 'local';
    const hva = c.g ? -1 : Number(c.hva >> 12n);
    const r = createAndInsert<Ec>(c, (id) => newEc(id, {
      sub, pd: pd.id, objSp: pd.obj, hstSp: pd.hst, cpu: c.cpuArg, charged: -1, hva,
      evt: reg(c.x, 4), sp: reg(c.x, 3), cont: sub === 'local' ? null : { k: 'event', ev: EV_STARTUP },
    }), () => definedPerms('EC', ''));
    let s = addRef(addRef(r.s, pd.obj, 1), pd.hst, 1);
    if (hva >= 0) {
      const h = memSpace(s, pd.hst)!;
      const maps = new Map(h.maps); maps.set(hva, { kind: 'utcb', page: r.o.id, perm: M_R | M_W, attr: 0 });
      const tables = new Set(h.tables); tables.add(Math.floor(hva / 512));
      s = put(s, { ...h, maps, tables });
    }
    return { s };
  },
};
