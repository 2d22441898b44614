// Every state, CPU, granule, RTT, RTT entry, RD and REC the real machine makes has one V8 shape per kind
// (real/cca/rtt.ts makeRtt, makeEntry; state.ts makeState, makeGranule, makeContent). The checkers read these objects in loops over 512
// entries; with several shapes (spread copies, frozen constants) each read was a megamorphic one and
// a checked step cost ~1.5x. Not a timing: the shapes are compared with V8's own %HaveSameMap.

import { describe, expect, test } from 'vitest';
import { ccaSystem } from '../../../properties/cca/system';
import { pdiff } from '../../../model/pvec';
import type { RealState } from '../../../real/cca/state';
import { CONFIGS, concreteTraces } from '../traces';
import { sameMap } from '../../natives';

describe.each(CONFIGS)('%s configuration', (_name, cfg) => {
  test('states, CPUs, granules, RTTs, RTT entries, RDs and RECs made along random traces have one shape per kind', () => {
    const first: Record<string, object> = {};
    const shapes: Record<string, number> = { state: 0, cpu: 0, granule: 0, rtt: 0, entry: 0, entries: 0, rd: 0, rec: 0 };
    const seen = (kind: string, o: object) => {
      first[kind] ??= o;
      if (!sameMap(first[kind], o)) shapes[kind]++;
    };
    let rtts = 0;
    for (const actions of concreteTraces(cfg, ccaSystem.spec, 3)) {
      let s = ccaSystem.real.init(cfg, ccaSystem.spec) as RealState;
      for (const a of actions) {
        const post = ccaSystem.real.step(s, a, ccaSystem.spec).state as RealState;
        seen('state', post);
        for (const c of post.cpus) seen('cpu', c);
        pdiff(s.granules, post.granules, (_i, _g0, g) => {
          seen('granule', g);
          // (A REC whose weak-memory REC_DESTROY is in flight has one field more: a second shape, by design.)
          if (g.content.kind === 'rd' || (g.content.kind === 'rec' && g.content.destroying === undefined)) seen(g.content.kind, g.content);
          if (g.content.kind !== 'rtt') return;
          rtts++;
          seen('rtt', g.content);
          seen('entries', g.content.entries);
          for (const e of g.content.entries) seen('entry', e);
        });
        s = post;
      }
    }
    expect(rtts).toBeGreaterThan(50);
    // Objects of another shape than the first of their kind: none.
    expect(shapes).toEqual({ state: 0, cpu: 0, granule: 0, rtt: 0, entry: 0, entries: 0, rd: 0, rec: 0 });
    expect(Object.keys(first).sort()).toEqual(['cpu', 'entries', 'entry', 'granule', 'rd', 'rec', 'rtt', 'state']);
  });
});
