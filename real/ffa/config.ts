// Configuration: the platform (pages, CPUs, the SPMC-declared secure and non-secure ranges, the
// SPMC's own pages) and the partition manifests (reference §1 "Manifest", §9). Manifests are
// validated at load (reference §7.11, Hafnium src/manifest.c + src/vm.c boot checks): regions
// page-aligned with pages-count > 0, inside the range of their security state, pairwise disjoint
// (with each other, the mailboxes and the SPMC's pages), device regions R or RW only.
import { Result, fail, ok } from '../../model/system';
import { R, arr, bool, int, keys } from './json';
import { PAGE } from './consts';

export type Attrs = 'R' | 'RW' | 'RX' | 'RWX';
export interface Region { readonly base: number; readonly pages: number; readonly attrs: Attrs; readonly device: boolean }
export interface EndpointCfg {
  readonly id: number;
  readonly vcpus: number;
  readonly uuid: readonly number[];
  readonly regions: readonly Region[];
  /** RX/TX buffer nodes: mailbox pages mapped at boot (byte addresses), or absent. */
  readonly tx?: number;
  readonly rx?: number;
  /** Messaging methods of the manifest: direct requests received, indirect messages (MSG_SEND2). */
  readonly direct: boolean;
  readonly indirect: boolean;
}
export interface Cfg {
  readonly cpus: number;
  readonly pages: number;
  /** Modelled 64-bit words per 4 KB page (the rest of a page reads 0 and ignores stores). */
  readonly words: number;
  readonly nsRange: readonly [number, number];
  readonly secureRange: readonly [number, number];
  /** SPMC-owned memory (page tables, descriptors, mailbox bookkeeping): never mapped to an endpoint. */
  readonly spmc: { readonly base: number; readonly pages: number };
  readonly endpoints: readonly EndpointCfg[];
  /** Endpoints that run fixed lifecycle programs; the others are unknown (robust safety, §7). */
  readonly known: readonly number[];
  readonly maxShares: number;
  readonly maxRecipients: number;
  readonly maxFragments: number;
}

const ep = (id: number, base: number, attrs: Attrs, extra: Partial<EndpointCfg> = {}): EndpointCfg => ({
  id, vcpus: 1, uuid: [0x1000 + id, 0, 0, id & 0xff], regions: [{ base, pages: 4, attrs, device: false }],
  tx: base + 4 * PAGE, rx: base + 5 * PAGE, direct: true, indirect: true, ...extra,
});

export const defaults: Cfg = {
  cpus: 2, pages: 32, words: 32,
  nsRange: [0, 16 * PAGE], secureRange: [16 * PAGE, 32 * PAGE],
  spmc: { base: 28 * PAGE, pages: 2 },
  endpoints: [
    ep(0x0001, 0x0000, 'RWX'),
    // Two MP partitions (one vCPU per CPU, as FF-A requires of MP partitions): per-vCPU registers and
    // direct-messaging state; the other two are UP (one migratable vCPU).
    ep(0x0002, 0x6000, 'RW', { vcpus: 2, indirect: false, regions: [{ base: 0x6000, pages: 4, attrs: 'RW', device: false }, { base: 0xc000, pages: 1, attrs: 'RW', device: true }] }),
    ep(0x8001, 0x10000, 'RWX', { direct: false }),
    ep(0x8002, 0x16000, 'RW', { vcpus: 2 }),
  ],
  known: [0x0001, 0x8001],
  maxShares: 4, maxRecipients: 2, maxFragments: 3,
};

/**
 * `--pages N`: N pages of memory. A declared range (normal-world or secure) that ended at the end of
 * memory grows or shrinks with it, so the layout stays valid as memory grows (the default's secure
 * range becomes [0x10000, N pages)); every manifest keeps its addresses. Too few pages for the
 * manifests is a configuration problem, reported as any other.
 */
export function withPages(c: Cfg, pages: number): Cfg {
  const end = c.pages * PAGE, to = pages * PAGE;
  const grow = (r: readonly [number, number]): readonly [number, number] => (r[1] === end && r[0] <= to ? [r[0], to] : r);
  return { ...c, pages, nsRange: grow(c.nsRange), secureRange: grow(c.secureRange) };
}

