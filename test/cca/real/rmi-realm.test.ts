// REALM_CREATE / REALM_ACTIVATE / REALM_DESTROY (reference §1, §3, §4, §5 "Initial", §6, §10).
import { describe, expect, test } from 'vitest';
import { Config, DEFAULT_CONFIG } from '../../../real/cca/config';
import { RealmParamsInput } from '../../../real/cca/params';
import { Rd, Rtt } from '../../../real/cca/state';
import {
  G, MAX64, Machine, OUT_OF_BOUNDS, PARAMS, TOP_ALIGNED, Z, createL3, createRealm, delegate, expectFail, expectOk,
  expectOtherGranulesUntouched, gr, hostReadAll, isZeroGranule, machine, makeRec, misaligned, wrongStates, zoo,
  PSCI_FN, RUN, enter, realmSmc,
} from './fixtures-extra';
import { faithful } from '../../../real/cca/faithful';

/** New realm candidates next to the zoo. */
const NRD = G(21);
const NROOT = G(22);
const VALID: RealmParamsInput = { s2sz: 32n, rttLevelStart: 1n, rttNumStart: 1n, rttBase: BigInt(NROOT), vmid: 2n };

/** Zoo plus a DELEGATED rd (21) and root (22). */
function setup(cfg: Config = DEFAULT_CONFIG): Machine {
  const m = zoo(cfg);
  delegate(m, NRD, NROOT);
  return m;
}

function writeParams(m: Machine, p: Partial<RealmParamsInput>, at = PARAMS) {
  const o = m.writeRealmParams(at, { ...VALID, ...p });
  expect(o.kind === 'host-write' && o.fault).toBeFalsy();
}

function createFails(m: Machine, p: Partial<RealmParamsInput>, row: string, rd: bigint | number = NRD, ptr: bigint | number = PARAMS) {
  writeParams(m, p);
  expectFail(m, 'REALM_CREATE', [rd, ptr], 'ERROR_INPUT', 0, row);
}

const rdOf = (m: Machine, pa: number) => gr(m, pa).content as Rd;
const rttOf = (m: Machine, pa: number) => gr(m, pa).content as Rtt;

