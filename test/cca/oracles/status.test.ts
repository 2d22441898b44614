// The Status oracle: the failure tables as data (rmm-v1.0.md §6, DEN0137 B4.3.x orderings) evaluated
// on the pre-state. Expected sets below come from the reference, not from the model's output; each
// test-local fault (a wrong code, a missing row, a wrong ERROR_RTT index, a cross-realm target) is
// caught, and the faithful model passes the same traces.

import { describe, expect, test } from 'vitest';
import { faithful } from '../../../real/cca/faithful';
import { rttError, INPUT } from '../../../real/cca/status';
import { allowedResults, tableRows } from '../../../properties/cca/oracles/status';
import { RMI_NAMES } from '../../../real/cca/rmi';
import { DEFAULT_CONFIG } from '../../../real/cca/config';
import { runChecks } from '../engine';
import { IPA_NS_RW, MAX64, PARAMS, RD, REC0, REC_B, ROOT, RUN, SPARE, SRC, delegate, enter, machine, smc, tryEnter, world } from '../realm/helpers';
import { afterEffect, dropRow, ofProperty, violations, withCommand } from './helpers';

const set = (...xs: string[]) => new Set(xs);

describe('the failure tables as data', () => {
  test('one holding condition: its error', () => {
    const m = world();
    expect(allowedResults('REALM_ACTIVATE', m.state, [BigInt(RD)]).allowed).toEqual(set('ERROR_REALM'));
    expect(allowedResults('REALM_ACTIVATE', m.state, [BigInt(RD) + 8n]).allowed).toEqual(set('ERROR_INPUT'));
    expect(allowedResults('RTT_DESTROY', m.state, [BigInt(RD), 0n, 3n]).allowed).toEqual(set('ERROR_RTT/3')); // rtt_live
    expect(allowedResults('GRANULE_DELEGATE', m.state, [BigInt(SPARE[7])]).allowed).toEqual(set('SUCCESS'));
  });

  test('unordered conditions: any of their errors (RTT_CREATE: rtt_state and rtt_walk have no ordering)', () => {
    const m = world();
    // rtt not DELEGATED (it is UNDELEGATED) and the walk to level 2 for ipa 1 GB stops at level 1.
    const r = allowedResults('RTT_CREATE', m.state, [BigInt(RD), BigInt(SPARE[7]), 1n << 30n, 3n]);
    expect(r.allowed).toEqual(set('ERROR_INPUT', 'ERROR_RTT/1'));
    expect(r.holding).toEqual(['rtt_state', 'rtt_walk']);
  });

  test('ordered conditions: only the first (ipa_bound < rtt_walk; run_pas < realm_new; [rd_*] < realm_state)', () => {
    const m = world({ activate: false });
    expect(allowedResults('DATA_CREATE_UNKNOWN', m.state, [BigInt(RD), BigInt(SPARE[7]), BigInt(IPA_NS_RW)]).allowed).toEqual(set('ERROR_INPUT'));
    // REC_ENTER: the realm is NEW and the run granule is a DELEGATED granule: run_pas comes first.
    delegate(m, SPARE[6]);
    expect(allowedResults('REC_ENTER', m.state, [BigInt(REC0), BigInt(SPARE[6])]).allowed).toEqual(set('ERROR_INPUT'));
    expect(allowedResults('REC_ENTER', m.state, [BigInt(REC0), BigInt(RUN)]).allowed).toEqual(set('ERROR_REALM'));
    expect(allowedResults('RTT_READ_ENTRY', m.state, [MAX64, 0n, 3n]).allowed).toEqual(set('ERROR_INPUT'));
  });
});

test('REALM_CREATE reads its parameters at their widths (issue 14 §4, TF-RMM): num_bps 0 is reserved; the VMID is 16-bit', () => {
  const m = machine();
  delegate(m, RD, ROOT);
  const params = { s2sz: 32n, rttLevelStart: 1n, rttNumStart: 1n, rttBase: BigInt(ROOT) };
  m.writeRealmParams(PARAMS, { ...params, vmid: 0x1_0001n });
  expect(allowedResults('REALM_CREATE', m.state, [BigInt(RD), BigInt(PARAMS)]).allowed).toEqual(set('SUCCESS'));
  m.writeRealmParams(PARAMS, { ...params, vmid: 1n, numBps: 0n });
  expect(allowedResults('REALM_CREATE', m.state, [BigInt(RD), BigInt(PARAMS)])).toEqual({ allowed: set('ERROR_INPUT'), holding: ['params_supp'] });
});

