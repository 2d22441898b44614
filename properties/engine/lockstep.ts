// Lockstep: one action at a time through the real and the ideal machine, every property checked after
// every step (observation equality, the step oracles, the relation, the invariants). A thrown
// exception is a robust-safety defect, reported with the step that caused it, never propagated.

import type { AnySystem, RuleSet, Violation } from '../../model/system';
import { Coverage } from './coverage';

export interface Setup {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly spec: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly config: any;
  /** Rules switched on in the ideal (default: all of the system's rules). */
  readonly rules?: RuleSet;
  /** Check the invariants after every step (default true). */
  readonly invariants?: boolean;
  /** Run the independent step oracles (default true; the bench turns them off to price them). */
  readonly oracles?: boolean;
}

export interface StepReport<A = unknown, O = unknown> {
  readonly index: number;
  readonly action: A;
  /** The real machine's observation, or null when its step threw. */
  readonly real: O | null;
  readonly ideal: O | null;
  readonly fired: readonly string[];
  readonly withheld: readonly string[];
  readonly violations: readonly Violation[];
}

export const thrown = (where: string, e: unknown): Violation => ({
  property: 'RobustSafety',
  component: where,
  detail: `threw ${e instanceof Error ? `${e.name}: ${e.message} ${e.stack?.split('\n')[1]?.trim() ?? ''}` : String(e)}`,
});

const NONE: readonly string[] = [];

export class Lockstep {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  real: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ideal: any;
  readonly coverage: Coverage;
  readonly rules: RuleSet;
  /** Violations of the initial state (a configuration that breaks an invariant). */
  readonly initial: readonly Violation[];
  private readonly monitor: ReturnType<AnySystem['monitor']>;
  private n = 0;

  /** A lockstep from the initial states, or positioned at a given related pair (`from`). */
  constructor(readonly system: AnySystem, readonly setup: Setup, from?: { readonly real: unknown; readonly ideal: unknown }) {
    this.rules = setup.rules ?? new Set(system.rules);
    this.coverage = new Coverage(system);
    this.monitor = system.monitor(setup.config, setup.spec, { invariants: setup.invariants !== false, oracles: setup.oracles !== false });
    // Both machines start related (the ideal is built from the real initial state), so every later
    // check only looks at what changed since.
    this.real = from ? from.real : system.real.init(setup.config, setup.spec);
    this.ideal = from ? from.ideal : system.ideal.init(this.real, setup.config, setup.spec, this.rules);
    this.initial = this.monitor.start(this.real, this.ideal);
  }

  static at(system: AnySystem, setup: Setup, real: unknown, ideal: unknown): Lockstep {
    return new Lockstep(system, setup, { real, ideal });
  }

  step(a: unknown): StepReport {
    const sys = this.system;
    const index = this.n++;
    const pre = this.real;
    const preIdeal = this.ideal;
    let real;
    try {
      const r = sys.real.step(pre, a, this.setup.spec);
      this.real = r.state;
      real = r.obs;
    } catch (e) {
      return { index, action: a, real: null, ideal: null, fired: NONE, withheld: NONE, violations: [thrown('real step', e)] };
    }
    let ir;
    try {
      ir = sys.ideal.step(preIdeal, a, this.setup.spec, this.rules);
      this.ideal = ir.state;
    } catch (e) {
      return { index, action: a, real, ideal: null, fired: NONE, withheld: NONE, violations: [thrown('ideal step', e)] };
    }
    const fired = ir.fired ?? NONE;
    const withheld = ir.withheld ?? NONE;
    const violations: Violation[] = [];
    try {
      this.coverage.record(pre, a, real, fired);
      const o = sys.observe.compare(real, ir.obs);
      if (o) violations.push(o);
      violations.push(...this.monitor.step(pre, a, real, this.real));
      // Neither machine changed (a failed call, a read, a skipped step): the relation and the
      // invariants still hold as they did after the previous step.
      if (this.real !== pre || this.ideal !== preIdeal) {
        violations.push(...this.monitor.relation(this.real, this.ideal));
        violations.push(...this.monitor.invariants(this.real));
      }
    } catch (e) {
      violations.push(thrown('property check', e));
    }
    return { index, action: a, real, ideal: ir.obs, fired, withheld, violations };
  }
}

/** Runs concrete actions until the first violation; every step's report up to it, and the real
 *  states (the initial one, then one after each step: the first run of a noninterference product). */
export function runTrace(system: AnySystem, setup: Setup, actions: readonly unknown[]): { steps: StepReport[]; first: StepReport | null; coverage: Coverage; states: unknown[] } {
  const l = new Lockstep(system, setup);
  const steps: StepReport[] = [];
  const states: unknown[] = [l.real];
  // A configuration whose initial state already breaks a property (a boot-time check) fails at step -1.
  if (l.initial.length) {
    const first: StepReport = { index: -1, action: null, real: null, ideal: null, fired: NONE, withheld: NONE, violations: l.initial };
    return { steps: [first], first, coverage: l.coverage, states };
  }
  for (const a of actions) {
    const r = l.step(a);
    steps.push(r);
    states.push(l.real);
    if (r.violations.length) return { steps, first: r, coverage: l.coverage, states };
  }
  return { steps, first: null, coverage: l.coverage, states };
}
