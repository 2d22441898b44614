// create_pd(sel, pd; op) — B.4; src/syscall.cpp Ec::sys_create_pd, src/pd.cpp Pd::create_{pd,obj,hst,gst,dma,pio,msr}.
// op 0: a new PD whose capability carries the permissions of `pd`'s capability; op 1..6: a new empty
// space of the PD named by `pd` (object, host, guest, DMA, PIO, MSR), capability with all defined perms.
import { row } from '../call';
import type { Call } from '../call';
import { ABORTED, BAD_CAP, BAD_FTR, BAD_PAR, MemSpace, ObjSpace, PD_PD, PD_SUBS, Pd, definedPerms } from '../types';
import { CreateCtx, createAndInsert, createCtx, insertRows } from './common';
import { put, pdAt, withState } from '../state';

interface C extends CreateCtx { readonly op: number }

export const CREATE_PD: Call<C> = {
  name: 'create_pd',
  context: (c) => Object.assign(createCtx(c), { op: c.flags }),
  failures: [
    row('pd_cap', (c) => !c.spec.valid(c.s, c.pdCap, 'PD', 'pd', PD_PD), BAD_CAP),
    row('op', (c) => c.op > 6, BAD_PAR),
    // Pd::attach fails: a second object or host space.
    row('attached', (c) => (c.op === 1 && c.pd!.obj >= 0) || (c.op === 2 && c.pd!.hst >= 0), ABORTED),
    // DMA without an SMMU (Hip feature), PIO/MSR on Arm (inc/aarch64/space_pio.hpp: BAD_FTR).
    row('feature', (c) => (c.op === 4 && c.s.cfg.smmus === 0) || c.op === 5 || c.op === 6, BAD_FTR),
    ...insertRows<C>(),
  ],
  effect: (c) => {
    const pd = c.pd!;
    if (c.op === 0) {
      const num = c.s.pdCount;
      const r = createAndInsert<Pd>({ ...c, s: withState(c.s, { pdCount: num + 1 }) }, (id) => ({
        type: 'PD', sub: 'pd', id, ref: 0, charged: -1, num, obj: -1, hst: -1, quota: c.s.cfg.quota, capQuota: c.s.cfg.capQuota,
      }), () => c.spec.newPdPerm(c.pdCap!.perm));
      return { s: r.s };
    }
    const sub = PD_SUBS[c.op];
    const r = createAndInsert<ObjSpace | MemSpace>(c, (id) => (sub === 'obj'
      ? { type: 'PD', sub: 'obj', id, ref: 0, charged: -1, pd: pd.id, caps: new Map(), tables: new Set() }
      : { type: 'PD', sub: sub as MemSpace['sub'], id, ref: 0, charged: -1, pd: pd.id, maps: new Map(), tables: new Set() }) as ObjSpace | MemSpace,
    () => definedPerms('PD', sub));
    // The space references its PD; the PD records its (first) object and host space.
    let s = r.s;
    const p = pdAt(s, pd.id)!;
    s = put(s, { ...p, ref: p.ref + 1, obj: sub === 'obj' ? r.o.id : p.obj, hst: sub === 'hst' ? r.o.id : p.hst });
    return { s };
  },
};