/** Pages each generated endpoint takes: a 4-page region, then TX and RX (as the defaults). */
const SLOT = 6;
/** Pages of each range before the extra endpoints: the defaults' layout inside it (16 pages). */
const BASE = 16;

/**
 * `--endpoints N` (2..16): the default partitions, then extra unknown normal-world VMs (IDs 0x3..)
 * and SPs (0x8003..), alternately, each with a 4-page RW region and RX/TX pages of its own. The
 * normal-world range is [0, 16 + 6 x extra VMs) pages, the secure range follows it to the end of
 * memory (grown when needed), and the defaults keep their place inside their range (SP addresses
 * move up with the secure range), so every region is disjoint and inside its declared range. With
 * fewer than four, the first of VM 0x1, SP 0x8002, SP 0x8001, VM 0x2 (a known and an unknown first).
 * N = 4 gives the default configuration.
 */
export function withEndpoints(c: Cfg, n: number): Cfg {
  const keep = [0x0001, 0x8002, 0x8001, 0x0002].slice(0, Math.max(0, Math.min(4, n)));
  const extra = Math.max(0, n - 4);
  const vms = Math.ceil(extra / 2), sps = Math.floor(extra / 2);
  const nsPages = BASE + SLOT * vms, secPages = BASE + SLOT * sps;
  const pages = Math.max(c.pages, nsPages + secPages);
  const shift = (nsPages - BASE) * PAGE; // the secure range starts this much later than the default's
  const move = (e: EndpointCfg): EndpointCfg => ((e.id & 0x8000) === 0 ? e : {
    ...e, regions: e.regions.map((r) => ({ ...r, base: r.base + shift })),
    ...(e.tx !== undefined ? { tx: e.tx + shift } : {}), ...(e.rx !== undefined ? { rx: e.rx + shift } : {}),
  });
  const base = defaults.endpoints.filter((e) => keep.includes(e.id)).map(move);
  const extras: EndpointCfg[] = [];
  for (let k = 0; k < extra; k++) {
    const sp = k % 2 === 1, j = Math.floor(k / 2);
    const at = sp ? (nsPages + BASE + SLOT * j) * PAGE : (BASE + SLOT * j) * PAGE;
    // Extra SPs are MP (a vCPU per CPU), extra VMs UP, as the defaults' unknown pair is mixed.
    extras.push(ep(sp ? 0x8003 + j : 0x0003 + j, at, 'RW', { vcpus: sp ? c.cpus : 1 }));
  }
  const endpoints = [...base, ...extras];
  return {
    ...c, pages, endpoints, nsRange: [0, nsPages * PAGE], secureRange: [nsPages * PAGE, pages * PAGE],
    spmc: { base: defaults.spmc.base + shift, pages: defaults.spmc.pages },
    known: defaults.known.filter((id) => keep.includes(id)),
  };
}

const ATTRS: readonly Attrs[] = ['R', 'RW', 'RX', 'RWX'];

function region(u: unknown, p: string): R<Region> {
  const o = keys(u, p, ['base', 'pages', 'attrs', 'device']);
  if (!o.ok) return o;
  const base = int(o.value.base, `${p}.base`); if (!base.ok) return base;
  const pages = int(o.value.pages, `${p}.pages`, 1 << 20); if (!pages.ok) return pages;
  const a = o.value.attrs;
  if (typeof a !== 'string' || !ATTRS.includes(a as Attrs)) return fail(`${p}.attrs`, `expected one of ${ATTRS.join(', ')}`);
  const device = o.value.device === undefined ? ok(false) : bool(o.value.device, `${p}.device`); if (!device.ok) return device;
  return ok({ base: base.value, pages: pages.value, attrs: a as Attrs, device: device.value });
}

