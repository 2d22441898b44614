// ESR_EL2 syndromes the RMM sees and the masks it applies before a host sees them (reference §7).

export const EC = { WFX: 0x01n, HVC: 0x16n, SMC: 0x17n, SYSREG: 0x18n, IABT_LOWER: 0x20n, DABT_LOWER: 0x24n, SERROR: 0x2fn } as const;

const f = (v: bigint | number | boolean, shift: number): bigint => BigInt(Number(v)) << BigInt(shift);
export const ESR_EC = 0x3fn << 26n;
export const ESR_IL = 1n << 25n;
// Data abort ISS fields.
export const ISS_ISV = 1n << 24n;
export const ISS_SAS = 3n << 22n;
export const ISS_SSE = 1n << 21n;
export const ISS_SRT = 0x1fn << 16n;
export const ISS_SF = 1n << 15n;
export const ISS_AR = 1n << 14n;
export const ISS_SET = 3n << 11n;
export const ISS_FNV = 1n << 10n;
export const ISS_EA = 1n << 9n;
export const ISS_WNR = 1n << 6n;
export const ISS_FSC = 0x3fn;
// SError ISS fields.
export const ISS_IDS = 1n << 24n;
export const ISS_AET = 7n << 10n;
// WFx ISS: TI (bit 0 = WFE).
export const ISS_TI = 3n;
// Sysreg ISS: Op0[21:20] Op2[19:17] Op1[16:14] CRn[13:10] Rt[9:5] CRm[4:1] Direction[0] (1 = read).
export const ISS_SYSREG_RT = 0x1fn << 5n;

/** Fault status codes. */
export const FSC = { translation: (l: number) => BigInt(0x04 + l), permission: (l: number) => BigInt(0x0c + l), SEA: 0x10n } as const;

export function dataAbortEsr(a: { fsc: bigint; write: boolean; isv: boolean; size: number; rt: number; signExtend: boolean; sf: boolean }): bigint {
  const sas = a.size === 1 ? 0 : a.size === 2 ? 1 : a.size === 4 ? 2 : 3;
  return (
    (EC.DABT_LOWER << 26n) | ESR_IL | (a.isv ? ISS_ISV | f(sas, 22) | f(a.signExtend, 21) | f(a.rt, 16) | f(a.sf, 15) : 0n) |
    f(a.write, 6) | a.fsc
  );
}
export const instAbortEsr = (fsc: bigint): bigint => (EC.IABT_LOWER << 26n) | ESR_IL | fsc;
export function sysregEsr(enc: readonly number[], rt: number, read: boolean): bigint {
  const [op0, op1, crn, crm, op2] = enc;
  return (EC.SYSREG << 26n) | ESR_IL | f(op0, 20) | f(op2, 17) | f(op1, 14) | f(crn, 10) | f(rt, 5) | f(crm, 1) | f(read, 0);
}
export const wfxEsr = (wfe: boolean): bigint => (EC.WFX << 26n) | ESR_IL | f(wfe, 0);
/** An SError: implementation-defined syndrome bits set, so masking them off is observable. */
export const serrorEsr = (): bigint => (EC.SERROR << 26n) | ISS_IDS | (2n << 10n) | ISS_EA | 0x11n | (0x3n << 13n);

/** What a host may see of each syndrome (TF-RMM's masks; reference §7). */
export const MASK = {
  nonEmulatableAbort: ESR_EC | ISS_SET | ISS_FNV | ISS_EA | ISS_FSC,
  emulatableAbort: ESR_EC | ISS_SET | ISS_FNV | ISS_EA | ISS_FSC | ISS_ISV | ISS_SAS | ISS_SF | ISS_WNR,
  sysreg: ESR_EC | ESR_IL | (0x1ffffffn & ~ISS_SYSREG_RT),
  wfx: ESR_EC | ISS_TI,
  // Reference §7: SERROR exposes IDS, AET, EA, DFSC only (TF-RMM ESR_SERROR_MASK has no EC).
  serror: ISS_IDS | ISS_AET | ISS_EA | ISS_FSC,
} as const;
