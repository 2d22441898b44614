// REC_AUX_COUNT / REC_CREATE / REC_DESTROY / REC_ENTER (checks) / PSCI_COMPLETE (reference §1, §3, §4, §6, §10).
import { describe, expect, test } from 'vitest';
import { Config, DEFAULT_CONFIG } from '../../../real/cca/config';
import { RecEntryInput, RecParamsInput } from '../../../real/cca/params';
import { Rd, Rec } from '../../../real/cca/state';
import { faithful } from '../../../real/cca/faithful';
import {
  G, MAX64, Machine, OUT_OF_BOUNDS, PARAMS, RUN, TOP_ALIGNED, Z, createRealm, delegate, expectFail, expectOk,
  expectOtherGranulesUntouched, gr, hostReadAll, isZeroGranule, machine, makeRec, misaligned, writeRec, wrongStates, zoo,
  PSCI_FN, PSCI_RET, enter, exitGpr, exitReason, failObs, realmSmc,
} from './fixtures-extra';

const rdOf = (m: Machine, pa: number) => gr(m, pa).content as Rd;
const recOf = (m: Machine, pa: number) => gr(m, pa).content as Rec;

// ---------------------------------------------------------------------------------------------
describe('REC_AUX_COUNT', () => {
  test.each(misaligned(Z.RD))('rd_align: rd %s', (rd) => expectFail(zoo(), 'REC_AUX_COUNT', [rd], 'ERROR_INPUT', 0, 'rd_align'));
  test.each(OUT_OF_BOUNDS)('rd_bound: rd %s', (rd) => expectFail(zoo(), 'REC_AUX_COUNT', [rd], 'ERROR_INPUT', 0, 'rd_bound'));
  test.each(wrongStates('RD'))('rd_state: rd in state %s', (_l, rd) => expectFail(zoo(), 'REC_AUX_COUNT', [rd], 'ERROR_INPUT', 0, 'rd_state'));

  test.each([2, 0, 5, 16])('X1 = the configured aux count (%i), no state change', (n) => {
    const m = machine(faithful, { ...DEFAULT_CONFIG, recAuxCount: n });
    createRealm(m);
    const before = m.state;
    const obs = expectOk(m, 'REC_AUX_COUNT', [G(1)]);
    expect(obs.x).toEqual([BigInt(n), 0n, 0n, 0n]);
    expect(m.state).toBe(before);
  });

  test('constant per realm: the same in every realm state', () => {
    const m = zoo();
    expect(expectOk(m, 'REC_AUX_COUNT', [Z.RD]).x[0]).toBe(2n);
    expectOk(m, 'REALM_ACTIVATE', [Z.RD]);
    expect(expectOk(m, 'REC_AUX_COUNT', [Z.RD]).x[0]).toBe(2n);
  });
});

// ---------------------------------------------------------------------------------------------
/** Valid params for a second REC of the zoo realm (index 1). */
const VALID_REC: RecParamsInput = { flags: 1n, mpidr: 1n, pc: 0x8000n, numAux: 2n, aux: Z.AUX_NEW.map(BigInt) };

function recFails(
  m: Machine, p: Partial<RecParamsInput>, row: string,
  o: { rd?: bigint | number; rec?: bigint | number; ptr?: bigint | number; status?: 'ERROR_INPUT' | 'ERROR_REALM' } = {},
) {
  writeRec(m, { ...VALID_REC, ...p });
  expectFail(m, 'REC_CREATE', [o.rd ?? Z.RD, o.rec ?? Z.REC_NEW, o.ptr ?? PARAMS], o.status ?? 'ERROR_INPUT', 0, row);
}

/** Creates and destroys RECs with indexes from..to-1 (MPIDR = index, < 16) at REC_NEW/AUX_NEW. */
function cycleRecs(m: Machine, from: number, to: number) {
  for (let i = from; i < to; i++) {
    writeRec(m, { ...VALID_REC, mpidr: BigInt(i) });
    expectOk(m, 'REC_CREATE', [Z.RD, Z.REC_NEW, PARAMS]);
    expectOk(m, 'REC_DESTROY', [Z.REC_NEW]);
  }
}

