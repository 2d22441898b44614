// P4, the implementation invariants (reference A.7, HASPOC's implementation invariant), on the real state:
// stage-2 and SMMU tables equal their golden images (computed here, independently of the specification's
// builder, from the configuration); incoming channel pages read-only; hypervisor memory mapped nowhere;
// the golden GIC mask (an IRQ of g enabled only when g enabled it, targeted only at cores of g);
// cross-guest SGIs only id 15, along the channel policy, with the mailbox set; mbox = 1 only for a
// channel; stage 2 on whenever a guest runs; VI ⇔ a pending list register; list-register states valid.
// Incremental: each group runs only when the objects it reads changed.

import type { Violation } from '../../model/system';
import { lrPending } from '../../real/sep/arch';
import type { Cfg } from '../../real/sep/config';
import type { RealState, S2Entry, S2Map } from '../../real/sep/state';

/** The golden images as A.2 states them (an independent statement, not the spec's builder). */
export function expectedGolden(c: Cfg): { s2: Map<number, S2Entry>[]; smmu: (Map<number, S2Entry> | null)[] } {
  const s2 = c.guests.map((g, gi) => {
    const m = new Map<number, S2Entry>();
    g.ram.forEach((r) => { for (let k = 0; k < r.pages; k++) m.set(r.ipa + k, { kind: 'ram', pa: r.pa + k, w: true, x: true, cacheable: true }); });
    c.channels.filter((s) => s.from === gi).forEach((s) => m.set(s.aSend, { kind: 'ram', pa: s.pa, w: true, x: false, cacheable: true }));
    c.channels.filter((s) => s.to === gi).forEach((s) => m.set(s.aRecv, { kind: 'ram', pa: s.pa, w: false, x: false, cacheable: true }));
    c.devices.forEach((d, j) => d.owner === gi && m.set(d.ipa, { kind: 'dev', pa: j, w: true, x: false, cacheable: false }));
    [0, 1].forEach((k) => m.set(g.gicc + k, { kind: 'gicc', pa: k, w: true, x: false, cacheable: false }));
    return m;
  });
  const smmu = c.devices.map((d) => (d.dma ? new Map([...s2[d.owner]].filter(([, e]) => e.kind === 'ram')) : null));
  return { s2, smmu };
}

const sameEntry = (a: S2Entry, b: S2Entry) => a.kind === b.kind && a.pa === b.pa && a.w === b.w && a.x === b.x && a.cacheable === b.cacheable;
const entryText = (e: S2Entry | undefined) => (e ? `${e.kind} ${e.pa} ${e.w ? 'rw' : 'ro'}${e.x ? 'x' : ''}${e.cacheable ? '' : ' uncached'}` : 'unmapped');

function mapDiff(out: Violation[], what: string, real: S2Map | null, gold: S2Map | null): void {
  if (!real || !gold) {
    if (real !== gold) out.push({ property: 'P4', component: what, detail: `real ${real ? 'a map' : 'none'}, golden ${gold ? 'a map' : 'none'}` });
    return;
  }
  for (const ipa of new Set([...real.keys(), ...gold.keys()])) {
    const a = real.get(ipa), b = gold.get(ipa);
    if (!a || !b || !sameEntry(a, b)) { out.push({ property: 'P4', component: `${what} ipa page ${ipa}`, detail: `real ${entryText(a)}, golden ${entryText(b)}` }); return; }
  }
}

type Golden = ReturnType<typeof expectedGolden>;
const golds = new WeakMap<Cfg, Golden>();
/** The tables' verdict per boot image: every run of a configuration starts from the same one. */
const tableChecks = new WeakMap<RealState['s2'], { readonly smmu: RealState['smmu']; readonly cfg: Cfg; readonly out: readonly Violation[] }>();

export class Invariants {
  private prev?: RealState;
  private readonly gold: Golden;
  constructor(private readonly cfg: Cfg) {
    let g = golds.get(cfg);
    if (!g) golds.set(cfg, (g = expectedGolden(cfg)));
    this.gold = g;
  }

  private s2?: RealState['s2'];
  private smmu?: RealState['smmu'];

