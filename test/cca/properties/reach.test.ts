// Reach (issue 14 §2): the default `check` (200 traces of 100 commands, noninterference on) catches
// every named variant for each of seeds 1-5; the planned sequences reach the fold/unfold/block rows;
// the blocks profile reaches DATA blocks; and the plans cost the same whatever the number of granules.
//
// The variants are run as `check` runs them (the same arbitrary, seed and run count, so the same
// traces in the same order) but stop at the first failing trace without shrinking: whether a run
// finds a violation does not depend on shrinking, and shrinking is what makes a run slow.

import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { execute } from '../../../properties/engine';
import { ccaSystem } from '../../../properties/cca/system';
import { DEFAULT_CONFIG, Config, granuleLayout } from '../../../real/cca/config';
import { faithful } from '../../../real/cca/faithful';
import { BLOCKS_GRANULES, Cmd, blocksProfile, dataRegion, resolve } from '../../../properties/cca/generators';
import { BLOCK_ROWS, DATA_BLOCK_ROWS } from '../../../properties/cca/coverage';
import { runTrace } from '../engine';
import type { Action } from '../../../real/cca/actions';
import { RealState, initialState } from '../../../real/cca/state';
import { step } from '../../../real/cca/step';
import { pget } from '../../../model/pvec';

/** The first trace of a default `check` run that fails, or null (no shrinking). */
function firstViolation(name: string, seed: number): { property: string; trace: number } | null {
  const v = ccaSystem.variants.find((x) => x.name === name)!;
  const config = { ...DEFAULT_CONFIG, ...(v.config ?? {}) };
  const spec = v.apply(ccaSystem.spec);
  let traces = 0;
  let property = '';
  const out = fc.check(
    fc.property(ccaSystem.actions.generate(config, 100), (cmds) => {
      traces++;
      const r = execute(ccaSystem, { spec, config, noninterference: true }, cmds);
      if (r.failing) property = r.failing.violations[0].property;
      return r.failing === null;
    }),
    { numRuns: 200, seed, endOnFailure: true },
  );
  return out.failed ? { property, trace: traces } : null;
}

describe('every named variant is caught by the default check, seeds 1-5', () => {
  test.each(ccaSystem.variants.map((v) => v.name))('%s', (name) => {
    const missed = [1, 2, 3, 4, 5].filter((seed) => firstViolation(name, seed) === null);
    expect(missed).toEqual([]);
  }, 120_000);
});

/** Runs abstract commands through the faithful model, resolving each against the state, as `check` does. */
function drive(config: Config, cmds: Cmd[]): { actions: Action[]; state: RealState } {
  let s = initialState(config);
  const actions: Action[] = [];
  for (const c of cmds) for (const a of resolve(s, c)) {
    actions.push(a);
    s = step(faithful, s, a).state;
  }
  return { actions, state: s };
}

const keys = (config: Config, actions: Action[], group: string): string[] => {
  const r = runTrace({ spec: faithful, config }, actions);
  expect(r.first).toBeNull();
  return [...(r.coverage.groups.get(group)?.keys() ?? [])];
};

const progress = (n: number): Cmd[] => Array.from({ length: n }, () => ({ t: 'progress', i: 0 }) as Cmd);

