// RMI_RTT_SET_RIPAS(rd, rec, base, top) -> X1 = new top. Applies, one RTT at a time, the RIPAS change
// the REC requested (RSI_IPA_STATE_SET). DESTROYED changes only with the realm's CHANGE_DESTROYED
// consent. Any realm state.
import { INPUT, REC, rttError } from '../status';
import { arg, row } from '../command';
import type { RipasRules, RmiCommand } from '../spec';
import { granuleRows, isAligned4K } from '../checks';
import { setContent } from '../ops';
import { WalkResult, entriesBelow, levelSize, makeRtt, walk } from '../rtt';
import { RealState, Rec, recOf, rttOf } from '../state';
import { rdAt } from './rtt-common';

interface C { s: RealState; rd: bigint; rec: bigint; base: bigint; top: bigint; apply: RipasRules['set']; w?: WalkResult; done?: number }

const recAt = (c: C): Rec => recOf(c.s, Number(c.rec));
const walked = (c: C) => (c.w ??= walk(c.s, rdAt(c), Number(c.base), 3));

/** Spec.ripas.set (faithful: ../ripas.ts applyRipas). */
export { applyRipas } from '../ripas';

function progress(c: C): number {
  const w = walked(c);
  return (c.done ??= entriesBelow(rttOf(c.s, w.rtt), w, Number(c.base), Number(c.top), (e) => c.apply(e, recAt(c)) !== null));
}

export const RTT_SET_RIPAS: RmiCommand<C> = {
  name: 'RTT_SET_RIPAS',
  context: (s, x, _cpu, spec) => ({ s, rd: arg(x, 0), rec: arg(x, 1), base: arg(x, 2), top: arg(x, 3), apply: spec.ripas.set }),
  failures: [
    row('size_valid', (c) => c.top <= c.base, INPUT),
    ...granuleRows<C>('rd', (c) => c.rd, 'RD'),
    ...granuleRows<C>('rec', (c) => c.rec, 'REC'),
    // Named apart from G(rec)'s `rec_state` (granule state ≠ REC, ERROR_INPUT) so the two rows can be told apart.
    row('rec_running', (c) => recAt(c).state === 'RUNNING', REC),
    row('rec_owner', (c) => BigInt(recAt(c).owner) !== c.rd, REC),
    row('base_bound', (c) => c.base !== BigInt(recAt(c).ripasAddr), INPUT),
    row('top_bound', (c) => c.top > BigInt(recAt(c).ripasTop), INPUT),
    row('top_gran_align', (c) => !isAligned4K(c.top), INPUT),
    row('base_align', (c) => Number(c.base) % levelSize(walked(c).level) !== 0, (c) => rttError(walked(c).level)),
    row('no_progress', (c) => progress(c) === 0, (c) => rttError(walked(c).level)),
  ],
  effect: (c) => {
    const w = walked(c);
    const n = progress(c);
    const rec = recAt(c);
    const t = rttOf(c.s, w.rtt);
    const entries = t.entries.slice();
    for (let i = 0; i < n; i++) entries[w.index + i] = c.apply(entries[w.index + i], rec)!;
    const newTop = Number(c.base) + n * levelSize(w.level);
    let s = setContent(c.s, w.rtt, makeRtt(t.level, entries));
    s = setContent(s, Number(c.rec), { ...rec, ripasAddr: newTop });
    return { state: s, x: [BigInt(newTop)] };
  },
};
