// The golden stage-2 and SMMU images (reference A.2), built once at boot and never written afterwards.
// s2[g]: every IPA page of A_g except the GICD page → θ_g: RAM read/write/execute, the outgoing channel
// page read/write, the incoming one read-only, peripherals read/write (device memory, never executable),
// the two GICC pages → the virtual CPU interface. Channel pages are data only: not executable [D].
// smmu[p] (a DMA device): the owner's map minus the GIC and every peripheral page, incoming pages RO.

import type { Cfg } from './config';
import type { Layout } from './layout';
import type { Golden, S2Entry, S2Map } from './state';

export const ramEntry = (pa: number): S2Entry => ({ kind: 'ram', pa, w: true, x: true, cacheable: true });

export function buildGolden(c: Cfg, _l: Layout): Golden {
  const s2 = c.guests.map((g, i) => {
    const m = new Map<number, S2Entry>();
    for (const r of g.ram) for (let k = 0; k < r.pages; k++) m.set(r.ipa + k, ramEntry(r.pa + k));
    for (const s of c.channels) {
      if (s.from === i) m.set(s.aSend, { kind: 'ram', pa: s.pa, w: true, x: false, cacheable: true });
      if (s.to === i) m.set(s.aRecv, { kind: 'ram', pa: s.pa, w: false, x: false, cacheable: true });
    }
    c.devices.forEach((d, j) => { if (d.owner === i) m.set(d.ipa, { kind: 'dev', pa: j, w: true, x: false, cacheable: false }); });
    m.set(g.gicc, { kind: 'gicc', pa: 0, w: true, x: false, cacheable: false });
    m.set(g.gicc + 1, { kind: 'gicc', pa: 1, w: true, x: false, cacheable: false });
    return m as S2Map;
  });
  const smmu = c.devices.map((d) => {
    if (!d.dma) return null;
    const m = new Map<number, S2Entry>();
    for (const [ipa, e] of s2[d.owner]) if (e.kind === 'ram') m.set(ipa, e);
    return m as S2Map;
  });
  return { s2, smmu };
}
