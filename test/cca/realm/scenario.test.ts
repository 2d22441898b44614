// A realistic realm program, end to end: a realm with two RECs is built and activated; REC0 keeps
// secrets in protected memory and registers, makes a host call with public values, does an MMIO
// read (completed with EMUL_MMIO) and an MMIO write, changes the RIPAS of a range (the host applies
// it), starts REC1 with PSCI CPU_ON (the host completes it; REC1 runs on CPU 1), and ends with
// SYSTEM_OFF. Every exit record is asserted field by field (every other word zero), and no secret
// value appears anywhere in the host's view. The whole history is then replayed through the
// real/ideal checker.

import { describe, expect, test } from 'vitest';
import {
  ACCEPT, ESR, FLAGS, IPA_A, IPA_B, IPA_D, IPA_MMIO, MPIDR, PSCI, PSCI_RET, RD, REASON, REC0, REC1, RIPAS, RSI, RSI_OK, RUN, RUN1,
  enter, expectCheckerAgrees, expectEnterFails, expectExit, expectExitRecord, expectNoSecrets, hpfar, liveRegs, load, mov, plantSecrets,
  poke, rdAt, recAt, secret, smc, step, store, world,
} from './helpers';

const DA = ESR.ec(0x24n);

describe('realm program scenario', () => {
  test('two RECs, host call, MMIO read and write, RIPAS change, CPU_ON, SYSTEM_OFF: every exit asserted, no secret leaks', () => {
    // ---- Build: realm (IPA width 32), RTTs, DATA, NS mappings, REC0 runnable, REC1 off; activate.
    const m = world({ rec1: 'off' });
    expect(rdAt(m).state).toBe('ACTIVE');
    const rim = rdAt(m).measurements[0];

    // ---- REC0 on CPU 0.
    enter(m, REC0, RUN);
    // Public timer state (reported on every exit of REC0).
    const TIMER0 = { cntvCtl: 0x1n, cntvCval: 0x1000n };
    mov(m, 2, TIMER0.cntvCtl);
    step(m, { op: 'msr', reg: 2, sysreg: 'CNTV_CTL_EL0' });
    mov(m, 2, TIMER0.cntvCval);
    step(m, { op: 'msr', reg: 2, sysreg: 'CNTV_CVAL_EL0' });
    // Secrets: in X8..X30 and in protected memory (two pages).
    const regSecrets = plantSecrets(m, 40);
    const memSecrets = [secret(41, 1), secret(41, 2), secret(41, 3)];
    poke(m, IPA_A + 0x100, memSecrets[0]);
    poke(m, IPA_D + 0x200, memSecrets[1]);
    poke(m, IPA_D + 0x208, memSecrets[2]);
    mov(m, 7, 0n);
    const secrets = [...regSecrets, ...memSecrets];

    // ---- 1. Host call with public values (imm 1, gprs[0..1]); the host answers in entry.gprs.
    const HC = IPA_B + 0x400; // a zero part of the page (DATA_CREATE copied 4 words at its start)
    poke(m, HC, 0x1n);
    poke(m, HC + 8, 0x100n);
    poke(m, HC + 16, 0x101n);
    expectExit(smc(m, [RSI.HOST_CALL, HC]));
    expectExitRecord(m, RUN, { reason: REASON.HOST_CALL, imm: 0x1n, gprs: { 0: 0x100n, 1: 0x101n }, ...TIMER0 });
    expectNoSecrets(m, secrets);
    enter(m, REC0, RUN, { gprs: [0x200n, 0x201n] });
    expect(liveRegs(m)[0]).toBe(RSI_OK);
    expect(load(m, HC + 8, 3)).toBe(0x200n);
    expect(load(m, HC + 16, 3)).toBe(0x201n);
    expect(load(m, HC + 24, 3)).toBe(0n);
    expect(load(m, IPA_A + 0x100, 3)).toBe(memSecrets[0]); // the realm's memory is intact
    mov(m, 3, 0n);

    // ---- 2. MMIO read of 4 bytes into X6, completed by the host with EMUL_MMIO.
    expectExit(step(m, { op: 'load', ipa: BigInt(IPA_MMIO), reg: 6, size: 4 }));
    expectExitRecord(m, RUN, { reason: REASON.SYNC, esr: DA | ESR.ISV | ESR.sas(4) | ESR.transl(3), far: 0n, hpfar: hpfar(IPA_MMIO), ...TIMER0 });
    expectNoSecrets(m, secrets);
    enter(m, REC0, RUN, { flags: FLAGS.EMUL_MMIO, gprs: [0xffff_0000_1234_5678n] });
    expect(liveRegs(m)[6]).toBe(0x1234_5678n);

    // ---- 3. MMIO write of a public value (X5) at offset 8.
    mov(m, 5, 0xfeedn);
    expectExit(step(m, { op: 'store', ipa: BigInt(IPA_MMIO + 8), reg: 5 }));
    expectExitRecord(m, RUN, {
      reason: REASON.SYNC, esr: DA | ESR.ISV | ESR.sas(8) | ESR.SF | ESR.WNR | ESR.transl(3), far: 8n, hpfar: hpfar(IPA_MMIO), gprs: { 0: 0xfeedn }, ...TIMER0,
    });
    expectNoSecrets(m, secrets);
    enter(m, REC0, RUN, { flags: FLAGS.EMUL_MMIO });

    // ---- 4. RIPAS change [0x10000, 0x12000) → RAM; the host applies it.
    expectExit(smc(m, [RSI.IPA_STATE_SET, 0x10000, 0x12000, RIPAS.RAM, 0]));
    expectExitRecord(m, RUN, { reason: REASON.RIPAS_CHANGE, ripasBase: 0x10000n, ripasTop: 0x12000n, ripasValue: RIPAS.RAM, ...TIMER0 });
    expectNoSecrets(m, secrets);
    const sr = m.rmi('RTT_SET_RIPAS', [RD, REC0, 0x10000, 0x12000]);
    expect(sr.status).toEqual({ status: 'SUCCESS', index: 0 });
    expect(sr.x[0]).toBe(0x12000n);
    enter(m, REC0, RUN);
    expect(liveRegs(m).slice(0, 3)).toEqual([RSI_OK, 0x12000n, ACCEPT]);
    smc(m, [RSI.IPA_STATE_GET, 0x10000, 0x12000]);
    expect(liveRegs(m).slice(0, 3)).toEqual([RSI_OK, 0x12000n, RIPAS.RAM]);

    // ---- 5. CPU_ON(REC1, entry, context): PSCI exit, PSCI_COMPLETE, REC1 runs on CPU 1.
    const ENTRY = BigInt(IPA_A + 0x40), CTX = 0x77n;
    expectExit(smc(m, [PSCI.CPU_ON, MPIDR(1), ENTRY, CTX]));
    expectExitRecord(m, RUN, { reason: REASON.PSCI, gprs: { 0: PSCI.CPU_ON, 1: MPIDR(1) }, ...TIMER0 });
    expectNoSecrets(m, secrets);
    expectEnterFails(m, REC0, RUN, 'ERROR_REC', 0); // request pending
    expect(m.rmi('PSCI_COMPLETE', [REC0, REC1, PSCI_RET.SUCCESS]).status).toEqual({ status: 'SUCCESS', index: 0 });
    expect(recAt(m, REC1)).toMatchObject({ runnable: true, pc: ENTRY });

    enter(m, REC1, RUN1, { cpu: 1 });
    const rec1Secrets = plantSecrets(m, 42, 1);
    secrets.push(...rec1Secrets);
    // REC1 reports its X0 (the context id) by an MMIO write.
    expectExit(step(m, { op: 'store', ipa: BigInt(IPA_MMIO + 0x10), reg: 0 }, 1));
    expectExitRecord(m, RUN1, {
      reason: REASON.SYNC, esr: DA | ESR.ISV | ESR.sas(8) | ESR.SF | ESR.WNR | ESR.transl(3), far: 0x10n, hpfar: hpfar(IPA_MMIO), gprs: { 0: CTX },
    });
    enter(m, REC1, RUN1, { cpu: 1, flags: FLAGS.EMUL_MMIO });
    // REC1 shares the realm's protected memory: it leaves one of its secrets there for REC0.
    store(m, IPA_A + 0x180, 9, 1);
    expectExit(step(m, { op: 'irq' }, 1));
    expectExitRecord(m, RUN1, { reason: REASON.IRQ }); // REC1's own (reset) timers: zero
    expectNoSecrets(m, secrets);

    // ---- REC0 again: X0 = PSCI SUCCESS, X1..X3 = 0, X8..X30 preserved; it sees REC1's store.
    enter(m, REC0, RUN);
    expect(liveRegs(m).slice(0, 4)).toEqual([PSCI_RET.SUCCESS, 0n, 0n, 0n]);
    expect(liveRegs(m).slice(8, 31)).toEqual(regSecrets);
    expect(load(m, IPA_A + 0x180, 3)).toBe(rec1Secrets[1]);
    mov(m, 3, 0n);

    // ---- 6. SYSTEM_OFF.
    expectExit(smc(m, [PSCI.SYSTEM_OFF]));
    expectExitRecord(m, RUN, { reason: REASON.PSCI, gprs: { 0: PSCI.SYSTEM_OFF }, ...TIMER0 });
    expect(rdAt(m).state).toBe('SYSTEM_OFF');
    expectEnterFails(m, REC0, RUN, 'ERROR_REALM', 1);
    expectEnterFails(m, REC1, RUN1, 'ERROR_REALM', 1, { cpu: 1 });
    expect(rdAt(m).measurements[0]).toBe(rim);

    // ---- The exits the host saw, in order, and their REC_ENTER completions.
    const exits = m.log.flatMap(({ obs }) => (obs.kind === 'realm' && obs.record ? [[obs.cpu, obs.record.exitReason, (obs.exit as { x0: bigint }).x0]] : []));
    expect(exits).toEqual([
      [0, REASON.HOST_CALL, 0n], [0, REASON.SYNC, 0n], [0, REASON.SYNC, 0n], [0, REASON.RIPAS_CHANGE, 0n], [0, REASON.PSCI, 0n],
      [1, REASON.SYNC, 0n], [1, REASON.IRQ, 0n], [0, REASON.PSCI, 0n],
    ]);

    // ---- No secret anywhere in the host's view: every NS granule (incl. both run granules and
    //      so every exit record), every RMI output and every exit record in the history.
    const readable = Array.from({ length: 64 }, (_, g) => g).filter((g) => {
      const o = m.read(g * 4096, 1, 0);
      return o.kind === 'host-read' && !o.fault;
    });
    expect(readable).toContain(RUN / 4096);
    expect(readable).toContain(RUN1 / 4096);
    expect(readable.length).toBeGreaterThan(30);
    expectNoSecrets(m, secrets);

    // ---- The same history through the real/ideal checker: no violation.
    expectCheckerAgrees(m);
  });
});
