// Human-readable rendering of steps, results and violations (shared by check and replay, for every
// system: the system describes its own actions and observations).

import type { AnySystem, Violation } from '../model/system';
import type { StepReport } from '../properties/engine';

export const describeViolation = (v: Violation): string => `${v.property} ${v.component}: ${v.detail}`;

const describeReal = (sys: AnySystem, r: StepReport): string => (r.real === null ? '-> threw' : sys.observe.describe(r.real));

export function printSteps(sys: AnySystem, reports: readonly StepReport[], out: (s: string) => void): void {
  const width = String(reports.length).length;
  for (const r of reports) {
    if (r.index < 0) {
      for (const v of r.violations) out(`  initial state  !! ${describeViolation(v)}`);
      continue;
    }
    out(`  ${String(r.index).padStart(width)}  ${sys.actions.describe(r.action)}  ${describeReal(sys, r)}`);
    for (const v of r.violations) out(`  ${' '.repeat(width)}  !! ${describeViolation(v)}`);
  }
}

/** One JSON object per step: the step as in a trace file, the system's result fields, a violation. */
export function stepJson(sys: AnySystem, r: StepReport): Record<string, unknown> {
  const base: Record<string, unknown> = { step: r.index, ...(r.index >= 0 ? sys.actions.encode(r.action) : {}) };
  if (r.real !== null) Object.assign(base, sys.observe.json(r.real));
  else if (r.index >= 0) base.threw = true;
  if (r.violations.length) base.violation = { property: r.violations[0].property, component: r.violations[0].component, detail: r.violations[0].detail };
  return base;
}
