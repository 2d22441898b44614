// Boot validation (reference A.1): the hypervisor checks its configuration image before any guest runs;
// the first failing rule is BOOT_FAIL(reason) and the machine halts (HASPOC's Init-Abort). The rules are
// listed in A.1's order (the order is our choice [D]; the conditions are HASPOC's `goodP` plus the
// projection constraints). Each gives messages "json.path: message" naming the offending value.

import type { Cfg } from './config';

export interface BootRule {
  readonly name: string;
  readonly check: (c: Cfg) => string[];
}

const inRange = (c: Cfg, g: number) => Number.isInteger(g) && g >= 0 && g < c.guests.length;
const space = (c: Cfg, g: number) => 2 ** Math.min(c.guests[g].as, 40);
const ramIpaPages = (c: Cfg, g: number): Set<number> => {
  const s = new Set<number>();
  for (const r of c.guests[g].ram) for (let i = 0; i < r.pages && i < 4096; i++) s.add(r.ipa + i);
  return s;
};
const giccPages = (c: Cfg, g: number) => [c.guests[g].gicc, c.guests[g].gicc + 1];

/** Limits that keep the model finite (not HASPOC rules): checked first. */
const shape: BootRule = {
  name: 'shape',
  check: (c) => {
    const p: string[] = [];
    if (c.cores < 1 || c.cores > 32) p.push(`$.cores: expected 1..32 physical cores, got ${c.cores}`);
    if (c.wordsPerPage < 1 || c.wordsPerPage > 512) p.push(`$.wordsPerPage: expected 1..512, got ${c.wordsPerPage}`);
    if (c.ramPages < 1 || c.ramPages > 4096) p.push(`$.ramPages: expected 1..4096, got ${c.ramPages}`);
    if (c.guests.length < 1 || c.guests.length > 16) p.push(`$.guests: expected 1..16 guests, got ${c.guests.length}`);
    if (c.channels.length > 64) p.push(`$.channels: at most 64 channels`);
    if (c.devices.length > 64) p.push(`$.devices: at most 64 devices`);
    c.guests.forEach((g, i) => {
      if (g.as < 1 || g.as > 36) p.push(`$.guests[${i}].as: expected an IPA space of 1..36 page bits, got ${g.as}`);
      g.ram.forEach((r, j) => { if (r.pages < 1) p.push(`$.guests[${i}].ram[${j}].pages: a region needs at least one page`); });
    });
    return p;
  },
};

/** 1. Every physical core in exactly one guest; each guest at least one core. */
const cores: BootRule = {
  name: 'cores',
  check: (c) => {
    const p: string[] = [];
    const owner = new Map<number, number>();
    c.guests.forEach((g, i) => {
      if (g.cores.length === 0) p.push(`$.guests[${i}].cores: a guest needs at least one core`);
      g.cores.forEach((k, j) => {
        if (k >= c.cores) p.push(`$.guests[${i}].cores[${j}]: core ${k} does not exist (${c.cores} cores)`);
        else if (owner.has(k)) p.push(`$.guests[${i}].cores[${j}]: core ${k} already belongs to guest ${owner.get(k)}`);
        else owner.set(k, i);
      });
    });
    for (let k = 0; k < c.cores; k++) if (!owner.has(k)) p.push(`$.cores: core ${k} belongs to no guest`);
    return p;
  },
};

/** 2. Channel policy: between existing guests, never to itself, at most one per ordered pair. */
const cpol: BootRule = {
  name: 'cpol',
  check: (c) => {
    const p: string[] = [];
    const seen = new Map<string, number>();
    c.channels.forEach((s, i) => {
      if (!inRange(c, s.from)) p.push(`$.channels[${i}].from: guest ${s.from} does not exist`);
      else if (!inRange(c, s.to)) p.push(`$.channels[${i}].to: guest ${s.to} does not exist`);
      else if (s.from === s.to) p.push(`$.channels[${i}].to: a channel from guest ${s.from} to itself`);
      else {
        const k = `${s.from}>${s.to}`;
        if (seen.has(k)) p.push(`$.channels[${i}]: a second channel from guest ${s.from} to guest ${s.to} (channel ${seen.get(k)})`);
        else seen.set(k, i);
      }
    });
    return p;
  },
};

