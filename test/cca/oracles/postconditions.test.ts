// Declarative postconditions: on SUCCESS exactly the footprint changes, as the reference says; the
// expected values below come from the reference (§3-§6), not from the model. Each test-local fault
// (a missing scrub, a wrong RIPAS left behind, a write outside the footprint, an entry that ignores a
// flag, a CPU_ON reset without the context id, a wrong output) is caught; the faithful model is not.

import { describe, expect, test } from 'vitest';
import { faithful } from '../../../real/cca/faithful';
import type { Spec } from '../../../real/cca/spec';
import { RealState, Rd, Rec, Rtt, RttEntry, granuleAt, withGranule } from '../../../real/cca/state';
import { writeWords } from '../../../real/cca/memory';
import { walkTo } from '../../../properties/cca/oracles/world';
import { ATTR_RW, DATA_E, IPA_C, IPA_EMPTY, L3, NS_RW, RD, REC0, REC1, ROOT, RUN, SPARE, delegate, enter, smc, tryEnter, world } from '../realm/helpers';
import { afterEffect, ofProperty, violations, withCommand } from './helpers';
import { createRealm, machine } from '../fixtures';

const post = (m: ReturnType<typeof world>) => ofProperty(violations(m), 'Postcondition');
const hx = (v: number) => '0x' + v.toString(16);

function caughtAndFaithfulClean(spec: Spec, drive: (m: ReturnType<typeof world>) => void, opts: Parameters<typeof world>[0] = {}) {
  const bad = world({ ...opts, spec });
  drive(bad);
  const good = world({ ...opts, spec: faithful });
  drive(good);
  expect(violations(good, faithful)).toEqual([]);
  return post(bad);
}

