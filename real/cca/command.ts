// How an RMI command is written: a context built from the state and the arguments, an ordered table
// of failure conditions `[name, predicate, error]` in the specification's order (the first that
// holds decides the result and nothing changes), then the success effect.

import { Status, SUCCESS } from './status';
import type { Failure, RmiCommand, RmiOutcome, Spec } from './spec';
import type { RealState } from './state';

export const row = <C>(name: string, fails: (c: C) => boolean, error: Status | ((c: C) => Status)): Failure<C> => ({ name, fails, error });

export function runCommand(cmd: RmiCommand, spec: Spec, s: RealState, x: readonly bigint[], cpu: number): RmiOutcome {
  const c = cmd.context(s, x, cpu, spec);
  for (const f of cmd.failures) {
    if (f.fails(c)) {
      const status = typeof f.error === 'function' ? f.error(c) : f.error;
      // The specification's failure path (Spec.failure): faithfully, nothing changes.
      const state = spec.failure({ name: cmd.name, cpu, failed: f.name, status, pre: s, context: c });
      return { state, status, x: cmd.failOutputs?.(c, f.name) ?? [], failed: f.name };
    }
  }
  const e = cmd.effect(c, spec);
  if (e.status && e.status.status !== 'SUCCESS') {
    const state = spec.failure({ name: cmd.name, cpu, failed: 'effect', status: e.status, pre: s, context: c, attempted: e.state });
    return { state, status: e.status, x: e.x ?? [], failed: 'effect' };
  }
  return { state: e.state, status: e.status ?? SUCCESS, x: e.x ?? [], pending: e.pending };
}

/** The i-th argument register (X1 = index 0); absent arguments read as 0. */
export const arg = (x: readonly bigint[], i: number): bigint => x[i] ?? 0n;
