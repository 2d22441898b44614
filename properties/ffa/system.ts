// The ffa system: FF-A v1.1 memory sharing and messaging in a Secure-EL2 partition manager
// (Hafnium-style SPMC), as one value of the System interface.
import type { Monitor, MonitorOptions, System, Violation } from '../../model/system';
import { Cfg, decodeConfig, defaults, encodeConfig, problems, withEndpoints, withPages } from '../../real/ffa/config';
import { Action, Obs, RealState, init, step } from '../../real/ffa/machine';
import { Spec, faithful } from '../../real/ffa/spec';
import { Vcpu, epIndex } from '../../real/ffa/state';
import { hex } from '../../real/ffa/json';
import { Ideal, initIdeal, stepIdeal } from '../../ideal/ffa/machine';
import { RULE_NAMES } from '../../ideal/ffa/rules';
import { VARIANTS } from '../../variants/ffa';
import { Relation } from './relation';
import { Layout, bootInvariant, dirtyPages, invariants, layout } from './invariants';
import { isError, postOracle, statusOracle, transitionOracle } from './oracles';
import { robustSafety } from './robust';
import { GROUPS, record } from './coverage';
import { Gen, generate, resolve } from './generators';
import { decodeAction, describeAction, encodeAction } from './codec';
import { SMALL_SCOPE, alphabet, stateKey } from './alphabet';
import { displayIdeal, displayReal } from './display';

const party = (id: number): string => `endpoint ${hex(id)}`;
const retHex = (r: readonly bigint[] | null) => (r ? r.map((v) => hex(v)) : null);

function describeObs(o: Obs): string {
  switch (o.k) {
    case 'smc': return `${o.abi} -> ${o.status}${o.ret ? ` [${o.ret.slice(0, 4).map(hex).join(', ')}]` : ' (waits)'}${o.row ? ` (${o.row})` : ''}`;
    case 'load': return o.value === null ? 'load fault' : `load ${hex(o.value)}`;
    case 'store': return o.fault < 0 ? 'stored' : `store fault at word ${o.fault}`;
    case 'fetch': return o.fault ? 'fetch fault' : 'fetch ok';
    case 'mov': return `mov ${hex(o.value)}`;
    case 'blocked': return 'blocked (no vCPU on this CPU, or it waits for a direct response)';
  }
}

const eqList = <T>(a: readonly T[] | null, b: readonly T[] | null): boolean =>
  a === b || (a !== null && b !== null && a.length === b.length && a.every((v, k) => v === b[k]));
function sameObs(r: Obs, i: Obs): boolean {
  if (r === i) return true;
  if (r.k !== i.k || r.ep !== i.ep) return false;
  switch (r.k) {
    case 'smc': { const o = i as typeof r; return r.abi === o.abi && r.status === o.status && r.row === o.row && r.side === o.side && eqList(r.ret, o.ret) && eqList(r.cleared, o.cleared); }
    case 'load': return r.value === (i as typeof r).value;
    case 'store': return r.fault === (i as typeof r).fault;
    case 'fetch': return r.fault === (i as typeof r).fault;
    case 'mov': return r.value === (i as typeof r).value;
    case 'blocked': return true;
  }
}
function compareObs(r: Obs, i: Obs): Violation | null {
  if (sameObs(r, i)) return null;
  return { property: 'Observation', component: `endpoint ${hex(r.ep)} ${r.k}`, detail: `real ${describeObs(r)}, ideal ${describeObs(i)}` };
}

/** The vCPUs differ at most in their registers (no direct-messaging state changed). */
const sameControl = (a: readonly Vcpu[], b: readonly Vcpu[]): boolean =>
  a === b || (a.length === b.length && a.every((v, k) => { const o = b[k]; return v.waiting === o.waiting && v.serving === o.serving && v.servingVcpu === o.servingVcpu && v.cpu === o.cpu; }));

/**
 * The invariants of an initial state, computed once per state content: every run of a configuration
 * starts from the same (shared, immutable) endpoints and transaction table, and the full pass over
 * every page dominated short runs at thousands of pages. Keyed by the objects the invariants read.
 */
const START = new WeakMap<object, { txns: RealState['txns']; cfg: Cfg; L: Layout; out: readonly Violation[] }>();
function startInvariants(real: RealState, L: Layout): readonly Violation[] {
  const hit = START.get(real.eps);
  if (hit && hit.txns === real.txns && hit.cfg === real.cfg && hit.L === L) return hit.out;
  const out = invariants(real, L);
  START.set(real.eps, { txns: real.txns, cfg: real.cfg, L, out });
  return out;
}

