// Noninterference as a two-run product: the same trace runs again on the real machine with every
// realm secret (the `secret` moves of realm programs) replaced by another value. Realm programs
// declassify only public constants, so everything the host observes must be identical; and a realm
// whose own secrets did not change must observe exactly the same as before (realm-to-realm).

import { Action, Observation } from '../../real/cca/actions';
import { Config } from '../../real/cca/config';
import { Spec } from '../../real/cca/spec';
import { RealState, initialState, recOf } from '../../real/cca/state';
import { step } from '../../real/cca/step';
import { deepEqual, firstDifference } from '../diff';
import { Violation, describeObs } from './relation';

const FLIP = 0x5a5a_a5a5_0ff0_f00fn;

/** The realm (RD PA) whose REC runs on the action's CPU, or -1. */
function actingRealm(s: RealState, a: Action): number {
  if (a.kind !== 'realm') return -1;
  const m = s.cpus[a.cpu]?.mode;
  return m && m.kind === 'realm' ? recOf(s, m.rec).owner : -1;
}

/** What the host can see of an observation (a realm's own events are its business). */
function hostView(o: Observation): unknown {
  return o.kind === 'realm' ? { exit: o.exit, record: o.record } : o;
}

/**
 * Runs `actions` twice: as given, and with the secrets of the realms selected by `varied` changed.
 * Returns the first step where an observation that must not depend on those secrets differs.
 */
export function niCheck(opts: { spec: Spec; config: Config }, actions: readonly Action[], varied: (rd: number, firstRd: number) => boolean = (rd, first) => rd === first): { index: number; violation: Violation } | null {
  let a1 = initialState(opts.config);
  let a2 = a1;
  let firstRd = -1;
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i];
    const rd = actingRealm(a1, a);
    if (firstRd < 0 && rd >= 0) firstRd = rd;
    const changed = rd >= 0 && varied(rd, firstRd);
    const b = changed && a.kind === 'realm' && a.instr.op === 'mov' && a.instr.secret ? { ...a, instr: { ...a.instr, value: a.instr.value ^ FLIP } } : a;
    const r1 = step(opts.spec, a1, a);
    const r2 = step(opts.spec, a2, b);
    a1 = r1.state;
    a2 = r2.state;
    // The varied realm may see different values; the host and every other realm may not.
    const same = changed ? deepEqual(hostView(r1.obs), hostView(r2.obs)) : deepEqual(r1.obs, r2.obs);
    const d = same ? null : changed ? firstDifference(hostView(r1.obs), hostView(r2.obs)) : firstDifference(r1.obs, r2.obs);
    if (d) {
      const who = rd >= 0 && !changed ? `realm ${'0x' + rd.toString(16)} observes` : 'host observes';
      return { index: i, violation: { property: 'Noninterference', component: `${who} ${describeObs(r1.obs)} ${d.path}`, detail: `depends on realm ${'0x' + firstRd.toString(16)}'s secrets: ${d.a} vs ${d.b}` } };
    }
  }
  return null;
}
