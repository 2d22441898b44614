// RTT_INIT_RIPAS and RTT_SET_RIPAS (reference §5, §6, §8.7-8): failure rows, Ordered pairs, effects.
// RTT_SET_RIPAS needs a REC with a pending RIPAS change (RSI_IPA_STATE_SET from a running realm);
// the rows reachable without one are tested here, the rest in test/realm/ripas.test.ts.

import { describe, expect, test } from 'vitest';
import {
  AUX, AUX2, BEYOND, DATA, GB1, IPA_LIMIT, KB4, L2A, L3A, L3B, MB2, MMIO, Machine, PAR, RD, RD2, REC, REC2, RIPAS, ROOT,
  ROOT2, RTTE, RUN, SECURE, SPARE, U64_MAX, UNDELEGATED, createRealm, createRec, dataCreate, dataCreateUnknown, delegate,
  expectFail, expectOk, machine, readEntry, realmWithL3, realmWithRec, rim, rttCreate, rttEntries,
} from './fixtures-rtt';
import { rdOf } from '../../../real/cca/state';

type Arg = bigint | number;
const withArg = (args: Arg[], i: number, v: Arg): Arg[] => args.map((a, j) => (j === i ? v : a));
interface RowCase { row: string; what: string; i: number; v: Arg }

const rdRows = (i: number): RowCase[] => [
  { row: 'rd_align', what: 'rd + 8', i, v: RD + 8 },
  { row: 'rd_bound', what: 'MMIO granule', i, v: MMIO },
  { row: 'rd_bound', what: 'first PA past the PA range', i, v: BEYOND },
  { row: 'rd_state', what: 'UNDELEGATED', i, v: UNDELEGATED },
  { row: 'rd_state', what: 'an RTT (the root)', i, v: ROOT },
];

function realm(): Machine {
  const m = machine();
  createRealm(m);
  return m;
}

