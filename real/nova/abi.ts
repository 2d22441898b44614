// The aarch64 ABI (B.3; inc/syscall.hpp, inc/aarch64/abi.hpp): X0 = sel << 8 | flags << 4 | number;
// named calls with named arguments for readable traces, encoded to and decoded from registers.
import { CALLS, NUM_F } from './types';

export const ARGS: Readonly<Record<string, readonly string[]>> = {
  ipc_call: ['pt', 'mtd', 'T'],
  ipc_reply: ['mtd'],
  create_pd: ['sel', 'pd', 'op'],
  create_ec: ['sel', 'pd', 'hva', 'cpu', 'sp', 'evt', 'G', 'T', 'F'],
  create_sc: ['sel', 'pd', 'ec', 'budget', 'prio', 'cos'],
  create_pt: ['sel', 'pd', 'ec', 'ip'],
  create_sm: ['sel', 'pd', 'cnt'],
  ctrl_pd: ['src', 'dst', 'ssb', 'ord', 'dsb', 'pmm', 'mad'],
  ctrl_ec: ['ec', 'S'],
  ctrl_sc: ['sc'],
  ctrl_pt: ['pt', 'id', 'mtd'],
  ctrl_sm: ['sm', 'stc', 'D', 'Z'],
  ctrl_hw: ['desc', 'op'],
  assign_int: ['sm', 'cpu', 'dev', 'flags'],
  assign_dev: ['dma', 'smmu', 'dad'],
  revoke: ['sel', 'ord', 'mask', 'self'],
};

const b = (v: bigint | number | boolean | undefined): bigint => (typeof v === 'boolean' ? (v ? 1n : 0n) : BigInt(v ?? 0));
export type Args = Readonly<Record<string, bigint | number | boolean>>;

/** Registers X0..X4 of a named call. */
export function encodeCall(name: string, a: Args): bigint[] {
  const num = BigInt(name === 'revoke' ? NUM_F : (CALLS as readonly string[]).indexOf(name));
  const x0 = (sel: unknown, flags: bigint) => BigInt.asUintN(64, (b(sel as bigint) << 8n) | ((flags & 0xfn) << 4n) | num);
  switch (name) {
    case 'ipc_call': return [x0(a.pt, b(a.T)), b(a.mtd)];
    case 'ipc_reply': return [x0(0, 0n), b(a.mtd)];
    case 'create_pd': return [x0(a.sel, b(a.op)), b(a.pd)];
    case 'create_ec': return [x0(a.sel, b(a.G) | (b(a.T) << 1n) | (b(a.F) << 2n)), b(a.pd), (b(a.hva) & ~0xfffn) | (b(a.cpu) & 0xfffn), b(a.sp), b(a.evt)];
    case 'create_sc': return [x0(a.sel, 0n), b(a.pd), b(a.ec), b(a.budget) | (b(a.prio) << 16n) | (b(a.cos) << 23n)];
    case 'create_pt': return [x0(a.sel, 0n), b(a.pd), b(a.ec), b(a.ip)];
    case 'create_sm': return [x0(a.sel, 0n), b(a.pd), b(a.cnt)];
    case 'ctrl_pd': return [x0(a.src, 0n), b(a.dst), (b(a.ssb) << 12n) | (b(a.ord) & 0x1fn), (b(a.dsb) << 12n) | (b(a.pmm) & 0x1fn), b(a.mad)];
    case 'ctrl_ec': return [x0(a.ec, b(a.S))];
    case 'ctrl_sc': return [x0(a.sc, 0n)];
    case 'ctrl_pt': return [x0(a.pt, 0n), b(a.id), b(a.mtd)];
    case 'ctrl_sm': return [x0(a.sm, b(a.D) | (b(a.Z) << 1n)), b(a.stc)];
    case 'ctrl_hw': return [x0(a.desc, b(a.op))];
    case 'assign_int': return [x0(a.sm, b(a.flags)), b(a.cpu), b(a.dev)];
    case 'assign_dev': return [x0(a.dma, 0n), b(a.smmu), b(a.dad)];
    case 'revoke': return [x0(a.sel, b(a.self)), (b(a.ord) & 0x1fn), b(a.mask)];
    default: return [];
  }
}

/** Named arguments of registers X0..X4 (inverse of encodeCall for the fields the ABI defines). */
export function decodeCall(x: readonly bigint[]): { name: string; args: Record<string, bigint> } {
  const r = (i: number) => BigInt.asUintN(64, x[i] ?? 0n);
  const n = Number(r(0) & 0xfn), f = (r(0) >> 4n) & 0xfn, sel = r(0) >> 8n;
  const name = n === NUM_F ? 'revoke' : CALLS[n];
  const bit = (i: bigint) => (f >> i) & 1n;
  switch (name) {
    case 'ipc_call': return { name, args: { pt: sel, mtd: r(1), T: bit(0n) } };
    case 'ipc_reply': return { name, args: { mtd: r(1) } };
    case 'create_pd': return { name, args: { sel, pd: r(1), op: f } };
    case 'create_ec': return { name, args: { sel, pd: r(1), hva: r(2) & ~0xfffn, cpu: r(2) & 0xfffn, sp: r(3), evt: r(4), G: bit(0n), T: bit(1n), F: bit(2n) } };
    case 'create_sc': return { name, args: { sel, pd: r(1), ec: r(2), budget: r(3) & 0xffffn, prio: (r(3) >> 16n) & 0x7fn, cos: (r(3) >> 23n) & 0xffffn } };
    case 'create_pt': return { name, args: { sel, pd: r(1), ec: r(2), ip: r(3) } };
    case 'create_sm': return { name, args: { sel, pd: r(1), cnt: r(2) } };
    case 'ctrl_pd': return { name, args: { src: sel, dst: r(1), ssb: r(2) >> 12n, ord: r(2) & 0x1fn, dsb: r(3) >> 12n, pmm: r(3) & 0x1fn, mad: r(4) } };
    case 'ctrl_ec': return { name, args: { ec: sel, S: bit(0n) } };
    case 'ctrl_sc': return { name, args: { sc: sel } };
    case 'ctrl_pt': return { name, args: { pt: sel, id: r(1), mtd: r(2) } };
    case 'ctrl_sm': return { name, args: { sm: sel, stc: r(1), D: bit(0n), Z: bit(1n) } };
    case 'ctrl_hw': return { name, args: { desc: sel, op: f } };
    case 'assign_int': return { name, args: { sm: sel, cpu: r(1), dev: r(2), flags: f } };
    case 'assign_dev': return { name, args: { dma: sel, smmu: r(1), dad: r(2) } };
    default: return { name, args: { sel, ord: r(1) & 0x1fn, mask: r(2), self: bit(0n) } };
  }
}
