// RTT_CREATE, RTT_DESTROY, RTT_FOLD, RTT_READ_ENTRY (reference §5, §6): every failure row from a
// state built through RMI calls, the Ordered pairs, unfold / fold, and the reported entry states.

import { describe, expect, test } from 'vitest';
import {
  ATTRS, BEYOND, BIG_CONFIG, DATA, DATA2, GB1, GB512, IPA_LIMIT, KB4, L2A, L2B, L2NS, L3A, L3B, L3NS, LEVEL_MINUS_1, MB2,
  MEMATTR_DEVICE, MMIO, Machine, PAR, RD, RIPAS, ROOT, ROOT_END, RTTE, S2AP_RO, SECURE, SPARE, SRC, U64_MAX, UNDELEGATED, G,
  createRealm, dataCreate, dataCreateUnknown, delegate, entryAt, expectFail, expectOk, gst, machine, mapNs, readEntry,
  realmWithL3, refcount, rttCreate, rttEntries, tablesTo3, words,
} from './fixtures-rtt';

type Arg = bigint | number;
const withArg = (args: Arg[], i: number, v: Arg): Arg[] => args.map((a, j) => (j === i ? v : a));
interface RowCase { row: string; what: string; i: number; v: Arg; status?: 'ERROR_INPUT' | 'ERROR_RTT'; index?: number }

const rdRows = (i: number): RowCase[] => [
  { row: 'rd_align', what: 'rd + 8', i, v: RD + 8 },
  { row: 'rd_align', what: 'rd = 2^64-1', i, v: U64_MAX },
  { row: 'rd_bound', what: 'MMIO granule', i, v: MMIO },
  { row: 'rd_bound', what: 'first PA past the PA range', i, v: BEYOND },
  { row: 'rd_bound', what: '2^64 - 4K', i, v: U64_MAX - 0xfffn },
  { row: 'rd_state', what: 'UNDELEGATED', i, v: UNDELEGATED },
  { row: 'rd_state', what: 'SECURE granule', i, v: SECURE },
  { row: 'rd_state', what: 'an RTT (the root)', i, v: ROOT },
];
/** level_bound for the structure commands: level ∈ [start+1, 3] = [2, 3] here. */
const structureLevelRows = (i: number): RowCase[] => [
  { row: 'level_bound', what: 'level 1 = start level (the root cannot be created/destroyed)', i, v: 1 },
  { row: 'level_bound', what: 'level 0', i, v: 0 },
  { row: 'level_bound', what: 'level 4', i, v: 4 },
  { row: 'level_bound', what: 'level -1', i, v: LEVEL_MINUS_1 },
  { row: 'level_bound', what: 'level 2^63', i, v: 1n << 63n },
  { row: 'level_bound', what: 'level 2^32 + 3', i, v: (1n << 32n) + 3n },
];

/** Fresh NEW realm (IPA width 32, level-1 root). */
function realm(): Machine {
  const m = machine();
  createRealm(m);
  return m;
}

/** Maps `n` consecutive level-`level` NS entries from `base` with OA = oa(i). */
function mapNsRun(m: Machine, rd: number, base: number, level: number, oa: (i: number) => bigint, n = 512) {
  const size = 2 ** (12 + 9 * (3 - level));
  for (let i = 0; i < n; i++) mapNs(m, rd, base + i * size, level, oa(i));
}

// ---------------------------------------------------------------------------------------------
describe('RTT_CREATE failure rows', () => {
  const valid: Arg[] = [RD, L2A, 0, 2];
  const cases: RowCase[] = [
    ...rdRows(0),
    ...structureLevelRows(3),
    { row: 'ipa_align', what: 'level 2, ipa 2 MB (not 1 GB aligned)', i: 2, v: MB2 },
    { row: 'ipa_align', what: 'level 2, ipa 2^64-1', i: 2, v: U64_MAX },
    { row: 'ipa_bound', what: 'level 2, ipa = 2^w', i: 2, v: IPA_LIMIT },
    { row: 'ipa_bound', what: 'level 2, ipa = 2^64 - 1 GB', i: 2, v: U64_MAX + 1n - (1n << 30n) },
    { row: 'rtt_align', what: 'rtt + 8', i: 1, v: L2A + 8 },
    { row: 'rtt_align', what: 'rtt = 2^64-1', i: 1, v: U64_MAX },
    { row: 'rtt_bound', what: 'MMIO granule', i: 1, v: MMIO },
    { row: 'rtt_bound', what: 'first PA past the PA range', i: 1, v: BEYOND },
    // rtt_bound2 (no LPA2, rtt >= 2^48) is shadowed: no PA >= 2^48 is memory.
    { row: 'rtt_bound', what: '2^48 (rtt_bound2 is shadowed by rtt_bound)', i: 1, v: 1n << 48n },
    { row: 'rtt_state', what: 'UNDELEGATED', i: 1, v: UNDELEGATED },
    { row: 'rtt_state', what: 'SECURE granule', i: 1, v: SECURE },
    { row: 'rtt_state', what: 'the RD', i: 1, v: RD },
    { row: 'rtt_state', what: 'an RTT (the root)', i: 1, v: ROOT },
  ];
  test.each(cases)('$row: $what', ({ row, i, v, status, index }) => {
    const m = realm();
    delegate(m, L2A);
    expectFail(m, 'RTT_CREATE', withArg(valid, i, v), status ?? 'ERROR_INPUT', index ?? 0, row);
  });

  test('row order where two rows hold at once', () => {
    const m = realm();
    delegate(m, L2A);
    expectFail(m, 'RTT_CREATE', [UNDELEGATED, L2A, 0, 4], 'ERROR_INPUT', 0, 'rd_state');
    expectFail(m, 'RTT_CREATE', [RD, L2A + 8, IPA_LIMIT, 2], 'ERROR_INPUT', 0, 'ipa_bound');
    expectFail(m, 'RTT_CREATE', [RD, UNDELEGATED, MB2, 2], 'ERROR_INPUT', 0, 'ipa_align');
  });

  test('ipa_align at level 3: ipa 4K', () => {
    const m = realm();
    delegate(m, L3A);
    expectFail(m, 'RTT_CREATE', [RD, L3A, KB4, 3], 'ERROR_INPUT', 0, 'ipa_align');
  });

  test('ipa_bound at level 3: ipa = 2^w (2 MB aligned)', () => {
    const m = realm();
    delegate(m, L3A);
    expectFail(m, 'RTT_CREATE', [RD, L3A, IPA_LIMIT, 3], 'ERROR_INPUT', 0, 'ipa_bound');
  });

  test('rtt_state: a DATA granule', () => {
    const m = realmWithL3();
    dataCreate(m, RD, DATA, 0);
    expectFail(m, 'RTT_CREATE', [RD, DATA, GB1, 2], 'ERROR_INPUT', 0, 'rtt_state');
  });

  test('rtt_walk: level 3 without a level-2 table → ERROR_RTT(1)', () => {
    const m = realm();
    delegate(m, L3A);
    expectFail(m, 'RTT_CREATE', [RD, L3A, 0, 3], 'ERROR_RTT', 1, 'rtt_walk');
    expectFail(m, 'RTT_CREATE', [RD, L3A, PAR, 3], 'ERROR_RTT', 1, 'rtt_walk');
    expectFail(m, 'RTT_CREATE', [RD, L3A, IPA_LIMIT - MB2, 3], 'ERROR_RTT', 1, 'rtt_walk');
  });

  test('rtte_state: the parent entry is already a TABLE → ERROR_RTT(level - 1)', () => {
    const m = realmWithL3();
    delegate(m, L2B, L3B);
    expectFail(m, 'RTT_CREATE', [RD, L2B, 0, 2], 'ERROR_RTT', 1, 'rtte_state');
    expectFail(m, 'RTT_CREATE', [RD, L3B, 0, 3], 'ERROR_RTT', 2, 'rtte_state');
  });
});

