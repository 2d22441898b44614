// Reference §6 REC_ENTER: each entry flag (EMUL_MMIO, INJECT_SEA, TRAP_WFI, TRAP_WFE) with the
// REC error it can cause, entry completion of an MMIO read (Rt ← entry.gprs[0], masked to the
// access size and sign-extended per the ESR), and the realm / REC state checks (§6, §10).

import { describe, expect, test } from 'vitest';
import {
  FLAGS, IPA_MMIO, IPA_NS_RO, IPA_NS_RW, IPA_URAM, Machine, NS_RW, PSCI, REASON, REC0, REC1, RUN, RUN1, enter,
  expectEnterFails, expectExit, expectExitRecord, expectSea, hostRead, liveRegs, mov, recAt, smc, step, store, tryEnter, world,
} from './helpers';

function running(m: Machine = world(), flags?: bigint): Machine {
  enter(m, REC0, RUN, { flags });
  return m;
}

/** Exits REC0 with each kind of exit that is not an emulatable data abort. */
const NOT_EMULATABLE: [string, (m: Machine) => void][] = [
  ['IRQ', (m) => expectExit(step(m, { op: 'irq' }))],
  ['a protected non-emulatable data abort', (m) => expectExit(step(m, { op: 'load', ipa: BigInt(IPA_URAM), reg: 1 }))],
  ['an unprotected S2AP data abort (not emulatable)', (m) => expectExit(step(m, { op: 'store', ipa: BigInt(IPA_NS_RO), reg: 1 }))],
  ['a sysreg write trap', (m) => expectExit(step(m, { op: 'msr', reg: 1, sysreg: 'ICC_SGI1R_EL1' }))],
];
/** Exits that are not a data abort at an unprotected IPA. */
const NOT_UNPROTECTED_DA: [string, (m: Machine) => void][] = [
  ['IRQ', (m) => expectExit(step(m, { op: 'irq' }))],
  ['a protected non-emulatable data abort (UNASSIGNED RAM)', (m) => expectExit(step(m, { op: 'load', ipa: BigInt(IPA_URAM), reg: 1 }))],
  ['an instruction abort', (m) => expectExit(step(m, { op: 'fetch', ipa: BigInt(IPA_URAM) }))],
  ['a sysreg write trap', (m) => expectExit(step(m, { op: 'msr', reg: 1, sysreg: 'ICC_SGI1R_EL1' }))],
];

