// VERSION, FEATURES, unknown FIDs (reference §1, §6, §9).
import { describe, expect, test } from 'vitest';
import { Config, DEFAULT_CONFIG } from '../../../real/cca/config';
import { faithful } from '../../../real/cca/faithful';
import { MAX64, Machine, Z, failObs, expectOk, machine, zoo } from './fixtures-extra';

/** RMI revision encoding: major << 16 | minor. The model implements exactly v1.0. */
const V1_0 = 1n << 16n;

describe('VERSION', () => {
  test('requested 1.0 (supported): SUCCESS, X1 = X2 = 1.0, no state change', () => {
    const m = zoo();
    const before = m.state;
    const obs = expectOk(m, 'VERSION', [V1_0]);
    expect(obs.x).toEqual([V1_0, V1_0, 0n, 0n]);
    expect(m.state).toBe(before);
  });

  test.each<[string, bigint]>([
    ['0.0', 0n],
    ['1.1', V1_0 | 1n],
    ['0.1', 1n],
    ['2.0', 2n << 16n],
    ['2^64-1', MAX64],
    ['1.0 with high bits set', V1_0 | (1n << 40n)],
  ])('requested %s (unsupported): ERROR_INPUT, outputs still valid, no state change', (_l, req) => {
    const m = zoo();
    const obs = failObs(m, 'VERSION', [req], 'ERROR_INPUT', 0, 'version_supported');
    expect(obs.x).toEqual([V1_0, V1_0, 0n, 0n]);
  });

  test('works in any machine state (a REC running on another CPU)', () => {
    const m = zoo();
    expectOk(m, 'REALM_ACTIVATE', [Z.RD]);
    expect(m.rmi('REC_ENTER', [Z.REC, 9 * 4096], 0).pending).toBe(true);
    expect(expectOk(m, 'VERSION', [V1_0], 1).x).toEqual([V1_0, V1_0, 0n, 0n]);
  });
});

/** Places `v` in bits [hi:lo], checking it fits the field (reference §6 FEATURES field table). */
function field(v: number | boolean, hi: number, lo: number): bigint {
  const b = BigInt(Number(v));
  expect(b < 1n << BigInt(hi - lo + 1)).toBe(true);
  return b << BigInt(lo);
}
const get = (x: bigint, hi: number, lo: number): number => Number((x >> BigInt(lo)) & ((1n << BigInt(hi - lo + 1)) - 1n));

/** RmiFeatureRegister0 as the reference's table lays it out, from the platform configuration. */
function expectedReg0(c: Config): bigint {
  return (
    field(c.maxIpaWidth, 7, 0) | field(c.lpa2, 8, 8) | field(c.sveSupported, 9, 9) | field(c.sveMaxVl, 13, 10) |
    field(c.maxBps, 19, 14) | field(c.maxWps, 25, 20) | field(c.pmuSupported, 26, 26) | field(c.pmuMaxCtrs, 31, 27) |
    field(c.sha256, 32, 32) | field(c.sha512, 33, 33) | field(c.gicNumLrs, 37, 34) | field(c.maxRecsOrder, 41, 38)
  );
}

function features(m: Machine, index: bigint): bigint {
  const before = m.state;
  const obs = expectOk(m, 'FEATURES', [index]);
  expect(obs.x.slice(1)).toEqual([0n, 0n, 0n]);
  expect(m.state).toBe(before);
  return obs.x[0];
}

