// Reference §7 "Exit reasons" and "Exposed per reason": for every exit, the whole 2 KB exit record is
// read back through the host's NS read of run + 0x800 and every word is asserted (the exposed
// fields have their values, everything else is zero). GIC and timer state is reported on every exit.
// Before each exit the realm holds secrets in X8..X30 (and wherever else a register is not an
// argument of the exit); none of them may appear anywhere in the host's view.

import { describe, expect, test } from 'vitest';
import { serrorEsr } from '../../../real/cca/realm/esr';
import {
  EC, ESR, FLAGS, IPA_A, IPA_B, IPA_C, IPA_MMIO, IPA_NS_L1, IPA_NS_RO, IPA_URAM, Machine, MPIDR, NS_RO, PSCI, REASON, REC0, RIPAS, RSI, RUN,
  RD, enter, expectExit, expectExitRecord, expectNoSecrets, hostRead, hpfar, mov, plantSecrets, poke, smc, step, world, GIC_HCR, GIC_LRS,
} from './helpers';

/** The realm programs its virtual timer (reported on every exit: reference §7). */
const TIMER = { cntvCtl: 0x5n, cntvCval: 0x1234_5678n, cntpCtl: 0x1n, cntpCval: 0x9abc_def0n };
function setTimers(m: Machine, cpu = 0): void {
  for (const [reg, v] of [['CNTV_CTL_EL0', TIMER.cntvCtl], ['CNTV_CVAL_EL0', TIMER.cntvCval], ['CNTP_CTL_EL0', TIMER.cntpCtl], ['CNTP_CVAL_EL0', TIMER.cntpCval]] as const) {
    mov(m, 2, v, cpu);
    step(m, { op: 'msr', reg: 2, sysreg: reg }, cpu);
  }
}

/** A running REC0 with timers set and secrets in X`from`..X30. */
function running(from = 8, opts: { flags?: bigint } = {}): { m: Machine; secrets: bigint[] } {
  const m = world();
  enter(m, REC0, RUN, { flags: opts.flags });
  setTimers(m);
  return { m, secrets: plantSecrets(m, 1, 0, from) };
}

const DA = ESR.ec(EC.DABT);
/** Index of exit.esr among the record's words. */
const EXIT_ESR = 0x100 / 8;

describe('SYNC: emulatable data abort (unprotected UNASSIGNED_NS, ISV = 1)', () => {
  // The Rt register (X5) holds a 64-bit value: only the low `size` bytes may be exposed.
  const V = 0x1122_3344_5566_7788n;
  test.each([
    [1, 0x88n, 0x7],
    [2, 0x7788n, 0x6],
    [4, 0x5566_7788n, 0x4],
    [8, V, 0x8],
  ])('store of size %i: gprs[0] = value masked to the size, ESR ISV/SAS/SF/WnR/DFSC only, FAR low 12 bits, HPFAR', (size, shown, off) => {
    const { m, secrets } = running();
    mov(m, 5, V);
    const ipa = IPA_MMIO + off;
    const o = step(m, { op: 'store', ipa: BigInt(ipa), reg: 5, size });
    expectExit(o);
    // SRT (= 5), SSE, AR and IL are masked off; SF is set only for a 64-bit register (an 8-byte store).
    const esr = DA | ESR.ISV | ESR.sas(size) | (size === 8 ? ESR.SF : 0n) | ESR.WNR | ESR.transl(3);
    const words = expectExitRecord(m, RUN, { reason: REASON.SYNC, esr, far: BigInt(off), hpfar: hpfar(ipa), gprs: { 0: shown }, ...TIMER });
    expect(words[EXIT_ESR] & ESR.srt(31)).toBe(0n);
    expectNoSecrets(m, secrets);
  });

  test('the FAR keeps only the page offset (bits above 11 withheld), HPFAR gives the page', () => {
    const { m } = running();
    const ipa = IPA_MMIO + 0xff8;
    mov(m, 5, 9n);
    expectExit(step(m, { op: 'store', ipa: BigInt(ipa), reg: 5 }));
    expectExitRecord(m, RUN, { reason: REASON.SYNC, esr: DA | ESR.ISV | ESR.sas(8) | ESR.SF | ESR.WNR | ESR.transl(3), far: 0xff8n, hpfar: hpfar(ipa), gprs: { 0: 9n }, ...TIMER });
  });

  test('DFSC reports the level the walk stopped at (UNASSIGNED_NS at level 1)', () => {
    const { m } = running();
    mov(m, 5, 3n);
    expectExit(step(m, { op: 'store', ipa: BigInt(IPA_NS_L1 + 0x10), reg: 5, size: 4 }));
    expectExitRecord(m, RUN, { reason: REASON.SYNC, esr: DA | ESR.ISV | ESR.sas(4) | ESR.WNR | ESR.transl(1), far: 0x10n, hpfar: hpfar(IPA_NS_L1), gprs: { 0: 3n }, ...TIMER });
  });

  test('a load exposes no register value (gprs[0] = 0), no WnR; SSE and SRT of a signed load are masked', () => {
    const { m, secrets } = running();
    mov(m, 6, 0xfeed_face_cafe_beefn); // the destination register's old value must not leak either
    const o = step(m, { op: 'load', ipa: BigInt(IPA_MMIO + 0x20), reg: 6, size: 2, signed: true });
    expectExit(o);
    // A sign-extending load into a 64-bit register (the model's loads write all of Xt): SF = 1.
    const words = expectExitRecord(m, RUN, { reason: REASON.SYNC, esr: DA | ESR.ISV | ESR.sas(2) | ESR.SF | ESR.transl(3), far: 0x20n, hpfar: hpfar(IPA_MMIO), ...TIMER });
    expect(words[EXIT_ESR] & (ESR.SSE | ESR.srt(31) | ESR.AR | ESR.IL)).toBe(0n);
    expectNoSecrets(m, [...secrets, 0xfeed_face_cafe_beefn]);
  });
});

