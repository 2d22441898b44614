// The realm's register file as the RMM saves and restores it: X0..X30, then the EL1/EL0 system
// registers a realm may use without trapping. The timer registers are part of it because every exit
// reports them to the host (reference §7; declassification rule 3).

export const NGPRS = 31;

/** Realm system registers held in the register file (accessed by MRS/MSR without a trap). */
export const FILE_SYSREGS = ['TPIDR_EL1', 'CONTEXTIDR_EL1', 'CNTV_CTL_EL0', 'CNTV_CVAL_EL0', 'CNTP_CTL_EL0', 'CNTP_CVAL_EL0'] as const;
export type FileSysreg = (typeof FILE_SYSREGS)[number];
export const NREGS = NGPRS + FILE_SYSREGS.length;
export const sysregIndex = (name: string): number => {
  const i = (FILE_SYSREGS as readonly string[]).indexOf(name);
  return i < 0 ? -1 : NGPRS + i;
};
export const CNTV_CTL = sysregIndex('CNTV_CTL_EL0');
export const CNTV_CVAL = sysregIndex('CNTV_CVAL_EL0');
export const CNTP_CTL = sysregIndex('CNTP_CTL_EL0');
export const CNTP_CVAL = sysregIndex('CNTP_CVAL_EL0');
export const TIMER_REGS = [CNTV_CTL, CNTV_CVAL, CNTP_CTL, CNTP_CVAL];

/** ID registers: the RMM emulates reads with a sanitised value; writes are UNDEFINED. */
export const ID_SYSREGS: Readonly<Record<string, bigint>> = {
  ID_AA64PFR0_EL1: 0x1100000011111112n,
  ID_AA64MMFR0_EL1: 0x0000000000101125n,
  MIDR_EL1: 0x410fd0c0n,
};

/**
 * GIC CPU-interface registers that the RMM forwards to the host (reference §7: only ICC SGI / DIR /
 * PMR accesses reach the host). Encoded as (op0, op1, CRn, CRm, op2) for the ESR ISS.
 */
export const HOST_SYSREGS: Readonly<Record<string, { enc: [number, number, number, number, number]; read: boolean; write: boolean }>> = {
  ICC_SGI1R_EL1: { enc: [3, 0, 12, 11, 5], read: false, write: true },
  ICC_DIR_EL1: { enc: [3, 0, 12, 11, 1], read: false, write: true },
  ICC_PMR_EL1: { enc: [3, 0, 4, 6, 0], read: true, write: true },
};

export const zeroRegs = (): bigint[] => new Array<bigint>(NREGS).fill(0n);