describe('REALM_CREATE failure rows, in order', () => {
  test('baseline: the otherwise-valid arguments used below succeed', () => {
    const m = setup();
    writeParams(m, {});
    expectOk(m, 'REALM_CREATE', [NRD, PARAMS]);
  });

  test.each(misaligned(PARAMS))('params_align: params_ptr %s', (ptr) => createFails(setup(), {}, 'params_align', NRD, ptr));
  test.each(OUT_OF_BOUNDS)('params_bound: params_ptr %s', (ptr) => createFails(setup(), {}, 'params_bound', NRD, ptr));
  test.each([
    ['DELEGATED', Z.DELEGATED],
    ['Secure PAS (60)', Z.SECURE],
    ['Root PAS (61)', Z.ROOTPAS],
    ['RD', Z.RD],
    ['the rd argument itself', NRD],
  ])('params_pas: params in a %s granule', (_l, ptr) => createFails(setup(), {}, 'params_pas', NRD, ptr));

  test.each<[string, Partial<RealmParamsInput>]>([
    ['hash_algo 2 (reserved)', { hashAlgo: 2n }],
    ['hash_algo 2^64-1', { hashAlgo: MAX64 }],
    ['s2sz 31 (< 32, §10)', { s2sz: 31n }],
    ['s2sz 0', { s2sz: 0n }],
    ['s2sz 49 (> FEATURES S2SZ 48)', { s2sz: 49n }],
    ['s2sz 2^64-1', { s2sz: MAX64 }],
  ])('params_valid: %s', (_l, p) => createFails(setup(), p, 'params_valid'));

  test.each<[string, Partial<RealmParamsInput>]>([
    ['LPA2 requested (FEATURES LPA2 = 0)', { flags: 1n }],
    ['SVE requested (FEATURES SVE_EN = 0)', { flags: 2n }],
    ['PMU with 5 counters (FEATURES 4)', { flags: 4n, pmuNumCtrs: 5n }],
    ['PMU with 2^64-1 counters', { flags: 4n, pmuNumCtrs: MAX64 }],
    ['num_bps 7 (FEATURES 6)', { numBps: 7n }],
    ['num_bps 64 (above the 6-bit field)', { numBps: 64n }],
    ['num_wps 7 (FEATURES 6)', { numWps: 7n }],
    ['num_wps 2^64-1', { numWps: MAX64 }],
    // TF-RMM validate_realm_params: "The values 0 are reserved" (reference §10 said 0 was accepted).
    ['num_bps 0 (reserved)', { numBps: 0n }],
    ['num_wps 0 (reserved)', { numWps: 0n }],
    ['num_bps = num_wps = 0', { numBps: 0n, numWps: 0n }],
    // TF-RMM: pmu_num_ctrs 0 with the PMU flag needs FEAT_HPMN0, which the default machine lacks.
    ['PMU with 0 counters without FEAT_HPMN0', { flags: 4n, pmuNumCtrs: 0n }],
    // The fields are 32-bit in TF-RMM: bits above 31 are not part of num_bps, so 2^32 is 0 (reserved).
    ['num_bps 2^32 (a 32-bit field: reads as 0)', { numBps: 1n << 32n }],
  ])('params_supp: %s', (_l, p) => createFails(setup(), p, 'params_supp'));

  test.each<[string, Partial<Config>, Partial<RealmParamsInput>]>([
    ['SHA-256 not supported', { sha256: false }, { hashAlgo: 0n }],
    ['SHA-512 not supported', { sha512: false }, { hashAlgo: 1n }],
    ['PMU not supported', { pmuSupported: false, pmuMaxCtrs: 0 }, { flags: 4n, pmuNumCtrs: 0n }],
    ['SVE vl above the maximum', { sveSupported: true, sveMaxVl: 3 }, { flags: 2n, sveVl: 4n }],
  ])('params_supp with config (%s)', (_l, cfg, p) => createFails(setup({ ...DEFAULT_CONFIG, ...cfg }), p, 'params_supp'));

  test.each<[string, Partial<Config>, Partial<RealmParamsInput>]>([
    ['num_bps = num_wps = 1 (the minimum)', {}, { numBps: 1n, numWps: 1n }],
    ['PMU with 0 counters on a PE with FEAT_HPMN0', { pmuHpmn0: true }, { flags: 4n, pmuNumCtrs: 0n }],
    ['PMU flag clear: pmu_num_ctrs 0 needs no HPMN0', {}, { flags: 0n, pmuNumCtrs: 0n }],
    ['num_bps = num_wps = 6 (the maximum)', {}, { numBps: 6n, numWps: 6n }],
    ['PMU with 4 counters', {}, { flags: 4n, pmuNumCtrs: 4n }],
    ['SHA-512', {}, { hashAlgo: 1n }],
    ['SVE with the maximum vl', { sveSupported: true, sveMaxVl: 3 }, { flags: 2n, sveVl: 3n }],
    ['SHA-256 unsupported but SHA-512 chosen', { sha256: false }, { hashAlgo: 1n }],
  ])('supported feature choices succeed: %s', (_l, cfg, p) => {
    const m = setup({ ...DEFAULT_CONFIG, ...cfg });
    writeParams(m, p);
    expectOk(m, 'REALM_CREATE', [NRD, PARAMS]);
  });

  // §10 geometry: w in [(3-s)*9+13, (3-s)*9+25]; roots = 1 if w <= (3-s)*9+21 else 2^(w-((3-s)*9+21)).
  test.each<[bigint, bigint, bigint]>([
    [32n, 1n, 2n], // needs 1
    [32n, 1n, 0n],
    [32n, 1n, MAX64],
    [32n, 2n, 1n], // needs 4
    [32n, 2n, 2n],
    [32n, 2n, 8n],
    [40n, 1n, 1n], // needs 2
    [40n, 1n, 4n],
    [32n, 0n, 1n], // s=0 needs w >= 40
    [32n, 3n, 1n], // s=3 needs w <= 25
    [48n, 0n, 2n], // needs 1
    [48n, 1n, 512n], // s=1 allows w <= 43
    [32n, 4n, 1n], // no level 4
    [32n, MAX64, 1n], // level -1 needs LPA2
  ])('rtt_num_level: s2sz %s, level_start %s, num_start %s', (w, s, n) =>
    createFails(setup(), { s2sz: w, rttLevelStart: s, rttNumStart: n }, 'rtt_num_level'));

  test('rtt_num_level: start level 0 with a PA width under 44 bits (§10)', () => {
    createFails(setup({ ...DEFAULT_CONFIG, paWidth: 40 }), { s2sz: 48n, rttLevelStart: 0n, rttNumStart: 1n }, 'rtt_num_level');
  });

  // The VMID field is 16 bits wide (TF-RMM struct rmi_realm_params: `unsigned short vmid` at 0x800):
  // the upper 48 bits of the word are not part of it. The zoo's live realm has VMID 1.
  test('vmid_valid: the word 0x10001 is VMID 1, which is in use', () => createFails(setup(), { vmid: 0x10001n }, 'vmid_valid'));
  test.each<[string, bigint, number]>([
    ['0x10002 is VMID 2', 0x10002n, 2],
    ['2^16 is VMID 0', 1n << 16n, 0],
    ['2^64-1 is VMID 0xffff (FEAT_VMID16)', MAX64, 0xffff],
  ])('vmid: only bits [15:0] count: %s', (_l, vmid, expected) => {
    const m = setup();
    writeParams(m, { vmid });
    expectOk(m, 'REALM_CREATE', [NRD, PARAMS]);
    expect(rdOf(m, NRD).vmid).toBe(expected);
    expect(m.state.vmids.get(expected)).toBe(NRD);
  });
  test('vmid_valid: 8-bit VMIDs reject 0xffff (the low 16 bits of 2^64-1)', () => {
    createFails(setup({ ...DEFAULT_CONFIG, vmidBits: 8 }), { vmid: MAX64 }, 'vmid_valid');
  });

  test('vmid_valid: 8-bit VMIDs reject 256', () => {
    createFails(setup({ ...DEFAULT_CONFIG, vmidBits: 8 }), { vmid: 256n }, 'vmid_valid');
  });

  test('vmid_valid: vmid in use by a live realm', () => createFails(setup(), { vmid: 1n }, 'vmid_valid'));

  test('alias: rd is the (single) root RTT granule', () => createFails(setup(), {}, 'alias', NROOT));
  test('alias: rd is the last of 4 concatenated root RTTs', () => {
    const m = setup();
    delegate(m, G(24), G(25), G(26), G(27));
    createFails(m, { s2sz: 32n, rttLevelStart: 2n, rttNumStart: 4n, rttBase: BigInt(G(24)) }, 'alias', G(27));
  });
  test('alias wins over rd_state (rd = rtt_base, both UNDELEGATED)', () => {
    const m = setup();
    createFails(m, { rttBase: BigInt(G(30)) }, 'alias', G(30));
  });

  test.each(misaligned(NRD))('rd_align: rd %s', (rd) => createFails(setup(), {}, 'rd_align', rd));
  test.each(OUT_OF_BOUNDS)('rd_bound: rd %s', (rd) => createFails(setup(), {}, 'rd_bound', rd));
  test.each(wrongStates('DELEGATED'))('rd_state: rd in state %s', (_l, rd) => createFails(setup(), {}, 'rd_state', rd));

  test.each<[string, Partial<RealmParamsInput>]>([
    ['rtt_base not 4K-aligned', { rttBase: BigInt(NROOT + 8) }],
    ['rtt_base 2^64-1', { rttBase: MAX64 }],
    ['4 roots, rtt_base 8K- but not 16K-aligned (G(22))', { s2sz: 32n, rttLevelStart: 2n, rttNumStart: 4n, rttBase: BigInt(G(22)) }],
    ['2 roots, rtt_base odd granule (G(23))', { s2sz: 40n, rttLevelStart: 1n, rttNumStart: 2n, rttBase: BigInt(G(23)) }],
  ])('rtt_align: %s', (_l, p) => createFails(setup(), p, 'rtt_align'));

  test.each([
    ...wrongStates('DELEGATED').map(([l, pa]): [string, bigint] => [`root in state ${l}`, BigInt(pa)]),
    ...OUT_OF_BOUNDS.map((v): [string, bigint] => [`root at ${v} (not memory)`, BigInt(v)]),
  ])('rtt_state: %s', (_l, base) => createFails(setup(), { rttBase: base }, 'rtt_state'));

  test('rtt_state: the last of 4 root granules is not DELEGATED', () => {
    const m = setup();
    delegate(m, G(24), G(25), G(26));
    createFails(m, { s2sz: 32n, rttLevelStart: 2n, rttNumStart: 4n, rttBase: BigInt(G(24)) }, 'rtt_state');
  });

  // Adjacent rows of the model's deterministic (TF-RMM) order, both conditions holding; all ERROR_INPUT.
  test.each<[string, Partial<RealmParamsInput>, string, number?]>([
    ['params_valid before params_supp', { hashAlgo: 2n, flags: 1n }, 'params_valid'],
    ['params_supp before rtt_num_level', { flags: 1n, rttNumStart: 2n }, 'params_supp'],
    ['rtt_num_level before vmid_valid', { rttNumStart: 2n, vmid: 1n << 16n }, 'rtt_num_level'],
    ['vmid_valid (in use) before alias', { vmid: 1n }, 'vmid_valid', NROOT],
    ['alias before rd_align (rd inside the root granule)', {}, 'alias', NROOT + 8],
    ['rd_state before rtt_align', { rttBase: BigInt(NROOT + 8) }, 'rd_state', G(30)],
    ['rtt_align before rtt_state', { rttBase: BigInt(G(30) + 8) }, 'rtt_align'],
  ])('order: %s', (_l, p, row, rd) => createFails(setup(), p, row, rd ?? NRD));

  test('a failed create leaves the VMID free and the granules DELEGATED', () => {
    const m = setup();
    createFails(m, { rttBase: BigInt(G(30)) }, 'rtt_state');
    expect(m.state.vmids.has(2)).toBe(false);
    writeParams(m, {});
    expectOk(m, 'REALM_CREATE', [NRD, PARAMS]);
  });
});

