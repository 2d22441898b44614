// The engine's trace shrinker (traceOf) and the concrete-step pass after it (minimizeSteps): traces
// are generated exactly as fc.array generates them, shrink to 1-minimal ones, replay from their path,
// and keep the property first seen.

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { traceOf } from '../../properties/engine/shrink';
import { minimizeSteps } from '../../properties/engine/minimize';
import { execute, runChecks, type RunOptions } from '../../properties/engine';
import { SYSTEMS } from '../../systems';
import type { AnySystem } from '../../model/system';

const item = fc.record({ k: fc.constantFrom('a', 'b', 'c'), n: fc.nat(99) });
type Item = { k: string; n: number };

/** Runs fast-check on `pred` and returns the shrunk counterexample and its path. */
function shrinkOf(arb: fc.Arbitrary<Item[]>, pred: (xs: Item[]) => boolean, seed = 1) {
  const out = fc.check(fc.property(arb, pred), { seed, numRuns: 200 });
  return { value: out.counterexample?.[0] ?? null, path: out.counterexamplePath ?? '' };
}

describe('traceOf', () => {
  test('generates what fc.array generates from the same seed (a seed finds the same traces)', () => {
    for (const seed of [1, 2, 3]) {
      const ours = fc.sample(traceOf(item, { minLength: 1, maxLength: 40 }), { seed, numRuns: 30 });
      const theirs = fc.sample(fc.array(item, { minLength: 1, maxLength: 40, size: 'max' }), { seed, numRuns: 30 });
      expect(ours).toEqual(theirs);
    }
  });

  test('a failure needing one command shrinks to that command alone, with its fields shrunk', () => {
    // Fails when some 'c' command has n >= 10: the minimum is [{k:'c', n:10}].
    const { value } = shrinkOf(traceOf(item, { maxLength: 60 }), (xs) => !xs.some((x) => x.k === 'c' && x.n >= 10));
    expect(value).toEqual([{ k: 'c', n: 10 }]);
  });

  test('a command that can only shrink with its generation context (a mapped arbitrary, as the systems\' commands are) still shrinks', () => {
    // fc.map without an unmapper cannot shrink a value it did not just produce: the trace must hand
    // each item the context it was generated with (kept lazily, only for traces that get shrunk).
    const opaque = fc.nat(99).map((n) => ({ k: 'c', n }));
    const { value } = shrinkOf(traceOf(opaque, { maxLength: 60 }), (xs) => !xs.some((x) => x.n >= 10));
    expect(value).toEqual([{ k: 'c', n: 10 }]);
  });

  test('an ordered pair far apart shrinks to the two commands, and the dead tail is cut', () => {
    // Fails when an 'a' is followed later by a 'b' (a stateful dependency: setup, then use).
    const pred = (xs: Item[]) => {
      const i = xs.findIndex((x) => x.k === 'a');
      return i < 0 || !xs.slice(i + 1).some((x) => x.k === 'b');
    };
    for (const seed of [1, 2, 3, 4]) {
      const { value } = shrinkOf(traceOf(item, { maxLength: 80 }), pred, seed);
      expect(value).toEqual([{ k: 'a', n: 0 }, { k: 'b', n: 0 }]);
    }
  });

  test('shrinking stops at shrinkTo, below the generated minimum', () => {
    const arb = traceOf(item, { minLength: 10, maxLength: 30, shrinkTo: 1 });
    expect(fc.sample(arb, { seed: 5, numRuns: 50 }).every((xs) => xs.length >= 10)).toBe(true);
    const { value } = shrinkOf(arb, (xs) => !xs.some((x) => x.k === 'b'));
    expect(value).toEqual([{ k: 'b', n: 0 }]);
    const { value: atTen } = shrinkOf(traceOf(item, { minLength: 10, maxLength: 30 }), (xs) => !xs.some((x) => x.k === 'b'));
    expect(atTen).toHaveLength(10);
  });

  test('the replay path names the shrunk value (so a block rebuilt elsewhere finds it)', () => {
    const pred = (xs: Item[]) => xs.filter((x) => x.k === 'b' && x.n > 5).length < 2;
    for (const seed of [1, 2, 3]) {
      const arb = () => traceOf(item, { maxLength: 60 });
      const first = shrinkOf(arb(), pred, seed);
      expect(first.value).not.toBeNull();
      // A fresh arbitrary (as in another thread): the path leads to the same value.
      const again = fc.check(fc.property(arb(), () => false), { seed, path: first.path, numRuns: 1, endOnFailure: true });
      expect(again.counterexample?.[0]).toEqual(first.value);
    }
  });
});

describe('minimizeSteps (concrete steps after the abstract shrink)', () => {
  const cca = SYSTEMS.find((s) => s.name === 'cca')!;
  const v = cca.variants.find((x) => x.name === 'rtt-destroy-live')!;
  const setup = { spec: v.apply(cca.spec), config: { ...cca.config.defaults, ...v.config } };

  test('dead steps in front of a counterexample are dropped; the failure and its property stay', () => {
    const r = runChecks(cca, { ...setup, runs: 300, steps: 100, seed: 1, noninterference: false } as RunOptions);
    const c = r.counterexample!;
    expect(c).not.toBeNull();
    // Prepend a realm of its own (at granules the counterexample does not use): four dead steps.
    const dead = [0x20000n, 0x21000n].map((addr) => ({ kind: 'rmi', cpu: 1, fid: 0xc4000151n, args: [addr] }));
    const padded = [...dead, ...c.actions];
    const failing = { ...c.failing, index: c.failing.index + dead.length };
    const m = minimizeSteps(cca, setup, { actions: padded, reports: [], failing });
    expect(m.actions).toEqual(c.actions);
    expect(m.failing.violations[0].property).toBe(c.failing.violations[0].property);
    expect(m.drops).toBeGreaterThan(0);
  });

  test('a shrunk counterexample keeps the property of the first failure found', () => {
    const cases: [AnySystem, RunOptions][] = SYSTEMS.flatMap((sys) => sys.variants.slice(0, 3).map((variant): [AnySystem, RunOptions] =>
      [sys, { spec: variant.apply(sys.spec), config: { ...sys.config.defaults, ...variant.config }, runs: 300, steps: 60, seed: 2, noninterference: true }]));
    // Two runs whose smaller traces also show another property (found by switching the rule off): sep's
    // unfiltered GICD targets first break R4 and shrink towards an oracle failure; nova's unchecked
    // permission first breaks RS2 and shrinks towards a RobustSafety one.
    for (const [name, variant, seed] of [['sep', 'gicd-unfiltered-targets', 1], ['nova', 'perm-without-type', 4]] as const) {
      const sys = SYSTEMS.find((s) => s.name === name)!;
      const v = sys.variants.find((x) => x.name === variant)!;
      cases.push([sys, { spec: v.apply(sys.spec), config: { ...sys.config.defaults, ...v.config }, runs: 300, steps: 60, seed, noninterference: true }]);
    }
    for (const [sys, opts] of cases) {
      const r = runChecks(sys, opts);
      if (!r.counterexample) continue;
      // The first failing trace, unshrunk: the run its path starts at.
      const run = r.counterexample.path.split(':')[0];
      const gen = fc.check(fc.property(sys.actions.generate(opts.config, opts.steps), () => false), { seed: opts.seed, path: run, numRuns: 1, endOnFailure: true });
      const first = execute(sys, opts, gen.counterexample![0] as unknown[]).failing!.violations[0].property;
      expect(r.counterexample.failing.violations.map((v) => v.property)).toContain(first);
    }
  }, 120_000);
});