/** 3. Channel IPAs inside the owner's space, one channel per page of a guest, not RAM/peripheral/GIC pages. */
const channelPages: BootRule = {
  name: 'channel-pages',
  check: (c) => {
    const p: string[] = [];
    const used = new Map<string, string>();
    c.channels.forEach((s, i) => {
      for (const [side, g, a] of [['aSend', s.from, s.aSend], ['aRecv', s.to, s.aRecv]] as const) {
        if (!inRange(c, g)) continue;
        const path = `$.channels[${i}].${side}`;
        const gc = c.guests[g];
        const key = `${g}:${a}`;
        if (a >= space(c, g)) p.push(`${path}: page ${a} is outside guest ${g}'s IPA space (2^${gc.as} pages)`);
        else if (used.has(key)) p.push(`${path}: page ${a} of guest ${g} is already used by ${used.get(key)}`);
        else if (ramIpaPages(c, g).has(a)) p.push(`${path}: page ${a} of guest ${g} is a RAM page`);
        else if (c.devices.some((d) => d.owner === g && d.ipa === a)) p.push(`${path}: page ${a} of guest ${g} is a peripheral page`);
        else if (a === gc.gicd || giccPages(c, g).includes(a)) p.push(`${path}: page ${a} of guest ${g} is a GIC page`);
        else used.set(key, `channel ${i} (${side})`);
      }
    });
    return p;
  },
};

/** 4. Notification virqs: in [16,1019], distinct among one receiver's channels, not a receiver peripheral IRQ. */
const virqs: BootRule = {
  name: 'virq',
  check: (c) => {
    const p: string[] = [];
    const seen = new Map<string, number>();
    c.channels.forEach((s, i) => {
      const path = `$.channels[${i}].virq`;
      if (s.virq < 16 || s.virq > 1019) p.push(`${path}: virq ${s.virq} is outside [16,1019]`);
      else if (seen.has(`${s.to}:${s.virq}`)) p.push(`${path}: virq ${s.virq} is already used by channel ${seen.get(`${s.to}:${s.virq}`)} into guest ${s.to}`);
      else if (c.devices.some((d) => d.owner === s.to && d.irqs.includes(s.virq))) p.push(`${path}: virq ${s.virq} is a peripheral interrupt of guest ${s.to}`);
      else seen.set(`${s.to}:${s.virq}`, i);
    });
    return p;
  },
};

/** 5. Peripherals: MMIO pages disjoint (IPA within the owner, PA globally) and from GIC pages; IRQs owned once. */
const peripherals: BootRule = {
  name: 'peripherals',
  check: (c) => {
    const p: string[] = [];
    c.guests.forEach((g, i) => {
      if (g.gicd >= space(c, i)) p.push(`$.guests[${i}].gicd: page ${g.gicd} is outside the IPA space`);
      else if (g.gicc + 1 >= space(c, i)) p.push(`$.guests[${i}].gicc: pages ${g.gicc}..${g.gicc + 1} are outside the IPA space`);
      else if (giccPages(c, i).includes(g.gicd)) p.push(`$.guests[${i}].gicc: the GICC pages overlap the GICD page ${g.gicd}`);
    });
    const ipaUse = new Map<string, number>();
    const paUse = new Map<number, number>();
    const irqOwner = new Map<number, number>();
    c.devices.forEach((d, i) => {
      const path = `$.devices[${i}]`;
      if (!inRange(c, d.owner)) { p.push(`${path}.owner: guest ${d.owner} does not exist`); return; }
      const g = c.guests[d.owner];
      if (d.ipa >= space(c, d.owner)) p.push(`${path}.ipa: page ${d.ipa} is outside guest ${d.owner}'s IPA space`);
      else if (ipaUse.has(`${d.owner}:${d.ipa}`)) p.push(`${path}.ipa: page ${d.ipa} overlaps device ${ipaUse.get(`${d.owner}:${d.ipa}`)}`);
      else if (d.ipa === g.gicd || giccPages(c, d.owner).includes(d.ipa)) p.push(`${path}.ipa: page ${d.ipa} is a GIC page`);
      else if (ramIpaPages(c, d.owner).has(d.ipa)) p.push(`${path}.ipa: page ${d.ipa} is a RAM page`);
      else ipaUse.set(`${d.owner}:${d.ipa}`, i);
      if (d.pa < c.ramPages) p.push(`${path}.pa: page ${d.pa} is RAM, not device space (>= ${c.ramPages})`);
      else if (paUse.has(d.pa)) p.push(`${path}.pa: page ${d.pa} overlaps device ${paUse.get(d.pa)}`);
      else paUse.set(d.pa, i);
      d.irqs.forEach((q, j) => {
        if (q < 16 || q > 1019) p.push(`${path}.irqs[${j}]: IRQ ${q} is outside [16,1019]`);
        else if (irqOwner.has(q)) p.push(`${path}.irqs[${j}]: IRQ ${q} is already owned by guest ${irqOwner.get(q)}`);
        else irqOwner.set(q, d.owner);
      });
    });
    return p;
  },
};