describe('REALM_CREATE success effects', () => {
  test('rd -> RD (NEW, params recorded, rec_index 0, REMs 0), root -> RTT, VMID reserved, nothing else changes', () => {
    const m = machine();
    delegate(m, G(1), G(2));
    const rpv = [1n, 2n, 3n, 4n, 5n, 6n, 7n, MAX64];
    m.writeRealmParams(PARAMS, { s2sz: 32n, rttLevelStart: 1n, rttNumStart: 1n, rttBase: BigInt(G(2)), vmid: 77n, hashAlgo: 1n, rpv,
      flags: 4n, pmuNumCtrs: 3n, numBps: 2n, numWps: 5n });
    const before = m.state;
    const obs = expectOk(m, 'REALM_CREATE', [G(1), PARAMS]);
    expect(obs.x).toEqual([0n, 0n, 0n, 0n]);
    const g = gr(m, G(1));
    expect({ state: g.state, pas: g.pas, refcount: g.refcount }).toEqual({ state: 'RD', pas: 'REALM', refcount: 0 });
    const rd = rdOf(m, G(1));
    expect(rd).toMatchObject({ kind: 'rd', state: 'NEW', ipaWidth: 32, rttBase: G(2), rttLevelStart: 1, rttNumStart: 1, vmid: 77, hashAlgo: 1, recIndex: 0, rpv });
    expect(rd.features).toMatchObject({ lpa2: false, sve: false, pmu: true, pmuNumCtrs: 3, numBps: 2, numWps: 5 });
    expect(rd.measurements.slice(1)).toEqual([0n, 0n, 0n, 0n]);
    const r = gr(m, G(2));
    expect({ state: r.state, pas: r.pas, refcount: r.refcount }).toEqual({ state: 'RTT', pas: 'REALM', refcount: 0 });
    expect(m.state.vmids.get(77)).toBe(G(1));
    expectOtherGranulesUntouched(before, m.state, [G(1), G(2)]);
  });

  test('RIM is initialised from the realm parameters', () => {
    const rim = (p: Partial<RealmParamsInput>) => {
      const m = machine();
      createRealm(m, { params: p });
      return rdOf(m, G(1)).measurements[0];
    };
    const base = rim({});
    expect(rim({ hashAlgo: 1n })).not.toBe(base);
    expect(rim({ flags: 4n, pmuNumCtrs: 1n })).not.toBe(base);
    expect(rim({ numBps: 3n })).not.toBe(base);
  });

  // Reference §5 "Initial": root entries in PAR = [0, 2^(w-1)) are UNASSIGNED/EMPTY, above it UNASSIGNED_NS.
  const entryKinds = (t: Rtt) => t.entries.map((e) => (e.hipas === 'UNASSIGNED' && e.ripas === 'EMPTY' ? 'P' : e.hipas === 'UNASSIGNED_NS' ? 'N' : '?'));
  const expectRoot = (m: Machine, pa: number, level: number, protectedEntries: number) => {
    const g = gr(m, pa);
    expect(g.state).toBe('RTT');
    const t = rttOf(m, pa);
    expect(t.level).toBe(level);
    expect(t.entries.length).toBe(512);
    const k = entryKinds(t);
    expect(k.slice(0, protectedEntries).every((x) => x === 'P')).toBe(true);
    expect(k.slice(protectedEntries).every((x) => x === 'N')).toBe(true);
  };

  test('w=32, s=1: one level-1 root; entries 0-1 (2 GB PAR) protected, the rest NS', () => {
    const m = machine();
    delegate(m, G(1), G(2));
    m.writeRealmParams(PARAMS, { s2sz: 32n, rttLevelStart: 1n, rttNumStart: 1n, rttBase: BigInt(G(2)), vmid: 1n });
    expectOk(m, 'REALM_CREATE', [G(1), PARAMS]);
    expectRoot(m, G(2), 1, 2);
  });

  test('w=32, s=2: four level-2 roots (16K-aligned); first two protected, last two NS', () => {
    const m = machine();
    delegate(m, G(1), G(4), G(5), G(6), G(7));
    m.writeRealmParams(PARAMS, { s2sz: 32n, rttLevelStart: 2n, rttNumStart: 4n, rttBase: BigInt(G(4)), vmid: 1n });
    const before = m.state;
    expectOk(m, 'REALM_CREATE', [G(1), PARAMS]);
    expectRoot(m, G(4), 2, 512);
    expectRoot(m, G(5), 2, 512);
    expectRoot(m, G(6), 2, 0);
    expectRoot(m, G(7), 2, 0);
    expect(rdOf(m, G(1))).toMatchObject({ rttBase: G(4), rttLevelStart: 2, rttNumStart: 4 });
    expectOtherGranulesUntouched(before, m.state, [G(1), G(4), G(5), G(6), G(7)]);
  });

  test('w=32, s=2 with rtt_base aligned to 8K but not 16K fails rtt_align', () => {
    const m = machine();
    delegate(m, G(1), G(6), G(7), G(8), G(9));
    m.writeRealmParams(PARAMS, { s2sz: 32n, rttLevelStart: 2n, rttNumStart: 4n, rttBase: BigInt(G(6)), vmid: 1n });
    expectFail(m, 'REALM_CREATE', [G(1), PARAMS], 'ERROR_INPUT', 0, 'rtt_align');
  });

  test('w=40, s=1: two level-1 roots; root 0 is the 512 GB PAR, root 1 NS', () => {
    const m = machine();
    delegate(m, G(1), G(2), G(3));
    m.writeRealmParams(PARAMS, { s2sz: 40n, rttLevelStart: 1n, rttNumStart: 2n, rttBase: BigInt(G(2)), vmid: 1n });
    expectOk(m, 'REALM_CREATE', [G(1), PARAMS]);
    expectRoot(m, G(2), 1, 512);
    expectRoot(m, G(3), 1, 0);
  });

  test('w=48, s=0: one level-0 root; entries 0-255 protected', () => {
    const m = machine();
    delegate(m, G(1), G(2));
    m.writeRealmParams(PARAMS, { s2sz: 48n, rttLevelStart: 0n, rttNumStart: 1n, rttBase: BigInt(G(2)), vmid: 1n });
    expectOk(m, 'REALM_CREATE', [G(1), PARAMS]);
    expectRoot(m, G(2), 0, 256);
  });

  test('w=40, s=1 with one root fails; with two succeeds', () => {
    const m = machine();
    delegate(m, G(1), G(2), G(3));
    m.writeRealmParams(PARAMS, { s2sz: 40n, rttLevelStart: 1n, rttNumStart: 1n, rttBase: BigInt(G(2)), vmid: 1n });
    expectFail(m, 'REALM_CREATE', [G(1), PARAMS], 'ERROR_INPUT', 0, 'rtt_num_level');
    m.writeRealmParams(PARAMS, { s2sz: 40n, rttLevelStart: 1n, rttNumStart: 2n, rttBase: BigInt(G(2)), vmid: 1n });
    expectOk(m, 'REALM_CREATE', [G(1), PARAMS]);
  });

  test('VMID uniqueness: a second realm with the same VMID fails; after REALM_DESTROY the VMID is free', () => {
    const m = machine();
    createRealm(m, { rd: G(1), root: G(2), vmid: 5n });
    delegate(m, G(3), G(4));
    m.writeRealmParams(PARAMS, { s2sz: 32n, rttLevelStart: 1n, rttNumStart: 1n, rttBase: BigInt(G(4)), vmid: 5n });
    expectFail(m, 'REALM_CREATE', [G(3), PARAMS], 'ERROR_INPUT', 0, 'vmid_valid');
    // A different VMID is fine.
    m.writeRealmParams(PARAMS, { s2sz: 32n, rttLevelStart: 1n, rttNumStart: 1n, rttBase: BigInt(G(4)), vmid: 6n });
    expectOk(m, 'REALM_CREATE', [G(3), PARAMS]);
    expectOk(m, 'REALM_DESTROY', [G(1)]);
    expect(m.state.vmids.has(5)).toBe(false);
    expect(m.state.vmids.get(6)).toBe(G(3));
    // G(1)/G(2) are DELEGATED again: reuse them with the freed VMID.
    m.writeRealmParams(PARAMS, { s2sz: 32n, rttLevelStart: 1n, rttNumStart: 1n, rttBase: BigInt(G(2)), vmid: 5n });
    expectOk(m, 'REALM_CREATE', [G(1), PARAMS]);
  });

  test('the largest 16-bit VMID is valid', () => {
    const m = setup();
    writeParams(m, { vmid: 0xffffn });
    expectOk(m, 'REALM_CREATE', [NRD, PARAMS]);
    expect(m.state.vmids.get(0xffff)).toBe(NRD);
  });

  test('rtt_base near the top of the 64-bit range fails rtt_state (no wrap-around)', () => {
    createFails(setup(), { rttBase: TOP_ALIGNED }, 'rtt_state');
  });
});

