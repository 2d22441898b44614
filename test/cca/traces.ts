// Random concrete traces of the RMM for the tests that compare an incremental check with a full one:
// the faithful specification and every named variant, by default and with the blocks profile.

import fc from 'fast-check';
import { execute } from '../../properties/engine';
import { ccaSystem } from '../../properties/cca/system';
import type { Action } from '../../real/cca/actions';

export type Spec = typeof ccaSystem.spec;
export type Cfg = typeof ccaSystem.config.defaults;

export const SPECS: [string, Spec][] = [['faithful', ccaSystem.spec], ...ccaSystem.variants.map((v): [string, Spec] => [v.name, v.apply(ccaSystem.spec)])];
const blocks = ccaSystem.config.flags.find((f) => f.name === 'blocks')!;
export const CONFIGS: [string, Cfg][] = [['default', ccaSystem.config.defaults], ['--blocks', blocks.apply(ccaSystem.config.defaults, true) as Cfg]];

/** `runs` generated traces of up to 80 commands, resolved to the concrete actions they take under `spec`. */
export const concreteTraces = (cfg: Cfg, spec: Spec, seed: number, runs = 20): Action[][] =>
  fc.sample(ccaSystem.actions.generate(cfg, 80), { seed, numRuns: runs }).map((cmds) => execute(ccaSystem, { spec, config: cfg, invariants: false }, cmds).actions as Action[]);
