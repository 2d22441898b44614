// Static facts derived once from a (valid) configuration, shared by both machines: who owns which core
// (γ, κ, π⁻¹), each guest's own interrupts, the channel policy. The configuration is common knowledge of
// the real and the ideal machine; the stage-2 and SMMU images are NOT here (the real machine builds them
// with its specification's golden-image builder, the ideal has no PA at all).

import type { Cfg } from './config';

export interface Layout {
  readonly cfg: Cfg;
  readonly nGuests: number;
  /** γ(c): the guest of physical core c (-1 when unassigned: only in an invalid configuration). */
  readonly guestOf: readonly number[];
  /** κ(c): the guest-local index of physical core c. */
  readonly local: readonly number[];
  /** π⁻¹(g, k): the physical core of guest g's k-th core. */
  readonly coresOf: readonly (readonly number[])[];
  /** IRQs of g's peripherals. */
  readonly periph: readonly ReadonlySet<number>[];
  /** g's incoming channel virqs. */
  readonly inVirq: readonly ReadonlySet<number>[];
  /** own(g) = peripheral IRQs ∪ incoming virqs, sorted. */
  readonly own: readonly (readonly number[])[];
  readonly ownSet: readonly ReadonlySet<number>[];
  /** The guest owning a peripheral IRQ. */
  readonly irqOwner: ReadonlyMap<number, number>;
  /** The channel from g to g' (index g * n + g'), or -1. */
  readonly chan: readonly number[];
  /** Guests reachable from g along the channel policy (cpol*), g included. */
  readonly reach: readonly ReadonlySet<number>[];
}

const cache = new WeakMap<Cfg, Layout>();

export function layoutOf(cfg: Cfg): Layout {
  const hit = cache.get(cfg);
  if (hit) return hit;
  const n = cfg.guests.length;
  const guestOf = new Array<number>(cfg.cores).fill(-1);
  const local = new Array<number>(cfg.cores).fill(0);
  cfg.guests.forEach((g, i) => g.cores.forEach((c, k) => { if (c < cfg.cores && guestOf[c] < 0) { guestOf[c] = i; local[c] = k; } }));
  const periph = cfg.guests.map((_, i) => new Set(cfg.devices.filter((d) => d.owner === i).flatMap((d) => d.irqs)));
  const inVirq = cfg.guests.map((_, i) => new Set(cfg.channels.filter((s) => s.to === i).map((s) => s.virq)));
  const own = cfg.guests.map((_, i) => [...new Set([...periph[i], ...inVirq[i]])].sort((a, b) => a - b));
  const irqOwner = new Map<number, number>();
  cfg.devices.forEach((d) => d.irqs.forEach((q) => { if (!irqOwner.has(q)) irqOwner.set(q, d.owner); }));
  const chan = new Array<number>(n * n).fill(-1);
  cfg.channels.forEach((s, i) => { if (s.from < n && s.to < n && chan[s.from * n + s.to] < 0) chan[s.from * n + s.to] = i; });
  const reach = cfg.guests.map((_, g) => {
    const seen = new Set([g]);
    const todo = [g];
    while (todo.length) {
      const x = todo.pop()!;
      for (const s of cfg.channels) if (s.from === x && !seen.has(s.to)) { seen.add(s.to); todo.push(s.to); }
    }
    return seen;
  });
  const l: Layout = {
    cfg, nGuests: n, guestOf, local, coresOf: cfg.guests.map((g) => g.cores), periph, inVirq, own,
    ownSet: own.map((o) => new Set(o)), irqOwner, chan, reach,
  };
  cache.set(cfg, l);
  return l;
}
