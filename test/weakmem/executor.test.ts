import { describe, expect, test } from 'vitest';
import {
  eligible,
  enumerateOutcomes,
  finalRegs,
  initState,
  isDone,
  isStuck,
  opLabel,
  outcomeOf,
  readMem,
  regValue,
  stateKey,
  step,
  type WmOp,
  type WmState,
} from '../../real/shared/weakmem/executor';
import { thread } from './dsl';

const run = (s: WmState, steps: Array<[number, number]>): WmState => steps.reduce((acc, [c, o]) => step(acc, c, o), s);

describe('executor API', () => {
  const mp = [thread('W x=1; dmb.st; W y=1'), thread('R y r0; R x r1 addr(r0)')];

  test('eligible: barriers are never steps; ordered ops wait', () => {
    const s = initState(mp, { x: 0, y: 0 });
    expect(eligible(s)).toEqual([
      { cpu: 0, op: 0 },
      { cpu: 1, op: 0 },
    ]);
    const s1 = step(s, 0, 0);
    expect(eligible(s1)).toEqual([
      { cpu: 0, op: 2 },
      { cpu: 1, op: 0 },
    ]);
  });

  test('step on an ineligible op returns the same state (no throw)', () => {
    const s = initState(mp, {});
    expect(step(s, 0, 2)).toBe(s); // W y waits for W x (dmb.st)
    expect(step(s, 1, 1)).toBe(s); // addr-dependent load waits for its source
    expect(step(s, 0, 1)).toBe(s); // barrier
    expect(step(s, 7, 0)).toBe(s);
    expect(step(s, 0, -1)).toBe(s);
    expect(step(s, 0.5, 0)).toBe(s);
  });

  test('states are immutable and keys are deterministic', () => {
    const s = initState(mp, {});
    const k = stateKey(s);
    const t = step(s, 0, 0);
    expect(stateKey(s)).toBe(k);
    expect(readMem(s, 'x')).toBe(0n);
    expect(readMem(t, 'x')).toBe(1n);
    expect(stateKey(run(initState(mp, {}), [[0, 0]]))).toBe(stateKey(t));
    expect(stateKey(t)).not.toBe(k);
  });

  test('a full run: registers, outcome, isDone', () => {
    const s = run(initState(mp, {}), [
      [0, 0],
      [0, 2],
      [1, 0],
      [1, 1],
    ]);
    expect(isDone(s)).toBe(true);
    expect(finalRegs(s)).toEqual({ '1:r0': 1n, '1:r1': 1n });
    expect(regValue(s, 1, 'r1')).toBe(1n);
    expect(outcomeOf(s, ['1:r0', 'y', '1:zz'])).toEqual({ '1:r0': 1n, y: 1n, '1:zz': 0n });
  });

  test('forwarding: a load reads its own uncommitted store; others still see the old value', () => {
    const th = [thread('W x=1; R x r0'), thread('R x r0')];
    let s = initState(th, {});
    s = step(s, 0, 1); // forwarded before the store commits
    expect(regValue(s, 0, 'r0')).toBe(1n);
    expect(readMem(s, 'x')).toBe(0n);
    s = step(s, 1, 0);
    expect(regValue(s, 1, 'r0')).toBe(0n);
  });

  test('a forwarding load waits for the data of the store it forwards from', () => {
    const th = [thread('R y r0; W x=r0; R x r1')];
    const s = initState(th, { y: 5 });
    expect(eligible(s)).toEqual([{ cpu: 0, op: 0 }]);
    const s1 = step(s, 0, 0);
    expect(eligible(s1)).toEqual([
      { cpu: 0, op: 1 },
      { cpu: 0, op: 2 },
    ]);
    expect(regValue(step(s1, 0, 2), 0, 'r1')).toBe(5n);
  });

  test('lock is only eligible when free; a lock never released leaves the other CPU stuck', () => {
    const th = [thread('lock l; W x=1'), thread('lock l; W x=2')];
    let s = initState(th, {});
    s = step(s, 0, 0);
    expect(readMem(s, 'l')).toBe(1n);
    expect(eligible(s)).toEqual([{ cpu: 0, op: 1 }]);
    s = step(s, 0, 1);
    expect(isStuck(s)).toBe(true);
    expect(isDone(s)).toBe(false);
    expect(enumerateOutcomes(th, {}).stuck).toBeGreaterThan(0);
  });

  test('never throws on malformed programs', () => {
    const junk = [
      [[{ op: 'bogus' }]],
      [[null]],
      [null],
      null,
      [[{ op: 'load' }]],
      [[{ op: 'store', loc: 'x', reg: 'r0', deps: 'no' }]],
      [[{ op: 'load', loc: 'x', deps: [{ kind: 'addr', on: null }] }]],
    ] as unknown as WmOp[][][];
    for (const j of junk) {
      expect(() => {
        const s = initState(j, {});
        eligible(s);
        isDone(s);
        stateKey(s);
        enumerateOutcomes(j, {});
      }).not.toThrow();
    }
    expect(initState([[{ op: 'bogus' } as unknown as WmOp]], {}).prog.errors[0]).toMatch(/unknown op/);
  });

  test('opLabel', () => {
    expect(thread('Racq x r0; Wrel y=r0+1 ctrl(r0); dmb.st; faarel c -1').map(opLabel)).toEqual([
      'ldar r0=[x]',
      'stlr [y]=r0+1 ctrl(r0)',
      'dmb st',
      'faa.release _=[c]+=-1',
    ]);
  });
});

describe('enumeration scale (dedup + partial-order reduction keep it small)', () => {
  const t4 = [
    thread('W x=1; dmb.st; W y=1; R y r0; W z=r0'),
    thread('R y r0; W w=r0; R w r1; R x r2 addr(r1); R z r3'),
    thread('W x=2; W z=2; dmb.sy; R y r0; R w r1'),
    thread('Racq z r0; R x r1; W y=2; dmb.sy; R y r2'),
  ];
  test('4 threads x 5 ops: reduction explores fewer states and finds the same outcomes', () => {
    const a = enumerateOutcomes(t4, {});
    const b = enumerateOutcomes(t4, {}, { reduce: false });
    expect(a.truncated).toBe(false);
    expect(a.outcomes).toEqual(b.outcomes);
    expect(a.states).toBeLessThan(b.states);
    // Not a timing assertion: a generous bound on the work done.
    expect(a.states).toBeLessThan(200_000);
  });
  test('classic 4-thread shapes are tiny', () => {
    expect(enumerateOutcomes([thread('W x=1'), thread('R x r0; dmb.ld; R y r1'), thread('W y=1'), thread('R y r0; R x r1 addr(r0)')], {}).states).toBeLessThan(200);
  });
  test('maxStates truncates instead of running away', () => {
    const r = enumerateOutcomes([thread('W x=1; W y=1; W z=1'), thread('R x r0; R y r1; R z r2')], {}, { maxStates: 10, reduce: false });
    expect(r.truncated).toBe(true);
    expect(r.states).toBeLessThanOrEqual(10);
  });
});
