// Per-IPA RIPAS/HIPAS transitions: what a walk gives for every IPA, before and after each step,
// against the transitions the reference allows (§5 fold/unfold/destroy, §8.8). Faults in whichever
// entry holds an IPA are caught: a table destroyed back to the wrong RIPAS, a fold that loses the
// host's attributes, an unfold that forgets DESTROYED. Fold then unfold (and back) preserve every IPA.

import { describe, expect, test } from 'vitest';
import { faithful } from '../../../real/cca/faithful';
import type { Spec } from '../../../real/cca/spec';
import { RealState, Rd, Rtt, RttEntry, granuleAt, withGranule } from '../../../real/cca/state';
import { walkTo } from '../../../properties/cca/oracles/world';
import { ATTR_RW, RD, SPARE, delegate, world } from '../realm/helpers';
import { afterEffect, ofProperty, violations } from './helpers';

/** Rewrites the entry the walk of (rd, ipa) to `level` ends at. */
function rewrite(s: RealState, rd: bigint, ipa: bigint, level: number, f: (e: RttEntry) => RttEntry): RealState {
  const w = walkTo(s, granuleAt(s, Number(rd)).content as Rd, Number(ipa), level);
  const g = granuleAt(s, w.rtt);
  const t = g.content as Rtt;
  const entries = t.entries.slice();
  entries[w.index] = f(entries[w.index]);
  return withGranule(s, w.rtt, { ...g, content: { ...t, entries } });
}
const ipaViolations = (m: ReturnType<typeof world>) => ofProperty(violations(m), 'IpaTransition');
const L3_NEW = 0x20_0000;
const NS_BLOCK = 0x8020_0000;

function destroyRam(spec: Spec) {
  const m = world({ spec, activate: false });
  delegate(m, SPARE[0]);
  m.rmi('RTT_CREATE', [RD, SPARE[0], L3_NEW, 3]);
  m.rmi('RTT_INIT_RIPAS', [RD, L3_NEW, L3_NEW + 0x1000]);
  m.rmi('RTT_DESTROY', [RD, L3_NEW, 3]);
  return m;
}
function foldNsBlock(spec: Spec) {
  const m = world({ spec });
  m.rmi('RTT_MAP_UNPROTECTED', [RD, NS_BLOCK, 2, 0x20_0000n | ATTR_RW]);
  delegate(m, SPARE[0]);
  m.rmi('RTT_CREATE', [RD, SPARE[0], NS_BLOCK, 3]); // unfold the block into 512 pages
  m.rmi('RTT_FOLD', [RD, NS_BLOCK, 3]); // and fold it back
  delegate(m, SPARE[1]);
  m.rmi('RTT_CREATE', [RD, SPARE[1], NS_BLOCK, 3]); // and unfold again
  return m;
}
function unfoldDestroyed(spec: Spec) {
  const m = world({ spec, activate: false });
  delegate(m, SPARE[0], SPARE[1]);
  m.rmi('RTT_CREATE', [RD, SPARE[0], L3_NEW, 3]);
  m.rmi('RTT_DESTROY', [RD, L3_NEW, 3]); // the 2 MB range is now UNASSIGNED/DESTROYED in the level-2 table
  m.rmi('RTT_CREATE', [RD, SPARE[1], L3_NEW, 3]); // unfold: 512 DESTROYED pages
  return m;
}

describe('the faithful model: fold/unfold preserve every IPA, destroy leaves DESTROYED', () => {
  test.each([['RTT_DESTROY of a table with a RAM page', destroyRam], ['NS block: unfold, fold, unfold', foldNsBlock], ['unfold of a DESTROYED entry', unfoldDestroyed]])('%s', (_n, drive) => {
    const m = drive(faithful);
    expect(m.log.filter((l) => l.obs.kind === 'rmi').slice(-3).map((l) => (l.obs as { status: { status: string } }).status.status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
    expect(violations(m)).toEqual([]);
  });
});

describe('faults the per-IPA oracle catches, whatever entry holds the IPA', () => {
  test('a table destroyed back to an entry with the wrong RIPAS (EMPTY, not DESTROYED)', () => {
    const spec = afterEffect(faithful, 'RTT_DESTROY', (_b, s, x) => rewrite(s, x[0], x[1], Number(x[2]) - 1, (e) => ({ ...e, ripas: 'EMPTY' })));
    const [v] = ipaViolations(destroyRam(spec));
    expect(v).toMatchObject({ component: 'realm 0x1000 ipa [0x200000, 0x201000)', detail: 'UNASSIGNED/RAM -> UNASSIGNED/EMPTY by RTT_DESTROY: RTT_DESTROY leaves the protected IPAs of a non-live table UNASSIGNED/DESTROYED (A5.5.9)' });
  });

  test('a fold that loses the host\'s attributes', () => {
    const spec = afterEffect(faithful, 'RTT_FOLD', (_b, s, x) => rewrite(s, x[0], x[1], Number(x[2]) - 1, (e) => ({ ...e, attrs: 0n })));
    const [v] = ipaViolations(foldNsBlock(spec));
    expect(v).toMatchObject({ component: 'realm 0x1000 ipa [0x80200000, 0x80400000)', detail: 'ASSIGNED_NS pa 0x200000 attrs 0xd4 -> ASSIGNED_NS pa 0x200000 attrs 0x0 by RTT_FOLD: RTT_FOLD may not change this IPA range' });
  });

  test('an unfold that changes DESTROYED pages to EMPTY without the realm\'s consent', () => {
    const spec = afterEffect(faithful, 'RTT_CREATE', (_b, s, x) => {
      const g = granuleAt(s, Number(x[1]));
      const t = g.content as Rtt;
      return withGranule(s, Number(x[1]), { ...g, content: { ...t, entries: t.entries.map((e) => (e.ripas === 'DESTROYED' ? { ...e, ripas: 'EMPTY' } : e)) } });
    });
    const [v] = ipaViolations(unfoldDestroyed(spec));
    expect(v).toMatchObject({ component: 'realm 0x1000 ipa [0x200000, 0x400000)', detail: 'UNASSIGNED/DESTROYED -> UNASSIGNED/EMPTY by RTT_CREATE: RTT_CREATE may not change this IPA range' });
  });
});
