// The engine bound to the CCA system, typed with CCA's states and actions: what the CCA tests call.

import * as engine from '../../properties/engine';
import { ccaSystem } from '../../properties/cca/system';
import type { Action, Observation } from '../../real/cca/actions';
import type { Config } from '../../real/cca/config';
import type { Spec } from '../../real/cca/spec';
import type { RuleSet } from '../../model/system';
import type { RealState } from '../../real/cca/state';
import type { IdealState } from '../../ideal/cca/machine';

export interface Setup { spec: Spec; config: Config; rules?: RuleSet; invariants?: boolean }
export type StepReport = engine.StepReport<Action, Observation>;

export const runTrace = (setup: Setup, actions: readonly Action[]) =>
  engine.runTrace(ccaSystem, setup, actions) as { steps: StepReport[]; first: StepReport | null; coverage: engine.Coverage };

export const runChecks = (opts: Omit<engine.RunOptions, 'spec' | 'config'> & Setup) => {
  const r = engine.runChecks(ccaSystem, opts);
  return { ...r, counterexample: r.counterexample as (engine.Counterexample & { actions: Action[]; reports: StepReport[]; failing: StepReport }) | null };
};

export const niCheck = (setup: Setup, actions: readonly Action[]) => engine.niCheck(ccaSystem, setup, actions);

/** Coverage summary by group name (pairs, exits, access, rows, rules). */
export function summarize(c: engine.Coverage, rulesOn: readonly string[]): Record<string, engine.GroupSummary> {
  return Object.fromEntries(engine.summarize(ccaSystem, c, rulesOn).map((g) => [g.name, g]));
}

/** How often a coverage key was hit. */
export const hits = (c: engine.Coverage, group: string, key: string): number => c.groups.get(group)?.get(key) ?? 0;

export class Lockstep extends engine.Lockstep {
  declare real: RealState;
  declare ideal: IdealState;
  constructor(setup: Setup) {
    super(ccaSystem, setup);
  }
  override step(a: Action): StepReport {
    return super.step(a) as StepReport;
  }
}
