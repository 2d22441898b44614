// The executor's reachable outcomes equal the Armv8 axiomatic model's allowed outcomes, on random
// small programs and on randomly decorated classic shapes.
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { enumerateOutcomes, formatOutcome, opLabel, type WmOp } from '../../real/shared/weakmem/executor';
import { axiomaticOutcomes } from './axiomatic';
import { litmusArb, shapeArb } from './gen';

function compare(threads: WmOp[][], init: Record<string, number>): void {
  const op = enumerateOutcomes(threads, init);
  expect(op.truncated).toBe(false);
  const ax = axiomaticOutcomes(threads, init);
  const a = op.outcomes.map(formatOutcome).sort();
  const b = ax.outcomes.map(formatOutcome).sort();
  const prog = threads.map((t, i) => `T${i}: ${t.map(opLabel).join('; ')}`).join(' || ');
  expect({ prog, outcomes: a }).toEqual({ prog, outcomes: b });
}

describe('executor = axiomatic Armv8 model', () => {
  test.prop([litmusArb], { numRuns: 400, seed: 20240601 })('random programs (2-3 threads, <=4 ops, all op kinds)', (t) => {
    compare(t.threads, t.init);
  });
  test.prop([shapeArb], { numRuns: 600, seed: 20240602 })('decorated classic shapes (barriers, deps, acq/rel, forwarding)', (t) => {
    compare(t.threads, t.init);
  });
  test.prop([litmusArb])('random programs (unseeded)', (t) => {
    compare(t.threads, t.init);
  });
  test.prop([shapeArb])('decorated classic shapes (unseeded)', (t) => {
    compare(t.threads, t.init);
  });
});

describe('partial-order reduction', () => {
  test.prop([fc.oneof(litmusArb, shapeArb)], { numRuns: 300, seed: 20240603 })('same outcomes and same stuck-ness with and without it', (t) => {
    const a = enumerateOutcomes(t.threads, t.init);
    const b = enumerateOutcomes(t.threads, t.init, { reduce: false });
    expect(a.outcomes.map(formatOutcome)).toEqual(b.outcomes.map(formatOutcome));
    expect(a.stuck > 0).toBe(b.stuck > 0);
  });
});

describe('axiomatic oracle sanity', () => {
  test('a read-read reordering the single-memory executor must allow (reads of x are not ordered)', () => {
    // T0's second read of x can be satisfied before the first (both read 0); only that makes r4=0
    // possible together with r0=1.
    const th: WmOp[][] = [
      [
        { op: 'load', loc: 'y', reg: 'r0' },
        { op: 'load', loc: 'x', reg: 'r1', deps: [{ kind: 'addr', on: ['r0'] }] },
        { op: 'load', loc: 'x', reg: 'r2' },
        { op: 'load', loc: 'w', reg: 'r4', deps: [{ kind: 'addr', on: ['r2'] }] },
      ],
      [{ op: 'store', loc: 'w', val: 1 }, { op: 'dmb', kind: 'sy' }, { op: 'store', loc: 'y', val: 1 }],
    ];
    const want = (o: Record<string, bigint>) => o['0:r0'] === 1n && o['0:r4'] === 0n;
    expect(axiomaticOutcomes(th).outcomes.some(want)).toBe(true);
    expect(enumerateOutcomes(th).outcomes.some(want)).toBe(true);
    compare(th, {});
  });
  test('value cycles (out of thin air) are excluded', () => {
    const th: WmOp[][] = [
      [{ op: 'load', loc: 'x', reg: 'r0' }, { op: 'store', loc: 'y', reg: 'r0', add: 0 }],
      [{ op: 'load', loc: 'y', reg: 'r0' }, { op: 'store', loc: 'x', reg: 'r0', add: 0 }],
    ];
    expect(axiomaticOutcomes(th).outcomes.map(formatOutcome)).toEqual(['{0:r0=0,1:r0=0,x=0,y=0}']);
    compare(th, {});
  });
});