describe('REALM_ACTIVATE', () => {
  test.each(misaligned(Z.RD))('rd_align: rd %s', (rd) => expectFail(zoo(), 'REALM_ACTIVATE', [rd], 'ERROR_INPUT', 0, 'rd_align'));
  test.each(OUT_OF_BOUNDS)('rd_bound: rd %s', (rd) => expectFail(zoo(), 'REALM_ACTIVATE', [rd], 'ERROR_INPUT', 0, 'rd_bound'));
  test.each(wrongStates('RD'))('rd_state: rd in state %s', (_l, rd) => expectFail(zoo(), 'REALM_ACTIVATE', [rd], 'ERROR_INPUT', 0, 'rd_state'));

  test('realm_state: an ACTIVE realm cannot be activated again (ERROR_REALM)', () => {
    const m = zoo();
    expectOk(m, 'REALM_ACTIVATE', [Z.RD]);
    expectFail(m, 'REALM_ACTIVATE', [Z.RD], 'ERROR_REALM', 0, 'realm_state');
  });
  test('realm_state: a SYSTEM_OFF realm cannot be activated (ERROR_REALM); it can still be destroyed', () => {
    const m = zoo();
    expectOk(m, 'REALM_ACTIVATE', [Z.RD]);
    enter(m, Z.REC, RUN);
    realmSmc(m, [PSCI_FN.SYSTEM_OFF]);
    expect(rdOf(m, Z.RD).state).toBe('SYSTEM_OFF');
    expectFail(m, 'REALM_ACTIVATE', [Z.RD], 'ERROR_REALM', 0, 'realm_state');
    // REC_CREATE is refused too (realm_state), and the live REC keeps REALM_DESTROY out.
    m.writeRecParams(PARAMS, { flags: 1n, mpidr: 1n, numAux: 2n, aux: Z.AUX_NEW.map(BigInt) });
    expectFail(m, 'REC_CREATE', [Z.RD, Z.REC_NEW, PARAMS], 'ERROR_REALM', 0, 'realm_state');
    expectFail(m, 'REALM_DESTROY', [Z.RD], 'ERROR_REALM', 0, 'realm_live');
    expectOk(m, 'REC_DESTROY', [Z.REC]);
    expectOk(m, 'DATA_DESTROY', [Z.RD, 0]);
    expectOk(m, 'RTT_DESTROY', [Z.RD, 0, 3]);
    expectOk(m, 'RTT_DESTROY', [Z.RD, 0, 2]);
    expectOk(m, 'REALM_DESTROY', [Z.RD]);
  });

  test('success: NEW -> ACTIVE; RIM and everything else unchanged', () => {
    const m = zoo();
    const before = m.state;
    const rd0 = rdOf(m, Z.RD);
    const obs = expectOk(m, 'REALM_ACTIVATE', [Z.RD]);
    expect(obs.x).toEqual([0n, 0n, 0n, 0n]);
    const rd = rdOf(m, Z.RD);
    expect(rd.state).toBe('ACTIVE');
    expect({ ...rd, state: 'NEW' }).toEqual(rd0);
    const g0 = gr(before, Z.RD);
    const g = gr(m, Z.RD);
    expect({ state: g.state, pas: g.pas, refcount: g.refcount }).toEqual({ state: g0.state, pas: g0.pas, refcount: g0.refcount });
    expectOtherGranulesUntouched(before, m.state, [Z.RD]);
    expect(m.state.vmids).toBe(before.vmids);
  });
});