describe('REC_CREATE failure rows, in order', () => {
  test('baseline: the otherwise-valid arguments used below succeed', () => {
    const m = zoo();
    writeRec(m, VALID_REC);
    expectOk(m, 'REC_CREATE', [Z.RD, Z.REC_NEW, PARAMS]);
  });

  test.each(misaligned(PARAMS))('params_align: params_ptr %s', (ptr) => recFails(zoo(), {}, 'params_align', { ptr }));
  test.each(OUT_OF_BOUNDS)('params_bound: params_ptr %s', (ptr) => recFails(zoo(), {}, 'params_bound', { ptr }));
  test.each([
    ['DELEGATED', Z.DELEGATED],
    ['Secure PAS', Z.SECURE],
    ['Root PAS', Z.ROOTPAS],
    ['REC (the rec argument)', Z.REC_NEW],
    ['RD', Z.RD],
  ])('params_pas: params in a %s granule', (_l, ptr) => recFails(zoo(), {}, 'params_pas', { ptr }));

  test('params_pas: params in a realm DATA granule whose content is a complete params block', () => {
    // The host cannot get params past the NS check by copying them into realm memory (DATA_CREATE).
    const m = zoo();
    m.writeRecParams(G(31), { ...VALID_REC, numAux: 17n });
    delegate(m, G(30));
    expectOk(m, 'DATA_CREATE', [Z.RD, G(30), 0x1000, G(31), 0]);
    recFails(m, {}, 'params_pas', { ptr: G(30) });
    m.writeRecParams(G(31), VALID_REC);
    delegate(m, G(32));
    expectOk(m, 'DATA_CREATE', [Z.RD, G(32), 0x2000, G(31), 0]);
    recFails(m, {}, 'params_pas', { ptr: G(32) });
  });

  test.each([17n, 1n << 32n, MAX64])('num_aux: num_aux %s > 16', (numAux) => recFails(zoo(), { numAux }, 'num_aux'));
  test('num_aux wins over a bad aux address', () =>
    recFails(zoo(), { numAux: 17n, aux: [MAX64, BigInt(G(62))] }, 'num_aux'));

  test.each([
    ['aux[0] + 8', [Z.AUX_NEW[0] + 8, Z.AUX_NEW[1]]],
    ['aux[1] = 2^64-1', [Z.AUX_NEW[0], MAX64]],
    ['aux[1] + 1', [Z.AUX_NEW[0], Z.AUX_NEW[1] + 1]],
  ])('aux_align: %s', (_l, aux) => recFails(zoo(), { aux: aux.map(BigInt) }, 'aux_align'));

  test.each(OUT_OF_BOUNDS)('aux_bound: aux[1] = %s', (a) => recFails(zoo(), { aux: [BigInt(Z.AUX_NEW[0]), BigInt(a)] }, 'aux_bound'));

  test.each([
    ['aux[0] = aux[1]', [Z.AUX_NEW[0], Z.AUX_NEW[0]]],
    ['aux[0] = rec', [Z.REC_NEW, Z.AUX_NEW[1]]],
    ['aux[1] = rec', [Z.AUX_NEW[0], Z.REC_NEW]],
  ])('aux_alias: %s (§10)', (_l, aux) => recFails(zoo(), { aux: aux.map(BigInt) }, 'aux_alias'));

  test.each(wrongStates('DELEGATED'))('aux_state: aux[1] in state %s', (_l, pa) =>
    recFails(zoo(), { aux: [BigInt(Z.AUX_NEW[0]), BigInt(pa)] }, 'aux_state'));

  test.each(misaligned(Z.REC_NEW))('rec_align: rec %s', (rec) => recFails(zoo(), {}, 'rec_align', { rec }));
  test.each(OUT_OF_BOUNDS)('rec_bound: rec %s', (rec) => recFails(zoo(), {}, 'rec_bound', { rec }));
  test.each(wrongStates('DELEGATED'))('rec_state: rec in state %s', (_l, rec) => recFails(zoo(), {}, 'rec_state', { rec }));

  test.each(misaligned(Z.RD))('rd_align: rd %s', (rd) => recFails(zoo(), {}, 'rd_align', { rd }));
  test.each(OUT_OF_BOUNDS)('rd_bound: rd %s', (rd) => recFails(zoo(), {}, 'rd_bound', { rd }));
  test.each(wrongStates('RD'))('rd_state: rd in state %s', (_l, rd) => recFails(zoo(), {}, 'rd_state', { rd }));

  test('rec_count: 2^MAX_RECS_ORDER (16) RECs have been created (even though all but one were destroyed)', () => {
    const m = zoo();
    cycleRecs(m, 1, 16);
    expect(rdOf(m, Z.RD).recIndex).toBe(16);
    expect(gr(m, Z.RD).refcount).toBe(1);
    recFails(m, { mpidr: 0x100n }, 'rec_count', { status: 'ERROR_REALM' }); // index 16 = Aff1 1
  });

  test('rec_count wins over realm_state and mpidr_index', () => {
    const m = zoo();
    cycleRecs(m, 1, 16);
    expectOk(m, 'REALM_ACTIVATE', [Z.RD]);
    recFails(m, { mpidr: 3n }, 'rec_count', { status: 'ERROR_REALM' });
  });

  test('realm_state: the realm is ACTIVE (ERROR_REALM)', () => {
    const m = zoo();
    expectOk(m, 'REALM_ACTIVATE', [Z.RD]);
    recFails(m, {}, 'realm_state', { status: 'ERROR_REALM' });
  });

  test('realm_state wins over mpidr_index and num_aux_count', () => {
    const m = zoo();
    expectOk(m, 'REALM_ACTIVATE', [Z.RD]);
    recFails(m, { mpidr: 7n, numAux: 0n, aux: [] }, 'realm_state', { status: 'ERROR_REALM' });
  });

  test.each<[string, bigint]>([
    ['index 0 already used', 0n],
    ['index 2 skips 1', 2n],
    ['Aff0 bit 4 set (0x11)', 0x11n],
    ['bit 24 (between Aff2 and Aff3)', 1n | (1n << 24n)],
    ['bit 31', 1n | (1n << 31n)],
    ['bit 40 (above Aff3)', 1n | (1n << 40n)],
    ['2^64-1', MAX64],
    ['Aff1 = 1 (index 16)', 0x100n],
    ['Aff3 = 1 (index 2^20)', 1n << 32n],
  ])('mpidr_index: %s', (_l, mpidr) => recFails(zoo(), { mpidr }, 'mpidr_index'));

  test('mpidr_index wins over num_aux_count', () => recFails(zoo(), { mpidr: 2n, numAux: 1n, aux: [BigInt(Z.AUX_NEW[0])] }, 'mpidr_index'));

  test('order: aux_bound before aux_alias (the same MMIO address twice)', () =>
    recFails(zoo(), { aux: [BigInt(G(62)), BigInt(G(62))] }, 'aux_bound'));
  test('order: aux_alias before aux_state (the same UNDELEGATED granule twice)', () =>
    recFails(zoo(), { aux: [BigInt(Z.UNDELEGATED), BigInt(Z.UNDELEGATED)] }, 'aux_alias'));
  test('order: aux_state before rec_align', () =>
    recFails(zoo(), { aux: [BigInt(Z.AUX_NEW[0]), BigInt(Z.UNDELEGATED)] }, 'aux_state', { rec: Z.REC_NEW + 8 }));
  test('order: rec_state before rd_align', () => recFails(zoo(), {}, 'rec_state', { rec: Z.UNDELEGATED, rd: Z.RD + 8 }));
  test('order: rd_state before rec_count / realm_state (rd is a REC)', () => recFails(zoo(), {}, 'rd_state', { rd: Z.REC }));

  test.each<[string, Partial<RecParamsInput>]>([
    ['0 aux granules', { numAux: 0n, aux: [] }],
    ['1 aux granule', { numAux: 1n, aux: [BigInt(Z.AUX_NEW[0])] }],
    ['3 aux granules', { numAux: 3n, aux: [...Z.AUX_NEW, Z.DELEGATED].map(BigInt) }],
  ])('num_aux_count: %s (REC_AUX_COUNT = 2)', (_l, p) => recFails(zoo(), p, 'num_aux_count'));
});