function endpoint(u: unknown, p: string): R<EndpointCfg> {
  const o = keys(u, p, ['id', 'vcpus', 'uuid', 'regions', 'tx', 'rx', 'direct', 'indirect']);
  if (!o.ok) return o;
  const v = o.value;
  const id = int(v.id, `${p}.id`, 0xffff); if (!id.ok) return id;
  const vcpus = v.vcpus === undefined ? ok(1) : int(v.vcpus, `${p}.vcpus`, 64); if (!vcpus.ok) return vcpus;
  const uuid = v.uuid === undefined ? ok([0x1000 + id.value, 0, 0, id.value & 0xff]) : arr(v.uuid, `${p}.uuid`, (x, q) => int(x, q, 0xffffffff), 4);
  if (!uuid.ok) return uuid;
  if (uuid.value.length !== 4) return fail(`${p}.uuid`, 'expected 4 words');
  const regions = v.regions === undefined ? ok([]) : arr(v.regions, `${p}.regions`, region, 16); if (!regions.ok) return regions;
  const tx = v.tx === undefined ? ok(undefined) : int(v.tx, `${p}.tx`); if (!tx.ok) return tx;
  const rx = v.rx === undefined ? ok(undefined) : int(v.rx, `${p}.rx`); if (!rx.ok) return rx;
  const direct = v.direct === undefined ? ok(true) : bool(v.direct, `${p}.direct`); if (!direct.ok) return direct;
  const indirect = v.indirect === undefined ? ok(true) : bool(v.indirect, `${p}.indirect`); if (!indirect.ok) return indirect;
  const e: EndpointCfg = { id: id.value, vcpus: vcpus.value, uuid: uuid.value, regions: regions.value, direct: direct.value, indirect: indirect.value,
    ...(tx.value !== undefined ? { tx: tx.value } : {}), ...(rx.value !== undefined ? { rx: rx.value } : {}) };
  return ok(e);
}

const KEYS = ['cpus', 'pages', 'words', 'nsRange', 'secureRange', 'spmc', 'endpoints', 'known', 'maxShares', 'maxRecipients', 'maxFragments'] as const;

export function decodeConfig(u: unknown, path: string, base: Cfg): Result<Cfg> {
  const o = keys(u, path, KEYS);
  if (!o.ok) return o;
  const v = o.value;
  let c: Cfg = base;
  const num = (k: 'cpus' | 'pages' | 'words' | 'maxShares' | 'maxRecipients' | 'maxFragments', max: number): Result<void> => {
    if (v[k] === undefined) return ok(undefined);
    const r = int(v[k], `${path}.${k}`, max);
    if (!r.ok) return r;
    c = { ...c, [k]: r.value };
    return ok(undefined);
  };
  for (const [k, max] of [['cpus', 64], ['pages', 4096], ['words', 512], ['maxShares', 1000], ['maxRecipients', 8], ['maxFragments', 64]] as const) {
    const r = num(k, max); if (!r.ok) return r;
  }
  for (const k of ['nsRange', 'secureRange'] as const) {
    if (v[k] === undefined) continue;
    const r = arr(v[k], `${path}.${k}`, (x, q) => int(x, q), 2); if (!r.ok) return r;
    if (r.value.length !== 2) return fail(`${path}.${k}`, 'expected [base, end]');
    c = { ...c, [k]: [r.value[0], r.value[1]] as const };
  }
  if (v.spmc !== undefined) {
    const s = keys(v.spmc, `${path}.spmc`, ['base', 'pages']); if (!s.ok) return s;
    const b = int(s.value.base, `${path}.spmc.base`); if (!b.ok) return b;
    const n = int(s.value.pages, `${path}.spmc.pages`, 4096); if (!n.ok) return n;
    c = { ...c, spmc: { base: b.value, pages: n.value } };
  }
  if (v.endpoints !== undefined) {
    const r = arr(v.endpoints, `${path}.endpoints`, endpoint, 16); if (!r.ok) return r;
    c = { ...c, endpoints: r.value };
  }
  if (v.known !== undefined) {
    const r = arr(v.known, `${path}.known`, (x, q) => int(x, q, 0xffff), 16); if (!r.ok) return r;
    c = { ...c, known: r.value };
  }
  const m = manifestProblem(c, path);
  return m ? { ok: false, error: m } : ok(c);
}

export function encodeConfig(c: Cfg): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of KEYS) if (JSON.stringify(c[k]) !== JSON.stringify(defaults[k])) out[k] = c[k];
  return out;
}

/** The first manifest/platform problem as `path: message`, or null. Boot rejects the set (exit 2). */
export function manifestProblem(c: Cfg, path = '$'): string | null {
  const all = problemsAt(c, path);
  return all.length ? all[0] : null;
}

