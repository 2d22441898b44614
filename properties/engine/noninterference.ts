// Noninterference as a two-run product: the same trace runs twice on the real machine, the second
// time with the secrets of one party (the first acting party that holds secrets) changed. Every
// party the secret may not reach must observe exactly the same in both runs.

import type { AnySystem, Violation } from '../../model/system';
import { deepEqual, firstDifference } from '../diff';

export interface NiSetup {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly spec: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly config: any;
}

/** The first step where an observation that must not depend on the varied party's secrets differs. */
export function niCheck(system: AnySystem, setup: NiSetup, actions: readonly unknown[]): { index: number; violation: Violation } | null {
  const sec = system.secrets;
  let s1 = system.real.init(setup.config, setup.spec);
  let s2 = s1;
  let varied: string | null = null;
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i];
    const actor = sec.actor(s1, a);
    if (varied === null && actor !== null && sec.holdsSecrets(actor)) varied = actor;
    const b = actor !== null && actor === varied ? sec.vary(a) : a;
    let r1, r2;
    try {
      r1 = system.real.step(s1, a, setup.spec);
      r2 = system.real.step(s2, b, setup.spec);
    } catch (e) {
      return { index: i, violation: { property: 'RobustSafety', component: 'real step (noninterference product)', detail: `threw ${e instanceof Error ? e.message : String(e)}` } };
    }
    if (varied !== null && r1.obs !== r2.obs && !deepEqual(r1.obs, r2.obs)) {
      const v1 = sec.views(r1.obs, s1, a);
      const v2 = new Map(sec.views(r2.obs, s1, a));
      for (const [party, view] of v1) {
        if (party === varied || sec.mayFlow(varied, party, s1)) continue;
        const other = v2.get(party);
        if (deepEqual(view, other)) continue;
        const d = firstDifference(view, other);
        if (!d) continue;
        return {
          index: i,
          violation: { property: 'Noninterference', component: `${party} observes ${system.observe.label?.(r1.obs) ?? ''} ${d.path}`.trimEnd(), detail: `depends on ${varied}'s secrets: ${d.a} vs ${d.b}` },
        };
      }
    }
    s1 = r1.state;
    s2 = r2.state;
  }
  return null;
}
