// The relation is checked incrementally: only granules, pages and registers that changed are compared,
// and each realm's page mapping is rebuilt only when a granule its RTT walk read changed. None of that
// may change a verdict: on random traces, faithful and faulty, by default and with the blocks profile,
// the incremental checker reports exactly what a full check of the same pair reports, after every step
// up to the first violation (where a run stops); and with every DATA granule corrupted, a checker one
// step old and one as old as the trace both report every mapped page.

import { describe, expect, test } from 'vitest';
import { ccaSystem } from '../../properties/cca/system';
import { RelationChecker } from '../../properties/cca/relation';
import { pget, pset } from '../../model/pvec';
import { setWord } from '../../real/cca/types';
import type { Granule, RealState, Rtt, RttEntry } from '../../real/cca/state';
import { hex } from '../../model/bits';
import { DATA_A, RD, ROOT, SPARE, world } from './realm/helpers';
import type { IdealState } from '../../ideal/cca/machine';
import { CONFIGS, SPECS, concreteTraces } from './traces';

const rules = new Set(ccaSystem.rules);
/** Violations as a sorted list (the order they are found in is not part of a verdict). */
const sorted = (vs: readonly object[]) => vs.map((v) => JSON.stringify(v)).sort();

/** The state with a planted fault on every DATA granule (word 0 changed): each mapped page must fail Rel2. */
function corrupt(s: RealState): { state: RealState; data: number } {
  let g = s.granules, data = 0;
  for (let i = 0; i < g.size; i++) {
    const x = pget(g, i);
    if (x.state !== 'DATA' || x.content.kind !== 'words') continue;
    g = pset(g, i, { ...x, content: { kind: 'words', words: setWord(x.content.words, 0, (x.content.words.get(0) ?? 0n) ^ 0x5eedn) } });
    data++;
  }
  return { state: { ...s, granules: g }, data };
}

/** Whether some realm maps a level-2 RAM block (a fold moved 512 pages from a table into one entry). */
function ramBlock(s: RealState): boolean {
  for (let i = 0; i < s.granules.size; i++) {
    const g = pget(s.granules, i);
    if (g.state === 'RTT' && g.content.kind === 'rtt' && g.content.level === 2 && g.content.entries.some((e) => e.hipas === 'ASSIGNED' && e.ripas === 'RAM')) return true;
  }
  return false;
}

/** The ideal with a planted fault on every page of realm memory it holds: each one mapped must fail Rel2. */
function corruptIdeal(i: IdealState): { state: IdealState; pages: number } {
  let pages = 0;
  const mem = new Map([...i.mem].map(([rd, m]) => [rd, new Map([...m].map(([ipa, w]) => (pages++, [ipa, setWord(w, 0, (w.get(0) ?? 0n) ^ 0xfeedn)])))]));
  return { state: { ...i, mem }, pages };
}

