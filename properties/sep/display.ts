// Plain-JSON views of both machines for viewers (`replay --html`): what a reader compares, in hex.

import { ptoArray } from '../../model/pvec';
import type { VCore } from '../../real/sep/arch';
import type { RealState } from '../../real/sep/state';
import { IdealState, guestMaps } from '../../ideal/sep/machine';

const h = (v: bigint) => '0x' + v.toString(16);
const core = (c: VCore) => (c.on ? { on: true, el: c.el, pc: h(c.pc), x0_7: c.x.slice(0, 8).map(h), esr_el1: h(c.sys.esr_el1), far_el1: h(c.sys.far_el1), lr: c.lr } : { on: false });

export function displayReal(r: RealState): unknown {
  return {
    bootFail: r.bootFail,
    cores: r.cores.map((c, i) => ({ core: i, guest: r.layout.guestOf[i], ...core(c), ...(c.on ? { vi: c.vi, s2on: c.s2on } : {}) })),
    memory: Object.fromEntries(ptoArray(r.mem).map((p, pa) => [`pa ${pa}`, p.map(h)])),
    cache: r.cache ? Object.fromEntries([...r.cache].map(([pa, p]) => [`pa ${pa}`, p.map(h)])) : null,
    mbox: r.mbox, pow: r.pow, sgi: r.sgi,
    spi: r.spi, gcpy: r.gcpy.map((g) => ({ ...g, sgir: h(g.sgir) })),
    devices: r.devs.map((d) => d.map(h)),
  };
}

export function displayIdeal(i: IdealState): unknown {
  return {
    guests: i.guests.map((x, g) => ({
      guest: g,
      cores: x.cores.map(core),
      memory: Object.fromEntries(ptoArray(x.mem).map((p, s) => [`ipa page ${guestMaps(i.cfg)[g].slotIpa[s]}`, p.map(h)])),
      gic: { ...x.gic, sgir: h(x.gic.sgir) },
      devices: Object.fromEntries(Object.entries(x.devs).map(([d, w]) => [`device ${d}`, w.map(h)])),
    })),
    notifications: i.igc,
  };
}
