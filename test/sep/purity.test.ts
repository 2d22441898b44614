// Purity: every state of both machines is deep-frozen after each step of generated traces; a step that
// mutated a previous state in place would throw (modules are strict mode).

import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { execute } from '../../properties/engine';
import { CFG, S } from './helpers';
import type { Action } from '../../real/sep/actions';

function deepFreeze(x: unknown, seen = new Set<unknown>()): void {
  if (x === null || typeof x !== 'object' || seen.has(x)) return;
  seen.add(x);
  if (x instanceof Map) { for (const [k, v] of x) { deepFreeze(k, seen); deepFreeze(v, seen); } return; }
  Object.freeze(x);
  for (const v of Object.values(x as Record<string, unknown>)) deepFreeze(v, seen);
}

describe('purity', () => {
  test('no step of either machine mutates a state in place', () => {
    const traces = fc.sample(S.actions.generate(CFG, 80), { numRuns: 30, seed: 11 });
    const on = new Set(S.rules);
    let steps = 0;
    for (const t of traces) {
      const actions = execute(S, { spec: S.spec, config: CFG, invariants: false }, t).actions as Action[];
      let r = S.real.init(CFG, S.spec);
      let i = S.ideal.init(r, CFG, S.spec, on);
      deepFreeze(r); deepFreeze(i);
      for (const a of actions) {
        r = S.real.step(r, a, S.spec).state;
        i = S.ideal.step(i, a, S.spec, on).state;
        deepFreeze(r); deepFreeze(i);
        steps++;
      }
    }
    expect(steps).toBeGreaterThan(500);
  });
});
