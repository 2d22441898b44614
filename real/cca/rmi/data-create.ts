// RMI_DATA_CREATE(rd, data, ipa, src, flags): copies 4 KB from the NS granule src into data and maps
// it at ipa (L3, ASSIGNED, RIPAS RAM). Only while the realm is NEW; extends the RIM.
import { INPUT, REALM, rttError } from '../status';
import { hashWords } from '../../../model/bits';
import { arg, row } from '../command';
import type { RmiCommand } from '../spec';
import { granuleRows, isAligned4K, nsRows } from '../checks';
import { MEASURE_TAG, addRefcount, claim, extendMeasurement, setContent } from '../ops';
import { ASSIGNED, WalkResult, walk, withEntry } from '../rtt';
import { RealState, Rd, contentWords, granuleAt, rttOf } from '../state';
import { rdAt } from './rtt-common';

export const NO_MEASURE = 0n;
export const MEASURE = 1n;

interface C { s: RealState; rd: bigint; data: bigint; ipa: bigint; src: bigint; flags: bigint; w?: WalkResult }

/** ipa_bound for the DATA commands: the IPA must be in the protected half (PAR). */
export const ipaOutsidePar = (rd: Rd, ipa: bigint): boolean => ipa >= BigInt(2 ** (rd.ipaWidth - 1));
export const walkL3 = <T extends { s: RealState; rd: bigint; ipa: bigint; w?: WalkResult }>(c: T): WalkResult =>
  (c.w ??= walk(c.s, rdAt(c), Number(c.ipa), 3));

/** The rows every DATA_CREATE* shares after the realm checks (spec order; ipa_bound < rtt_walk is Ordered). */
export function mapRows<T extends { s: RealState; rd: bigint; data: bigint; ipa: bigint; w?: WalkResult }>() {
  return [
    row<T>('ipa_bound', (c) => ipaOutsidePar(rdAt(c), c.ipa), INPUT),
    row<T>('ipa_align', (c) => !isAligned4K(c.ipa), INPUT),
    // Without the realm's LPA2 a PA is below 2^48 (the model's PA range always is; kept for fidelity).
    row<T>('data_bound2', (c) => c.data >= 1n << (rdAt(c).features.lpa2 ? 52n : 48n), INPUT),
    row<T>('rtt_walk', (c) => walkL3(c).level < 3, (c) => rttError(walkL3(c).level)),
    row<T>('rtte_state', (c) => walkL3(c).entry.hipas !== 'UNASSIGNED', rttError(3)),
  ];
}

/** Maps `data` at the walked L3 entry and counts the new live entry. */
export function mapData(s: RealState, w: WalkResult, data: number, ripas: 'EMPTY' | 'RAM' | 'DESTROYED'): RealState {
  s = setContent(s, w.rtt, withEntry(rttOf(s, w.rtt), w.index, ASSIGNED(data, ripas)));
  return addRefcount(s, w.rtt, 1);
}

export const DATA_CREATE: RmiCommand<C> = {
  name: 'DATA_CREATE',
  context: (s, x) => ({ s, rd: arg(x, 0), data: arg(x, 1), ipa: arg(x, 2), src: arg(x, 3), flags: arg(x, 4) }),
  failures: [
    row('flags_valid', (c) => c.flags !== NO_MEASURE && c.flags !== MEASURE, INPUT),
    ...nsRows<C>('src', (c) => c.src),
    ...granuleRows<C>('data', (c) => c.data, 'DELEGATED'),
    ...granuleRows<C>('rd', (c) => c.rd, 'RD'),
    row('realm_state', (c) => rdAt(c).state !== 'NEW', REALM),
    ...mapRows<C>(),
  ],
  effect: (c) => {
    const w = walkL3(c);
    const words = contentWords(granuleAt(c.s, Number(c.src)).content);
    let s = claim(c.s, Number(c.data), 'DATA', { kind: 'words', words });
    s = mapData(s, w, Number(c.data), 'RAM');
    // The measured content is the 4 KB itself: hash the (sparse) words in address order, not in the
    // Map's insertion order (which records how the host happened to write them).
    const content = c.flags === MEASURE ? [...words].sort(([a], [b]) => a - b).flatMap(([k, v]) => [BigInt(k), v]) : [];
    const rd = extendMeasurement(rdAt(c), 0, [MEASURE_TAG.DATA, c.ipa, c.flags, hashWords(0n, content)]);
    return { state: setContent(s, Number(c.rd), rd) };
  },
};
