// Failure rows shared by many commands (reference §1): the granule check G(x, S) and the NS-buffer
// check NS(p), each expanding to its rows in the specification's order, all ERROR_INPUT.

import { GRANULE_SIZE } from '../../model/bits';
import { INPUT } from './status';
import { GranuleState } from './types';
import { row } from './command';
import type { Failure } from './spec';
import { RealState, granuleAt, isMemory } from './state';

export const isAligned4K = (v: bigint): boolean => (v & 0xfffn) === 0n;

/** Is the 64-bit value a PA of memory the RMM knows (inside the PA range and not MMIO)? */
export function inMemory(s: RealState, v: bigint): boolean {
  return v >= 0n && v < BigInt(s.cfg.granules * GRANULE_SIZE) && isMemory(s.cfg, Number(v));
}

/** GST state of the granule at a validated address. */
export const gstate = (s: RealState, v: bigint): GranuleState => granuleAt(s, Number(v)).state;

interface HasState {
  readonly s: RealState;
}

/** G(x, S): `x_align`, `x_bound`, `x_state`. */
export function granuleRows<C extends HasState>(x: string, addr: (c: C) => bigint, state: GranuleState): Failure<C>[] {
  return [
    row<C>(`${x}_align`, (c) => !isAligned4K(addr(c)), INPUT),
    row<C>(`${x}_bound`, (c) => !inMemory(c.s, addr(c)), INPUT),
    row<C>(`${x}_state`, (c) => gstate(c.s, addr(c)) !== state, INPUT),
  ];
}

/** NS(p): `p_align`, `p_bound`, `p_pas` — the RMM reads or writes an NS granule the host passed. */
export function nsRows<C extends HasState>(p: string, addr: (c: C) => bigint): Failure<C>[] {
  return [
    row<C>(`${p}_align`, (c) => !isAligned4K(addr(c)), INPUT),
    row<C>(`${p}_bound`, (c) => !inMemory(c.s, addr(c)), INPUT),
    row<C>(`${p}_pas`, (c) => granuleAt(c.s, Number(addr(c))).pas !== 'NS', INPUT),
  ];
}
