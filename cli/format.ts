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
    // On the failing step, the ideal machine's result beside the real one when they differ.
    if (r.violations.length && r.ideal !== null && r.real !== null) {
      const ideal = sys.observe.describe(r.ideal);
      if (ideal !== sys.observe.describe(r.real)) out(`  ${' '.repeat(width)}  ideal ${ideal}`);
    }
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

/**
 * The earlier steps that name an address of the violated component (`granule 0x7000`, `realm 0x4000
 * ipa 0x1000`): where to look for the cause. Matches hex values in the steps as a trace file has them.
 */
export function touchedBy(sys: AnySystem, reports: readonly StepReport[], v: Violation): { index: number; what: string }[] {
  const addrs = [...new Set((v.component.match(/0x[0-9a-f]+/gi) ?? []).map((x) => x.toLowerCase()))].filter((x) => x !== '0x0');
  if (!addrs.length) return [];
  const failing = reports[reports.length - 1]?.index ?? 0;
  const out: { index: number; what: string }[] = [];
  for (const r of reports) {
    if (r.index < 0 || r.index >= failing) continue;
    const text = JSON.stringify(sys.actions.encode(r.action)).toLowerCase();
    if (addrs.some((a) => new RegExp(`"${a}"`).test(text))) out.push({ index: r.index, what: addrs.join(' / ') });
  }
  return out.slice(-5);
}
