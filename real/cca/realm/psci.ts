// PSCI calls from a realm (reference §7), handled by the RMM. CPU_ON and AFFINITY_INFO about another
// REC need the host (PSCI exit, then RMI_PSCI_COMPLETE); the others are answered here or exit.

import { u64 } from '../../../model/bits';
import { PSCI } from '../rmi/psci-complete';
import { mpidrToIndex } from '../rmi/rec-create';
import { inPar } from '../rtt';
import { Rec } from '../state';
import { CallOutcome, RsiCtx } from './rsi';
import { setContent } from '../ops';

export const PSCI_FID = {
  VERSION: 0x84000000n, CPU_SUSPEND_32: 0x84000001n, CPU_SUSPEND: 0xc4000001n, CPU_OFF: 0x84000002n, CPU_ON_32: 0x84000003n,
  CPU_ON: 0xc4000003n, AFFINITY_INFO_32: 0x84000004n, AFFINITY_INFO: 0xc4000004n, SYSTEM_OFF: 0x84000008n,
  SYSTEM_RESET: 0x84000009n, FEATURES: 0x8400000an,
} as const;
export const PSCI_VERSION_1_1 = 0x10001n;
/**
 * The functions PSCI_FEATURES reports as implemented. The reference does not list them; TF-RMM
 * (runtime/rsi/psci.c psci_features) answers SUCCESS for CPU_SUSPEND, CPU_OFF, CPU_ON, AFFINITY_INFO,
 * SYSTEM_OFF, SYSTEM_RESET, PSCI_FEATURES and SMCCC_VERSION (not PSCI_VERSION), reading the queried
 * ID as 32 bits.
 */
const SMCCC_VERSION = 0x80000000n;
const FEATURES = new Set<bigint>([
  PSCI_FID.CPU_SUSPEND_32, PSCI_FID.CPU_SUSPEND, PSCI_FID.CPU_OFF, PSCI_FID.CPU_ON_32, PSCI_FID.CPU_ON, PSCI_FID.AFFINITY_INFO_32,
  PSCI_FID.AFFINITY_INFO, PSCI_FID.SYSTEM_OFF, PSCI_FID.SYSTEM_RESET, PSCI_FID.FEATURES, SMCCC_VERSION,
]);

export const isPsciFid = (fid: bigint): boolean => (fid & ~0x40000000n) >= 0x84000000n && (fid & ~0x40000000n) <= 0x8400001fn;

const answer = (c: RsiCtx, x0: bigint, what: string): CallOutcome => ({ kind: 'resume', s: c.s, set: { 0: x0, 1: 0n, 2: 0n, 3: 0n }, what });

/** A PSCI exit: the host sees FID and arguments; X0..X6 of the realm will carry the result. */
function psciExit(c: RsiCtx, gprs: bigint[], rec: Rec, what: string, result?: bigint[]): CallOutcome {
  return { kind: 'exit', s: c.s, info: { kind: 'psci', gprs }, rec: { ...rec, lastExit: { kind: 'psci' } }, what, psciResult: result ?? [0n] };
}

export function handlePsci(c: RsiCtx): CallOutcome {
  const x = c.regs;
  const fid = x[0];
  switch (fid) {
    case PSCI_FID.VERSION:
      return answer(c, PSCI_VERSION_1_1, 'PSCI_VERSION');
    case PSCI_FID.FEATURES:
      return answer(c, FEATURES.has(x[1] & 0xffff_ffffn) ? PSCI.SUCCESS : PSCI.NOT_SUPPORTED, 'PSCI_FEATURES');
    case PSCI_FID.CPU_SUSPEND:
    case PSCI_FID.CPU_SUSPEND_32:
      // Every power state is a suspend request; the host is told the FID only (TF-RMM psci_cpu_suspend).
      return psciExit(c, [fid], c.rec, 'CPU_SUSPEND', [PSCI.SUCCESS]);
    case PSCI_FID.CPU_OFF:
      return psciExit(c, [fid], { ...c.rec, runnable: false }, 'CPU_OFF', [PSCI.SUCCESS]);
    case PSCI_FID.SYSTEM_OFF:
    case PSCI_FID.SYSTEM_RESET: {
      // The realm is off for good (SYSTEM_RESET too: a reboot is a new realm built by the host).
      const s = setContent(c.s, c.rdPa, { ...c.rd, state: 'SYSTEM_OFF' });
      return { ...psciExit(c, [fid], c.rec, fid === PSCI_FID.SYSTEM_OFF ? 'SYSTEM_OFF' : 'SYSTEM_RESET', [PSCI.SUCCESS]), s };
    }
    case PSCI_FID.CPU_ON:
    case PSCI_FID.CPU_ON_32: {
      const [target, entry, ctx] = [x[1], x[2], x[3]];
      if (entry >= 1n << 52n || !inPar(c.rd, Number(entry))) return answer(c, PSCI.INVALID_ADDRESS, 'CPU_ON: entry outside the PAR');
      const idx = mpidrToIndex(target);
      if (idx < 0 || idx >= c.rd.recIndex) return answer(c, PSCI.INVALID_PARAMETERS, 'CPU_ON: no such REC');
      if (target === c.rec.mpidr) return answer(c, PSCI.ALREADY_ON, 'CPU_ON: self');
      const rec: Rec = { ...c.rec, psciPending: { kind: 'CPU_ON', target, entry, contextId: ctx } };
      // TF-RMM forwards only the target MPIDR to the host.
      return psciExit(c, [fid, target, 0n, 0n], rec, 'CPU_ON');
    }
    case PSCI_FID.AFFINITY_INFO:
    case PSCI_FID.AFFINITY_INFO_32: {
      const [target, level] = [x[1], x[2]];
      const idx = mpidrToIndex(target);
      if (level !== 0n || idx < 0 || idx >= c.rd.recIndex) return answer(c, PSCI.INVALID_PARAMETERS, 'AFFINITY_INFO: bad target');
      if (target === c.rec.mpidr) return answer(c, PSCI.AFF_ON, 'AFFINITY_INFO: self');
      const rec: Rec = { ...c.rec, psciPending: { kind: 'AFFINITY_INFO', target } };
      return psciExit(c, [fid, target, 0n, 0n], rec, 'AFFINITY_INFO');
    }
    default:
      return answer(c, u64(-1n), 'PSCI: NOT_SUPPORTED');
  }
}
