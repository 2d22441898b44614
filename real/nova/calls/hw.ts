// ctrl_hw, assign_int, assign_dev — B.4; Ec::sys_ctrl_hw / sys_assign_int / sys_assign_dev.
import { row, reg } from '../call';
import type { Call, Ctx } from '../call';
import { BAD_CAP, BAD_CPU, BAD_DEV, BAD_FTR, BAD_HYP, BAD_PAR, Cap, SM_ASSIGN, SP_ASSIGN } from '../types';
import { obj, pdAt, put, withState } from '../state';

/** The caller is the root PD: its object space is the root PD's (obj != Pd::root->get_obj()). */
const notRoot = (c: Ctx): boolean => c.ec.objSp !== pdAt(c.s, c.s.rootPd)?.obj;

/** ctrl_hw(desc; op): op 0 S-state (supported ones [D] → SUCCESS, no modelled effect), 4..7 QoS/CAT/MBA:
 *  BAD_FTR on Arm (inc/aarch64/cos.hpp), others BAD_PAR. */
export const CTRL_HW: Call<Ctx> = {
  name: 'ctrl_hw', context: (c) => c,
  failures: [
    row('root', notRoot, BAD_HYP),
    row('op', (c) => ![0, 4, 5, 6, 7].includes(c.flags), BAD_PAR),
    row('qos', (c) => c.flags >= 4, BAD_FTR),
    row('sstate', (c) => Number(c.sel & 0xffffn) >= c.s.cfg.sstates, BAD_FTR),
  ],
  effect: (c) => ({ s: c.s }),
};

interface I extends Ctx { readonly smCap: Cap | null; readonly cpuArg: number; readonly dev: number }
/** assign_int(sm, cpu, dev; flags): route an interrupt SM's interrupt; X1 = msi_addr, X2 = msi_data
 *  (Arm wired interrupts: 0, 0 [D]). Only interrupt SMs carry ASSIGN. */
export const ASSIGN_INT: Call<I> = {
  name: 'assign_int',
  context: (c) => ({ s: c.s, ec: c.ec, cpu: c.cpu, x: c.x, sel: c.sel, flags: c.flags, spec: c.spec, cap: c.cap, smCap: c.cap(c.sel), cpuArg: Number(reg(c.x, 1) & 0xffffn), dev: Number(reg(c.x, 2) & 0xffffn) }),
  failures: [
    row('cpu', (c) => c.cpuArg >= c.s.cfg.cpus, BAD_CPU),
    row('sm_cap', (c) => !c.spec.valid(c.s, c.smCap, 'SM', null, SM_ASSIGN), BAD_CAP),
  ],
  effect: (c) => {
    const sm = obj(c.s, c.smCap!.obj);
    if (!sm || sm.type !== 'SM') return { s: c.s, out: [0n, 0n] };
    return { s: put(c.s, { ...sm, route: { cpu: c.cpuArg, flags: c.flags, dev: c.dev } }), out: [0n, 0n] };
  },
};

/** SMMU register frames (X1 & ~0xfff) [D]. */
export const SMMU_BASE = 0x2000_0000n;
export const smmuAt = (c: Ctx): number => {
  const a = reg(c.x, 1) & ~0xfffn;
  const i = (a - SMMU_BASE) / 0x1000n;
  return a >= SMMU_BASE && (a - SMMU_BASE) % 0x1000n === 0n && i < BigInt(c.s.cfg.smmus) ? Number(i) : -1;
};
interface D extends Ctx { readonly dmaCap: Cap | null }
/** assign_dev(dma, smmu, dad): the device `dad` (< devices [D]) translates DMA through the space. */
export const ASSIGN_DEV: Call<D> = {
  name: 'assign_dev',
  context: (c) => ({ s: c.s, ec: c.ec, cpu: c.cpu, x: c.x, sel: c.sel, flags: c.flags, spec: c.spec, cap: c.cap, dmaCap: c.cap(c.sel) }),
  failures: [
    row('root', notRoot, BAD_HYP),
    row('dma_cap', (c) => !c.spec.valid(c.s, c.dmaCap, 'PD', 'dma', SP_ASSIGN), BAD_CAP),
    row('smmu', (c) => smmuAt(c) < 0, BAD_DEV),
    row('dad', (c) => reg(c.x, 2) >= BigInt(c.s.cfg.devices), BAD_PAR),
  ],
  effect: (c) => {
    const d = Number(reg(c.x, 2)), sp = c.dmaCap!.obj;
    if (c.s.devs[d] === sp) return { s: c.s };
    const devs = c.s.devs.slice(); devs[d] = sp;
    return { s: withState(c.s, { devs }) };
  },
};
