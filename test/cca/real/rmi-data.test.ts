// DATA_CREATE, DATA_CREATE_UNKNOWN, DATA_DESTROY (reference §3, §5, §6, §8): every failure row from a
// state built through RMI calls, the Ordered pairs, and the success effects.

import { describe, expect, test } from 'vitest';
import {
  BEYOND, DATA, DATA2, DATA3, GB1, IPA_LIMIT, KB4, L2A, L2B, L3A, L3B, L2NS, L3NS, MB2, MMIO, MMIO2, Machine, PAR, RD, RIPAS, ROOT,
  ROOT_END, ROOT_PAS, RTTE, SECURE, SRC, SRC2, U64_MAX, UNDELEGATED, ATTRS, G, createRealm, dataCreate, dataCreateUnknown, delegate,
  entryAt, expectFail, expectOk, gst, machine, mapNs, readEntry, realmWithL3, refcount, rim, rttCreate, tablesTo3, words,
} from './fixtures-rtt';
import { rdOf } from '../../../real/cca/state';

const NO_MEASURE = 0n;
const MEASURE = 1n;
type Arg = bigint | number;
const withArg = (args: Arg[], i: number, v: Arg): Arg[] => args.map((a, j) => (j === i ? v : a));

/** Realm (NEW) with L2A/L3A over [0, 2 MB), DATA delegated, SRC holding one word. */
function setup(): Machine {
  const m = realmWithL3();
  delegate(m, DATA);
  m.writeWords(SRC, [0x1111n]);
  return m;
}

interface RowCase { row: string; what: string; i: number; v: Arg; status?: 'ERROR_INPUT' | 'ERROR_RTT'; index?: number }

// Rows shared by DATA_CREATE (args rd, data, ipa, src, flags) and DATA_CREATE_UNKNOWN (rd, data, ipa).
const dataAndRdRows: RowCase[] = [
  { row: 'data_align', what: 'data + 0x800', i: 1, v: DATA + 0x800 },
  { row: 'data_align', what: 'data = 2^64-1', i: 1, v: U64_MAX },
  { row: 'data_bound', what: 'MMIO granule', i: 1, v: MMIO2 },
  { row: 'data_bound', what: 'first PA past the PA range', i: 1, v: BEYOND },
  { row: 'data_bound', what: '2^64 - 4K', i: 1, v: U64_MAX - 0xfffn },
  // data_bound2 (no LPA2 and data >= 2^48) is shadowed: no PA >= 2^48 is memory, so data_bound fires.
  { row: 'data_bound', what: '2^48 (data_bound2 is shadowed by data_bound)', i: 1, v: 1n << 48n },
  { row: 'data_state', what: 'UNDELEGATED', i: 1, v: UNDELEGATED },
  { row: 'data_state', what: 'SECURE granule (memory, never delegated)', i: 1, v: SECURE },
  { row: 'data_state', what: 'ROOT-PAS granule', i: 1, v: ROOT_PAS },
  { row: 'data_state', what: 'RD', i: 1, v: RD },
  { row: 'data_state', what: 'RTT', i: 1, v: L3A },
  { row: 'rd_align', what: 'rd + 8', i: 0, v: RD + 8 },
  { row: 'rd_align', what: 'rd = 2^64-1 (also out of range: alignment first)', i: 0, v: U64_MAX },
  { row: 'rd_bound', what: 'MMIO granule', i: 0, v: MMIO },
  { row: 'rd_bound', what: '2^64 - 4K', i: 0, v: U64_MAX - 0xfffn },
  { row: 'rd_state', what: 'UNDELEGATED', i: 0, v: UNDELEGATED },
  { row: 'rd_state', what: 'an RTT (the root)', i: 0, v: ROOT },
  { row: 'rd_state', what: 'the DELEGATED data granule itself', i: 0, v: DATA },
];
const ipaRows: RowCase[] = [
  { row: 'ipa_bound', what: 'ipa = 2^(w-1), first unprotected IPA', i: 2, v: PAR },
  { row: 'ipa_bound', what: 'ipa = 2^w', i: 2, v: IPA_LIMIT },
  { row: 'ipa_bound', what: 'ipa = 2^64 - 4K', i: 2, v: U64_MAX - 0xfffn },
  { row: 'ipa_bound', what: 'ipa = 2^64-1 (also unaligned: ipa_bound comes first)', i: 2, v: U64_MAX },
  { row: 'ipa_align', what: 'ipa = 1', i: 2, v: 1 },
  { row: 'ipa_align', what: 'ipa = 2^(w-1) - 1', i: 2, v: PAR - 1 },
  { row: 'rtt_walk', what: 'no L3 at 2 MB: walk stops at level 2', i: 2, v: MB2, status: 'ERROR_RTT', index: 2 },
  { row: 'rtt_walk', what: 'no L2 at 1 GB: walk stops at level 1', i: 2, v: GB1, status: 'ERROR_RTT', index: 1 },
  { row: 'rtt_walk', what: 'last protected granule, no tables: level 1', i: 2, v: PAR - KB4, status: 'ERROR_RTT', index: 1 },
];

