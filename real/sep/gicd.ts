// A.4.4 GICD emulation [H]: a 32-bit, syndrome-valid access to the guest's GICD page traps; the
// hypervisor shows the guest its own interrupts only (own = the IRQs of its peripherals ∪ its incoming
// channel virqs) and applies writes to those only. Foreign bits read as 0 and writes to them are ignored.
// Physical target masks are translated between physical core ids and the guest's core ids.

import { GicdCtx, GicdName, GicdReg } from './spec';
import { IIDR_VALUE, PRIORITY, fieldOf, pack, typerOf } from './gicv2';
import type { GCopy, RealState, Spi } from './state';
import { withState } from './state';

const gc = (x: GicdCtx): GCopy => x.s.gcpy[x.g];
const own = (x: GicdCtx, id: number) => x.s.layout.ownSet[x.g].has(id);
const periph = (x: GicdCtx, id: number) => x.s.layout.periph[x.g].has(id);

export function setCopy(s: RealState, g: number, c: GCopy): RealState {
  const gcpy = s.gcpy.slice();
  gcpy[g] = c;
  return withState(s, { gcpy });
}
export function setSpis(s: RealState, changes: Record<number, Spi>): RealState {
  return Object.keys(changes).length ? withState(s, { spi: { ...s.spi, ...changes } }) : s;
}

/** Physical target mask → the guest's core mask (foreign cores hidden). */
export function physToGuest(s: RealState, g: number, mask: number): number {
  let m = 0;
  s.layout.coresOf[g].forEach((c, k) => { if (mask & (1 << c)) m |= 1 << k; });
  return m;
}
/** The guest's core mask → physical mask, own cores only (bits ≥ the guest's core count dropped). */
export function guestToPhys(s: RealState, g: number, mask: number): number {
  let m = 0;
  s.layout.coresOf[g].forEach((c, k) => { if (mask & (1 << k)) m |= 1 << c; });
  return m;
}

/** Set/clear-enable: the copy's bits, and the physical enable = CTLR ∧ bit for own peripheral IRQs. */
function enable(name: GicdName, set: boolean): GicdReg {
  return {
    read: (x) => pack(name, x.n, (id) => (own(x, id) && gc(x).en[id] ? 1 : 0), x.s.layout.own[x.g]),
    write: (x) => {
      const c = gc(x);
      const en = { ...c.en };
      const spis: Record<number, Spi> = {};
      for (const id of x.s.layout.own[x.g]) {
        if (fieldOf(name, x.n, x.value, id) !== 1) continue;
        en[id] = set;
        if (periph(x, id)) spis[id] = { ...x.s.spi[id], en: set && c.ctlr };
      }
      return setSpis(setCopy(x.s, x.g, { ...c, en }), spis);
    },
  };
}

/** Set/clear-pending and -active: the physical GIC state of own peripheral IRQs (virqs read 0). */
function physBit(name: GicdName, field: 'pend' | 'act', set: boolean): GicdReg {
  return {
    read: (x) => pack(name, x.n, (id) => (periph(x, id) && x.s.spi[id][field] ? 1 : 0), x.s.layout.own[x.g]),
    write: (x) => {
      const spis: Record<number, Spi> = {};
      for (const id of x.s.layout.periph[x.g]) if (fieldOf(name, x.n, x.value, id) === 1) spis[id] = { ...x.s.spi[id], [field]: set };
      return setSpis(x.s, spis);
    },
  };
}

const ignored = (v: (x: GicdCtx) => bigint): GicdReg => ({ read: v, write: (x) => x.s });
const aborts: GicdReg = { read: () => 'abort', write: () => 'abort' };

const SGIR_FAITHFUL = (): GicdReg => sgir(sgiTargetsFaithful);