describe('REC_CREATE success effects', () => {
  test('rec -> REC, aux -> REC_AUX, fields from params, rec_index++ and #RECs++; nothing else changes', () => {
    const m = zoo();
    const gprs = [1n, 2n, 3n, 4n, 5n, 6n, 7n, MAX64];
    writeRec(m, { ...VALID_REC, pc: 0x1234000n, gprs });
    const before = m.state;
    const rd0 = rdOf(m, Z.RD);
    const obs = expectOk(m, 'REC_CREATE', [Z.RD, Z.REC_NEW, PARAMS]);
    expect(obs.x).toEqual([0n, 0n, 0n, 0n]);
    const g = gr(m, Z.REC_NEW);
    expect({ state: g.state, pas: g.pas, refcount: g.refcount }).toEqual({ state: 'REC', pas: 'REALM', refcount: 0 });
    for (const a of Z.AUX_NEW) expect({ state: gr(m, a).state, pas: gr(m, a).pas }).toEqual({ state: 'REC_AUX', pas: 'REALM' });
    const rec = recOf(m, Z.REC_NEW);
    expect(rec).toMatchObject({ kind: 'rec', owner: Z.RD, state: 'READY', runnable: true, mpidr: 1n, index: 1, pc: 0x1234000n, aux: Z.AUX_NEW, psciPending: null });
    // X0-X7 from params, every other saved register zero.
    expect(rec.regs.slice(0, 8)).toEqual(gprs);
    expect(rec.regs.length).toBeGreaterThanOrEqual(31);
    expect(rec.regs.slice(8).every((v) => v === 0n)).toBe(true);
    expect(rdOf(m, Z.RD).recIndex).toBe(rd0.recIndex + 1);
    expect(gr(m, Z.RD).refcount).toBe(gr(before, Z.RD).refcount + 1);
    expect(rdOf(m, Z.RD).state).toBe('NEW');
    expectOtherGranulesUntouched(before, m.state, [Z.RD, Z.REC_NEW, ...Z.AUX_NEW]);
  });

  test('aux entries beyond num_aux are ignored', () => {
    const m = zoo();
    writeRec(m, { ...VALID_REC, aux: [...Z.AUX_NEW.map(BigInt), MAX64, BigInt(G(62)), BigInt(Z.RD)] });
    expectOk(m, 'REC_CREATE', [Z.RD, Z.REC_NEW, PARAMS]);
    expect(recOf(m, Z.REC_NEW).aux).toEqual(Z.AUX_NEW);
  });

  test('flags bit 0 clear: the REC is not runnable and the RIM is unchanged', () => {
    const m = zoo();
    const rim = rdOf(m, Z.RD).measurements[0];
    writeRec(m, { ...VALID_REC, flags: 0n });
    expectOk(m, 'REC_CREATE', [Z.RD, Z.REC_NEW, PARAMS]);
    expect(recOf(m, Z.REC_NEW).runnable).toBe(false);
    expect(rdOf(m, Z.RD).measurements[0]).toBe(rim);
    expect(rdOf(m, Z.RD).measurements.slice(1)).toEqual([0n, 0n, 0n, 0n]);
  });

  test('a runnable REC extends the RIM (and only the RIM), depending on its parameters', () => {
    const rimAfter = (p: Partial<RecParamsInput>) => {
      const m = zoo();
      const rd0 = rdOf(m, Z.RD);
      writeRec(m, { ...VALID_REC, ...p });
      expectOk(m, 'REC_CREATE', [Z.RD, Z.REC_NEW, PARAMS]);
      const rd = rdOf(m, Z.RD);
      expect(recOf(m, Z.REC_NEW).runnable).toBe(true);
      expect(rd.measurements[0]).not.toBe(rd0.measurements[0]);
      expect(rd.measurements.slice(1)).toEqual([0n, 0n, 0n, 0n]);
      return rd.measurements[0];
    };
    expect(rimAfter({ pc: 0x1000n })).not.toBe(rimAfter({ pc: 0x2000n }));
    expect(rimAfter({ gprs: [1n] })).not.toBe(rimAfter({ gprs: [2n] }));
  });

  test('MPIDR index rule: indexes are dense and never reused after REC_DESTROY', () => {
    const m = zoo();
    expectOk(m, 'REC_DESTROY', [Z.REC]); // index 0 gone, rec_index stays 1
    expect(rdOf(m, Z.RD).recIndex).toBe(1);
    recFails(m, { mpidr: 0n }, 'mpidr_index');
    writeRec(m, VALID_REC); // mpidr 1
    expectOk(m, 'REC_CREATE', [Z.RD, Z.REC_NEW, PARAMS]);
    expect(recOf(m, Z.REC_NEW).index).toBe(1);
  });

  test('MPIDR index rule: index 16 is Aff1 = 1, Aff0 = 0 (with MAX_RECS_ORDER 5)', () => {
    const m = zoo({ ...DEFAULT_CONFIG, maxRecsOrder: 5 });
    cycleRecs(m, 1, 16);
    recFails(m, { mpidr: 0x10n }, 'mpidr_index'); // Aff0[7:4] must be zero
    writeRec(m, { ...VALID_REC, mpidr: 0x100n });
    expectOk(m, 'REC_CREATE', [Z.RD, Z.REC_NEW, PARAMS]);
    expect(recOf(m, Z.REC_NEW)).toMatchObject({ index: 16, mpidr: 0x100n });
    expectOk(m, 'REC_DESTROY', [Z.REC_NEW]);
    writeRec(m, { ...VALID_REC, mpidr: 0x101n });
    expectOk(m, 'REC_CREATE', [Z.RD, Z.REC_NEW, PARAMS]);
    expect(recOf(m, Z.REC_NEW).index).toBe(17);
  });

  test('REC count (RD refcount) follows creates and destroys', () => {
    const m = machine();
    createRealm(m);
    const count = () => gr(m, G(1)).refcount;
    expect(count()).toBe(0);
    expect(makeRec(m, G(1), G(3), [G(4), G(5)], { mpidr: 0n }).status?.status).toBe('SUCCESS');
    expect(count()).toBe(1);
    expect(makeRec(m, G(1), G(6), [G(7), G(8)], { mpidr: 1n }).status?.status).toBe('SUCCESS');
    expect(count()).toBe(2);
    expectOk(m, 'REC_DESTROY', [G(3)]);
    expect(count()).toBe(1);
    expectOk(m, 'REC_DESTROY', [G(6)]);
    expect(count()).toBe(0);
    expect(rdOf(m, G(1)).recIndex).toBe(2);
  });
});