describe('RTT_CREATE success', () => {
  test('under UNASSIGNED/EMPTY: a level-2 table of 512 UNASSIGNED/EMPTY entries; parent TABLE; refcounts', () => {
    const m = realm();
    delegate(m, L2A);
    expect(refcount(m, ROOT)).toBe(0);
    const obs = expectOk(m, 'RTT_CREATE', [RD, L2A, 0, 2]);
    expect(obs.x).toEqual([0n, 0n, 0n, 0n]);
    expect(gst(m, L2A)).toBe('RTT');
    expect(readEntry(m, RD, 0, 1)).toEqual([1n, RTTE.TABLE, BigInt(L2A), 0n]);
    const es = rttEntries(m, L2A);
    expect(es).toHaveLength(512);
    expect(es.every((e) => e.hipas === 'UNASSIGNED' && e.ripas === 'EMPTY')).toBe(true);
    expect(readEntry(m, RD, GB1 - MB2, 2)).toEqual([2n, RTTE.UNASSIGNED, 0n, RIPAS.EMPTY]);
    expect(refcount(m, ROOT)).toBe(1); // TABLE is live
    expect(refcount(m, L2A)).toBe(0);
    // The neighbouring root entry is untouched.
    expect(readEntry(m, RD, GB1, 1)).toEqual([1n, RTTE.UNASSIGNED, 0n, RIPAS.EMPTY]);
  });

  test('under UNASSIGNED/RAM: the RIPAS is copied to all 512 children (two levels)', () => {
    const m = realm();
    expectOk(m, 'RTT_INIT_RIPAS', [RD, 0, GB1]);
    expect(readEntry(m, RD, 0, 1)).toEqual([1n, RTTE.UNASSIGNED, 0n, RIPAS.RAM]);
    tablesTo3(m, RD, 0, L2A, L3A);
    expect(rttEntries(m, L2A).slice(1).every((e) => e.hipas === 'UNASSIGNED' && e.ripas === 'RAM')).toBe(true);
    expect(rttEntries(m, L3A).every((e) => e.hipas === 'UNASSIGNED' && e.ripas === 'RAM')).toBe(true);
    expect(readEntry(m, RD, MB2 - KB4, 3)).toEqual([3n, RTTE.UNASSIGNED, 0n, RIPAS.RAM]);
  });

  test('under UNASSIGNED/DESTROYED: all children DESTROYED', () => {
    const m = realmWithL3();
    expectOk(m, 'RTT_DESTROY', [RD, 0, 3]);
    expect(readEntry(m, RD, 0, 2)).toEqual([2n, RTTE.UNASSIGNED, 0n, RIPAS.DESTROYED]);
    rttCreate(m, RD, L3B, 0, 3);
    expect(rttEntries(m, L3B).every((e) => e.hipas === 'UNASSIGNED' && e.ripas === 'DESTROYED')).toBe(true);
    expect(readEntry(m, RD, 9 * KB4, 3)).toEqual([3n, RTTE.UNASSIGNED, 0n, RIPAS.DESTROYED]);
  });

  test('under UNASSIGNED_NS (ipa = 2^(w-1), the first unprotected IPA): all children UNASSIGNED_NS', () => {
    const m = realm();
    tablesTo3(m, RD, PAR, L2NS, L3NS);
    expect(rttEntries(m, L2NS).slice(1).every((e) => e.hipas === 'UNASSIGNED_NS')).toBe(true);
    expect(rttEntries(m, L3NS).every((e) => e.hipas === 'UNASSIGNED_NS')).toBe(true);
    expect(readEntry(m, RD, PAR + 5 * KB4, 3)).toEqual([3n, RTTE.UNASSIGNED, 0n, RIPAS.EMPTY]);
    expect(refcount(m, ROOT)).toBe(1);
    expect(refcount(m, L2NS)).toBe(1);
  });

  test('the last level-2 and level-3 tables below 2^w', () => {
    const m = realm();
    rttCreate(m, RD, L2B, IPA_LIMIT - GB1, 2);
    rttCreate(m, RD, L3B, IPA_LIMIT - MB2, 3);
    expect(readEntry(m, RD, IPA_LIMIT - KB4, 3)).toEqual([3n, RTTE.UNASSIGNED, 0n, 0n]);
  });

  test('unfold of a level-2 ASSIGNED_NS block: PAs split contiguously, attrs kept, not live', () => {
    const m = realm();
    rttCreate(m, RD, L2NS, PAR, 2);
    const oa = 0x4000_0000n; // 2 MB aligned NS PA
    mapNs(m, RD, PAR + MB2, 2, oa | ATTRS);
    expect(refcount(m, L2NS)).toBe(0); // ASSIGNED_NS is not live
    delegate(m, L3NS);
    expectOk(m, 'RTT_CREATE', [RD, L3NS, PAR + MB2, 3]);
    const es = rttEntries(m, L3NS);
    es.forEach((e, i) => expect(e).toMatchObject({ hipas: 'ASSIGNED_NS', addr: Number(oa) + i * KB4, attrs: ATTRS }));
    expect(readEntry(m, RD, PAR + MB2 + 7 * KB4, 3)).toEqual([3n, RTTE.ASSIGNED, (oa + 7n * 0x1000n) | ATTRS, 0n]);
    expect(readEntry(m, RD, PAR + MB2, 2)).toEqual([2n, RTTE.TABLE, BigInt(L3NS), 0n]);
    expect(refcount(m, L3NS)).toBe(0);
    expect(refcount(m, L2NS)).toBe(1); // the TABLE entry is live
  });

  test('unfold of a level-1 ASSIGNED_NS block into 512 2 MB blocks', () => {
    const m = realm();
    const oa = 1n << 40n; // 1 GB aligned, need not be memory the RMM knows (§10)
    mapNs(m, RD, PAR + GB1, 1, oa | MEMATTR_DEVICE | S2AP_RO);
    expect(refcount(m, ROOT)).toBe(0);
    rttCreate(m, RD, L2NS, PAR + GB1, 2);
    rttEntries(m, L2NS).forEach((e, i) => expect(e).toMatchObject({ hipas: 'ASSIGNED_NS', addr: Number(oa) + i * MB2, attrs: MEMATTR_DEVICE | S2AP_RO }));
    expect(readEntry(m, RD, PAR + GB1 + 511 * MB2, 2)).toEqual([2n, RTTE.ASSIGNED, (oa + 511n * (1n << 21n)) | MEMATTR_DEVICE | S2AP_RO, 0n]);
    expect(refcount(m, ROOT)).toBe(1);
    expect(refcount(m, L2NS)).toBe(0);
  });

  test('allowed while the realm is ACTIVE', () => {
    const m = realm();
    expectOk(m, 'REALM_ACTIVATE', [RD]);
    tablesTo3(m, RD, 0, L2A, L3A);
    expect(readEntry(m, RD, 0, 3)[0]).toBe(3n);
  });
});

