// The last pass of shrinking, on concrete steps. fast-check shrinks abstract commands, and a command
// resolves against the state it meets: drop the commands that built an unneeded realm and a later
// "destroy realm 0" now means another realm, so the abstract trace is stuck at a local minimum with
// dead steps in it. Concrete steps name their objects (addresses, indices) and keep their meaning when
// others are dropped, so delta debugging over them removes what the abstract pass could not.
// A candidate is kept only when it still fails with the same property (the fault being explained),
// and the pass is deterministic: a counterexample rebuilt from its replay path minimizes the same way.

import type { AnySystem } from '../../model/system';
import { runTrace, Setup, StepReport } from './lockstep';
import { FirstRun, niCheck } from './noninterference';

export interface Failing {
  readonly actions: unknown[];
  readonly reports: StepReport[];
  readonly failing: StepReport;
}

/** The noninterference product over a trace that passed in lockstep: the trace cut at its failure.
 *  `run1`: the lockstep's real states and observations (see FirstRun). */
export function niFailing(system: AnySystem, setup: Setup, actions: readonly unknown[], reports: readonly StepReport[], run1?: FirstRun): Failing | null {
  const ni = niCheck(system, setup, actions, run1);
  if (!ni) return null;
  const failing: StepReport = { ...reports[ni.index], violations: [ni.violation] };
  return { actions: actions.slice(0, ni.index + 1), reports: [...reports.slice(0, ni.index), failing], failing };
}

/** Concrete actions in lockstep (then the noninterference product when asked): the first failure, if any. */
export function replayFailing(system: AnySystem, setup: Setup & { readonly noninterference?: boolean }, actions: readonly unknown[]): Failing | null {
  const t = runTrace(system, setup, actions);
  if (t.first) return t.first.index < 0 ? null : { actions: actions.slice(0, t.first.index + 1), reports: t.steps, failing: t.first };
  return setup.noninterference ? niFailing(system, setup, actions, t.steps, { states: t.states, obs: t.steps.map((r) => r.real) }) : null;
}

/**
 * Drops chunks of steps (halving the chunk size, latest chunks first) while the trace still fails
 * with the same property, until a whole pass drops nothing. Returns the minimized failure and the
 * number of successful drops.
 */
export function minimizeSteps(system: AnySystem, setup: Setup & { readonly noninterference?: boolean }, found: Failing): Failing & { readonly drops: number } {
  const property = found.failing.violations[0]?.property;
  if (found.failing.index < 0 || property === undefined) return { ...found, drops: 0 };
  // The product is needed only when the fault is a noninterference one.
  const opts = { ...setup, noninterference: property === 'Noninterference' };
  let cur = found;
  let drops = 0;
  for (let progress = true; progress;) {
    progress = false;
    for (let size = Math.max(1, Math.floor(cur.actions.length / 2)); size >= 1; size = size === 1 ? 0 : Math.ceil(size / 2)) {
      for (let end = cur.actions.length; end - size >= 0 && cur.actions.length > 1; end -= size) {
        const candidate = cur.actions.slice(0, end - size).concat(cur.actions.slice(end));
        const r = replayFailing(system, opts, candidate);
        if (r && r.failing.violations.some((v) => v.property === property)) {
          cur = r;
          drops++;
          progress = true;
          end = Math.min(end, cur.actions.length + size);
        }
      }
    }
  }
  return { ...cur, drops };
}
