// How a hypercall is written: a context from the state and the caller's registers, an ordered table
// of failure rows `[name, predicate, status]` in the reference's evaluation order (B.4, as coded in
// src/syscall.cpp), then the effect. The first row that holds decides and nothing changes.

import type { Cap, Ec, State, Type, Wake } from './types';
import { SUCCESS } from './types';
import { capOf } from './state';

/**
 * The calling context: caller EC, its CPU, X0..X4, and the decoded X0 fields. A call's own context
 * (`context`) lists these fields one by one beside its own rather than spreading `c`: the spread
 * ({ ...c, srcCap }) was the slowest line of a nova step (a check end to end ran 15-40% faster
 * without it in ctrl_pd alone). TypeScript rejects a context that leaves one out.
 */
export interface Ctx {
  readonly s: State;
  readonly ec: Ec;
  readonly cpu: number;
  readonly x: readonly bigint[];
  /** X0 >> 8 (a selector or descriptor), X0[7:4] flags. */
  readonly sel: bigint;
  readonly flags: number;
  readonly spec: Spec;
  /** Look up a selector in the caller's object space. */
  cap(sel: bigint): Cap | null;
}

export interface Row<C> {
  readonly name: string;
  readonly fails: (c: C) => boolean;
  readonly status: number;
}
export const row = <C>(name: string, fails: (c: C) => boolean, status: number): Row<C> => ({ name, fails, status });

export interface Effect {
  readonly s: State;
  /** Absent: SUCCESS. `null`: the call does not return to the caller in this step. */
  readonly status?: number | null;
  /** X1.. outputs. */
  readonly out?: readonly bigint[];
  readonly wakes?: readonly Wake[];
  readonly note?: string;
}

export interface Call<C = any> {
  readonly name: string;
  readonly context: (c: Ctx) => C;
  readonly failures: readonly Row<C>[];
  readonly effect: (c: C, spec: Spec) => Effect;
}

export interface CallOutcome extends Effect { readonly failed?: string }

export function makeCtx(s: State, ec: Ec, cpu: number, x: readonly bigint[], spec: Spec): Ctx {
  const x0 = x[0] ?? 0n;
  return {
    s, ec, cpu, x, spec, sel: x0 >> 8n, flags: Number((x0 >> 4n) & 0xfn),
    cap: (sel: bigint) => spec.lookup(s, ec, sel),
  };
}

export function runCall(call: Call, ctx: Ctx): CallOutcome {
  const c = call.context(ctx);
  for (const f of call.failures) if (f.fails(c)) return { s: ctx.s, status: f.status, failed: f.name };
  const e = call.effect(c, ctx.spec);
  if (e.status !== undefined && e.status !== null && e.status !== SUCCESS && e.s === ctx.s) return { ...e, failed: 'effect' };
  return e;
}

/** The i-th register (X0 = 0); absent registers read as 0. */
export const reg = (x: readonly bigint[], i: number): bigint => BigInt.asUintN(64, x[i] ?? 0n);
export { capOf };

// ---- The specification object (re-exported by spec.ts) -------------------------------------------
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
