// Reference §7 PSCI from a realm and §6 RMI_PSCI_COMPLETE: CPU_ON / AFFINITY_INFO flows through a
// PSCI exit and the host's PSCI_COMPLETE, the PSCI_COMPLETE failure rows that need a pending
// request, CPU_OFF, SYSTEM_OFF / SYSTEM_RESET, and the calls the RMM answers itself.

import { describe, expect, test } from 'vitest';
import {
  IPA_A, IPA_MMIO, IPA_NS_RW, MPIDR, Machine, PSCI, PSCI_RET, RD, REASON, REC0, REC1, REC2, REC_B, RUN, RUN1, call, enter,
  expectEnterFails, expectExit, expectExitRecord, expectNoSecrets, hpfar, liveRegs, mov, plantSecrets, rdAt, recAt, smc, step, world,
} from './helpers';

const ENTRY = BigInt(IPA_A + 0x100);
const CTX = 0xc0ff_ee00_0000_0001n;

function complete(m: Machine, calling: number, target: number, status: bigint, cpu = 0) {
  return m.rmi('PSCI_COMPLETE', [calling, target, status], cpu);
}
function completeOk(m: Machine, calling: number, target: number, status: bigint = PSCI_RET.SUCCESS, cpu = 0) {
  const o = complete(m, calling, target, status, cpu);
  expect({ status: o.status, failed: o.failed }).toEqual({ status: { status: 'SUCCESS', index: 0 }, failed: undefined });
  expect(o.x).toEqual([0n, 0n, 0n, 0n]);
}
/** PSCI_COMPLETE fails with ERROR_INPUT at `row` and changes nothing. */
function completeFails(m: Machine, calling: number, target: number, status: bigint, row: string, cpu = 0) {
  const before = m.state;
  const o = complete(m, calling, target, status, cpu);
  expect({ status: o.status, failed: o.failed }).toEqual({ status: { status: 'ERROR_INPUT', index: 0 }, failed: row });
  expect(o.x0).toBe(1n);
  expect(m.state).toBe(before);
}

/** REC0 running on CPU 0 has asked CPU_ON(REC1); the PSCI exit is asserted. */
function cpuOnPending(opts: Parameters<typeof world>[0] = {}): { m: Machine; secrets: bigint[] } {
  const m = world(opts);
  enter(m, REC0, RUN);
  const secrets = plantSecrets(m, 11, 0, 4);
  expectExit(smc(m, [PSCI.CPU_ON, MPIDR(1), ENTRY, CTX]));
  expectExitRecord(m, RUN, { reason: REASON.PSCI, gprs: { 0: PSCI.CPU_ON, 1: MPIDR(1) } });
  return { m, secrets };
}

/** REC0's result registers after re-entry. */
function reenterRec0(m: Machine): readonly bigint[] {
  enter(m, REC0, RUN);
  return liveRegs(m, 0);
}