describe('SYNC: non-emulatable data abort (FAR 0, gprs 0, ESR EC/SET/FnV/EA/FSC only)', () => {
  test.each([
    ['store', true],
    ['load', false],
  ])('protected UNASSIGNED RAM, %s: no WnR, no ISV/SAS/SRT; HPFAR is the page; the stored register is not exposed', (_l, write) => {
    const { m, secrets } = running(1); // X1..X30 all secret, including the store's source X8
    const ipa = IPA_URAM + 0x18;
    const o = step(m, write ? { op: 'store', ipa: BigInt(ipa), reg: 8, size: 8 } : { op: 'load', ipa: BigInt(ipa), reg: 8, size: 4 });
    expectExit(o);
    expectExitRecord(m, RUN, { reason: REASON.SYNC, esr: DA | ESR.transl(3), far: 0n, hpfar: hpfar(IPA_URAM), ...TIMER });
    expectNoSecrets(m, secrets);
  });

  test('RIPAS DESTROYED (DATA_DESTROY of a RAM page): same record', () => {
    const m = world();
    expect(m.status('DATA_DESTROY', [RD, IPA_C])).toEqual({ status: 'SUCCESS', index: 0 });
    enter(m, REC0, RUN);
    setTimers(m);
    const secrets = plantSecrets(m, 2, 0, 1);
    expectExit(step(m, { op: 'store', ipa: BigInt(IPA_C + 0x8), reg: 9 }));
    expectExitRecord(m, RUN, { reason: REASON.SYNC, esr: DA | ESR.transl(3), far: 0n, hpfar: hpfar(IPA_C), ...TIMER });
    expectNoSecrets(m, secrets);
  });

  test('S2AP violation at an unprotected IPA (store to a read-only NS mapping): permission fault, not emulatable', () => {
    const { m, secrets } = running(1);
    const o = step(m, { op: 'store', ipa: BigInt(IPA_NS_RO + 0x30), reg: 8, size: 8 });
    expectExit(o);
    // Reference §7: "spec adds IL for DA at unprotected IPA, TF-RMM omits": accept either for IL only.
    const esr = hostRead(m, RUN + 0x800, 256)[EXIT_ESR];
    expect(esr & ~ESR.IL).toBe(DA | ESR.perm(3));
    expectExitRecord(m, RUN, { reason: REASON.SYNC, esr, far: 0n, hpfar: hpfar(IPA_NS_RO), ...TIMER });
    expect(hostRead(m, NS_RO + 0x30, 1)[0]).toBe(0n); // nothing was written to the NS page
    expectNoSecrets(m, secrets);
  });
});

