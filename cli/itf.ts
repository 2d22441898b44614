// ITF (the Informal Trace Format of Apalache and Quint): `{ "#meta", "vars", "states" }`, every state
// a record of the same variables, integers as JSON numbers when safe and `{"#bigint": "..."}` beyond,
// 64-bit values (our hex strings) as #bigint, lists as arrays, records as objects. ITF has no null:
// an absent value is the empty record. State k is the machines after k steps (state 0: initial).

import type { AnySystem } from '../model/system';
import type { StepReport } from '../properties/engine';

const HEX = /^0x[0-9a-f]+$/i;

/** A JSON value in ITF's encoding. */
export function toItf(v: unknown): unknown {
  if (v === null || v === undefined) return {};
  if (typeof v === 'bigint') return { '#bigint': v.toString() };
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : { '#bigint': BigInt(Math.trunc(v)).toString() };
  if (typeof v === 'string') return HEX.test(v) ? { '#bigint': BigInt(v).toString() } : v;
  if (typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(toItf);
  if (v instanceof Map) return { '#map': [...v].map(([k, x]) => [toItf(k), toItf(x)]) };
  if (v instanceof Set) return { '#set': [...v].map(toItf) };
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).map(([k, x]) => [k, toItf(x)]));
}

export function itfTrace(sys: AnySystem, actions: readonly unknown[], reports: readonly StepReport[]): Record<string, unknown> {
  const vars = ['step', 'action', 'real', 'ideal', 'fired', 'violations'];
  const states: Record<string, unknown>[] = [{ '#meta': { index: 0 }, step: 0, action: { kind: 'init' }, real: {}, ideal: {}, fired: [], violations: [] }];
  for (const r of reports) {
    if (r.index < 0) continue;
    states.push({
      '#meta': { index: r.index + 1 },
      step: r.index + 1,
      action: toItf(sys.actions.encode(r.action)),
      real: r.real === null ? {} : toItf(sys.observe.json(r.real)),
      ideal: r.ideal === null ? {} : toItf(sys.observe.json(r.ideal)),
      fired: [...r.fired],
      violations: r.violations.map((v) => ({ property: v.property, component: v.component, detail: v.detail })),
    });
  }
  return {
    '#meta': { format: 'ITF', 'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html', source: `real-ideal ${sys.name}`, description: `${actions.length} steps of system ${sys.name}` },
    vars,
    states,
  };
}
