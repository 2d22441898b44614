// The ideal's own rule for PSCI calls that name a target REC (CPU_ON, AFFINITY_INFO, and the host's
// PSCI_COMPLETE that answers them): they act only within the caller's realm. Checked here on the
// ideal's own record of what each REC asked, independently of the specification; when the world's
// RMM acts outside it, the ideal refuses (and observation equality reports the difference).

import type { Rd, Rec } from '../../real/cca/state';

/** The target MPIDR of each REC's outstanding CPU_ON / AFFINITY_INFO request, as the realm named it. */
export type PsciRequests = ReadonlyMap<number, bigint>;
export const TARGETED = new Set([0x84000003n, 0xc4000003n, 0x84000004n, 0xc4000004n]);

/** MPIDR -> REC index (Aff3:Aff2:Aff1:Aff0[3:0]); -1 if other bits are set. */
const index = (m: bigint): number =>
  (m & ~0xff_00ff_ff0fn & ((1n << 64n) - 1n)) !== 0n ? -1 : Number((m & 0xfn) | (((m >> 8n) & 0xffn) << 4n) | (((m >> 16n) & 0xffn) << 12n) | (((m >> 32n) & 0xffn) << 20n));

/** A realm's CPU_ON / AFFINITY_INFO may go to the host only about another REC its realm created. */
export function callRefusal(rd: Rd, caller: Rec, target: bigint): string | null {
  const i = index(target);
  if (i < 0 || i >= rd.recIndex) return `PSCI target MPIDR 0x${target.toString(16)} names no REC of the caller's realm`;
  return target === caller.mpidr ? 'a PSCI request about the caller itself needs no host' : null;
}

/** PSCI_COMPLETE may act only on a REC of the caller's realm that the caller asked about. */
export function completeRefusal(calling: Rec | undefined, target: Rec | undefined, asked: bigint | undefined): string | null {
  if (!calling || !target) return 'PSCI_COMPLETE names something that is not a REC';
  if (asked === undefined) return 'the calling REC has no outstanding PSCI request';
  if (target.owner !== calling.owner) return 'the target REC belongs to another realm than the caller';
  return target.mpidr !== asked ? `the target REC is not the one the caller named (MPIDR 0x${asked.toString(16)})` : null;
}
