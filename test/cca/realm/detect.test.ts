// The assertions this folder relies on do catch faults: the same checks, run on deliberately broken
// specifications (the named variants of variants/index.ts, and small exit-record / entry faults
// built here the same way), must fail. Guards against tests that would pass on a broken model.

import { describe, expect, test } from 'vitest';
import { Spec } from '../../../real/cca/spec';
import { faithful } from '../../../real/cca/faithful';
import { variantNamed } from '../../../variants/cca';
import { granuleAt } from '../../../real/cca/state';
import {
  DATA_C, ESR, FLAGS, IPA_C, IPA_MMIO, RD, REASON, REC0, RUN, enter, expectExit, expectExitRecord, expectNoSecrets, hostRead, hpfar,
  liveRegs, mov, plantSecrets, poke, step, world,
} from './helpers';

const variant = (name: string): Spec => {
  const v = variantNamed(name);
  if (!v) throw new Error(`no variant ${name}`);
  return v.apply(faithful);
};
const withExitRecord = (f: (r: ReturnType<Spec['exitRecord']>) => void): Spec => ({
  ...faithful,
  exitRecord: (i, rec, regs) => {
    const r = faithful.exitRecord(i, rec, regs);
    f(r);
    return r;
  },
});

/** Runs an MMIO store of X5 = 0x1122 at IPA_MMIO + 0x28 with secrets in X1..X4, X6..X30 and checks it. */
function mmioStoreChecks(spec: Spec): void {
  const m = world({ spec });
  enter(m, REC0, RUN);
  const secrets = plantSecrets(m, 50, 0, 6);
  for (let r = 1; r <= 4; r++) mov(m, r, secrets[r]);
  mov(m, 5, 0x1122n);
  expectExit(step(m, { op: 'store', ipa: BigInt(IPA_MMIO + 0x28), reg: 5, size: 8 }));
  expectExitRecord(m, RUN, {
    reason: REASON.SYNC, esr: ESR.ec(0x24n) | ESR.ISV | ESR.sas(8) | ESR.SF | ESR.WNR | ESR.transl(3), far: 0x28n, hpfar: hpfar(IPA_MMIO), gprs: { 0: 0x1122n },
  });
  expectNoSecrets(m, secrets);
}

describe('the exit-record checks fail on faulty RMMs', () => {
  test('faithful: passes', () => mmioStoreChecks(faithful));
  test('variant exit-leaks-gprs (X1..X7 left in the record): detected', () => {
    expect(() => mmioStoreChecks(variant('exit-leaks-gprs'))).toThrow();
  });
  test('FAR not masked to the page offset: detected', () => {
    expect(() => mmioStoreChecks(withExitRecord((r) => (r.far |= BigInt(IPA_MMIO))))).toThrow();
  });
  test('ESR SRT not masked: detected', () => {
    expect(() => mmioStoreChecks(withExitRecord((r) => (r.esr |= ESR.srt(5))))).toThrow();
  });
  test('a stale field (imm) not zeroed: detected', () => {
    expect(() => mmioStoreChecks(withExitRecord((r) => (r.imm = 1n)))).toThrow();
  });
  test('GIC state not reported: detected', () => {
    expect(() => mmioStoreChecks(withExitRecord((r) => (r.gicv3Hcr = 0n)))).toThrow();
  });
});

describe('the multi-CPU checks fail on faulty RMMs', () => {
  /** The §5.5 check: delegate the run granule while the REC runs; the exit must not write it. */
  function runGranuleCheck(spec: Spec): void {
    const m = world({ spec });
    enter(m, REC0, RUN);
    mov(m, 5, 0xabcdn);
    expect(m.status('GRANULE_DELEGATE', [RUN], 1)?.status).toBe('SUCCESS');
    const o = step(m, { op: 'store', ipa: BigInt(IPA_MMIO), reg: 5 });
    expectExit(o, 'ERROR_INPUT');
    const g = granuleAt(m.state, RUN);
    expect(g.content.kind === 'words' && [...g.content.words.values()].every((v) => v === 0n)).toBe(true);
  }
  test('faithful: passes', () => runGranuleCheck(faithful));
  test('variant exit-unchecked-run-granule: detected', () => {
    expect(() => runGranuleCheck(variant('exit-unchecked-run-granule'))).toThrow();
  });

  /** DATA_DESTROY of a page holding a realm secret, undelegate, host read: all zero. */
  function scrubCheck(spec: Spec): void {
    const m = world({ spec });
    enter(m, REC0, RUN);
    const secrets = plantSecrets(m, 51);
    poke(m, IPA_C, secrets[0]);
    expect(m.status('DATA_DESTROY', [RD, IPA_C], 1)?.status).toBe('SUCCESS');
    expect(m.status('GRANULE_UNDELEGATE', [DATA_C], 1)?.status).toBe('SUCCESS');
    expect(hostRead(m, DATA_C, 512).every((v) => v === 0n)).toBe(true);
    expectNoSecrets(m, secrets);
  }
  test('faithful: passes', () => scrubCheck(faithful));
  test('variant undelegate-no-scrub: detected', () => {
    expect(() => scrubCheck(variant('undelegate-no-scrub'))).toThrow();
  });
});

describe('the entry checks fail on faulty RMMs', () => {
  /** Signed MMIO load of one byte completed with 0x80: Rt = sign-extended. */
  function signExtendCheck(spec: Spec): void {
    const m = world({ spec });
    enter(m, REC0, RUN);
    expectExit(step(m, { op: 'load', ipa: BigInt(IPA_MMIO), reg: 4, size: 1, signed: true }));
    enter(m, REC0, RUN, { flags: FLAGS.EMUL_MMIO, gprs: [0x80n] });
    expect(liveRegs(m)[4]).toBe(0xffff_ffff_ffff_ff80n);
  }
  test('faithful: passes', () => signExtendCheck(faithful));
  test('an RMM that drops the EMUL_MMIO flag: detected', () => {
    const spec: Spec = { ...faithful, enterRec: (s, cpu, rec, run, e) => faithful.enterRec(s, cpu, rec, run, { ...e, flags: e.flags & ~FLAGS.EMUL_MMIO }) };
    expect(() => signExtendCheck(spec)).toThrow();
  });
});