// ---------------------------------------------------------------------------------------------
describe('REC_DESTROY', () => {
  test.each(misaligned(Z.REC))('rec_align: rec %s', (rec) => expectFail(zoo(), 'REC_DESTROY', [rec], 'ERROR_INPUT', 0, 'rec_align'));
  test.each(OUT_OF_BOUNDS)('rec_bound: rec %s', (rec) => expectFail(zoo(), 'REC_DESTROY', [rec], 'ERROR_INPUT', 0, 'rec_bound'));
  test.each(wrongStates('REC'))('rec_state: rec in state %s', (_l, rec) => expectFail(zoo(), 'REC_DESTROY', [rec], 'ERROR_INPUT', 0, 'rec_state'));

  test('rec_running: the REC is RUNNING on another CPU (ERROR_REC)', () => {
    const m = enterSetup();
    expect(m.rmi('REC_ENTER', [Z.REC, RUN], 0).pending).toBe(true);
    expectFail(m, 'REC_DESTROY', [Z.REC], 'ERROR_REC', 0, 'rec_running', 1);
  });

  test('after the REC exits it is READY again and can be destroyed', () => {
    const m = enterSetup();
    enter(m, Z.REC, RUN);
    expectFail(m, 'REC_DESTROY', [Z.REC], 'ERROR_REC', 0, 'rec_running', 1);
    m.realm({ op: 'irq' });
    expect(recOf(m, Z.REC).state).toBe('READY');
    expectOk(m, 'REC_DESTROY', [Z.REC], 1);
    expect(isZeroGranule(gr(m, Z.REC))).toBe(true);
  });

  test('success: REC and aux -> DELEGATED (zeroed), #RECs--, rec_index unchanged; host reads zeros after undelegate', () => {
    const m = zoo();
    const before = m.state;
    const obs = expectOk(m, 'REC_DESTROY', [Z.REC]);
    expect(obs.x).toEqual([0n, 0n, 0n, 0n]);
    for (const pa of [Z.REC, ...Z.AUX]) {
      const g = gr(m, pa);
      expect({ state: g.state, pas: g.pas, refcount: g.refcount }).toEqual({ state: 'DELEGATED', pas: 'REALM', refcount: 0 });
      expect(isZeroGranule(g)).toBe(true);
    }
    expect(gr(m, Z.RD).refcount).toBe(gr(before, Z.RD).refcount - 1);
    expect(rdOf(m, Z.RD)).toEqual(gr(before, Z.RD).content); // rec_index etc. unchanged
    expectOtherGranulesUntouched(before, m.state, [Z.REC, ...Z.AUX, Z.RD]);
    for (const pa of [Z.REC, ...Z.AUX]) {
      expectOk(m, 'GRANULE_UNDELEGATE', [pa]);
      expect(hostReadAll(m, pa).every((v) => v === 0n)).toBe(true);
    }
  });

  test('destroying one REC leaves another REC of the realm untouched', () => {
    const m = zoo();
    writeRec(m, VALID_REC);
    expectOk(m, 'REC_CREATE', [Z.RD, Z.REC_NEW, PARAMS]);
    const other = gr(m, Z.REC_NEW);
    expectOk(m, 'REC_DESTROY', [Z.REC]);
    expect(gr(m, Z.REC_NEW)).toBe(other);
    expect(gr(m, Z.RD).refcount).toBe(1);
  });
});

// ---------------------------------------------------------------------------------------------
/** The zoo with a second, non-runnable REC (index 1 at REC_NEW), then activated. RUN is an NS granule. */
function enterSetup(cfg: Config = DEFAULT_CONFIG): Machine {
  const m = zoo(cfg);
  writeRec(m, { ...VALID_REC, flags: 0n });
  expectOk(m, 'REC_CREATE', [Z.RD, Z.REC_NEW, PARAMS]);
  expectOk(m, 'REALM_ACTIVATE', [Z.RD]);
  return m;
}

function writeEntry(m: Machine, e: RecEntryInput, at = RUN) {
  const o = m.writeRecEntry(at, e);
  expect(o.kind === 'host-write' && o.fault).toBeFalsy();
}

const BAD_GIC: RecEntryInput = { gicv3Hcr: 1n << 8n };
const FLAGS = { EMUL_MMIO: 1n, INJECT_SEA: 2n, TRAP_WFI: 4n, TRAP_WFE: 8n, RIPAS_RESPONSE: 16n };