describe('SYNC: instruction abort', () => {
  test.each([
    ['UNASSIGNED RAM', IPA_URAM],
    ['RIPAS DESTROYED', IPA_C],
  ])('fetch from protected %s: ESR EC/FSC, FAR 0, HPFAR, gprs 0', (label, ipa) => {
    const m = world();
    if (label === 'RIPAS DESTROYED') expect(m.status('DATA_DESTROY', [RD, IPA_C])?.status).toBe('SUCCESS');
    enter(m, REC0, RUN);
    setTimers(m);
    const secrets = plantSecrets(m, 3, 0, 1);
    expectExit(step(m, { op: 'fetch', ipa: BigInt(ipa + 0x40) }));
    expectExitRecord(m, RUN, { reason: REASON.SYNC, esr: ESR.ec(EC.IABT) | ESR.transl(3), far: 0n, hpfar: hpfar(ipa), ...TIMER });
    expectNoSecrets(m, secrets);
  });
});

describe('SYNC: system register trap (GIC ICC_* write forwarded to the host)', () => {
  test('MSR ICC_SGI1R_EL1, X7: gprs[0] = the written value; ESR keeps the encoding, Rt masked', () => {
    const { m, secrets } = running();
    mov(m, 7, 0x00ab_0000_0001_0002n);
    expectExit(step(m, { op: 'msr', reg: 7, sysreg: 'ICC_SGI1R_EL1' }));
    // ICC_SGI1R_EL1 = S3_0_C12_C11_5; ISS: Op0[21:20] Op2[19:17] Op1[16:14] CRn[13:10] Rt[9:5] CRm[4:1] Dir[0] (0 = write).
    const iss = (3n << 20n) | (5n << 17n) | (0n << 14n) | (12n << 10n) | (11n << 1n);
    const words = expectExitRecord(m, RUN, { reason: REASON.SYNC, esr: ESR.ec(EC.SYSREG) | ESR.IL | iss, gprs: { 0: 0x00ab_0000_0001_0002n }, ...TIMER });
    expect(words[EXIT_ESR] & (0x1fn << 5n)).toBe(0n); // Rt (7) is not visible
    expectNoSecrets(m, secrets);
  });
});

describe('SYNC: WFI / WFE trapped by the host (ESR EC + TI only)', () => {
  test.each([
    ['wfi', FLAGS.TRAP_WFI, 0n],
    ['wfe', FLAGS.TRAP_WFE, 1n],
  ] as const)('%s', (op, flags, ti) => {
    const { m, secrets } = running(1, { flags });
    expectExit(step(m, { op }));
    expectExitRecord(m, RUN, { reason: REASON.SYNC, esr: ESR.ec(EC.WFX) | ti, ...TIMER });
    expectNoSecrets(m, secrets);
  });
});

describe('IRQ / FIQ / SERROR', () => {
  test.each([
    ['irq', REASON.IRQ],
    ['fiq', REASON.FIQ],
  ] as const)('%s: nothing but the reason, GIC and timers (ESR 0)', (op, reason) => {
    const { m, secrets } = running(0);
    expectExit(step(m, { op }));
    expectExitRecord(m, RUN, { reason, ...TIMER });
    expectNoSecrets(m, secrets);
  });

  test('SERROR: ESR IDS, AET, EA, DFSC only (no EC, no IL, no other ISS bits)', () => {
    const { m, secrets } = running(0);
    expectExit(step(m, { op: 'serror' }));
    // The hardware syndrome the model raises has bits outside the exposed fields (EC, IESB...):
    const raw = serrorEsr();
    const exposed = (1n << 24n) | (7n << 10n) | (1n << 9n) | 0x3fn; // IDS | AET | EA | DFSC
    expect(raw & ~exposed).not.toBe(0n);
    expect(raw & exposed).not.toBe(0n);
    expectExitRecord(m, RUN, { reason: REASON.SERROR, esr: raw & exposed, ...TIMER });
    expectNoSecrets(m, secrets);
  });
});

describe('PSCI exit', () => {
  test('CPU_ON: gprs[0] = FID, gprs[1] = target MPIDR; entry point, context id and everything else zero', () => {
    const m = world();
    enter(m, REC0, RUN);
    setTimers(m);
    const secrets = plantSecrets(m, 4, 0, 4);
    const o = smc(m, [PSCI.CPU_ON, MPIDR(1), IPA_A, 0x77]);
    expectExit(o);
    expectExitRecord(m, RUN, { reason: REASON.PSCI, gprs: { 0: PSCI.CPU_ON, 1: MPIDR(1) }, ...TIMER });
    expectNoSecrets(m, secrets);
  });

  test('CPU_OFF / SYSTEM_OFF: gprs[0] = FID only', () => {
    for (const fid of [PSCI.CPU_OFF, PSCI.SYSTEM_OFF]) {
      const m = world();
      enter(m, REC0, RUN);
      setTimers(m);
      const secrets = plantSecrets(m, 5, 0, 1);
      expectExit(smc(m, [fid]));
      expectExitRecord(m, RUN, { reason: REASON.PSCI, gprs: { 0: fid }, ...TIMER });
      expectNoSecrets(m, secrets);
    }
  });
});

