// The relation between the real and the ideal machine (reference A.6), checked after every step, and
// observation equality. Incremental: a component that is the same object as at the previous check in
// both machines still satisfies the relation (structural sharing), so only what changed is compared.
//   R1 cores: on/off agrees; while on: GPRs, PC, EL, EL1 system registers equal.
//   R2 memory: for every RAM page a of g: ideal m_g[a] = mem[θ_g(a)] (the coherent content).
//   R3 channels: m_to[aRecv] = m_from[aSend] = mem[pa].
//   R4 interrupts: list registers equal; the ideal distributor = the real one filtered to own(g) (+ gcpy);
//      intra-guest SGIs equal.
//   R5 notifications: ideal pend(s) ⇔ mbox[from][to] = 1, and a pending one is an SGI 15 in flight from
//      the requesting core to the target core; no other cross-guest SGI exists.

import { pdiff, pget } from '../../model/pvec';
import type { Violation } from '../../model/system';
import { SYSREGS, type LR, type VCore } from '../../real/sep/arch';
import type { Obs } from '../../real/sep/actions';
import type { Cfg } from '../../real/sep/config';
import type { RealState, Words } from '../../real/sep/state';
import { IdealState, guestMaps, slotOf } from '../../ideal/sep/machine';

const hx = (v: bigint) => '0x' + v.toString(16);

export function compareObs(real: Obs, ideal: Obs): Violation | null {
  if (real.g === ideal.g && sameEv(real.ev, ideal.ev)) return null;
  return { property: 'Observation', component: `guest ${real.g >= 0 ? real.g : ideal.g} ${real.label}`, detail: `real ${evText(real)} vs ideal ${evText(ideal)}` };
}
function sameEv(a: Obs['ev'], b: Obs['ev']): boolean {
  if (a.k !== b.k) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  for (const k in x) if (x[k] !== y[k]) return false;
  return true;
}
export function evText(o: Obs): string {
  const e = o.ev;
  const g = o.g >= 0 ? `guest ${o.g} ` : '';
  switch (e.k) {
    case 'none': return 'nothing';
    case 'step': return `${g}step`;
    case 'value': return `${g}value ${hx(e.v)}`;
    case 'exc': return `${g}exception esr ${hx(e.esr)} far ${hx(e.far)} pc ${hx(e.pc)}`;
    case 'irq': return `${g}interrupt ${e.virq} delivered`;
    case 'virq': return `${g}virtual IRQ taken, pc ${hx(e.pc)}`;
    case 'dmafault': return `${g}DMA fault`;
  }
}

/** Reverse map: PA page → the (guest, memory slot) pairs the ideal holds for it. */
function paSlots(cfg: Cfg): Map<number, [number, number][]> {
  const m = new Map<number, [number, number][]>();
  const add = (pa: number, g: number, ipa: number) => { const l = m.get(pa) ?? []; l.push([g, slotOf(cfg, g, ipa)]); m.set(pa, l); };
  cfg.guests.forEach((g, gi) => { for (const r of g.ram) for (let k = 0; k < r.pages; k++) add(r.pa + k, gi, r.ipa + k); });
  for (const s of cfg.channels) { add(s.pa, s.from, s.aSend); add(s.pa, s.to, s.aRecv); }
  return m;
}

const coherent = (r: RealState, pa: number): Words => r.cache?.get(pa) ?? pget(r.mem, pa);

/** Per configuration: PA page -> (guest, slot) pairs, and per guest slot -> PA page. */
const slotMaps = new WeakMap<Cfg, { readonly slots: Map<number, [number, number][]>; readonly slotPa: number[][] }>();
/** The first check of a run, per initial pair: the machines keep their initial states per configuration. */
const firstChecks = new WeakMap<RealState, { readonly i: IdealState; readonly out: readonly Violation[] }>();

export class Relation {
  private r?: RealState;
  private i?: IdealState;
  private readonly slots: Map<number, [number, number][]>;
  private readonly slotPa: number[][];
  constructor(cfg: Cfg) {
    let m = slotMaps.get(cfg);
    if (!m) {
      const slots = paSlots(cfg);
      const slotPa: number[][] = cfg.guests.map(() => []);
      for (const [pa, l] of slots) for (const [g, s] of l) slotPa[g][s] = pa;
      slotMaps.set(cfg, (m = { slots, slotPa }));
    }
    this.slots = m.slots;
    this.slotPa = m.slotPa;
  }

