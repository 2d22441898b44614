// Ordered failure tables: `[name, check]` rows in Hafnium's order (reference §4); the first row whose
// check gives an error code decides the call's status. A row may give a code that depends on the
// input (per-EMAD loops that report INVALID_PARAMETERS or DENIED for the first bad EMAD).
import { Cfg } from './config';
import { AbiName, ErrorName } from './consts';
import { Endpoint, Real, Txn } from './state';
import type { RawConstituent } from './descriptor';

export type Check<C> = readonly [name: string, code: (c: C) => ErrorName | null];
export const row = <C>(name: string, fails: (c: C) => boolean, code: ErrorName): Check<C> => [name, (c) => (fails(c) ? code : null)];

export function firstFailure<C>(rows: readonly Check<C>[], c: C): { readonly row: string; readonly code: ErrorName } | null {
  for (const [name, f] of rows) {
    const code = f(c);
    if (code) return { row: name, code };
  }
  return null;
}

/** An SMC/HVC as the SPMC sees it: the caller, its registers x0–x17, the state. */
export interface Call {
  readonly s: Real;
  readonly cfg: Cfg;
  /** Caller's index in `s.eps`. */
  readonly i: number;
  readonly e: Endpoint;
  /** The physical CPU of the call and the caller's vCPU running there. */
  readonly cpu: number;
  readonly v: number;
  readonly x: readonly bigint[];
  readonly is64: boolean;
}
export const w = (c: Call, k: number): number => Number(c.x[k] & 0xffffffffn);
/** Register k as the call width reads it (w for SMC32, x for SMC64). */
export const xr = (c: Call, k: number): bigint => (c.is64 ? c.x[k] : c.x[k] & 0xffffffffn);

export interface Outcome {
  readonly state: Real;
  /** SUCCESS, an FF-A error name, or the FF-A function the call returned with (MEM_FRAG_RX, ...). */
  readonly status: string;
  /** Result registers x0–x7 written to the caller, or null when the caller is now blocked/waiting. */
  readonly ret: readonly bigint[] | null;
  /** Pages the SPMC zeroed in this call (clear flags). */
  readonly cleared: readonly number[];
  /** The failure row that decided an error. */
  readonly row?: string;
  /** An error that still changed state (FRAG_TX frees the transaction, reference §2). */
  readonly sideEffect?: boolean;
}

export interface Abi<C> {
  readonly name: AbiName;
  readonly context: (call: Call) => C;
  readonly failures: readonly Check<C>[];
  /** Runs after no failure row fired; may itself fail (later checks, e.g. send completion). */
  readonly effect: (c: C, spec: Spec) => Outcome;
}

const FFA_ERROR = 0x84000060n;
export const errorRegs = (code: number): bigint[] => [FFA_ERROR, 0n, BigInt(code >>> 0), 0n, 0n, 0n, 0n, 0n];
export const regs8 = (...v: (bigint | number)[]): bigint[] => {
  const out = new Array<bigint>(8).fill(0n);
  v.forEach((x, k) => { out[k] = typeof x === 'bigint' ? x : BigInt(x >>> 0); });
  return out;
};
export const success = (s: Real, ...v: (bigint | number)[]): Outcome => ({ state: s, status: 'SUCCESS', ret: regs8(0x84000061, ...v), cleared: [] });

// ---- The specification object's shape (its faithful value is in spec.ts) ----

export interface CompleteCtx {
  readonly s: Real;
  readonly txn: Txn;
  readonly senderIdx: number;
  readonly consts: readonly RawConstituent[];
  readonly declaredPages: number;
  /** The constituents' pages when all lie in memory, else null. */
  readonly pages: readonly number[] | null;
  /** Sender's modes on those pages (empty when `pages` is null). */
  readonly modes: readonly number[];
  readonly mode: number;
}

export interface Spec {
  readonly name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly abis: { readonly [K in AbiName]: Abi<any> };
  /** Send completion checks (reference §4.1.17–23), run at the last fragment. */
  readonly completeFailures: readonly Check<CompleteCtx>[];
  readonly complete: (s: Real, slot: number, memPages: number, words: number, spec: Spec) => Outcome;
  /** Pages zeroed by a send with the clear flag (all of them) and by a reclaim with bit 0. */
  readonly sendClear: (pages: readonly number[]) => readonly number[];
  readonly reclaimClear: (pages: readonly number[]) => readonly number[];
  readonly zero: (s: Real, pages: readonly number[], words: number) => Real;
  /** How the SPMC writes RX: the message, then zero to the end of the buffer (§6 rule 5). */
  readonly rxWrite: (s: Real, page: number, bytes: Uint8Array, words: number) => Real;
  /** Whether a fully retrieved DONATE frees its transaction (the handle dies). */
  readonly freeDonated: boolean;
}
