// The real machine's step function: step(spec, state, action) -> { state, obs }. Total: no action,
// whatever its arguments, makes it throw (robust safety is checked, not assumed).

import { Action, Observation } from '../model/actions';
import { rmiNameOfFid } from '../model/rmi';
import { SMCCC_NOT_SUPPORTED, packStatus } from '../model/status';
import { runCommand } from './command';
import { nsRead, nsWrite } from './host';
import { Spec } from './spec';
import { RealState } from './state';
import { realmStep } from './realm/run';

export interface StepResult {
  readonly state: RealState;
  readonly obs: Observation;
}

export function step(spec: Spec, s: RealState, a: Action): StepResult {
  switch (a.kind) {
    case 'rmi': {
      if (!validCpu(s, a.cpu)) return skip(s, a.cpu, 'no such CPU');
      if (s.cpus[a.cpu].mode.kind !== 'host') return skip(s, a.cpu, 'CPU is running a REC');
      const name = rmiNameOfFid(a.fid);
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
      if (s.cpus[a.cpu].mode.kind !== 'host') return skip(s, a.cpu, 'CPU is running a REC');
      return { state: s, obs: { kind: 'host-read', cpu: a.cpu, addr: a.addr, ...nsRead(s, a.addr, a.count) } };
    }
    case 'host-write': {
      if (!validCpu(s, a.cpu)) return skip(s, a.cpu, 'no such CPU');
      if (s.cpus[a.cpu].mode.kind !== 'host') return skip(s, a.cpu, 'CPU is running a REC');
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
      return skip(s, a.cpu, 'no multi-step RMM handler is in progress');
  }
}

const validCpu = (s: RealState, cpu: number): boolean => Number.isInteger(cpu) && cpu >= 0 && cpu < s.cpus.length;
const skip = (s: RealState, cpu: number, reason: string): StepResult => ({ state: s, obs: { kind: 'skip', cpu, reason } });