  /** The whole relation on a run's initial pair (later checks look only at what changed). */
  start(r: RealState, i: IdealState): Violation[] {
    const known = firstChecks.get(r);
    if (known && known.i === i) {
      this.r = r;
      this.i = i;
      return [...known.out];
    }
    this.r = this.i = undefined; // a whole check, not one against an earlier pair
    const out = this.check(r, i);
    firstChecks.set(r, { i, out: [...out] });
    return out;
  }

  check(r: RealState, i: IdealState): Violation[] {
    const out: Violation[] = [];
    const pr = this.r, pi = this.i;
    // R1 (+ the list registers of R4)
    if (!pr || r.cores !== pr.cores || i.guests !== pi!.guests) {
      r.cores.forEach((c, p) => {
        const g = r.layout.guestOf[p], k = r.layout.local[p];
        const ic = i.guests[g]?.cores[k];
        if (pr && c === pr.cores[p] && ic === pi!.guests[g]?.cores[k]) return;
        if (ic) coreDiff(out, p, g, k, c, ic);
      });
    }
    // R2 / R3
    if (!pr || r.mem !== pr.mem || r.cache !== pr.cache || i.guests.some((x, g) => x.mem !== pi!.guests[g].mem)) {
      const pas = new Set<number>();
      if (!pr) for (const pa of this.slots.keys()) pas.add(pa);
      else {
        pdiff(pr.mem, r.mem, (pa) => pas.add(pa));
        if (r.cache !== pr.cache) { for (const pa of r.cache?.keys() ?? []) pas.add(pa); for (const pa of pr.cache?.keys() ?? []) pas.add(pa); }
        i.guests.forEach((x, g) => { if (x.mem !== pi!.guests[g].mem) pdiff(pi!.guests[g].mem, x.mem, (s) => pas.add(this.slotPa[g][s])); });
      }
      for (const pa of pas) {
        const real = coherent(r, pa);
        for (const [g, s] of this.slots.get(pa) ?? []) {
          const ideal = pget(i.guests[g].mem, s);
          if (ideal === real) continue;
          for (let w = 0; w < real.length; w++) {
            if (real[w] !== ideal[w]) {
              const ch = r.cfg.channels.findIndex((c) => c.pa === pa);
              out.push({ property: ch >= 0 ? 'R3' : 'R2', component: `guest ${g} ipa page ${guestMaps(r.cfg)[g].slotIpa[s]} (pa ${pa}) word ${w}`, detail: `real ${hx(real[w])}, ideal ${hx(ideal[w])}` });
              break;
            }
          }
        }
      }
    }
    // R4 distributor, R5 notifications
    if (!pr || r.spi !== pr.spi || r.gcpy !== pr.gcpy || r.sgi !== pr.sgi || r.mbox !== pr.mbox || i.igc !== pi!.igc || i.guests.some((x, g) => x.gic !== pi!.guests[g].gic)) {
      gicDiff(out, r, i);
    }
    this.r = r;
    this.i = i;
    return out;
  }
}

function coreDiff(out: Violation[], p: number, g: number, k: number, c: VCore, ic: VCore): void {
  const at = `core ${p} (guest ${g} core ${k})`;
  const v = (what: string, a: unknown, b: unknown): void => { out.push({ property: 'R1', component: `${at} ${what}`, detail: `real ${fmt(a)}, ideal ${fmt(b)}` }); };
  if (c.on !== ic.on) return v('on', c.on, ic.on);
  if (!c.on) return;
  if (c.el !== ic.el) return v('EL', c.el, ic.el);
  if (c.pc !== ic.pc) return v('pc', c.pc, ic.pc);
  for (let r = 0; r < c.x.length; r++) if (c.x[r] !== ic.x[r]) return v(`x${r}`, c.x[r], ic.x[r]);
  for (const s of SYSREGS) if (c.sys[s] !== ic.sys[s]) return v(s, c.sys[s], ic.sys[s]);
  if (!sameLr(c.lr, ic.lr)) out.push({ property: 'R4', component: `${at} list registers`, detail: `real ${lrText(c.lr)}, ideal ${lrText(ic.lr)}` });
}
const fmt = (a: unknown) => (typeof a === 'bigint' ? hx(a) : String(a));
function sameLr(a: LR, b: LR): boolean {
  if (a === b) return true;
  const ka = Object.keys(a), kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => a[Number(k)] === b[Number(k)]);
}
const lrText = (l: LR) => `{${Object.entries(l).map(([k, v]) => `${k}:${v}`).join(' ')}}` ;