describe('DATA_CREATE failure rows', () => {
  const valid: Arg[] = [RD, DATA, 0, SRC, NO_MEASURE];
  const cases: RowCase[] = [
    { row: 'flags_valid', what: 'flags = 2', i: 4, v: 2n },
    { row: 'flags_valid', what: 'flags = 2^64-1', i: 4, v: U64_MAX },
    { row: 'src_align', what: 'src + 8', i: 3, v: SRC + 8 },
    { row: 'src_align', what: 'src = 2^64-1', i: 3, v: U64_MAX },
    { row: 'src_bound', what: 'MMIO granule', i: 3, v: MMIO },
    { row: 'src_bound', what: 'first PA past the PA range', i: 3, v: BEYOND },
    { row: 'src_bound', what: '2^64 - 4K', i: 3, v: U64_MAX - 0xfffn },
    { row: 'src_pas', what: 'SECURE PAS', i: 3, v: SECURE },
    { row: 'src_pas', what: 'ROOT PAS', i: 3, v: ROOT_PAS },
    { row: 'src_pas', what: 'a DELEGATED (Realm PAS) granule', i: 3, v: DATA },
    { row: 'src_pas', what: 'the RD', i: 3, v: RD },
    ...dataAndRdRows,
    ...ipaRows,
  ];
  test.each(cases)('$row: $what', ({ row, i, v, status, index }) => {
    const m = setup();
    expectFail(m, 'DATA_CREATE', withArg(valid, i, v), status ?? 'ERROR_INPUT', index ?? 0, row);
  });

  test('row order where two rows hold at once (the deterministic order of reference §6)', () => {
    const m = setup();
    expectFail(m, 'DATA_CREATE', [RD, DATA, 0, SRC + 8, 2n], 'ERROR_INPUT', 0, 'flags_valid');
    expectFail(m, 'DATA_CREATE', [RD, DATA + 8, 0, SECURE, NO_MEASURE], 'ERROR_INPUT', 0, 'src_pas');
    expectFail(m, 'DATA_CREATE', [RD + 8, UNDELEGATED, 0, SRC, NO_MEASURE], 'ERROR_INPUT', 0, 'data_state');
    expectFail(m, 'DATA_CREATE', [UNDELEGATED, DATA, PAR, SRC, NO_MEASURE], 'ERROR_INPUT', 0, 'rd_state');
    expectFail(m, 'DATA_CREATE', [RD, DATA, PAR + 1, SRC, NO_MEASURE], 'ERROR_INPUT', 0, 'ipa_bound');
  });

  test('src is a DATA granule (Realm PAS) → src_pas', () => {
    const m = setup();
    dataCreate(m, RD, DATA2, 0);
    expectFail(m, 'DATA_CREATE', [RD, DATA, KB4, DATA2, NO_MEASURE], 'ERROR_INPUT', 0, 'src_pas');
  });

  test('data already DATA → data_state', () => {
    const m = setup();
    dataCreate(m, RD, DATA2, 0);
    expectFail(m, 'DATA_CREATE', [RD, DATA2, KB4, SRC, NO_MEASURE], 'ERROR_INPUT', 0, 'data_state');
  });

  test('realm_state: ACTIVE realm → ERROR_REALM', () => {
    const m = setup();
    expectOk(m, 'REALM_ACTIVATE', [RD]);
    expectFail(m, 'DATA_CREATE', valid, 'ERROR_REALM', 0, 'realm_state');
    // realm_state precedes the IPA rows
    expectFail(m, 'DATA_CREATE', [RD, DATA, PAR, SRC, MEASURE], 'ERROR_REALM', 0, 'realm_state');
  });

  test('rtte_state: entry already ASSIGNED → ERROR_RTT(3)', () => {
    const m = setup();
    dataCreate(m, RD, DATA2, 0);
    expectFail(m, 'DATA_CREATE', valid, 'ERROR_RTT', 3, 'rtte_state');
  });

  test('rtte_state: ASSIGNED by DATA_CREATE_UNKNOWN (RIPAS EMPTY) → ERROR_RTT(3)', () => {
    const m = setup();
    dataCreateUnknown(m, RD, DATA2, 3 * KB4);
    expectFail(m, 'DATA_CREATE', [RD, DATA, 3 * KB4, SRC, MEASURE], 'ERROR_RTT', 3, 'rtte_state');
  });

  test('Ordered: ipa_bound before rtt_walk (unprotected IPA without tables)', () => {
    const m = setup();
    expect(readEntry(m, RD, PAR, 3)[0]).toBe(1n); // the walk would stop at level 1
    expectFail(m, 'DATA_CREATE', [RD, DATA, PAR, SRC, NO_MEASURE], 'ERROR_INPUT', 0, 'ipa_bound');
  });

  test('Ordered: ipa_bound before rtte_state (unprotected IPA with an L3 table)', () => {
    const m = setup();
    tablesTo3(m, RD, PAR, L2NS, L3NS);
    mapNs(m, RD, PAR, 3, BigInt(G(50)) | ATTRS);
    expect(readEntry(m, RD, PAR, 3).slice(0, 2)).toEqual([3n, RTTE.ASSIGNED]); // walk reaches L3; entry not UNASSIGNED
    expectFail(m, 'DATA_CREATE', [RD, DATA, PAR, SRC, NO_MEASURE], 'ERROR_INPUT', 0, 'ipa_bound');
    expect(entryAt(m, RD, PAR + KB4, 3)).toMatchObject({ level: 3, hipas: 'UNASSIGNED_NS' });
    expectFail(m, 'DATA_CREATE', [RD, DATA, PAR + KB4, SRC, NO_MEASURE], 'ERROR_INPUT', 0, 'ipa_bound');
  });
});

