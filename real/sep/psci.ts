// A.4.3 `SMC` — PSCI [H; function ids and registers [D] per the reference]: W0 = function id (SMCCC:
// the function identifier is W0), x1 = the target's guest-local index k, x2 = entry point, x3 = context
// id. Only CPU_ON and CPU_OFF are offered. Outcome names follow the PSCI specification's return codes
// (NOT_SUPPORTED -1, INVALID_PARAMETERS -2, ALREADY_ON -4, SUCCESS 0); as the reference says, DENY and
// success both resume with the GPRs unchanged (HASPOC changes only the PC): the names are for coverage.

import { Row, row, PsciCtx } from './spec';
import type { Layout } from './layout';

export const PSCI_CPU_ON = 0xc4000003n;
export const PSCI_CPU_OFF = 0x84000002n;
export const PSCI_OUTCOMES = ['NOT_SUPPORTED', 'INVALID_PARAMETERS', 'ALREADY_ON', 'ON_SUCCESS', 'OFF_SUCCESS'] as const;

/** π⁻¹(g, k): other guests' cores are unnamable. */
export const psciTarget = (l: Layout, _c: number, g: number, k: bigint): number =>
  k < BigInt(l.coresOf[g].length) ? l.coresOf[g][Number(k)] : -1;

export const PSCI_ROWS: readonly Row<PsciCtx>[] = [
  row('NOT_SUPPORTED', (x) => x.fid !== PSCI_CPU_ON && x.fid !== PSCI_CPU_OFF),
  row('INVALID_PARAMETERS', (x) => x.fid === PSCI_CPU_ON && x.target < 0),
  row('ALREADY_ON', (x) => x.fid === PSCI_CPU_ON && x.s.cores[x.target].on),
];