describe('FEATURES', () => {
  test('register 0 for the default configuration', () => {
    // S2SZ 48, LPA2 0, SVE 0/VL 0, 6 BPs, 6 WPs, PMU with 4 counters, SHA-256 + SHA-512, 4 LRs, MAX_RECS_ORDER 4.
    const lit = 48n | (6n << 14n) | (6n << 20n) | (1n << 26n) | (4n << 27n) | (1n << 32n) | (1n << 33n) | (4n << 34n) | (4n << 38n);
    expect(expectedReg0(DEFAULT_CONFIG)).toBe(lit);
    expect(features(machine(), 0n)).toBe(lit);
  });

  const configs: [string, Partial<Config>][] = [
    ['all fields at their maximum', { maxIpaWidth: 48, sveSupported: true, sveMaxVl: 15, maxBps: 63, maxWps: 63, pmuSupported: true, pmuMaxCtrs: 31, sha256: true, sha512: true, gicNumLrs: 15, maxRecsOrder: 15 }],
    ['everything off / minimal', { maxIpaWidth: 32, sveSupported: false, sveMaxVl: 0, maxBps: 0, maxWps: 0, pmuSupported: false, pmuMaxCtrs: 0, sha256: false, sha512: false, gicNumLrs: 0, maxRecsOrder: 0 }],
    ['distinct values per field', { maxIpaWidth: 40, sveSupported: true, sveMaxVl: 5, maxBps: 2, maxWps: 3, pmuSupported: true, pmuMaxCtrs: 7, sha256: false, sha512: true, gicNumLrs: 9, maxRecsOrder: 6 }],
    ['SHA-256 only, SVE off, many BPs few WPs', { sveSupported: false, sveMaxVl: 0, maxBps: 33, maxWps: 1, sha256: true, sha512: false, gicNumLrs: 1, maxRecsOrder: 11 }],
  ];

  test.each(configs)('register 0 fields follow the configuration: %s', (_l, over) => {
    const cfg = { ...DEFAULT_CONFIG, ...over };
    const x1 = features(new Machine(faithful, cfg), 0n);
    expect(x1).toBe(expectedReg0(cfg));
    // Field by field, so a misplaced field is named in the failure.
    expect({
      s2sz: get(x1, 7, 0), lpa2: get(x1, 8, 8), sve: get(x1, 9, 9), sveVl: get(x1, 13, 10), bps: get(x1, 19, 14), wps: get(x1, 25, 20),
      pmu: get(x1, 26, 26), ctrs: get(x1, 31, 27), sha256: get(x1, 32, 32), sha512: get(x1, 33, 33), lrs: get(x1, 37, 34), recs: get(x1, 41, 38),
      reserved: get(x1, 63, 42),
    }).toEqual({
      s2sz: cfg.maxIpaWidth, lpa2: Number(cfg.lpa2), sve: Number(cfg.sveSupported), sveVl: cfg.sveMaxVl, bps: cfg.maxBps, wps: cfg.maxWps,
      pmu: Number(cfg.pmuSupported), ctrs: cfg.pmuMaxCtrs, sha256: Number(cfg.sha256), sha512: Number(cfg.sha512), lrs: cfg.gicNumLrs,
      recs: cfg.maxRecsOrder, reserved: 0,
    });
  });

  test.each([1n, 2n, 0x100n, 1n << 63n, MAX64])('index %s: X1 = 0, SUCCESS (FEATURES never fails)', (index) => {
    expect(features(zoo(), index)).toBe(0n);
  });

  test('the answer does not depend on the machine state', () => {
    expect(features(zoo(), 0n)).toBe(features(machine(), 0n));
  });
});

describe('unknown function IDs', () => {
  test.each<[string, bigint]>([
    ['0xC4000156 (hole 6, old DATA_DISPOSE)', 0xc4000156n],
    ['0xC4000160 (hole 0x10, old RTT_MAP_PROTECTED)', 0xc4000160n],
    ['0xC4000163 (hole 0x13, old RTT_UNMAP_PROTECTED)', 0xc4000163n],
    ['0xC400016A (after RTT_SET_RIPAS)', 0xc400016an],
    ['0xC400014F (before VERSION)', 0xc400014fn],
    ['0x84000000 (SMC32 PSCI_VERSION)', 0x84000000n],
    ['0x84000150 (SMC32 form of VERSION)', 0x84000150n],
    ['0', 0n],
    ['2^64-1', MAX64],
  ])('%s: status null, X0 = SMCCC NOT_SUPPORTED (-1), nothing changes', (_l, fid) => {
    const m = zoo();
    const before = m.state;
    const obs = m.do({ kind: 'rmi', cpu: 0, fid, args: [BigInt(Z.DELEGATED), BigInt(Z.RD), 0n] });
    expect(obs.kind).toBe('rmi');
    if (obs.kind !== 'rmi') return;
    expect(obs.status).toBeNull();
    expect(obs.name).toBeNull();
    expect(obs.x0).toBe(MAX64);
    expect(obs.x.every((v) => v === 0n)).toBe(true);
    expect(m.state).toBe(before);
  });
});

describe('failure tables', () => {
  // Coverage (properties/coverage.ts) and variants (dropRows) identify a row by its name: two rows of
  // one command with the same name are indistinguishable in `failed` and are dropped together.
  test.each(['GRANULE_DELEGATE', 'GRANULE_UNDELEGATE', 'REALM_CREATE', 'REALM_ACTIVATE', 'REALM_DESTROY', 'REC_AUX_COUNT', 'REC_CREATE', 'REC_DESTROY', 'REC_ENTER', 'PSCI_COMPLETE', 'VERSION', 'FEATURES'] as const)(
    '%s: row names are unique',
    (name) => {
      const names = faithful.commands[name].failures.map((f) => f.name);
      expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    },
  );
});