describe('REC_ENTER failure rows, in order', () => {
  test('baseline: REC 0 with a zero entry record starts running (pending)', () => {
    const m = enterSetup();
    const before = m.state;
    const obs = expectOk(m, 'REC_ENTER', [Z.REC, RUN]);
    expect(obs.pending).toBe(true);
    expect(recOf(m, Z.REC).state).toBe('RUNNING');
    // REC_ENTER changes no granule state (§3) and touches only the REC.
    expectOtherGranulesUntouched(before, m.state, [Z.REC]);
    expect(gr(m, Z.REC).state).toBe('REC');
  });

  test('entry flags TRAP_WFI | TRAP_WFE | RIPAS_RESPONSE are accepted on a fresh REC', () => {
    const m = enterSetup();
    writeEntry(m, { flags: FLAGS.TRAP_WFI | FLAGS.TRAP_WFE | FLAGS.RIPAS_RESPONSE });
    expect(expectOk(m, 'REC_ENTER', [Z.REC, RUN]).pending).toBe(true);
  });

  test.each(misaligned(RUN))('run_align: run_ptr %s', (run) => expectFail(enterSetup(), 'REC_ENTER', [Z.REC, run], 'ERROR_INPUT', 0, 'run_align'));
  test.each(OUT_OF_BOUNDS)('run_bound: run_ptr %s', (run) => expectFail(enterSetup(), 'REC_ENTER', [Z.REC, run], 'ERROR_INPUT', 0, 'run_bound'));
  test.each([
    ['DELEGATED', Z.DELEGATED],
    ['Secure PAS', Z.SECURE],
    ['Root PAS', Z.ROOTPAS],
    ['RD', Z.RD],
    ['the REC itself', Z.REC],
  ])('run_pas: run in a %s granule', (_l, run) => expectFail(enterSetup(), 'REC_ENTER', [Z.REC, run], 'ERROR_INPUT', 0, 'run_pas'));

  test.each(misaligned(Z.REC))('rec_align: rec %s', (rec) => expectFail(enterSetup(), 'REC_ENTER', [rec, RUN], 'ERROR_INPUT', 0, 'rec_align'));
  test.each(OUT_OF_BOUNDS)('rec_bound: rec %s', (rec) => expectFail(enterSetup(), 'REC_ENTER', [rec, RUN], 'ERROR_INPUT', 0, 'rec_bound'));
  test.each(wrongStates('REC'))('rec_state: rec in state %s', (_l, rec) => expectFail(enterSetup(), 'REC_ENTER', [rec, RUN], 'ERROR_INPUT', 0, 'rec_state'));

  test('rec_running: the REC is already running on another CPU (ERROR_REC)', () => {
    const m = enterSetup();
    expect(m.rmi('REC_ENTER', [Z.REC, RUN], 0).pending).toBe(true);
    expectFail(m, 'REC_ENTER', [Z.REC, G(14)], 'ERROR_REC', 0, 'rec_running', 1);
    expectFail(m, 'REC_ENTER', [Z.REC, RUN], 'ERROR_REC', 0, 'rec_running', 1);
  });

  test('realm_new: the realm is NEW (ERROR_REALM index 0)', () => {
    expectFail(zoo(), 'REC_ENTER', [Z.REC, RUN], 'ERROR_REALM', 0, 'realm_new');
  });
  test('system_off: the realm is SYSTEM_OFF (ERROR_REALM index 1)', () => {
    const m = enterSetup();
    enter(m, Z.REC, RUN);
    realmSmc(m, [PSCI_FN.SYSTEM_OFF]);
    expect(exitReason(m, RUN)).toBe(3n); // PSCI exit
    expect(rdOf(m, Z.RD).state).toBe('SYSTEM_OFF');
    expectFail(m, 'REC_ENTER', [Z.REC, RUN], 'ERROR_REALM', 1, 'system_off');
    // Every REC of the realm, runnable or not: system_off comes before rec_runnable.
    expectFail(m, 'REC_ENTER', [Z.REC_NEW, RUN], 'ERROR_REALM', 1, 'system_off');
  });

  test('rec_runnable: the REC was created without RUNNABLE (ERROR_REC)', () => {
    expectFail(enterSetup(), 'REC_ENTER', [Z.REC_NEW, RUN], 'ERROR_REC', 0, 'rec_runnable');
  });
  test('rec_psci_pending: the REC has a PSCI request the host has not completed (ERROR_REC)', () => {
    const m = enterSetup();
    enter(m, Z.REC, RUN);
    realmSmc(m, [PSCI_FN.CPU_ON, 1n, 0x1000n, 0x42n]);
    expectFail(m, 'REC_ENTER', [Z.REC, RUN], 'ERROR_REC', 0, 'rec_psci_pending');
    // rec_psci_pending comes before rec_gicv3 and the entry-flag checks.
    writeEntry(m, { ...BAD_GIC, flags: FLAGS.EMUL_MMIO | FLAGS.INJECT_SEA });
    expectFail(m, 'REC_ENTER', [Z.REC, RUN], 'ERROR_REC', 0, 'rec_psci_pending');
    // Once the host completes the request, the REC can be entered again.
    writeEntry(m, {});
    expectOk(m, 'PSCI_COMPLETE', [Z.REC, Z.REC_NEW, PSCI_RET.SUCCESS]);
    enter(m, Z.REC, RUN);
  });

  test.each<[string, RecEntryInput]>([
    ['HCR bit 8 (RES0)', { gicv3Hcr: 1n << 8n }],
    ['HCR bit 9 (RES0)', { gicv3Hcr: 1n << 9n }],
    ['HCR 2^64-1', { gicv3Hcr: MAX64 }],
    ['HCR En (bit 0: the RMM owns it)', { gicv3Hcr: 1n }],
    ['LR0 pending with HW = 1', { gicv3Lrs: [(1n << 62n) | (1n << 61n) | 32n] }],
    ['LR3 pending with HW = 1', { gicv3Lrs: [0n, 0n, 0n, (1n << 62n) | (1n << 61n) | 32n] }],
    ['LR0 pending with a pINTID bit other than EOI', { gicv3Lrs: [(1n << 62n) | (1n << 32n) | 32n] }],
    ['LR0 pending with vINTID 1020 (reserved)', { gicv3Lrs: [(1n << 62n) | 1020n] }],
    ['LR0 and LR1 pending with the same vINTID', { gicv3Lrs: [(1n << 62n) | 40n, (2n << 62n) | 40n] }],
  ])('rec_gicv3: %s (ERROR_REC)', (_l, e) => {
    const m = enterSetup();
    writeEntry(m, e);
    expectFail(m, 'REC_ENTER', [Z.REC, RUN], 'ERROR_REC', 0, 'rec_gicv3');
  });

  test('inject_sea: INJECT_SEA on a REC that has never run (§10, ERROR_REC)', () => {
    const m = enterSetup();
    writeEntry(m, { flags: FLAGS.INJECT_SEA });
    expectFail(m, 'REC_ENTER', [Z.REC, RUN], 'ERROR_REC', 0, 'inject_sea');
  });
  test('emul_mmio: EMUL_MMIO on a REC that has never run (§10, ERROR_REC)', () => {
    const m = enterSetup();
    writeEntry(m, { flags: FLAGS.EMUL_MMIO });
    expectFail(m, 'REC_ENTER', [Z.REC, RUN], 'ERROR_REC', 0, 'emul_mmio');
  });
  test('order: INJECT_SEA and EMUL_MMIO both set -> inject_sea', () => {
    const m = enterSetup();
    writeEntry(m, { flags: FLAGS.INJECT_SEA | FLAGS.EMUL_MMIO });
    expectFail(m, 'REC_ENTER', [Z.REC, RUN], 'ERROR_REC', 0, 'inject_sea');
  });
  test('order: rec_gicv3 before inject_sea', () => {
    const m = enterSetup();
    writeEntry(m, { ...BAD_GIC, flags: FLAGS.INJECT_SEA });
    expectFail(m, 'REC_ENTER', [Z.REC, RUN], 'ERROR_REC', 0, 'rec_gicv3');
  });
  test('order: rec_runnable before rec_gicv3 and the entry flags', () => {
    const m = enterSetup();
    writeEntry(m, { ...BAD_GIC, flags: FLAGS.EMUL_MMIO });
    expectFail(m, 'REC_ENTER', [Z.REC_NEW, RUN], 'ERROR_REC', 0, 'rec_runnable');
  });
  /** REC 0 stores X5 to the unprotected IPA 2 GB (UNASSIGNED_NS): an emulatable data abort exit. */
  function afterMmioExit(): Machine {
    const m = enterSetup();
    enter(m, Z.REC, RUN);
    m.realm({ op: 'mov', reg: 5, value: 0x77n });
    m.realm({ op: 'store', ipa: 1n << 31n, reg: 5 });
    expect(exitReason(m, RUN)).toBe(0n); // SYNC
    expect(gr(m, Z.REC).state).toBe('REC');
    return m;
  }
  test('after an emulatable data abort at an unprotected IPA, EMUL_MMIO is accepted', () => {
    const m = afterMmioExit();
    writeEntry(m, { flags: FLAGS.EMUL_MMIO });
    enter(m, Z.REC, RUN);
  });
  test('after an emulatable data abort at an unprotected IPA, INJECT_SEA is accepted', () => {
    const m = afterMmioExit();
    writeEntry(m, { flags: FLAGS.INJECT_SEA });
    enter(m, Z.REC, RUN);
  });
  test('after an IRQ exit, EMUL_MMIO fails emul_mmio and INJECT_SEA fails inject_sea', () => {
    const m = enterSetup();
    enter(m, Z.REC, RUN);
    m.realm({ op: 'irq' });
    expect(exitReason(m, RUN)).toBe(1n); // IRQ
    writeEntry(m, { flags: FLAGS.EMUL_MMIO });
    expectFail(m, 'REC_ENTER', [Z.REC, RUN], 'ERROR_REC', 0, 'emul_mmio');
    writeEntry(m, { flags: FLAGS.INJECT_SEA });
    expectFail(m, 'REC_ENTER', [Z.REC, RUN], 'ERROR_REC', 0, 'inject_sea');
  });
  test('EMUL_MMIO is accepted only once: after the completed MMIO entry and an IRQ exit it fails again', () => {
    const m = afterMmioExit();
    writeEntry(m, { flags: FLAGS.EMUL_MMIO });
    enter(m, Z.REC, RUN);
    m.realm({ op: 'irq' });
    expectFail(m, 'REC_ENTER', [Z.REC, RUN], 'ERROR_REC', 0, 'emul_mmio');
  });
});