describe('DATA_CREATE success', () => {
  test('copies src into data, maps it ASSIGNED/RAM at L3, DATA state, refcount +1, RIM extended', () => {
    const m = setup();
    m.writeWords(SRC, [0xdeadn, 0n, 0xbeefn]);
    const rim0 = rim(m);
    const rc0 = refcount(m, L3A);
    expect(readEntry(m, RD, 0, 3)).toEqual([3n, RTTE.UNASSIGNED, 0n, RIPAS.EMPTY]);

    expectOk(m, 'DATA_CREATE', [RD, DATA, 0, SRC, MEASURE]);

    expect(gst(m, DATA)).toBe('DATA');
    expect(words(m, DATA)).toEqual(new Map([[0, 0xdeadn], [2, 0xbeefn]]));
    expect(readEntry(m, RD, 0, 3)).toEqual([3n, RTTE.ASSIGNED, BigInt(DATA), RIPAS.RAM]);
    expect(refcount(m, L3A)).toBe(rc0 + 1);
    expect(rim(m)).not.toBe(rim0);
    expect(rdOf(m.state, RD).measurements.slice(1)).toEqual([0n, 0n, 0n, 0n]); // REMs untouched
    // The host can still read its source, but not the realm's copy (GPT: Realm PAS).
    expect(m.read(SRC, 3)).toMatchObject({ values: [0xdeadn, 0n, 0xbeefn] });
    expect(m.read(DATA)).toMatchObject({ fault: 'GPF' });
    // A copy, not an alias.
    m.writeWords(SRC, [0x5n]);
    expect(words(m, DATA).get(0)).toBe(0xdeadn);
  });

  test('the neighbouring entries are untouched', () => {
    const m = setup();
    expectOk(m, 'DATA_CREATE', [RD, DATA, 7 * KB4, SRC, NO_MEASURE]);
    expect(readEntry(m, RD, 6 * KB4, 3)).toEqual([3n, RTTE.UNASSIGNED, 0n, RIPAS.EMPTY]);
    expect(readEntry(m, RD, 8 * KB4, 3)).toEqual([3n, RTTE.UNASSIGNED, 0n, RIPAS.EMPTY]);
    expect(readEntry(m, RD, 7 * KB4, 3)).toEqual([3n, RTTE.ASSIGNED, BigInt(DATA), RIPAS.RAM]);
  });

  test('the last protected granule (2^(w-1) - 4K) can be mapped', () => {
    const m = setup();
    tablesTo3(m, RD, PAR - KB4, L2B, L3B);
    expectOk(m, 'DATA_CREATE', [RD, DATA, PAR - KB4, SRC, NO_MEASURE]);
    expect(readEntry(m, RD, PAR - KB4, 3)).toEqual([3n, RTTE.ASSIGNED, BigInt(DATA), RIPAS.RAM]);
  });

  test('RIPAS becomes RAM whatever it was: RAM (INIT_RIPAS) and DESTROYED (DATA_DESTROY)', () => {
    const m = setup();
    expectOk(m, 'RTT_INIT_RIPAS', [RD, KB4, 2 * KB4]);
    expect(readEntry(m, RD, KB4, 3)[3]).toBe(RIPAS.RAM);
    expectOk(m, 'DATA_CREATE', [RD, DATA, KB4, SRC, NO_MEASURE]);
    expect(readEntry(m, RD, KB4, 3)).toEqual([3n, RTTE.ASSIGNED, BigInt(DATA), RIPAS.RAM]);

    expectOk(m, 'DATA_DESTROY', [RD, KB4]);
    expect(readEntry(m, RD, KB4, 3)).toEqual([3n, RTTE.UNASSIGNED, 0n, RIPAS.DESTROYED]);
    expectOk(m, 'DATA_CREATE', [RD, DATA, KB4, SRC, NO_MEASURE]);
    expect(readEntry(m, RD, KB4, 3)).toEqual([3n, RTTE.ASSIGNED, BigInt(DATA), RIPAS.RAM]);
  });

  describe('RIM', () => {
    function rimAfter(content: bigint[], flags: bigint, ipa = 0): bigint {
      const m = setup();
      m.writeWords(SRC, content);
      expectOk(m, 'DATA_CREATE', [RD, DATA, ipa, SRC, flags]);
      return rim(m);
    }
    test('deterministic: the same history gives the same RIM', () => {
      expect(rimAfter([1n, 2n], MEASURE)).toBe(rimAfter([1n, 2n], MEASURE));
    });
    test('MEASURE: different content gives a different RIM', () => {
      expect(rimAfter([1n], MEASURE)).not.toBe(rimAfter([2n], MEASURE));
      expect(rimAfter([1n, 0n], MEASURE)).not.toBe(rimAfter([0n, 1n], MEASURE));
    });
    test('NO_MEASURE: the content is not measured', () => {
      expect(rimAfter([1n], NO_MEASURE)).toBe(rimAfter([2n], NO_MEASURE));
    });
    test('the flags are measured: MEASURE and NO_MEASURE of the same content differ', () => {
      expect(rimAfter([1n], MEASURE)).not.toBe(rimAfter([1n], NO_MEASURE));
    });
    test('the IPA is measured', () => {
      expect(rimAfter([1n], NO_MEASURE, 0)).not.toBe(rimAfter([1n], NO_MEASURE, KB4));
      expect(rimAfter([1n], MEASURE, 0)).not.toBe(rimAfter([1n], MEASURE, KB4));
    });
    test('MEASURE hashes the content, not the order in which the host wrote it', () => {
      // SRC2 starts all-zero: A writes word 0 then word 1, B writes word 1 then word 0.
      const a = setup();
      a.writeWords(SRC2, [0xaan, 0xbbn]);
      const b = setup();
      b.writeWords(SRC2 + 8, [0xbbn]);
      b.writeWords(SRC2, [0xaan]);
      expect(words(a, SRC2)).toEqual(words(b, SRC2)); // same 4 KB
      expectOk(a, 'DATA_CREATE', [RD, DATA, 0, SRC2, MEASURE]);
      expectOk(b, 'DATA_CREATE', [RD, DATA, 0, SRC2, MEASURE]);
      expect(rim(a)).toBe(rim(b));
    });
    test('a granule written then cleared measures like a never-written one', () => {
      const a = setup();
      a.writeWords(SRC, [0n, 0n, 0x7n]);
      const b = setup();
      b.writeWords(SRC, [0n, 0x9n, 0x7n]);
      b.writeWords(SRC + 8, [0n]);
      expectOk(a, 'DATA_CREATE', [RD, DATA, 0, SRC, MEASURE]);
      expectOk(b, 'DATA_CREATE', [RD, DATA, 0, SRC, MEASURE]);
      expect(rim(a)).toBe(rim(b));
    });
  });
});

