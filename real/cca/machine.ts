// A convenience driver over step(): keeps the state, issues named RMI calls and host writes of param
// structures. Used by tests, scenarios and the CLI; the model itself is step().

import { Action, Instr, Observation } from './actions';
import { Config, DEFAULT_CONFIG } from './config';
import { RecEntryInput, RecParamsInput, RealmParamsInput, encodeRecEntry, encodeRecParams, encodeRealmParams } from './params';
import { RmiName, rmiFid } from './rmi';
import { Status } from './status';
import { Spec } from './spec';
import { faithful } from './faithful';
import { RealState, initialState } from './state';
import { step } from './step';

export type RmiObs = Extract<Observation, { kind: 'rmi' }>;

export class Machine {
  state: RealState;
  readonly log: { action: Action; obs: Observation }[] = [];
  constructor(readonly spec: Spec = faithful, cfg: Config = DEFAULT_CONFIG, state?: RealState) {
    this.state = state ?? initialState(cfg);
  }
  do(a: Action): Observation {
    const r = step(this.spec, this.state, a);
    this.state = r.state;
    this.log.push({ action: a, obs: r.obs });
    return r.obs;
  }
  rmi(name: RmiName, args: (bigint | number)[], cpu = 0): RmiObs {
    return this.do({ kind: 'rmi', cpu, fid: BigInt(rmiFid(name)), args: args.map(BigInt) }) as RmiObs;
  }
  /** The status of an RMI call, e.g. `{status: 'ERROR_RTT', index: 2}`. */
  status(name: RmiName, args: (bigint | number)[], cpu = 0): Status | null {
    return this.rmi(name, args, cpu).status;
  }
  writeRealmParams(addr: number, p: RealmParamsInput, cpu = 0) {
    return this.do({ kind: 'host-write', cpu, addr: BigInt(addr), writes: encodeRealmParams(p) });
  }
  writeRecParams(addr: number, p: RecParamsInput, cpu = 0) {
    return this.do({ kind: 'host-write', cpu, addr: BigInt(addr), writes: encodeRecParams(p) });
  }
  writeRecEntry(addr: number, p: RecEntryInput, cpu = 0) {
    return this.do({ kind: 'host-write', cpu, addr: BigInt(addr), writes: encodeRecEntry(p) });
  }
  writeWords(addr: number, words: (bigint | number)[], cpu = 0) {
    return this.do({ kind: 'host-write', cpu, addr: BigInt(addr), writes: words.map((v, i) => ({ off: 8 * i, value: BigInt(v) })) });
  }
  read(addr: number, count = 1, cpu = 0) {
    return this.do({ kind: 'host-read', cpu, addr: BigInt(addr), count });
  }
  realm(instr: Instr, cpu = 0) {
    return this.do({ kind: 'realm', cpu, instr });
  }
}

/** Granule i's physical address. */
export const G = (i: number): number => i * 4096;
