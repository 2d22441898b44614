// RMI_RTT_FOLD(rd, ipa, level) -> X1 = PA of the folded RTT. A homogeneous level-`level` table is
// replaced by one entry in its parent (§5): an unassigned entry, or a contiguous block.
import { rttError } from '../status';
import { arg, row } from '../command';
import type { RmiCommand, Spec } from '../spec';
import { granuleRows } from '../checks';
import { addRefcount, release, setContent } from '../ops';
import { FoldResult, isLive, withEntry } from '../rtt';
import { rttOf } from '../state';
import { RttCtx, lvl, structureRows, walkTo } from './rtt-common';

interface C extends RttCtx { fold: Spec['fold']; folded?: FoldResult }

const parent = (c: C) => walkTo(c, lvl(c) - 1);
const folded = (c: C) => (c.folded ??= c.fold(rttOf(c.s, parent(c).entry.addr), lvl(c)));

export const RTT_FOLD: RmiCommand<C> = {
  name: 'RTT_FOLD',
  context: (s, x, _cpu, spec) => ({ s, rd: arg(x, 0), ipa: arg(x, 1), level: arg(x, 2), fold: spec.fold }),
  failures: [
    ...granuleRows<C>('rd', (c) => c.rd, 'RD'),
    structureRows.level_bound,
    structureRows.ipa_align,
    structureRows.ipa_bound,
    row('rtt_walk', (c) => parent(c).level < lvl(c) - 1, (c) => rttError(parent(c).level)),
    row('rtte_state', (c) => parent(c).entry.hipas !== 'TABLE', (c) => rttError(lvl(c) - 1)),
    // Mixed content → RTT(level); a homogeneous block that would land at level 0 → RTT(level-1) [T].
    row('rtt_homogeneous', (c) => !folded(c).ok, (c) => { const f = folded(c); return rttError(f.ok ? lvl(c) : f.level); }),
  ],
  effect: (c, spec) => {
    const w = parent(c);
    const f = folded(c);
    if (!f.ok) return { state: c.s }; // unreachable: the row above rejects it
    let s = setContent(c.s, w.rtt, withEntry(rttOf(c.s, w.rtt), w.index, f.entry));
    if (!isLive(f.entry)) s = addRefcount(s, w.rtt, -1);
    s = release(s, w.entry.addr, spec);
    return { state: s, x: [BigInt(w.entry.addr)] };
  },
};