describe('REC_ENTER ordered precedence (reference §6, [A])', () => {
  // run_bound / run_pas < realm_new
  test.each<[string, bigint | number, string]>([
    ['MMIO', G(62), 'run_bound'],
    ['beyond memory', G(64), 'run_bound'],
    ['2^64-4096', TOP_ALIGNED, 'run_bound'],
    ['DELEGATED', Z.DELEGATED, 'run_pas'],
    ['Secure', Z.SECURE, 'run_pas'],
  ])('run %s beats realm_new (realm NEW)', (_l, run, row) => {
    const m = zoo();
    expectFail(m, 'REC_ENTER', [Z.REC, RUN], 'ERROR_REALM', 0, 'realm_new'); // the realm condition holds
    expectFail(m, 'REC_ENTER', [Z.REC, run], 'ERROR_INPUT', 0, row);
  });

  // run_bound / run_pas < rec_runnable
  test.each<[string, bigint | number, string]>([
    ['MMIO', G(63), 'run_bound'],
    ['beyond memory', G(100), 'run_bound'],
    ['Root', Z.ROOTPAS, 'run_pas'],
    ['REC_AUX', Z.AUX[0], 'run_pas'],
  ])('run %s beats rec_runnable', (_l, run, row) => {
    const m = enterSetup();
    expectFail(m, 'REC_ENTER', [Z.REC_NEW, RUN], 'ERROR_REC', 0, 'rec_runnable');
    expectFail(m, 'REC_ENTER', [Z.REC_NEW, run], 'ERROR_INPUT', 0, row);
  });

  // run_bound / run_pas < system_off
  test.each<[string, bigint | number, string]>([
    ['MMIO', G(62), 'run_bound'],
    ['beyond memory', G(64), 'run_bound'],
    ['DELEGATED', Z.DELEGATED, 'run_pas'],
    ['Root', Z.ROOTPAS, 'run_pas'],
  ])('run %s beats system_off', (_l, run, row) => {
    const m = enterSetup();
    enter(m, Z.REC, RUN);
    realmSmc(m, [PSCI_FN.SYSTEM_OFF]);
    expectFail(m, 'REC_ENTER', [Z.REC, RUN], 'ERROR_REALM', 1, 'system_off');
    expectFail(m, 'REC_ENTER', [Z.REC, run], 'ERROR_INPUT', 0, row);
  });

  // rec_align / rec_bound / rec_state < rec_gicv3
  test.each<[string, bigint | number, string]>([
    ['rec + 8', Z.REC + 8, 'rec_align'],
    ['rec 2^64-1', MAX64, 'rec_align'],
    ['rec MMIO', G(62), 'rec_bound'],
    ['rec beyond memory', G(64), 'rec_bound'],
    ['rec DELEGATED', Z.DELEGATED, 'rec_state'],
    ['rec = RD', Z.RD, 'rec_state'],
    ['rec UNDELEGATED', Z.UNDELEGATED, 'rec_state'],
  ])('%s beats rec_gicv3', (_l, rec, row) => {
    const m = enterSetup();
    writeEntry(m, BAD_GIC);
    expectFail(m, 'REC_ENTER', [Z.REC, RUN], 'ERROR_REC', 0, 'rec_gicv3'); // the GIC condition holds
    expectFail(m, 'REC_ENTER', [rec, RUN], 'ERROR_INPUT', 0, row);
  });

  test('run_pas beats rec_align (deterministic order)', () => {
    expectFail(enterSetup(), 'REC_ENTER', [Z.REC + 8, Z.DELEGATED], 'ERROR_INPUT', 0, 'run_pas');
  });

  test('run checks also beat rec_running', () => {
    const m = enterSetup();
    expect(m.rmi('REC_ENTER', [Z.REC, RUN], 0).pending).toBe(true);
    expectFail(m, 'REC_ENTER', [Z.REC, Z.DELEGATED], 'ERROR_INPUT', 0, 'run_pas', 1);
  });
});