describe('CPU_ON', () => {
  test('full flow: PSCI exit, REC0 blocked until PSCI_COMPLETE, REC1 reset to (entry, context id), REC0 gets SUCCESS', () => {
    const rec1Gprs = [0x10n, 0x11n, 0x12n, 0x13n, 0x14n, 0x15n, 0x16n, 0x17n];
    const { m, secrets } = cpuOnPending({ rec1: 'off', rec1Gprs });
    // The caller cannot run while its request is pending; the target is still off.
    expectEnterFails(m, REC0, RUN, 'ERROR_REC', 0);
    expectEnterFails(m, REC1, RUN1, 'ERROR_REC', 0, { cpu: 1 });
    expect(recAt(m, REC1).runnable).toBe(false);

    completeOk(m, REC0, REC1);
    const r1 = recAt(m, REC1);
    expect(r1.runnable).toBe(true);
    expect(r1.pc).toBe(ENTRY);

    // REC1 on CPU 1: X0 = context id, every other register reset (its creation X1..X7 are gone).
    enter(m, REC1, RUN1, { cpu: 1 });
    expect(liveRegs(m, 1)[0]).toBe(CTX);
    expect(liveRegs(m, 1).slice(1, 31).every((v) => v === 0n)).toBe(true);
    // The host sees X0 only because REC1 writes it out (MMIO store exit on CPU 1).
    expectExit(step(m, { op: 'store', ipa: BigInt(IPA_MMIO), reg: 0 }, 1));
    expectExitRecord(m, RUN1, { reason: REASON.SYNC, esr: (0x24n << 26n) | (1n << 24n) | (3n << 22n) | (1n << 15n) | (1n << 6n) | 7n, far: 0n, hpfar: hpfar(IPA_MMIO), gprs: { 0: CTX } });

    // REC0: X0 = PSCI SUCCESS, X1..X3 = 0, X7..X30 preserved across the PSCI exit.
    const r0 = reenterRec0(m);
    expect(r0.slice(0, 4)).toEqual([PSCI_RET.SUCCESS, 0n, 0n, 0n]);
    expect(r0.slice(8, 31)).toEqual(secrets.slice(4));
    expect(r0[7]).toBe(secrets[3]);
    expectNoSecrets(m, secrets);
  });

  test('CPU_ON of a REC that is already on → ALREADY_ON; the target is not reset', () => {
    const { m } = cpuOnPending({ rec1: 'runnable', rec1Gprs: [0x99n] });
    const before = recAt(m, REC1);
    // DENIED is not a valid answer while the target is on.
    completeFails(m, REC0, REC1, PSCI_RET.DENIED, 'status');
    completeOk(m, REC0, REC1);
    expect(recAt(m, REC1)).toEqual(before);
    expect(reenterRec0(m)[0]).toBe(PSCI_RET.ALREADY_ON);
  });

  test('CPU_ON of a REC that is already running (on CPU 1) → ALREADY_ON', () => {
    const m = world({ rec1: 'runnable' });
    enter(m, REC1, RUN1, { cpu: 1 });
    enter(m, REC0, RUN);
    expectExit(smc(m, [PSCI.CPU_ON, MPIDR(1), ENTRY, CTX]));
    completeOk(m, REC0, REC1);
    expect(reenterRec0(m)[0]).toBe(PSCI_RET.ALREADY_ON);
    expect(m.state.cpus[1].mode.kind).toBe('realm');
  });

  test('host answers DENIED: REC0 X0 = DENIED, REC1 stays off', () => {
    const { m } = cpuOnPending();
    completeOk(m, REC0, REC1, PSCI_RET.DENIED);
    expect(recAt(m, REC1).runnable).toBe(false);
    expectEnterFails(m, REC1, RUN1, 'ERROR_REC', 0, { cpu: 1 });
    expect(reenterRec0(m).slice(0, 4)).toEqual([PSCI_RET.DENIED, 0n, 0n, 0n]);
  });

  test('answered by the RMM without an exit: entry outside the PAR, no such REC, self', () => {
    const m = world({ rec1: 'off' });
    enter(m, REC0, RUN);
    expect(call(m, [PSCI.CPU_ON, MPIDR(1), IPA_NS_RW, CTX])[0]).toBe(PSCI_RET.INVALID_ADDRESS);
    expect(call(m, [PSCI.CPU_ON, MPIDR(5), ENTRY, CTX])[0]).toBe(PSCI_RET.INVALID_PARAMETERS);
    expect(call(m, [PSCI.CPU_ON, 1n << 40n, ENTRY, CTX])[0]).toBe(PSCI_RET.INVALID_PARAMETERS); // not an MPIDR
    expect(call(m, [PSCI.CPU_ON, MPIDR(0), ENTRY, CTX])[0]).toBe(PSCI_RET.ALREADY_ON);
    expect(recAt(m, REC0).psciPending).toBeNull();
  });
});

