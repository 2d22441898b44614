// MRS / MSR of every system register a realm can touch (issue 14 §4). The list is restated from
// TF-RMM `struct sysreg_state` (runtime/include/rec.h, rmm-spec-v1.0-rel0): the EL1/EL0 registers
// the RMM saves at every exit and restores at every entry, which the realm accesses without a trap.
// Each register must hold its own value: a write reaches it and nothing else (no GPR, no other
// system register), a read returns it, and it survives an exit to the host and the next entry. A
// wrong register index (two names sharing a slot, a name on a GPR's slot, or a slot outside the
// saved file) fails one of these.

import { describe, expect, test } from 'vitest';
import { Machine, REC0, RUN, enter, expectExit, liveRegs, mov, recAt, run, step, world, expectCheckerAgrees } from './helpers';

const SAVED = [
  'TPIDR_EL1', 'CONTEXTIDR_EL1', 'CNTV_CTL_EL0', 'CNTV_CVAL_EL0', 'CNTP_CTL_EL0', 'CNTP_CVAL_EL0',
  'SP_EL0', 'ELR_EL1', 'SPSR_EL1', 'TPIDRRO_EL0', 'TPIDR_EL0', 'CSSELR_EL1', 'SCTLR_EL1', 'ACTLR_EL1', 'CPACR_EL1',
  'TTBR0_EL1', 'TTBR1_EL1', 'TCR_EL1', 'ESR_EL1', 'AFSR0_EL1', 'AFSR1_EL1', 'FAR_EL1', 'MAIR_EL1', 'VBAR_EL1',
  'AMAIR_EL1', 'CNTKCTL_EL1', 'PAR_EL1', 'MDSCR_EL1', 'MDCCINT_EL1',
] as const;

const value = (k: number): bigint => 0x5ee5_0000_0000_0000n | (BigInt(k + 1) << 8n) | 0xa5n;
const gprValue = (r: number): bigint => 0x6a6a_0000_0000_0000n | BigInt(r);

function msr(m: Machine, sysreg: string, v: bigint, via = 2): void {
  mov(m, via, v);
  run(m, { op: 'msr', reg: via, sysreg });
}
function mrs(m: Machine, sysreg: string, into = 3): bigint {
  run(m, { op: 'mrs', reg: into, sysreg });
  return liveRegs(m)[into];
}

function running(): Machine {
  const m = world();
  enter(m, REC0, RUN);
  return m;
}

describe('every saved system register holds its own value', () => {
  test.each(SAVED.map((r, k) => [r, k] as const))('MSR then MRS %s round-trips', (reg, k) => {
    const m = running();
    msr(m, reg, value(k));
    expect(mrs(m, reg)).toBe(value(k));
  });

  test('writing each register changes no GPR and no other system register', () => {
    for (const [k, reg] of SAVED.entries()) {
      const m = running();
      for (let r = 4; r <= 30; r++) mov(m, r, gprValue(r));
      msr(m, reg, value(k), 2);
      for (let r = 4; r <= 30; r++) expect(liveRegs(m)[r], `X${r} after MSR ${reg}`).toBe(gprValue(r));
      for (const other of SAVED) if (other !== reg) expect(mrs(m, other, 3), `${other} after MSR ${reg}`).toBe(0n);
    }
  });

  test('all registers written, then all read: no two names share a slot', () => {
    const m = running();
    SAVED.forEach((reg, k) => msr(m, reg, value(k)));
    SAVED.forEach((reg, k) => expect(mrs(m, reg), reg).toBe(value(k)));
  });

  test('they survive an exit to the host and the next entry, and stay out of the exit record', () => {
    const m = running();
    SAVED.forEach((reg, k) => msr(m, reg, value(k)));
    expectExit(step(m, { op: 'irq' }));
    // Saved in the REC: the register file has X0..X30 and exactly these registers, no slot beyond.
    expect(recAt(m, REC0).regs.length).toBe(31 + SAVED.length);
    enter(m, REC0, RUN);
    SAVED.forEach((reg, k) => expect(mrs(m, reg), reg).toBe(value(k)));
    expectCheckerAgrees(m);
  });
});

describe('registers the realm may not write, and registers the RMM forwards', () => {
  // ID registers: the RMM emulates reads with a sanitised value (no exit); writes are UNDEFINED.
  test.each(['ID_AA64PFR0_EL1', 'ID_AA64MMFR0_EL1', 'MIDR_EL1'])('%s: read without exit, write UNDEF', (reg) => {
    const m = running();
    const o = step(m, { op: 'mrs', reg: 3, sysreg: reg });
    expect(o.exit).toBeUndefined();
    expect(o.event.undef ?? false).toBe(false);
    expect(step(m, { op: 'msr', reg: 3, sysreg: reg }).event.undef).toBe(true);
  });
  // GIC ICC SGI/DIR writes and PMR accesses reach the host (reference §7).
  test.each([['ICC_SGI1R_EL1', 'msr'], ['ICC_DIR_EL1', 'msr'], ['ICC_PMR_EL1', 'msr'], ['ICC_PMR_EL1', 'mrs']] as const)('%s %s exits to the host', (reg, op) => {
    const m = running();
    expectExit(step(m, { op, reg: 3, sysreg: reg }));
  });
  test('a register outside the realm\'s reach (an EL2 register) is UNDEFINED', () => {
    const m = running();
    expect(step(m, { op: 'msr', reg: 3, sysreg: 'VTTBR_EL2' }).event.undef).toBe(true);
    expect(step(m, { op: 'mrs', reg: 3, sysreg: 'HCR_EL2' }).event.undef).toBe(true);
  });
});
