// RTT_MAP_UNPROTECTED and RTT_UNMAP_UNPROTECTED (reference §4, §5, §6, §10): failure rows, Ordered
// pairs, mappings at levels 3/2/1, `top`, and realm liveness with NS mappings only.

import { describe, expect, test } from 'vitest';
import {
  ATTRS, BEYOND, DATA, GB1, IPA_LIMIT, KB4, L2A, L2NS, L3A, L3NS, LEVEL_MINUS_1, MB2, MEMATTR_DEVICE, MEMATTR_NORMAL_WB, MMIO,
  Machine, PAR, RD, RIPAS, ROOT, ROOT_END, RTTE, S2AP_RO, S2AP_RW, SECURE, U64_MAX, UNDELEGATED, G, createRealm, dataCreate,
  entryAt, expectFail, expectOk, gst, machine, mapNs, readEntry, refcount, rim, tablesTo3,
} from './fixtures-rtt';
import { granuleAt } from '../../../real/cca/state';

type Arg = bigint | number;
const withArg = (args: Arg[], i: number, v: Arg): Arg[] => args.map((a, j) => (j === i ? v : a));
interface RowCase { row: string; what: string; i: number; v: Arg }

const OA = BigInt(G(50)); // an NS granule
const DESC = OA | ATTRS;

const rdRows = (i: number): RowCase[] => [
  { row: 'rd_align', what: 'rd + 8', i, v: RD + 8 },
  { row: 'rd_bound', what: 'MMIO granule', i, v: MMIO },
  { row: 'rd_bound', what: 'first PA past the PA range', i, v: BEYOND },
  { row: 'rd_state', what: 'UNDELEGATED', i, v: UNDELEGATED },
  { row: 'rd_state', what: 'SECURE granule', i, v: SECURE },
  { row: 'rd_state', what: 'an RTT (the root)', i, v: ROOT },
];
/** Map commands: level ∈ [1, 3]. */
const mapLevelRows = (i: number): RowCase[] => [
  { row: 'level_bound', what: 'level 0', i, v: 0 },
  { row: 'level_bound', what: 'level 4', i, v: 4 },
  { row: 'level_bound', what: 'level -1', i, v: LEVEL_MINUS_1 },
  { row: 'level_bound', what: 'level 2^63', i, v: 1n << 63n },
];
const ipaRows = (i: number): RowCase[] => [
  { row: 'ipa_align', what: 'level 3, ipa 2^(w-1) + 8', i, v: PAR + 8 },
  { row: 'ipa_align', what: 'level 3, ipa 2^64-1', i, v: U64_MAX },
  { row: 'ipa_bound', what: 'ipa 2^(w-1) - 4K (last protected granule)', i, v: PAR - KB4 },
  { row: 'ipa_bound', what: 'ipa 0', i, v: 0 },
  { row: 'ipa_bound', what: 'ipa 2^w', i, v: IPA_LIMIT },
  { row: 'ipa_bound', what: 'ipa 2^64 - 4K', i, v: U64_MAX - 0xfffn },
];

/** Realm with L2NS/L3NS over [2 GB, 2 GB + 2 MB) (unprotected). */
function nsTables(): Machine {
  const m = machine();
  createRealm(m);
  tablesTo3(m, RD, PAR, L2NS, L3NS);
  return m;
}

