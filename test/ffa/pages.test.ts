// The per-page state is a persistent vector, and the ideal, the relation, robust safety and the
// transition oracle visit only the pages a step replaced (pdiff), not every page. These tests hold
// each shortcut to its full definition: on random traces (faithful and faulty, default and a larger
// memory) the ideal's cells are exactly the holders of every page and the incremental relation reports
// what a fresh full comparison reports; and at 4,096 pages a fault planted on a page far from any the
// trace touched is still reported.

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { pget, pset } from '../../model/pvec';
import { execute } from '../../properties/engine';
import { ffaSystem } from '../../properties/ffa/system';
import { Relation } from '../../properties/ffa/relation';
import { robustSafety } from '../../properties/ffa/robust';
import { transitionOracle } from '../../properties/ffa/oracles';
import { holders } from '../../ideal/ffa/machine';
import type { Cfg } from '../../real/ffa/config';
import type { Action, RealState } from '../../real/ffa/machine';

const pagesFlag = ffaSystem.config.flags.find((f) => f.name === 'pages')!;
type Spec = typeof ffaSystem.spec;
const specs: [string, Spec][] = [['faithful', ffaSystem.spec], ...ffaSystem.variants.map((v): [string, Spec] => [v.name, v.apply(ffaSystem.spec)])];
const rules = new Set(ffaSystem.rules);

describe.each([['default', ffaSystem.config.defaults], ['--pages 256', pagesFlag.apply(ffaSystem.config.defaults, 256)]] as [string, Cfg][])('%s memory', (_n, cfg) => {
  test.each(specs)('%s: cells are the holders of every page; the incremental relation equals a full one', (_v, spec) => {
    let steps = 0, moved = 0;
    for (const cmds of fc.sample(ffaSystem.actions.generate(cfg, 60), { seed: 5, numRuns: 15 })) {
      const actions = execute(ffaSystem, { spec, config: cfg, invariants: false }, cmds).actions as Action[];
      let real = ffaSystem.real.init(cfg, spec);
      let ideal = ffaSystem.ideal.init(real, cfg, spec, rules);
      const rel = new Relation();
      rel.check(real, ideal);
      for (const a of actions) {
        real = ffaSystem.real.step(real, a, spec).state;
        const before = ideal.cells;
        ideal = ffaSystem.ideal.step(ideal, a, spec, rules).state;
        if (ideal.cells !== before) moved++;
        for (let p = 0; p < cfg.pages; p++) expect(pget(ideal.cells, p).who).toBe(holders(ideal.world, p));
        const full = new Relation().check(real, ideal);
        expect(rel.check(real, ideal)).toEqual(full);
        steps++;
        if (full.length) break; // a run stops at its first violation
      }
    }
    expect(steps).toBeGreaterThan(200);
    expect(moved).toBeGreaterThan(0);
  }, 60_000);
});

describe('a fault on a far page of a 4,096-page memory is found', () => {
  const cfg = pagesFlag.apply(ffaSystem.config.defaults, 4096);
  const spec = ffaSystem.spec;
  const far = 4000; // no region, mailbox or transaction of the default partitions is near it
  const unknown = ffaSystem.config.defaults.endpoints.map((e) => e.id).find((id) => !cfg.known.includes(id))!;
  const started = () => {
    const real = ffaSystem.real.init(cfg, spec);
    const ideal = ffaSystem.ideal.init(real, cfg, spec, rules);
    const rel = new Relation();
    expect(rel.check(real, ideal)).toEqual([]);
    // One ordinary step first, so the relation's next check is an incremental one.
    const a: Action = { kind: 'mov', cpu: 0, ep: unknown, dst: 3, imm: 7n };
    const r1 = ffaSystem.real.step(real, a, spec).state, i1 = ffaSystem.ideal.step(ideal, a, spec, rules).state;
    expect(rel.check(r1, i1)).toEqual([]);
    return { real: r1, ideal: i1, rel };
  };
  const withWord = (s: RealState): RealState => ({ ...s, mem: pset(s.mem, far, [0xbadn, ...pget(s.mem, far).slice(1)]) });
  const withMode = (s: RealState, k: number, m: number): RealState => ({ ...s, eps: s.eps.map((e, j) => (j === k ? { ...e, modes: pset(e.modes, far, m) } : e)) });

  test('the relation: a real word, and a real mode, that the ideal does not have', () => {
    const { real, ideal, rel } = started();
    expect(rel.check(withWord(real), ideal).map((v) => v.component)).toEqual([`page 0x${(far * 4096).toString(16)} word 0`]);
    const { real: r2, ideal: i2, rel: rel2 } = started();
    const d = rel2.check(withMode(r2, 0, 0x3), i2);
    expect(d.map((v) => v.detail)).toEqual([`page 0x${(far * 4096).toString(16)} mode: real 0x3, ideal 0x30`]);
  });

  test('robust safety: an unknown endpoint step that changed a page it could not write', () => {
    const { real } = started();
    const a: Action = { kind: 'mov', cpu: 0, ep: unknown, dst: 4, imm: 1n };
    const o = ffaSystem.real.step(real, a, spec).obs;
    const v = robustSafety(real, a, o, withWord(real), new Set(cfg.known));
    expect(v.map((x) => x.component)).toContain(`unknown 0x${unknown.toString(16)} page 0x${(far * 4096).toString(16)}`);
  });

  test('the transition oracle: a mode change outside any §5 row', () => {
    const { real } = started();
    const a: Action = { kind: 'mov', cpu: 0, ep: unknown, dst: 4, imm: 1n };
    const o = ffaSystem.real.step(real, a, spec).obs;
    const v = transitionOracle(real, withMode(real, 1, 0x7), null, null, o);
    expect(v.map((x) => x.component)).toEqual([`endpoint 0x${real.eps[1].id.toString(16)} page 0x${(far * 4096).toString(16)}`]);
  });
});
