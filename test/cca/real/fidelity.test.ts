// Issue 14 §4: differences against TF-RMM (tag rmm-spec-v1.0-rel0) resolved from its source. Each
// expected value comes from the cited function, not from the model:
// - LPA2 as a configuration feature: runtime/rmi/feature.c get_feature_register_0 (FEATURES bit 8),
//   runtime/rmi/realm.c validate_realm_params / validate_ipa_bits_and_sl / s2_inconsistent_sl /
//   s2_num_root_rtts, lib/s2tt/src/s2tt.c host_ns_s2tte_is_valid / s2tte_lvl_mask / s2tte_to_pa.
// - FEAT_HPMN0 as a configuration feature: realm.c validate_realm_params (is_feat_hpmn0_present).
// - The realm-parameter field widths: lib/smc/include/smc-rmi.h struct rmi_realm_params.
import { describe, expect, test } from 'vitest';
import { Config, DEFAULT_CONFIG, configProblems } from '../../../real/cca/config';
import { featureRegister0 } from '../../../real/cca/rmi/features';
import { decodeConfig } from '../../../real/cca/codec';
import { granuleAt, rttOf } from '../../../real/cca/state';
import {
  ATTRS, G, KB4, LEVEL_MINUS_1, Machine, PARAMS, RD, ROOT, S2AP_RW, U64_MAX, delegate, expectFail, expectOk, gst, machine,
  readEntry, RTTE,
} from './fixtures-rtt';
import { RealmParamsInput } from '../../../real/cca/params';
import { runChecks } from '../engine';
import { faithful } from '../../../real/cca/faithful';
import type { RmiObs } from '../../../real/cca/machine';
import type { Status } from '../../../real/cca/status';

const LPA2: Config = { ...DEFAULT_CONFIG, lpa2: true, maxIpaWidth: 52, paWidth: 52 };
const FLAG_LPA2 = 1n;
const gr = (m: Machine, pa: number) => granuleAt(m.state, pa).content;

function create(cfg: Config, p: Partial<RealmParamsInput>, roots = 1): { m: Machine; obs: RmiObs & { status: Status } } {
  const m = machine(undefined, cfg);
  // Concatenated roots at G(16): aligned to 16 granules (the model's rtt_align row).
  const base = roots === 1 ? ROOT : G(16);
  delegate(m, RD);
  for (let i = 0; i < roots; i++) delegate(m, base + i * KB4);
  m.writeRealmParams(PARAMS, { s2sz: 32n, rttLevelStart: 1n, rttNumStart: 1n, rttBase: BigInt(base), vmid: 1n, ...p });
  return { m, obs: m.rmi('REALM_CREATE', [RD, PARAMS]) as RmiObs & { status: Status } };
}