// ---------------------------------------------------------------------------------------------
describe('RTT_MAP_UNPROTECTED failure rows', () => {
  const valid: Arg[] = [RD, PAR, 3, DESC];
  const cases: RowCase[] = [
    ...mapLevelRows(2),
    ...rdRows(0),
    { row: 'attr_valid', what: 'bit 0 (descriptor valid bit)', i: 3, v: DESC | 1n },
    { row: 'attr_valid', what: 'bit 1', i: 3, v: DESC | 2n },
    { row: 'attr_valid', what: 'SH (bit 8)', i: 3, v: DESC | (1n << 8n) },
    { row: 'attr_valid', what: 'AF (bit 10)', i: 3, v: DESC | (1n << 10n) },
    { row: 'attr_valid', what: 'bit 11', i: 3, v: DESC | (1n << 11n) },
    { row: 'attr_valid', what: 'bit 48 (OA beyond 48 bits without LPA2)', i: 3, v: DESC | (1n << 48n) },
    { row: 'attr_valid', what: 'bit 54 (XN)', i: 3, v: DESC | (1n << 54n) },
    { row: 'attr_valid', what: 'bit 63', i: 3, v: DESC | (1n << 63n) },
    { row: 'attr_valid', what: 'desc = 2^64-1', i: 3, v: U64_MAX },
    { row: 'attr_valid', what: 'reserved MemAttr 0b0100', i: 3, v: OA | (0x4n << 2n) | S2AP_RW },
    ...ipaRows(1),
  ];
  test.each(cases)('$row: $what', ({ row, i, v }) => {
    const m = nsTables();
    expectFail(m, 'RTT_MAP_UNPROTECTED', withArg(valid, i, v), 'ERROR_INPUT', 0, row);
  });

  test('row order where two rows hold at once', () => {
    const m = nsTables();
    expectFail(m, 'RTT_MAP_UNPROTECTED', [UNDELEGATED, PAR, 4, DESC], 'ERROR_INPUT', 0, 'level_bound');
    expectFail(m, 'RTT_MAP_UNPROTECTED', [RD + 8, PAR, 0, DESC], 'ERROR_INPUT', 0, 'level_bound');
    expectFail(m, 'RTT_MAP_UNPROTECTED', [U64_MAX, PAR, 3, DESC], 'ERROR_INPUT', 0, 'rd_align');
    expectFail(m, 'RTT_MAP_UNPROTECTED', [UNDELEGATED, PAR, 3, DESC | 1n], 'ERROR_INPUT', 0, 'rd_state');
    expectFail(m, 'RTT_MAP_UNPROTECTED', [RD, PAR + MB2, 2, 0x4000_1000n | ATTRS | 1n], 'ERROR_INPUT', 0, 'attr_valid');
    expectFail(m, 'RTT_MAP_UNPROTECTED', [RD, PAR + KB4, 2, 0x4000_1000n | ATTRS], 'ERROR_INPUT', 0, 'addr_align');
    expectFail(m, 'RTT_MAP_UNPROTECTED', [RD, 8, 3, DESC], 'ERROR_INPUT', 0, 'ipa_align');
  });

  test('rtt_walk: the walk stops at a level-2 ASSIGNED_NS block → ERROR_RTT(2), not rtte_state', () => {
    const m = nsTables();
    mapNs(m, RD, PAR + MB2, 2, 0x4020_0000n | ATTRS);
    expectFail(m, 'RTT_MAP_UNPROTECTED', [RD, PAR + MB2 + KB4, 3, DESC], 'ERROR_RTT', 2, 'rtt_walk');
  });

  test('addr_align: OA not aligned to the level block size', () => {
    const m = nsTables();
    expectFail(m, 'RTT_MAP_UNPROTECTED', [RD, PAR + MB2, 2, 0x4000_1000n | ATTRS], 'ERROR_INPUT', 0, 'addr_align');
    expectFail(m, 'RTT_MAP_UNPROTECTED', [RD, PAR + GB1, 1, 0x4020_0000n | ATTRS], 'ERROR_INPUT', 0, 'addr_align');
  });

  test('addr_bound (OA ≥ 2^48) is shadowed by attr_valid: OA bits above 47 are not OA bits without LPA2', () => {
    const m = nsTables();
    expectFail(m, 'RTT_MAP_UNPROTECTED', [RD, PAR, 3, (1n << 48n) | ATTRS], 'ERROR_INPUT', 0, 'attr_valid');
  });

  test('ipa_align at levels 2 and 1', () => {
    const m = nsTables();
    expectFail(m, 'RTT_MAP_UNPROTECTED', [RD, PAR + KB4, 2, 0x4000_0000n], 'ERROR_INPUT', 0, 'ipa_align');
    expectFail(m, 'RTT_MAP_UNPROTECTED', [RD, PAR + MB2, 1, 0x4000_0000n], 'ERROR_INPUT', 0, 'ipa_align');
  });

  test('rtt_walk: walk stops above the level → ERROR_RTT(walk level)', () => {
    const m = nsTables();
    expectFail(m, 'RTT_MAP_UNPROTECTED', [RD, PAR + GB1, 3, DESC], 'ERROR_RTT', 1, 'rtt_walk');
    expectFail(m, 'RTT_MAP_UNPROTECTED', [RD, PAR + MB2, 3, DESC], 'ERROR_RTT', 2, 'rtt_walk');
    expectFail(m, 'RTT_MAP_UNPROTECTED', [RD, IPA_LIMIT - KB4, 3, DESC], 'ERROR_RTT', 1, 'rtt_walk');
  });

  test('rtte_state: entry not UNASSIGNED_NS → ERROR_RTT(level)', () => {
    const m = nsTables();
    mapNs(m, RD, PAR, 3, DESC);
    expectFail(m, 'RTT_MAP_UNPROTECTED', [RD, PAR, 3, BigInt(G(51)) | ATTRS], 'ERROR_RTT', 3, 'rtte_state'); // ASSIGNED_NS
    expectFail(m, 'RTT_MAP_UNPROTECTED', [RD, PAR, 2, 0x4000_0000n | ATTRS], 'ERROR_RTT', 2, 'rtte_state'); // TABLE
    expectFail(m, 'RTT_MAP_UNPROTECTED', [RD, PAR, 1, 0x4000_0000n | ATTRS], 'ERROR_RTT', 1, 'rtte_state'); // TABLE (root)
  });
});