describe('planned sequences', () => {
  test('NS map of a whole block, unfold, fold back; then an empty table unfolded and folded', () => {
    // A running realm, then ns-block with mode 'block' (i % 8 = 0) and mode 'empty' (i % 8 = 1) at 0x80400000.
    const cmds: Cmd[] = [...progress(12), { t: 'plan', plan: 'ns-block', i: 8 + 0 }, { t: 'plan', plan: 'ns-block', i: 8 + 1 }];
    const { actions } = drive(DEFAULT_CONFIG, cmds);
    const hit = keys(DEFAULT_CONFIG, actions, 'blocks');
    expect(hit).toEqual(expect.arrayContaining(['RTT_MAP_UNPROTECTED of a block', 'RTT_CREATE unfolds an ASSIGNED_NS block', 'RTT_FOLD to an ASSIGNED_NS block']));
  });

  test('512 NS mappings of one table fold into an ASSIGNED_NS block (mode "table", i % 8 = 7)', () => {
    const { actions } = drive(DEFAULT_CONFIG, [...progress(12), { t: 'plan', plan: 'ns-block', i: 7 }]);
    expect(actions.filter((a) => a.kind === 'rmi' && a.fid === 0xc400015fn).length).toBeGreaterThanOrEqual(512);
    expect(keys(DEFAULT_CONFIG, actions, 'blocks')).toEqual(expect.arrayContaining(['RTT_CREATE unfolds UNASSIGNED_NS', 'RTT_FOLD to an ASSIGNED_NS block']));
  });

  test('the blocks profile: 512 DATA pages on 2 MB-aligned granules fold into an ASSIGNED block and unfold again', () => {
    const config = { ...DEFAULT_CONFIG, ...blocksProfile() };
    expect(dataRegion(config)).toBe(0x200000);
    // data-block: region fill (i % 4 ≠ 3), after = 'unfold' ((i >> 3) % 4 = 0).
    const { actions, state } = drive(config, [...progress(12), { t: 'plan', plan: 'data-block', i: 0 }]);
    expect(keys(config, actions, 'data-blocks')).toEqual(expect.arrayContaining(['RTT_FOLD to an ASSIGNED block', 'RTT_CREATE unfolds an ASSIGNED block']));
    // The unfolded table maps the 512 pages of the region again, in order.
    let dataPages = 0;
    for (let g = 512; g < 1024; g++) if (ccaGranule(state, g) === 'DATA') dataPages++;
    expect(dataPages).toBe(512);
  });

  test('without room for a DATA block (the default 64 granules) there is no region, and the plan folds unassigned tables', () => {
    expect(dataRegion(DEFAULT_CONFIG)).toBeNull();
    expect(dataRegion({ ...DEFAULT_CONFIG, ...granuleLayout(BLOCKS_GRANULES - 1) })).toBeNull();
    const { actions } = drive(DEFAULT_CONFIG, [...progress(12), { t: 'plan', plan: 'data-block', i: 0 }]);
    expect(keys(DEFAULT_CONFIG, actions, 'blocks').some((k) => k.startsWith('RTT_FOLD to UNASSIGNED'))).toBe(true);
  });

  test('resolving commands (plans included) costs the same with 1,028 and 65,536 granules', () => {
    const cmds: Cmd[] = [...progress(12), { t: 'plan', plan: 'ns-block', i: 8 }, { t: 'plan', plan: 'rtt-destroy', i: 8 }, { t: 'plan', plan: 'sweep', i: 5 }, { t: 'plan', plan: 'data-block', i: 1 }];
    /** The time spent in `resolve` over the commands (the model's own steps are not the generator's cost); best of 3. */
    const time = (n: number) => {
      const config = { ...DEFAULT_CONFIG, ...granuleLayout(n) };
      let best = Infinity;
      for (let k = 0; k < 3; k++) {
        let s = initialState(config);
        let t = 0;
        for (const c of cmds) {
          const t0 = performance.now();
          const as = resolve(s, c);
          t += performance.now() - t0;
          for (const a of as) s = step(faithful, s, a).state;
        }
        best = Math.min(best, t);
      }
      return best;
    };
    // Both have the DATA-block region, so the plans do the same work.
    time(BLOCKS_GRANULES);
    const small = time(BLOCKS_GRANULES);
    const large = time(65536);
    expect(large).toBeLessThan(3 * small + 20);
  });

  test('the coverage groups name every block row once', () => {
    expect(new Set([...BLOCK_ROWS, ...DATA_BLOCK_ROWS]).size).toBe(BLOCK_ROWS.length + DATA_BLOCK_ROWS.length);
    expect(ccaSystem.coverage.groups.map((g) => g.name)).toEqual(expect.arrayContaining(['blocks', 'data-blocks']));
  });
});

describe('the default check reaches every (command, status) pair and every fold/unfold/block row', () => {
  test('seed 1', () => {
    const r = ccaSystem.coverage.groups;
    const res = runChecksNoShrink(1);
    for (const g of ['pairs', 'blocks']) {
      const all = r.find((x) => x.name === g)!.all;
      expect(all.filter((k) => !res.has(`${g}\u0000${k}`))).toEqual([]);
    }
  }, 120_000);
});

const ccaGranule = (s: RealState, g: number): string => pget(s.granules, g).state;

/** The coverage of a default faithful `check` run (200 traces, noninterference on), as group\0key. */
function runChecksNoShrink(seed: number): Set<string> {
  const seen = new Set<string>();
  fc.check(
    fc.property(ccaSystem.actions.generate(DEFAULT_CONFIG, 100), (cmds) => {
      const r = execute(ccaSystem, { spec: faithful, config: DEFAULT_CONFIG, noninterference: true }, cmds);
      for (const [g, m] of r.coverage.groups) for (const k of m.keys()) seen.add(`${g}\u0000${k}`);
      return r.failing === null;
    }),
    { numRuns: 200, seed, endOnFailure: true },
  );
  return seen;
}
