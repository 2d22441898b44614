// Helpers for the oracle tests: test-local faults (Spec -> Spec) and the violations a trace gives.

import type { Violation } from '../../../model/system';
import type { RmiName } from '../../../real/cca/rmi';
import type { Effect, RmiCommand, Spec } from '../../../real/cca/spec';
import type { RealState } from '../../../real/cca/state';
import { Machine } from '../../../real/cca/machine';
import { runTrace } from '../engine';

/** Violations of the first failing step of the machine's log replayed in lockstep under `spec`. */
export function violations(m: Machine, spec: Spec = m.spec): (Violation & { step: number })[] {
  const r = runTrace({ spec, config: m.state.cfg }, m.log.map((l) => l.action));
  return r.first ? r.first.violations.map((v) => ({ ...v, step: r.first!.index })) : [];
}
export const ofProperty = (vs: readonly (Violation & { step: number })[], p: string) => vs.filter((v) => v.property === p);

/** A fault in one command: its table or effect changed. */
export function withCommand(spec: Spec, name: RmiName, f: (c: RmiCommand) => RmiCommand): Spec {
  return { ...spec, commands: { ...spec.commands, [name]: f(spec.commands[name] as RmiCommand) } };
}
/** A fault in one command's success effect: `f` rewrites the state it leaves. */
export function afterEffect(spec: Spec, name: RmiName, f: (before: RealState, after: RealState, args: readonly bigint[]) => RealState): Spec {
  return withCommand(spec, name, (c) => {
    let args: readonly bigint[] = [];
    return {
      ...c,
      context: (s, x, cpu, sp) => ((args = x), c.context(s, x, cpu, sp)),
      effect: (ctx, sp): Effect => {
        const e = c.effect(ctx, sp);
        return { ...e, state: f((ctx as { s: RealState }).s, e.state, args) };
      },
    };
  });
}
export const dropRow = (spec: Spec, name: RmiName, ...rows: string[]): Spec => withCommand(spec, name, (c) => ({ ...c, failures: c.failures.filter((r) => !rows.includes(r.name)) }));