describe('AFFINITY_INFO', () => {
  test('before CPU_ON: OFF; after: ON (each via a PSCI exit and PSCI_COMPLETE)', () => {
    const m = world({ rec1: 'off' });
    enter(m, REC0, RUN);
    const secrets = plantSecrets(m, 12, 0, 3);
    expectExit(smc(m, [PSCI.AFFINITY_INFO, MPIDR(1), 0]));
    expectExitRecord(m, RUN, { reason: REASON.PSCI, gprs: { 0: PSCI.AFFINITY_INFO, 1: MPIDR(1) } });
    expectEnterFails(m, REC0, RUN, 'ERROR_REC', 0); // pending
    completeFails(m, REC0, REC1, PSCI_RET.DENIED, 'status'); // AFFINITY_INFO: SUCCESS only
    completeOk(m, REC0, REC1);
    expect(reenterRec0(m).slice(0, 4)).toEqual([PSCI_RET.OFF, 0n, 0n, 0n]);

    expectExit(smc(m, [PSCI.CPU_ON, MPIDR(1), ENTRY, CTX]));
    completeOk(m, REC0, REC1);
    reenterRec0(m);
    expectExit(smc(m, [PSCI.AFFINITY_INFO, MPIDR(1), 0]));
    completeOk(m, REC0, REC1);
    expect(reenterRec0(m)[0]).toBe(PSCI_RET.ON);
    expectNoSecrets(m, secrets.slice(3)); // X3 was an argument register of these calls
  });

  test('answered by the RMM: self → ON; lowest affinity level ≠ 0 or no such REC → INVALID_PARAMETERS', () => {
    const m = world({ rec1: 'off' });
    enter(m, REC0, RUN);
    expect(call(m, [PSCI.AFFINITY_INFO, MPIDR(0), 0])[0]).toBe(PSCI_RET.ON);
    expect(call(m, [PSCI.AFFINITY_INFO, MPIDR(1), 1])[0]).toBe(PSCI_RET.INVALID_PARAMETERS);
    expect(call(m, [PSCI.AFFINITY_INFO, MPIDR(9), 0])[0]).toBe(PSCI_RET.INVALID_PARAMETERS);
  });
});

describe('PSCI_COMPLETE failure rows (all ERROR_INPUT, no state change)', () => {
  test('alias: calling = target', () => {
    const { m } = cpuOnPending();
    completeFails(m, REC0, REC0, PSCI_RET.SUCCESS, 'alias');
  });

  test('calling / target not a REC granule', () => {
    const { m } = cpuOnPending();
    completeFails(m, RD, REC1, PSCI_RET.SUCCESS, 'calling_state');
    completeFails(m, REC0, RD, PSCI_RET.SUCCESS, 'target_state');
    completeFails(m, REC0 + 8, REC1, PSCI_RET.SUCCESS, 'calling_align');
  });

  test('calling REC running (on CPU 0, host on CPU 1)', () => {
    const m = world();
    enter(m, REC0, RUN);
    completeFails(m, REC0, REC1, PSCI_RET.SUCCESS, 'calling_running', 1);
  });

  test('calling REC has no pending PSCI request (never asked; already answered)', () => {
    const m = world();
    completeFails(m, REC0, REC1, PSCI_RET.SUCCESS, 'psci_pending');
    const { m: m2 } = cpuOnPending();
    completeOk(m2, REC0, REC1);
    completeFails(m2, REC0, REC1, PSCI_RET.SUCCESS, 'psci_pending');
  });

  test('target in a different realm', () => {
    const { m } = cpuOnPending({ realmB: true });
    completeFails(m, REC0, REC_B, PSCI_RET.SUCCESS, 'target_realm');
  });

  test('target MPIDR ≠ the MPIDR the realm asked for', () => {
    const { m } = cpuOnPending({ rec2: true });
    completeFails(m, REC0, REC2, PSCI_RET.SUCCESS, 'target_mpidr');
    completeOk(m, REC0, REC1);
  });

  test.each([
    ['INVALID_PARAMETERS', PSCI_RET.INVALID_PARAMETERS],
    ['NOT_SUPPORTED', PSCI_RET.NOT_SUPPORTED],
    ['ALREADY_ON', PSCI_RET.ALREADY_ON],
    ['1', 1n],
  ])('status %s is not a permitted answer to CPU_ON', (_l, status) => {
    const { m } = cpuOnPending();
    completeFails(m, REC0, REC1, status, 'status');
  });
});