// ---------------------------------------------------------------------------------------------
describe('PSCI_COMPLETE failure rows reachable without realm execution', () => {
  /** Two RECs (0 runnable, 1 runnable) of the zoo realm, activated; plus a REC of another realm. */
  const OTHER_RD = G(21);
  const OTHER_REC = G(23);
  function psciSetup(): Machine {
    const m = zoo();
    writeRec(m, VALID_REC);
    expectOk(m, 'REC_CREATE', [Z.RD, Z.REC_NEW, PARAMS]);
    expectOk(m, 'REALM_ACTIVATE', [Z.RD]);
    createRealm(m, { rd: OTHER_RD, root: G(22), vmid: 2n });
    expect(makeRec(m, OTHER_RD, OTHER_REC, [G(24), G(25)]).status?.status).toBe('SUCCESS');
    return m;
  }
  const pc = (m: Machine, calling: bigint | number, target: bigint | number, status: bigint | number, row: string, cpu = 0) =>
    expectFail(m, 'PSCI_COMPLETE', [calling, target, status], 'ERROR_INPUT', 0, row, cpu);

  test('alias: calling = target', () => pc(psciSetup(), Z.REC, Z.REC, 0, 'alias'));
  test('alias wins over everything (both 2^64-1)', () => pc(psciSetup(), MAX64, MAX64, MAX64, 'alias'));

  test.each(misaligned(Z.REC))('calling_align: calling %s', (c) => pc(psciSetup(), c, Z.REC_NEW, 0, 'calling_align'));
  test.each(OUT_OF_BOUNDS)('calling_bound: calling %s', (c) => pc(psciSetup(), c, Z.REC_NEW, 0, 'calling_bound'));
  test.each(wrongStates('REC'))('calling_state: calling in state %s', (_l, c) => pc(psciSetup(), c, Z.REC_NEW, 0, 'calling_state'));

  test.each(misaligned(Z.REC_NEW))('target_align: target %s', (t) => pc(psciSetup(), Z.REC, t, 0, 'target_align'));
  test.each(OUT_OF_BOUNDS)('target_bound: target %s', (t) => pc(psciSetup(), Z.REC, t, 0, 'target_bound'));
  test.each(wrongStates('REC'))('target_state: target in state %s', (_l, t) => pc(psciSetup(), Z.REC, t, 0, 'target_state'));

  test('calling checks come before target checks', () => pc(psciSetup(), Z.DELEGATED, G(62), 0, 'calling_state'));

  test('calling_running: the caller is RUNNING on CPU 0', () => {
    const m = psciSetup();
    expect(m.rmi('REC_ENTER', [Z.REC, RUN], 0).pending).toBe(true);
    const obs = failObs(m, 'PSCI_COMPLETE', [Z.REC, Z.REC_NEW, 0], 'ERROR_INPUT', 0, 'calling_running', 1);
    expect(obs.x).toEqual([0n, 0n, 0n, 0n]);
  });
  test('order: target_state before calling_running', () => {
    const m = psciSetup();
    expect(m.rmi('REC_ENTER', [Z.REC, RUN], 0).pending).toBe(true);
    pc(m, Z.REC, Z.DELEGATED, 0, 'target_state', 1);
  });
  test('order: calling_state before target_align', () => pc(psciSetup(), Z.UNDELEGATED, Z.REC_NEW + 8, 0, 'calling_state'));
  test('order: calling_running before psci_pending (a running caller has no pending request)', () => {
    const m = psciSetup();
    expect(m.rmi('REC_ENTER', [Z.REC, RUN], 0).pending).toBe(true);
    pc(m, Z.REC, OTHER_REC, 0, 'calling_running', 1);
  });

  test('psci_pending: the caller has no pending PSCI request', () => pc(psciSetup(), Z.REC, Z.REC_NEW, 0, 'psci_pending'));
  test('psci_pending comes before target_realm (target in another realm)', () => pc(psciSetup(), Z.REC, OTHER_REC, 0, 'psci_pending'));
  test('psci_pending with a target that is running', () => {
    const m = psciSetup();
    expect(m.rmi('REC_ENTER', [Z.REC_NEW, RUN], 0).pending).toBe(true);
    pc(m, Z.REC, Z.REC_NEW, 0, 'psci_pending', 1);
  });

  /** psciSetup plus a third REC (index 2, mpidr 2, not runnable); REC 0 then issues `fn`(target mpidr 1). */
  const REC2 = G(14);
  function pending(fn: 'CPU_ON' | 'AFFINITY_INFO', opts: { rec1Runnable?: boolean } = {}): Machine {
    const m = zoo();
    writeRec(m, { ...VALID_REC, flags: opts.rec1Runnable === false ? 0n : 1n });
    expectOk(m, 'REC_CREATE', [Z.RD, Z.REC_NEW, PARAMS]);
    expect(makeRec(m, Z.RD, REC2, [G(15), G(16)], { mpidr: 2n, flags: 0n }).status?.status).toBe('SUCCESS');
    expectOk(m, 'REALM_ACTIVATE', [Z.RD]);
    createRealm(m, { rd: OTHER_RD, root: G(22), vmid: 2n });
    expect(makeRec(m, OTHER_RD, OTHER_REC, [G(24), G(25)], { mpidr: 0n }).status?.status).toBe('SUCCESS');
    // The other realm's REC index 1 has MPIDR 1: same MPIDR as the request's target, different realm.
    expect(makeRec(m, OTHER_RD, G(26), [G(27), G(28)], { mpidr: 1n }).status?.status).toBe('SUCCESS');
    enter(m, Z.REC, RUN);
    if (fn === 'CPU_ON') realmSmc(m, [PSCI_FN.CPU_ON, 1n, 0x3000n, 0xc0ffeen]);
    else realmSmc(m, [PSCI_FN.AFFINITY_INFO, 1n, 0n]);
    expect(exitReason(m, RUN)).toBe(3n); // PSCI exit
    expect(recOf(m, Z.REC).psciPending).not.toBeNull();
    return m;
  }

  test('target_realm: target REC (same MPIDR) in a different realm', () => pc(pending('CPU_ON'), Z.REC, G(26), 0, 'target_realm'));
  test('target_realm wins over target_mpidr', () => pc(pending('CPU_ON'), Z.REC, OTHER_REC, 0, 'target_realm'));
  test('target_mpidr: the target is not the REC the request named (CPU_ON)', () => pc(pending('CPU_ON'), Z.REC, REC2, 0, 'target_mpidr'));
  test('target_mpidr: the target is not the REC the request named (AFFINITY_INFO)', () => pc(pending('AFFINITY_INFO'), Z.REC, REC2, 0, 'target_mpidr'));
  test('target_mpidr wins over status', () => pc(pending('CPU_ON'), Z.REC, REC2, 7n, 'target_mpidr'));
  test('psci_pending is checked on the caller: the target of a request has none', () => pc(pending('CPU_ON'), Z.REC_NEW, Z.REC, 0, 'psci_pending'));

  test.each<[string, bigint]>([
    ['1', 1n],
    ['INVALID_PARAMETERS (-2)', PSCI_RET.INVALID_PARAMETERS],
    ['ALREADY_ON (-4)', PSCI_RET.ALREADY_ON],
    ['2^64-1', MAX64],
  ])('status: CPU_ON answered with %s', (_l, st) => pc(pending('CPU_ON', { rec1Runnable: false }), Z.REC, Z.REC_NEW, st, 'status'));
  test('status: CPU_ON answered DENIED while the target is already on', () =>
    pc(pending('CPU_ON', { rec1Runnable: true }), Z.REC, Z.REC_NEW, PSCI_RET.DENIED, 'status'));
  test.each<[string, bigint]>([
    ['DENIED', PSCI_RET.DENIED],
    ['1', 1n],
    ['2^64-1', MAX64],
  ])('status: AFFINITY_INFO answered with %s (only SUCCESS allowed)', (_l, st) => pc(pending('AFFINITY_INFO'), Z.REC, Z.REC_NEW, st, 'status'));
});