describe('DATA_CREATE_UNKNOWN failure rows', () => {
  const valid: Arg[] = [RD, DATA, 0];
  test.each([...dataAndRdRows, ...ipaRows])('$row: $what', ({ row, i, v, status, index }) => {
    const m = setup();
    expectFail(m, 'DATA_CREATE_UNKNOWN', withArg(valid, i, v), status ?? 'ERROR_INPUT', index ?? 0, row);
  });

  test('rtte_state: entry already ASSIGNED → ERROR_RTT(3)', () => {
    const m = setup();
    dataCreate(m, RD, DATA2, 0);
    expectFail(m, 'DATA_CREATE_UNKNOWN', valid, 'ERROR_RTT', 3, 'rtte_state');
  });

  test('row order where two rows hold at once', () => {
    const m = setup();
    expectFail(m, 'DATA_CREATE_UNKNOWN', [RD + 8, UNDELEGATED, 0], 'ERROR_INPUT', 0, 'data_state');
    expectFail(m, 'DATA_CREATE_UNKNOWN', [UNDELEGATED, DATA, PAR], 'ERROR_INPUT', 0, 'rd_state');
  });

  test('Ordered: ipa_bound before rtt_walk and rtte_state', () => {
    const m = setup();
    expectFail(m, 'DATA_CREATE_UNKNOWN', [RD, DATA, PAR], 'ERROR_INPUT', 0, 'ipa_bound');
    tablesTo3(m, RD, PAR, L2NS, L3NS);
    mapNs(m, RD, PAR, 3, BigInt(G(50)) | ATTRS);
    expectFail(m, 'DATA_CREATE_UNKNOWN', [RD, DATA, PAR], 'ERROR_INPUT', 0, 'ipa_bound');
    expectFail(m, 'DATA_CREATE_UNKNOWN', [RD, DATA, PAR + KB4], 'ERROR_INPUT', 0, 'ipa_bound');
  });
});

