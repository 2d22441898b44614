// The realm's register file as the RMM saves and restores it: X0..X30, then the EL1/EL0 system
// registers a realm may use without trapping. The timer registers are part of it because every exit
// reports them to the host (reference §7; declassification rule 3).

export const NGPRS = 31;

/**
 * Realm system registers held in the register file: the realm accesses them with MRS/MSR without a
 * trap, and the RMM saves and restores them at every exit and entry. The list is TF-RMM's
 * `struct sysreg_state` (runtime/include/rec.h at rmm-spec-v1.0-rel0, saved by save_sysreg_state)
 * less what a realm cannot reach from EL1 without a trap or that the model does not give it (SP_EL1,
 * PMCR_EL0 and the other PMU state, ZCR_EL1 without SVE, DISR_EL1 under HCR_EL2.AMO, MPAM0_EL1, the
 * EL2 timer and GIC state). The first six keep their indices (traces and relation reports name them).
 */
export const FILE_SYSREGS = [
  'TPIDR_EL1', 'CONTEXTIDR_EL1', 'CNTV_CTL_EL0', 'CNTV_CVAL_EL0', 'CNTP_CTL_EL0', 'CNTP_CVAL_EL0',
  'SP_EL0', 'ELR_EL1', 'SPSR_EL1', 'TPIDRRO_EL0', 'TPIDR_EL0', 'CSSELR_EL1', 'SCTLR_EL1', 'ACTLR_EL1', 'CPACR_EL1',
  'TTBR0_EL1', 'TTBR1_EL1', 'TCR_EL1', 'ESR_EL1', 'AFSR0_EL1', 'AFSR1_EL1', 'FAR_EL1', 'MAIR_EL1', 'VBAR_EL1',
  'AMAIR_EL1', 'CNTKCTL_EL1', 'PAR_EL1', 'MDSCR_EL1', 'MDCCINT_EL1',
] as const;
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
