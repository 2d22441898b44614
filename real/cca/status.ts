// RMI status codes (reference §1). X0 on return = status | (index << 8).

export const RmiStatus = {
  SUCCESS: 0,
  ERROR_INPUT: 1,
  ERROR_REALM: 2,
  ERROR_REC: 3,
  ERROR_RTT: 4,
} as const;
export type RmiStatusName = keyof typeof RmiStatus;
export const statusName = (code: number): RmiStatusName | 'UNKNOWN' =>
  (Object.keys(RmiStatus) as RmiStatusName[]).find((k) => RmiStatus[k] === code) ?? 'UNKNOWN';

/** A command outcome: status with its index (RTT level for ERROR_RTT, 0/1 for REC_ENTER's ERROR_REALM). */
export interface Status {
  readonly status: RmiStatusName;
  readonly index: number;
}
export const SUCCESS: Status = { status: 'SUCCESS', index: 0 };
export const INPUT: Status = { status: 'ERROR_INPUT', index: 0 };
export const REALM: Status = { status: 'ERROR_REALM', index: 0 };
export const REC: Status = { status: 'ERROR_REC', index: 0 };
export const rttError = (level: number): Status => ({ status: 'ERROR_RTT', index: level });
export const realmError = (index: number): Status => ({ status: 'ERROR_REALM', index });

/** The index is a byte (TF-RMM pack_return_code casts it: a level of -1 is reported as 0xff). */
export const packStatus = (s: Status): bigint => BigInt(RmiStatus[s.status] | ((s.index & 0xff) << 8));
export function unpackStatus(x0: bigint): Status {
  const code = Number(x0 & 0xffn);
  const name = statusName(code);
  return { status: name === 'UNKNOWN' ? 'ERROR_INPUT' : name, index: Number((x0 >> 8n) & 0xffn) };
}

/** SMCCC NOT_SUPPORTED (-1), returned in X0 for an unknown function ID. */
export const SMCCC_NOT_SUPPORTED = (1n << 64n) - 1n;