describe('DATA_CREATE_UNKNOWN success', () => {
  test('maps a zero DATA granule, RIPAS EMPTY kept, no measurement, refcount +1', () => {
    const m = setup();
    const rim0 = rim(m);
    const rc0 = refcount(m, L3A);
    expectOk(m, 'DATA_CREATE_UNKNOWN', [RD, DATA, 2 * KB4]);
    expect(gst(m, DATA)).toBe('DATA');
    expect(words(m, DATA).size).toBe(0);
    expect(readEntry(m, RD, 2 * KB4, 3)).toEqual([3n, RTTE.ASSIGNED, BigInt(DATA), RIPAS.EMPTY]);
    expect(refcount(m, L3A)).toBe(rc0 + 1);
    expect(rim(m)).toBe(rim0);
    expect(m.read(DATA)).toMatchObject({ fault: 'GPF' });
  });

  test('RIPAS RAM is kept', () => {
    const m = setup();
    expectOk(m, 'RTT_INIT_RIPAS', [RD, 0, KB4]);
    expectOk(m, 'DATA_CREATE_UNKNOWN', [RD, DATA, 0]);
    expect(readEntry(m, RD, 0, 3)).toEqual([3n, RTTE.ASSIGNED, BigInt(DATA), RIPAS.RAM]);
  });

  test('RIPAS DESTROYED is kept (READ_ENTRY reports ASSIGNED, desc 0, DESTROYED)', () => {
    const m = setup();
    dataCreate(m, RD, DATA2, 0);
    expectOk(m, 'DATA_DESTROY', [RD, 0]);
    expectOk(m, 'DATA_CREATE_UNKNOWN', [RD, DATA, 0]);
    expect(entryAt(m, RD, 0, 3)).toMatchObject({ hipas: 'ASSIGNED', ripas: 'DESTROYED', addr: DATA });
    expect(readEntry(m, RD, 0, 3)).toEqual([3n, RTTE.ASSIGNED, 0n, RIPAS.DESTROYED]);
  });

  test('allowed while the realm is ACTIVE (no realm-state check)', () => {
    const m = setup();
    expectOk(m, 'REALM_ACTIVATE', [RD]);
    const rim0 = rim(m);
    expectOk(m, 'DATA_CREATE_UNKNOWN', [RD, DATA, 0]);
    expect(readEntry(m, RD, 0, 3)).toEqual([3n, RTTE.ASSIGNED, BigInt(DATA), RIPAS.EMPTY]);
    expect(rim(m)).toBe(rim0);
  });
});

