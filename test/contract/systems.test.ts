// Contract tests over every registered system: what the engine relies on and what any system must
// show. A new system gets them by its one line in the registry.

import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { SYSTEMS } from '../../systems';
import { check, decodeTrace, encodeTrace, execute, niCheck, runTrace } from '../../properties/engine';
import { deepEqual } from '../../properties/diff';
import { systemNamed } from '../../systems';
import type { AnySystem } from '../../model/system';

/** Generated traces of the faithful model, resolved to concrete actions. */
function sampleTraces(sys: AnySystem, n: number, seed: number): unknown[][] {
  return fc.sample(sys.actions.generate(sys.config.defaults, 60), { numRuns: n, seed }).map((t) => execute(sys, { spec: sys.spec, config: sys.config.defaults, invariants: false }, t).actions);
}

/** An adversarial neighbour of an encoded step: one number or hex string replaced by an extreme value. */
function mutate(u: unknown, pick: number, value: unknown): unknown {
  let k = 0;
  const walk = (x: unknown): unknown => {
    if (typeof x === 'number' || (typeof x === 'string' && /^0x[0-9a-f]+$/i.test(x))) return k++ === pick ? value : x;
    if (Array.isArray(x)) return x.map(walk);
    if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([key, v]) => [key, walk(v)]));
    return x;
  };
  return walk(u);
}

const EXTREMES = ['0x0', '0xffffffffffffffff', '0x8000000000000000', '0xfff', '0x1001', 0, 1, 7, 63, 511, 4096];

describe.each(SYSTEMS.map((s) => [s.name, s] as const))('system %s', (_name, sys) => {
  const traces = sampleTraces(sys, 40, 7);

  test('describes itself: name, title, reference, rules, coverage groups, at least one variant', () => {
    expect(sys.name).toMatch(/^[a-z][a-z0-9-]*$/);
    expect(sys.title.length).toBeGreaterThan(5);
    expect(sys.reference.length).toBeGreaterThan(5);
    expect(sys.rules.length).toBeGreaterThan(0);
    expect(sys.coverage.groups.length).toBeGreaterThan(0);
    expect(sys.variants.length).toBeGreaterThan(0);
    expect(new Set(sys.variants.map((v) => v.name)).size).toBe(sys.variants.length);
    expect(sys.config.problems(sys.config.defaults)).toEqual([]);
    expect(sys.isSpec(sys.spec)).toBe(true);
  });

  test('generated traces are not vacuous and no step of either machine throws', () => {
    const total = traces.reduce((a, t) => a + t.length, 0);
    expect(total).toBeGreaterThan(40 * 10);
    for (const t of traces) {
      let r = sys.real.init(sys.config.defaults, sys.spec);
      let i = sys.ideal.init(r, sys.config.defaults, sys.spec, new Set(sys.rules));
      for (const a of t) {
        r = sys.real.step(r, a, sys.spec).state;
        i = sys.ideal.step(i, a, sys.spec, new Set(sys.rules)).state;
      }
    }
  });

  test('arbitrary actions (generated steps with extreme values put in) decode to an error or step without throwing', () => {
    let stepped = 0;
    for (const t of traces.slice(0, 10)) {
      let r = sys.real.init(sys.config.defaults, sys.spec);
      for (const [k, a] of t.entries()) {
        const enc = sys.actions.encode(a);
        const m = mutate(enc, k % 5, EXTREMES[k % EXTREMES.length]);
        const d = sys.actions.decode(m, '$.steps[0]', sys.config.defaults);
        if (!d.ok) {
          expect(d.error).toMatch(/^\$\.steps\[0\]/);
          expect(d.error).not.toContain('\n');
          continue;
        }
        r = sys.real.step(r, d.value, sys.spec).state;
        stepped++;
      }
    }
    expect(stepped).toBeGreaterThan(0);
  });

  test('actions round-trip through the codec', () => {
    for (const t of traces.slice(0, 20))
      for (const a of t) {
        const d = sys.actions.decode(JSON.parse(JSON.stringify(sys.actions.encode(a))), '$', sys.config.defaults);
        expect(d.ok ? deepEqual(d.value, a) : d.error).toBe(true);
      }
  });

  test('states are values: a step never modifies the state it steps from, and a fresh initial state is the first one again', () => {
    // The engine keeps pre-states (noninterference shares the initial state between its two runs) and a
    // system may build its initial state once per configuration: both need steps that copy, not modify.
    const cfg = sys.config.defaults;
    const first = structuredClone(sys.real.init(cfg, sys.spec));
    for (const t of sampleTraces(sys, 6, 23)) {
      let s = sys.real.init(cfg, sys.spec);
      expect(deepEqual(s, first)).toBe(true);
      for (const a of t) {
        const before = structuredClone(s);
        const next = sys.real.step(s, a, sys.spec).state;
        expect(deepEqual(s, before)).toBe(true);
        s = next;
      }
    }
  });

  test('ideal states are values too: an ideal step never modifies the state it steps from', () => {
    // (The ideal writes rows it copied within a step in place; a row of an earlier state never.)
    const cfg = sys.config.defaults;
    const rules = new Set(sys.rules);
    for (const t of sampleTraces(sys, 6, 29)) {
      let i = sys.ideal.init(sys.real.init(cfg, sys.spec), cfg, sys.spec, rules);
      for (const a of t) {
        const before = structuredClone(i);
        const next = sys.ideal.step(i, a, sys.spec, rules).state;
        expect(deepEqual(i, before)).toBe(true);
        i = next;
      }
    }
  });

  test('a call that failed leaves the real state unchanged', () => {
    let failures = 0;
    for (const t of traces) {
      let r = sys.real.init(sys.config.defaults, sys.spec);
      for (const a of t) {
        const s = sys.real.step(r, a, sys.spec);
        if (sys.observe.failed(a, s.obs)) {
          failures++;
          expect(s.state === r || deepEqual(s.state, r)).toBe(true);
        }
        r = s.state;
      }
    }
    expect(failures).toBeGreaterThan(0);
  });

  test('the faithful model shows no violation in a default run', { timeout: 300_000 }, () => {
    const r = check(sys, { runs: 200, seed: 1 });
    expect(r.counterexample?.failing.violations[0] ?? null).toBeNull();
    expect(r.steps).toBeGreaterThan(200 * 10);
  });

  describe.each(sys.variants.map((v) => [v.name, v] as const))('variant %s', (_v, v) => {
    test('is caught by a default check (seeds 1-5), shrunk, with an expected property, and its counterexample file replays to the same violation', { timeout: 300_000 }, () => {
      let r = check(sys, { variant: v.name, seed: 1 });
      for (let seed = 2; seed <= 5 && !r.counterexample; seed++) r = check(sys, { variant: v.name, seed });
      const c = r.counterexample;
      expect(c, `${v.name} not caught by seeds 1-5`).not.toBeNull();
      const violation = c!.failing.violations[0];
      expect(v.expect.split('/').map((x) => x.trim())).toContain(violation.property);
      // fast-check shrinks the abstract commands (a command may resolve to several steps).
      expect(c!.commands).toBeLessThanOrEqual(c!.unshrunkCommands);
      // Written as a file, read back, replayed: the same violation at the same step.
      const file = JSON.parse(JSON.stringify(encodeTrace({ system: sys, config: r.config, variant: v.name, steps: c!.actions })));
      expect(file.format).toBe('real-ideal/trace@2');
      expect(file.system).toBe(sys.name);
      const t = decodeTrace(file, systemNamed);
      expect(t.ok).toBe(true);
      if (!t.ok) return;
      const again = runTrace(sys, { spec: v.apply(sys.spec), config: t.value.config }, t.value.steps);
      const first = again.first ?? null;
      if (violation.property === 'Noninterference') expect(first).toBeNull();
      else {
        expect(first?.index).toBe(c!.failing.index);
        expect(first?.violations[0]).toEqual(violation);
      }
    });
  });
});

