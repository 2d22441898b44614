// Trace steps (reference A.3) and what a step lets a guest observe (A.6 "Observations").

import type { InternalInstr } from './arch';

export type MemInstr =
  /** `isv: false` = an access without a valid syndrome (load pair, writeback): the GICD emulation refuses it. */
  | { readonly op: 'load'; readonly ipa: bigint; readonly rt: number; readonly isv?: boolean }
  | { readonly op: 'store'; readonly ipa: bigint; readonly rt: number; readonly isv?: boolean }
  /** A branch to `ipa`: the instruction there is fetched (execute permission) and retired as a no-op. */
  | { readonly op: 'fetch'; readonly ipa: bigint };

/** HVC/SMC; `args` are written to x0.. just before the call (a shorthand for movs). */
export type CallInstr =
  | { readonly op: 'hvc'; readonly imm: number; readonly args?: readonly bigint[] }
  | { readonly op: 'smc'; readonly imm: number; readonly args?: readonly bigint[] };

export type Instr = InternalInstr | MemInstr | CallInstr;

export type Action =
  | { readonly kind: 'guest'; readonly core: number; readonly instr: Instr }
  /** External input: the device's register `reg` takes `value` (private to the owner). */
  | { readonly kind: 'device'; readonly dev: number; readonly op: 'input'; readonly reg: number; readonly value: bigint }
  /** The device raises one of its interrupts (physical GIC pending). */
  | { readonly kind: 'device'; readonly dev: number; readonly op: 'raise'; readonly irq: number }
  /** A DMA transfer by the device through its SMMU. */
  | { readonly kind: 'dma'; readonly dev: number; readonly write: boolean; readonly ipa: bigint; readonly value: bigint }
  /** take(c): the GIC signals interrupt `intid` (for an SGI, the one from core `src`) to core `core`. */
  | { readonly kind: 'irq'; readonly core: number; readonly intid: number; readonly src: number }
  /** The core takes the virtual IRQ its list registers signal (IRQ exception to EL1). */
  | { readonly kind: 'virq'; readonly core: number };

/** What the acting guest sees. */
export type Ev =
  /** Nothing happened (core off, nothing pending, no such interrupt): the step changed nothing. */
  | { readonly k: 'none' }
  /** The instruction retired; nothing to read. */
  | { readonly k: 'step' }
  /** A value read: load, fetch, mrs, distributor or CPU-interface register, DMA read. */
  | { readonly k: 'value'; readonly v: bigint }
  /** An exception to EL1 (injected abort, SVC, undefined): what the guest's handler sees. */
  | { readonly k: 'exc'; readonly esr: bigint; readonly far: bigint; readonly pc: bigint }
  /** An interrupt delivered into the list registers. */
  | { readonly k: 'irq'; readonly virq: number }
  /** The virtual IRQ exception taken. */
  | { readonly k: 'virq'; readonly pc: bigint }
  | { readonly k: 'dmafault' };

export interface Obs {
  /** The observing guest (-1: nobody). */
  readonly g: number;
  readonly ev: Ev;
  /** The outcome's name for coverage (e.g. `hvc:DROP_BUSY`); invisible to the guest, not compared. */
  readonly label: string;
}

export const NONE: Ev = { k: 'none' };
export const STEP: Ev = { k: 'step' };
export const nobody = (label: string): Obs => ({ g: -1, ev: NONE, label });