describe('DATA_DESTROY failure rows', () => {
  function withData(): Machine {
    const m = setup();
    expectOk(m, 'DATA_CREATE', [RD, DATA, 5 * KB4, SRC, NO_MEASURE]);
    return m;
  }
  const cases: RowCase[] = [
    { row: 'rd_align', what: 'rd + 1', i: 0, v: RD + 1 },
    { row: 'rd_align', what: 'rd = 2^64-1 (also out of range: alignment first)', i: 0, v: U64_MAX },
    { row: 'rd_bound', what: 'MMIO granule', i: 0, v: MMIO },
    { row: 'rd_bound', what: 'first PA past the PA range', i: 0, v: BEYOND },
    { row: 'rd_bound', what: '2^64 - 4K', i: 0, v: U64_MAX - 0xfffn },
    { row: 'rd_state', what: 'UNDELEGATED', i: 0, v: UNDELEGATED },
    { row: 'rd_state', what: 'RTT', i: 0, v: L2A },
    { row: 'rd_state', what: 'the DATA granule', i: 0, v: DATA },
    { row: 'ipa_bound', what: 'ipa = 2^(w-1)', i: 1, v: PAR },
    { row: 'ipa_bound', what: 'ipa = 2^w', i: 1, v: IPA_LIMIT },
    { row: 'ipa_bound', what: 'ipa = 2^64-1', i: 1, v: U64_MAX },
    { row: 'ipa_align', what: 'ipa = 5 * 4K + 8', i: 1, v: 5 * KB4 + 8 },
    { row: 'ipa_align', what: 'ipa = 2^(w-1) - 1', i: 1, v: PAR - 1 },
  ];
  test.each(cases)('$row: $what (X1, X2 zero)', ({ row, i, v }) => {
    const m = withData();
    const obs = expectFail(m, 'DATA_DESTROY', withArg([RD, 5 * KB4], i, v), 'ERROR_INPUT', 0, row);
    expect(obs.x).toEqual([0n, 0n, 0n, 0n]);
  });

  test('rtt_walk: no L3 → ERROR_RTT(2), X2 = end of the non-live run in the L2 table', () => {
    const m = withData();
    // L2A: entry 0 = TABLE(L3A), everything else UNASSIGNED: the run from entry 1 ends at the table end.
    const obs = expectFail(m, 'DATA_DESTROY', [RD, MB2 + 3 * KB4], 'ERROR_RTT', 2, 'rtt_walk');
    expect(obs.x.slice(0, 2)).toEqual([0n, BigInt(GB1)]);
    // A TABLE entry ends the run (and ipa need not be level-2 aligned).
    rttCreate(m, RD, L3B, 5 * MB2, 3);
    const obs2 = expectFail(m, 'DATA_DESTROY', [RD, MB2 + 3 * KB4], 'ERROR_RTT', 2, 'rtt_walk');
    expect(obs2.x.slice(0, 2)).toEqual([0n, BigInt(5 * MB2)]);
  });

  test('rtt_walk: no L2 → ERROR_RTT(1), X2 = end of the run in the root', () => {
    const m = withData();
    // Root entry 1 (the second GB) has no table; entries 2.. are UNASSIGNED_NS (not live): the run
    // reaches the end of the level-1 root table (512 entries of 1 GB).
    const obs = expectFail(m, 'DATA_DESTROY', [RD, GB1 + KB4], 'ERROR_RTT', 1, 'rtt_walk');
    expect(obs.x.slice(0, 2)).toEqual([0n, BigInt(ROOT_END)]);
  });

  test('rtt_walk at the root, the run ending at a TABLE entry', () => {
    const m = machine();
    createRealm(m);
    rttCreate(m, RD, L2B, GB1, 2); // root entry 1 = TABLE, entry 0 UNASSIGNED
    const obs = expectFail(m, 'DATA_DESTROY', [RD, 3 * KB4], 'ERROR_RTT', 1, 'rtt_walk');
    expect(obs.x.slice(0, 2)).toEqual([0n, BigInt(GB1)]);
  });

  test('rtte_state: UNASSIGNED entry → ERROR_RTT(3), X2 = next live entry', () => {
    const m = withData();
    const obs = expectFail(m, 'DATA_DESTROY', [RD, KB4], 'ERROR_RTT', 3, 'rtte_state');
    expect(obs.x.slice(0, 2)).toEqual([0n, BigInt(5 * KB4)]);
    const obs2 = expectFail(m, 'DATA_DESTROY', [RD, 6 * KB4], 'ERROR_RTT', 3, 'rtte_state');
    expect(obs2.x.slice(0, 2)).toEqual([0n, BigInt(MB2)]);
  });

  test('rtte_state: UNASSIGNED/DESTROYED entry (already destroyed) → ERROR_RTT(3)', () => {
    const m = withData();
    expectOk(m, 'DATA_DESTROY', [RD, 5 * KB4]);
    expectFail(m, 'DATA_DESTROY', [RD, 5 * KB4], 'ERROR_RTT', 3, 'rtte_state');
  });

  test('Ordered: ipa_bound before rtt_walk and rtte_state', () => {
    const m = withData();
    expect(readEntry(m, RD, PAR, 3)[0]).toBe(1n);
    expectFail(m, 'DATA_DESTROY', [RD, PAR], 'ERROR_INPUT', 0, 'ipa_bound');
    tablesTo3(m, RD, PAR, L2NS, L3NS);
    mapNs(m, RD, PAR, 3, BigInt(G(50)) | ATTRS);
    expect(readEntry(m, RD, PAR, 3).slice(0, 2)).toEqual([3n, RTTE.ASSIGNED]);
    expectFail(m, 'DATA_DESTROY', [RD, PAR], 'ERROR_INPUT', 0, 'ipa_bound');
    expectFail(m, 'DATA_DESTROY', [RD, PAR + KB4], 'ERROR_INPUT', 0, 'ipa_bound');
  });
});