describe('faults the Status oracle catches (the faithful model passes the same trace)', () => {
  const status = (m: ReturnType<typeof world>) => ofProperty(violations(m), 'Status');

  test('a wrong error code: REALM_ACTIVATE of an active realm returns ERROR_INPUT', () => {
    const spec = withCommand(faithful, 'REALM_ACTIVATE', (c) => ({ ...c, failures: c.failures.map((f) => (f.name === 'realm_state' ? { ...f, error: INPUT } : f)) }));
    const m = world({ spec });
    m.rmi('REALM_ACTIVATE', [RD]);
    const [v] = status(m);
    expect(v).toMatchObject({ step: m.log.length - 1, component: 'REALM_ACTIVATE realm_state', detail: 'returned ERROR_INPUT; the failure table allows ERROR_REALM' });
    expect(violations(m, faithful)).toEqual([]);
  });

  test('a missing row: RTT_DESTROY of a live table succeeds', () => {
    const m = world({ spec: dropRow(faithful, 'RTT_DESTROY', 'rtt_live') });
    expect(m.status('RTT_DESTROY', [RD, 0, 3])?.status).toBe('SUCCESS');
    expect(status(m)[0]).toMatchObject({ component: 'RTT_DESTROY rtt_live', detail: 'returned SUCCESS; the failure table allows ERROR_RTT/3' });
  });

  test('a wrong ERROR_RTT index: DATA_CREATE reports level 3 where the walk stopped at level 2', () => {
    const spec = withCommand(faithful, 'DATA_CREATE', (c) => ({ ...c, failures: c.failures.map((f) => (f.name === 'rtt_walk' ? { ...f, error: rttError(3) } : f)) }));
    for (const [sp, expected] of [[spec, 1], [faithful, 0]] as const) {
      const m = world({ spec: sp, activate: false });
      delegate(m, SPARE[0]);
      expect(m.status('DATA_CREATE', [RD, SPARE[0], 0x20_0000, SRC, 0])).toEqual(rttError(sp === spec ? 3 : 2));
      expect(status(m)).toHaveLength(expected);
    }
  });

  test('a dropped entry check: REC_ENTER accepts a GIC state with En set', () => {
    const m = world({ spec: dropRow(faithful, 'REC_ENTER', 'rec_gicv3') });
    tryEnter(m, REC0, RUN, { gicHcr: 1n });
    expect(status(m)[0]).toMatchObject({ component: 'REC_ENTER rec_gicv3', detail: 'returned SUCCESS; the failure table allows ERROR_REC' });
  });

  test('a cross-realm target: PSCI_COMPLETE answers REC0 about a REC of another realm', () => {
    const spec = dropRow(faithful, 'PSCI_COMPLETE', 'target_realm', 'target_mpidr');
    const m = world({ spec, realmB: true, rec1: 'off' });
    enter(m, REC0, RUN);
    smc(m, [0xc4000003n, 1n, 0x1000n, 0n]); // CPU_ON MPIDR 1 (REC1)
    expect(m.status('PSCI_COMPLETE', [REC0, REC_B, 0])?.status).toBe('SUCCESS');
    expect(status(m)[0]).toMatchObject({ component: 'PSCI_COMPLETE owner, target', detail: 'returned SUCCESS; the failure table allows ERROR_INPUT' });
  });

  test('an effect-side fault is not the Status oracle\'s: the status is right, nothing reported here', () => {
    const m = world({ spec: afterEffect(faithful, 'REALM_ACTIVATE', (_b, a) => a) });
    m.rmi('REALM_ACTIVATE', [RD]);
    expect(status(m)).toEqual([]);
  });
});

test.each(RMI_NAMES)('%s: every row the table orders against is a row of it, and a row needs only rows before it', (name) => {
  // (A misspelt id would block its row for ever, or drop an ordering, without any other sign.)
  const rows = tableRows(name, world().state, [BigInt(RD), BigInt(SPARE[7]), 0n, 3n]);
  const ids = rows.map((r) => r.id);
  expect(new Set(ids).size).toBe(ids.length);
  rows.forEach((r, i) => {
    for (const n of r.needs) expect(ids.slice(0, i)).toContain(n);
    for (const a of r.after) expect(ids).toContain(a);
  });
});

describe('the faithful model', () => {
  test('pinned seeds: every RMI result of random traces is one the failure tables allow', () => {
    for (const seed of [11, 12]) {
      const r = runChecks({ spec: faithful, config: DEFAULT_CONFIG, runs: 60, steps: 100, seed });
      expect(r.counterexample?.failing.violations ?? []).toEqual([]);
    }
  }, 300_000);
});