function gicDiff(out: Violation[], r: RealState, i: IdealState): void {
  const L = r.layout;
  const v = (p: string, c: string, d: string) => out.push({ property: p, component: c, detail: d });
  i.guests.forEach((x, g) => {
    const G = x.gic, C = r.gcpy[g];
    if (G.ctlr !== C.ctlr) v('R4', `guest ${g} GICD_CTLR`, `real ${C.ctlr}, ideal ${G.ctlr}`);
    if (G.sgir !== C.sgir) v('R4', `guest ${g} GICD_SGIR`, `real ${hx(C.sgir)}, ideal ${hx(G.sgir)}`);
    for (const id of L.own[g]) {
      if (!!G.en[id] !== !!C.en[id]) v('R4', `guest ${g} IRQ ${id} enable`, `real ${!!C.en[id]}, ideal ${!!G.en[id]}`);
      if ((G.cfg[id] ?? 0) !== (C.cfg[id] ?? 0)) v('R4', `guest ${g} IRQ ${id} config`, `real ${C.cfg[id] ?? 0}, ideal ${G.cfg[id] ?? 0}`);
      if (L.periph[g].has(id)) {
        const q = r.spi[id];
        let m = 0;
        L.coresOf[g].forEach((pc, k) => { if (q.tgt & (1 << pc)) m |= 1 << k; });
        if ((G.tgt[id] ?? 0) !== m) v('R4', `guest ${g} IRQ ${id} targets`, `real ${m} (physical ${q.tgt}), ideal ${G.tgt[id] ?? 0}`);
        if (!!G.pend[id] !== q.pend) v('R4', `guest ${g} IRQ ${id} pending`, `real ${q.pend}, ideal ${!!G.pend[id]}`);
        if (!!G.act[id] !== q.act) v('R4', `guest ${g} IRQ ${id} active`, `real ${q.act}, ideal ${!!G.act[id]}`);
        if (q.en !== (G.ctlr && !!G.en[id])) v('R4', `guest ${g} IRQ ${id} physical enable`, `real ${q.en}, ideal CTLR ${G.ctlr} ∧ enable ${!!G.en[id]}`);
      } else if ((G.tgt[id] ?? 0) !== (C.vtgt[id] ?? 0)) v('R4', `guest ${g} virq ${id} targets`, `real ${C.vtgt[id] ?? 0}, ideal ${G.tgt[id] ?? 0}`);
    }
    // Intra-guest SGIs: the same set (both are duplicate-free); texts only when they differ.
    let n = 0, same = true;
    for (const q of r.sgi) {
      if (L.guestOf[q.src] !== g || L.guestOf[q.dst] !== g) continue;
      n++;
      if (same && !G.sgi.some((p) => p.src === L.local[q.src] && p.dst === L.local[q.dst] && p.id === q.id)) same = false;
    }
    if (!same || n !== G.sgi.length) {
      const mine = r.sgi.filter((q) => L.guestOf[q.src] === g && L.guestOf[q.dst] === g).map((q) => `${L.local[q.src]}>${L.local[q.dst]}#${q.id}`).sort();
      const ideal = G.sgi.map((q) => `${q.src}>${q.dst}#${q.id}`).sort();
      v('R4', `guest ${g} SGIs`, `real [${mine}], ideal [${ideal}]`);
    }
  });
  const n = L.nGuests;
  r.cfg.channels.forEach((s, c) => {
    const n1 = i.igc[c];
    const m = r.mbox[s.from * n + s.to] === 1;
    if (n1.pend !== m) return v('R5', `channel ${c} (${s.from}→${s.to})`, `real mbox ${m ? 1 : 0}, ideal pend ${n1.pend}`);
    if (!m) return;
    const src = L.coresOf[s.from][n1.src], dst = L.coresOf[s.to][n1.tgt];
    if (!r.sgi.some((q) => q.src === src && q.dst === dst && q.id === 15)) v('R5', `channel ${c} (${s.from}→${s.to})`, `ideal notification pending from core ${src} to core ${dst}, real SGI 15 not in flight`);
  });
  for (const q of r.sgi) {
    const a = L.guestOf[q.src], b = L.guestOf[q.dst];
    if (a === b) continue;
    const c = a >= 0 && b >= 0 ? L.chan[a * n + b] : -1;
    const ok = q.id === 15 && c >= 0 && i.igc[c].pend && L.coresOf[a][i.igc[c].src] === q.src && L.coresOf[b][i.igc[c].tgt] === q.dst;
    if (!ok) v('R5', `SGI ${q.id} from core ${q.src} (guest ${a}) to core ${q.dst} (guest ${b})`, 'a cross-guest SGI the ideal has no pending notification for');
  }
}