describe('DATA_DESTROY success', () => {
  test('RAM → UNASSIGNED/DESTROYED; X1 = PA; X2 = top; DATA → DELEGATED zeroed; refcount −1; RIM unchanged', () => {
    const m = setup();
    m.writeWords(SRC, [0x1234n, 0x5678n]);
    expectOk(m, 'DATA_CREATE', [RD, DATA, 0, SRC, MEASURE]);
    dataCreate(m, RD, DATA2, 3 * KB4);
    const rc = refcount(m, L3A);
    const rim0 = rim(m);
    const obs = expectOk(m, 'DATA_DESTROY', [RD, 0]);
    expect(obs.x).toEqual([BigInt(DATA), BigInt(3 * KB4), 0n, 0n]);
    expect(readEntry(m, RD, 0, 3)).toEqual([3n, RTTE.UNASSIGNED, 0n, RIPAS.DESTROYED]);
    expect(gst(m, DATA)).toBe('DELEGATED');
    expect(words(m, DATA).size).toBe(0);
    expect(refcount(m, L3A)).toBe(rc - 1);
    expect(rim(m)).toBe(rim0);
    // Invariant 1: undelegating it gives the host zeros, not the realm's data.
    expectOk(m, 'GRANULE_UNDELEGATE', [DATA]);
    expect(m.read(DATA, 2)).toMatchObject({ values: [0n, 0n] });

    // The last mapping in the L3: the run goes to the end of the table.
    const obs2 = expectOk(m, 'DATA_DESTROY', [RD, 3 * KB4]);
    expect(obs2.x).toEqual([BigInt(DATA2), BigInt(MB2), 0n, 0n]);
    expect(refcount(m, L3A)).toBe(rc - 2);
  });

  test('EMPTY → UNASSIGNED/EMPTY', () => {
    const m = setup();
    dataCreateUnknown(m, RD, DATA2, 4 * KB4);
    const obs = expectOk(m, 'DATA_DESTROY', [RD, 4 * KB4]);
    expect(obs.x.slice(0, 2)).toEqual([BigInt(DATA2), BigInt(MB2)]);
    expect(readEntry(m, RD, 4 * KB4, 3)).toEqual([3n, RTTE.UNASSIGNED, 0n, RIPAS.EMPTY]);
    expect(gst(m, DATA2)).toBe('DELEGATED');
  });

  test('DESTROYED → UNASSIGNED/DESTROYED', () => {
    const m = setup();
    dataCreate(m, RD, DATA2, 0);
    expectOk(m, 'DATA_DESTROY', [RD, 0]);
    dataCreateUnknown(m, RD, DATA3, 0); // ASSIGNED/DESTROYED
    const obs = expectOk(m, 'DATA_DESTROY', [RD, 0]);
    expect(obs.x.slice(0, 2)).toEqual([BigInt(DATA3), BigInt(MB2)]);
    expect(readEntry(m, RD, 0, 3)).toEqual([3n, RTTE.UNASSIGNED, 0n, RIPAS.DESTROYED]);
  });

  test('allowed while the realm is ACTIVE; a mapping in another RTT does not end the run', () => {
    const m = setup();
    dataCreate(m, RD, DATA2, 0);
    rttCreate(m, RD, L3B, MB2, 3);
    expectOk(m, 'DATA_CREATE', [RD, DATA, MB2, SRC2, NO_MEASURE]);
    expectOk(m, 'REALM_ACTIVATE', [RD]);
    const obs = expectOk(m, 'DATA_DESTROY', [RD, 0]);
    expect(obs.x.slice(0, 2)).toEqual([BigInt(DATA2), BigInt(MB2)]);
    expect(entryAt(m, RD, MB2, 3)).toMatchObject({ hipas: 'ASSIGNED', addr: DATA });
  });

  test('the granule can be re-used: create, destroy, create again at another IPA', () => {
    const m = setup();
    expectOk(m, 'DATA_CREATE', [RD, DATA, 0, SRC, NO_MEASURE]);
    expectOk(m, 'DATA_DESTROY', [RD, 0]);
    expectOk(m, 'DATA_CREATE', [RD, DATA, KB4, SRC, NO_MEASURE]);
    expect(readEntry(m, RD, KB4, 3)).toEqual([3n, RTTE.ASSIGNED, BigInt(DATA), RIPAS.RAM]);
    expect(refcount(m, L3A)).toBe(1);
  });
});
