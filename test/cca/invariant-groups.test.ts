// The incremental invariant checker skips, after a state that broke nothing, the groups of structural
// checks a step cannot affect (InvariantChecker: the realms' VMIDs and roots, the RTT trees, the RECs
// and CPUs), from the states the changed granules had before and after. Random traces stop at their
// first violation and rarely break one group alone, so each corruption here changes one thing one
// group reads and nothing else, on a state reached by a faithful trace, and the checker (primed on that
// state) must report exactly what the full pass reports, which is never nothing.

import { describe, expect, test } from 'vitest';
import { ccaSystem } from '../../properties/cca/system';
import { InvariantChecker, checkInvariants, type InvariantViolation } from '../../properties/cca/invariants';
import { pget } from '../../model/pvec';
import { RTT_ENTRIES } from '../../real/cca/rtt';
import { ZERO_CONTENT, granulePa, makeContent, makeGranule, withCpu, withGranule, type Granule, type RealState, type Rd, type Rec, type Rtt } from '../../real/cca/state';
import { concreteTraces } from './traces';

const cfg = ccaSystem.config.defaults;
const key = (vs: readonly InvariantViolation[]) => vs.map((v) => `${v.invariant} ${v.component}: ${v.message}`).sort();

/** States of faithful traces, in order. */
function* states(): Generator<RealState> {
  for (const actions of concreteTraces(cfg, ccaSystem.spec, 7, 40)) {
    let s = ccaSystem.real.init(cfg, ccaSystem.spec) as RealState;
    for (const a of actions) yield (s = ccaSystem.real.step(s, a, ccaSystem.spec).state as RealState);
  }
}

/** The first granule of `s` in `state` satisfying `ok`, with its index. */
function find(s: RealState, state: Granule['state'], ok: (g: Granule) => boolean = () => true): [number, Granule] | null {
  for (let i = 0; i < s.granules.size; i++) {
    const g = pget(s.granules, i);
    if (g.state === state && ok(g)) return [i, g];
  }
  return null;
}
const set = (s: RealState, i: number, g: Granule) => withGranule(s, granulePa(i), g);
const unusedVmid = (s: RealState) => { let v = 1; while (s.vmids.has(v)) v++; return v; };

/** Each corruption: null where the state has nothing to corrupt. */
const CORRUPTIONS: [string, (s: RealState) => RealState | null][] = [
  // The RECs group.
  ['a REC whose MPIDR no longer encodes its index', (s) => {
    const f = find(s, 'REC');
    return f && set(s, f[0], makeGranule(f[1].pas, 'REC', f[1].refcount, makeContent({ ...(f[1].content as Rec), mpidr: (f[1].content as Rec).mpidr + 1n })));
  }],
  ['a REC_AUX granule turned DELEGATED', (s) => {
    const f = find(s, 'REC_AUX');
    return f && set(s, f[0], makeGranule('REALM', 'DELEGATED', 0, ZERO_CONTENT));
  }],
  ['an RD refcount off by one (RECs counted)', (s) => {
    const f = find(s, 'RD', (g) => g.refcount > 0);
    return f && set(s, f[0], makeGranule(f[1].pas, 'RD', f[1].refcount + 1, f[1].content));
  }],
  ['a CPU in realm mode on a REC that is not RUNNING (only the CPUs change)', (s) => {
    const f = find(s, 'REC', (g) => (g.content as Rec).state === 'READY');
    const cpu = s.cpus.findIndex((c) => c.mode.kind === 'host');
    return f && cpu >= 0 ? withCpu(s, cpu, { ...s.cpus[cpu], mode: { kind: 'realm', rec: granulePa(f[0]), run: granulePa(9) } }) : null;
  }],
  // The realms group.
  ['an RD whose VMID changed', (s) => {
    const f = find(s, 'RD');
    return f && set(s, f[0], makeGranule(f[1].pas, 'RD', f[1].refcount, makeContent({ ...(f[1].content as Rd), vmid: unusedVmid(s) })));
  }],
  ['a VMID map entry for no realm (only the VMIDs change)', (s) => {
    const f = find(s, 'RD');
    return f && { ...s, vmids: new Map([...s.vmids, [unusedVmid(s), granulePa(f[0])]]) };
  }],
  // The tree.
  ['an RD whose root moved (read by the tree alone)', (s) => {
    const f = find(s, 'RD');
    return f && set(s, f[0], makeGranule(f[1].pas, 'RD', f[1].refcount, makeContent({ ...(f[1].content as Rd), rttBase: (f[1].content as Rd).rttBase + 0x1000 * (f[1].content as Rd).rttNumStart })));
  }],
  ['an RTT refcount off by one', (s) => {
    const f = find(s, 'RTT');
    return f && set(s, f[0], makeGranule(f[1].pas, 'RTT', f[1].refcount + 1, f[1].content));
  }],
  ['a mapped DATA granule turned DELEGATED', (s) => {
    const f = find(s, 'DATA');
    return f && set(s, f[0], makeGranule('REALM', 'DELEGATED', 0, ZERO_CONTENT));
  }],
  ['an RTT whose TABLE entry points to a DELEGATED granule', (s) => {
    const d = find(s, 'DELEGATED');
    const f = find(s, 'RTT', (g) => (g.content as Rtt).entries.some((e) => e.hipas === 'TABLE'));
    if (!d || !f) return null;
    const t = f[1].content as Rtt;
    const j = t.entries.findIndex((e) => e.hipas === 'TABLE');
    const entries = Array.from({ length: RTT_ENTRIES }, (_, k) => (k === j ? { ...t.entries[k], addr: granulePa(d[0]) } : t.entries[k]));
    return set(s, f[0], makeGranule(f[1].pas, 'RTT', f[1].refcount, { ...t, entries }));
  }],
];

describe('each group of structural checks runs when a step changes what it reads', () => {
  test.each(CORRUPTIONS)('%s', (_name, corrupt) => {
    let tried = 0;
    for (const s of states()) {
      const bad = corrupt(s);
      if (!bad) continue;
      const inc = new InvariantChecker();
      if (inc.check(s).length) continue; // (faithful traces break nothing; a primed checker must start clean)
      const full = checkInvariants(bad);
      expect(full.length).toBeGreaterThan(0);
      expect(key(inc.check(bad))).toEqual(key(full));
      if (++tried === 25) break;
    }
    expect(tried).toBe(25);
  }, 60_000);
});

test('after a state that broke something, a step that changes only free memory still reports it', () => {
  let tried = 0;
  for (const s of states()) {
    const f = find(s, 'REC');
    if (!f) continue;
    const inc = new InvariantChecker();
    inc.check(s);
    const bad = set(s, f[0], makeGranule(f[1].pas, 'REC', f[1].refcount, makeContent({ ...(f[1].content as Rec), mpidr: (f[1].content as Rec).mpidr + 1n })));
    const first = key(inc.check(bad));
    expect(first.length).toBeGreaterThan(0);
    // A host write to an UNDELEGATED granule: read by no structural check.
    const u = find(bad, 'UNDELEGATED')!;
    const next = set(bad, u[0], makeGranule(u[1].pas, 'UNDELEGATED', 0, { kind: 'words', words: new Map([[0, 7n]]) }));
    expect(key(inc.check(next))).toEqual(key(checkInvariants(next)));
    expect(key(inc.check(next))).toEqual(first);
    if (++tried === 25) break;
  }
  expect(tried).toBe(25);
}, 60_000);