describe('LPA2 is a feature of the configuration', () => {
  test('FEATURES reports LPA2 (bit 8) exactly when the configuration has it', () => {
    expect((featureRegister0(DEFAULT_CONFIG) >> 8n) & 1n).toBe(0n);
    expect((featureRegister0(LPA2) >> 8n) & 1n).toBe(1n);
    expect(featureRegister0(LPA2) & 0xffn).toBe(52n); // S2SZ
    const m = machine(undefined, LPA2);
    expect(expectOk(m, 'FEATURES', [0]).x[0]).toBe(featureRegister0(LPA2));
  });

  test('configProblems: lpa2 is a valid setting; widths above 48 need it', () => {
    expect(configProblems(LPA2)).toEqual([]);
    expect(configProblems({ ...DEFAULT_CONFIG, maxIpaWidth: 52 })).not.toEqual([]);
    expect(configProblems({ ...DEFAULT_CONFIG, paWidth: 52 })).not.toEqual([]);
    expect(configProblems({ ...DEFAULT_CONFIG, lpa2: 1 as unknown as boolean })).not.toEqual([]);
  });

  test('without FEAT_LPA2 the LPA2 flag is ERROR_INPUT (params_supp)', () => {
    const { obs } = create(DEFAULT_CONFIG, { flags: FLAG_LPA2 });
    expect([obs.status, obs.failed]).toEqual([{ status: 'ERROR_INPUT', index: 0 }, 'params_supp']);
  });

  test('with FEAT_LPA2 a realm may ask for it: the RD records it', () => {
    const { m, obs } = create(LPA2, { flags: FLAG_LPA2 });
    expect(obs.status).toEqual({ status: 'SUCCESS', index: 0 });
    expect(gr(m, RD)).toMatchObject({ kind: 'rd', features: { lpa2: true } });
  });

  // validate_ipa_bits_and_sl: max_ipa_bits = 52 only when the realm requests LPA2.
  test('s2sz 52 without the realm flag fails even on an LPA2 machine; with it, 16 level-0 roots', () => {
    expect(create(LPA2, { s2sz: 52n, rttLevelStart: 0n, rttNumStart: 16n }, 16).obs.status).toEqual({ status: 'ERROR_INPUT', index: 0 });
    const { m, obs } = create(LPA2, { flags: FLAG_LPA2, s2sz: 52n, rttLevelStart: 0n, rttNumStart: 16n }, 16);
    expect(obs.status).toEqual({ status: 'SUCCESS', index: 0 });
    for (let i = 0; i < 16; i++) expect(gst(m, G(16) + i * KB4)).toBe('RTT');
  });

  test('s2sz 49 with 1 level-0 root is inconsistent (needs 2): s2_num_root_rtts', () => {
    expect(create(LPA2, { flags: FLAG_LPA2, s2sz: 49n, rttLevelStart: 0n, rttNumStart: 1n }).obs.failed).toBe('rtt_num_level');
    expect(create(LPA2, { flags: FLAG_LPA2, s2sz: 49n, rttLevelStart: 0n, rttNumStart: 2n }, 2).obs.status.status).toBe('SUCCESS');
  });

  // s2_inconsistent_sl for sl = -1: ipa_bits in [4*9+12+1, that + 3] = [49, 52], one (16-entry) root.
  test.each<[bigint, string]>([[49n, 'SUCCESS'], [52n, 'SUCCESS'], [48n, 'ERROR_INPUT']])('start level -1 with LPA2, s2sz %s: %s', (w, st) => {
    expect(create(LPA2, { flags: FLAG_LPA2, s2sz: w, rttLevelStart: LEVEL_MINUS_1, rttNumStart: 1n }).obs.status.status).toBe(st);
  });
  test('start level -1 without the realm flag fails (min starting level 0)', () => {
    expect(create(LPA2, { s2sz: 52n, rttLevelStart: LEVEL_MINUS_1, rttNumStart: 1n }).obs.failed).toBe('rtt_num_level');
  });

  test('a level -1 realm walks from its root: READ_ENTRY at -1, RTT_CREATE at level 0', () => {
    const { m } = create(LPA2, { flags: FLAG_LPA2, s2sz: 52n, rttLevelStart: LEVEL_MINUS_1, rttNumStart: 1n });
    expect(readEntry(m, RD, 0, LEVEL_MINUS_1)).toEqual([U64_MAX, RTTE.UNASSIGNED, 0n, 0n]);
    delegate(m, G(40));
    expectOk(m, 'RTT_CREATE', [RD, G(40), 0, 0]);
    expect(readEntry(m, RD, 0, 0)).toEqual([0n, RTTE.UNASSIGNED, 0n, 0n]);
    expect(readEntry(m, RD, 0, LEVEL_MINUS_1)).toEqual([U64_MAX, RTTE.TABLE, BigInt(G(40)), 0n]);
  });
  test('the level is a signed 64-bit integer: level -2 is below even a level -1 realm\'s start (TF-RMM `long level`)', () => {
    const { m } = create(LPA2, { flags: FLAG_LPA2, s2sz: 52n, rttLevelStart: LEVEL_MINUS_1, rttNumStart: 1n });
    const o = m.rmi('RTT_READ_ENTRY', [RD, 0, LEVEL_MINUS_1 - 1n]);
    expect({ status: o.status?.status, failed: o.failed }).toEqual({ status: 'ERROR_INPUT', failed: 'level_bound' });
    const huge = m.rmi('RTT_READ_ENTRY', [RD, 0, 1n << 63n]); // the most negative level
    expect({ status: huge.status?.status, failed: huge.failed }).toEqual({ status: 'ERROR_INPUT', failed: 'level_bound' });
  });

  // host_ns_s2tte_is_valid: the mask is s2tte_lvl_mask(level, lpa2) | MemAttr | S2AP; with LPA2 it
  // adds OA[49:48] in place and OA[51:50] at bits [9:8] (s2tte_to_pa).
  describe('RTT_MAP_UNPROTECTED output addresses above 2^48', () => {
    function nsL3(cfg: Config, flags: bigint) {
      const { m } = create(cfg, { flags, s2sz: 32n });
      delegate(m, G(41), G(42));
      const PAR = 2 ** 31;
      expectOk(m, 'RTT_CREATE', [RD, G(41), PAR, 2]);
      expectOk(m, 'RTT_CREATE', [RD, G(42), PAR, 3]);
      return { m, PAR };
    }
    test('without LPA2, OA bit 48 is not host-controlled: attr_valid', () => {
      const { m, PAR } = nsL3(DEFAULT_CONFIG, 0n);
      expectFail(m, 'RTT_MAP_UNPROTECTED', [RD, PAR, 3, (1n << 48n) | ATTRS], 'ERROR_INPUT', 0, 'attr_valid');
    });
    test('an LPA2 realm maps OA 2^49 + 2^51 (bits [49:48] in place, [51:50] in desc bits [9:8]); READ_ENTRY gives the same desc', () => {
      const { m, PAR } = nsL3(LPA2, FLAG_LPA2);
      const desc = (1n << 49n) | (2n << 8n) | 0x5000n | ATTRS; // OA = 2^49 | 2^51 | 0x5000
      expectOk(m, 'RTT_MAP_UNPROTECTED', [RD, PAR, 3, desc]);
      const e = rttOf(m.state, G(42)).entries[0];
      expect(e).toMatchObject({ hipas: 'ASSIGNED_NS', addr: 2 ** 49 + 2 ** 51 + 0x5000 });
      expect(readEntry(m, RD, PAR, 3)).toEqual([3n, RTTE.ASSIGNED, desc, 0n]);
    });
    test('in a realm without the LPA2 flag bits [9:8] are SH, not host-controlled, even on an LPA2 machine', () => {
      const { m, PAR } = nsL3(LPA2, 0n);
      expectFail(m, 'RTT_MAP_UNPROTECTED', [RD, PAR, 3, (1n << 8n) | 0x5000n | S2AP_RW], 'ERROR_INPUT', 0, 'attr_valid');
    });
  });
});

