// Trace steps (DESIGN.md "Trace file") in decoded form, and what each step lets an observer see.

import { RmiName } from './rmi';
import { Status } from './status';

/** A write of 64-bit values at byte offsets from a base address (params structures, word lists). */
export interface FieldWrite {
  readonly off: number;
  readonly value: bigint;
}

export type Action =
  /** An SMC from the host on `cpu`: X0 = fid, X1.. = args. */
  | { readonly kind: 'rmi'; readonly cpu: number; readonly fid: bigint; readonly args: readonly bigint[] }
  | { readonly kind: 'host-read'; readonly cpu: number; readonly addr: bigint; readonly count: number }
  | { readonly kind: 'host-write'; readonly cpu: number; readonly addr: bigint; readonly writes: readonly FieldWrite[] }
  | { readonly kind: 'dma-read'; readonly addr: bigint; readonly count: number }
  | { readonly kind: 'dma-write'; readonly addr: bigint; readonly writes: readonly FieldWrite[] }
  | { readonly kind: 'realm'; readonly cpu: number; readonly instr: Instr }
  | { readonly kind: 'micro'; readonly cpu: number; readonly op: number };

/** A realm guest instruction (executed by the REC running on the CPU). */
export type Instr =
  | { readonly op: 'load'; readonly ipa: bigint; readonly reg: number; readonly size?: number; readonly signed?: boolean }
  | { readonly op: 'store'; readonly ipa: bigint; readonly reg: number; readonly size?: number }
  | { readonly op: 'fetch'; readonly ipa: bigint }
  /** `secret`: a value the realm keeps private (the noninterference product varies it). */
  | { readonly op: 'mov'; readonly reg: number; readonly value: bigint; readonly secret?: boolean }
  | { readonly op: 'movr'; readonly reg: number; readonly src: number }
  | { readonly op: 'add'; readonly reg: number; readonly src: number; readonly value: bigint }
  | { readonly op: 'mrs'; readonly reg: number; readonly sysreg: string }
  | { readonly op: 'msr'; readonly reg: number; readonly sysreg: string }
  | { readonly op: 'wfi' }
  | { readonly op: 'wfe' }
  | { readonly op: 'irq' }
  | { readonly op: 'fiq' }
  | { readonly op: 'serror' }
  | { readonly op: 'smc' }
  | { readonly op: 'hvc' };

export type HostFault = 'GPF' | 'EXTERNAL_ABORT' | 'ALIGNMENT';

export type Observation =
  | {
      readonly kind: 'rmi';
      readonly cpu: number;
      readonly name: RmiName | null;
      readonly fid: bigint;
      /** null when the FID is not an RMI command (X0 = SMCCC NOT_SUPPORTED). */
      readonly status: Status | null;
      readonly x0: bigint;
      readonly x: readonly bigint[];
      /** REC_ENTER passed its checks; the result comes with the REC's exit. */
      readonly pending?: boolean;
      readonly failed?: string;
    }
  | { readonly kind: 'host-read' | 'dma-read'; readonly cpu: number; readonly addr: bigint; readonly values?: readonly bigint[]; readonly fault?: HostFault }
  | { readonly kind: 'host-write' | 'dma-write'; readonly cpu: number; readonly addr: bigint; readonly fault?: HostFault }
  /** A realm step; `exit` is the completion of the REC_ENTER call when the REC exited, `record` the exit record written. */
  | { readonly kind: 'realm'; readonly cpu: number; readonly event: RealmEvent; readonly exit?: Observation; readonly record?: Readonly<Record<string, bigint | readonly bigint[]>> }
  /** A micro-op of a multi-step RMM handler; `exit` is the RMI call's completion when the handler is done. */
  | { readonly kind: 'micro'; readonly cpu: number; readonly done: boolean; readonly op?: string; readonly exit?: Observation; readonly permutation?: string }
  /** The step does not apply in this state (e.g. an RMI call on a CPU that is running a realm). */
  | { readonly kind: 'skip'; readonly cpu: number; readonly reason: string };

/** What a realm step did, as the realm itself sees it. */
export interface RealmEvent {
  readonly what: string;
  readonly value?: bigint;
  readonly sea?: boolean;
  readonly undef?: boolean;
}
