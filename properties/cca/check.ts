// Runs a trace through the real and the ideal machine in lockstep and checks, after every step,
// observation equality, the simulation relation (Rel1-3), the invariants and robust safety.

import { Action, Observation } from '../../real/cca/actions';
import { Config } from '../../real/cca/config';
import { Spec } from '../../real/cca/spec';
import { RealState, initialState } from '../../real/cca/state';
import { step } from '../../real/cca/step';
import { IdealState, idealStep, initialIdeal } from '../../ideal/cca/machine';
import { ALL_RULES, RuleName, RuleSet } from '../../ideal/cca/rules';
import { InvariantChecker } from './invariants';
import { Coverage } from './coverage';
import { checkPrecedence } from './precedence';
import { checkTransitions } from './transitions';
import { RelationChecker, Violation, compareObservations } from './relation';

export interface Setup {
  readonly spec: Spec;
  readonly config: Config;
  readonly rules?: RuleSet;
  /** Check the §8 invariants after every step (default true). */
  readonly invariants?: boolean;
}

export interface StepReport {
  readonly index: number;
  readonly action: Action;
  readonly real: Observation;
  readonly ideal: Observation | null;
  readonly fired: readonly RuleName[];
  readonly withheld: readonly RuleName[];
  readonly violations: readonly Violation[];
}

const thrown = (where: string, e: unknown): Violation => ({
  property: 'RobustSafety',
  component: where,
  detail: `threw ${e instanceof Error ? `${e.name}: ${e.message} ${e.stack?.split('\n')[1]?.trim() ?? ''}` : String(e)}`,
});

/** Lockstep real/ideal execution with incremental checking; feed it one action at a time. */
export class Lockstep {
  real: RealState;
  ideal: IdealState;
  readonly coverage = new Coverage();
  private readonly rel = new RelationChecker();
  private readonly inv = new InvariantChecker();
  private readonly rules: RuleSet;
  private n = 0;

  constructor(readonly setup: Setup) {
    // Both machines start from the same state object, so the relation holds trivially and every
    // later check only looks at what changed since.
    this.real = initialState(setup.config);
    this.ideal = initialIdeal(this.real);
    this.rules = setup.rules ?? ALL_RULES;
    this.rel.start(this.real, this.ideal);
    this.inv.check(this.real);
  }

  step(a: Action): StepReport {
    const index = this.n++;
    const pre = this.real;
    const preIdeal = this.ideal;
    let real: Observation;
    try {
      const r = step(this.setup.spec, this.real, a);
      this.real = r.state;
      real = r.obs;
    } catch (e) {
      return { index, action: a, real: { kind: 'skip', cpu: -1, reason: 'threw' }, ideal: null, fired: [], withheld: [], violations: [thrown('real step', e)] };
    }
    let ir;
    try {
      ir = idealStep(this.setup.spec, this.rules, this.ideal, a);
      this.ideal = ir.state;
    } catch (e) {
      return { index, action: a, real, ideal: null, fired: [], withheld: [], violations: [thrown('ideal step', e)] };
    }
    this.coverage.record(pre, a, real, ir.fired);
    const violations: Violation[] = [];
    const o = compareObservations(real, ir.obs);
    if (o) violations.push(o);
    const p = checkPrecedence(pre, a, real);
    if (p) violations.push(p);
    violations.push(...checkTransitions(pre, this.real, a));
    // Neither machine changed (a failed call, a read, a skipped step): the relation and the
    // invariants still hold as they did after the previous step.
    if (this.real === pre && this.ideal === preIdeal) return { index, action: a, real, ideal: ir.obs, fired: ir.fired, withheld: ir.withheld, violations };
    if (real.kind === 'micro' && real.permutation) violations.push({ property: 'Permutation', component: `cpu ${real.cpu} REALM_DESTROY`, detail: real.permutation });
    try {
      violations.push(...this.rel.check(this.real, this.ideal));
      if (this.setup.invariants !== false)
        for (const v of this.inv.check(this.real)) violations.push({ property: 'Invariant', component: `${v.invariant} ${v.component}`, detail: v.message });
    } catch (e) {
      violations.push(thrown('property check', e));
    }
    return { index, action: a, real, ideal: ir.obs, fired: ir.fired, withheld: ir.withheld, violations };
  }
}

/** The first violation of a whole trace, with every step's report up to it. */
export function runTrace(setup: Setup, actions: readonly Action[]): { steps: StepReport[]; first: StepReport | null; coverage: Coverage } {
  const l = new Lockstep(setup);
  const steps: StepReport[] = [];
  for (const a of actions) {
    const r = l.step(a);
    steps.push(r);
    if (r.violations.length) return { steps, first: r, coverage: l.coverage };
  }
  return { steps, first: null, coverage: l.coverage };
}
