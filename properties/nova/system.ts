// The NOVA-style capability microhypervisor as a system of the engine: real/nova (B.4, B.5), the ideal
// of ideal/nova (B.6), and this folder's relation, invariants, oracles, noninterference policy,
// generators, coverage and codec.
import type { System } from '../../model/system';
import type { Action, Config, Obs, State } from '../../real/nova/types';
import type { Spec } from '../../real/nova/spec';
import { faithful } from '../../real/nova/faithful';
import { DEFAULT_CONFIG, boot } from '../../real/nova/state';
import { step } from '../../real/nova/machine';
import { bootMdb } from '../../real/nova/classic';
import { RULES, init as idealInit, step as idealStep } from '../../ideal/nova/machine';
import { VARIANTS } from '../../variants/nova';
import { NovaMonitor } from './monitor';
import { novaSecrets } from './secrets';
import { GROUPS, record } from './coverage';
import { Cmd, resolve, traceArb } from './generators';
import { configProblems, decodeAction, decodeConfig, encodeAction, encodeConfig } from './codec';
import { describeAction, describeObs, label, obsJson } from './format';
import { same, show } from './relation';
import { SMALL_SCOPE, alphabet, stateKey } from './alphabet';

export const novaSystem: System<Config, Spec, State, State, Action, Obs, Cmd> = {
  name: 'nova',
  title: 'NOVA-style capability microhypervisor: robust safety of its hypercalls against arbitrary user code',
  reference: 'shared/reference/haspoc-nova.md Part B; udosteinberg/NOVA @ 8b6c28a0 decides doubts',
  config: {
    defaults: DEFAULT_CONFIG,
    decode: decodeConfig,
    encode: encodeConfig,
    problems: configProblems,
    flags: [
      { name: 'cpus', help: 'CPUs (default 2)', kind: { int: [1, 64] }, apply: (c, v) => ({ ...c, cpus: v as number }) },
      { name: 'pages', help: 'physical pages (default 32)', kind: { int: [8, 32768] }, apply: (c, v) => ({ ...c, pages: v as number }) },
      { name: 'quota', help: 'kernel objects a PD may be charged (MEM_OBJ, default 8)', kind: { int: [0, 1 << 20] }, apply: (c, v) => ({ ...c, quota: v as number }) },
      { name: 'cap-quota', help: 'table pages a PD may be charged (MEM_CAP, default 2)', kind: { int: [0, 1 << 20] }, apply: (c, v) => ({ ...c, capQuota: v as number }) },
    ],
  },
  spec: faithful,
  isSpec: (x): x is Spec => typeof x === 'object' && x !== null && 'calls' in x && 'mask' in x && 'overwrite' in x,
  variants: VARIANTS,
  rules: RULES,
  real: {
    init: (c, s) => (s.classic ? bootMdb(boot(c)) : boot(c)),
    step: (r, a, s) => step(r, a, s),
  },
  ideal: {
    init: (r, c, s, on) => idealInit(r, c, s, on),
    step: (i, a, s, on) => idealStep(i, a, s, on),
  },
  observe: {
    compare: (r, i) => {
      const strip = (o: Obs) => (o.kind === 'hcall' ? { ...o, note: undefined } : o.kind === 'skip' ? { kind: 'skip' } : o);
      const a = strip(r), b = strip(i);
      if (same(a, b)) return null;
      const field = Object.keys(a).find((k) => !same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) ?? 'kind';
      return { property: 'RS2', component: `${label(r)}${'ec' in r ? ` EC ${r.ec}` : ''} ${field}`, detail: `real ${show((a as Record<string, unknown>)[field])}, ideal ${show((b as Record<string, unknown>)[field])}` };
    },
    failed: (_a, o) => o.kind === 'skip' || (o.kind === 'mem' && o.fault) || (o.kind === 'dma' && o.fault) || (o.kind === 'irq' && !o.delivered)
      || (o.kind === 'hcall' && o.status !== null && o.status !== 0 && o.note !== 'partial' && !(o.note ?? '').startsWith('retry')),
    describe: describeObs,
    label,
    json: obsJson,
  },
  monitor: (_c, _s, opts) => new NovaMonitor(opts.invariants, opts.oracles !== false),
  secrets: novaSecrets,
  coverage: { groups: GROUPS, record },
  actions: {
    generate: (c, steps) => traceArb(c, steps),
    resolve: (r, g, c) => resolve(r, g, c),
    decode: decodeAction,
    encode: encodeAction,
    describe: describeAction,
    alphabet: (c, r) => alphabet(c, r),
    smallScope: SMALL_SCOPE,
    key: stateKey,
  },
};