describe('REALM_DESTROY failure rows', () => {
  test.each(misaligned(Z.RD))('rd_align: rd %s', (rd) => expectFail(zoo(), 'REALM_DESTROY', [rd], 'ERROR_INPUT', 0, 'rd_align'));
  test.each(OUT_OF_BOUNDS)('rd_bound: rd %s', (rd) => expectFail(zoo(), 'REALM_DESTROY', [rd], 'ERROR_INPUT', 0, 'rd_bound'));
  test.each(wrongStates('RD'))('rd_state: rd in state %s', (_l, rd) => expectFail(zoo(), 'REALM_DESTROY', [rd], 'ERROR_INPUT', 0, 'rd_state'));

  test('realm_live: a REC exists (and nothing else is live)', () => {
    const m = machine();
    createRealm(m);
    expect(makeRec(m, G(1), G(3), [G(4), G(5)]).status).toEqual({ status: 'SUCCESS', index: 0 });
    expectFail(m, 'REALM_DESTROY', [G(1)], 'ERROR_REALM', 0, 'realm_live');
    expectOk(m, 'REC_DESTROY', [G(3)]);
    expectOk(m, 'REALM_DESTROY', [G(1)]);
  });

  test('realm_live: a root entry is TABLE (protected half); after RTT_DESTROY the realm can be destroyed', () => {
    const m = machine();
    createRealm(m);
    delegate(m, G(10));
    expectOk(m, 'RTT_CREATE', [G(1), G(10), 0, 2]);
    expectFail(m, 'REALM_DESTROY', [G(1)], 'ERROR_REALM', 0, 'realm_live');
    expectOk(m, 'RTT_DESTROY', [G(1), 0, 2]);
    expectOk(m, 'REALM_DESTROY', [G(1)]);
  });

  test('realm_live: a TABLE in the unprotected half also keeps the realm live', () => {
    const m = machine();
    createRealm(m);
    delegate(m, G(10));
    expectOk(m, 'RTT_CREATE', [G(1), G(10), 2 ** 31, 2]);
    expectFail(m, 'REALM_DESTROY', [G(1)], 'ERROR_REALM', 0, 'realm_live');
  });

  test('realm_live: a TABLE in the second of four concatenated roots', () => {
    const m = machine();
    delegate(m, G(1), G(4), G(5), G(6), G(7), G(10));
    m.writeRealmParams(PARAMS, { s2sz: 32n, rttLevelStart: 2n, rttNumStart: 4n, rttBase: BigInt(G(4)), vmid: 1n });
    expectOk(m, 'REALM_CREATE', [G(1), PARAMS]);
    expectOk(m, 'RTT_CREATE', [G(1), G(10), 2 ** 30, 3]); // IPA 1 GB is in root 1 (each level-2 root maps 1 GB)
    expect(gr(m, G(5)).refcount).toBeGreaterThan(0);
    expectFail(m, 'REALM_DESTROY', [G(1)], 'ERROR_REALM', 0, 'realm_live');
  });

  test('realm_live: an ASSIGNED (2 MB block) entry in a root RTT', () => {
    // Needs 512 contiguous 2 MB-aligned DATA granules: a larger machine (granules 512..1023 are the block).
    const cfg: Config = { ...DEFAULT_CONFIG, granules: 1100, secureGranules: [1090], rootGranules: [1091], mmioRanges: [[1092, 1100]] };
    const m = machine(faithful, cfg);
    delegate(m, G(1), G(4), G(5), G(6), G(7), G(10));
    m.writeRealmParams(PARAMS, { s2sz: 32n, rttLevelStart: 2n, rttNumStart: 4n, rttBase: BigInt(G(4)), vmid: 1n });
    expectOk(m, 'REALM_CREATE', [G(1), PARAMS]);
    expectOk(m, 'RTT_CREATE', [G(1), G(10), 0, 3]);
    for (let i = 0; i < 512; i++) {
      delegate(m, G(512 + i));
      expectOk(m, 'DATA_CREATE_UNKNOWN', [G(1), G(512 + i), i * 4096]);
    }
    expectOk(m, 'RTT_FOLD', [G(1), 0, 3]);
    const e = (gr(m, G(4)).content as Rtt).entries[0];
    expect({ hipas: e.hipas, addr: e.addr }).toEqual({ hipas: 'ASSIGNED', addr: G(512) });
    expectFail(m, 'REALM_DESTROY', [G(1)], 'ERROR_REALM', 0, 'realm_live');
  });
});