// ---------------------------------------------------------------------------------------------
describe('RTT_INIT_RIPAS failure rows', () => {
  const valid: Arg[] = [RD, 0, KB4];
  const cases: RowCase[] = [
    { row: 'size_valid', what: 'top = base', i: 2, v: 0 },
    { row: 'size_valid', what: 'top < base (base 2^64-1, top 0)', i: 1, v: U64_MAX },
    ...rdRows(0),
    { row: 'base_gran_align', what: 'base = 8', i: 1, v: 8 },
    { row: 'top_gran_align', what: 'top = 4K + 1', i: 2, v: KB4 + 1 },
    { row: 'top_gran_align', what: 'top = 2^64-1 (also out of the PAR: alignment first)', i: 2, v: U64_MAX },
    { row: 'top_bound', what: 'top = 2^(w-1) + 4K', i: 2, v: PAR + KB4 },
    { row: 'top_bound', what: 'top = 2^w', i: 2, v: IPA_LIMIT },
    { row: 'top_bound', what: 'top = 2^64 - 4K', i: 2, v: U64_MAX - 0xfffn },
  ];
  test.each(cases)('$row: $what', ({ row, i, v }) => {
    const m = realmWithL3();
    expectFail(m, 'RTT_INIT_RIPAS', withArg(valid, i, v), 'ERROR_INPUT', 0, row);
  });

  test('size_valid: top < base with both valid otherwise', () => {
    const m = realmWithL3();
    expectFail(m, 'RTT_INIT_RIPAS', [RD, 2 * KB4, KB4], 'ERROR_INPUT', 0, 'size_valid');
  });

  test('base_gran_align: base unaligned and top unaligned → base first', () => {
    const m = realmWithL3();
    expectFail(m, 'RTT_INIT_RIPAS', [RD, 1, KB4 + 1], 'ERROR_INPUT', 0, 'base_gran_align');
  });

  test('row order where two rows hold at once', () => {
    const m = realmWithL3();
    expectFail(m, 'RTT_INIT_RIPAS', [RD + 8, KB4, KB4], 'ERROR_INPUT', 0, 'size_valid');
    expectFail(m, 'RTT_INIT_RIPAS', [U64_MAX, 0, KB4], 'ERROR_INPUT', 0, 'rd_align');
    expectFail(m, 'RTT_INIT_RIPAS', [UNDELEGATED, 8, KB4], 'ERROR_INPUT', 0, 'rd_state');
    expectOk(m, 'REALM_ACTIVATE', [RD]);
    expectFail(m, 'RTT_INIT_RIPAS', [RD, 0, PAR + KB4], 'ERROR_INPUT', 0, 'top_bound'); // before realm_state
    expectFail(m, 'RTT_INIT_RIPAS', [RD, MB2 + KB4, MB2 + 2 * KB4], 'ERROR_REALM', 0, 'realm_state'); // before base_align (walk at level 2)
  });

  test('top_bound: base also outside the PAR', () => {
    const m = realmWithL3();
    expectFail(m, 'RTT_INIT_RIPAS', [RD, PAR, PAR + KB4], 'ERROR_INPUT', 0, 'top_bound');
  });

  test('realm_state: ACTIVE → ERROR_REALM', () => {
    const m = realmWithL3();
    expectOk(m, 'REALM_ACTIVATE', [RD]);
    expectFail(m, 'RTT_INIT_RIPAS', valid, 'ERROR_REALM', 0, 'realm_state');
  });

  test('base_align: base not aligned to the level where the walk stops → ERROR_RTT(level)', () => {
    const m = realm();
    expectFail(m, 'RTT_INIT_RIPAS', [RD, KB4, 2 * KB4], 'ERROR_RTT', 1, 'base_align');
    expectFail(m, 'RTT_INIT_RIPAS', [RD, MB2, GB1], 'ERROR_RTT', 1, 'base_align');
    rttCreate(m, RD, L2A, 0, 2);
    expectFail(m, 'RTT_INIT_RIPAS', [RD, KB4, 2 * KB4], 'ERROR_RTT', 2, 'base_align');
  });

  test('no_progress: the first entry is ASSIGNED → ERROR_RTT(3)', () => {
    const m = realmWithL3();
    dataCreateUnknown(m, RD, DATA, 0);
    expectFail(m, 'RTT_INIT_RIPAS', [RD, 0, MB2], 'ERROR_RTT', 3, 'no_progress');
  });

  test('no_progress: the first entry is UNASSIGNED/DESTROYED → ERROR_RTT(3)', () => {
    const m = realmWithL3();
    dataCreate(m, RD, DATA, 0);
    expectOk(m, 'DATA_DESTROY', [RD, 0]);
    expectFail(m, 'RTT_INIT_RIPAS', [RD, 0, KB4], 'ERROR_RTT', 3, 'no_progress');
  });

  test('no_progress: the first entry does not fit below top (no splitting) → ERROR_RTT(level)', () => {
    const m = realm();
    expectFail(m, 'RTT_INIT_RIPAS', [RD, 0, MB2], 'ERROR_RTT', 1, 'no_progress');
    expectFail(m, 'RTT_INIT_RIPAS', [RD, 0, GB1 - KB4], 'ERROR_RTT', 1, 'no_progress');
    rttCreate(m, RD, L2A, 0, 2);
    expectFail(m, 'RTT_INIT_RIPAS', [RD, 0, MB2 - KB4], 'ERROR_RTT', 2, 'no_progress');
  });

  test('Ordered: top_gran_align before no_progress', () => {
    const m = realmWithL3();
    dataCreateUnknown(m, RD, DATA, 0);
    expectFail(m, 'RTT_INIT_RIPAS', [RD, 0, KB4], 'ERROR_RTT', 3, 'no_progress'); // no progress here…
    expectFail(m, 'RTT_INIT_RIPAS', [RD, 0, KB4 + 8], 'ERROR_INPUT', 0, 'top_gran_align'); // …but an unaligned top wins
    expectFail(m, 'RTT_INIT_RIPAS', [RD, 0, MB2 - 1], 'ERROR_INPUT', 0, 'top_gran_align');
  });
});

