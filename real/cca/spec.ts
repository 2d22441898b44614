// The specification object's type: what the real machine is built from, and what a variant maps.
// A variant is a function Spec -> Spec (drop or reorder a failure row, skip a scrub, leak a
// register): the model has no `if (bug)` flags. Types only, so every module can name the Spec
// without importing the commands (the faithful object is in faithful.ts).

import type { RmiName } from './rmi';
import type { Status } from './status';
import type { Ripas } from './types';
import type { Observation } from './actions';
import type { Content, RealState, Rd, Rec, Rtt, RttEntry } from './state';
import type { FoldResult } from './rtt';
import type { Trap } from './realm/guest';
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

/** What the RMM knows when a realm's SMC reaches it (an RSI or PSCI call). */
export interface RsiCtx {
  readonly s: RealState;
  readonly cpu: number;
  readonly recPa: number;
  readonly rec: Rec;
  readonly rdPa: number;
  readonly rd: Rd;
  /** The calling REC's live register file: X0 = function ID, X1.. = arguments. */
  readonly regs: readonly bigint[];
}

/** The RMM's outcome for a call: results in registers (the realm resumes), or an exit to the host. */
export type CallOutcome =
  | { readonly kind: 'resume'; readonly s: RealState; readonly set: Readonly<Record<number, bigint>>; readonly rec?: Rec; readonly what: string }
  | { readonly kind: 'exit'; readonly s: RealState; readonly info: ExitInfo; readonly rec: Rec; readonly what: string; readonly psciResult?: readonly bigint[] };

/** An RSI or PSCI handler. */
export type CallHandler = (c: RsiCtx) => CallOutcome;

/** The RSI functions of reference §7 (FID 0xC4000190 + n, in this order). */
export type RsiName =
  | 'VERSION' | 'FEATURES' | 'MEASUREMENT_READ' | 'MEASUREMENT_EXTEND' | 'ATTESTATION_TOKEN_INIT' | 'ATTESTATION_TOKEN_CONTINUE'
  | 'REALM_CONFIG' | 'IPA_STATE_SET' | 'IPA_STATE_GET' | 'HOST_CALL';

/** How RIPAS changes are applied to RTT entries (reference §6 and invariant 8). */
export interface RipasRules {
  /** RTT_INIT_RIPAS: what an entry becomes, or null where the command stops (no splitting). */
  readonly init: (e: RttEntry) => RttEntry | null;
  /** RTT_SET_RIPAS: the entry after applying the REC's pending request, or null where it stops. */
  readonly set: (e: RttEntry, rec: Rec) => RttEntry | null;
  /** DATA_DESTROY: the RIPAS the now UNASSIGNED entry keeps, from the ASSIGNED entry's RIPAS. */
  readonly afterDataDestroy: (r: Ripas) => Ripas;
  /** RTT_DESTROY of a table inside the PAR: the RIPAS of the parent entry that replaces it. */
  readonly afterRttDestroy: () => Ripas;
}

/** A command that failed: its failure row (or `effect`), the state before, and what its effect built if any. */
export interface FailedCall {
  readonly name: RmiName;
  readonly cpu: number;
  readonly failed: string;
  readonly status: Status;
  readonly pre: RealState;
  /** The command's context (its type is the command's own). */
  readonly context: unknown;
  /** A late failure detected while applying the effect: the state the effect had built. */
  readonly attempted?: RealState;
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
  /** The RSI handlers, one per function (reference §7); an unknown RSI FID answers NOT_SUPPORTED. */
  readonly rsi: { readonly [K in RsiName]: CallHandler };
  /** PSCI calls from a realm (reference §7): answered, or a PSCI exit for the host. */
  readonly psci: CallHandler;
  /** RIPAS application by RTT_INIT_RIPAS, RTT_SET_RIPAS, DATA_DESTROY and RTT_DESTROY. */
  readonly ripas: RipasRules;
  /** RTT_FOLD: the parent entry a child table folds into, or the level of the ERROR_RTT (reference §5). */
  readonly fold: (t: Rtt, childLevel: number) => FoldResult;
  /** RTT_CREATE under a non-TABLE entry: the new table and its number of live entries (reference §5). */
  readonly unfold: (parent: RttEntry, childLevel: number) => { readonly rtt: Rtt; readonly live: number };
  /** A realm exit path: the RMM's handling of what trapped (an exit, or an answer and resume). */
  readonly trap: (spec: Spec, s: RealState, cpu: number, trap: Trap) => StepResult;
  /**
   * The exit to the host: registers saved into the REC (X0..X6 of a PSCI exit carry `psciResult`),
   * the REC READY, the exit record written, REC_ENTER completed.
   */
  readonly exit: (spec: Spec, s: RealState, cpu: number, info: ExitInfo, rec: Rec, what: string, psciResult?: readonly bigint[]) => StepResult;
  /** What a failing command leaves behind. The specification: nothing changes (the pre-state). */
  readonly failure: (f: FailedCall) => RealState;
}

export type Variant = (s: Spec) => Spec;
