// The ARMv8 guest-visible core (EL0/EL1) and the GIC virtual CPU interface: architecture, not hypervisor.
// Both machines use these (the ideal machine's guests are "reduced ARMv8 cores, EL0/EL1 only, one
// translation stage" [H]); what differs between them is memory, the distributor and the hypervisor.
// Simplifications [D]: no stage-1 translation (VA = IPA: stage 1 is the guest's own business and the
// same in both machines), no PSTATE.DAIF masking, AArch64 only.

import { U64_MASK } from '../../model/bits';

export type SysReg = 'spsr_el1' | 'elr_el1' | 'esr_el1' | 'far_el1' | 'vbar_el1' | 'sctlr_el1' | 'tpidr_el1';
export const SYSREGS: readonly SysReg[] = ['spsr_el1', 'elr_el1', 'esr_el1', 'far_el1', 'vbar_el1', 'sctlr_el1', 'tpidr_el1'];
export type Sys = Readonly<Record<SysReg, bigint>>;
export const SYS_RESET: Sys = { spsr_el1: 0n, elr_el1: 0n, esr_el1: 0n, far_el1: 0n, vbar_el1: 0n, sctlr_el1: 0n, tpidr_el1: 0n };

export const NGPR = 31;
export const ZERO_X: readonly bigint[] = Object.freeze(new Array<bigint>(NGPR).fill(0n));

/** List-register state of one virtual interrupt (GICv2 GICH_LR: pending, active, active and pending). */
export type LRState = 'P' | 'A' | 'AP';
export type LR = Readonly<Record<number, LRState>>;
export const NO_LR: LR = Object.freeze({});

/** What a guest sees of a core: the same record shape in both machines. */
export interface VCore {
  readonly on: boolean;
  readonly el: 0 | 1;
  readonly x: readonly bigint[];
  readonly pc: bigint;
  readonly sys: Sys;
  readonly lr: LR;
}

export const OFF_CORE: VCore = { on: false, el: 1, x: ZERO_X, pc: 0n, sys: SYS_RESET, lr: NO_LR };

// Exception classes (Arm ARM D17.2.37, ESR_ELx.EC) and the IL bit.
export const EC = { UNKNOWN: 0x00, SVC: 0x15, HVC: 0x16, SMC: 0x17, IABT_LOW: 0x20, IABT_CUR: 0x21, DABT_LOW: 0x24, DABT_CUR: 0x25 } as const;
export const IL = 1n << 25n;
export const esrOf = (ec: number, iss: bigint): bigint => (BigInt(ec) << 26n) | IL | (iss & 0x1ffffffn);
/** Fault status "synchronous external abort, not on a table walk" (DFSC/IFSC 0b010000). */
export const FSC_EXTERNAL = 0x10n;

export const u64 = (v: bigint): bigint => v & U64_MASK;
export const next = (c: VCore): bigint => u64(c.pc + 4n);

/**
 * Exception entry to EL1 (Arm ARM D1.10): SPSR_EL1 := PSTATE (M = EL0t 0b0000 or EL1h 0b0101),
 * ELR_EL1 := preferred return, ESR/FAR for synchronous exceptions, PC := VBAR_EL1 + vector offset
 * (0x200 current EL with SP_ELx, 0x400 lower EL AArch64; +0x80 for IRQ).
 */
export function enterEl1<C extends VCore>(c: C, irq: boolean, ret: bigint, esr?: bigint, far?: bigint): C {
  const sys: Sys = {
    ...c.sys,
    spsr_el1: c.el === 0 ? 0n : 5n,
    elr_el1: ret,
    esr_el1: esr ?? c.sys.esr_el1,
    far_el1: far ?? c.sys.far_el1,
  };
  const off = (c.el === 0 ? 0x400n : 0x200n) + (irq ? 0x80n : 0n);
  return { ...c, el: 1, sys, pc: u64((c.sys.vbar_el1 & ~0x7ffn) + off) };
}

/** An UNDEFINED instruction: synchronous exception, EC 0 (e.g. HVC/SMC/MRS/ERET at EL0). */
export const undefinedInstr = <C extends VCore>(c: C): C => enterEl1(c, false, c.pc, esrOf(EC.UNKNOWN, 0n));

export const setX = <C extends VCore>(c: C, r: number, v: bigint): C => {
  if (r >= NGPR) return c; // XZR: writes ignored
  const x = c.x.slice();
  x[r] = u64(v);
  return { ...c, x };
};
export const getX = (c: VCore, r: number): bigint => (r >= NGPR ? 0n : c.x[r]);

