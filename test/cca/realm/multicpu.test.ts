// Multi-CPU: a REC runs on CPU 0 while the host on CPU 1 changes the world under it.
// - The CCA paper §5.5 bug: the host delegates the run granule while the REC runs; at the exit the
//   RMM must re-check the granule is still NS and not write the exit record into realm memory
//   (REC_ENTER then returns ERROR_INPUT; the REC is READY again).
// - DATA_DESTROY / RTT_UNMAP_UNPROTECTED on CPU 1 take effect at the realm's next access on CPU 0;
//   REC_DESTROY of the running REC fails (reference §6: rec_state RUNNING → ERROR_REC).

import { describe, expect, test } from 'vitest';
import { ptoArray } from '../../../model/pvec';
import { granuleAt } from '../../../real/cca/state';
import {
  DATA_C, ESR, FLAGS, GIC_HCR, IPA_C, IPA_MMIO, IPA_NS_RW, Machine, NS_RW, RD, REASON, REC0, REC1, RUN, RUN1, RUN2, ATTR_RW, enter,
  expectCheckerAgrees, expectExit, expectExitRecord, expectNoSecrets, hostRead, hpfar, liveRegs, load, mov, plantSecrets, poke,
  recAt, step, store, world,
} from './helpers';

const EMUL_STORE8 = (0x24n << 26n) | ESR.ISV | ESR.sas(8) | ESR.SF | ESR.WNR | ESR.transl(3);
const EMUL_LOAD8 = (0x24n << 26n) | ESR.ISV | ESR.sas(8) | ESR.SF | ESR.transl(3);

const allZero = (m: Machine, pa: number): boolean => {
  const g = granuleAt(m.state, pa);
  return g.content.kind === 'words' && [...g.content.words.values()].every((v) => v === 0n);
};

describe('CCA paper §5.5: the run granule is delegated while the REC runs', () => {
  test.each([
    ['an MMIO store (exit record with gprs[0], FAR, ESR)', (m: Machine) => step(m, { op: 'store', ipa: BigInt(IPA_MMIO + 8), reg: 5 })],
    ['an IRQ', (m: Machine) => step(m, { op: 'irq' })],
  ])('exit by %s: REC_ENTER → ERROR_INPUT, nothing written, REC READY, re-entry with a new run granule works', (_l, exitStep) => {
    const m = world();
    enter(m, REC0, RUN);
    const secrets = plantSecrets(m, 31);
    mov(m, 5, 0xabcdn);
    // CPU 1 (host): the run granule becomes realm memory (DELEGATED, zero-filled).
    expect(m.status('GRANULE_DELEGATE', [RUN], 1)).toEqual({ status: 'SUCCESS', index: 0 });
    expect(allZero(m, RUN)).toBe(true);
    const before = m.state;
    const o = exitStep(m);
    expectExit(o, 'ERROR_INPUT');
    expect((o.exit as { x0: bigint }).x0).toBe(1n);
    // No granule other than the REC's own (its saved context) changed: nothing was written anywhere.
    const a = ptoArray(before.granules), b = ptoArray(m.state.granules);
    const changed = a.map((g, i) => (g === b[i] ? -1 : i)).filter((i) => i >= 0);
    expect(changed).toEqual([REC0 / 4096]);
    expect(granuleAt(m.state, RUN).state).toBe('DELEGATED');
    expect(allZero(m, RUN)).toBe(true);
    // The REC is READY and CPU 0 is back in the host.
    expect(recAt(m, REC0).state).toBe('READY');
    expect(m.state.cpus[0].mode.kind).toBe('host');
    expect(m.read(RUN, 1, 0)).toMatchObject({ fault: 'GPF' });
    // The host undelegates it: still all zero.
    expect(m.status('GRANULE_UNDELEGATE', [RUN])).toEqual({ status: 'SUCCESS', index: 0 });
    expect(hostRead(m, RUN, 512).every((v) => v === 0n)).toBe(true);
    // A new run granule: the REC runs on, with its registers intact.
    enter(m, REC0, RUN2);
    expect(liveRegs(m)[5]).toBe(0xabcdn);
    expect(liveRegs(m).slice(8, 31)).toEqual(secrets);
    expectExit(step(m, { op: 'fiq' }));
    expectExitRecord(m, RUN2, { reason: REASON.FIQ });
    expectNoSecrets(m, secrets);
    expectCheckerAgrees(m);
  });

  test('a run granule delegated and used as realm DATA meanwhile is not overwritten either', () => {
    const m = world({ activate: true });
    enter(m, REC0, RUN);
    expect(m.status('GRANULE_DELEGATE', [RUN], 1)?.status).toBe('SUCCESS');
    expect(m.status('DATA_CREATE_UNKNOWN', [RD, RUN, 0x8000], 1)?.status).toBe('SUCCESS');
    expectExit(step(m, { op: 'irq' }), 'ERROR_INPUT');
    expect(granuleAt(m.state, RUN).state).toBe('DATA');
    expect(allZero(m, RUN)).toBe(true);
  });
});

