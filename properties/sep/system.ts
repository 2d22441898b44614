// The HASPOC-style separation hypervisor as a system of the engine: the real machine of real/sep, the
// ideal (separate machines joined by channels) of ideal/sep, and this folder's relation, invariants,
// oracles, noninterference policy, generators and coverage.

import type { Monitor, Result, System, Violation } from '../../model/system';
import { fail, ok } from '../../model/system';
import { CONFIG_KEYS, Cfg, ConfigOverridesC, DEFAULT_CONFIG } from '../../real/sep/config';
import { decodeWith } from '../../real/sep/codec';
import { BOOT_RULES, validate } from '../../real/sep/boot';
import type { Action, Obs } from '../../real/sep/actions';
import type { Spec } from '../../real/sep/spec';
import { FAITHFUL } from '../../real/sep/faithful';
import { initReal, stepReal } from '../../real/sep/machine';
import type { RealState } from '../../real/sep/state';
import { IdealState, initIdeal, stepIdeal } from '../../ideal/sep/machine';
import { SEP_RULE_NAMES } from '../../ideal/sep/rules';
import { VARIANTS } from '../../variants/sep';
import { Relation, compareObs, evText } from './relation';
import { Invariants } from './invariants';
import { Oracles } from './oracles';
import { sepSecrets } from './secrets';
import { COVERAGE_GROUPS, recordCoverage } from './coverage';
import { Cmd, resolve, traceArb } from './generators';
import { decodeAction, describeAction, encodeAction } from './codec';
import { SMALL_SCOPE, alphabet, stateKey } from './alphabet';
import { displayIdeal, displayReal } from './display';

/** A.1's validation messages ("json.path: message") of a configuration: any = rejected. */
export const configProblems = (c: Cfg): string[] => validate(BOOT_RULES, c);

/** Strict decoding of configuration overrides on `base`, then A.1 validation (the first problem). */
export function decodeConfig(u: unknown, path: string, base: Cfg): Result<Cfg> {
  const r = decodeWith(ConfigOverridesC, u, path);
  if (!r.ok) return r;
  const c = { ...base, ...(r.value as Partial<Cfg>) } as Cfg;
  const p = configProblems(c);
  if (p.length) {
    const at = p[0].indexOf(': ');
    return fail(path + p[0].slice(1, at), p[0].slice(at + 2));
  }
  return ok(c);
}

export function encodeConfig(c: Cfg): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of CONFIG_KEYS) if (JSON.stringify(c[k]) !== JSON.stringify(DEFAULT_CONFIG[k])) out[k] = JSON.parse(JSON.stringify(c[k]));
  return out;
}

class SepMonitor implements Monitor<RealState, IdealState, Action, Obs> {
  private readonly rel: Relation;
  private readonly inv: Invariants;
  private readonly ora: Oracles;
  constructor(c: Cfg, s: Spec, private readonly withInvariants: boolean, private readonly withOracles = true) {
    this.rel = new Relation(c);
    this.inv = new Invariants(c);
    this.ora = new Oracles(c, s);
  }
  // The boot-time properties (golden tables, A.1 conformance, the relation on the initial pair) are
  // reported at the first step, so that a counterexample is a replayable trace of at least one step.
  // (The initial pair's relation was once computed and dropped: later checks look only at what
  // changed, so a fault in it would never have been reported.)
  start(real: RealState, ideal: IdealState): Violation[] { this.initial = this.rel.start(real, ideal); return []; }
  step(pre: RealState, a: Action, o: Obs, post: RealState): Violation[] {
    const v = this.withOracles ? this.ora.step(pre, a, o, post) : [];
    if (this.initial.length) { v.push(...this.initial); this.initial = []; }
    if (this.withInvariants && !this.tablesChecked) { this.tablesChecked = true; v.push(...this.inv.tables(pre)); }
    return v;
  }
  private initial: Violation[] = [];
  private tablesChecked = false;
  relation(real: RealState, ideal: IdealState): Violation[] { return this.rel.check(real, ideal); }
  invariants(real: RealState): Violation[] { return this.withInvariants ? this.inv.check(real) : []; }
}

const describeObs = (o: Obs): string => `${evText(o)} [${o.label}]`;

export const sepSystem: System<Cfg, Spec, RealState, IdealState, Action, Obs, Cmd> = {
  name: 'sep',
  title: 'HASPOC-style static separation hypervisor (ARMv8 EL2): separate machines joined by channels',
  reference: 'shared/reference/haspoc-nova.md Part A (HASPOC report and HOL4 model); the Arm architecture (GICv2, PSCI, SMCCC) where it is silent',
  config: {
    defaults: DEFAULT_CONFIG,
    decode: decodeConfig,
    encode: encodeConfig,
    problems: configProblems,
    flags: [
      { name: 'words', help: 'words per page (default 4)', kind: { int: [1, 512] }, apply: (c, v) => ({ ...c, wordsPerPage: v as number }) },
      { name: 'cache', help: 'the optional write-back cache layer (cache-alias bug class)', kind: 'bool', apply: (c) => ({ ...c, cache: true }) },
    ],
  },
  spec: FAITHFUL,
  isSpec: (x): x is Spec => typeof x === 'object' && x !== null && 'notify' in x && 'gicd' in x && 'golden' in x && 'boot' in x,
  variants: VARIANTS,
  rules: SEP_RULE_NAMES,
  real: {
    init: (c, s) => initReal(c, s),
    step: (r, a, s) => stepReal(r, a, s),
  },
  ideal: {
    init: (r) => initIdeal(r),
    step: (i, a, _s, on) => stepIdeal(i, a, on),
  },
  observe: {
    compare: compareObs,
    failed: (_a, o) => o.ev.k === 'none',
    describe: describeObs,
    label: (o) => o.label,
    json: (o) => ({ guest: o.g, outcome: o.label, event: o.ev.k, ...Object.fromEntries(Object.entries(o.ev).filter(([k]) => k !== 'k').map(([k, v]) => [k, typeof v === 'bigint' ? '0x' + v.toString(16) : v])) }),
  },
  monitor: (c, s, opts) => new SepMonitor(c, s, opts.invariants, opts.oracles !== false),
  secrets: sepSecrets,
  coverage: { groups: COVERAGE_GROUPS, record: recordCoverage },
  actions: {
    generate: (_c, steps) => traceArb(steps),
    resolve: (r, g, c) => resolve(r, g, c),
    decode: decodeAction,
    encode: encodeAction,
    describe: describeAction,
    alphabet: (c, r) => alphabet(c, r),
    smallScope: SMALL_SCOPE,
    key: stateKey,
  },
  display: { real: displayReal, ideal: displayIdeal },
};