  /** The boot-time part: the tables against the golden images (run once per new table object). */
  tables(r: RealState): Violation[] {
    const out: Violation[] = [];
    if (r.s2 === this.s2 && r.smmu === this.smmu) return out;
    this.s2 = r.s2;
    this.smmu = r.smmu;
    const known = tableChecks.get(r.s2);
    if (known && known.smmu === r.smmu && known.cfg === this.cfg) return [...known.out];
    this.tableCheck(out, r);
    tableChecks.set(r.s2, { smmu: r.smmu, cfg: this.cfg, out: [...out] });
    return out;
  }

  private tableCheck(out: Violation[], r: RealState): void {
    const c = this.cfg;
    r.s2.forEach((m, g) => mapDiff(out, `s2[guest ${g}]`, m, this.gold.s2[g]));
    r.smmu.forEach((m, d) => mapDiff(out, `smmu[device ${d}]`, m, this.gold.smmu[d]));
    const hv = (pa: number) => pa >= c.hypervisor.pa && pa < c.hypervisor.pa + c.hypervisor.pages;
    const maps: [string, S2Map | null][] = [...r.s2.map((m, g): [string, S2Map] => [`s2[guest ${g}]`, m]), ...r.smmu.map((m, d): [string, S2Map | null] => [`smmu[device ${d}]`, m])];
    for (const [what, m] of maps) for (const [ipa, e] of m ?? []) if (e.kind === 'ram' && hv(e.pa)) out.push({ property: 'P4', component: `${what} ipa page ${ipa}`, detail: `maps hypervisor memory (pa ${e.pa})` });
    c.channels.forEach((s, i) => {
      const e = r.s2[s.to]?.get(s.aRecv);
      if (e?.w) out.push({ property: 'P4', component: `s2[guest ${s.to}] incoming page ${s.aRecv} of channel ${i}`, detail: 'writable' });
    });
  }

  check(r: RealState): Violation[] {
    const out: Violation[] = [];
    const p = this.prev;
    const L = r.layout;
    out.push(...this.tables(r));
    if (!p || r.cores !== p.cores) {
      r.cores.forEach((k, c) => {
        if (p && k === p.cores[c]) return;
        if (k.on && !k.s2on) out.push({ property: 'P4', component: `core ${c}`, detail: 'stage 2 is off while the guest runs' });
        if (k.on && k.vi !== lrPending(k.lr)) out.push({ property: 'P4', component: `core ${c} HCR_EL2.VI`, detail: `VI ${k.vi} but ${lrPending(k.lr) ? 'a' : 'no'} list register is pending` });
        for (const id in k.lr) if (!['P', 'A', 'AP'].includes(k.lr[id])) out.push({ property: 'P4', component: `core ${c} LR ${id}`, detail: `state ${k.lr[id]}` });
      });
    }
    if (!p || r.spi !== p.spi || r.gcpy !== p.gcpy) {
      for (const [q, o] of L.irqOwner) {
        const s = r.spi[q];
        const mine = L.coresOf[o].reduce((m, c) => m | (1 << c), 0);
        if (s.tgt & ~mine) out.push({ property: 'P4', component: `GIC mask IRQ ${q} (guest ${o})`, detail: `targets physical cores ${s.tgt.toString(2)}, guest ${o} owns ${mine.toString(2)}` });
        if (s.en && !(r.gcpy[o].ctlr && r.gcpy[o].en[q])) out.push({ property: 'P4', component: `GIC mask IRQ ${q} (guest ${o})`, detail: 'enabled physically but not by its owner' });
      }
    }
    if (!p || r.sgi !== p.sgi || r.mbox !== p.mbox) {
      const n = L.nGuests;
      for (const q of r.sgi) {
        const a = L.guestOf[q.src], b = L.guestOf[q.dst];
        if (a === b) continue;
        const ch = a >= 0 && b >= 0 ? L.chan[a * n + b] : -1;
        if (q.id !== 15 || ch < 0 || r.mbox[a * n + b] !== 1) out.push({ property: 'P4', component: `SGI ${q.id} core ${q.src} → core ${q.dst}`, detail: `a cross-guest SGI ${q.id !== 15 ? 'other than 15' : ch < 0 ? 'outside the channel policy' : 'without its mailbox set'}` });
      }
      r.mbox.forEach((m, i) => { if (m && L.chan[i] < 0) out.push({ property: 'P4', component: `mbox[${Math.floor(i / n)}][${i % n}]`, detail: 'set, but there is no such channel' }); });
    }
    this.prev = r;
    return out;
  }
}
