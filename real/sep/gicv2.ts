// The GICv2 distributor register map (Arm IHI 0048B, table 4-1): offset → register and index n.
// Architecture, shared by both machines. Offsets the reference's table does not list (SPENDSGIR,
// CPENDSGIR, the ID registers, reserved space) are RAZ/WI, as the GICv2 specification makes reserved
// distributor locations [D: the reference is silent; Arm decides].

import type { GicdName } from './spec';

export const GICD_REGS: readonly GicdName[] = [
  'CTLR', 'TYPER', 'IIDR', 'IGROUPR', 'ISENABLER', 'ICENABLER', 'ISPENDR', 'ICPENDR',
  'ISACTIVER', 'ICACTIVER', 'IPRIORITYR', 'ITARGETSR', 'ICFGR', 'NSACR', 'SGIR', 'RESERVED',
];

const BANKS: readonly [GicdName, number, number][] = [
  ['IGROUPR', 0x080, 0x100], ['ISENABLER', 0x100, 0x180], ['ICENABLER', 0x180, 0x200],
  ['ISPENDR', 0x200, 0x280], ['ICPENDR', 0x280, 0x300], ['ISACTIVER', 0x300, 0x380],
  ['ICACTIVER', 0x380, 0x400], ['IPRIORITYR', 0x400, 0x7fc], ['ITARGETSR', 0x800, 0xbfc],
  ['ICFGR', 0xc00, 0xd00], ['NSACR', 0xe00, 0xf00],
];

/** The register at a 4-aligned byte offset and its index n. */
export function gicdDecode(off: number): { name: GicdName; n: number } {
  if (off === 0x000) return { name: 'CTLR', n: 0 };
  if (off === 0x004) return { name: 'TYPER', n: 0 };
  if (off === 0x008) return { name: 'IIDR', n: 0 };
  if (off === 0xf00) return { name: 'SGIR', n: 0 };
  for (const [name, lo, hi] of BANKS) if (off >= lo && off < hi) return { name, n: (off - lo) >> 2 };
  return { name: 'RESERVED', n: 0 };
}

/** The interrupt ids one register covers: 32 per bit register, 4 per byte register, 16 per ICFGR. */
export function idsOf(name: GicdName, n: number): { first: number; count: number; width: number } {
  if (name === 'IPRIORITYR' || name === 'ITARGETSR') return { first: 4 * n, count: 4, width: 8 };
  if (name === 'ICFGR') return { first: 16 * n, count: 16, width: 2 };
  return { first: 32 * n, count: 32, width: 1 };
}

/** Builds a register value from per-id fields; `ids` (when given) lists the only ids that may be non-zero. */
export function pack(name: GicdName, n: number, field: (id: number) => number, ids?: readonly number[]): bigint {
  const { first, count, width } = idsOf(name, n);
  let v = 0n;
  if (ids) {
    for (const id of ids) {
      if (id < first || id >= first + count) continue;
      const f = field(id);
      if (f) v |= BigInt(f) << BigInt((id - first) * width);
    }
    return v;
  }
  for (let i = 0; i < count; i++) {
    const f = field(first + i);
    if (f) v |= BigInt(f) << BigInt(i * width);
  }
  return v;
}

/** The field of interrupt `id` in a written value (or -1 when the register does not cover it). */
export function fieldOf(name: GicdName, n: number, value: bigint, id: number): number {
  const { first, count, width } = idsOf(name, n);
  if (id < first || id >= first + count) return -1;
  return Number((value >> BigInt((id - first) * width)) & ((1n << BigInt(width)) - 1n));
}

/** GICD_IIDR: the value the emulation shows (an Arm GIC-400-like implementer code) [D]. */
export const IIDR_VALUE = 0x0000043bn;
/** The fixed priority the emulation shows for an own interrupt [D]. */
export const PRIORITY = 0xa0;
/** GICD_TYPER: CPUNumber = cores of the guest − 1, ITLinesNumber = 31 (ids up to 1019). */
export const typerOf = (cores: number): bigint => (BigInt(Math.max(0, Math.min(7, cores - 1))) << 5n) | 31n;
