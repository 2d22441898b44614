// The ideal's own rules (ideal/cca): the exit record is modelled field by field from the realm's state,
// not by the specification's builder, so a wrong field in the specification's exit record now differs
// from the ideal's and observation equality reports it; PSCI calls naming a target REC act only within
// the caller's realm, checked on the ideal's own record of what each REC asked.

import { describe, expect, test } from 'vitest';
import { faithful } from '../../../real/cca/faithful';
import type { ExitInfo, ExitRecord, Spec } from '../../../real/cca/spec';
import type { Rd, Rec } from '../../../real/cca/state';
import { callRefusal, completeRefusal } from '../../../ideal/cca/psci';
import { IPA_B, RD, REC0, REC1, REC2, REC_B, RSI, RUN, enter, mov, poke, smc, step, world } from '../realm/helpers';
import { dropRow, ofProperty, violations } from './helpers';

/** A fault in the specification's exit record for one kind of exit. */
const recordFault = (kind: ExitInfo['kind'], f: (r: ExitRecord, regs: readonly bigint[]) => ExitRecord): Spec => ({
  ...faithful,
  exitRecord: (i, rec, regs) => (i.kind === kind ? f(faithful.exitRecord(i, rec, regs), regs) : faithful.exitRecord(i, rec, regs)),
});

type Drive = (m: ReturnType<typeof world>) => void;
const wfi: Drive = (m) => {
  enter(m, REC0, RUN, { flags: 4n });
  mov(m, 1, 5n);
  step(m, { op: 'msr', reg: 1, sysreg: 'CNTP_CTL_EL0' });
  step(m, { op: 'wfi' });
};
const cpuOn: Drive = (m) => {
  enter(m, REC0, RUN);
  smc(m, [0xc4000003n, 1n, 0x1000n, 0x77n]);
};
const hostCall: Drive = (m) => {
  enter(m, REC0, RUN);
  poke(m, IPA_B, 0x42n); // imm
  poke(m, IPA_B + 8, 0x1111n); // gprs[0]
  smc(m, [RSI.HOST_CALL, IPA_B]);
};
const ripasChange: Drive = (m) => {
  enter(m, REC0, RUN);
  smc(m, [RSI.IPA_STATE_SET, 0x5000n, 0x6000n, 1n, 0n]);
};

describe('exit records: the ideal builds its own, field by field', () => {
  const cases: [string, Spec, Drive, string][] = [
    ['a WFI exit that shows ESR.IL', recordFault('wfx', (r) => ({ ...r, esr: r.esr | (1n << 25n) })), wfi, 'REC exit record.esr'],
    ['timer fields swapped (CNTV_CTL reports CNTP_CTL)', recordFault('wfx', (r) => ({ ...r, cntvCtl: r.cntpCtl })), wfi, 'REC exit record.cntvCtl'],
    ['a CPU_ON exit that forwards the entry point', recordFault('psci', (r, regs) => ({ ...r, gprs: r.gprs.map((v, k) => (k === 2 ? regs[2] : v)) })), cpuOn, 'REC exit record.gprs[2]'],
    ['a host call that forwards the realm\'s registers instead of its RsiHostCall structure', recordFault('host-call', (r, regs) => ({ ...r, gprs: regs.slice(0, 31) })), hostCall, 'REC exit record.gprs[0]'],
    ['a RIPAS change exit with the wrong value', recordFault('ripas-change', (r) => ({ ...r, ripasValue: 0n })), ripasChange, 'REC exit record.ripasValue'],
  ];
  test.each(cases)('%s is caught', (_n, spec, drive, component) => {
    const m = world({ spec, rec1: 'off' });
    drive(m);
    const [v] = ofProperty(violations(m), 'Observation');
    expect(v).toMatchObject({ step: m.log.length - 1, component });
  });
  test.each(cases)('faithful: %s does not happen', (_n, _spec, drive) => {
    const m = world({ rec1: 'off' });
    drive(m);
    expect(violations(m)).toEqual([]);
  });
});

describe('PSCI: targets stay within the caller\'s realm (the ideal\'s own precondition)', () => {
  test('PSCI_COMPLETE naming a REC of another realm: the ideal refuses', () => {
    const m = world({ spec: dropRow(faithful, 'PSCI_COMPLETE', 'target_realm', 'target_mpidr'), realmB: true, rec1: 'off' });
    enter(m, REC0, RUN);
    smc(m, [0xc4000003n, 1n, 0x1000n, 0n]);
    m.rmi('PSCI_COMPLETE', [REC0, REC_B, 0]);
    const [v] = ofProperty(violations(m), 'Observation');
    expect(v).toMatchObject({ step: m.log.length - 1, component: 'RMI PSCI_COMPLETE status.status', detail: 'real "SUCCESS", ideal "ERROR_INPUT"' });
  });

  test('PSCI_COMPLETE naming another REC of the realm than the one asked about: the ideal refuses', () => {
    const m = world({ spec: dropRow(faithful, 'PSCI_COMPLETE', 'target_mpidr'), rec1: 'off', rec2: true });
    enter(m, REC0, RUN);
    smc(m, [0xc4000004n, 1n, 0n]); // AFFINITY_INFO about MPIDR 1
    m.rmi('PSCI_COMPLETE', [REC0, REC2, 0]);
    expect(ofProperty(violations(m), 'Observation')[0]).toMatchObject({ component: 'RMI PSCI_COMPLETE status.status' });
    const ok = world({ rec1: 'off', rec2: true });
    enter(ok, REC0, RUN);
    smc(ok, [0xc4000004n, 1n, 0n]);
    expect(ok.status('PSCI_COMPLETE', [REC0, REC1, 0])?.status).toBe('SUCCESS');
    expect(violations(ok)).toEqual([]);
  });

  test('the rules themselves', () => {
    const rd = { recIndex: 2 } as Rd;
    const rec = (owner: number, mpidr: bigint) => ({ owner, mpidr }) as Rec;
    expect(callRefusal(rd, rec(RD, 0n), 1n)).toBeNull();
    expect(callRefusal(rd, rec(RD, 0n), 2n)).toMatch(/names no REC of the caller's realm/);
    expect(callRefusal(rd, rec(RD, 0n), 1n << 40n)).toMatch(/names no REC/); // Aff3 = 1: index 2^20
    expect(callRefusal(rd, rec(RD, 0n), 0x10n)).toMatch(/names no REC/); // Aff0[7:4] set: not an index
    expect(completeRefusal(rec(RD, 0n), rec(RD, 1n), 1n)).toBeNull();
    expect(completeRefusal(rec(RD, 0n), rec(0x9000, 1n), 1n)).toMatch(/another realm/);
    expect(completeRefusal(rec(RD, 0n), rec(RD, 1n), undefined)).toMatch(/no outstanding PSCI request/);
    expect(completeRefusal(rec(RD, 0n), rec(RD, 2n), 1n)).toMatch(/not the one the caller named/);
  });
});