describe('CPU_OFF, SYSTEM_OFF, SYSTEM_RESET', () => {
  test('CPU_OFF: PSCI exit; the REC is no longer runnable (REC_ENTER → ERROR_REC) until another REC turns it on', () => {
    const m = world({ rec1: 'runnable' });
    enter(m, REC0, RUN);
    mov(m, 9, 0x99n);
    expectExit(smc(m, [PSCI.CPU_OFF]));
    expectExitRecord(m, RUN, { reason: REASON.PSCI, gprs: { 0: PSCI.CPU_OFF } });
    expect(recAt(m, REC0).runnable).toBe(false);
    expectEnterFails(m, REC0, RUN, 'ERROR_REC', 0);
    // REC1 turns REC0 back on: it restarts at the entry point with X0 = context id, nothing else.
    enter(m, REC1, RUN1, { cpu: 1 });
    expectExit(smc(m, [PSCI.CPU_ON, MPIDR(0), ENTRY, CTX], 1));
    completeOk(m, REC1, REC0);
    enter(m, REC0, RUN);
    expect(m.state.cpus[0].pc).toBe(ENTRY);
    expect(liveRegs(m, 0)[0]).toBe(CTX);
    expect(liveRegs(m, 0)[9]).toBe(0n);
  });

  test.each([
    ['SYSTEM_OFF', PSCI.SYSTEM_OFF],
    ['SYSTEM_RESET', PSCI.SYSTEM_RESET],
  ])('%s: PSCI exit, realm SYSTEM_OFF; REC_ENTER of any REC → ERROR_REALM(1), for good', (_l, fid) => {
    const m = world({ rec1: 'runnable' });
    enter(m, REC1, RUN1, { cpu: 1 });
    enter(m, REC0, RUN);
    const secrets = plantSecrets(m, 13, 0, 1);
    expectExit(smc(m, [fid]));
    expectExitRecord(m, RUN, { reason: REASON.PSCI, gprs: { 0: fid } });
    expect(rdAt(m).state).toBe('SYSTEM_OFF');
    expectEnterFails(m, REC0, RUN, 'ERROR_REALM', 1);
    // REC1 was running on CPU 1 meanwhile: after its exit it cannot re-enter either.
    expectExit(step(m, { op: 'irq' }, 1));
    expectEnterFails(m, REC1, RUN1, 'ERROR_REALM', 1, { cpu: 1 });
    expectEnterFails(m, REC0, RUN1, 'ERROR_REALM', 1, { cpu: 1 });
    expect(m.status('REALM_ACTIVATE', [RD])).toEqual({ status: 'ERROR_REALM', index: 0 });
    expectNoSecrets(m, secrets);
  });
});

describe('calls the RMM answers itself', () => {
  test('PSCI_VERSION = 1.1; PSCI_FEATURES; unknown PSCI function → NOT_SUPPORTED', () => {
    const m = world();
    enter(m, REC0, RUN);
    expect(call(m, [PSCI.VERSION])[0]).toBe(0x10001n);
    expect(call(m, [PSCI.FEATURES, PSCI.CPU_ON])[0]).toBe(PSCI_RET.SUCCESS);
    expect(call(m, [PSCI.FEATURES, 0x8400_0010n])[0]).toBe(PSCI_RET.NOT_SUPPORTED);
    // TF-RMM psci_features: SMCCC_VERSION is reported, PSCI_VERSION is not; the ID is read as 32 bits.
    expect(call(m, [PSCI.FEATURES, 0x8000_0000n])[0]).toBe(PSCI_RET.SUCCESS);
    expect(call(m, [PSCI.FEATURES, PSCI.VERSION])[0]).toBe(PSCI_RET.NOT_SUPPORTED);
    expect(call(m, [PSCI.FEATURES, (1n << 32n) | PSCI.CPU_OFF])[0]).toBe(PSCI_RET.SUCCESS);
    expect(call(m, [0x8400_001fn])[0]).toBe(PSCI_RET.NOT_SUPPORTED);
    expect(m.state.cpus[0].mode.kind).toBe('realm');
  });

  test('CPU_SUSPEND: PSCI exit with the FID only (TF-RMM psci_cpu_suspend: forward_args_to_host(1)); X0 = SUCCESS at re-entry', () => {
    const m = world();
    enter(m, REC0, RUN);
    expectExit(smc(m, [0xc4000001n, 0x1n, ENTRY, CTX]));
    expectExitRecord(m, RUN, { reason: REASON.PSCI, gprs: { 0: 0xc4000001n, 1: 0n, 2: 0n, 3: 0n } });
    expect(reenterRec0(m)[0]).toBe(PSCI_RET.SUCCESS);
  });
});
