// How an RMI command is written: a context built from the state and the arguments, an ordered table
// of failure conditions `[name, predicate, error]` in the specification's order (the first that
// holds decides the result and nothing changes), then the success effect.

import { RmiName } from '../model/rmi';
import { Status, SUCCESS } from '../model/status';
import type { RealState } from './state';
import type { Spec } from './spec';

export interface Failure<C> {
  readonly name: string;
  /** Holds when the command must fail. May assume every earlier row did not hold. */
  readonly fails: (c: C) => boolean;
  readonly error: Status | ((c: C) => Status);
}

export const row = <C>(name: string, fails: (c: C) => boolean, error: Status | ((c: C) => Status)): Failure<C> => ({ name, fails, error });

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

export function runCommand(cmd: RmiCommand, spec: Spec, s: RealState, x: readonly bigint[], cpu: number): RmiOutcome {
  const c = cmd.context(s, x, cpu, spec);
  for (const f of cmd.failures) {
    if (f.fails(c)) {
      const status = typeof f.error === 'function' ? f.error(c) : f.error;
      return { state: s, status, x: cmd.failOutputs?.(c, f.name) ?? [], failed: f.name };
    }
  }
  const e = cmd.effect(c, spec);
  if (e.status && e.status.status !== 'SUCCESS') return { state: s, status: e.status, x: e.x ?? [], failed: 'effect' };
  return { state: e.state, status: e.status ?? SUCCESS, x: e.x ?? [], pending: e.pending };
}

/** The i-th argument register (X1 = index 0); absent arguments read as 0. */
export const arg = (x: readonly bigint[], i: number): bigint => x[i] ?? 0n;