// ---------------------------------------------------------------------------------------------
describe('RTT_DESTROY failure rows', () => {
  const valid: Arg[] = [RD, 0, 3];
  const cases: RowCase[] = [
    ...rdRows(0),
    ...structureLevelRows(2),
    { row: 'ipa_align', what: 'level 3, ipa 4K', i: 1, v: KB4 },
    { row: 'ipa_align', what: 'level 3, ipa 2^64-1', i: 1, v: U64_MAX },
    { row: 'ipa_bound', what: 'level 3, ipa = 2^w', i: 1, v: IPA_LIMIT },
    { row: 'ipa_bound', what: 'level 3, ipa = 2^64 - 2 MB', i: 1, v: U64_MAX + 1n - (1n << 21n) },
  ];
  test.each(cases)('$row: $what (X1, X2 zero)', ({ row, i, v }) => {
    const m = realmWithL3();
    const obs = expectFail(m, 'RTT_DESTROY', withArg(valid, i, v), 'ERROR_INPUT', 0, row);
    expect(obs.x).toEqual([0n, 0n, 0n, 0n]);
  });

  test('ipa_align at level 2: ipa 2 MB', () => {
    const m = realmWithL3();
    expectFail(m, 'RTT_DESTROY', [RD, MB2, 2], 'ERROR_INPUT', 0, 'ipa_align');
  });

  test('row order where two rows hold at once', () => {
    const m = realmWithL3();
    expectFail(m, 'RTT_DESTROY', [UNDELEGATED, 0, 4], 'ERROR_INPUT', 0, 'rd_state');
    expectFail(m, 'RTT_DESTROY', [RD, IPA_LIMIT + KB4, 3], 'ERROR_INPUT', 0, 'ipa_align');
  });

  test('rtt_walk: walk stops above level - 1 → ERROR_RTT(walk level), X2 = top', () => {
    const m = realmWithL3();
    // No level-2 table under root entry 1: the run of non-live root entries reaches the root's end.
    const obs = expectFail(m, 'RTT_DESTROY', [RD, GB1, 3], 'ERROR_RTT', 1, 'rtt_walk');
    expect(obs.x.slice(0, 2)).toEqual([0n, BigInt(ROOT_END)]);
  });

  test('rtt_walk: parent entry not TABLE → ERROR_RTT(level - 1)', () => {
    const m = realmWithL3();
    rttCreate(m, RD, L3B, 4 * MB2, 3);
    const obs = expectFail(m, 'RTT_DESTROY', [RD, MB2, 3], 'ERROR_RTT', 2, 'rtt_walk');
    expect(obs.x.slice(0, 2)).toEqual([0n, BigInt(4 * MB2)]);
    expectFail(m, 'RTT_DESTROY', [RD, GB1, 2], 'ERROR_RTT', 1, 'rtt_walk');
  });

  test('rtt_live: the child has an ASSIGNED entry → ERROR_RTT(level)', () => {
    const m = realmWithL3();
    dataCreate(m, RD, DATA, 9 * KB4);
    expectFail(m, 'RTT_DESTROY', [RD, 0, 3], 'ERROR_RTT', 3, 'rtt_live');
  });

  test('rtt_live: the child has a TABLE entry → ERROR_RTT(level)', () => {
    const m = realmWithL3();
    expectFail(m, 'RTT_DESTROY', [RD, 0, 2], 'ERROR_RTT', 2, 'rtt_live');
  });

  test('rtt_live: an ASSIGNED/EMPTY entry (DATA_CREATE_UNKNOWN) is live', () => {
    const m = realmWithL3();
    dataCreateUnknown(m, RD, DATA, 0);
    expectFail(m, 'RTT_DESTROY', [RD, 0, 3], 'ERROR_RTT', 3, 'rtt_live');
  });
});

