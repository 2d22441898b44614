// The invariants on unprotected mappings and blocks (properties/cca/invariants.ts: ns-entries,
// block-aligned), on hand-corrupted states of the standard world; the faithful world satisfies them.

import { describe, expect, test } from 'vitest';
import { RealState, Rtt, RttEntry, granuleAt, withGranule } from '../../../real/cca/state';
import { checkInvariants } from '../../../properties/cca/invariants';
import { ATTR_RW, L3, NS_L2, NS_L3, world } from '../realm/helpers';

function withEntry(s: RealState, rtt: number, i: number, f: (e: RttEntry) => RttEntry): RealState {
  const g = granuleAt(s, rtt);
  const t = g.content as Rtt;
  const entries = t.entries.slice();
  entries[i] = f(entries[i]);
  return withGranule(s, rtt, { ...g, content: { ...t, entries } });
}
const found = (s: RealState) => checkInvariants(s).map((v) => `${v.invariant} ${v.component}: ${v.message}`);

describe('unprotected mappings keep only what the host gave; blocks are aligned', () => {
  const s = world().state;
  test('the standard world satisfies them', () => expect(found(s)).toEqual([]));
  test.each([
    ['an UNASSIGNED_NS entry with an output address', NS_L3, 3, (e: RttEntry) => ({ ...e, addr: 0x5000 }), 'ns-entries realm 0x1000 ipa 0x80003000 level 3: UNASSIGNED_NS entry carries output address 0x5000 / attributes 0x0'],
    ['an UNASSIGNED entry with attributes', L3, 5, (e: RttEntry) => ({ ...e, attrs: 1n }), 'ns-entries realm 0x1000 ipa 0x5000 level 3: UNASSIGNED entry in RTT 0x4000 carries output address 0x0 / attributes 0x1'],
    ['an ASSIGNED_NS entry with a bit the host does not control', NS_L3, 1, (e: RttEntry) => ({ ...e, attrs: e.attrs | 2n }), 'ns-entries realm 0x1000 ipa 0x80001000 level 3: ASSIGNED_NS entry has attributes 0xd6: only MemAttr/S2AP, and not the reserved MemAttr, come from the host'],
    ['an ASSIGNED_NS entry with MemAttr bit 5 (not host-controlled with FEAT_S2FWB)', NS_L3, 1, (e: RttEntry) => ({ ...e, attrs: e.attrs | 0x20n }), 'ns-entries realm 0x1000 ipa 0x80001000 level 3: ASSIGNED_NS entry has attributes 0xf4: only MemAttr/S2AP, and not the reserved MemAttr, come from the host'],
    ['an ASSIGNED_NS entry with the reserved MemAttr', NS_L3, 1, () => ({ hipas: 'ASSIGNED_NS', ripas: 'EMPTY', addr: 0x14000, attrs: (4n << 2n) | (3n << 6n) }) as RttEntry, 'ns-entries realm 0x1000 ipa 0x80001000 level 3: ASSIGNED_NS entry has attributes 0xd0: only MemAttr/S2AP, and not the reserved MemAttr, come from the host'],
    ['an ASSIGNED_NS level-2 block at an unaligned output address', NS_L2, 1, () => ({ hipas: 'ASSIGNED_NS', ripas: 'EMPTY', addr: 0x1000, attrs: ATTR_RW }) as RttEntry, 'block-aligned realm 0x1000 ipa 0x80200000 level 2: ASSIGNED_NS level-2 entry maps 0x1000, not aligned to its size 0x200000'],
  ] as const)('%s', (_n, rtt, i, f, expected) => {
    expect(found(withEntry(s, rtt, i, f))).toEqual([expected]);
  });
});
