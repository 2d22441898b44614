// ctrl_ec, ctrl_sc, ctrl_pt — B.4; Ec::sys_ctrl_ec / sys_ctrl_sc / sys_ctrl_pt (src/syscall.cpp).
import { row, reg } from '../call';
import type { Call, Ctx } from '../call';
import { BAD_CAP, Cap, EC_CTRL, PT_CTRL, SC_CTRL } from '../types';
import { ecAt, obj, put } from '../state';

interface C extends Ctx { readonly c0: Cap | null }
const ctx = (c: Ctx): C => ({ s: c.s, ec: c.ec, cpu: c.cpu, x: c.x, sel: c.sel, flags: c.flags, spec: c.spec, cap: c.cap, c0: c.cap(c.sel) });

/** ctrl_ec(ec; S): pend a RECALL; the EC sends a RECALL event before its next user instruction. S's
 *  waiting for observation is not modelled [D]: the caller returns at once. */
export const CTRL_EC: Call<C> = {
  name: 'ctrl_ec', context: ctx,
  failures: [row('ec_cap', (c) => !c.spec.valid(c.s, c.c0, 'EC', null, EC_CTRL), BAD_CAP)],
  effect: (c) => { const e = ecAt(c.s, c.c0!.obj)!; return { s: e.recall ? c.s : put(c.s, { ...e, recall: true }) }; },
};

/** ctrl_sc(sc): X1 = consumed time. */
export const CTRL_SC: Call<C> = {
  name: 'ctrl_sc', context: ctx,
  failures: [row('sc_cap', (c) => !c.spec.valid(c.s, c.c0, 'SC', null, SC_CTRL), BAD_CAP)],
  effect: (c) => { const o = obj(c.s, c.c0!.obj); return { s: c.s, out: [o && o.type === 'SC' ? o.used : 0n] }; },
};

/** ctrl_pt(pt, id, mtd): set the portal id (X1) and message transfer descriptor (X2[31:0]). */
export const CTRL_PT: Call<C> = {
  name: 'ctrl_pt', context: ctx,
  failures: [row('pt_cap', (c) => !c.spec.valid(c.s, c.c0, 'PT', null, PT_CTRL), BAD_CAP)],
  effect: (c) => {
    const o = obj(c.s, c.c0!.obj);
    if (!o || o.type !== 'PT') return { s: c.s };
    const id = reg(c.x, 1), mtd = Number(reg(c.x, 2) & 0xffffffffn);
    return { s: o.ptId === id && o.mtd === mtd ? c.s : put(c.s, { ...o, ptId: id, mtd }) };
  },
};
