// The relation on a run's initial pair: reported at the first step (it was once computed and dropped,
// and later checks look only at what changed), and kept per initial pair without hiding a different
// ideal's fault (the machines keep their initial states per configuration, so the pair repeats).

import { expect, test } from 'vitest';
import { Lockstep } from '../../properties/engine';
import { pget, pset } from '../../model/pvec';
import type { IdealState } from '../../ideal/sep/machine';
import type { RealState } from '../../real/sep/state';
import { CFG, S, mov } from './helpers';

const setup = { spec: S.spec, config: CFG };
/** One step that changes only a register of guest 0's primary core: no memory is compared after it. */
const firstStep = (real: RealState, ideal: IdealState) => Lockstep.at(S, setup, real, ideal).step(mov(0, 1, 5n)).violations.map((v) => `${v.property} ${v.component}`);

test('an initial ideal memory word unlike the real one is an R2 violation at the first step, clean pairs stay clean', () => {
  const real = S.real.init(CFG, S.spec) as RealState;
  const ideal = S.ideal.init(real, CFG, S.spec, new Set(S.rules)) as IdealState;
  const g0 = ideal.guests[0];
  const page = pget(g0.mem, 0);
  const bad: IdealState = { ...ideal, guests: [{ ...g0, mem: pset(g0.mem, 0, Object.freeze([page[0] ^ 1n, ...page.slice(1)])) }, ...ideal.guests.slice(1)] };

  expect(firstStep(real, ideal)).toEqual([]);
  expect(firstStep(real, bad)).toEqual([expect.stringMatching(/^R2 guest 0 ipa page \d+ \(pa \d+\) word 0$/)]);
  // The same real state with the faithful ideal again: the kept first check is per pair.
  expect(firstStep(real, ideal)).toEqual([]);
  expect(firstStep(real, bad)).toHaveLength(1);
});
