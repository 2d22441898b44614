// RMI command names and SMC64 function IDs (reference §1): FID = 0xC4000150 + n.

export const RMI_FID_BASE = 0xc4000150;

export const RMI_COMMANDS = {
  VERSION: 0x0,
  GRANULE_DELEGATE: 0x1,
  GRANULE_UNDELEGATE: 0x2,
  DATA_CREATE: 0x3,
  DATA_CREATE_UNKNOWN: 0x4,
  DATA_DESTROY: 0x5,
  REALM_ACTIVATE: 0x7,
  REALM_CREATE: 0x8,
  REALM_DESTROY: 0x9,
  REC_CREATE: 0xa,
  REC_DESTROY: 0xb,
  REC_ENTER: 0xc,
  RTT_CREATE: 0xd,
  RTT_DESTROY: 0xe,
  RTT_MAP_UNPROTECTED: 0xf,
  RTT_READ_ENTRY: 0x11,
  RTT_UNMAP_UNPROTECTED: 0x12,
  PSCI_COMPLETE: 0x14,
  FEATURES: 0x15,
  RTT_FOLD: 0x16,
  REC_AUX_COUNT: 0x17,
  RTT_INIT_RIPAS: 0x18,
  RTT_SET_RIPAS: 0x19,
} as const;

export type RmiName = keyof typeof RMI_COMMANDS;
export const RMI_NAMES = Object.keys(RMI_COMMANDS) as RmiName[];
export const rmiFid = (name: RmiName): number => RMI_FID_BASE + RMI_COMMANDS[name];
export function rmiNameOfFid(fid: bigint): RmiName | undefined {
  const n = Number(fid - BigInt(RMI_FID_BASE));
  return RMI_NAMES.find((k) => RMI_COMMANDS[k] === n);
}
export const isRmiName = (s: string): s is RmiName => Object.prototype.hasOwnProperty.call(RMI_COMMANDS, s);