/** 6. Physical: guest images disjoint except channel pages; channel pages in one channel; nothing in HV memory. */
const physical: BootRule = {
  name: 'physical',
  check: (c) => {
    const p: string[] = [];
    const owner = new Map<number, string>();
    const hv = (pa: number) => pa >= c.hypervisor.pa && pa < c.hypervisor.pa + c.hypervisor.pages;
    c.guests.forEach((g, i) => {
      const ipas = new Set<number>();
      g.ram.forEach((r, j) => {
        const path = `$.guests[${i}].ram[${j}]`;
        if (r.ipa + r.pages > space(c, i)) { p.push(`${path}.ipa: pages ${r.ipa}..${r.ipa + r.pages - 1} are outside the IPA space`); return; }
        if (r.pa + r.pages > c.ramPages) { p.push(`${path}.pa: pages ${r.pa}..${r.pa + r.pages - 1} are outside RAM (${c.ramPages} pages)`); return; }
        for (let k = 0; k < r.pages; k++) {
          const a = r.ipa + k;
          const pa = r.pa + k;
          if (ipas.has(a)) { p.push(`${path}.ipa: IPA page ${a} is mapped twice`); return; }
          if (a === g.gicd || giccPages(c, i).includes(a)) { p.push(`${path}.ipa: IPA page ${a} is a GIC page`); return; }
          if (hv(pa)) { p.push(`${path}.pa: page ${pa} is hypervisor memory`); return; }
          if (owner.has(pa)) { p.push(`${path}.pa: page ${pa} overlaps ${owner.get(pa)}`); return; }
          ipas.add(a);
          owner.set(pa, `guest ${i}`);
        }
      });
    });
    c.channels.forEach((s, i) => {
      const path = `$.channels[${i}].pa`;
      if (s.pa >= c.ramPages) p.push(`${path}: page ${s.pa} is outside RAM (${c.ramPages} pages)`);
      else if (hv(s.pa)) p.push(`${path}: page ${s.pa} is hypervisor memory`);
      else if (owner.has(s.pa)) p.push(`${path}: page ${s.pa} is already used by ${owner.get(s.pa)}`);
      else owner.set(s.pa, `channel ${i}`);
    });
    return p;
  },
};

/** 7. Each guest image inside its RAM; the entry point inside the image. */
const image: BootRule = {
  name: 'image',
  check: (c) => {
    const p: string[] = [];
    c.guests.forEach((g, i) => {
      const ram = ramIpaPages(c, i);
      for (let k = 0; k < g.image.pages; k++) {
        if (!ram.has(g.image.ipa + k)) { p.push(`$.guests[${i}].image: page ${g.image.ipa + k} of the image is not RAM of guest ${i}`); return; }
      }
      if (g.image.pages < 1) p.push(`$.guests[${i}].image.pages: an image needs at least one page`);
      else if (g.entry < g.image.ipa * 4096 || g.entry >= (g.image.ipa + g.image.pages) * 4096) p.push(`$.guests[${i}].entry: entry 0x${g.entry.toString(16)} is outside the image`);
      else if (g.entry % 4 !== 0) p.push(`$.guests[${i}].entry: entry 0x${g.entry.toString(16)} is not 4-byte aligned`);
    });
    return p;
  },
};

/** The rules in A.1's order (the `shape` limits first). A variant may drop or weaken one. */
export const BOOT_RULES: readonly BootRule[] = [shape, cores, cpol, channelPages, virqs, peripherals, physical, image];

/** All problems, rule by rule; a rule runs only when the earlier ones found nothing (later rules assume them). */
export function validate(rules: readonly BootRule[], c: Cfg): string[] {
  for (const r of rules) {
    const p = r.check(c);
    if (p.length) return p;
  }
  return [];
}