describe('RTT_INIT_RIPAS success', () => {
  test('UNASSIGNED/EMPTY → RAM for the entries below top; X1 = new top; RIM extended', () => {
    const m = realmWithL3();
    const rim0 = rim(m);
    const obs = expectOk(m, 'RTT_INIT_RIPAS', [RD, 0, 4 * KB4]);
    expect(obs.x).toEqual([BigInt(4 * KB4), 0n, 0n, 0n]);
    for (let i = 0; i < 4; i++) expect(readEntry(m, RD, i * KB4, 3)).toEqual([3n, RTTE.UNASSIGNED, 0n, RIPAS.RAM]);
    expect(readEntry(m, RD, 4 * KB4, 3)).toEqual([3n, RTTE.UNASSIGNED, 0n, RIPAS.EMPTY]);
    expect(rim(m)).not.toBe(rim0);
    expect(rdOf(m.state, RD).measurements.slice(1)).toEqual([0n, 0n, 0n, 0n]);
  });

  test('stops at an ASSIGNED entry (which keeps its RIPAS)', () => {
    const m = realmWithL3();
    dataCreateUnknown(m, RD, DATA, 5 * KB4); // ASSIGNED/EMPTY
    expect(expectOk(m, 'RTT_INIT_RIPAS', [RD, 0, MB2]).x[0]).toBe(BigInt(5 * KB4));
    expect(readEntry(m, RD, 4 * KB4, 3)[3]).toBe(RIPAS.RAM);
    expect(readEntry(m, RD, 5 * KB4, 3)).toEqual([3n, RTTE.ASSIGNED, BigInt(DATA), RIPAS.EMPTY]);
    expect(readEntry(m, RD, 6 * KB4, 3)[3]).toBe(RIPAS.EMPTY);
  });

  test('stops at an UNASSIGNED/DESTROYED entry (DESTROYED is never turned into RAM by the host)', () => {
    const m = realmWithL3();
    dataCreate(m, RD, DATA, 3 * KB4);
    expectOk(m, 'DATA_DESTROY', [RD, 3 * KB4]);
    expect(expectOk(m, 'RTT_INIT_RIPAS', [RD, 0, MB2]).x[0]).toBe(BigInt(3 * KB4));
    expect(readEntry(m, RD, 3 * KB4, 3)[3]).toBe(RIPAS.DESTROYED);
  });

  test('level-2 entries without splitting, stopping at a TABLE entry', () => {
    const m = realm();
    rttCreate(m, RD, L2A, 0, 2);
    rttCreate(m, RD, L3B, 3 * MB2, 3);
    const obs = expectOk(m, 'RTT_INIT_RIPAS', [RD, 0, GB1]);
    expect(obs.x[0]).toBe(BigInt(3 * MB2));
    for (let i = 0; i < 3; i++) expect(readEntry(m, RD, i * MB2, 2)).toEqual([2n, RTTE.UNASSIGNED, 0n, RIPAS.RAM]);
    expect(readEntry(m, RD, 3 * MB2, 2)).toEqual([2n, RTTE.TABLE, BigInt(L3B), 0n]);
    expect(rttEntries(m, L3B).every((e) => e.ripas === 'EMPTY')).toBe(true); // no descent into the table
  });

  test('an entry that would cross top is not processed: X1 stops before it', () => {
    const m = realm();
    rttCreate(m, RD, L2A, 0, 2);
    expect(expectOk(m, 'RTT_INIT_RIPAS', [RD, 0, MB2 + KB4]).x[0]).toBe(BigInt(MB2));
    expect(readEntry(m, RD, MB2, 2)[3]).toBe(RIPAS.EMPTY);
  });

  test('stops at the end of the RTT', () => {
    const m = realmWithL3();
    expect(expectOk(m, 'RTT_INIT_RIPAS', [RD, MB2 - 2 * KB4, GB1]).x[0]).toBe(BigInt(MB2));
    expect(readEntry(m, RD, MB2 - KB4, 3)[3]).toBe(RIPAS.RAM);
    expect(readEntry(m, RD, MB2, 2)).toEqual([2n, RTTE.UNASSIGNED, 0n, RIPAS.EMPTY]);
  });

  test('root entries, with top exactly at the PAR boundary 2^(w-1)', () => {
    const m = realm();
    expect(expectOk(m, 'RTT_INIT_RIPAS', [RD, 0, PAR]).x[0]).toBe(BigInt(PAR));
    expect(readEntry(m, RD, 0, 1)).toEqual([1n, RTTE.UNASSIGNED, 0n, RIPAS.RAM]);
    expect(readEntry(m, RD, GB1, 1)).toEqual([1n, RTTE.UNASSIGNED, 0n, RIPAS.RAM]);
    expect(readEntry(m, RD, PAR, 1)).toEqual([1n, RTTE.UNASSIGNED, 0n, RIPAS.EMPTY]); // UNASSIGNED_NS untouched
  });

  test('the last protected granule', () => {
    const m = realm();
    rttCreate(m, RD, L2A, PAR - GB1, 2);
    rttCreate(m, RD, L3A, PAR - MB2, 3);
    expect(expectOk(m, 'RTT_INIT_RIPAS', [RD, PAR - KB4, PAR]).x[0]).toBe(BigInt(PAR));
    expect(readEntry(m, RD, PAR - KB4, 3)).toEqual([3n, RTTE.UNASSIGNED, 0n, RIPAS.RAM]);
  });

  test('UNASSIGNED/RAM entries are passed over (still progress) and measured again', () => {
    const m = realmWithL3();
    expectOk(m, 'RTT_INIT_RIPAS', [RD, 0, 2 * KB4]);
    const r1 = rim(m);
    expect(expectOk(m, 'RTT_INIT_RIPAS', [RD, 0, 3 * KB4]).x[0]).toBe(BigInt(3 * KB4));
    expect(rim(m)).not.toBe(r1);
    expect(readEntry(m, RD, 2 * KB4, 3)[3]).toBe(RIPAS.RAM);
  });

  test('each entry extends the RIM: one call over two entries = two calls over one', () => {
    const a = realmWithL3();
    expectOk(a, 'RTT_INIT_RIPAS', [RD, 0, 2 * KB4]);
    const b = realmWithL3();
    expectOk(b, 'RTT_INIT_RIPAS', [RD, 0, KB4]);
    expectOk(b, 'RTT_INIT_RIPAS', [RD, KB4, 2 * KB4]);
    expect(rim(a)).toBe(rim(b));
    const c = realmWithL3();
    expectOk(c, 'RTT_INIT_RIPAS', [RD, KB4, 2 * KB4]);
    const d = realmWithL3();
    expectOk(d, 'RTT_INIT_RIPAS', [RD, 0, KB4]);
    expect(rim(c)).not.toBe(rim(d)); // the range is measured
  });
});