describe('EMUL_MMIO', () => {
  test('on a REC that has never run → ERROR_REC (§10)', () => {
    expectEnterFails(world(), REC0, RUN, 'ERROR_REC', 0, { flags: FLAGS.EMUL_MMIO });
  });

  test.each(NOT_EMULATABLE)('after %s → ERROR_REC', (_l, exit) => {
    const m = running();
    exit(m);
    expectEnterFails(m, REC0, RUN, 'ERROR_REC', 0, { flags: FLAGS.EMUL_MMIO });
    // Without the flag the same REC enters fine.
    enter(m, REC0, RUN);
  });

  test('after an emulatable data abort: accepted once; the next exit (IRQ) makes it invalid again', () => {
    const m = running();
    expectExit(step(m, { op: 'load', ipa: BigInt(IPA_MMIO), reg: 1 }));
    enter(m, REC0, RUN, { flags: FLAGS.EMUL_MMIO, gprs: [5n] });
    expect(liveRegs(m)[1]).toBe(5n);
    expectExit(step(m, { op: 'irq' }));
    expectEnterFails(m, REC0, RUN, 'ERROR_REC', 0, { flags: FLAGS.EMUL_MMIO });
  });

  // MMIO read completion: Rt ← entry.gprs[0] masked to the access size, sign-extended per the ESR.
  const HOST = 0xa5a5_a5a5_f6e7_8798n; // bytes 0x98 (neg), 0x8798 (neg), 0xf6e78798 (neg); high bits garbage
  test.each([
    [1, false, 0x98n],
    [1, true, 0xffff_ffff_ffff_ff98n],
    [2, false, 0x8798n],
    [2, true, 0xffff_ffff_ffff_8798n],
    [4, false, 0xf6e7_8798n],
    [4, true, 0xffff_ffff_f6e7_8798n],
    [8, false, HOST],
  ])('load of size %i (signed: %s): Rt = %s', (size, signed, want) => {
    const m = running();
    mov(m, 9, 0x1111n); // Rt's old value is replaced
    expectExit(step(m, { op: 'load', ipa: BigInt(IPA_MMIO + size), reg: 9, size, signed }));
    enter(m, REC0, RUN, { flags: FLAGS.EMUL_MMIO, gprs: [HOST, 0xdeadn] });
    expect(liveRegs(m)[9]).toBe(want);
    // The realm can use the value: store it to shared memory, where the host reads it back.
    store(m, IPA_NS_RW, 9);
    expect(hostRead(m, NS_RW, 1)).toEqual([want]);
    // Other registers untouched by the completion.
    expect(liveRegs(m)[1]).toBe(0n);
  });

  test('positive values are not sign-extended', () => {
    const m = running();
    expectExit(step(m, { op: 'load', ipa: BigInt(IPA_MMIO), reg: 4, size: 2, signed: true }));
    enter(m, REC0, RUN, { flags: FLAGS.EMUL_MMIO, gprs: [0xffff_0000_0000_7ffen] });
    expect(liveRegs(m)[4]).toBe(0x7ffen);
  });

  test('completion of an MMIO store changes no register; without EMUL_MMIO a load leaves Rt unchanged', () => {
    const m = running();
    mov(m, 4, 0x42n);
    expectExit(step(m, { op: 'store', ipa: BigInt(IPA_MMIO), reg: 4 }));
    const saved = recAt(m, REC0).regs.slice();
    enter(m, REC0, RUN, { flags: FLAGS.EMUL_MMIO, gprs: [0x999n] });
    expect(liveRegs(m).slice(0, 31)).toEqual(saved.slice(0, 31));

    expectExit(step(m, { op: 'load', ipa: BigInt(IPA_MMIO), reg: 4 }));
    enter(m, REC0, RUN, { gprs: [0x999n] }); // host declines to emulate
    expect(liveRegs(m)[4]).toBe(0x42n);
  });

  test('MMIO completion moves the PC past the load (PC += 4); without it the PC stays', () => {
    const m = running();
    const pc0 = m.state.cpus[0].pc;
    expectExit(step(m, { op: 'load', ipa: BigInt(IPA_MMIO), reg: 4 }));
    expect(recAt(m, REC0).pc).toBe(pc0);
    enter(m, REC0, RUN);
    expect(m.state.cpus[0].pc).toBe(pc0);
    expectExit(step(m, { op: 'load', ipa: BigInt(IPA_MMIO), reg: 4 }));
    enter(m, REC0, RUN, { flags: FLAGS.EMUL_MMIO });
    expect(m.state.cpus[0].pc).toBe(pc0 + 4n);
  });
});

describe('INJECT_SEA', () => {
  test('on a REC that has never run → ERROR_REC (§10)', () => {
    expectEnterFails(world(), REC0, RUN, 'ERROR_REC', 0, { flags: FLAGS.INJECT_SEA });
  });

  test.each(NOT_UNPROTECTED_DA)('after %s → ERROR_REC', (_l, exit) => {
    const m = running();
    exit(m);
    expectEnterFails(m, REC0, RUN, 'ERROR_REC', 0, { flags: FLAGS.INJECT_SEA });
  });

  test.each([
    ['an emulatable data abort (UNASSIGNED_NS)', IPA_MMIO, 'load'],
    ['a non-emulatable data abort at an unprotected IPA (S2AP)', IPA_NS_RO, 'store'],
  ] as const)('after %s: accepted; the SEA is taken at the next realm step, which does not execute', (_l, ipa, op) => {
    const m = running();
    mov(m, 3, 0x33n);
    expectExit(step(m, { op, ipa: BigInt(ipa), reg: 3 }));
    enter(m, REC0, RUN, { flags: FLAGS.INJECT_SEA });
    const o = step(m, { op: 'mov', reg: 3, value: 0x44n });
    expectSea(o);
    expect(liveRegs(m)[3]).toBe(0x33n); // the instruction in that step was not executed
    // Only one SEA: the realm then runs normally.
    mov(m, 3, 0x55n);
    expect(liveRegs(m)[3]).toBe(0x55n);
    expect(m.state.cpus[0].mode.kind).toBe('realm');
  });

  test('without INJECT_SEA after an unprotected abort there is no SEA', () => {
    const m = running();
    expectExit(step(m, { op: 'store', ipa: BigInt(IPA_NS_RO), reg: 3 }));
    enter(m, REC0, RUN);
    mov(m, 3, 0x55n);
  });
});

