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
  /** Stop starting new traces after this long (what ran is reported; no violation is invented). */
  readonly timeLimitMs?: number;
  /** Replay one run of a previous check: fast-check's path printed with its seed. */
  readonly path?: string;
}

export interface AsyncRunOptions extends RunOptions {
  /** Polled between traces (Ctrl-C): the run stops and reports what it did. */
  readonly interrupted?: () => boolean;
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
  /** Abstract commands of the first failing trace and of the shrunk one (what fast-check shrinks). */
  readonly unshrunkCommands: number;
  readonly commands: number;
}

export interface RunResult {
  /** The run was cut short by the time limit or an interrupt. */
  readonly stopped?: 'time-limit' | 'interrupted';
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

class Interrupted extends Error {}

/** The property every run checks, and what it gathers (traces, steps, coverage) before shrinking starts. */
function makeBody(system: AnySystem, opts: RunOptions) {
  const st = { coverage: new Coverage(system), traces: 0, steps: 0, shrinking: false, unshrunkSteps: 0, unshrunkCommands: 0 };
  const body = (cmds: readonly unknown[]): boolean => {
    const r = execute(system, opts, cmds);
    if (!st.shrinking) {
      st.traces++;
      st.steps += r.actions.length;
      st.coverage.merge(r.coverage);
      opts.onProgress?.(st.traces, st.steps);
    }
    if (r.failing && !st.shrinking) {
      st.shrinking = true;
      st.unshrunkSteps = r.actions.length;
      st.unshrunkCommands = cmds.length;
    }
    return r.failing === null;
  };
  return { st, body };
}

function finish(system: AnySystem, opts: RunOptions, st: ReturnType<typeof makeBody>['st'], out: fc.RunDetails<[readonly unknown[]]>, t0: number, stopped?: RunResult['stopped']): RunResult {
  const seconds = (performance.now() - t0) / 1000;
  const base = { traces: st.traces, steps: st.steps, seconds, coverage: st.coverage, ...(stopped ? { stopped } : out.interrupted ? { stopped: 'time-limit' as const } : {}) };
  if (!out.failed || !out.counterexample) return { ...base, counterexample: null };
  const [cmds] = out.counterexample;
  const r = execute(system, opts, cmds);
  if (!r.failing) return { ...base, counterexample: null };
  return { ...base, counterexample: { actions: r.actions, reports: r.reports, failing: r.failing, seed: opts.seed, path: out.counterexamplePath ?? '', unshrunkSteps: st.unshrunkSteps, shrinks: out.numShrinks, unshrunkCommands: st.unshrunkCommands, commands: cmds.length } };
}

const fcOptions = (opts: RunOptions) => ({
  numRuns: opts.runs, seed: opts.seed, endOnFailure: false, markInterruptAsFailure: false,
  ...(opts.timeLimitMs !== undefined ? { interruptAfterTimeLimit: opts.timeLimitMs } : {}),
  ...(opts.path !== undefined ? { path: opts.path } : {}),
});

/** `runs` random traces; the first failure is shrunk and re-run to give its reports. */
export function runChecks(system: AnySystem, opts: RunOptions): RunResult {
  const t0 = performance.now();
  const { st, body } = makeBody(system, opts);
  const out = fc.check(fc.property(system.actions.generate(opts.config, opts.steps), body), fcOptions(opts));
  return finish(system, opts, st, out, t0);
}

/**
 * The same run, yielding to the event loop every few milliseconds so a Ctrl-C (polled through
 * `interrupted`) can stop it between traces: the result then says so and has no counterexample
 * unless one was found before.
 */
export async function runChecksAsync(system: AnySystem, opts: AsyncRunOptions): Promise<RunResult> {
  const t0 = performance.now();
  const { st, body } = makeBody(system, opts);
  let lastYield = performance.now();
  let stopped = false;
  const prop = fc.asyncProperty(system.actions.generate(opts.config, opts.steps), async (cmds) => {
    if (performance.now() - lastYield > 20) {
      await new Promise((r) => setImmediate(r));
      lastYield = performance.now();
    }
    if (!st.shrinking && opts.interrupted?.()) {
      stopped = true;
      throw new Interrupted('interrupted');
    }
    return body(cmds);
  });
  const out = await fc.check(prop, fcOptions(opts));
  if (stopped) return { ...finish(system, opts, st, { ...out, failed: false, counterexample: null } as typeof out, t0, 'interrupted') };
  return finish(system, opts, st, out as unknown as fc.RunDetails<[readonly unknown[]]>, t0);
}
