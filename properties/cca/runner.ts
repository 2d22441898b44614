// The checker's driver: fast-check generates abstract traces, each runs in real/ideal lockstep with
// every property checked after every step; a failure is shrunk to a minimal trace of concrete steps.

import fc from 'fast-check';
import { Action } from '../../real/cca/actions';
import { Config } from '../../real/cca/config';
import { Spec } from '../../real/cca/spec';
import { RuleSet } from '../../ideal/cca/rules';
import { Lockstep, StepReport } from './check';
import { Coverage } from './coverage';
import { Cmd, resolve, traceArb } from './generators';
import { niCheck } from './noninterference';

export interface RunOptions {
  readonly spec: Spec;
  readonly config: Config;
  readonly rules?: RuleSet;
  readonly runs: number;
  /** Abstract commands per trace (each resolves to one or a few steps). */
  readonly steps: number;
  readonly seed: number;
  /** Also run the noninterference product (a second real run with other secrets). */
  readonly noninterference?: boolean;
  readonly invariants?: boolean;
  readonly onProgress?: (traces: number, steps: number) => void;
}

export interface Counterexample {
  readonly actions: Action[];
  readonly reports: StepReport[];
  readonly failing: StepReport;
  readonly seed: number;
  readonly path: string;
}

export interface RunResult {
  readonly traces: number;
  readonly steps: number;
  readonly seconds: number;
  readonly coverage: Coverage;
  readonly counterexample: Counterexample | null;
}

/** Runs one abstract trace; returns the concrete actions, their reports and the failing step if any. */
export function execute(opts: Pick<RunOptions, 'spec' | 'config' | 'rules' | 'invariants' | 'noninterference'>, cmds: readonly Cmd[]) {
  const l = new Lockstep({ spec: opts.spec, config: opts.config, rules: opts.rules, invariants: opts.invariants });
  const actions: Action[] = [];
  const reports: StepReport[] = [];
  for (const c of cmds) {
    let as: Action[];
    try {
      as = resolve(l.real, c);
    } catch (e) {
      as = [];
      void e;
    }
    for (const a of as) {
      actions.push(a);
      const r = l.step(a);
      reports.push(r);
      if (r.violations.length) return { actions, reports, failing: r, coverage: l.coverage };
    }
  }
  if (opts.noninterference) {
    const ni = niCheck(opts, actions);
    if (ni) {
      const upTo = actions.slice(0, ni.index + 1);
      const failing: StepReport = { ...reports[ni.index], violations: [ni.violation] };
      return { actions: upTo, reports: [...reports.slice(0, ni.index), failing], failing, coverage: l.coverage };
    }
  }
  return { actions, reports, failing: null, coverage: l.coverage };
}

export function runChecks(opts: RunOptions): RunResult {
  const coverage = new Coverage();
  let traces = 0;
  let steps = 0;
  const t0 = performance.now();
  let shrinking = false;
  const prop = fc.property(traceArb(opts.steps), (cmds) => {
    const r = execute(opts, cmds);
    if (!shrinking) {
      traces++;
      steps += r.actions.length;
      coverage.merge(r.coverage);
      opts.onProgress?.(traces, steps);
    }
    if (r.failing) shrinking = true;
    return r.failing === null;
  });
  const out = fc.check(prop, { numRuns: opts.runs, seed: opts.seed, endOnFailure: false, markInterruptAsFailure: false });
  const seconds = (performance.now() - t0) / 1000;
  if (!out.failed || !out.counterexample) return { traces, steps, seconds, coverage, counterexample: null };
  const [cmds] = out.counterexample;
  const r = execute(opts, cmds);
  if (!r.failing) return { traces, steps, seconds, coverage, counterexample: null };
  return { traces, steps, seconds, coverage, counterexample: { actions: r.actions, reports: r.reports, failing: r.failing, seed: opts.seed, path: out.counterexamplePath ?? '' } };
}