describe('RIPAS_CHANGE exit', () => {
  test('ripas_base / ripas_top / ripas_value; flags and registers not exposed', () => {
    const m = world();
    enter(m, REC0, RUN);
    setTimers(m);
    const secrets = plantSecrets(m, 6, 0, 5);
    expectExit(smc(m, [RSI.IPA_STATE_SET, 0x10000, 0x12000, RIPAS.RAM, 1]));
    expectExitRecord(m, RUN, { reason: REASON.RIPAS_CHANGE, ripasBase: 0x10000n, ripasTop: 0x12000n, ripasValue: RIPAS.RAM, ...TIMER });
    expectNoSecrets(m, secrets);
  });

  test('a request to EMPTY reports ripas_value EMPTY (0)', () => {
    const m = world();
    enter(m, REC0, RUN);
    expectExit(smc(m, [RSI.IPA_STATE_SET, IPA_A, IPA_C, RIPAS.EMPTY, 0]));
    expectExitRecord(m, RUN, { reason: REASON.RIPAS_CHANGE, ripasBase: BigInt(IPA_A), ripasTop: BigInt(IPA_C), ripasValue: 0n });
  });
});

describe('HOST_CALL exit', () => {
  test('imm and gprs[0..30] come from the RsiHostCall structure in realm memory, not from realm registers', () => {
    const m = world();
    enter(m, REC0, RUN);
    setTimers(m);
    const struct = IPA_B + 0x100;
    poke(m, struct, 0x42n); // imm
    for (let k = 0; k < 31; k++) poke(m, struct + 8 + 8 * k, 0x4800n + BigInt(k));
    const secrets = plantSecrets(m, 7, 0, 2);
    expectExit(smc(m, [RSI.HOST_CALL, struct]));
    const gprs: Record<number, bigint> = {};
    for (let k = 0; k < 31; k++) gprs[k] = 0x4800n + BigInt(k);
    expectExitRecord(m, RUN, { reason: REASON.HOST_CALL, imm: 0x42n, gprs, ...TIMER });
    expectNoSecrets(m, secrets);
  });
});

describe('the whole record is rewritten at every exit', () => {
  test('a HOST_CALL record (imm, 31 gprs) followed by an IRQ exit: the IRQ record has no trace of it', () => {
    const m = world();
    enter(m, REC0, RUN);
    const struct = IPA_B;
    poke(m, struct, 0x7n);
    for (let k = 0; k < 31; k++) poke(m, struct + 8 + 8 * k, 0x100n + BigInt(k));
    expectExit(smc(m, [RSI.HOST_CALL, struct]));
    enter(m, REC0, RUN);
    expectExit(step(m, { op: 'irq' }));
    expectExitRecord(m, RUN, { reason: REASON.IRQ });
  });

  test('an emulatable abort (FAR, gprs[0]) followed by a RIPAS_CHANGE exit', () => {
    const m = world();
    enter(m, REC0, RUN);
    mov(m, 3, 0x99n);
    expectExit(step(m, { op: 'store', ipa: BigInt(IPA_MMIO + 0x123), reg: 3, size: 1 }));
    enter(m, REC0, RUN, { flags: FLAGS.EMUL_MMIO });
    expectExit(smc(m, [RSI.IPA_STATE_SET, 0x10000, 0x11000, RIPAS.RAM, 0]));
    expectExitRecord(m, RUN, { reason: REASON.RIPAS_CHANGE, ripasBase: 0x10000n, ripasTop: 0x11000n, ripasValue: RIPAS.RAM });
  });

  test('GIC state given at entry is reported back on every exit (here: a different HCR / LRs per entry)', () => {
    const m = world();
    enter(m, REC0, RUN, { gicHcr: 0x2n, gicLrs: [0x7n] });
    expectExit(step(m, { op: 'irq' }));
    expectExitRecord(m, RUN, { reason: REASON.IRQ, gicHcr: 0x2n, gicLrs: [0x7n] });
    enter(m, REC0, RUN);
    expectExit(step(m, { op: 'fiq' }));
    expectExitRecord(m, RUN, { reason: REASON.FIQ, gicHcr: GIC_HCR, gicLrs: GIC_LRS });
  });
});
