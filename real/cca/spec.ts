// The specification object's type: what the real machine is built from, and what a variant maps.
// A variant is a function Spec -> Spec (drop or reorder a failure row, skip a scrub, leak a
// register): the model has no `if (bug)` flags. Types only, so every module can name the Spec
// without importing the commands (the faithful object is in faithful.ts).

import type { RmiName } from './rmi';
import type { Status } from './status';
import type { Ripas } from './types';
import type { Observation } from './actions';
import type { Content, RealState, Rec } from './state';
import type { WmOp } from '../shared/weakmem/executor';

export interface Failure<C> {
  readonly name: string;
  /** Holds when the command must fail. May assume every earlier row did not hold. */
  readonly fails: (c: C) => boolean;
  readonly error: Status | ((c: C) => Status);
}

/** The outcome of an RMI call. `pending` = REC_ENTER started a REC; the call completes at its exit. */
export interface RmiOutcome {
  readonly state: RealState;
  readonly status: Status;
  /** X1..X4 (fewer entries = zero). */
  readonly x: readonly bigint[];
  /** The failure row that decided an error, for coverage and tests. */
  readonly failed?: string;
  readonly pending?: boolean;
}

export interface Effect {
  readonly state: RealState;
  readonly x?: readonly bigint[];
  /** Set when the command does not complete in this step (REC_ENTER). */
  readonly pending?: boolean;
  /** A late failure detected while applying the effect (e.g. a fault writing an output buffer). */
  readonly status?: Status;
}

export interface RmiCommand<C = any> {
  readonly name: RmiName;
  readonly context: (s: RealState, x: readonly bigint[], cpu: number, spec: Spec) => C;
  readonly failures: readonly Failure<C>[];
  /** Outputs returned alongside an error (e.g. DATA_DESTROY's `top` on ERROR_RTT). */
  readonly failOutputs?: (c: C, failed: string) => readonly bigint[];
  readonly effect: (c: C, spec: Spec) => Effect;
}

export interface RecEntry { flags: bigint; gprs: bigint[]; gicHcr: bigint; gicLrs: bigint[] }

export type ExitInfo =
  | { readonly kind: 'emulatable-da'; readonly esr: bigint; readonly far: bigint; readonly hpfar: bigint; readonly value: bigint }
  | { readonly kind: 'abort'; readonly esr: bigint; readonly far: bigint; readonly hpfar: bigint }
  | { readonly kind: 'sysreg'; readonly esr: bigint; readonly value: bigint }
  | { readonly kind: 'wfx'; readonly esr: bigint }
  | { readonly kind: 'irq' | 'fiq' }
  | { readonly kind: 'serror'; readonly esr: bigint }
  | { readonly kind: 'ripas-change'; readonly base: bigint; readonly top: bigint; readonly value: Ripas }
  | { readonly kind: 'host-call'; readonly imm: bigint; readonly gprs: readonly bigint[] }
  | { readonly kind: 'psci'; readonly gprs: readonly bigint[] };

export interface ExitRecord {
  exitReason: bigint; esr: bigint; far: bigint; hpfar: bigint; gprs: bigint[]; gicv3Hcr: bigint; gicv3Lrs: bigint[];
  gicv3Misr: bigint; gicv3Vmcr: bigint; cntpCtl: bigint; cntpCval: bigint; cntvCtl: bigint; cntvCval: bigint;
  ripasBase: bigint; ripasTop: bigint; ripasValue: bigint; imm: bigint; pmuOvfStatus: bigint;
}

export interface StepResult {
  readonly state: RealState;
  readonly obs: Observation;
}

/** The weak-memory micro-programs of the REC bookkeeping (CCA paper Figure 4). */
export interface Programs {
  readonly recCreate: (rd: number, slot: number, rec: number) => WmOp[];
  readonly recDestroy: (rd: number, slot: number) => WmOp[];
  readonly realmDestroy: (rd: number, slots: number) => WmOp[];
}

export interface Spec {
  readonly name: string;
  readonly commands: { readonly [K in RmiName]: RmiCommand };
  /** What a granule holds after it returns to DELEGATED. The specification: zero (invariant 1). */
  readonly scrub: (c: Content) => Content;
  /** REC_ENTER after its checks passed: entry completion, then the REC runs on `cpu`. */
  readonly enterRec: (s: RealState, cpu: number, rec: number, run: number, e: RecEntry) => Effect;
  /** The exit record a host sees for an exit (reference §7's exposure table). */
  readonly exitRecord: (i: ExitInfo, rec: Rec, regs: readonly bigint[]) => ExitRecord;
  /** Whether the RMM may write the exit record into the run granule at exit (it must still be NS). */
  readonly exitRunCheck: (s: RealState, run: number) => boolean;
  /** The weak-memory micro-programs of the REC bookkeeping (Config.weakMemory). */
  readonly programs: Programs;
}

export type Variant = (s: Spec) => Spec;
