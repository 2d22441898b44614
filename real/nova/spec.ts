// The specification object the real machine is built from. A variant is a function Spec -> Spec
// (drop or reorder a failure row, change a permission policy, skip a bound): no `if (bug)` flags.

import type { Call } from './call';
import type { Cap, Ec, State, Type } from './types';

export interface Spec {
  readonly name: string;
  /** B.5: classic delegation/revocation with a mapping database (its own failure rows and effects). */
  readonly classic: boolean;
  /** Hypercalls by number (0..0xe; 0xf is BAD_HYP, or revoke in the classic specification). */
  readonly calls: readonly (Call | null)[];
  /** Capability lookup in the caller's object space (Space_obj::lookup). */
  readonly lookup: (s: State, ec: Ec, sel: bigint) => Cap | null;
  /** valid(cap, type[, subtype], p): object present, type (and subtype) match, (perm & p) = p. */
  readonly valid: (s: State, cap: Cap | null, type: Type, sub: string | null, p: number) => boolean;
  /** ctrl_pd: the permissions the destination gets from a source entry (perm & pmm). */
  readonly mask: (perm: number, pmm: number) => number;
  /** create_pd op 0: the new PD capability's permissions (those of the `pd` capability). */
  readonly newPdPerm: (pdCapPerm: number) => number;
  /** ctrl_pd range bound: base + 2^ord ≤ selectors. */
  readonly inRange: (base: number, ord: number, selectors: number) => boolean;
  /** What a slot holds after ctrl_pd writes `next` over `old` (null = null capability). */
  readonly overwrite: (s: State, old: Cap | undefined, next: Cap | null) => Cap | null;
  /** References dropped on the object of an overwritten capability. */
  readonly dropOnOverwrite: number;
  /** PT permission an event needs (Ec::send_msg: EVENT), and whether the PT's EC must be on the same CPU. */
  readonly eventPerm: number;
  readonly eventSameCpu: boolean;
  /** ctrl_sm up: the OVRFLOW check (absent in classic NOVA). */
  readonly smOverflow: boolean;
  /** Kernel memory quotas (MEM_OBJ / MEM_CAP); absent in classic NOVA. */
  readonly quotas: boolean;
  /** B.5 revoke: the mapping-database nodes (`space:sel`) whose permissions a revoke of `key` clears. */
  readonly revokeNode?: (mdb: NonNullable<State['mdb']>, key: string, self: boolean) => string[];
}
