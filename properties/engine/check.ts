// check() as data: the one call behind `real-ideal check` and the library API. It chooses the
// specification (faithful or a named variant) and the configuration, runs the checker, and returns
// the verdict, the counterexample, the coverage and the counts; it prints nothing.

import type { AnySystem, RuleSet } from '../../model/system';
import { runChecks, Counterexample } from './run';
import { GroupSummary, summarize } from './coverage';
import { encodeTrace } from './trace';

export interface CheckOptions {
  readonly runs?: number;
  /** Abstract commands per trace. */
  readonly steps?: number;
  readonly seed?: number;
  /** A named variant of the system (its configuration needs are applied too). */
  readonly variant?: string;
  /** A specification object to check instead (e.g. a user's variant applied to system.spec). */
  readonly spec?: unknown;
  /** Configuration overrides on the system's defaults (after the variant's). */
  readonly config?: Record<string, unknown>;
  /** Rules switched on in the ideal (default all). */
  readonly rules?: RuleSet;
  readonly noninterference?: boolean;
  readonly invariants?: boolean;
  readonly onProgress?: (traces: number, steps: number) => void;
}

export interface CheckResult {
  readonly system: string;
  readonly verdict: 'pass' | 'violation';
  readonly seed: number;
  readonly traces: number;
  readonly steps: number;
  readonly seconds: number;
  readonly coverage: readonly GroupSummary[];
  /** The raw coverage counts: group -> key -> count. */
  readonly coverageCounts: Record<string, Record<string, number>>;
  readonly counterexample: (Counterexample & { readonly trace: Record<string, unknown> }) | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly config: any;
}

export class CheckError extends Error {}

export function check(system: AnySystem, opts: CheckOptions = {}): CheckResult {
  const v = opts.variant === undefined ? undefined : system.variants.find((x) => x.name === opts.variant);
  if (opts.variant !== undefined && !v) throw new CheckError(`unknown variant "${opts.variant}" of system ${system.name} (known: ${system.variants.map((x) => x.name).join(', ')})`);
  const spec = opts.spec ?? (v ? v.apply(system.spec) : system.spec);
  const cfg = system.config.decode({ ...system.config.encode({ ...system.config.defaults, ...(v?.config ?? {}) }), ...(opts.config ?? {}) }, '$.config', system.config.defaults);
  if (!cfg.ok) throw new CheckError(cfg.error);
  const problems = system.config.problems(cfg.value);
  if (problems.length) throw new CheckError(problems[0]);
  const rules = opts.rules ?? new Set(system.rules);
  const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 31);
  const r = runChecks(system, {
    spec, config: cfg.value, rules, runs: opts.runs ?? 200, steps: opts.steps ?? 100, seed,
    noninterference: opts.noninterference ?? true, invariants: opts.invariants, onProgress: opts.onProgress,
  });
  const off = system.rules.filter((x) => !rules.has(x));
  const c = r.counterexample;
  return {
    system: system.name,
    verdict: c ? 'violation' : 'pass',
    seed, traces: r.traces, steps: r.steps, seconds: r.seconds,
    coverage: summarize(system, r.coverage, system.rules.filter((x) => rules.has(x))),
    coverageCounts: r.coverage.toJSON(),
    config: cfg.value,
    counterexample: c ? { ...c, trace: encodeTrace({ system, config: cfg.value, variant: opts.variant, rulesOff: off, steps: c.actions }) } : null,
  };
}
