// The per-IPA transition oracle (properties/cca/oracles/ipa.ts) compares the views before and after a
// step only in the windows where the two RTT trees hold different objects, and skips a realm whose last
// walk read none of the granules the step changed. That may not change what it reports: on random
// traces, faithful and faulty, by default and with the blocks profile (folds and unfolds of DATA and NS
// blocks), with faults planted in every third state (the trace going on from it), the oracle (as old as
// the trace, and fresh) reports exactly what the comparison of whole views reports, after every step.
// And the comparison is not empty: planted faults and faulty traces are reported.

import { describe, expect, test } from 'vitest';
import { ccaSystem } from '../../../properties/cca/system';
import { IpaOracle } from '../../../properties/cca/oracles/ipa';
import { granulePa, withGranule, type RealState, type RttEntry } from '../../../real/cca/state';
import { pget } from '../../../model/pvec';
import { withEntry } from '../../../real/cca/rtt';
import type { Observation } from '../../../real/cca/actions';
import { CONFIGS, SPECS, concreteTraces } from '../traces';
import { RD, ROOT, SPARE, world } from '../realm/helpers';
import type { Action } from '../../../real/cca/actions';

const text = (vs: readonly object[]) => vs.map((v) => JSON.stringify(v));

/** Faults planted in a post-state, each in the k-th RTT (from the top) holding a matching entry: every one changes what some IPA walks to. */
const PLANTS: [string, (e: RttEntry) => RttEntry | null][] = [
  ['RIPAS flipped', (e) => (e.hipas === 'UNASSIGNED' ? { ...e, ripas: e.ripas === 'RAM' ? 'EMPTY' : 'RAM' } : null)],
  ['output address moved', (e) => (e.hipas === 'ASSIGNED' || e.hipas === 'ASSIGNED_NS' ? { ...e, addr: e.addr + 0x1000 } : null)],
  ['subtree dropped', (e) => (e.hipas === 'TABLE' ? { hipas: 'UNASSIGNED', ripas: 'RAM', addr: 0, attrs: 0n } : null)],
  ['NS entry mapped', (e) => (e.hipas === 'UNASSIGNED_NS' ? { ...e, hipas: 'ASSIGNED_NS', addr: 0x7000, attrs: 0x40n } : null)],
];
/** The state with entries j..j+n-1 of the k-th matching RTT position (from the top) rewritten by f; n = 2 makes one
 * difference across two neighbouring entries, which the windows must report as one range. */
function plant(s: RealState, k: number, n: number, f: (e: RttEntry) => RttEntry | null): RealState | null {
  let seen = 0;
  for (let i = s.granules.size - 1; i >= 0; i--) {
    const g = pget(s.granules, i);
    if (g.state !== 'RTT' || g.content.kind !== 'rtt') continue;
    let t = g.content;
    // Entries from the middle of the table on, so that windows meet runs on both sides.
    for (let j = 200; j + n <= 512; j++) {
      const es = t.entries.slice(j, j + n).map(f);
      if (es.some((e) => !e) || seen++ !== k) continue;
      es.forEach((e, d) => (t = withEntry(t, j + d, e!)));
      return withGranule(s, granulePa(i), { ...g, content: t });
    }
  }
  return null;
}

describe.each(CONFIGS)('%s configuration', (_configuration, cfg) => {
  test.each(SPECS)('%s: windows report what whole views report', (name, spec) => {
    let steps = 0, reported = 0, rttSteps = 0, planted = 0;
    for (const actions of concreteTraces(cfg, spec, 9)) {
      let s = ccaSystem.real.init(cfg, spec) as RealState;
      // One oracle as old as the trace (it keeps what each realm's last walk read), one fresh per
      // step, and the comparison of whole views.
      const windowed = new IpaOracle(), whole = new IpaOracle(true);
      for (const a of actions) {
        const r = ccaSystem.real.step(s, a, spec);
        const post = r.state as RealState, o = r.obs as Observation;
        // Every third step, a fault planted in the post-state, and the trace goes on from it.
        const [, f] = PLANTS[steps % PLANTS.length];
        const bad = steps % 3 === 0 ? plant(post, Math.floor(steps / 3) % 3, 1 + (steps % 2), f) : null;
        const next = bad ?? post;
        const want = whole.check(s, a, o, next);
        expect(text(windowed.check(s, a, o, next))).toEqual(text(want));
        expect(text(new IpaOracle().check(s, a, o, next))).toEqual(text(want));
        if (post.granules !== s.granules) rttSteps++;
        if (bad) planted += want.length ? 1 : 0;
        else reported += want.length;
        steps++;
        s = next;
      }
    }
    expect(steps).toBeGreaterThan(500);
    expect(rttSteps).toBeGreaterThan(100);
    // Faults the oracle exists for: planted faults change IPAs the step may not change.
    expect(planted).toBeGreaterThan(50);
    if (name === 'data-double-map') expect(reported).toBeGreaterThan(0);
  }, 120_000);
});

test('a realm gone and back at the same RD with other root tables is walked again (its RD is among what its last walk read)', () => {
  const w = world({}).state as RealState;
  const g = (s: RealState, pa: number) => pget(s.granules, pa / 0x1000);
  // First a step that makes the oracle walk the realm (its root replaced by an equal copy).
  const s0 = withGranule(w, ROOT, { ...g(w, ROOT), content: { ...(g(w, ROOT).content as object) } as never });
  const rd = g(s0, RD);
  // Gone: the RD granule is DELEGATED (its tables left as they were); back: an RD whose root is a copy of the old root elsewhere.
  const s1 = withGranule(s0, RD, { ...rd, state: 'DELEGATED', content: { kind: 'words', words: new Map() } });
  const s2 = withGranule(withGranule(s1, SPARE[3], g(s0, ROOT)), RD, { ...rd, content: { ...(rd.content as object), rttBase: SPARE[3] } as never });
  // Then an entry of the new root changes (a step that may change no IPA): only a walk of the new tree sees it.
  const root = g(s2, SPARE[3]);
  const t = root.content as { entries: readonly RttEntry[] };
  const s3 = withGranule(s2, SPARE[3], { ...root, content: { ...(root.content as object), entries: t.entries.map((e, i) => (i === 3 ? { ...e, hipas: 'UNASSIGNED' as const, ripas: 'DESTROYED' as const, addr: 0 } : e)) } as never });
  const a: Action = { kind: 'host-write', cpu: 0, addr: 0n, value: 0n } as never;
  const o: Observation = { kind: 'host-write', cpu: 0, addr: 0n };
  const kept = new IpaOracle(), whole = new IpaOracle(true);
  const states = [w, s0, s1, s2, s3];
  const wants = states.slice(1).map((s, k) => {
    const want = text(whole.check(states[k], a, o, s));
    expect(text(kept.check(states[k], a, o, s))).toEqual(want);
    return want;
  });
  // The realm "appears" by a host step (reported), then its new root changes an IPA (reported).
  expect(wants.map((x) => x.length)).toEqual([0, 0, 1, 1]);
});
