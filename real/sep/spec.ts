// The specification object the real machine is built from (types only; the faithful value is in
// faithful.ts). Variants (variants/sep/) are functions from this object to a changed one: drop or change
// a failure row, a filter, the golden-image builder, the boot rules, the abort injection.

import type { BootRule } from './boot';
import type { Cfg } from './config';
import type { Layout } from './layout';
import type { Core, Golden, RealState } from './state';

/** One row of an ordered failure table: the first whose predicate holds decides the outcome. */
export interface Row<C> {
  readonly name: string;
  readonly holds: (c: C) => boolean;
}
export const row = <C>(name: string, holds: (c: C) => boolean): Row<C> => ({ name, holds });
export function firstRow<C>(rows: readonly Row<C>[], c: C): string | null {
  for (const r of rows) if (r.holds(c)) return r.name;
  return null;
}

/** A.4.1 IGC_NOTIFY: the calling core, its guest, the decoded channel (or -1 = ⊥). */
export interface NotifyCtx {
  readonly s: RealState;
  readonly c: number;
  readonly g: number;
  readonly imm: number;
  readonly ch: number;
}

/** A.4.3 PSCI: function id (x0), target guest-local index (x1), entry (x2), context id (x3). */
export interface PsciCtx {
  readonly s: RealState;
  readonly c: number;
  readonly g: number;
  readonly fid: bigint;
  readonly k: bigint;
  readonly entry: bigint;
  readonly ctxId: bigint;
  /** The physical core named by k (spec.psci.target), or -1. */
  readonly target: number;
}

/** A.4.4: one trapped, 32-bit, syndrome-valid access to the GICD page. */
export interface GicdCtx {
  readonly s: RealState;
  readonly c: number;
  readonly g: number;
  /** Byte offset in the GICD page (4-aligned). */
  readonly off: number;
  /** The register's index n (e.g. ISENABLER<n>) and the value written (low 32 bits of Xt). */
  readonly n: number;
  readonly value: bigint;
}

export type GicdName =
  | 'CTLR' | 'TYPER' | 'IIDR' | 'IGROUPR' | 'ISENABLER' | 'ICENABLER' | 'ISPENDR' | 'ICPENDR'
  | 'ISACTIVER' | 'ICACTIVER' | 'IPRIORITYR' | 'ITARGETSR' | 'ICFGR' | 'NSACR' | 'SGIR' | 'RESERVED';

/** What an emulated register does: a read value, or a new state; 'abort' = inject a data abort. */
export interface GicdReg {
  readonly read: (x: GicdCtx) => bigint | 'abort';
  readonly write: (x: GicdCtx) => RealState | 'abort';
}

/** A stage-2 fault the hypervisor reflects into the guest (A.4.5). */
export interface Fault {
  readonly instr: boolean;
  readonly write: boolean;
  /** The cause, for coverage only (the guest's syndrome is fixed). */
  readonly cause: 'translation' | 'permission' | 'gicd';
}

export interface Spec {
  /** A.1, in order. */
  readonly boot: readonly BootRule[];
  /** A.2: the golden stage-2 and SMMU images built at boot. */
  readonly golden: (c: Cfg, l: Layout) => Golden;
  readonly notify: {
    readonly rows: readonly Row<NotifyCtx>[];
    /** GRANT: mbox := 1 and SGI 15 to the receiver's least powered core. */
    readonly grant: (x: NotifyCtx) => RealState;
    /** Return to the guest at ELR_EL2 (the next instruction); `outcome` = the row or GRANT. */
    readonly resume: (core: Core, outcome: string, x: NotifyCtx) => Core;
  };
  readonly psci: {
    /** π⁻¹(g, k), or -1 when k names no core of g. */
    readonly target: (l: Layout, c: number, g: number, k: bigint) => number;
    readonly rows: readonly Row<PsciCtx>[];
  };
  readonly gicd: {
    readonly regs: Readonly<Record<GicdName, GicdReg>>;
    /** Leaving the emulation: stage 2 back on, return to the next instruction. */
    readonly exit: (core: Core) => Core;
  };
  /** A.4.5: the exception the guest sees for a reflected stage-2 fault. */
  readonly inject: (core: Core, f: Fault) => Core;
}
