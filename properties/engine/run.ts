// The checker's driver, written once for every system: fast-check generates abstract traces, each
// resolves step by step against the current real state and runs in lockstep with every property
// checked after every step (and the noninterference product at the end); a failure is shrunk by
// fast-check to a minimal trace of concrete steps.

import fc from 'fast-check';
import type { AnySystem, RuleSet } from '../../model/system';
import { Lockstep, StepReport } from './lockstep';
import { Coverage } from './coverage';
import { niCheck } from './noninterference';

export interface RunOptions {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly spec: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly config: any;
  readonly rules?: RuleSet;
  readonly runs: number;
  /** Abstract commands per trace (each resolves to zero, one or a few steps). */
  readonly steps: number;
  readonly seed: number;
  /** Also run the noninterference product (a second real run with other secrets). */
  readonly noninterference?: boolean;
  readonly invariants?: boolean;
  readonly onProgress?: (traces: number, steps: number) => void;
}

export interface Counterexample {
  readonly actions: unknown[];
  readonly reports: StepReport[];
  readonly failing: StepReport;
  readonly seed: number;
  /** fast-check's replay path of the shrunk counterexample. */
  readonly path: string;
  /** Steps of the first failing trace before shrinking, and the shrinks fast-check made. */
  readonly unshrunkSteps: number;
  readonly shrinks: number;
}

export interface RunResult {
  readonly traces: number;
  readonly steps: number;
  readonly seconds: number;
  readonly coverage: Coverage;
  readonly counterexample: Counterexample | null;
}

export interface Executed {
  readonly actions: unknown[];
  readonly reports: StepReport[];
  readonly failing: StepReport | null;
  readonly coverage: Coverage;
}

/** Runs one abstract trace: resolves each command against the current state, checks every step. */
export function execute(system: AnySystem, opts: Pick<RunOptions, 'spec' | 'config' | 'rules' | 'invariants' | 'noninterference'>, cmds: readonly unknown[]): Executed {
  const l = new Lockstep(system, opts);
  const actions: unknown[] = [];
  const reports: StepReport[] = [];
  if (l.initial.length) {
    const failing: StepReport = { index: -1, action: null, real: null, ideal: null, fired: [], withheld: [], violations: l.initial };
    return { actions, reports: [failing], failing, coverage: l.coverage };
  }
  for (const c of cmds) {
    let as: readonly unknown[];
    try {
      as = system.actions.resolve(l.real, c, opts.config);
    } catch {
      // A generator bug must not hide the model's behaviour: the command resolves to nothing.
      as = [];
    }
    for (const a of as) {
      actions.push(a);
      const r = l.step(a);
      reports.push(r);
      if (r.violations.length) return { actions, reports, failing: r, coverage: l.coverage };
    }
  }
  if (opts.noninterference) {
    const ni = niCheck(system, opts, actions);
    if (ni) {
      const failing: StepReport = { ...reports[ni.index], violations: [ni.violation] };
      return { actions: actions.slice(0, ni.index + 1), reports: [...reports.slice(0, ni.index), failing], failing, coverage: l.coverage };
    }
  }
  return { actions, reports, failing: null, coverage: l.coverage };
}

/** `runs` random traces; the first failure is shrunk and re-run to give its reports. */
export function runChecks(system: AnySystem, opts: RunOptions): RunResult {
  const coverage = new Coverage(system);
  let traces = 0;
  let steps = 0;
  const t0 = performance.now();
  let shrinking = false;
  let unshrunkSteps = 0;
  const prop = fc.property(system.actions.generate(opts.config, opts.steps), (cmds) => {
    const r = execute(system, opts, cmds);
    if (!shrinking) {
      traces++;
      steps += r.actions.length;
      coverage.merge(r.coverage);
      opts.onProgress?.(traces, steps);
    }
    if (r.failing && !shrinking) {
      shrinking = true;
      unshrunkSteps = r.actions.length;
    }
    return r.failing === null;
  });
  const out = fc.check(prop, { numRuns: opts.runs, seed: opts.seed, endOnFailure: false, markInterruptAsFailure: false });
  const seconds = (performance.now() - t0) / 1000;
  if (!out.failed || !out.counterexample) return { traces, steps, seconds, coverage, counterexample: null };
  const [cmds] = out.counterexample;
  const r = execute(system, opts, cmds);
  if (!r.failing) return { traces, steps, seconds, coverage, counterexample: null };
  return { traces, steps, seconds, coverage, counterexample: { actions: r.actions, reports: r.reports, failing: r.failing, seed: opts.seed, path: out.counterexamplePath ?? '', unshrunkSteps, shrinks: out.numShrinks } };
}
