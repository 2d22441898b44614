// The real machine's step function: step(spec, state, action) -> { state, obs }. Total: no action,
// whatever its arguments, makes it throw (robust safety is checked, not assumed).

import { Action } from './actions';
import { RmiName, rmiNameOfFid } from './rmi';
import { SMCCC_NOT_SUPPORTED, packStatus } from './status';
import { runCommand } from './command';
import { nsRead, nsWrite } from './host';
import type { Spec, StepResult } from './spec';
import { RealState } from './state';
import { realmStep } from './realm/run';
import { microStep } from './weakmem/handlers';

export function step(spec: Spec, s: RealState, a: Action): StepResult {
  switch (a.kind) {
    case 'rmi': {
      if (!validCpu(s, a.cpu)) return skip(s, a.cpu, 'no such CPU');
      if (s.cpus[a.cpu].mode.kind !== 'host') return skip(s, a.cpu, busy(s, a.cpu));
      const name = rmiNameOfFid(a.fid);
      const waiter = name ? lockHolder(s, name, a.args) : null;
      if (waiter) return skip(s, a.cpu, `${waiter}: the call waits`);
      if (!name) return { state: s, obs: { kind: 'rmi', cpu: a.cpu, name: null, fid: a.fid, status: null, x0: SMCCC_NOT_SUPPORTED, x: [] } };
      const r = runCommand(spec.commands[name], spec, s, a.args, a.cpu);
      const x = [0, 1, 2, 3].map((i) => r.x[i] ?? 0n);
      return {
        state: r.state,
        obs: { kind: 'rmi', cpu: a.cpu, name, fid: a.fid, status: r.status, x0: packStatus(r.status), x, pending: r.pending, failed: r.failed },
      };
    }
    case 'host-read': {
      if (!validCpu(s, a.cpu)) return skip(s, a.cpu, 'no such CPU');
      if (s.cpus[a.cpu].mode.kind !== 'host') return skip(s, a.cpu, busy(s, a.cpu));
      return { state: s, obs: { kind: 'host-read', cpu: a.cpu, addr: a.addr, ...nsRead(s, a.addr, a.count) } };
    }
    case 'host-write': {
      if (!validCpu(s, a.cpu)) return skip(s, a.cpu, 'no such CPU');
      if (s.cpus[a.cpu].mode.kind !== 'host') return skip(s, a.cpu, busy(s, a.cpu));
      const r = nsWrite(s, a.addr, a.writes);
      return { state: r.state, obs: { kind: 'host-write', cpu: a.cpu, addr: a.addr, fault: r.fault } };
    }
    case 'dma-read':
      return { state: s, obs: { kind: 'dma-read', cpu: -1, addr: a.addr, ...nsRead(s, a.addr, a.count) } };
    case 'dma-write': {
      const r = nsWrite(s, a.addr, a.writes);
      return { state: r.state, obs: { kind: 'dma-write', cpu: -1, addr: a.addr, fault: r.fault } };
    }
    case 'realm':
      if (!validCpu(s, a.cpu)) return skip(s, a.cpu, 'no such CPU');
      return realmStep(spec, s, a.cpu, a.instr);
    case 'micro':
      if (!validCpu(s, a.cpu)) return skip(s, a.cpu, 'no such CPU');
      return microStep(spec, s, a.cpu, a.op);
  }
}

/** Commands whose first argument is an RD, which they lock (weak-memory mode makes the wait visible). */
const RD_FIRST = new Set<RmiName>([
  'DATA_CREATE', 'DATA_CREATE_UNKNOWN', 'DATA_DESTROY', 'REALM_ACTIVATE', 'REALM_DESTROY', 'REC_AUX_COUNT', 'REC_CREATE', 'RTT_CREATE',
  'RTT_DESTROY', 'RTT_FOLD', 'RTT_INIT_RIPAS', 'RTT_SET_RIPAS', 'RTT_MAP_UNPROTECTED', 'RTT_UNMAP_UNPROTECTED', 'RTT_READ_ENTRY',
]);
/** Arguments that are RECs, which the command locks. */
const REC_ARGS: Partial<Record<RmiName, number[]>> = { REC_DESTROY: [0], REC_ENTER: [0], PSCI_COMPLETE: [0, 1], RTT_SET_RIPAS: [1] };

/**
 * In weak-memory mode an RMM handler in flight holds granule locks: REALM_DESTROY and REC_CREATE their
 * RD, REC_CREATE and REC_DESTROY their REC (REC_DESTROY holds only the REC lock: the CCA paper's
 * Figure 4). A call that needs one of them waits (the step does not happen yet).
 */
function lockHolder(s: RealState, name: RmiName, args: readonly bigint[]): string | null {
  for (let c = 0; c < s.cpus.length; c++) {
    const m = s.cpus[c].mode;
    if (m.kind !== 'micro') continue;
    if (m.cmd !== 'REC_DESTROY' && RD_FIRST.has(name) && BigInt(m.rd) === args[0]) return `the RD is locked by ${m.cmd} on cpu ${c}`;
    if (m.cmd !== 'REALM_DESTROY' && (REC_ARGS[name] ?? []).some((i) => args[i] === BigInt(m.rec))) return `the REC is locked by ${m.cmd} on cpu ${c}`;
  }
  return null;
}
const busy = (s: RealState, cpu: number): string => (s.cpus[cpu].mode.kind === 'realm' ? 'CPU is running a REC' : 'CPU is inside an RMM handler');
const validCpu = (s: RealState, cpu: number): boolean => Number.isInteger(cpu) && cpu >= 0 && cpu < s.cpus.length;
const skip = (s: RealState, cpu: number, reason: string): StepResult => ({ state: s, obs: { kind: 'skip', cpu, reason } });
