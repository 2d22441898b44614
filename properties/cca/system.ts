// The CCA RMM v1.0 as a system of the engine: the real machine of real/cca, the ideal of ideal/cca,
// and this folder's relation, invariants, oracles, noninterference policy, generators and coverage.

import type { System } from '../../model/system';
import { Config, DEFAULT_CONFIG, configOverrides, configProblems, granuleLayout } from '../../real/cca/config';
import type { Action, Observation } from '../../real/cca/actions';
import type { Spec } from '../../real/cca/spec';
import { faithful } from '../../real/cca/faithful';
import { RealState, initialState } from '../../real/cca/state';
import { step } from '../../real/cca/step';
import { decodeConfig, decodeStep, encodeStep } from '../../real/cca/codec';
import { IdealState, idealStep, initialIdeal } from '../../ideal/cca/machine';
import { RULE_NAMES, RuleSet } from '../../ideal/cca/rules';
import { VARIANTS } from '../../variants/cca';
import { compareObservations, describeObs } from './relation';
import { CcaMonitor } from './monitor';
import { ccaSecrets } from './secrets';
import { COVERAGE_GROUPS, recordCoverage } from './coverage';
import { BLOCKS_GRANULES, Cmd, blocksProfile, resolve, traceArb } from './generators';
import { describeAction, describeObservation, observationJson } from './format';
import { recDestroyScenario } from './scenarios';
import { SMALL_SCOPE, alphabet } from './alphabet';
import { displayIdeal, displayReal } from './display';

export const ccaSystem: System<Config, Spec, RealState, IdealState, Action, Observation, Cmd> = {
  name: 'cca',
  title: 'Arm CCA Realm Management Monitor (RMM v1.0)',
  reference: 'shared/reference/rmm-v1.0.md; TF-RMM (rmm-spec-v1.0-rel0) decides doubts',
  config: {
    defaults: DEFAULT_CONFIG,
    decode: (u, path, base) => decodeConfig(u, path, base),
    encode: (c) => configOverrides(c),
    problems: configProblems,
    flags: [
      { name: 'cpus', help: 'physical CPUs (default 2)', kind: { int: [1, 64] }, apply: (c, v) => ({ ...c, cpus: v as number }) },
      { name: 'granules', help: `physical granules, holes at the top (default 64; ${BLOCKS_GRANULES} or more leave room for a 2 MB DATA block)`, kind: { int: [16, 1 << 20] }, apply: (c, v) => ({ ...c, ...granuleLayout(v as number) }) },
      {
        name: 'blocks',
        help: `the blocks profile: ${BLOCKS_GRANULES} granules, so 512 DATA pages on 2 MB-aligned granules can be folded into a level-2 block (as --granules ${BLOCKS_GRANULES})`,
        kind: 'bool',
        apply: (c) => ({ ...c, ...blocksProfile() }),
      },
      {
        name: 'weak-memory',
        help: "run REC_CREATE/REC_DESTROY/REALM_DESTROY's REC bookkeeping as weak-memory micro-programs (interleaved by `micro` steps)",
        kind: 'bool',
        apply: (c) => ({ ...c, weakMemory: true }),
      },
    ],
  },
  spec: faithful,
  isSpec: (x): x is Spec => typeof x === 'object' && x !== null && 'commands' in x && 'scrub' in x,
  variants: VARIANTS,
  rules: RULE_NAMES,
  real: {
    init: (c) => initialState(c),
    step: (r, a, s) => step(s, r, a),
  },
  ideal: {
    init: (r) => initialIdeal(r),
    step: (i, a, s, on) => idealStep(s, on as RuleSet, i, a),
  },
  observe: {
    compare: compareObservations,
    failed: (_a, o) => o.kind === 'skip' || (o.kind === 'rmi' && !o.pending && (o.status === null || o.status.status !== 'SUCCESS')),
    describe: describeObservation,
    label: describeObs,
    json: observationJson,
  },
  monitor: (_c, _s, opts) => new CcaMonitor(opts.invariants, opts.oracles !== false),
  secrets: ccaSecrets,
  coverage: { groups: COVERAGE_GROUPS, record: recordCoverage },
  actions: {
    generate: (_c, steps) => traceArb(steps),
    resolve: (r, g) => resolve(r, g),
    decode: (u, path, c) => decodeStep(u, path, c),
    encode: encodeStep,
    describe: describeAction,
    alphabet,
    smallScope: SMALL_SCOPE,
  },
  display: { real: displayReal, ideal: displayIdeal },
  scenarios: { 'rec-destroy': recDestroyScenario },
};