describe('FEAT_HPMN0 is a feature of the configuration', () => {
  test('default machine (no HPMN0): PMU with 0 counters is ERROR_INPUT; with HPMN0 it succeeds and the RD keeps 0', () => {
    expect(DEFAULT_CONFIG.pmuHpmn0).toBe(false);
    expect(create(DEFAULT_CONFIG, { flags: 4n, pmuNumCtrs: 0n }).obs.failed).toBe('params_supp');
    const { m, obs } = create({ ...DEFAULT_CONFIG, pmuHpmn0: true }, { flags: 4n, pmuNumCtrs: 0n });
    expect(obs.status.status).toBe('SUCCESS');
    expect(gr(m, RD)).toMatchObject({ features: { pmu: true, pmuNumCtrs: 0 } });
  });
  test('configProblems accepts both settings', () => {
    expect(configProblems({ ...DEFAULT_CONFIG, pmuHpmn0: true })).toEqual([]);
  });
});

describe('realm parameter field widths (struct rmi_realm_params)', () => {
  test('s2sz is 32-bit: 2^32 + 32 reads as 32', () => {
    const { m, obs } = create(DEFAULT_CONFIG, { s2sz: (1n << 32n) + 32n });
    expect(obs.status.status).toBe('SUCCESS');
    expect(gr(m, RD)).toMatchObject({ ipaWidth: 32 });
  });
  test('the hash algorithm is 8-bit: 0x100 reads as SHA-256 (0), 0x101 as SHA-512', () => {
    expect(gr(create(DEFAULT_CONFIG, { hashAlgo: 0x100n }).m, RD)).toMatchObject({ hashAlgo: 0 });
    expect(gr(create(DEFAULT_CONFIG, { hashAlgo: 0x101n }).m, RD)).toMatchObject({ hashAlgo: 1 });
  });
  test('rtt_num_start is 32-bit: 2^32 + 1 reads as 1', () => {
    expect(create(DEFAULT_CONFIG, { rttNumStart: (1n << 32n) + 1n }).obs.status.status).toBe('SUCCESS');
  });
  test('an absent num_bps / num_wps in the convenience encoder is 1 (0 is reserved)', () => {
    expect(gr(create(DEFAULT_CONFIG, {}).m, RD)).toMatchObject({ features: { numBps: 1, numWps: 1 } });
  });
});

describe('the new configuration keys go through the trace codec', () => {
  test('decodeConfig accepts pmuHpmn0 and an LPA2 machine (keys are checked against DEFAULT_CONFIG)', () => {
    expect(decodeConfig({ pmuHpmn0: true, lpa2: true, maxIpaWidth: 52, paWidth: 52 }, '$.config')).toEqual({
      ok: true, value: { ...DEFAULT_CONFIG, pmuHpmn0: true, lpa2: true, maxIpaWidth: 52, paWidth: 52 },
    });
  });
  test('and rejects a wrong shape or a width that needs LPA2', () => {
    expect(decodeConfig({ pmuHpmn0: 1 }, '$.config').ok).toBe(false);
    const r = decodeConfig({ maxIpaWidth: 52 }, '$.config');
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.error).toMatch(/maxIpaWidth/);
  });
});

test('the faithful model on an LPA2 machine with FEAT_HPMN0 shows no violation (seed 3, 40 traces)', () => {
  const r = runChecks({ spec: faithful, config: { ...LPA2, pmuHpmn0: true }, runs: 40, steps: 100, seed: 3 });
  expect(r.counterexample).toBeNull();
}, 120_000);