describe('faults the Postcondition oracle catches', () => {
  test('a missing scrub: DATA_DESTROY returns the DATA granule to DELEGATED with its content', () => {
    const spec = withCommand(faithful, 'DATA_DESTROY', (c) => ({ ...c, effect: (ctx, sp) => c.effect(ctx, { ...sp, scrub: (x) => x }) }));
    const vs = caughtAndFaithfulClean(spec, (m) => m.rmi('DATA_DESTROY', [RD, IPA_C]));
    expect(vs[0]).toMatchObject({ component: `DATA_DESTROY granule ${hx(0x7000)}`, detail: 'is not zero (not scrubbed)' });
  });

  /** DATA_CREATE_UNKNOWN, then `f` rewrites the entries of the table holding the mapped entry (its index given). */
  const dataCreateThen = (f: (entries: RttEntry[], index: number) => void) =>
    afterEffect(faithful, 'DATA_CREATE_UNKNOWN', (_b, s, x) => {
      const w = walkTo(s, granuleAt(s, Number(x[0])).content as never, Number(x[2]), 3);
      const g = granuleAt(s, w.rtt);
      const t = g.content as Rtt;
      const entries = t.entries.slice();
      f(entries, w.index);
      return withGranule(s, w.rtt, { ...g, content: { ...t, entries } });
    });

  test('a wrong state left behind: DATA_CREATE_UNKNOWN maps an EMPTY IPA as RAM', () => {
    const spec = dataCreateThen((entries, i) => (entries[i] = { ...entries[i], ripas: 'RAM' }));
    const vs = caughtAndFaithfulClean(spec, (m) => {
      delegate(m, SPARE[0]);
      m.rmi('DATA_CREATE_UNKNOWN', [RD, SPARE[0], IPA_EMPTY]);
    });
    // Caught at its first use, in the world's setup: DATA_E mapped at IPA_AEMPTY (0x6000, entry 6), which was EMPTY.
    expect(vs[0]).toMatchObject({ component: `DATA_CREATE_UNKNOWN granule ${hx(L3)}`, detail: `entry 6 is ASSIGNED/RAM ${hx(DATA_E)}, expected ASSIGNED/EMPTY ${hx(DATA_E)}` });
  });

  test('a write beside the entry: DATA_CREATE_UNKNOWN also rewrites the next entry of the same table', () => {
    const spec = dataCreateThen((entries, i) => {
      const e = entries[i + 1];
      entries[i + 1] = e.hipas === 'UNASSIGNED' ? { ...e, ripas: e.ripas === 'RAM' ? 'EMPTY' : 'RAM' } : { hipas: 'UNASSIGNED', ripas: 'DESTROYED', addr: 0, attrs: 0n };
    });
    const vs = caughtAndFaithfulClean(spec, (m) => {
      delegate(m, SPARE[0]);
      m.rmi('DATA_CREATE_UNKNOWN', [RD, SPARE[0], IPA_EMPTY]);
    });
    // Caught at its first use, in the world's setup: DATA_E mapped at entry 6, and entry 7 rewritten.
    expect(vs[0]).toMatchObject({ component: `DATA_CREATE_UNKNOWN granule ${hx(L3)}` });
    expect(vs[0].detail).toMatch(/^entry 7 is /);
  });

  test('a root left wrong: REALM_CREATE fills its root RTT with UNASSIGNED/EMPTY beyond the PAR too', () => {
    const spec = afterEffect(faithful, 'REALM_CREATE', (_b, s, x) => {
      const rd = granuleAt(s, Number(x[0])).content as Rd;
      const g = granuleAt(s, rd.rttBase);
      const t = g.content as Rtt;
      const empty = t.entries[0]; // one object in every entry, as a table filled with one value has
      return withGranule(s, rd.rttBase, { ...g, content: { ...t, entries: t.entries.map(() => empty) } });
    });
    // A realm alone (the world's later commands need the unprotected half).
    const [bad, good] = [machine(spec), machine(faithful)];
    createRealm(bad);
    createRealm(good);
    expect(violations(good, faithful)).toEqual([]);
    const vs = ofProperty(violations(bad), 'Postcondition');
    // s2sz 32 at start level 1: entries 0-1 (IPA 0-2 GB) are the PAR, entry 2 on must be UNASSIGNED_NS.
    expect(vs[0]).toMatchObject({ component: `REALM_CREATE granule ${hx(ROOT)}`, detail: 'entry 2 is UNASSIGNED/EMPTY, expected UNASSIGNED_NS' });
  });

  test('a write outside the footprint: RTT_MAP_UNPROTECTED also writes into the NS page it maps', () => {
    const spec = afterEffect(faithful, 'RTT_MAP_UNPROTECTED', (_b, s, x) => writeWords(s, Number(x[3] & ~0xfffn), 0, [x[3]]));
    const vs = caughtAndFaithfulClean(spec, (m) => m.rmi('RTT_MAP_UNPROTECTED', [RD, 0x8000_4000, 3, BigInt(SPARE[5]) | ATTR_RW]));
    // Caught at its first use, in the world's setup: mapping NS_RW at IPA_NS_RW wrote into NS_RW.
    expect(vs[0]).toMatchObject({ component: `RTT_MAP_UNPROTECTED granule ${hx(NS_RW)}`, detail: 'changed outside the footprint: UNDELEGATED -> UNDELEGATED, content changed' });
  });

  test('an entry that ignores a flag: REC_ENTER does not trap WFI when the host asks', () => {
    const spec: Spec = { ...faithful, enterRec: (s, cpu, rec, run, e) => faithful.enterRec(s, cpu, rec, run, { ...e, flags: e.flags & ~4n }) };
    const vs = caughtAndFaithfulClean(spec, (m) => tryEnter(m, REC0, RUN, { flags: 4n }));
    expect(vs[0]).toMatchObject({ component: `REC_ENTER granule ${hx(REC0)}`, detail: 'trapWfi: false, expected true' });
  });

  test('a CPU_ON reset without the context id in X0', () => {
    const spec = afterEffect(faithful, 'PSCI_COMPLETE', (_b, s, x) => {
      const g = granuleAt(s, Number(x[1]));
      const r = g.content as Rec;
      return withGranule(s, Number(x[1]), { ...g, content: { ...r, regs: [0n, ...r.regs.slice(1)] } });
    });
    const vs = caughtAndFaithfulClean(spec, (m) => {
      enter(m, REC0, RUN);
      smc(m, [0xc4000003n, 1n, 0x1000n, 0x77n]); // CPU_ON MPIDR 1, entry 0x1000, context 0x77
      m.rmi('PSCI_COMPLETE', [REC0, REC1, 0]);
    }, { rec1: 'off' });
    expect(vs[0]).toMatchObject({ component: `PSCI_COMPLETE granule ${hx(REC1)}`, detail: 'the reset target does not have X0 = context_id and X1-X30 = 0' });
  });

  test('a wrong output: DATA_DESTROY reports top = 0', () => {
    const spec = withCommand(faithful, 'DATA_DESTROY', (c) => ({ ...c, effect: (ctx, sp) => ({ ...c.effect(ctx, sp), x: [0x7000n, 0n] }) }));
    const vs = caughtAndFaithfulClean(spec, (m) => m.rmi('DATA_DESTROY', [RD, IPA_C]));
    // top: the next entry with a PA after 0x3000 in the L3 table is IPA_URAM's neighbour 0x6000 (ASSIGNED EMPTY).
    expect(vs[0]).toMatchObject({ component: 'DATA_DESTROY X2', detail: 'is 0x0, expected 0x6000' });
  });
});

test('the state types used here are the model\'s own (a sanity check of the fault helpers)', () => {
  const s: RealState = world().state;
  expect(granuleAt(s, RD).state).toBe('RD');
});
