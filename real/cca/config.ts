// The machine configuration. Physical granule i is at PA i * 4096; the PA space of the model is
// [0, granules * 4096). Holes make every `gran_bound` / `gran_gpt` failure reachable.

export interface Config {
  /** Number of physical granules (PA range = granules * 4 KB). */
  readonly granules: number;
  /** Number of physical CPUs (PEs). */
  readonly cpus: number;
  /** Granule indices in the Secure PAS (memory, never delegable: GRANULE_DELEGATE fails gran_gpt). */
  readonly secureGranules: readonly number[];
  /** Granule indices in the Root PAS (EL3 memory; never delegable). */
  readonly rootGranules: readonly number[];
  /** Granule index ranges [from, to) that are not memory at all (MMIO): gran_bound fails. */
  readonly mmioRanges: readonly (readonly [number, number])[];
  /** REC_AUX_COUNT's answer (≤ 16; TF-RMM uses 16, small values keep traces short). */
  readonly recAuxCount: number;
  /** FEATURES S2SZ: the largest supported IPA width. */
  readonly maxIpaWidth: number;
  /** TF-RMM rejects s2sz below 32 (reference §10). */
  readonly minIpaWidth: number;
  /**
   * FEAT_LPA2 (52-bit IPAs and PAs), reported by FEATURES bit 8. Without it, REALM_CREATE rejects
   * the LPA2 flag, an IPA width above 48 and start level -1 (TF-RMM validate_realm_params). Default
   * off, as on a machine without FEAT_LPA2.
   */
  readonly lpa2: boolean;
  /** Physical address width of the platform (start level 0 needs ≥ 44, reference §10; up to 52 with LPA2). */
  readonly paWidth: number;
  /** VMIDs are 16-bit when FEAT_VMID16, else 8-bit. */
  readonly vmidBits: number;
  /** FEATURES MAX_RECS_ORDER: at most 2^order RECs per realm. */
  readonly maxRecsOrder: number;
  readonly sveSupported: boolean;
  readonly sveMaxVl: number;
  readonly pmuSupported: boolean;
  readonly pmuMaxCtrs: number;
  /**
   * FEAT_HPMN0: the PMU may give a realm zero counters. Without it REALM_CREATE with the PMU flag and
   * pmu_num_ctrs = 0 is ERROR_INPUT (TF-RMM validate_realm_params, is_feat_hpmn0_present). Default off.
   */
  readonly pmuHpmn0: boolean;
  /** FEATURES NUM_BPS / NUM_WPS (reference §10: above these, or above the 6-bit field, is ERROR_INPUT). */
  readonly maxBps: number;
  readonly maxWps: number;
  readonly sha256: boolean;
  readonly sha512: boolean;
  /** GICv3 list registers implemented (FEATURES GIC LRs field). */
  readonly gicNumLrs: number;
  /**
   * Run REC_CREATE / REC_DESTROY / REALM_DESTROY's REC bookkeeping as multi-step handlers on the
   * weak-memory executor (`micro` steps), as in the CCA paper's Figure 4. Off: the commands are atomic.
   */
  readonly weakMemory: boolean;
}

export const DEFAULT_CONFIG: Config = {
  granules: 64,
  cpus: 2,
  secureGranules: [60],
  rootGranules: [61],
  mmioRanges: [[62, 64]],
  recAuxCount: 2,
  maxIpaWidth: 48,
  minIpaWidth: 32,
  lpa2: false,
  paWidth: 48,
  vmidBits: 16,
  maxRecsOrder: 4,
  sveSupported: false,
  sveMaxVl: 0,
  pmuSupported: true,
  pmuMaxCtrs: 4,
  pmuHpmn0: false,
  maxBps: 6,
  maxWps: 6,
  sha256: true,
  sha512: true,
  gicNumLrs: 4,
  weakMemory: false,
};

/** Validates a configuration; returns a list of problems (empty = fine). */
export function configProblems(c: Config): string[] {
  const p: string[] = [];
  const int = (v: number, lo: number, hi: number, name: string) => {
    if (!Number.isInteger(v) || v < lo || v > hi) p.push(`${name}: must be an integer in [${lo}, ${hi}]`);
  };
  int(c.granules, 4, 1 << 20, 'granules');
  int(c.cpus, 1, 64, 'cpus');
  int(c.recAuxCount, 0, 16, 'recAuxCount');
  const maxWidth = c.lpa2 === true ? 52 : 48;
  int(c.minIpaWidth, 16, 48, 'minIpaWidth');
  int(c.maxIpaWidth, c.minIpaWidth, maxWidth, 'maxIpaWidth');
  int(c.paWidth, 32, maxWidth, 'paWidth');
  int(c.vmidBits, 8, 16, 'vmidBits');
  int(c.maxRecsOrder, 0, 15, 'maxRecsOrder');
  int(c.maxBps, 0, 63, 'maxBps');
  int(c.maxWps, 0, 63, 'maxWps');
  int(c.pmuMaxCtrs, 0, 31, 'pmuMaxCtrs');
  int(c.gicNumLrs, 0, 15, 'gicNumLrs'); // FEATURES GIC LRs is a 4-bit field
  int(c.sveMaxVl, 0, 15, 'sveMaxVl'); // FEATURES SVE_VL is a 4-bit field
  for (const g of [...c.secureGranules, ...c.rootGranules]) int(g, 0, c.granules - 1, 'secureGranules/rootGranules');
  for (const [a, b] of c.mmioRanges) if (!(a >= 0 && b <= c.granules && a < b)) p.push('mmioRanges: each [from, to) must lie within [0, granules)');
  for (const k of ['lpa2', 'pmuHpmn0', 'pmuSupported', 'sveSupported', 'sha256', 'sha512', 'weakMemory'] as const)
    if (typeof c[k] !== 'boolean') p.push(`${k}: must be true or false`);
  return p;
}

/** A granule count with the default's holes moved to the top: SECURE, ROOT, then 2 MMIO granules. */
export function granuleLayout(n: number): Partial<Config> {
  return { granules: n, secureGranules: [n - 4], rootGranules: [n - 3], mmioRanges: [[n - 2, n]] };
}

/** The keys of `c` that differ from the defaults (what a trace file's `config` records). */
export function configOverrides(c: Config): Partial<Config> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c)) if (JSON.stringify(v) !== JSON.stringify((DEFAULT_CONFIG as unknown as Record<string, unknown>)[k])) o[k] = v;
  return o as Partial<Config>;
}