// ---------------------------------------------------------------------------------------------
describe('RTT_SET_RIPAS failure rows reachable without a pending RIPAS request', () => {
  const valid: Arg[] = [RD, REC, 0, KB4];
  const cases: RowCase[] = [
    { row: 'size_valid', what: 'top = base', i: 3, v: 0 },
    { row: 'size_valid', what: 'top < base (base 2^64-1)', i: 2, v: U64_MAX },
    ...rdRows(0),
    { row: 'rd_state', what: 'the REC', i: 0, v: REC },
    { row: 'rec_align', what: 'rec + 8', i: 1, v: REC + 8 },
    { row: 'rec_align', what: 'rec = 2^64-1', i: 1, v: U64_MAX },
    { row: 'rec_bound', what: 'MMIO granule', i: 1, v: MMIO },
    { row: 'rec_bound', what: 'first PA past the PA range', i: 1, v: BEYOND },
    { row: 'rec_state', what: 'UNDELEGATED', i: 1, v: UNDELEGATED },
    { row: 'rec_state', what: 'SECURE granule', i: 1, v: SECURE },
    { row: 'rec_state', what: 'the RD', i: 1, v: RD },
    { row: 'rec_state', what: 'a REC_AUX granule', i: 1, v: AUX[0] },
    { row: 'rec_state', what: 'an RTT', i: 1, v: ROOT },
    // No request pending: the REC's ripas_addr = ripas_top = 0.
    { row: 'top_bound', what: 'base = ripas_addr, top = 4K > ripas_top', i: 3, v: KB4 },
    { row: 'top_bound', what: 'top = 2^64-1', i: 3, v: U64_MAX },
  ];
  test.each(cases)('$row: $what', ({ row, i, v }) => {
    const m = realmWithRec(machine());
    expectFail(m, 'RTT_SET_RIPAS', withArg(valid, i, v), 'ERROR_INPUT', 0, row);
  });

  test('base_bound: base ≠ ripas_addr (4K; 2^(w-1); 2^64 - 8K)', () => {
    const m = realmWithRec(machine());
    expectFail(m, 'RTT_SET_RIPAS', [RD, REC, KB4, 2 * KB4], 'ERROR_INPUT', 0, 'base_bound');
    expectFail(m, 'RTT_SET_RIPAS', [RD, REC, PAR, PAR + KB4], 'ERROR_INPUT', 0, 'base_bound');
    expectFail(m, 'RTT_SET_RIPAS', [RD, REC, U64_MAX - 0x1fffn, U64_MAX], 'ERROR_INPUT', 0, 'base_bound');
  });

  test('row order where two rows hold at once', () => {
    const m = realmWithRec(machine());
    expectFail(m, 'RTT_SET_RIPAS', [RD + 8, REC, KB4, KB4], 'ERROR_INPUT', 0, 'size_valid');
    expectFail(m, 'RTT_SET_RIPAS', [U64_MAX, REC, 0, KB4], 'ERROR_INPUT', 0, 'rd_align');
    expectFail(m, 'RTT_SET_RIPAS', [UNDELEGATED, REC + 8, 0, KB4], 'ERROR_INPUT', 0, 'rd_state');
    expectFail(m, 'RTT_SET_RIPAS', [RD, UNDELEGATED, KB4, 2 * KB4], 'ERROR_INPUT', 0, 'rec_state');
  });

  test('rec_state: a DELEGATED granule', () => {
    const m = realmWithRec(machine());
    delegate(m, SPARE);
    expectFail(m, 'RTT_SET_RIPAS', [RD, SPARE, 0, KB4], 'ERROR_INPUT', 0, 'rec_state');
  });

  test('rec_owner: a REC of another realm → ERROR_REC (both ways)', () => {
    const m = realmWithRec(machine());
    createRealm(m, { rd: RD2, root: ROOT2, vmid: 2n });
    expect(createRec(m, RD2, REC2, AUX2, { mpidr: 0n }).status).toEqual({ status: 'SUCCESS', index: 0 });
    expectFail(m, 'RTT_SET_RIPAS', [RD, REC2, 0, KB4], 'ERROR_REC', 0, 'rec_owner');
    expectFail(m, 'RTT_SET_RIPAS', [RD2, REC, 0, KB4], 'ERROR_REC', 0, 'rec_owner');
    // rec_owner comes before the range rows
    expectFail(m, 'RTT_SET_RIPAS', [RD2, REC, KB4, 2 * KB4], 'ERROR_REC', 0, 'rec_owner');
  });

  test('rec_running: the REC is running on another CPU → ERROR_REC', () => {
    const m = realmWithRec(machine());
    createRealm(m, { rd: RD2, root: ROOT2, vmid: 2n });
    expectOk(m, 'REALM_ACTIVATE', [RD]);
    m.writeRecEntry(RUN, {});
    const enter = m.rmi('REC_ENTER', [REC, RUN], 0);
    expect(enter).toMatchObject({ status: { status: 'SUCCESS', index: 0 }, pending: true });
    const before = m.state;
    const obs = m.rmi('RTT_SET_RIPAS', [RD, REC, 0, KB4], 1);
    expect({ status: obs.status, failed: obs.failed }).toEqual({ status: { status: 'ERROR_REC', index: 0 }, failed: 'rec_running' });
    expect(m.state).toBe(before);
    // Running is checked before ownership.
    const obs2 = m.rmi('RTT_SET_RIPAS', [RD2, REC, 0, KB4], 1);
    expect(obs2.failed).toBe('rec_running');
    expect(m.state).toBe(before);
  });

  test('Ordered: base_bound before base_align', () => {
    const m = realmWithRec(machine());
    // base = 4K: the walk stops at level 1, where 4K is not aligned (base_align would hold).
    expect(readEntry(m, RD, 0, 3)[0]).toBe(1n);
    expectFail(m, 'RTT_SET_RIPAS', [RD, REC, KB4, 2 * KB4], 'ERROR_INPUT', 0, 'base_bound');
    expectFail(m, 'RTT_SET_RIPAS', [RD, REC, MB2, GB1], 'ERROR_INPUT', 0, 'base_bound');
  });

  test('no state change in any realm state: the rows fire the same after activation', () => {
    const m = realmWithRec(machine());
    expectOk(m, 'REALM_ACTIVATE', [RD]);
    expectFail(m, 'RTT_SET_RIPAS', [RD, REC, KB4, 2 * KB4], 'ERROR_INPUT', 0, 'base_bound');
    expectFail(m, 'RTT_SET_RIPAS', [RD, REC, 0, KB4], 'ERROR_INPUT', 0, 'top_bound');
  });

  // The rows and effects that need a pending RIPAS request (a realm's RSI_IPA_STATE_SET) are tested
  // with realm execution in test/realm/ripas.test.ts.
});
