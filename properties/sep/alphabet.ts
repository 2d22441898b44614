// A finite action alphabet for exhaustive small-scope runs (`explore --depth N`): per running core a few
// moves, channel-page and RAM accesses, both notification hypercalls, PSCI on/off, distributor writes
// that matter for isolation (enable, routing, SGIR) and the CPU interface; the interrupts pending now;
// a device raising its IRQ and a DMA write. The small scope is the two-guest configuration of
// examples/sep/two-guests.json with one word per page.

import type { Action, Instr } from '../../real/sep/actions';
import type { Cfg } from '../../real/sep/config';
import type { RealState } from '../../real/sep/state';
import type { IdealState } from '../../ideal/sep/machine';
import { ptoArray } from '../../model/pvec';

const G = (core: number, instr: Instr): Action => ({ kind: 'guest', core, instr });

export const SMALL_SCOPE: Partial<Cfg> = {
  cores: 3,
  wordsPerPage: 1,
  guests: [
    { cores: [0, 1], as: 4, ram: [{ ipa: 0, pa: 0, pages: 4 }], gicd: 8, gicc: 9, image: { ipa: 0, pages: 1 }, entry: 0 },
    { cores: [2], as: 4, ram: [{ ipa: 0, pa: 4, pages: 4 }], gicd: 8, gicc: 9, image: { ipa: 0, pages: 1 }, entry: 0 },
  ],
  devices: [{ owner: 0, ipa: 6, pa: 256, irqs: [32], dma: true }, { owner: 1, ipa: 6, pa: 257, irqs: [33], dma: false }],
  channels: [{ from: 0, to: 1, aSend: 4, aRecv: 4, pa: 12, virq: 48 }],
};

export function alphabet(c: Cfg, r: RealState): Action[] {
  const out: Action[] = [];
  r.cores.forEach((k, core) => {
    if (!k.on) return;
    const g = r.layout.guestOf[core];
    const gc = c.guests[g];
    const gicd = BigInt(gc.gicd) << 12n, gicc = BigInt(gc.gicc) << 12n;
    const chan = c.channels.find((s) => s.from === g || s.to === g);
    const shared = chan ? BigInt(chan.from === g ? chan.aSend : chan.aRecv) << 12n : 0n;
    out.push(
      G(core, { op: 'mov', rd: 1, value: 1n }), G(core, { op: 'mov', rd: 1, value: 0x00ff_000fn }),
      G(core, { op: 'store', ipa: shared, rt: 1 }), G(core, { op: 'load', ipa: shared, rt: 2 }), G(core, { op: 'load', ipa: 0n, rt: 2 }),
      G(core, { op: 'hvc', imm: 0 }), G(core, { op: 'hvc', imm: 1 }),
      G(core, { op: 'smc', imm: 0, args: [0xc4000003n, 1n, 0n, 0n] }), G(core, { op: 'smc', imm: 0, args: [0x84000002n] }),
      G(core, { op: 'store', ipa: gicd, rt: 1 }), G(core, { op: 'store', ipa: gicd | 0x104n, rt: 1 }),
      G(core, { op: 'store', ipa: gicd | 0x820n, rt: 1 }), G(core, { op: 'store', ipa: gicd | 0xf00n, rt: 1 }),
      G(core, { op: 'load', ipa: gicc | 0xcn, rt: 1 }), G(core, { op: 'store', ipa: gicc | 0x10n, rt: 1 }),
      { kind: 'virq', core },
    );
    for (const q of r.sgi) if (q.dst === core) out.push({ kind: 'irq', core, intid: q.id, src: q.src });
    for (const id in r.spi) { const q = r.spi[id]; if (q.pend && q.en && !q.act && q.tgt & (1 << core)) out.push({ kind: 'irq', core, intid: Number(id), src: 0 }); }
  });
  c.devices.forEach((d, dev) => {
    if (d.irqs.length) out.push({ kind: 'device', dev, op: 'raise', irq: d.irqs[0] });
    if (d.dma) out.push({ kind: 'dma', dev, write: true, ipa: BigInt(c.channels.find((s) => s.from === d.owner)?.aSend ?? 0) << 12n, value: 7n });
  });
  return out;
}

/** The state that matters for de-duplication (not the configuration or the boot-time tables). */
export const stateKey = (r: RealState, i: IdealState): string =>
  JSON.stringify([ptoArray(r.mem), [...(r.cache ?? [])], r.cores, r.spi, r.sgi, r.gcpy, r.mbox, r.pow, r.devs, i.guests.map((x) => ({ ...x, mem: ptoArray(x.mem) })), i.igc], hexed);

// bigints in hex; object keys sorted (records built in different orders are the same state).
function hexed(_k: string, v: unknown): unknown {
  if (typeof v === 'bigint') return '0x' + v.toString(16);
  if (v && typeof v === 'object' && !Array.isArray(v)) return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)));
  return v;
}