describe('RTT_MAP_UNPROTECTED success', () => {
  test('level 3: ASSIGNED_NS with the host PA and attrs; not live; nothing else changes', () => {
    const m = nsTables();
    const rim0 = rim(m);
    const l2 = refcount(m, L2NS);
    const target = granuleAt(m.state, G(50));
    const obs = expectOk(m, 'RTT_MAP_UNPROTECTED', [RD, PAR + 3 * KB4, 3, OA | MEMATTR_NORMAL_WB | S2AP_RO]);
    expect(obs.x).toEqual([0n, 0n, 0n, 0n]);
    expect(entryAt(m, RD, PAR + 3 * KB4, 3)).toMatchObject({ level: 3, hipas: 'ASSIGNED_NS', addr: Number(OA), attrs: MEMATTR_NORMAL_WB | S2AP_RO });
    expect(readEntry(m, RD, PAR + 3 * KB4, 3)).toEqual([3n, RTTE.ASSIGNED, OA | MEMATTR_NORMAL_WB | S2AP_RO, RIPAS.EMPTY]);
    expect(readEntry(m, RD, PAR + 2 * KB4, 3)).toEqual([3n, RTTE.UNASSIGNED, 0n, RIPAS.EMPTY]);
    expect(refcount(m, L3NS)).toBe(0);
    expect(refcount(m, L2NS)).toBe(l2);
    expect(rim(m)).toBe(rim0);
    expect(granuleAt(m.state, G(50))).toBe(target); // the NS granule is not claimed
  });

  test('attrs 0 (MemAttr 0 = Device-nGnRnE, S2AP 0) are valid', () => {
    const m = nsTables();
    expectOk(m, 'RTT_MAP_UNPROTECTED', [RD, PAR, 3, OA]);
    expect(readEntry(m, RD, PAR, 3)).toEqual([3n, RTTE.ASSIGNED, OA, 0n]);
  });

  test('level 2 block (2 MB aligned OA)', () => {
    const m = nsTables();
    const desc = 0x4020_0000n | MEMATTR_DEVICE | S2AP_RW;
    expectOk(m, 'RTT_MAP_UNPROTECTED', [RD, PAR + MB2, 2, desc]);
    expect(readEntry(m, RD, PAR + MB2, 2)).toEqual([2n, RTTE.ASSIGNED, desc, 0n]);
    expect(readEntry(m, RD, PAR + MB2 + 5 * KB4, 3)).toEqual([2n, RTTE.ASSIGNED, desc, 0n]);
    expect(refcount(m, L2NS)).toBe(1); // only the TABLE entry
  });

  test('level 1 block at the last root entry below 2^w; OA need not be memory the RMM knows', () => {
    const m = nsTables();
    const desc = (1n << 47n) | ATTRS;
    expectOk(m, 'RTT_MAP_UNPROTECTED', [RD, IPA_LIMIT - GB1, 1, desc]);
    expect(readEntry(m, RD, IPA_LIMIT - GB1, 1)).toEqual([1n, RTTE.ASSIGNED, desc, 0n]);
    expect(refcount(m, ROOT)).toBe(1); // only the TABLE(L2NS) entry
  });

  test('the last unprotected granule 2^w - 4K', () => {
    const m = nsTables();
    tablesTo3(m, RD, IPA_LIMIT - KB4, L2A, L3A);
    expectOk(m, 'RTT_MAP_UNPROTECTED', [RD, IPA_LIMIT - KB4, 3, DESC]);
    expect(readEntry(m, RD, IPA_LIMIT - KB4, 3)).toEqual([3n, RTTE.ASSIGNED, DESC, 0n]);
  });

  test('allowed while the realm is ACTIVE', () => {
    const m = nsTables();
    expectOk(m, 'REALM_ACTIVATE', [RD]);
    expectOk(m, 'RTT_MAP_UNPROTECTED', [RD, PAR, 3, DESC]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('RTT_UNMAP_UNPROTECTED failure rows', () => {
  const valid: Arg[] = [RD, PAR, 3];
  const cases: RowCase[] = [...mapLevelRows(2), ...rdRows(0), ...ipaRows(1)];
  test.each(cases)('$row: $what (X1 zero)', ({ row, i, v }) => {
    const m = nsTables();
    mapNs(m, RD, PAR, 3, DESC);
    const obs = expectFail(m, 'RTT_UNMAP_UNPROTECTED', withArg(valid, i, v), 'ERROR_INPUT', 0, row);
    expect(obs.x).toEqual([0n, 0n, 0n, 0n]);
  });

  test('ipa_align at level 2', () => {
    const m = nsTables();
    expectFail(m, 'RTT_UNMAP_UNPROTECTED', [RD, PAR + KB4, 2], 'ERROR_INPUT', 0, 'ipa_align');
  });

  test('row order where two rows hold at once', () => {
    const m = nsTables();
    expectFail(m, 'RTT_UNMAP_UNPROTECTED', [RD + 8, PAR, 4], 'ERROR_INPUT', 0, 'level_bound');
    expectFail(m, 'RTT_UNMAP_UNPROTECTED', [U64_MAX, PAR, 3], 'ERROR_INPUT', 0, 'rd_align');
    expectFail(m, 'RTT_UNMAP_UNPROTECTED', [UNDELEGATED, PAR + 8, 3], 'ERROR_INPUT', 0, 'rd_state');
    expectFail(m, 'RTT_UNMAP_UNPROTECTED', [RD, 8, 3], 'ERROR_INPUT', 0, 'ipa_align');
  });

  test('rtt_walk: no table at the level → ERROR_RTT(walk level), X1 = top', () => {
    const m = nsTables();
    // Root entry 3 has no table; entries 4.. are UNASSIGNED_NS: the run goes to the root's end.
    const obs = expectFail(m, 'RTT_UNMAP_UNPROTECTED', [RD, PAR + GB1, 3], 'ERROR_RTT', 1, 'rtt_walk');
    expect(obs.x[0]).toBe(BigInt(ROOT_END));
    // L2NS entry 1 is UNASSIGNED_NS; entries 2.. too: the run goes to the end of L2NS.
    const obs2 = expectFail(m, 'RTT_UNMAP_UNPROTECTED', [RD, PAR + MB2, 3], 'ERROR_RTT', 2, 'rtt_walk');
    expect(obs2.x[0]).toBe(BigInt(PAR + GB1));
  });

  test('rtt_walk: a level-2 block cannot be unmapped at level 3 → ERROR_RTT(2)', () => {
    const m = nsTables();
    mapNs(m, RD, PAR + MB2, 2, 0x4020_0000n | ATTRS);
    expectFail(m, 'RTT_UNMAP_UNPROTECTED', [RD, PAR + MB2, 3], 'ERROR_RTT', 2, 'rtt_walk');
    expectFail(m, 'RTT_UNMAP_UNPROTECTED', [RD, PAR + MB2 + KB4, 3], 'ERROR_RTT', 2, 'rtt_walk');
  });

  test('rtte_state: entry UNASSIGNED_NS → ERROR_RTT(level), X1 = top', () => {
    const m = nsTables();
    const obs = expectFail(m, 'RTT_UNMAP_UNPROTECTED', [RD, PAR + KB4, 3], 'ERROR_RTT', 3, 'rtte_state');
    expect(obs.x[0]).toBe(BigInt(PAR + MB2)); // nothing mapped in L3NS: end of the table
  });

  test('rtte_state: entry TABLE at level 2 → ERROR_RTT(2)', () => {
    const m = nsTables();
    expectFail(m, 'RTT_UNMAP_UNPROTECTED', [RD, PAR, 2], 'ERROR_RTT', 2, 'rtte_state');
  });

  test('Ordered: level_bound before rtt_walk and rtte_state', () => {
    const m = nsTables();
    // level 4 at ipa 2^(w-1)+1 GB: the walk to 3 stops at 1 (rtt_walk would hold);
    // at 2^(w-1): reaches L3NS whose entry is UNASSIGNED_NS (rtte_state would hold).
    expect(readEntry(m, RD, PAR + GB1, 3)[0]).toBe(1n);
    expectFail(m, 'RTT_UNMAP_UNPROTECTED', [RD, PAR + GB1, 4], 'ERROR_INPUT', 0, 'level_bound');
    expectFail(m, 'RTT_UNMAP_UNPROTECTED', [RD, PAR, 4], 'ERROR_INPUT', 0, 'level_bound');
    expectFail(m, 'RTT_UNMAP_UNPROTECTED', [RD, PAR + GB1, 0], 'ERROR_INPUT', 0, 'level_bound');
    expectFail(m, 'RTT_UNMAP_UNPROTECTED', [RD, PAR, LEVEL_MINUS_1], 'ERROR_INPUT', 0, 'level_bound');
  });

  test('Ordered: ipa_bound before rtt_walk and rtte_state', () => {
    const m = nsTables();
    expect(readEntry(m, RD, 0, 3)[0]).toBe(1n); // protected, no tables: rtt_walk would hold
    expectFail(m, 'RTT_UNMAP_UNPROTECTED', [RD, 0, 3], 'ERROR_INPUT', 0, 'ipa_bound');
    tablesTo3(m, RD, 0, L2A, L3A);
    dataCreate(m, RD, DATA, 0);
    expect(readEntry(m, RD, 0, 3).slice(0, 2)).toEqual([3n, RTTE.ASSIGNED]); // not ASSIGNED_NS: rtte_state would hold
    expectFail(m, 'RTT_UNMAP_UNPROTECTED', [RD, 0, 3], 'ERROR_INPUT', 0, 'ipa_bound');
    expectFail(m, 'RTT_UNMAP_UNPROTECTED', [RD, KB4, 3], 'ERROR_INPUT', 0, 'ipa_bound');
  });
});

describe('RTT_UNMAP_UNPROTECTED success', () => {
  test('level 3: entry → UNASSIGNED_NS; X1 = top (end of the table when nothing else is mapped)', () => {
    const m = nsTables();
    mapNs(m, RD, PAR + 7 * KB4, 3, DESC);
    const rim0 = rim(m);
    const obs = expectOk(m, 'RTT_UNMAP_UNPROTECTED', [RD, PAR + 7 * KB4, 3]);
    expect(obs.x).toEqual([BigInt(PAR + MB2), 0n, 0n, 0n]);
    expect(entryAt(m, RD, PAR + 7 * KB4, 3)).toMatchObject({ level: 3, hipas: 'UNASSIGNED_NS' });
    expect(readEntry(m, RD, PAR + 7 * KB4, 3)).toEqual([3n, RTTE.UNASSIGNED, 0n, 0n]);
    expect(refcount(m, L3NS)).toBe(0);
    expect(rim(m)).toBe(rim0);
    // Unmapped once: a second unmap fails.
    expectFail(m, 'RTT_UNMAP_UNPROTECTED', [RD, PAR + 7 * KB4, 3], 'ERROR_RTT', 3, 'rtte_state');
  });

  test('X1 = the next entry that still maps something (TF-RMM skip_non_live_entries: entries with a PA)', () => {
    const m = nsTables();
    mapNs(m, RD, PAR, 3, DESC);
    mapNs(m, RD, PAR + 3 * KB4, 3, BigInt(G(51)) | ATTRS);
    expect(expectOk(m, 'RTT_UNMAP_UNPROTECTED', [RD, PAR, 3]).x[0]).toBe(BigInt(PAR + 3 * KB4));
    expect(expectOk(m, 'RTT_UNMAP_UNPROTECTED', [RD, PAR + 3 * KB4, 3]).x[0]).toBe(BigInt(PAR + MB2));
  });

  test('level 2 block: X1 = end of the run in the level-2 table', () => {
    const m = nsTables();
    mapNs(m, RD, PAR + MB2, 2, 0x4020_0000n | ATTRS);
    expect(expectOk(m, 'RTT_UNMAP_UNPROTECTED', [RD, PAR + MB2, 2]).x[0]).toBe(BigInt(PAR + GB1));
    expect(entryAt(m, RD, PAR + MB2, 2)).toMatchObject({ level: 2, hipas: 'UNASSIGNED_NS' });
  });

  test('level 1 block: X1 = end of the root table', () => {
    const m = nsTables();
    mapNs(m, RD, PAR + GB1, 1, 0x4000_0000n | ATTRS);
    expect(expectOk(m, 'RTT_UNMAP_UNPROTECTED', [RD, PAR + GB1, 1]).x[0]).toBe(BigInt(ROOT_END));
    expect(entryAt(m, RD, PAR + GB1, 1)).toMatchObject({ level: 1, hipas: 'UNASSIGNED_NS' });
  });

  test('allowed while the realm is ACTIVE', () => {
    const m = nsTables();
    mapNs(m, RD, PAR, 3, DESC);
    expectOk(m, 'REALM_ACTIVATE', [RD]);
    expectOk(m, 'RTT_UNMAP_UNPROTECTED', [RD, PAR, 3]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('realm liveness: ASSIGNED_NS is not live (§4)', () => {
  test('NS memory mapped at the root only: REALM_DESTROY succeeds without unmapping', () => {
    const m = machine();
    createRealm(m);
    mapNs(m, RD, PAR, 1, 0x4000_0000n | ATTRS);
    mapNs(m, RD, PAR + GB1, 1, 0x8000_0000n | ATTRS);
    expect(refcount(m, ROOT)).toBe(0);
    expectOk(m, 'REALM_DESTROY', [RD]);
    expect(gst(m, RD)).toBe('DELEGATED');
    expect(gst(m, ROOT)).toBe('DELEGATED');
  });

  test('NS mappings in tables: the tables are live, their NS entries are not', () => {
    const m = machine();
    createRealm(m);
    tablesTo3(m, RD, PAR, L2NS, L3NS);
    mapNs(m, RD, PAR, 3, DESC);
    mapNs(m, RD, PAR + MB2, 2, 0x4020_0000n | ATTRS);
    expectFail(m, 'REALM_DESTROY', [RD], 'ERROR_REALM', 0, 'realm_live'); // TABLE entries are live
    expectOk(m, 'RTT_DESTROY', [RD, PAR, 3]); // L3NS holds an ASSIGNED_NS entry: not live
    expectOk(m, 'RTT_DESTROY', [RD, PAR, 2]); // L2NS holds an ASSIGNED_NS block: not live
    expectOk(m, 'REALM_DESTROY', [RD]);
  });

  test('contrast: protected DATA keeps the realm live', () => {
    const m = machine();
    createRealm(m);
    tablesTo3(m, RD, 0, L2A, L3A);
    dataCreate(m, RD, DATA, 0);
    mapNs(m, RD, PAR, 1, 0x4000_0000n | ATTRS);
    expectFail(m, 'RTT_DESTROY', [RD, 0, 3], 'ERROR_RTT', 3, 'rtt_live');
    expectOk(m, 'DATA_DESTROY', [RD, 0]);
    expectOk(m, 'RTT_DESTROY', [RD, 0, 3]);
    expectOk(m, 'RTT_DESTROY', [RD, 0, 2]);
    expectOk(m, 'REALM_DESTROY', [RD]);
  });
});

// FEAT_S2FWB MemAttr is bits [4:2] (TF-RMM S2TTE_MEMATTR_MASK = 0x7 << 2); bit 5 is outside the
// host-controlled mask (S2TTE_NS_ATTR_MASK), so host_ns_s2tte_is_valid rejects it.
test.each([0n, 1n, 2n, 3n, 5n, 6n, 7n])('RTT_MAP_UNPROTECTED: MemAttr[4:2] = %s (not the reserved 0b100) is accepted (TF-RMM)', (v) => {
  const m = nsTables();
  expectOk(m, 'RTT_MAP_UNPROTECTED', [RD, PAR, 3, OA | (v << 2n) | S2AP_RW]);
});
test.each([0x8n, 0xen, 0xcn])('RTT_MAP_UNPROTECTED: descriptor bit 5 set (4-bit MemAttr %s) is ERROR_INPUT attr_valid (TF-RMM)', (v) => {
  const m = nsTables();
  expectFail(m, 'RTT_MAP_UNPROTECTED', [RD, PAR, 3, OA | (v << 2n) | S2AP_RW], 'ERROR_INPUT', 0, 'attr_valid');
});