// The product's first run is taken from the lockstep (check does this): it must decide exactly what
// the product decides when it runs the real machine twice itself, faithful or faulty.
describe.each(SYSTEMS.map((s) => [s.name, s] as const))('system %s: noninterference from the lockstep run', (_name, sys) => {
  test('the product with the lockstep\'s states and observations equals the product run twice', { timeout: 120_000 }, () => {
    let compared = 0, found = 0;
    for (const [name, spec] of [['faithful', sys.spec], ...sys.variants.map((v) => [v.name, v.apply(sys.spec)])] as [string, unknown][]) {
      const setup = { spec, config: sys.config.defaults };
      for (const cmds of fc.sample(sys.actions.generate(sys.config.defaults, 40), { numRuns: 8, seed: name.length })) {
        const actions = execute(sys, { ...setup, invariants: false }, cmds).actions;
        const r = runTrace(sys, setup, actions);
        const n = r.first ? r.first.index : actions.length; // the product runs on what passed in lockstep
        if (n < 0) continue;
        const acts = actions.slice(0, n);
        const alone = niCheck(sys, setup, acts);
        const fromLockstep = niCheck(sys, setup, acts, { states: r.states.slice(0, n + 1), obs: r.steps.slice(0, n).map((s) => s.real) });
        expect(fromLockstep).toEqual(alone);
        compared += acts.length;
        // The whole trace too, its first run given by the real machine alone (where a faulty
        // specification leaks, the product finds it whether or not the lockstep would have first).
        // (A variant that models a use after free throws; the product reports that on its own, so the
        // comparison stops before such a step.)
        const states: unknown[] = [sys.real.init(setup.config, spec)], obs: unknown[] = [];
        try {
          for (const a of actions) { const st = sys.real.step(states[states.length - 1], a, spec); states.push(st.state); obs.push(st.obs); }
        } catch { /* compared up to the step that threw */ }
        const prefix = actions.slice(0, obs.length);
        const whole = niCheck(sys, setup, prefix);
        expect(niCheck(sys, setup, prefix, { states, obs })).toEqual(whole);
        // And a product whose second run goes astray (a varied step is replaced by the next step of
        // the trace), so that the failure path is compared too.
        const astray: AnySystem = { ...sys, secrets: { ...sys.secrets, vary: (a: unknown) => prefix[prefix.indexOf(a) + 1] ?? a } };
        const wrong = niCheck(astray, setup, prefix);
        expect(niCheck(astray, setup, prefix, { states, obs })).toEqual(wrong);
        if (wrong) found++;
      }
    }
    expect(compared).toBeGreaterThan(100);
    expect(found).toBeGreaterThan(0);
  });
});