describe.each(CONFIGS)('%s configuration', (configuration, cfg) => {
  test.each(SPECS)('%s: the incremental relation equals a full check after every step', (name, spec) => {
    let steps = 0, violations = 0, planted = 0, blocks = 0, idealFaults = 0;
    // (Seed 9: with the blocks profile, some of these traces fold DATA pages into a RAM block.)
    for (const actions of concreteTraces(cfg, spec, 9)) {
      let real = ccaSystem.real.init(cfg, spec) as RealState;
      let ideal = ccaSystem.ideal.init(real, cfg, spec, rules) as IdealState;
      const inc = new RelationChecker();
      inc.start(real, ideal);
      // A second checker that lives as long, shown every corrupted state before the true one: the
      // mapping it keeps across many steps (not just one, as the twin's) must still cover every page.
      const shadow = new RelationChecker();
      shadow.start(real, ideal);
      for (const a of actions) {
        const [r0, i0] = [real, ideal];
        real = ccaSystem.real.step(real, a, spec).state as RealState;
        ideal = ccaSystem.ideal.step(ideal, a, spec, rules).state as IdealState;
        const fresh = new RelationChecker();
        const full = fresh.check(real, ideal, true);
        expect(sorted(inc.check(real, ideal))).toEqual(sorted(full));
        // The mapping kept from step to step is the one a fresh build gives.
        expect(inc.mapping()).toEqual(fresh.mapping());
        // The same step with its DATA granules corrupted, checked from the previous pair: every
        // mapped page fails, so a mapping kept past a change of the RTTs would miss some.
        const bad = corrupt(real);
        if (bad.data > 0) {
          const twin = new RelationChecker();
          twin.start(r0, i0);
          const want = sorted(new RelationChecker().check(bad.state, ideal, true));
          expect(sorted(twin.check(bad.state, ideal))).toEqual(want);
          expect(sorted(shadow.check(bad.state, ideal))).toEqual(want);
          planted++;
          if (configuration === '--blocks' && name === 'faithful' && ramBlock(real)) blocks++;
        }
        // The same on the ideal side: the realm memory the ideal holds changed, the real granules not;
        // the pages are found through the mapping from IPAs (the real side's goes from granules).
        const badIdeal = corruptIdeal(ideal);
        if (badIdeal.pages > 0) {
          // (Rel2 only: the shadow reported this step's other findings with the corrupted real state.)
          const rel2 = (vs: readonly { property: string }[]) => sorted(vs.filter((v) => v.property === 'Rel2'));
          const want = rel2(new RelationChecker().check(real, badIdeal.state, true));
          expect(rel2(shadow.check(real, badIdeal.state))).toEqual(want);
          idealFaults += want.length;
        }
        // (When the pair breaks the relation, the shadow already reported it with the corrupted state.)
        if (!full.length) expect(shadow.check(real, ideal)).toEqual([]);
        steps++;
        violations += full.length;
        if (full.length) break;
      }
    }
    expect(steps).toBeGreaterThan(500);
    expect(planted).toBeGreaterThan(100);
    expect(idealFaults).toBeGreaterThan(0); // (pages the ideal holds but no longer maps do not count)
    if (configuration === '--blocks' && name === 'faithful') expect(blocks).toBeGreaterThan(0);
    // A faulty specification does reach pairs outside the relation (registers left for the host).
    if (name === 'exit-leaks-gprs') expect(violations).toBeGreaterThan(0);
  }, 120_000);
});

test('a realm whose walk met a TABLE entry leading to no table is walked again when that granule becomes a table', () => {
  const w0 = world({}).state as RealState;
  const at = (s: RealState, pa: number) => pget(s.granules, pa / 0x1000);
  const set = (s: RealState, pa: number, g: Granule): RealState => ({ ...s, granules: pset(s.granules, pa / 0x1000, g) });
  const ideal = (world: RealState): IdealState => ({ ...(ccaSystem.ideal.init(w0, ccaSystem.config.defaults, ccaSystem.spec, rules) as IdealState), world });
  // The root's entry 1 (IPA 1 GB) becomes a TABLE entry leading to SPARE[1], which holds no table (a broken tree)...
  const root = at(w0, ROOT), rtt = root.content as Rtt;
  const w1 = set(w0, ROOT, { ...root, content: { ...rtt, entries: rtt.entries.map((e, i): RttEntry => (i === 1 ? { hipas: 'TABLE', ripas: 'EMPTY', addr: SPARE[1], attrs: 0n } : e)) } });
  // ... and then it does: a level-2 table leading to a level-3 table whose entry 0 maps DATA_A.
  const unassigned: RttEntry = { hipas: 'UNASSIGNED', ripas: 'EMPTY', addr: 0, attrs: 0n };
  const table = (level: number, e0: RttEntry): Granule => ({ ...at(w1, SPARE[1]), state: 'RTT', content: { kind: 'rtt', level, entries: Array.from({ length: 512 }, (_, i) => (i === 0 ? e0 : unassigned)) } });
  const w2 = set(set(w1, SPARE[1], table(2, { hipas: 'TABLE', ripas: 'EMPTY', addr: SPARE[2], attrs: 0n })), SPARE[2], table(3, { hipas: 'ASSIGNED', ripas: 'RAM', addr: DATA_A, attrs: 0n }));
  const kept = new RelationChecker();
  kept.start(w0, ideal(w0));
  for (const w of [w1, w2]) {
    kept.check(w, ideal(w));
    const fresh = new RelationChecker();
    fresh.check(w, ideal(w), true);
    expect(kept.mapping()).toEqual(fresh.mapping());
  }
  expect(kept.mapping()).toContain(`${hex(RD)} ${hex(0x4000_0000)} ${hex(DATA_A)}`);
});
