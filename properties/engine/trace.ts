// The trace file envelope, for every system: `real-ideal/trace@2` names its system; `trace@1` files
// (written before there were several systems) are CCA traces and keep replaying unchanged. The step
// shapes belong to the system's codec. Unknown keys are errors: a typo must not silently change a run.

import type { AnySystem, Result } from '../../model/system';
import { fail, ok } from '../../model/system';

export const TRACE_FORMAT = 'real-ideal/trace@2';
export const TRACE_FORMAT_V1 = 'real-ideal/trace@1';

export interface Trace {
  readonly system: AnySystem;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly config: any;
  readonly variant?: string;
  /** A user-written variant module (path), as `check --variant-file` ran it. */
  readonly variantFile?: string;
  /** Declassification rules switched off in the ideal machine. */
  readonly rulesOff?: readonly string[];
  readonly description?: string;
  /** What replaying must give: no violation, or this property at this step (a regression corpus). */
  readonly expect?: Expectation;
  readonly steps: readonly unknown[];
}

export type Expectation = { readonly violation: null } | { readonly property: string; readonly step: number; readonly component?: string };

const KEYS = ['format', 'system', 'config', 'variant', 'variantFile', 'rulesOff', 'description', 'expect', 'steps'];

function decodeExpect(u: unknown): Result<Expectation> {
  if (typeof u !== 'object' || u === null || Array.isArray(u)) return fail('$.expect', 'expected {"violation": null} or {"property": NAME, "step": N}');
  const o = u as Record<string, unknown>;
  if ('violation' in o) return o.violation === null && Object.keys(o).length === 1 ? ok({ violation: null }) : fail('$.expect.violation', 'only null is allowed (no violation)');
  for (const k of Object.keys(o)) if (!['property', 'step', 'component'].includes(k)) return fail(`$.expect.${k}`, 'unknown key (expected "property", "step", "component")');
  if (typeof o.property !== 'string') return fail('$.expect.property', 'expected a property name');
  if (typeof o.step !== 'number' || !Number.isInteger(o.step) || o.step < 0) return fail('$.expect.step', 'expected a step index (a non-negative integer)');
  if (o.component !== undefined && typeof o.component !== 'string') return fail('$.expect.component', 'expected a string');
  return ok({ property: o.property, step: o.step, ...(o.component !== undefined ? { component: o.component as string } : {}) });
}

export function decodeTrace(u: unknown, lookup: (name: string) => AnySystem | undefined): Result<Trace> {
  if (typeof u !== 'object' || u === null || Array.isArray(u)) return fail('$', 'expected a trace object');
  const o = u as Record<string, unknown>;
  if (o.format !== TRACE_FORMAT && o.format !== TRACE_FORMAT_V1) return fail('$.format', `expected "${TRACE_FORMAT}" (or "${TRACE_FORMAT_V1}" for a CCA trace)`);
  for (const k of Object.keys(o)) if (!KEYS.includes(k) || (o.format === TRACE_FORMAT_V1 && k === 'system')) return fail(`$.${k}`, `unknown key (known: ${KEYS.join(', ')})`);
  const name = o.format === TRACE_FORMAT_V1 ? 'cca' : o.system;
  if (typeof name !== 'string') return fail('$.system', 'expected the name of a system');
  const system = lookup(name);
  if (!system) return fail('$.system', `unknown system "${name}"`);
  const cfg = system.config.decode(o.config ?? {}, '$.config', system.config.defaults);
  if (!cfg.ok) return cfg;
  if (o.variant !== undefined && typeof o.variant !== 'string') return fail('$.variant', 'expected a variant name');
  if (o.variantFile !== undefined && typeof o.variantFile !== 'string') return fail('$.variantFile', 'expected a path');
  if (o.description !== undefined && typeof o.description !== 'string') return fail('$.description', 'expected a string');
  if (o.rulesOff !== undefined) {
    if (!Array.isArray(o.rulesOff)) return fail('$.rulesOff', 'expected an array of rule names');
    for (let i = 0; i < o.rulesOff.length; i++)
      if (typeof o.rulesOff[i] !== 'string' || !system.rules.includes(o.rulesOff[i])) return fail(`$.rulesOff[${i}]`, `expected a rule name (${system.rules.join(', ')})`);
  }
  let expect: Expectation | undefined;
  if (o.expect !== undefined) {
    const e = decodeExpect(o.expect);
    if (!e.ok) return e;
    expect = e.value;
  }
  if (!Array.isArray(o.steps)) return fail('$.steps', 'expected an array of steps');
  if (o.steps.length > 1_000_000) return fail('$.steps', 'at most 1,000,000 steps');
  const steps: unknown[] = [];
  for (let i = 0; i < o.steps.length; i++) {
    const r = system.actions.decode(o.steps[i], `$.steps[${i}]`, cfg.value);
    if (!r.ok) return r;
    steps.push(r.value);
  }
  return ok({
    system, config: cfg.value, steps,
    ...(o.variant !== undefined ? { variant: o.variant as string } : {}),
    ...(o.variantFile !== undefined ? { variantFile: o.variantFile as string } : {}),
    ...(o.rulesOff !== undefined ? { rulesOff: o.rulesOff as string[] } : {}),
    ...(o.description !== undefined ? { description: o.description as string } : {}),
    ...(expect ? { expect } : {}),
  });
}

/** The JSON of a trace file (what counterexample files contain). */
export function encodeTrace(t: Omit<Trace, 'steps'> & { readonly steps: readonly unknown[] }): Record<string, unknown> {
  const config = t.system.config.encode(t.config);
  return {
    format: TRACE_FORMAT,
    system: t.system.name,
    ...(t.description ? { description: t.description } : {}),
    ...(t.expect ? { expect: t.expect } : {}),
    ...(Object.keys(config).length ? { config } : {}),
    ...(t.variant ? { variant: t.variant } : {}),
    ...(t.variantFile ? { variantFile: t.variantFile } : {}),
    ...(t.rulesOff?.length ? { rulesOff: t.rulesOff } : {}),
    steps: t.steps.map((a) => t.system.actions.encode(a)),
  };
}
