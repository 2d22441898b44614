// The library API: `import { check, replay, systems } from 'real-ideal'`. Everything returns data;
// the CLI is one user of these functions and only prints what they return.

import type { AnySystem } from '../model/system';
import { SYSTEMS, systemNamed } from '../systems';
import { CheckError, CheckOptions, CheckResult, check as checkSystem, decodeTrace, niCheck, runTrace } from '../properties/engine';
import type { StepReport } from '../properties/engine';

export type { AnySystem, System, Violation, NamedVariant, Monitor, Secrets, Stepped } from '../model/system';
export type { CheckOptions, CheckResult, StepReport } from '../properties/engine';
export { CheckError } from '../properties/engine';

/** Every registered system: name, title, reference, variants, rules, and its machines. */
export const systems: readonly AnySystem[] = SYSTEMS;

const lookup = (s: string | AnySystem): AnySystem => {
  if (typeof s !== 'string') return s;
  const found = systemNamed(s);
  if (!found) throw new CheckError(`unknown system "${s}" (systems: ${SYSTEMS.map((x) => x.name).join(', ')})`);
  return found;
};

/** Random traces through a system's real and ideal machines; the verdict, counterexample and coverage. */
export function check(system: string | AnySystem = 'cca', opts: CheckOptions = {}): CheckResult {
  return checkSystem(lookup(system), opts);
}

export interface ReplayResult {
  readonly system: string;
  /** Every step's report, up to and including the first violation. */
  readonly reports: readonly StepReport[];
  /** The first violating step, or null. */
  readonly first: StepReport | null;
}

/** Replays a trace (the parsed JSON of a trace file, trace@1 or trace@2) through both machines. */
export function replay(trace: unknown, opts: { readonly noninterference?: boolean } = {}): ReplayResult {
  const t = decodeTrace(trace, systemNamed);
  if (!t.ok) throw new CheckError(t.error);
  const { system, config } = t.value;
  const v = t.value.variant === undefined ? undefined : system.variants.find((x) => x.name === t.value.variant);
  if (t.value.variant !== undefined && !v) throw new CheckError(`$.variant: unknown variant "${t.value.variant}" of system ${system.name}`);
  const spec = v ? v.apply(system.spec) : system.spec;
  const off = new Set(t.value.rulesOff ?? []);
  const rules = new Set(system.rules.filter((r) => !off.has(r)));
  const r = runTrace(system, { spec, config, rules }, t.value.steps);
  if (r.first || opts.noninterference === false) return { system: system.name, reports: r.steps, first: r.first };
  const ni = niCheck(system, { spec, config }, t.value.steps);
  if (!ni) return { system: system.name, reports: r.steps, first: null };
  const first = { ...r.steps[ni.index], violations: [ni.violation] };
  return { system: system.name, reports: [...r.steps.slice(0, ni.index), first], first };
}