describe('PSCI_COMPLETE success effects (reference §6)', () => {
  /** Zoo realm with REC 1 (runnable or not), activated; REC 0 runs and issues `fn` about MPIDR 1. */
  function pending(fn: 'CPU_ON' | 'AFFINITY_INFO', rec1Runnable: boolean): Machine {
    const m = zoo();
    writeRec(m, { ...VALID_REC, flags: rec1Runnable ? 1n : 0n, gprs: [5n, 6n, 7n] });
    expectOk(m, 'REC_CREATE', [Z.RD, Z.REC_NEW, PARAMS]);
    expectOk(m, 'REALM_ACTIVATE', [Z.RD]);
    enter(m, Z.REC, RUN);
    if (fn === 'CPU_ON') realmSmc(m, [PSCI_FN.CPU_ON, 1n, 0x3000n, 0xc0ffeen]);
    else realmSmc(m, [PSCI_FN.AFFINITY_INFO, 1n, 0n]);
    return m;
  }
  /** The caller's X0..X3 as the realm sees them at its next entry: it stores each to an MMIO IPA. */
  function callerSees(m: Machine): bigint[] {
    const out: bigint[] = [];
    for (let r = 0; r < 4; r++) {
      enter(m, Z.REC, RUN);
      m.realm({ op: 'store', ipa: 1n << 31n, reg: r });
      expect(exitReason(m, RUN)).toBe(0n);
      out.push(exitGpr(m, RUN, 0));
    }
    return out;
  }

  test('CPU_ON, target off, SUCCESS: target reset at entry with X0 = context_id and runnable; caller X0 = SUCCESS, X1-X3 = 0', () => {
    const m = pending('CPU_ON', false);
    const before = m.state;
    expectOk(m, 'PSCI_COMPLETE', [Z.REC, Z.REC_NEW, PSCI_RET.SUCCESS]);
    const t = recOf(m, Z.REC_NEW);
    expect({ pc: t.pc, x0: t.regs[0], runnable: t.runnable }).toEqual({ pc: 0x3000n, x0: 0xc0ffeen, runnable: true });
    expect(t.regs.slice(1, 31).every((v) => v === 0n)).toBe(true); // X1-X7 from the params are gone
    expect(recOf(m, Z.REC).psciPending).toBeNull();
    expectOtherGranulesUntouched(before, m.state, [Z.REC, Z.REC_NEW]);
    for (const pa of [Z.REC, Z.REC_NEW]) expect(gr(m, pa).state).toBe('REC');
    expect(callerSees(m)).toEqual([PSCI_RET.SUCCESS, 0n, 0n, 0n]);
    // The target can now be entered (it was not runnable before).
    enter(m, Z.REC_NEW, G(17), 1);
  });

  test('CPU_ON, target already on, SUCCESS: caller X0 = ALREADY_ON; target unchanged', () => {
    const m = pending('CPU_ON', true);
    const target = gr(m, Z.REC_NEW);
    expectOk(m, 'PSCI_COMPLETE', [Z.REC, Z.REC_NEW, PSCI_RET.SUCCESS]);
    expect(gr(m, Z.REC_NEW)).toBe(target);
    expect(callerSees(m)).toEqual([PSCI_RET.ALREADY_ON, 0n, 0n, 0n]);
  });

  test('CPU_ON, target off, DENIED: caller X0 = DENIED; target stays off', () => {
    const m = pending('CPU_ON', false);
    const target = gr(m, Z.REC_NEW);
    expectOk(m, 'PSCI_COMPLETE', [Z.REC, Z.REC_NEW, PSCI_RET.DENIED]);
    expect(gr(m, Z.REC_NEW)).toBe(target);
    expect(recOf(m, Z.REC_NEW).runnable).toBe(false);
    expect(callerSees(m)).toEqual([PSCI_RET.DENIED, 0n, 0n, 0n]);
  });

  test.each<[string, boolean, bigint]>([
    ['off', false, PSCI_RET.OFF],
    ['on', true, PSCI_RET.ON],
  ])('AFFINITY_INFO, target %s: caller X0 = ON/OFF accordingly; target unchanged', (_l, runnable, x0) => {
    const m = pending('AFFINITY_INFO', runnable);
    const target = gr(m, Z.REC_NEW);
    expectOk(m, 'PSCI_COMPLETE', [Z.REC, Z.REC_NEW, PSCI_RET.SUCCESS]);
    expect(gr(m, Z.REC_NEW)).toBe(target);
    expect(recOf(m, Z.REC).psciPending).toBeNull();
    expect(callerSees(m)).toEqual([x0, 0n, 0n, 0n]);
  });

  test('a completed request cannot be completed twice (psci_pending)', () => {
    const m = pending('CPU_ON', false);
    expectOk(m, 'PSCI_COMPLETE', [Z.REC, Z.REC_NEW, PSCI_RET.SUCCESS]);
    expectFail(m, 'PSCI_COMPLETE', [Z.REC, Z.REC_NEW, PSCI_RET.SUCCESS], 'ERROR_INPUT', 0, 'psci_pending');
  });
});

describe('REC_ENTER GIC state the host may pass (TF-RMM gic_validate_state)', () => {
  test.each([
    ['Invalid LRs are not checked, even with HW set', { gicv3Lrs: [(1n << 61n) | 1020n] }],
    ['LRs beyond the implemented ones are ignored', { gicv3Lrs: [0n, 0n, 0n, 0n, (1n << 62n) | (1n << 61n)] }],
    ['EOI bit in the pINTID field', { gicv3Lrs: [(1n << 62n) | (1n << 41n) | 32n] }],
    ['an LPI vINTID', { gicv3Lrs: [(1n << 62n) | 8192n] }],
    ['every host-controlled HCR bit', { gicv3Hcr: 0xfen | (1n << 14n) }],
  ])('%s: accepted', (_l, e) => {
    const m = enterSetup();
    writeEntry(m, e as RecEntryInput);
    expect(m.rmi('REC_ENTER', [Z.REC, RUN]).status).toEqual({ status: 'SUCCESS', index: 0 });
  });
});
