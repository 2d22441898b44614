// Paper Figure 4: the REC list bookkeeping. Exhaustive exploration of REC_DESTROY racing with
// REALM_DESTROY shows the missing-barrier bug (counter seen as 0 while the REC's slot is still set)
// and that the fix removes it.
import { describe, expect, test } from 'vitest';
import { enumerateOutcomes, formatOutcome, type Outcome } from '../../../real/shared/weakmem/executor';
import { realmDestroy, recCreate, recDestroy, recLocs, REC_REGS } from '../../../real/cca/weakmem/recBookkeeping';

const L = recLocs('rd');
const REC = 0x100n;

/** (count read by REALM_DESTROY, slot 0 read by REALM_DESTROY). */
function destroyRace(opts: { barrier: boolean; fix?: 'release' | 'dmb'; acquire?: boolean }): string[] {
  const init = { [L.count]: 1, [L.slot(0)]: REC, [L.rdLock]: 0, [L.recLock(0)]: 0 };
  const r = enumerateOutcomes([recDestroy({ slot: 0, barrier: opts.barrier, ...(opts.fix ? { fix: opts.fix } : {}) }), realmDestroy({ slots: 1, ...(opts.acquire !== undefined ? { acquire: opts.acquire } : {}) })], init, {
    keys: [`1:${REC_REGS.destroyCount}`, `1:${REC_REGS.destroySlot(0)}`],
  });
  expect(r.truncated).toBe(false);
  expect(r.stuck).toBe(0);
  return r.outcomes.map(formatOutcome);
}

const GOOD = ['{1:count=0,1:slot0=0}', '{1:count=1,1:slot0=0}', '{1:count=1,1:slot0=256}'];
const BAD = '{1:count=0,1:slot0=256}'; // counter says no RECs, but the list still holds one

describe('REC_DESTROY vs REALM_DESTROY (permutation condition P)', () => {
  test('without the barrier every combination is reachable, including the bad one', () => {
    expect(destroyRace({ barrier: false }).sort()).toEqual([...GOOD, BAD].sort());
  });
  test('with the fix (release decrement) the bad outcome is unreachable', () => {
    expect(destroyRace({ barrier: true }).sort()).toEqual([...GOOD].sort());
  });
  test('with the fix as DMB ST + plain decrement, likewise', () => {
    expect(destroyRace({ barrier: true, fix: 'dmb' }).sort()).toEqual([...GOOD].sort());
  });
  test('the reader side matters too: with a plain counter load + branch, slot loads are speculated', () => {
    // ctrl dependencies do not order later loads on Armv8, so REALM_DESTROY must read the counter
    // with acquire semantics for the fix to be sufficient.
    expect(destroyRace({ barrier: true, acquire: false })).toContain(BAD);
  });
  test('the program shape: REC_DESTROY = lock, (d), [fix], (e), unlock', () => {
    expect(recDestroy({ slot: 0, barrier: false }).map((o) => o.op)).toEqual(['lock', 'store', 'faa', 'unlock']);
    expect(recDestroy({ slot: 0, barrier: true })).toContainEqual({ op: 'faa', loc: L.count, add: -1, order: 'release' });
    expect(recDestroy({ slot: 0, barrier: true, fix: 'dmb' }).map((o) => o.op)).toEqual(['lock', 'store', 'dmb', 'faa', 'unlock']);
  });
});

describe('other Figure 4 races', () => {
  const all = (o: Outcome) => formatOutcome(o);
  test('REC_CREATE and REALM_DESTROY serialise on the RD lock', () => {
    const init = { [L.count]: 0, [L.slot(0)]: 0 };
    const r = enumerateOutcomes([recCreate({ slot: 0, rec: REC }), realmDestroy({ slots: 1 })], init, {
      keys: ['1:count', '1:slot0', L.count, L.slot(0)],
    });
    // either REALM_DESTROY ran first (sees 0/0) or after the create (sees 1/rec)
    expect(r.outcomes.map(all).sort()).toEqual(
      ['{1:count=0,1:slot0=0,rd.count=1,rd.rec_list[0]=256}', '{1:count=1,1:slot0=256,rd.count=1,rd.rec_list[0]=256}'].sort(),
    );
  });
  test('REC_CREATE and REC_DESTROY of different slots: the counter is never lost', () => {
    const init = { [L.count]: 1, [L.slot(1)]: 0x200 };
    const r = enumerateOutcomes([recCreate({ slot: 0, rec: REC }), recDestroy({ slot: 1, barrier: true })], init, {
      keys: [L.count, L.slot(0), L.slot(1)],
    });
    expect(r.outcomes.map(all)).toEqual(['{rd.count=1,rd.rec_list[0]=256,rd.rec_list[1]=0}']);
  });
  test('two REC_DESTROYs of different RECs concurrently: counter reaches 0', () => {
    const init = { [L.count]: 2, [L.slot(0)]: REC, [L.slot(1)]: 0x200 };
    const r = enumerateOutcomes([recDestroy({ slot: 0, barrier: true }), recDestroy({ slot: 1, barrier: true })], init, {
      keys: [L.count, L.slot(0), L.slot(1)],
    });
    expect(r.outcomes.map(all)).toEqual(['{rd.count=0,rd.rec_list[0]=0,rd.rec_list[1]=0}']);
  });
  test('three CPUs: two REC_DESTROYs and REALM_DESTROY, fixed vs buggy', () => {
    const init = { [L.count]: 2, [L.slot(0)]: REC, [L.slot(1)]: 0x200 };
    const bad = (o: Outcome) => o['2:count'] === 0n && (o['2:slot0'] !== 0n || o['2:slot1'] !== 0n);
    const runIt = (barrier: boolean) =>
      enumerateOutcomes([recDestroy({ slot: 0, barrier }), recDestroy({ slot: 1, barrier }), realmDestroy({ slots: 2 })], init, {
        keys: ['2:count', '2:slot0', '2:slot1'],
      });
    const fixed = runIt(true);
    const buggy = runIt(false);
    expect(fixed.outcomes.some(bad)).toBe(false);
    expect(buggy.outcomes.some(bad)).toBe(true);
  });
});
