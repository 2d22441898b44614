// Helpers for sep's tests: a guest instruction, running steps through the real machine alone and in
// lockstep with the ideal (all properties checked).

import { runTrace } from '../../properties/engine';
import { sepSystem } from '../../properties/sep/system';
import type { Action, Instr, Obs } from '../../real/sep/actions';
import type { Cfg } from '../../real/sep/config';
import type { Spec } from '../../real/sep/spec';
import type { RealState } from '../../real/sep/state';

export const S = sepSystem;
export const CFG = S.config.defaults;
export const g = (core: number, instr: Instr): Action => ({ kind: 'guest', core, instr });
export const mov = (core: number, rd: number, value: bigint): Action => g(core, { op: 'mov', rd, value });
export const ld = (core: number, ipa: bigint, rt = 1): Action => g(core, { op: 'load', ipa, rt });
export const st = (core: number, ipa: bigint, rt = 1): Action => g(core, { op: 'store', ipa, rt });
export const hvc = (core: number, imm: number): Action => g(core, { op: 'hvc', imm });
export const smc = (core: number, ...args: bigint[]): Action => g(core, { op: 'smc', imm: 0, args });
/** A GICD register write: the value into x5, then a store to the distributor page (page 8). */
export const gicdW = (core: number, off: number, v: bigint): Action[] => [mov(core, 5, v), st(core, 0x8000n + BigInt(off), 5)];
export const gicdR = (core: number, off: number): Action => ld(core, 0x8000n + BigInt(off), 6);

/** Runs actions through the real machine; every observation and the final state. */
export function real(actions: readonly Action[], spec: Spec = S.spec, cfg: Cfg = CFG): { obs: Obs[]; s: RealState; states: RealState[] } {
  let s = S.real.init(cfg, spec);
  const obs: Obs[] = [];
  const states: RealState[] = [s];
  for (const a of actions) { const r = S.real.step(s, a, spec); obs.push(r.obs); s = r.state; states.push(s); }
  return { obs, s, states };
}

/** Runs actions in lockstep; the first violation or null. */
export function lockstep(actions: readonly Action[], opts: { spec?: Spec; cfg?: Cfg; rules?: ReadonlySet<string> } = {}) {
  return runTrace(S, { spec: opts.spec ?? S.spec, config: opts.cfg ?? CFG, rules: opts.rules }, actions);
}