export const GICD_FAITHFUL: Readonly<Record<GicdName, GicdReg>> = {
  CTLR: {
    read: (x) => (gc(x).ctlr ? 1n : 0n),
    write: (x) => {
      const c = gc(x);
      const ctlr = (x.value & 1n) === 1n;
      const spis: Record<number, Spi> = {};
      for (const id of x.s.layout.periph[x.g]) spis[id] = { ...x.s.spi[id], en: ctlr && !!c.en[id] };
      return setSpis(setCopy(x.s, x.g, { ...c, ctlr }), spis);
    },
  },
  TYPER: ignored((x) => typerOf(x.s.layout.coresOf[x.g].length)),
  IIDR: ignored(() => IIDR_VALUE),
  IGROUPR: aborts,
  NSACR: aborts,
  ISENABLER: enable('ISENABLER', true),
  ICENABLER: enable('ICENABLER', false),
  ISPENDR: physBit('ISPENDR', 'pend', true),
  ICPENDR: physBit('ICPENDR', 'pend', false),
  ISACTIVER: physBit('ISACTIVER', 'act', true),
  ICACTIVER: physBit('ICACTIVER', 'act', false),
  IPRIORITYR: ignored((x) => pack('IPRIORITYR', x.n, (id) => (own(x, id) ? PRIORITY : 0), x.s.layout.own[x.g])),
  ITARGETSR: {
    read: (x) => pack('ITARGETSR', x.n, (id) =>
      periph(x, id) ? physToGuest(x.s, x.g, x.s.spi[id].tgt) : own(x, id) ? gc(x).vtgt[id] ?? 0 : 0, x.s.layout.own[x.g]),
    write: (x) => {
      const c = gc(x);
      const spis: Record<number, Spi> = {};
      let vtgt = c.vtgt;
      const all = (1 << x.s.layout.coresOf[x.g].length) - 1;
      for (const id of x.s.layout.own[x.g]) {
        const f = fieldOf('ITARGETSR', x.n, x.value, id);
        if (f < 0) continue;
        if (periph(x, id)) spis[id] = { ...x.s.spi[id], tgt: guestToPhys(x.s, x.g, f) };
        else vtgt = { ...vtgt, [id]: f & all };
      }
      const s = vtgt === c.vtgt ? x.s : setCopy(x.s, x.g, { ...c, vtgt });
      return setSpis(s, spis);
    },
  },
  ICFGR: {
    // Int_config bit 1 of each field (edge/level) is kept; bit 0 is reserved for SPIs (RES0).
    read: (x) => pack('ICFGR', x.n, (id) => (own(x, id) ? gc(x).cfg[id] ?? 0 : 0), x.s.layout.own[x.g]),
    write: (x) => {
      const c = gc(x);
      let cfg = c.cfg;
      for (const id of x.s.layout.own[x.g]) {
        const f = fieldOf('ICFGR', x.n, x.value, id);
        if (f >= 0) cfg = { ...cfg, [id]: f & 2 };
      }
      return cfg === c.cfg ? x.s : setCopy(x.s, x.g, { ...c, cfg });
    },
  },
  SGIR: SGIR_FAITHFUL(),
  RESERVED: ignored(() => 0n),
};

/** SGIR: a write sends SGI `id` from the caller's core to each target; a read shows the last write. */
export function sgir(targets: (x: GicdCtx) => number[]): GicdReg {
  return {
    read: (x) => gc(x).sgir, // the reference: "last write" (GICv2 makes SGIR write-only)
    write: (x) => {
      const id = Number(x.value & 0xfn);
      let sgi = x.s.sgi;
      for (const t of targets(x)) {
        if (!sgi.some((q) => q.src === x.c && q.dst === t && q.id === id)) sgi = [...sgi, { src: x.c, dst: t, id }];
      }
      return { ...setCopy(x.s, x.g, { ...gc(x), sgir: x.value }), sgi };
    },
  };
}

/**
 * SGIR targets (GICv2 GICD_SGIR: TargetListFilter [25:24], CPUTargetList [23:16]): 0 = the listed
 * guest cores, 1 = every own core but the caller, 2 = the caller, 3 = reserved (none). Guest core ids
 * are translated to physical ones; only own cores can be named.
 */
export function sgiTargetsFaithful(x: GicdCtx): number[] {
  const cores = x.s.layout.coresOf[x.g];
  const filter = Number((x.value >> 24n) & 3n);
  const list = Number((x.value >> 16n) & 0xffn);
  if (filter === 0) return cores.filter((_, k) => list & (1 << k));
  if (filter === 1) return cores.filter((c) => c !== x.c);
  if (filter === 2) return [x.c];
  return [];
}
