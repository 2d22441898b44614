// The real machine's state (reference A.2): physical memory, the golden stage-2 and SMMU images, the
// physical cores with their EL2 registers and list registers, the physical GIC, and the hypervisor's own
// data (mailboxes, power, per-guest distributor copies). Immutable and structurally shared: a step
// replaces only the objects it changes, so an unchanged component is the same object (the monitors
// compare only what changed).

import { PVec, pget, pset } from '../../model/pvec';
import type { VCore } from './arch';
import type { Cfg } from './config';
import type { Layout } from './layout';

/** A stage-2 (or SMMU) entry of one IPA page. */
export interface S2Entry {
  /** RAM (pa = PA page), a peripheral (pa = device index) or the GIC virtual CPU interface (pa = 0|1). */
  readonly kind: 'ram' | 'dev' | 'gicc';
  readonly pa: number;
  readonly w: boolean;
  readonly x: boolean;
  /** Memory attribute (only the optional cache layer looks at it). */
  readonly cacheable: boolean;
}
export type S2Map = ReadonlyMap<number, S2Entry>;
export interface Golden {
  readonly s2: readonly S2Map[];
  /** Per device: its SMMU map, or null for a device that does no DMA. */
  readonly smmu: readonly (S2Map | null)[];
}

export type Words = readonly bigint[];

/** EL2 syndrome registers written by a trap (the hypervisor's view; never shown to a guest). */
export interface El2 {
  readonly elr: bigint;
  readonly esr: bigint;
  readonly far: bigint;
  readonly hpfar: bigint;
}
export const EL2_RESET: El2 = { elr: 0n, esr: 0n, far: 0n, hpfar: 0n };

export interface Core extends VCore {
  /** HCR_EL2.VI (bit 7): a virtual IRQ is signalled. */
  readonly vi: boolean;
  /** Stage-2 translation enabled (HCR_EL2.VM). */
  readonly s2on: boolean;
  readonly el2: El2;
}

/** A physical shared peripheral interrupt: enable, pending, active, targets (mask of physical cores). */
export interface Spi { readonly en: boolean; readonly pend: boolean; readonly act: boolean; readonly tgt: number }
/** A pending physical SGI: from core `src` to core `dst`, id 0..15. */
export interface Sgi { readonly src: number; readonly dst: number; readonly id: number }

/** The hypervisor's per-guest copy of the distributor (gcpy[g]). */
export interface GCopy {
  readonly ctlr: boolean;
  /** Enable bits of own IRQs (local copy: the physical enable is ctlr ∧ en). */
  readonly en: Readonly<Record<number, boolean>>;
  /** ICFGR 2-bit fields of own IRQs. */
  readonly cfg: Readonly<Record<number, number>>;
  /** ITARGETSR bytes of own virqs (guest core mask; channel virqs have no physical target). */
  readonly vtgt: Readonly<Record<number, number>>;
  /** Last SGIR write. */
  readonly sgir: bigint;
}
export const GCOPY_RESET: GCopy = { ctlr: false, en: {}, cfg: {}, vtgt: {}, sgir: 0n };

export interface RealState {
  readonly cfg: Cfg;
  readonly layout: Layout;
  /** BOOT_FAIL(reason) when validation rejected the configuration: the machine halts, no guest runs. */
  readonly bootFail: string | null;
  readonly golden: Golden;
  /** The stage-2 tables in force (equal to the golden image: never written after boot). */
  readonly s2: readonly S2Map[];
  readonly smmu: readonly (S2Map | null)[];
  /** Physical pages [0, ramPages): guest RAM, channel pages, hypervisor memory. */
  readonly mem: PVec<Words>;
  /** The optional write-back cache: PA page → dirty content not yet in `mem` (null: no cache layer). */
  readonly cache: ReadonlyMap<number, Words> | null;
  readonly cores: readonly Core[];
  readonly spi: Readonly<Record<number, Spi>>;
  readonly sgi: readonly Sgi[];
  readonly gcpy: readonly GCopy[];
  /** mbox[g][g'] at g * n + g'. */
  readonly mbox: readonly number[];
  readonly pow: readonly boolean[];
  /** Device registers (MMIO page words), per device. */
  readonly devs: readonly Words[];
}

/**
 * Every state is made here, in one shape (V8 map): spread copies ({ ...s, cores }) had given states
 * 8 shapes along random traces, so every read of a state field by the machine and the checkers was a
 * megamorphic one. `p` replaces fields of `s`.
 */
export const withState = (s: RealState, p: Partial<RealState> = {}): RealState => ({
  cfg: p.cfg !== undefined ? p.cfg : s.cfg,
  layout: p.layout !== undefined ? p.layout : s.layout,
  bootFail: p.bootFail !== undefined ? p.bootFail : s.bootFail,
  golden: p.golden !== undefined ? p.golden : s.golden,
  s2: p.s2 !== undefined ? p.s2 : s.s2,
  smmu: p.smmu !== undefined ? p.smmu : s.smmu,
  mem: p.mem !== undefined ? p.mem : s.mem,
  cache: p.cache !== undefined ? p.cache : s.cache,
  cores: p.cores !== undefined ? p.cores : s.cores,
  spi: p.spi !== undefined ? p.spi : s.spi,
  sgi: p.sgi !== undefined ? p.sgi : s.sgi,
  gcpy: p.gcpy !== undefined ? p.gcpy : s.gcpy,
  mbox: p.mbox !== undefined ? p.mbox : s.mbox,
  pow: p.pow !== undefined ? p.pow : s.pow,
  devs: p.devs !== undefined ? p.devs : s.devs,
});

export const setCore = (s: RealState, c: number, core: Core): RealState => {
  if (s.cores[c] === core) return s;
  const cores = s.cores.slice();
  cores[c] = core;
  return withState(s, { cores });
};

/** The coherent content of a RAM page (the cache line if dirty, else memory). */
export const pageOf = (s: RealState, pa: number): Words => s.cache?.get(pa) ?? pget(s.mem, pa);

export function writeWord(s: RealState, pa: number, w: number, v: bigint, cacheable: boolean): RealState {
  if (s.cache && cacheable) {
    const cur = pageOf(s, pa);
    if (cur[w] === v && s.cache.has(pa)) return s;
    const page = cur.slice();
    page[w] = v;
    const cache = new Map(s.cache);
    cache.set(pa, page);
    return withState(s, { cache });
  }
  const cur = pget(s.mem, pa);
  if (cur[w] === v) return s;
  const page = cur.slice();
  page[w] = v;
  return withState(s, { mem: pset(s.mem, pa, page) });
}

/** A load: through the cache for a cacheable mapping, from memory directly otherwise (no snooping [D]). */
export const readWord = (s: RealState, pa: number, w: number, cacheable: boolean): bigint =>
  (cacheable && s.cache ? pageOf(s, pa) : pget(s.mem, pa))[w];

export const mboxAt = (s: RealState, g: number, h: number): number => s.mbox[g * s.layout.nGuests + h];
