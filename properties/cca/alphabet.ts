// CCA's finite action alphabet for exhaustive small-scope runs (`explore --system cca --depth D`):
// from each state, the planner's next steps towards a running realm, each management command on the
// first object of its kind, host reads of the granules in scope, a few realm instructions (a secret store and load, an unprotected access,
// an RSI call) and every eligible weak-memory micro-op. Built from the same abstract commands as the
// random generator, resolved against the state, so the alphabet stays meaningful in every state.

import type { Action } from '../../real/cca/actions';
import { encodeStep } from '../../real/cca/codec';
import type { Config } from '../../real/cca/config';
import { granuleLayout } from '../../real/cca/config';
import type { RealState } from '../../real/cca/state';
import type { RmiName } from '../../real/cca/rmi';
import { Cmd, Pick, resolve } from './generators';

const p = (of: Extract<Pick, { k: 'pick' }>['of'], i = 0): Pick => ({ k: 'pick', of, i });
const ipa = (i: number, level = 3): Pick => ({ k: 'ipa', i, level });

const RMI: readonly [RmiName, Pick[]][] = [
  ['GRANULE_DELEGATE', [p('undelegated')]],
  ['GRANULE_UNDELEGATE', [p('delegated')]],
  ['REALM_ACTIVATE', [p('rd')]],
  ['REALM_DESTROY', [p('rd')]],
  ['REC_DESTROY', [p('rec')]],
  ['DATA_CREATE_UNKNOWN', [p('rd'), p('delegated'), ipa(0)]],
  ['DATA_DESTROY', [p('rd'), ipa(0)]],
  ['RTT_INIT_RIPAS', [p('rd'), ipa(0), ipa(1)]],
];

function commands(s: RealState): Cmd[] {
  const cmds: Cmd[] = [{ t: 'progress', i: 0 }, { t: 'progress', i: 1 }];
  for (const cpu of [0, 1]) for (const [name, args] of RMI) cmds.push({ t: 'rmi', name, args, cpu });
  if (s.cpus.some((c) => c.mode.kind === 'realm'))
    for (const cpu of [0, 1]) {
      cmds.push({ t: 'realm', cpu, instr: { op: 'mov', reg: 19, value: 0x5ec2e7n, secret: true } });
      cmds.push({ t: 'realm', cpu, instr: { op: 'store', ipa: 0x0n, reg: 19 } });
      cmds.push({ t: 'realm', cpu, instr: { op: 'load', ipa: 0x0n, reg: 1 } });
      cmds.push({ t: 'realm', cpu, instr: { op: 'store', ipa: 0x80000000n, reg: 1 } });
    }
  for (const cpu of [0, 1]) for (const k of [0, 1]) cmds.push({ t: 'micro', cpu, k });
  // The host reads every granule the scope can use for realm objects (what a missing scrub leaks).
  const first = 2 + s.cfg.cpus;
  for (let g = first; g < first + 8 && g < s.cfg.granules; g++) cmds.push({ t: 'host', cpu: 0, write: false, addr: { k: 'lit', v: BigInt(g * 4096) }, value: 0n, dma: false });
  return cmds;
}

export function alphabet(_c: Config, s: RealState): Action[] {
  const out = new Map<string, Action>();
  for (const c of commands(s)) {
    let as: Action[];
    try {
      as = resolve(s, c);
    } catch {
      continue;
    }
    // Every action of a resolution is a letter: a planned sequence (params, then REALM_CREATE) is
    // then reachable step by step even where the planner would restart it.
    for (const a of as) out.set(JSON.stringify(encodeStep(a)), a);
  }
  return [...out.values()];
}

/** The small scope: 16 granules (12 usable), 2 CPUs. */
export const SMALL_SCOPE: Partial<Config> = { ...granuleLayout(16), cpus: 2 };