export function problemsAt(c: Cfg, path: string): string[] {
  const out: string[] = [];
  const mem = c.pages * PAGE;
  if (c.cpus < 1) out.push(`${path}.cpus: expected at least 1`);
  if (c.pages < 1) out.push(`${path}.pages: expected at least 1`);
  if (c.words < 8) out.push(`${path}.words: expected at least 8 (descriptors need 64 bytes per page)`);
  if (c.maxShares < 1) out.push(`${path}.maxShares: expected at least 1`);
  if (c.maxRecipients < 1) out.push(`${path}.maxRecipients: expected at least 1`);
  if (c.maxFragments < 1) out.push(`${path}.maxFragments: expected at least 1`);
  if (c.endpoints.length < 1) out.push(`${path}.endpoints: expected at least one partition`);
  for (const [k, r] of [['nsRange', c.nsRange], ['secureRange', c.secureRange]] as const) {
    if (r[0] % PAGE || r[1] % PAGE || r[0] > r[1] || r[1] > mem) out.push(`${path}.${k}: expected a page-aligned range inside memory [0, ${mem})`);
  }
  const ov = (a0: number, a1: number, b0: number, b1: number) => a0 < b1 && b0 < a1;
  if (ov(c.nsRange[0], c.nsRange[1], c.secureRange[0], c.secureRange[1])) out.push(`${path}.secureRange: overlaps nsRange`);
  // Everything recorded so far, for the pairwise-disjointness check (Hafnium: all partitions' regions).
  const taken: { lo: number; hi: number; what: string }[] = [];
  const inside = (lo: number, hi: number, r: readonly [number, number]) => lo >= r[0] && hi <= r[1];
  const claim = (lo: number, hi: number, p: string, range: readonly [number, number] | null, rname: string) => {
    if (lo % PAGE) { out.push(`${p}: base 0x${lo.toString(16)} is not page-aligned`); return; }
    if (hi <= lo) { out.push(`${p}: pages-count must be at least 1`); return; }
    if (hi > mem) { out.push(`${p}: outside physical memory`); return; }
    if (range && !inside(lo, hi, range)) { out.push(`${p}: outside the SPMC's ${rname} range`); return; }
    const hit = taken.find((t) => ov(lo, hi, t.lo, t.hi));
    if (hit) { out.push(`${p}: overlaps ${hit.what}`); return; }
    taken.push({ lo, hi, what: p });
  };
  claim(c.spmc.base, c.spmc.base + c.spmc.pages * PAGE, `${path}.spmc`, null, '');
  const ids = new Set<number>();
  c.endpoints.forEach((e, i) => {
    const p = `${path}.endpoints[${i}]`;
    if (e.id === 0 || e.id === 0x8000) out.push(`${p}.id: 0x${e.id.toString(16)} is reserved (hypervisor / SPMC)`);
    if (ids.has(e.id)) out.push(`${p}.id: duplicate partition ID 0x${e.id.toString(16)}`);
    ids.add(e.id);
    if (e.vcpus < 1) out.push(`${p}.vcpus: expected at least 1`);
    const sp = (e.id & 0x8000) !== 0;
    const range = sp ? c.secureRange : c.nsRange;
    const rname = sp ? 'secure' : 'non-secure';
    e.regions.forEach((r, j) => {
      if (r.device && r.attrs !== 'R' && r.attrs !== 'RW') out.push(`${p}.regions[${j}].attrs: device regions are R or RW`);
      claim(r.base, r.base + r.pages * PAGE, `${p}.regions[${j}]`, range, rname);
    });
    if ((e.tx === undefined) !== (e.rx === undefined)) out.push(`${p}: tx and rx must be given together`);
    if (e.tx !== undefined) claim(e.tx, e.tx + PAGE, `${p}.tx`, range, rname);
    if (e.rx !== undefined) claim(e.rx, e.rx + PAGE, `${p}.rx`, range, rname);
  });
  c.known.forEach((k, i) => { if (!ids.has(k)) out.push(`${path}.known[${i}]: no partition with ID 0x${k.toString(16)}`); });
  return out;
}

export const problems = (c: Cfg): string[] => problemsAt(c, '$').map((s) => s.replace(/^\$\./, ''));
