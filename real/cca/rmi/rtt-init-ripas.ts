// RMI_RTT_INIT_RIPAS(rd, base, top) -> X1 = new top. While the realm is NEW, turns UNASSIGNED/EMPTY
// entries of one RTT into RAM (no splitting: each entry must fit below top), extending the RIM.
import { INPUT, REALM, rttError } from '../status';
import { arg, row } from '../command';
import type { RipasRules, RmiCommand } from '../spec';
import { granuleRows, isAligned4K } from '../checks';
import { MEASURE_TAG, extendMeasurement, setContent } from '../ops';
import { WalkResult, entriesBelow, levelSize, makeRtt, walk } from '../rtt';
import { RealState, rttOf } from '../state';
import { rdAt } from './rtt-common';

interface C { s: RealState; rd: bigint; base: bigint; top: bigint; init: RipasRules['init']; w?: WalkResult; done?: number }

const walked = (c: C) => (c.w ??= walk(c.s, rdAt(c), Number(c.base), 3));

/** How many consecutive entries from the walked one can become RAM. */
function progress(c: C): number {
  const w = walked(c);
  return (c.done ??= entriesBelow(rttOf(c.s, w.rtt), w, Number(c.base), Number(c.top), (e) => c.init(e) !== null));
}

export const RTT_INIT_RIPAS: RmiCommand<C> = {
  name: 'RTT_INIT_RIPAS',
  context: (s, x, _cpu, spec) => ({ s, rd: arg(x, 0), base: arg(x, 1), top: arg(x, 2), init: spec.ripas.init }),
  failures: [
    row('size_valid', (c) => c.top <= c.base, INPUT),
    ...granuleRows<C>('rd', (c) => c.rd, 'RD'),
    row('base_gran_align', (c) => !isAligned4K(c.base), INPUT),
    row('top_gran_align', (c) => !isAligned4K(c.top), INPUT),
    row('top_bound', (c) => c.top > 1n << BigInt(rdAt(c).ipaWidth - 1), INPUT),
    row('realm_state', (c) => rdAt(c).state !== 'NEW', REALM),
    row('base_align', (c) => Number(c.base) % levelSize(walked(c).level) !== 0, (c) => rttError(walked(c).level)),
    row('no_progress', (c) => progress(c) === 0, (c) => rttError(walked(c).level)),
  ],
  effect: (c) => {
    const w = walked(c);
    const n = progress(c);
    const size = levelSize(w.level);
    const t = rttOf(c.s, w.rtt);
    const entries = t.entries.slice();
    let rd = rdAt(c);
    for (let i = 0; i < n; i++) {
      const ipa = Number(c.base) + i * size;
      entries[w.index + i] = c.init(entries[w.index + i])!;
      rd = extendMeasurement(rd, 0, [MEASURE_TAG.RIPAS, BigInt(ipa), BigInt(ipa + size)]);
    }
    let s = setContent(c.s, w.rtt, makeRtt(t.level, entries));
    s = setContent(s, Number(c.rd), rd);
    return { state: s, x: [c.base + BigInt(n * size)] };
  },
};