describe('RTT_DESTROY success', () => {
  test('in the PAR: parent → UNASSIGNED/DESTROYED; X1 = rtt; X2 = top; rtt → DELEGATED zeroed; refcount −1', () => {
    const m = realmWithL3();
    expect(refcount(m, L2A)).toBe(1);
    const obs = expectOk(m, 'RTT_DESTROY', [RD, 0, 3]);
    expect(obs.x).toEqual([BigInt(L3A), BigInt(GB1), 0n, 0n]); // nothing else live in L2A
    expect(readEntry(m, RD, 0, 2)).toEqual([2n, RTTE.UNASSIGNED, 0n, RIPAS.DESTROYED]);
    expect(readEntry(m, RD, 0, 3)[0]).toBe(2n);
    expect(gst(m, L3A)).toBe('DELEGATED');
    expect(words(m, L3A).size).toBe(0);
    expect(refcount(m, L2A)).toBe(0);
    expectOk(m, 'GRANULE_UNDELEGATE', [L3A]);

    // Then the level-2 table: root entry 0 → DESTROYED; the run reaches the end of the root.
    const obs2 = expectOk(m, 'RTT_DESTROY', [RD, 0, 2]);
    expect(obs2.x).toEqual([BigInt(L2A), BigInt(ROOT_END), 0n, 0n]);
    expect(readEntry(m, RD, 0, 1)).toEqual([1n, RTTE.UNASSIGNED, 0n, RIPAS.DESTROYED]);
    expect(refcount(m, ROOT)).toBe(0);
  });

  test('X2 stops at the next live entry of the parent', () => {
    const m = realmWithL3();
    rttCreate(m, RD, L3B, 3 * MB2, 3);
    expect(expectOk(m, 'RTT_DESTROY', [RD, 0, 3]).x.slice(0, 2)).toEqual([BigInt(L3A), BigInt(3 * MB2)]);
  });

  test('an RTT whose data was destroyed (UNASSIGNED/DESTROYED entries) is not live', () => {
    const m = realmWithL3();
    dataCreate(m, RD, DATA, 0);
    expectOk(m, 'DATA_DESTROY', [RD, 0]);
    expectOk(m, 'RTT_DESTROY', [RD, 0, 3]);
  });

  test('outside the PAR: parent → UNASSIGNED_NS; ASSIGNED_NS entries inside are dropped (not live)', () => {
    const m = realm();
    tablesTo3(m, RD, PAR, L2NS, L3NS);
    mapNs(m, RD, PAR + 4 * KB4, 3, 0x8000_0000n | ATTRS);
    expect(refcount(m, L3NS)).toBe(0);
    const obs = expectOk(m, 'RTT_DESTROY', [RD, PAR, 3]);
    expect(obs.x.slice(0, 2)).toEqual([BigInt(L3NS), BigInt(PAR + GB1)]);
    expect(entryAt(m, RD, PAR, 2)).toMatchObject({ level: 2, hipas: 'UNASSIGNED_NS' });
    expect(readEntry(m, RD, PAR + 4 * KB4, 3)).toEqual([2n, RTTE.UNASSIGNED, 0n, RIPAS.EMPTY]);
    expect(gst(m, L3NS)).toBe('DELEGATED');
    expect(words(m, L3NS).size).toBe(0);
    expect(refcount(m, L2NS)).toBe(0);
    const obs2 = expectOk(m, 'RTT_DESTROY', [RD, PAR, 2]);
    expect(obs2.x.slice(0, 2)).toEqual([BigInt(L2NS), BigInt(ROOT_END)]);
    expect(entryAt(m, RD, PAR, 1)).toMatchObject({ level: 1, hipas: 'UNASSIGNED_NS' });
  });

  test('allowed while the realm is ACTIVE', () => {
    const m = realmWithL3();
    expectOk(m, 'REALM_ACTIVATE', [RD]);
    expectOk(m, 'RTT_DESTROY', [RD, 0, 3]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('RTT_FOLD failure rows', () => {
  const valid: Arg[] = [RD, 0, 3];
  const cases: RowCase[] = [
    ...rdRows(0),
    ...structureLevelRows(2),
    { row: 'ipa_align', what: 'level 3, ipa 4K', i: 1, v: KB4 },
    { row: 'ipa_align', what: 'level 3, ipa 2^64-1', i: 1, v: U64_MAX },
    { row: 'ipa_bound', what: 'level 3, ipa = 2^w', i: 1, v: IPA_LIMIT },
    { row: 'ipa_bound', what: 'level 3, ipa = 2^64 - 2 MB', i: 1, v: U64_MAX + 1n - (1n << 21n) },
  ];
  test.each(cases)('$row: $what', ({ row, i, v }) => {
    const m = realmWithL3();
    expectFail(m, 'RTT_FOLD', withArg(valid, i, v), 'ERROR_INPUT', 0, row);
  });

  test('rtt_walk: walk stops above level - 1 → ERROR_RTT(walk level)', () => {
    const m = realmWithL3();
    expectFail(m, 'RTT_FOLD', [RD, GB1, 3], 'ERROR_RTT', 1, 'rtt_walk');
  });

  test('row order where two rows hold at once', () => {
    const m = realmWithL3();
    expectFail(m, 'RTT_FOLD', [UNDELEGATED, 0, 4], 'ERROR_INPUT', 0, 'rd_state');
    expectFail(m, 'RTT_FOLD', [RD, IPA_LIMIT + KB4, 3], 'ERROR_INPUT', 0, 'ipa_align');
  });

  test('rtte_state: parent entry not TABLE → ERROR_RTT(level - 1)', () => {
    const m = realmWithL3();
    expectFail(m, 'RTT_FOLD', [RD, MB2, 3], 'ERROR_RTT', 2, 'rtte_state');
    expectFail(m, 'RTT_FOLD', [RD, GB1, 2], 'ERROR_RTT', 1, 'rtte_state');
  });

  test('Ordered: level_bound before rtt_walk and rtte_state', () => {
    const m = realmWithL3();
    // level 4 = "fold the level-3 entry": at ipa 1 GB the walk to level 3 stops at level 1 (rtt_walk
    // would hold); at ipa 0 it reaches L3A whose entry is not a TABLE (rtte_state would hold).
    expect(readEntry(m, RD, GB1, 3)[0]).toBe(1n);
    expectFail(m, 'RTT_FOLD', [RD, GB1, 4], 'ERROR_INPUT', 0, 'level_bound');
    expect(readEntry(m, RD, 0, 3).slice(0, 2)).toEqual([3n, RTTE.UNASSIGNED]);
    expectFail(m, 'RTT_FOLD', [RD, 0, 4], 'ERROR_INPUT', 0, 'level_bound');
    // level 1 (the root): the root has no parent.
    expectFail(m, 'RTT_FOLD', [RD, GB1, 1], 'ERROR_INPUT', 0, 'level_bound');
    expectFail(m, 'RTT_FOLD', [RD, GB1, LEVEL_MINUS_1], 'ERROR_INPUT', 0, 'level_bound');
  });

  test('rtt_homogeneous: one ASSIGNED entry among UNASSIGNED → ERROR_RTT(level)', () => {
    const m = realmWithL3();
    dataCreate(m, RD, DATA, 511 * KB4);
    expectFail(m, 'RTT_FOLD', [RD, 0, 3], 'ERROR_RTT', 3, 'rtt_homogeneous');
  });

  test('rtt_homogeneous: UNASSIGNED entries with different RIPAS → ERROR_RTT(level)', () => {
    const m = realmWithL3();
    expectOk(m, 'RTT_INIT_RIPAS', [RD, 0, KB4]);
    expectFail(m, 'RTT_FOLD', [RD, 0, 3], 'ERROR_RTT', 3, 'rtt_homogeneous');
    const m2 = realmWithL3();
    dataCreate(m2, RD, DATA, 0);
    expectOk(m2, 'DATA_DESTROY', [RD, 0]); // DESTROYED among EMPTY
    expectFail(m2, 'RTT_FOLD', [RD, 0, 3], 'ERROR_RTT', 3, 'rtt_homogeneous');
  });

  test('rtt_homogeneous: a level-2 table holding a TABLE entry → ERROR_RTT(2)', () => {
    const m = realmWithL3();
    expectFail(m, 'RTT_FOLD', [RD, 0, 2], 'ERROR_RTT', 2, 'rtt_homogeneous');
  });

  test('rtt_homogeneous: ASSIGNED_NS among UNASSIGNED_NS → ERROR_RTT(level)', () => {
    const m = realm();
    tablesTo3(m, RD, PAR, L2NS, L3NS);
    mapNs(m, RD, PAR, 3, 0x8000_0000n | ATTRS);
    expectFail(m, 'RTT_FOLD', [RD, PAR, 3], 'ERROR_RTT', 3, 'rtt_homogeneous');
  });

  describe('rtt_homogeneous: 512 ASSIGNED_NS entries that are not one block → ERROR_RTT(3)', () => {
    const base = 0x4000_0000n; // 2 MB aligned
    const variants: [string, (i: number) => bigint][] = [
      ['not contiguous (two PAs swapped)', (i) => (base + BigInt(i === 3 ? 4 : i === 4 ? 3 : i) * 0x1000n) | ATTRS],
      ['contiguous but not 2 MB aligned', (i) => (base + BigInt(i + 1) * 0x1000n) | ATTRS],
      ['one entry with different attributes', (i) => (base + BigInt(i) * 0x1000n) | (i === 100 ? S2AP_RO : ATTRS)],
      ['contiguous descending', (i) => (base + BigInt(511 - i) * 0x1000n) | ATTRS],
    ];
    test.each(variants)('%s', (_what, oa) => {
      const m = realm();
      tablesTo3(m, RD, PAR, L2NS, L3NS);
      mapNsRun(m, RD, PAR, 3, oa);
      expectFail(m, 'RTT_FOLD', [RD, PAR, 3], 'ERROR_RTT', 3, 'rtt_homogeneous');
    });
  });
});

describe('RTT_FOLD success', () => {
  test('all UNASSIGNED/EMPTY → parent UNASSIGNED/EMPTY; X1 = rtt; rtt → DELEGATED zeroed; refcount −1', () => {
    const m = realmWithL3();
    const obs = expectOk(m, 'RTT_FOLD', [RD, 0, 3]);
    expect(obs.x).toEqual([BigInt(L3A), 0n, 0n, 0n]);
    expect(readEntry(m, RD, 0, 2)).toEqual([2n, RTTE.UNASSIGNED, 0n, RIPAS.EMPTY]);
    expect(readEntry(m, RD, 5 * KB4, 3)).toEqual([2n, RTTE.UNASSIGNED, 0n, RIPAS.EMPTY]);
    expect(gst(m, L3A)).toBe('DELEGATED');
    expect(words(m, L3A).size).toBe(0);
    expect(refcount(m, L2A)).toBe(0);
    // And the level-2 table into the root.
    const obs2 = expectOk(m, 'RTT_FOLD', [RD, 0, 2]);
    expect(obs2.x[0]).toBe(BigInt(L2A));
    expect(readEntry(m, RD, 0, 1)).toEqual([1n, RTTE.UNASSIGNED, 0n, RIPAS.EMPTY]);
    expect(refcount(m, ROOT)).toBe(0);
  });

  test('all UNASSIGNED/RAM → parent UNASSIGNED/RAM', () => {
    const m = realmWithL3();
    expect(expectOk(m, 'RTT_INIT_RIPAS', [RD, 0, MB2]).x[0]).toBe(BigInt(MB2));
    expectOk(m, 'RTT_FOLD', [RD, 0, 3]);
    expect(readEntry(m, RD, 0, 2)).toEqual([2n, RTTE.UNASSIGNED, 0n, RIPAS.RAM]);
  });

  test('all UNASSIGNED/DESTROYED → parent UNASSIGNED/DESTROYED', () => {
    const m = realmWithL3();
    expectOk(m, 'RTT_DESTROY', [RD, 0, 3]);
    rttCreate(m, RD, L3B, 0, 3); // unfold of DESTROYED
    expect(expectOk(m, 'RTT_FOLD', [RD, 0, 3]).x[0]).toBe(BigInt(L3B));
    expect(readEntry(m, RD, 0, 2)).toEqual([2n, RTTE.UNASSIGNED, 0n, RIPAS.DESTROYED]);
  });

  test('all UNASSIGNED_NS → parent UNASSIGNED_NS (level 3 then level 2)', () => {
    const m = realm();
    tablesTo3(m, RD, PAR, L2NS, L3NS);
    expectOk(m, 'RTT_FOLD', [RD, PAR, 3]);
    expect(entryAt(m, RD, PAR, 3)).toMatchObject({ level: 2, hipas: 'UNASSIGNED_NS' });
    expectOk(m, 'RTT_FOLD', [RD, PAR, 2]);
    expect(entryAt(m, RD, PAR, 3)).toMatchObject({ level: 1, hipas: 'UNASSIGNED_NS' });
    expect(refcount(m, ROOT)).toBe(0);
  });

  test('all ASSIGNED_NS, contiguous, aligned, same attrs → level-2 block, then a level-1 block', () => {
    const m = realm();
    tablesTo3(m, RD, PAR, L2NS, L3NS);
    const oa = 0x4000_0000n; // 1 GB aligned
    mapNsRun(m, RD, PAR, 3, (i) => (oa + BigInt(i) * 0x1000n) | ATTRS);
    expect(refcount(m, L2NS)).toBe(1);
    expect(expectOk(m, 'RTT_FOLD', [RD, PAR, 3]).x[0]).toBe(BigInt(L3NS));
    expect(readEntry(m, RD, PAR, 2)).toEqual([2n, RTTE.ASSIGNED, oa | ATTRS, 0n]);
    expect(readEntry(m, RD, PAR + 3 * KB4, 3)).toEqual([2n, RTTE.ASSIGNED, oa | ATTRS, 0n]);
    expect(refcount(m, L2NS)).toBe(0); // the block is not live
    expect(gst(m, L3NS)).toBe('DELEGATED');

    // The other 511 level-2 entries as 2 MB blocks: the whole L2NS folds into a 1 GB block.
    for (let i = 1; i < 512; i++) mapNs(m, RD, PAR + i * MB2, 2, (oa + BigInt(i) * (1n << 21n)) | ATTRS);
    expect(expectOk(m, 'RTT_FOLD', [RD, PAR, 2]).x[0]).toBe(BigInt(L2NS));
    expect(readEntry(m, RD, PAR, 1)).toEqual([1n, RTTE.ASSIGNED, oa | ATTRS, 0n]);
    expect(refcount(m, ROOT)).toBe(0);
    // And unmapped as one level-1 entry.
    expectOk(m, 'RTT_UNMAP_UNPROTECTED', [RD, PAR, 1]);
    expect(entryAt(m, RD, PAR, 1)).toMatchObject({ level: 1, hipas: 'UNASSIGNED_NS' });
  });

  describe('all ASSIGNED (512 DATA granules; config with 2048 granules)', () => {
    const FIRST = 512; // granules 512..1023: 2 MB aligned
    function full(pa: (i: number) => number, ripasRam = true): Machine {
      const m = machine(undefined, BIG_CONFIG);
      createRealm(m);
      tablesTo3(m, RD, 0, L2A, L3A);
      m.writeWords(SRC, [0x42n]);
      for (let i = 0; i < 512; i++) {
        if (ripasRam) dataCreate(m, RD, pa(i), i * KB4);
        else dataCreateUnknown(m, RD, pa(i), i * KB4);
      }
      expect(refcount(m, L3A)).toBe(512);
      return m;
    }

    test('contiguous and aligned: fold → level-2 ASSIGNED block; DATA_DESTROY → ERROR_RTT(2); RTT_CREATE unfolds', () => {
      const m = full((i) => G(FIRST + i));
      expect(refcount(m, L2A)).toBe(1);
      const obs = expectOk(m, 'RTT_FOLD', [RD, 0, 3]);
      expect(obs.x[0]).toBe(BigInt(L3A));
      expect(readEntry(m, RD, 0, 2)).toEqual([2n, RTTE.ASSIGNED, BigInt(G(FIRST)), RIPAS.RAM]);
      expect(readEntry(m, RD, 77 * KB4, 3)).toEqual([2n, RTTE.ASSIGNED, BigInt(G(FIRST)), RIPAS.RAM]);
      expect(refcount(m, L2A)).toBe(1); // TABLE → ASSIGNED block: still one live entry
      expect(gst(m, L3A)).toBe('DELEGATED');
      expect(words(m, L3A).size).toBe(0);
      expect(gst(m, G(FIRST + 100))).toBe('DATA');

      // A block cannot be destroyed page by page: the walk stops at level 2. X2 = ipa (the entry is live).
      const d = expectFail(m, 'DATA_DESTROY', [RD, 5 * KB4], 'ERROR_RTT', 2, 'rtt_walk');
      expect(d.x.slice(0, 2)).toEqual([0n, BigInt(5 * KB4)]);
      expectFail(m, 'RTT_DESTROY', [RD, 0, 3], 'ERROR_RTT', 2, 'rtt_walk');
      // Nor can a page be added inside it: the walk stops at the (ASSIGNED) level-2 entry.
      delegate(m, DATA);
      expectFail(m, 'DATA_CREATE', [RD, DATA, 6 * KB4, SRC, 0], 'ERROR_RTT', 2, 'rtt_walk');
      expectFail(m, 'DATA_CREATE_UNKNOWN', [RD, DATA, 6 * KB4], 'ERROR_RTT', 2, 'rtt_walk');
      expectFail(m, 'REALM_DESTROY', [RD], 'ERROR_REALM', 0, 'realm_live');

      // Unfold: RTT_CREATE splits the block contiguously again.
      rttCreate(m, RD, L3B, 0, 3);
      rttEntries(m, L3B).forEach((e, i) => expect(e).toMatchObject({ hipas: 'ASSIGNED', ripas: 'RAM', addr: G(FIRST + i) }));
      expect(readEntry(m, RD, 300 * KB4, 3)).toEqual([3n, RTTE.ASSIGNED, BigInt(G(FIRST + 300)), RIPAS.RAM]);
      expect(refcount(m, L3B)).toBe(512);
      expect(refcount(m, L2A)).toBe(1);
      const dd = expectOk(m, 'DATA_DESTROY', [RD, 300 * KB4]);
      expect(dd.x.slice(0, 2)).toEqual([BigInt(G(FIRST + 300)), BigInt(301 * KB4)]);
      expect(refcount(m, L3B)).toBe(511);
    });

    test('RIPAS EMPTY blocks fold too (ASSIGNED/EMPTY block)', () => {
      const m = full((i) => G(FIRST + i), false);
      expectOk(m, 'RTT_FOLD', [RD, 0, 3]);
      expect(readEntry(m, RD, 0, 2)).toEqual([2n, RTTE.ASSIGNED, BigInt(G(FIRST)), RIPAS.EMPTY]);
    });

    const bad: [string, (i: number) => number, boolean][] = [
      ['not contiguous (two PAs swapped)', (i) => G(FIRST + (i === 10 ? 11 : i === 11 ? 10 : i)), true],
      ['contiguous but not 2 MB aligned', (i) => G(FIRST + 1 + i), true],
    ];
    test.each(bad)('%s → ERROR_RTT(3)', (_what, pa, ram) => {
      const m = full(pa, ram);
      expectFail(m, 'RTT_FOLD', [RD, 0, 3], 'ERROR_RTT', 3, 'rtt_homogeneous');
    });

    test('mixed RIPAS (one ASSIGNED/DESTROYED among ASSIGNED/RAM, PAs contiguous) → ERROR_RTT(3)', () => {
      const m = full((i) => G(FIRST + i));
      expectOk(m, 'DATA_DESTROY', [RD, 7 * KB4]);
      expectOk(m, 'DATA_CREATE_UNKNOWN', [RD, G(FIRST + 7), 7 * KB4]); // ASSIGNED/DESTROYED, same PA
      expect(readEntry(m, RD, 7 * KB4, 3)[3]).toBe(RIPAS.DESTROYED);
      expectFail(m, 'RTT_FOLD', [RD, 0, 3], 'ERROR_RTT', 3, 'rtt_homogeneous');
    });
  });

  describe('a realm with start level 0 (IPA width 40): blocks never land at level 0', () => {
    function realm40(): Machine {
      const m = machine();
      createRealm(m, { params: { s2sz: 40n, rttLevelStart: 0n, rttNumStart: 1n } });
      rttCreate(m, RD, L2NS, GB512, 1); // level-1 table under root entry 1 (unprotected)
      return m;
    }
    test('512 contiguous 1 GB ASSIGNED_NS blocks → ERROR_RTT(0) (would be a level-0 block)', () => {
      const m = realm40();
      mapNsRun(m, RD, GB512, 1, (i) => (BigInt(i) << 30n) | ATTRS);
      expectFail(m, 'RTT_FOLD', [RD, GB512, 1], 'ERROR_RTT', 0, 'rtt_homogeneous');
    });
    test('but not homogeneous → ERROR_RTT(1)', () => {
      const m = realm40();
      mapNsRun(m, RD, GB512, 1, (i) => (BigInt(i) << 30n) | ATTRS, 511);
      expectFail(m, 'RTT_FOLD', [RD, GB512, 1], 'ERROR_RTT', 1, 'rtt_homogeneous');
    });
    test('an all-UNASSIGNED_NS level-1 table folds into the level-0 root', () => {
      const m = realm40();
      expect(expectOk(m, 'RTT_FOLD', [RD, GB512, 1]).x[0]).toBe(BigInt(L2NS));
      expect(entryAt(m, RD, GB512, 0)).toMatchObject({ level: 0, hipas: 'UNASSIGNED_NS' });
      expect(readEntry(m, RD, GB512, 0)).toEqual([0n, RTTE.UNASSIGNED, 0n, 0n]);
    });
  });
});

// ---------------------------------------------------------------------------------------------
describe('RTT_READ_ENTRY failure rows (X1..X4 zero)', () => {
  const valid: Arg[] = [RD, 0, 3];
  const cases: RowCase[] = [
    ...rdRows(0),
    { row: 'level_bound', what: 'level 0 < start level 1', i: 2, v: 0 },
    { row: 'level_bound', what: 'level 4', i: 2, v: 4 },
    { row: 'level_bound', what: 'level -1', i: 2, v: LEVEL_MINUS_1 },
    { row: 'level_bound', what: 'level 2^63', i: 2, v: 1n << 63n },
    { row: 'ipa_align', what: 'level 3, ipa 8', i: 1, v: 8 },
    { row: 'ipa_align', what: 'level 3, ipa 2^64-1', i: 1, v: U64_MAX },
    { row: 'ipa_bound', what: 'level 3, ipa = 2^w', i: 1, v: IPA_LIMIT },
    { row: 'ipa_bound', what: 'level 3, ipa = 2^64 - 4K', i: 1, v: U64_MAX - 0xfffn },
  ];
  test.each(cases)('$row: $what', ({ row, i, v }) => {
    const m = realmWithL3();
    dataCreate(m, RD, DATA, 0);
    const obs = expectFail(m, 'RTT_READ_ENTRY', withArg(valid, i, v), 'ERROR_INPUT', 0, row);
    expect(obs.x).toEqual([0n, 0n, 0n, 0n]);
  });

  test('row order where two rows hold at once', () => {
    const m = realm();
    expectFail(m, 'RTT_READ_ENTRY', [UNDELEGATED, 0, 4], 'ERROR_INPUT', 0, 'rd_state');
    expectFail(m, 'RTT_READ_ENTRY', [RD, KB4, LEVEL_MINUS_1], 'ERROR_INPUT', 0, 'level_bound');
    expectFail(m, 'RTT_READ_ENTRY', [RD, IPA_LIMIT + 8, 3], 'ERROR_INPUT', 0, 'ipa_align');
  });

  test('ipa_align at level 1: ipa 2 MB; ipa_bound at level 1: 2^w', () => {
    const m = realm();
    expectFail(m, 'RTT_READ_ENTRY', [RD, MB2, 1], 'ERROR_INPUT', 0, 'ipa_align');
    expectFail(m, 'RTT_READ_ENTRY', [RD, IPA_LIMIT, 1], 'ERROR_INPUT', 0, 'ipa_bound');
  });
});

describe('RTT_READ_ENTRY reports', () => {
  // [X1 walk level, X2 state (UNASSIGNED 0 / ASSIGNED 1 / TABLE 2), X3 desc, X4 ripas (EMPTY 0 / RAM 1 / DESTROYED 2)]
  test('UNASSIGNED/EMPTY at the root, at the start level', () => {
    expect(readEntry(realm(), RD, 0, 1)).toEqual([1n, RTTE.UNASSIGNED, 0n, RIPAS.EMPTY]);
  });
  test('the walk stops where the tables end: X1 = level reached', () => {
    const m = realm();
    expect(readEntry(m, RD, GB1 + 5 * KB4, 3)).toEqual([1n, RTTE.UNASSIGNED, 0n, RIPAS.EMPTY]);
    rttCreate(m, RD, L2A, 0, 2);
    expect(readEntry(m, RD, 5 * KB4, 3)).toEqual([2n, RTTE.UNASSIGNED, 0n, RIPAS.EMPTY]);
  });
  test('TABLE: desc = the child RTT PA, ripas EMPTY', () => {
    const m = realmWithL3();
    expect(readEntry(m, RD, 0, 1)).toEqual([1n, RTTE.TABLE, BigInt(L2A), RIPAS.EMPTY]);
    expect(readEntry(m, RD, 0, 2)).toEqual([2n, RTTE.TABLE, BigInt(L3A), RIPAS.EMPTY]);
  });
  test('UNASSIGNED/RAM', () => {
    const m = realmWithL3();
    expectOk(m, 'RTT_INIT_RIPAS', [RD, 0, KB4]);
    expect(readEntry(m, RD, 0, 3)).toEqual([3n, RTTE.UNASSIGNED, 0n, RIPAS.RAM]);
  });
  test('UNASSIGNED/DESTROYED', () => {
    const m = realmWithL3();
    dataCreate(m, RD, DATA, 0);
    expectOk(m, 'DATA_DESTROY', [RD, 0]);
    expect(readEntry(m, RD, 0, 3)).toEqual([3n, RTTE.UNASSIGNED, 0n, RIPAS.DESTROYED]);
  });
  test('ASSIGNED/RAM: desc = the DATA PA', () => {
    const m = realmWithL3();
    dataCreate(m, RD, DATA, 0);
    expect(readEntry(m, RD, 0, 3)).toEqual([3n, RTTE.ASSIGNED, BigInt(DATA), RIPAS.RAM]);
  });
  test('ASSIGNED/EMPTY', () => {
    const m = realmWithL3();
    dataCreateUnknown(m, RD, DATA, 0);
    expect(readEntry(m, RD, 0, 3)).toEqual([3n, RTTE.ASSIGNED, BigInt(DATA), RIPAS.EMPTY]);
  });
  test('ASSIGNED/DESTROYED: desc 0 (TF-RMM)', () => {
    const m = realmWithL3();
    dataCreate(m, RD, DATA, 0);
    expectOk(m, 'DATA_DESTROY', [RD, 0]);
    dataCreateUnknown(m, RD, DATA2, 0);
    expect(readEntry(m, RD, 0, 3)).toEqual([3n, RTTE.ASSIGNED, 0n, RIPAS.DESTROYED]);
  });
  test('UNASSIGNED_NS: reported as UNASSIGNED, ripas EMPTY', () => {
    const m = realm();
    expect(entryAt(m, RD, PAR, 1).hipas).toBe('UNASSIGNED_NS');
    expect(readEntry(m, RD, PAR, 1)).toEqual([1n, RTTE.UNASSIGNED, 0n, RIPAS.EMPTY]);
    expect(readEntry(m, RD, IPA_LIMIT - KB4, 3)).toEqual([1n, RTTE.UNASSIGNED, 0n, RIPAS.EMPTY]);
  });
  test('ASSIGNED_NS: reported as ASSIGNED, desc = the host descriptor (PA + attrs), ripas EMPTY', () => {
    const m = realm();
    tablesTo3(m, RD, PAR, L2NS, L3NS);
    mapNs(m, RD, PAR + KB4, 3, BigInt(G(50)) | MEMATTR_DEVICE | S2AP_RO);
    expect(readEntry(m, RD, PAR + KB4, 3)).toEqual([3n, RTTE.ASSIGNED, BigInt(G(50)) | MEMATTR_DEVICE | S2AP_RO, RIPAS.EMPTY]);
  });
  test('level 0 is valid for a realm whose start level is 0', () => {
    const m = machine();
    createRealm(m, { params: { s2sz: 40n, rttLevelStart: 0n, rttNumStart: 1n } });
    expect(readEntry(m, RD, 0, 0)).toEqual([0n, RTTE.UNASSIGNED, 0n, RIPAS.EMPTY]);
    expect(readEntry(m, RD, GB512, 3)).toEqual([0n, RTTE.UNASSIGNED, 0n, RIPAS.EMPTY]);
    expectFail(m, 'RTT_READ_ENTRY', [RD, 0, LEVEL_MINUS_1], 'ERROR_INPUT', 0, 'level_bound');
    expectFail(m, 'RTT_READ_ENTRY', [RD, 2 ** 40, 0], 'ERROR_INPUT', 0, 'ipa_bound');
  });
  test('works in every realm state and for another realm (no cross-talk)', () => {
    const m = realmWithL3();
    dataCreate(m, RD, DATA, 0);
    expectOk(m, 'REALM_ACTIVATE', [RD]);
    expect(readEntry(m, RD, 0, 3)).toEqual([3n, RTTE.ASSIGNED, BigInt(DATA), RIPAS.RAM]);
    createRealm(m, { rd: SPARE, root: G(34), vmid: 2n });
    expect(readEntry(m, SPARE, 0, 3)).toEqual([1n, RTTE.UNASSIGNED, 0n, RIPAS.EMPTY]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('concatenated roots (IPA width 40, start level 1: two root RTTs)', () => {
  const R0 = G(34); // rtt_base must be aligned to 2 granules
  const R1 = G(35);
  const W40_PAR = GB512; // 2^39: root 0 is all protected, root 1 all unprotected
  function realm2(): Machine {
    const m = machine();
    delegate(m, R1);
    createRealm(m, { root: R0, params: { s2sz: 40n, rttLevelStart: 1n, rttNumStart: 2n } });
    return m;
  }
  test('the walk picks the root RTT covering the IPA', () => {
    const m = realm2();
    expect(readEntry(m, RD, W40_PAR - GB1, 1)).toEqual([1n, RTTE.UNASSIGNED, 0n, RIPAS.EMPTY]);
    expect(entryAt(m, RD, W40_PAR - GB1, 1).hipas).toBe('UNASSIGNED');
    expect(entryAt(m, RD, W40_PAR, 1).hipas).toBe('UNASSIGNED_NS');
    rttCreate(m, RD, L2NS, W40_PAR + 5 * GB1, 2);
    expect(rttEntries(m, R1)[5]).toMatchObject({ hipas: 'TABLE', addr: L2NS });
    expect(rttEntries(m, R0)[5].hipas).toBe('UNASSIGNED');
    expect(refcount(m, R1)).toBe(1);
    expect(refcount(m, R0)).toBe(0);
    expect(readEntry(m, RD, W40_PAR + 5 * GB1, 1)).toEqual([1n, RTTE.TABLE, BigInt(L2NS), 0n]);
    expectFail(m, 'REALM_DESTROY', [RD], 'ERROR_REALM', 0, 'realm_live'); // a live entry in the second root
  });
  test('`top` stays within one root RTT', () => {
    const m = realm2();
    // DATA_DESTROY at the last protected granule: the walk stops in root 0, whose run ends at 2^39.
    const d = expectFail(m, 'DATA_DESTROY', [RD, W40_PAR - KB4], 'ERROR_RTT', 1, 'rtt_walk');
    expect(d.x[1]).toBe(BigInt(W40_PAR));
    rttCreate(m, RD, L2NS, W40_PAR + 5 * GB1, 2);
    const obs = expectOk(m, 'RTT_DESTROY', [RD, W40_PAR + 5 * GB1, 2]);
    expect(obs.x.slice(0, 2)).toEqual([BigInt(L2NS), 2n ** 40n]);
    expectOk(m, 'REALM_DESTROY', [RD]);
    expect(gst(m, R1)).toBe('DELEGATED');
  });
  test('ipa_bound at 2^40', () => {
    const m = realm2();
    delegate(m, L2A);
    expectFail(m, 'RTT_CREATE', [RD, L2A, 2 ** 40, 2], 'ERROR_INPUT', 0, 'ipa_bound');
    expectOk(m, 'RTT_CREATE', [RD, L2A, 2 ** 40 - GB1, 2]);
  });
});
