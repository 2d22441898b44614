// Byte offsets of the ABI structures the host and the RMM exchange through NS granules
// (RMM v1.0 RmiRealmParams, RmiRecParams, RmiRecRun = RmiRecEntry @0 + RmiRecExit @0x800, and the
// realm-side RsiHostCall / RsiRealmConfig). Each field is a 64-bit word; `wordIndex = offset / 8`.

export const REALM_PARAMS = {
  flags: 0x0, // bit0 LPA2, bit1 SVE, bit2 PMU
  s2sz: 0x8,
  sveVl: 0x10,
  numBps: 0x18,
  numWps: 0x20,
  pmuNumCtrs: 0x28,
  hashAlgo: 0x30,
  rpv: 0x400, // 64 bytes = 8 words
  vmid: 0x800,
  rttBase: 0x808,
  rttLevelStart: 0x810,
  rttNumStart: 0x818,
} as const;
export const RPV_WORDS = 8;

export const REC_PARAMS = {
  flags: 0x0, // bit0 RUNNABLE
  mpidr: 0x100,
  pc: 0x200,
  gprs: 0x300, // 8 words: X0..X7
  numAux: 0x800,
  aux: 0x808, // 16 words
} as const;
export const REC_PARAMS_GPRS = 8;
export const MAX_REC_AUX = 16;

export const REC_ENTRY = {
  flags: 0x0,
  gprs: 0x200, // 31 words
  gicv3Hcr: 0x300,
  gicv3Lrs: 0x308, // 16 words
} as const;

export const REC_EXIT_BASE = 0x800;
export const REC_EXIT = {
  exitReason: 0x0,
  esr: 0x100,
  far: 0x108,
  hpfar: 0x110,
  gprs: 0x200, // 31 words
  gicv3Hcr: 0x300,
  gicv3Lrs: 0x308, // 16 words
  gicv3Misr: 0x388,
  gicv3Vmcr: 0x390,
  cntpCtl: 0x400,
  cntpCval: 0x408,
  cntvCtl: 0x410,
  cntvCval: 0x418,
  ripasBase: 0x500,
  ripasTop: 0x508,
  ripasValue: 0x510,
  imm: 0x600,
  pmuOvfStatus: 0x700,
} as const;

export const ENTRY_FLAGS = {
  EMUL_MMIO: 1n << 0n,
  INJECT_SEA: 1n << 1n,
  TRAP_WFI: 1n << 2n,
  TRAP_WFE: 1n << 3n,
  RIPAS_RESPONSE: 1n << 4n,
} as const;

/** RsiHostCall: imm @0, gprs[31] @8 — 256 bytes, must not cross a granule. */
export const HOST_CALL = { imm: 0x0, gprs: 0x8, size: 0x100 } as const;
/** RsiRealmConfig, written by RSI_REALM_CONFIG into a realm page. */
export const REALM_CONFIG = { ipaWidth: 0x0, hashAlgo: 0x8, rpv: 0x200 } as const;

export const wordIndex = (byteOffset: number): number => byteOffset >>> 3;