/** Guest-internal instructions (no hypervisor involvement): mov, mrs, msr, wfi, eret, svc. */
export type InternalInstr =
  | { readonly op: 'mov'; readonly rd: number; readonly value: bigint; readonly secret?: boolean }
  | { readonly op: 'mrs'; readonly rt: number; readonly reg: SysReg }
  | { readonly op: 'msr'; readonly rt: number; readonly reg: SysReg }
  | { readonly op: 'wfi' }
  | { readonly op: 'eret' }
  | { readonly op: 'svc'; readonly imm: number };

export function internal<C extends VCore>(c: C, i: InternalInstr): { core: C; value?: bigint; exception?: boolean } {
  switch (i.op) {
    case 'mov': return { core: { ...setX(c, i.rd, i.value), pc: next(c) } };
    case 'wfi': return { core: { ...c, pc: next(c) } }; // not trapped (HCR_EL2.TWI clear): a hint here
    case 'svc': return { core: enterEl1(c, false, next(c), esrOf(EC.SVC, BigInt(i.imm & 0xffff))), exception: true };
    case 'mrs': {
      if (c.el === 0) return { core: undefinedInstr(c), exception: true };
      const value = c.sys[i.reg];
      return { core: { ...setX(c, i.rt, value), pc: next(c) }, value };
    }
    case 'msr': {
      if (c.el === 0) return { core: undefinedInstr(c), exception: true };
      return { core: { ...c, sys: { ...c.sys, [i.reg]: getX(c, i.rt) }, pc: next(c) } };
    }
    case 'eret': {
      if (c.el === 0) return { core: undefinedInstr(c), exception: true };
      // SPSR.M[3:2] = 0 → EL0; anything else returns to EL1 (EL2/EL3 targets are illegal returns [D]).
      const el: 0 | 1 = (c.sys.spsr_el1 & 0xcn) === 0n ? 0 : 1;
      return { core: { ...c, el, pc: c.sys.elr_el1 } };
    }
  }
}

// ---- GIC virtual CPU interface (GICv2 GICV_*, reached through the GICC pages without a trap) ----

export const GICC = { IAR: 0x0c, EOIR: 0x10, HPPIR: 0x18, DIR: 0x1000 } as const;
export const SPURIOUS = 1023n;

/** A.4.2 / A.4.6 injection into the list registers: absent → P, A → AP, P/AP unchanged. */
export function lrInject(lr: LR, virq: number): LR {
  const s = lr[virq];
  if (s === 'P' || s === 'AP') return lr;
  return { ...lr, [virq]: s === 'A' ? 'AP' : 'P' };
}

/** The highest-priority pending entry (lowest id [D]: fixed, equal priorities) or -1. */
export function lrHighest(lr: LR): number {
  let best = -1;
  for (const k in lr) {
    const s = lr[k as unknown as number];
    const id = Number(k);
    if ((s === 'P' || s === 'AP') && (best < 0 || id < best)) best = id;
  }
  return best;
}
export const lrPending = (lr: LR): boolean => lrHighest(lr) >= 0;

/** A guest access to its virtual CPU interface (byte offset within the two GICC pages). */
export function cpuif(lr: LR, offset: number, write: boolean, value: bigint): { lr: LR; value: bigint } {
  if (!write && offset === GICC.IAR) {
    const id = lrHighest(lr);
    if (id < 0) return { lr, value: SPURIOUS };
    return { lr: { ...lr, [id]: 'A' }, value: BigInt(id) }; // P → A, AP → A (reference A.3, simplified [D])
  }
  if (!write && offset === GICC.HPPIR) {
    const id = lrHighest(lr);
    return { lr, value: id < 0 ? SPURIOUS : BigInt(id) };
  }
  if (write && (offset === GICC.EOIR || offset === GICC.DIR)) {
    const id = Number(value & 0x3ffn);
    const s = lr[id];
    if (s === 'A') { const n = { ...lr }; delete n[id]; return { lr: n, value: 0n }; }
    if (s === 'AP') return { lr: { ...lr, [id]: 'P' }, value: 0n };
    return { lr, value: 0n };
  }
  return { lr, value: 0n }; // CTLR, PMR, BPR, ...: RAZ/WI in this model [D]
}