describe('the host changes the world under a running REC (CPU 1 vs CPU 0)', () => {
  test('DATA_DESTROY, RTT_UNMAP_UNPROTECTED, REC_DESTROY of the running REC; the realm sees the new state at its next access', () => {
    const m = world();
    m.writeWords(NS_RW, [0x5151n]);
    enter(m, REC0, RUN);
    const secrets = plantSecrets(m, 32);
    // The realm keeps a secret in DATA_C and reads the shared page.
    poke(m, IPA_C, secrets[0]);
    expect(load(m, IPA_C, 3)).toBe(secrets[0]);
    expect(load(m, IPA_NS_RW, 3)).toBe(0x5151n);

    // CPU 1: destroy the realm's DATA at IPA_C; it is scrubbed, and the host gets nothing from it.
    const d = m.rmi('DATA_DESTROY', [RD, IPA_C], 1);
    expect(d.status).toEqual({ status: 'SUCCESS', index: 0 });
    expect(d.x[0]).toBe(BigInt(DATA_C));
    expect(m.status('GRANULE_UNDELEGATE', [DATA_C], 1)).toEqual({ status: 'SUCCESS', index: 0 });
    expect(hostRead(m, DATA_C, 512).every((v) => v === 0n)).toBe(true);
    // CPU 1: unmap the shared page.
    expect(m.rmi('RTT_UNMAP_UNPROTECTED', [RD, IPA_NS_RW, 3], 1).status).toEqual({ status: 'SUCCESS', index: 0 });
    // CPU 1: the running REC cannot be destroyed.
    const before = m.state;
    expect(m.rmi('REC_DESTROY', [REC0], 1).status).toEqual({ status: 'ERROR_REC', index: 0 });
    expect(m.state).toBe(before);
    expect(m.state.cpus[0].mode.kind).toBe('realm');

    // CPU 0: the shared page is now UNASSIGNED_NS → emulatable abort (MMIO), not the old NS page.
    expectExit(step(m, { op: 'load', ipa: BigInt(IPA_NS_RW), reg: 3 }));
    expectExitRecord(m, RUN, { reason: REASON.SYNC, esr: EMUL_LOAD8, far: 0n, hpfar: hpfar(IPA_NS_RW) });
    enter(m, REC0, RUN, { flags: FLAGS.EMUL_MMIO, gprs: [0x6262n] });
    expect(liveRegs(m)[3]).toBe(0x6262n);
    // CPU 0: IPA_C is RIPAS DESTROYED → non-emulatable abort exit; the realm never sees zeros there.
    expectExit(step(m, { op: 'load', ipa: BigInt(IPA_C), reg: 3 }));
    expectExitRecord(m, RUN, { reason: REASON.SYNC, esr: (0x24n << 26n) | 7n, far: 0n, hpfar: hpfar(IPA_C) });
    // Now READY: REC_DESTROY succeeds.
    expect(m.status('REC_DESTROY', [REC0], 1)).toEqual({ status: 'SUCCESS', index: 0 });
    expectNoSecrets(m, secrets);
    expectCheckerAgrees(m);
  });

  test('RTT_MAP_UNPROTECTED on CPU 1 turns the realm’s next MMIO access into a plain shared-memory access', () => {
    const m = world();
    enter(m, REC0, RUN);
    mov(m, 4, 0x77n);
    expect(m.status('RTT_MAP_UNPROTECTED', [RD, IPA_MMIO, 3, BigInt(RUN1) | ATTR_RW], 1)?.status).toBe('SUCCESS');
    store(m, IPA_MMIO + 0x10, 4);
    expect(hostRead(m, RUN1 + 0x10, 1)).toEqual([0x77n]);
  });

  test('the entry structure is read at REC_ENTER: host writes to the run granule while the REC runs do not matter', () => {
    const m = world();
    enter(m, REC0, RUN);
    m.writeRecEntry(RUN, { flags: FLAGS.TRAP_WFI, gicv3Hcr: 0x1n }, 1);
    expect(step(m, { op: 'wfi' }).exit).toBeUndefined(); // TRAP_WFI was not set at entry
    expectExit(step(m, { op: 'irq' }));
    expectExitRecord(m, RUN, { reason: REASON.IRQ, gicHcr: GIC_HCR });
  });
});

describe('two RECs on two CPUs', () => {
  test('each has its own registers and its own exit record', () => {
    const m = world({ rec1: 'runnable' });
    enter(m, REC0, RUN);
    enter(m, REC1, RUN1, { cpu: 1 });
    mov(m, 5, 0x5000n, 0);
    mov(m, 5, 0x5001n, 1);
    const s0 = plantSecrets(m, 33, 0, 6);
    const s1 = plantSecrets(m, 34, 1, 6);
    expect(liveRegs(m, 0)[5]).toBe(0x5000n);
    expect(liveRegs(m, 1)[5]).toBe(0x5001n);
    expectExit(step(m, { op: 'store', ipa: BigInt(IPA_MMIO), reg: 5 }, 1));
    expect(m.state.cpus[0].mode.kind).toBe('realm');
    expectExitRecord(m, RUN1, { reason: REASON.SYNC, esr: EMUL_STORE8, far: 0n, hpfar: hpfar(IPA_MMIO), gprs: { 0: 0x5001n } });
    expectExit(step(m, { op: 'irq' }, 0));
    expectExitRecord(m, RUN, { reason: REASON.IRQ });
    expectExitRecord(m, RUN1, { reason: REASON.SYNC, esr: EMUL_STORE8, far: 0n, hpfar: hpfar(IPA_MMIO), gprs: { 0: 0x5001n } });
    // Both are READY now: either can be entered on either CPU.
    enter(m, REC1, RUN2, { cpu: 0 });
    expect(liveRegs(m, 0)[5]).toBe(0x5001n);
    expectNoSecrets(m, [...s0, ...s1]);
    expectCheckerAgrees(m);
  });
});
