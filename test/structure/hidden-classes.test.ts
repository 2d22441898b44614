// Per-call contexts of the real machines must not keep what they reference out of V8's young-generation
// collections. Two patterns did, so every state such a call saw survived until a full collection: an
// object literal with getters (`{ s, get p() { ... } }`: dictionary properties and an accessor pair
// the scavenger does not collect; a micro-benchmark promotes 35% of its allocation with them, 0% with
// a class), and a spread copy extended with more fields (`{ ...base(c), x }`: a hidden class per
// call, pointing at the copy's values). They promoted a sixth of a CCA run's allocation (the real
// machine alone ran at half its speed) and 4% of nova's. This test wraps every command's context
// factory and checks each context: no own accessor, and the hidden class of the one before (V8's
// %HaveSameMap, natives syntax switched on for the functions compiled after it). A context's rows may
// add fields to it (a cached walk), which moves it to another class: the comparison is between unused
// second copies.

import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { SYSTEMS } from '../../systems';
import { execute } from '../../properties/engine';
import { sameMap } from '../natives';

type Factory = { name: string; context: (...xs: unknown[]) => unknown };
interface Seen { n: number; same: number; accessors: string[]; last: object | null }

/** A copy of the spec whose command tables (CCA `commands`, nova `calls`, FF-A `abis`) record their contexts. */
function instrument(spec: Record<string, unknown>, seen: Map<string, Seen>): { spec: unknown; tables: number } {
  const wrap = (c: Factory | null): Factory | null => {
    if (!c || typeof c.context !== 'function') return c;
    const f = c.context;
    return {
      ...c,
      context: (...xs: unknown[]) => {
        const ctx = f(...xs);
        const probe = f(...xs); // never handed to the rows, so never extended
        const e = seen.get(c.name) ?? { n: 0, same: 0, accessors: [], last: null };
        if (typeof probe === 'object' && probe !== null) {
          e.n++;
          if (e.last && sameMap(e.last, probe)) e.same++;
          e.last = probe;
          for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(probe))) if ((d.get || d.set) && !e.accessors.includes(k)) e.accessors.push(k);
        }
        seen.set(c.name, e);
        return ctx;
      },
    };
  };
  const out: Record<string, unknown> = { ...spec };
  let tables = 0;
  for (const key of ['commands', 'calls', 'abis']) {
    const t = spec[key];
    if (Array.isArray(t)) out[key] = t.map((c) => wrap(c as Factory | null));
    else if (t && typeof t === 'object') out[key] = Object.fromEntries(Object.entries(t).map(([k, c]) => [k, wrap(c as Factory)]));
    else continue;
    tables++;
  }
  return { spec: out, tables };
}

// sep's handlers read the state directly: it has no per-call contexts.
describe.each(SYSTEMS.filter((s) => s.name !== 'sep').map((s) => [s.name, s] as const))('%s: command contexts', (_name, sys) => {
  test('no context has its own accessors or a hidden class of its own', () => {
    expect(sameMap({ a: 1 }, { a: 2 })).toBe(true);
    expect(sameMap({ a: 1 }, { b: 2 })).toBe(false);
    const seen = new Map<string, Seen>();
    const { spec, tables } = instrument(sys.spec as Record<string, unknown>, seen);
    expect(tables).toBe(1);
    const cfg = sys.config.defaults;
    const traces = fc.sample(sys.actions.generate(cfg, 100), { numRuns: 30, seed: 7 }).map((t) => execute(sys, { spec: sys.spec, config: cfg, invariants: false }, t).actions);
    for (const t of traces) {
      let s = sys.real.init(cfg, spec);
      for (const a of t) s = sys.real.step(s, a, spec).state;
    }
    const counted = [...seen].filter(([, e]) => e.n >= 20);
    expect(counted.length).toBeGreaterThanOrEqual(5);
    const verdict = (e: Seen) => (e.accessors.length ? `own accessors ${e.accessors.join(', ')}` : e.same / (e.n - 1) >= 0.9 ? 'one class' : `same class as the one before: ${e.same} of ${e.n - 1}`);
    expect(Object.fromEntries(counted.map(([k, e]) => [k, verdict(e)]))).toEqual(Object.fromEntries(counted.map(([k]) => [k, 'one class'])));
  });
});
