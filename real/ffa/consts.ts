// FF-A v1.1 constants (reference §2, §3): function IDs, error codes, Hafnium page-mode bits (inc/hf/mm.h).

export const FID = {
  ERROR: 0x84000060, SUCCESS: 0x84000061, VERSION: 0x84000063, FEATURES: 0x84000064, RX_RELEASE: 0x84000065,
  RXTX_MAP: 0x84000066, RXTX_UNMAP: 0x84000067, PARTITION_INFO_GET: 0x84000068, ID_GET: 0x84000069,
  MSG_SEND_DIRECT_REQ: 0x8400006f, MSG_SEND_DIRECT_RESP: 0x84000070, MEM_DONATE: 0x84000071, MEM_LEND: 0x84000072,
  MEM_SHARE: 0x84000073, MEM_RETRIEVE_REQ: 0x84000074, MEM_RETRIEVE_RESP: 0x84000075, MEM_RELINQUISH: 0x84000076,
  MEM_RECLAIM: 0x84000077, MEM_FRAG_RX: 0x8400007a, MEM_FRAG_TX: 0x8400007b, MSG_SEND2: 0x84000086,
} as const;
/** SMC64 variants accepted (reference §2: base 0xC4000000). */
export const FID64_OK = new Set([0x66, 0x6f, 0x70, 0x71, 0x72, 0x73, 0x74]);

export type AbiName =
  | 'VERSION' | 'FEATURES' | 'RX_RELEASE' | 'RXTX_MAP' | 'RXTX_UNMAP' | 'PARTITION_INFO_GET' | 'ID_GET'
  | 'MSG_SEND_DIRECT_REQ' | 'MSG_SEND_DIRECT_RESP' | 'MEM_DONATE' | 'MEM_LEND' | 'MEM_SHARE' | 'MEM_RETRIEVE_REQ'
  | 'MEM_RELINQUISH' | 'MEM_RECLAIM' | 'MEM_FRAG_RX' | 'MEM_FRAG_TX' | 'MSG_SEND2';
export const ABIS: readonly AbiName[] = [
  'VERSION', 'FEATURES', 'ID_GET', 'PARTITION_INFO_GET', 'RXTX_MAP', 'RXTX_UNMAP', 'RX_RELEASE', 'MSG_SEND2',
  'MSG_SEND_DIRECT_REQ', 'MSG_SEND_DIRECT_RESP', 'MEM_SHARE', 'MEM_LEND', 'MEM_DONATE', 'MEM_FRAG_TX',
  'MEM_RETRIEVE_REQ', 'MEM_FRAG_RX', 'MEM_RELINQUISH', 'MEM_RECLAIM',
];
/** ABI of a w0 value (SMC32, or SMC64 where FF-A defines one), or null: NOT_SUPPORTED. */
const BY_LOW = new Map<number, AbiName>(
  Object.entries(FID).filter(([k]) => k !== 'ERROR' && k !== 'SUCCESS' && k !== 'MEM_RETRIEVE_RESP').map(([k, v]) => [v & 0xffffff, k as AbiName]));
export function abiOf(w0: number): AbiName | null {
  const hi = w0 >>> 24, lo = w0 & 0xffffff;
  if (hi !== 0x84 && !(hi === 0xc4 && FID64_OK.has(lo))) return null;
  return BY_LOW.get(lo) ?? null;
}

export type ErrorName = 'NOT_SUPPORTED' | 'INVALID_PARAMETERS' | 'NO_MEMORY' | 'BUSY' | 'INTERRUPTED' | 'DENIED' | 'RETRY' | 'ABORTED' | 'NO_DATA';
export const ERR: Readonly<Record<ErrorName, number>> = {
  NOT_SUPPORTED: -1, INVALID_PARAMETERS: -2, NO_MEMORY: -3, BUSY: -4, INTERRUPTED: -5, DENIED: -6, RETRY: -7, ABORTED: -8, NO_DATA: -9,
};
export const INV: ErrorName = 'INVALID_PARAMETERS';
export const DENIED: ErrorName = 'DENIED';
export const BUSY: ErrorName = 'BUSY';
export const NO_MEMORY: ErrorName = 'NO_MEMORY';
export const NOT_SUPPORTED: ErrorName = 'NOT_SUPPORTED';

/** Hafnium MM_MODE_* bits. */
export const M = { R: 1, W: 2, X: 4, D: 8, INVALID: 16, UNOWNED: 32, SHARED: 64, NS: 128 } as const;
export const PERMS = M.R | M.W | M.X;
export const STATE_BITS = M.INVALID | M.UNOWNED | M.SHARED;
/** Mode of a page the endpoint has nothing to do with (!Owner-NA), and of a page outside memory. */
export const NA = M.INVALID | M.UNOWNED;
export const ABSENT = -1;

export type PageState = 'Owner-EA' | 'Owner-SA' | 'Owner-NA' | '!Owner-EA' | '!Owner-SA' | '!Owner-NA' | 'absent';
export function pageState(m: number): PageState {
  if (m < 0) return 'absent';
  switch (m & STATE_BITS) {
    case 0: return 'Owner-EA';
    case M.SHARED: return 'Owner-SA';
    case M.INVALID: case M.INVALID | M.SHARED: return 'Owner-NA';
    case M.UNOWNED: return '!Owner-EA';
    case M.UNOWNED | M.SHARED: return '!Owner-SA';
    default: return '!Owner-NA';
  }
}
export const valid = (m: number): boolean => m >= 0 && (m & M.INVALID) === 0;
export const owned = (m: number): boolean => m >= 0 && (m & M.UNOWNED) === 0;

export const PAGE = 4096;
export const MAILBOX_SIZE = 4096; // HF_MAILBOX_SIZE
export const SPMC_ID = 0x8000;
export const VERSION_1_1 = 0x00010001;
export const EMAD_SIZE = 16;
export const HEADER_SIZE = 48;
export const MSG_HEADER_SIZE = 24;
export const PART_INFO_SIZE = 24;
/** Transaction types in flags bits 4:3 (reference §1). */
export type Func = 'SHARE' | 'LEND' | 'DONATE';
export const FUNC_TYPE: Readonly<Record<Func, number>> = { SHARE: 1, LEND: 2, DONATE: 3 };