describe('TRAP_WFI / TRAP_WFE', () => {
  test('with TRAP_WFI, WFI exits (SYNC, EC WFx, TI 0); without it WFI does not exit', () => {
    const m = running(world(), FLAGS.TRAP_WFI);
    // TRAP_WFI does not trap WFE.
    expect(step(m, { op: 'wfe' }).exit).toBeUndefined();
    expectExit(step(m, { op: 'wfi' }));
    expectExitRecord(m, RUN, { reason: REASON.SYNC, esr: 0x01n << 26n });
    enter(m, REC0, RUN);
    const o = step(m, { op: 'wfi' });
    expect(o.exit).toBeUndefined();
    expect(m.state.cpus[0].mode.kind).toBe('realm');
  });

  test('with TRAP_WFE, WFE exits (TI 1); TRAP_WFE does not trap WFI; the flags hold for one entry only', () => {
    const m = running(world(), FLAGS.TRAP_WFE);
    expect(step(m, { op: 'wfi' }).exit).toBeUndefined();
    expectExit(step(m, { op: 'wfe' }));
    expectExitRecord(m, RUN, { reason: REASON.SYNC, esr: (0x01n << 26n) | 1n });
    enter(m, REC0, RUN);
    expect(step(m, { op: 'wfe' }).exit).toBeUndefined();
    expectExit(step(m, { op: 'irq' }));
    enter(m, REC0, RUN, { flags: FLAGS.TRAP_WFI | FLAGS.TRAP_WFE });
    expectExit(step(m, { op: 'wfe' }));
    enter(m, REC0, RUN, { flags: FLAGS.TRAP_WFI | FLAGS.TRAP_WFE });
    expectExit(step(m, { op: 'wfi' }));
  });
});

describe('realm and REC state checks', () => {
  test('realm NEW → ERROR_REALM index 0 (also for a non-runnable REC: realm_new comes first)', () => {
    const m = world({ activate: false, rec1: 'off' });
    expectEnterFails(m, REC0, RUN, 'ERROR_REALM', 0);
    expectEnterFails(m, REC1, RUN, 'ERROR_REALM', 0);
  });

  test('realm SYSTEM_OFF → ERROR_REALM index 1, for every REC of the realm', () => {
    const m = world({ rec1: 'runnable' });
    enter(m, REC0, RUN);
    expectExit(smc(m, [PSCI.SYSTEM_OFF]));
    expect(m.rmi('REC_ENTER', [REC0, RUN]).x0).toBe(2n | (1n << 8n));
    expectEnterFails(m, REC0, RUN, 'ERROR_REALM', 1);
    expectEnterFails(m, REC1, RUN, 'ERROR_REALM', 1);
  });

  test('REC not runnable → ERROR_REC', () => {
    const m = world({ rec1: 'off' });
    expectEnterFails(m, REC1, RUN, 'ERROR_REC', 0);
  });

  test('REC already running on another CPU → ERROR_REC; the running REC is undisturbed', () => {
    const m = running();
    mov(m, 5, 0x55n);
    expectEnterFails(m, REC0, RUN1, 'ERROR_REC', 0, { cpu: 1 });
    expect(m.state.cpus[1].mode.kind).toBe('host');
    expect(liveRegs(m)[5]).toBe(0x55n);
    // ... and even with the same run granule.
    expectEnterFails(m, REC0, RUN, 'ERROR_REC', 0, { cpu: 1 });
  });

  test('a CPU that is running a REC cannot issue RMI calls (the call is not taken)', () => {
    const m = running();
    const o = m.rmi('REC_ENTER', [REC0, RUN1], 0);
    expect(o.kind).toBe('skip');
  });

  test('GIC state invalid (HCR RES0 bit or En, a valid LR with HW = 1) → ERROR_REC; LRs beyond the implemented ones are ignored', () => {
    const m = world();
    expectEnterFails(m, REC0, RUN, 'ERROR_REC', 0, { gicHcr: 1n << 20n });
    expectEnterFails(m, REC0, RUN, 'ERROR_REC', 0, { gicHcr: 1n });
    expectEnterFails(m, REC0, RUN, 'ERROR_REC', 0, { gicLrs: [(1n << 62n) | (1n << 61n) | 40n] });
    expect(tryEnter(m, REC0, RUN, { gicLrs: [0n, 0n, 0n, 0n, (1n << 62n) | (1n << 61n)] }).status).toEqual({ status: 'SUCCESS', index: 0 });
  });

  test('run granule not NS (delegated) → ERROR_INPUT before any realm/REC check (Ordered)', () => {
    const m = world({ activate: false });
    expect(m.status('GRANULE_DELEGATE', [RUN1])?.status).toBe('SUCCESS');
    const before = m.state;
    const o = m.rmi('REC_ENTER', [REC0, RUN1]);
    expect(o.status).toEqual({ status: 'ERROR_INPUT', index: 0 });
    expect(m.state).toBe(before);
  });
});

