// The machines are pure functions over immutable, structurally shared states (DESIGN.md,
// Performance). With every state deep-frozen as soon as it is produced (immer's freeze), any step
// that mutated an earlier state, or the objects it shares with later ones, would throw.

import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { freeze } from 'immer';
import { DEFAULT_CONFIG } from '../../../real/cca/config';
import { faithful } from '../../../real/cca/faithful';
import { Lockstep } from '../engine';
import { resolve, traceArb } from '../../../properties/cca/generators';
import { Spec } from '../../../real/cca/spec';
import { granuleAt } from '../../../real/cca/state';

describe('no step mutates a state', () => {
  for (const config of [DEFAULT_CONFIG, { ...DEFAULT_CONFIG, weakMemory: true, cpus: 3 }]) {
    test(`random traces with every state deep-frozen${config.weakMemory ? ' (weak memory, 3 CPUs)' : ''}`, () => {
      let steps = 0;
      fc.assert(
        fc.property(traceArb(60), (cmds) => {
          const l = new Lockstep({ spec: faithful, config });
          freeze(l.real, true);
          freeze(l.ideal, true);
          for (const c of cmds)
            for (const a of resolve(l.real, c)) {
              const r = l.step(a);
              expect(r.violations).toEqual([]);
              freeze(l.real, true);
              freeze(l.ideal, true);
              steps++;
            }
        }),
        { numRuns: 60, seed: 4242 },
      );
      expect(steps).toBeGreaterThan(2000);
    });
  }

  test('the freezing catches a step that mutates in place', () => {
    // A faulty GRANULE_DELEGATE that also bumps the old granule's refcount in place.
    const c = faithful.commands.GRANULE_DELEGATE;
    const spec: Spec = {
      ...faithful,
      commands: { ...faithful.commands, GRANULE_DELEGATE: { ...c, effect: (ctx, sp) => ((granuleAt(ctx.s, Number(ctx.addr)) as { refcount: number }).refcount = 1, c.effect(ctx, sp)) } },
    };
    const l = new Lockstep({ spec, config: DEFAULT_CONFIG });
    freeze(l.real, true);
    const r = l.step({ kind: 'rmi', cpu: 0, fid: 0xc4000151n, args: [0x8000n] });
    expect(r.violations[0].property).toBe('RobustSafety');
    expect(r.violations[0].detail).toMatch(/TypeError/);
  });
});