function monitor(c: Cfg, _s: Spec, opts: MonitorOptions): Monitor<RealState, Ideal, Action, Obs> {
  const L = layout(c);
  const rel = new Relation();
  const known = new Set(c.known);
  let last: RealState | null = null;
  let lastPassed = false;
  return {
    start(real, ideal) {
      last = real;
      const inv = opts.invariants ? startInvariants(real, L) : [];
      lastPassed = inv.length === 0;
      return [...bootInvariant(c), ...inv, ...rel.check(real, ideal)];
    },
    step(pre, a, o, post) {
      const i = epIndex(pre, a.ep);
      const x = a.kind === 'smc' ? a.regs.slice(0, 18).concat(new Array(Math.max(0, 18 - a.regs.length)).fill(0n)) : null;
      if (post === pre && o.k !== 'smc') return [];
      const out: Violation[] = [];
      if (opts.oracles !== false) {
        if (o.k === 'smc' && i >= 0 && a.kind === 'smc') out.push(...statusOracle(pre, i, a.cpu, a.regs, o, post));
        out.push(...transitionOracle(pre, post, i >= 0 ? i : null, x, o));
        out.push(...postOracle(pre, post, i >= 0 ? i : null, x, o));
      }
      out.push(...robustSafety(pre, a, o, post, known));
      return out;
    },
    relation: (real, ideal) => rel.check(real, ideal),
    invariants(real) {
      if (!opts.invariants) return [];
      // Only registers or memory words changed: no invariant can break.
      if (last && real.txns === last.txns && (real.eps === last.eps || real.eps.every((e, k) => {
        const o = last!.eps[k];
        return e === o || (e.modes === o.modes && e.mbox === o.mbox && sameControl(e.vcpus, o.vcpus));
      }))) { last = real; return []; }
      // After a state that passed, only the pages whose inputs changed can break a per-page
      // invariant (the per-page loop was O(pages x endpoints) on every step).
      const out = invariants(real, L, last && lastPassed ? dirtyPages(last, real) : undefined);
      last = real;
      lastPassed = out.length === 0;
      return out;
    },
  };
}

/** Transitive closure of the ghost flows: may data of endpoint `from` reach endpoint `to`? */
function mayFlow(from: string, to: string, s: RealState): boolean {
  const a = s.eps.findIndex((e) => party(e.id) === from), b = s.eps.findIndex((e) => party(e.id) === to);
  if (a < 0 || b < 0) return true;
  let reach = 1 << a, prev = 0;
  while (reach !== prev) { prev = reach; for (let k = 0; k < s.eps.length; k++) if (reach & (1 << k)) reach |= s.flows[k]; }
  return (reach & (1 << b)) !== 0;
}

export const ffaSystem: System<Cfg, Spec, RealState, Ideal, Action, Obs, Gen> = {
  name: 'ffa',
  title: 'FF-A v1.1 memory sharing and messaging in a Secure-EL2 partition manager (Hafnium-style SPMC)',
  reference: 'reference/ffa-v1.1-memory.md; TF-Hafnium/hafnium (src/ffa_memory.c, src/api.c) decides doubts',
  config: {
    defaults,
    decode: decodeConfig,
    encode: encodeConfig,
    problems,
    flags: [
      { name: 'cpus', help: 'physical CPUs', kind: { int: [1, 16] }, apply: (c, v) => ({ ...c, cpus: v as number }) },
      { name: 'max-shares', help: 'size of the SPMC transaction table', kind: { int: [1, 100] }, apply: (c, v) => ({ ...c, maxShares: v as number }) },
      { name: 'max-fragments', help: 'fragments per transaction', kind: { int: [1, 20] }, apply: (c, v) => ({ ...c, maxFragments: v as number }) },
      { name: 'pages', help: 'pages of memory (the range ending at the end of memory grows with it)', kind: { int: [32, 4096] }, apply: (c, v) => withPages(c, v as number) },
      { name: 'endpoints', help: 'partitions: the defaults, then extra unknown VMs and SPs with regions of their own', kind: { int: [2, 16] }, apply: (c, v) => withEndpoints(c, v as number) },
    ],
  },
  spec: faithful,
  isSpec: (x: unknown): x is Spec => typeof x === 'object' && x !== null && 'abis' in x && 'completeFailures' in x && 'rxWrite' in x,
  variants: VARIANTS,
  rules: RULE_NAMES,
  real: { init, step },
  ideal: { init: (real) => initIdeal(real), step: stepIdeal },
  observe: {
    compare: compareObs,
    failed: (a, o) => (o.k === 'smc' ? isError(o.status) && !o.side : o.k === 'blocked' || (o.k === 'load' && o.value === null) || (o.k === 'store' && o.fault === 0) || o.k === 'fetch'),
    describe: describeObs,
    json: (o) => (o.k === 'smc'
      ? { ep: hex(o.ep), ffa: o.abi, status: o.status, x: retHex(o.ret), ...(o.row ? { row: o.row } : {}), ...(o.cleared.length ? { cleared: o.cleared.map((p) => hex(p * 4096)) } : {}) }
      : { ep: hex(o.ep), [o.k]: o.k === 'load' ? (o.value === null ? 'fault' : hex(o.value)) : o.k === 'mov' ? hex(o.value) : o.k === 'store' ? (o.fault < 0 ? 'ok' : `fault@${o.fault}`) : o.k === 'fetch' ? (o.fault ? 'fault' : 'ok') : 'blocked' }),
  },
  monitor,
  secrets: {
    parties: 'endpoint 0xID (normal-world VMs and secure partitions); known endpoints hold secrets',
    actor: (s, a) => (epIndex(s, a.ep) >= 0 ? party(a.ep) : null),
    holdsSecrets: (p) => knownParties.has(p),
    vary: (a) => (a.kind === 'mov' && a.secret && a.imm !== undefined ? { ...a, imm: a.imm ^ 0x5a5a5a5a5a5a5a5an } : a),
    views: (o, s, a) => [[party(a.ep), o]],
    mayFlow,
  },
  coverage: { groups: GROUPS, record },
  display: { real: displayReal, ideal: displayIdeal },
  actions: {
    generate,
    resolve,
    decode: decodeAction,
    encode: encodeAction,
    describe: describeAction,
    alphabet: (c, r) => alphabet(c, r),
    smallScope: SMALL_SCOPE,
    key: stateKey,
  },
};
/** Parties the NI product may vary: the known endpoints of the default configuration (a trace's `mov
 *  secret` marks their private values). */
const knownParties = new Set(defaults.known.map(party));
