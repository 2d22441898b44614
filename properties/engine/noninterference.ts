// Noninterference as a two-run product: the same trace runs twice on the real machine, the second
// time with the secrets of one party (the first acting party that holds secrets) changed. Every
// party the secret may not reach must observe exactly the same in both runs. A party it may reach
// (through a channel) is compared too when the system says what reaches it (`received`): its view may
// differ only from the first step at which its declassified inputs differ between the runs.

import type { AnySystem, Violation } from '../../model/system';
import { deepEqual, firstDifference } from '../diff';

export interface NiSetup {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly spec: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly config: any;
}

/**
 * The first run of the product, when the caller has it already: the lockstep steps the same real
 * machine on the same actions, so its states (the initial one, then one after each step) and
 * observations are exactly what the first run would compute, and the product costs one real run
 * instead of two.
 */
export interface FirstRun {
  readonly states: readonly unknown[];
  readonly obs: readonly unknown[];
}

/** The first step where an observation that must not depend on the varied party's secrets differs. */
export function niCheck(system: AnySystem, setup: NiSetup, actions: readonly unknown[], run1?: FirstRun): { index: number; violation: Violation } | null {
  const sec = system.secrets;
  const given = run1 && run1.states.length > actions.length && run1.obs.length >= actions.length ? run1 : null;
  let s1 = given ? given.states[0] : system.real.init(setup.config, setup.spec);
  let s2 = s1;
  let varied: string | null = null;
  // Pre-states of both runs (immutable, so keeping them is cheap): a reachable party's inputs are
  // compared lazily, only when its view differs.
  const pre1: unknown[] = [];
  const pre2: unknown[] = [];
  const clean = new Map<string, number>(); // party -> steps known to have had equal inputs
  const inputsDifferBy = (party: string, i: number): boolean => {
    const received = sec.received;
    if (!received) return true;
    let j = clean.get(party) ?? 0;
    for (; j <= i; j++) {
      if (!deepEqual(received(party, pre1[j]), received(party, pre2[j]))) return true;
      clean.set(party, j + 1);
    }
    return false;
  };
  for (let i = 0; i < actions.length; i++) {
    pre1.push(s1);
    pre2.push(s2);
    const a = actions[i];
    const actor = sec.actor(s1, a);
    if (varied === null && actor !== null && sec.holdsSecrets(actor)) varied = actor;
    const b = actor !== null && actor === varied ? sec.vary(a) : a;
    let r1, r2;
    try {
      r1 = given ? { state: given.states[i + 1], obs: given.obs[i] } : system.real.step(s1, a, setup.spec);
      r2 = system.real.step(s2, b, setup.spec);
    } catch (e) {
      return { index: i, violation: { property: 'RobustSafety', component: 'real step (noninterference product)', detail: `threw ${e instanceof Error ? e.message : String(e)}` } };
    }
    if (varied !== null && r1.obs !== r2.obs && !deepEqual(r1.obs, r2.obs)) {
      const v1 = sec.views(r1.obs, s1, a);
      const v2 = new Map(sec.views(r2.obs, s1, a));
      for (const [party, view] of v1) {
        if (party === varied) continue;
        const other = v2.get(party);
        if (deepEqual(view, other)) continue;
        const d = firstDifference(view, other);
        if (!d) continue;
        const reachable = sec.mayFlow(varied, party, s1);
        if (reachable && inputsDifferBy(party, i)) continue;
        return {
          index: i,
          violation: {
            property: 'Noninterference',
            component: `${party} observes ${system.observe.label?.(r1.obs) ?? ''} ${d.path}`.trimEnd(),
            detail: reachable
              ? `depends on ${varied}'s secrets by a path other than the channels (its declassified inputs were equal in both runs): ${d.a} vs ${d.b}`
              : `depends on ${varied}'s secrets: ${d.a} vs ${d.b}`,
          },
        };
      }
    }
    s1 = r1.state;
    s2 = r2.state;
  }
  return null;
}