describe('REALM_DESTROY success effects', () => {
  test('RD and root -> DELEGATED, zeroed, VMID freed; after undelegate the host reads zeros', () => {
    const m = machine();
    createRealm(m, { vmid: 9n });
    expectOk(m, 'REALM_ACTIVATE', [G(1)]); // no realm-state check: an ACTIVE realm can be destroyed
    const before = m.state;
    const obs = expectOk(m, 'REALM_DESTROY', [G(1)]);
    expect(obs.x).toEqual([0n, 0n, 0n, 0n]);
    for (const pa of [G(1), G(2)]) {
      const g = gr(m, pa);
      expect({ state: g.state, pas: g.pas, refcount: g.refcount }).toEqual({ state: 'DELEGATED', pas: 'REALM', refcount: 0 });
      expect(isZeroGranule(g)).toBe(true);
    }
    expect(m.state.vmids.has(9)).toBe(false);
    expectOtherGranulesUntouched(before, m.state, [G(1), G(2)]);
    for (const pa of [G(1), G(2)]) {
      expectOk(m, 'GRANULE_UNDELEGATE', [pa]);
      expect(hostReadAll(m, pa).every((v) => v === 0n)).toBe(true);
    }
    // The destroyed realm is gone: RD-taking commands fail rd_state.
    expectFail(m, 'REALM_ACTIVATE', [G(1)], 'ERROR_INPUT', 0, 'rd_state');
    expectFail(m, 'REALM_DESTROY', [G(1)], 'ERROR_INPUT', 0, 'rd_state');
  });

  test('four roots are all released and zeroed', () => {
    const m = machine();
    delegate(m, G(1), G(4), G(5), G(6), G(7));
    m.writeRealmParams(PARAMS, { s2sz: 32n, rttLevelStart: 2n, rttNumStart: 4n, rttBase: BigInt(G(4)), vmid: 1n });
    expectOk(m, 'REALM_CREATE', [G(1), PARAMS]);
    expectOk(m, 'REALM_DESTROY', [G(1)]);
    for (const pa of [G(1), G(4), G(5), G(6), G(7)]) {
      expect(gr(m, pa).state).toBe('DELEGATED');
      expectOk(m, 'GRANULE_UNDELEGATE', [pa]);
      expect(hostReadAll(m, pa).every((v) => v === 0n)).toBe(true);
    }
  });

  test('an ASSIGNED_NS entry in the root does not keep the realm live (§4)', () => {
    const m = machine();
    createRealm(m);
    // Level-1 block (1 GB) at the unprotected IPA 2 GB -> NS PA 0; MemAttr 0b0110, S2AP RW.
    const desc = (0x6n << 2n) | (0x3n << 6n);
    expectOk(m, 'RTT_MAP_UNPROTECTED', [G(1), 2 ** 31, 1, desc]);
    expect((gr(m, G(2)).content as Rtt).entries[2].hipas).toBe('ASSIGNED_NS');
    expectOk(m, 'REALM_DESTROY', [G(1)]);
    expect(gr(m, G(2)).state).toBe('DELEGATED');
    expect(isZeroGranule(gr(m, G(2)))).toBe(true);
  });

  test('after RTT_DESTROY leaves a DESTROYED (non-live) root entry the realm can be destroyed', () => {
    const m = machine();
    createRealm(m);
    createL3(m, G(1), 0, G(10), G(11));
    expectOk(m, 'RTT_DESTROY', [G(1), 0, 3]);
    expectOk(m, 'RTT_DESTROY', [G(1), 0, 2]);
    expectOk(m, 'REALM_DESTROY', [G(1)]);
  });
});
