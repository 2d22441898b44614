// State updates shared by several commands.

import { hashWords } from '../../model/bits';
import { GranuleState } from './types';
import type { Spec } from './spec';
import { Content, Granule, RealState, Rd, granuleAt, makeContent, makeGranule, updateGranule, withGranule } from './state';

/** A granule returns to DELEGATED: its content is scrubbed (spec: zeroed; invariant 1). */
export function release(s: RealState, pa: number, spec: Spec): RealState {
  return updateGranule(s, pa, (g) => makeGranule('REALM', 'DELEGATED', 0, spec.scrub(g.content)));
}

/** A DELEGATED granule becomes an object of the RMM. */
export function claim(s: RealState, pa: number, state: GranuleState, content: Content, refcount = 0): RealState {
  return withGranule(s, pa, makeGranule('REALM', state, refcount, makeContent(content)));
}

export function setContent(s: RealState, pa: number, content: Content): RealState {
  return updateGranule(s, pa, (g) => makeGranule(g.pas, g.state, g.refcount, makeContent(content)));
}

export function addRefcount(s: RealState, pa: number, delta: number): RealState {
  if (delta === 0) return s;
  return updateGranule(s, pa, (g): Granule => makeGranule(g.pas, g.state, g.refcount + delta, g.content));
}

export const refcount = (s: RealState, pa: number): number => granuleAt(s, pa).refcount;

/** Extends measurement `index` (0 = RIM) with a deterministic abstract hash of `inputs`. */
export function extendMeasurement(rd: Rd, index: number, inputs: readonly bigint[]): Rd {
  const measurements = rd.measurements.slice();
  measurements[index] = hashWords(measurements[index], inputs);
  return { ...rd, measurements };
}

/** A tag per measured event so different events with equal arguments hash differently. */
export const MEASURE_TAG = {
  REALM: 0x52454c4dn,
  DATA: 0x44415441n,
  RIPAS: 0x52495041n,
  REC: 0x52454320n,
} as const;
