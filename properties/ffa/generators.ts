// Trace generation: abstract commands that resolve against the current real state into concrete
// actions. Choices are indices into what is meaningful now (the k-th page the endpoint owns, the
// k-th live transaction it can retrieve) mixed with raw adversarial values, so shrinking keeps them
// meaningful. A trace interleaves "the next step of known endpoint k's fixed program" (programs.ts:
// the lifecycle share/lend/donate, retrieve, use, relinquish, reclaim, with choices drawn once per
// iteration) with steps of unknown endpoints, which run arbitrary code, arbitrary SMCs, random TX
// bytes, malformed descriptors and every FF-A call (robust safety, reference §7).
import fc from 'fast-check';
import { traceOf } from '../engine/shrink';
import { Cfg } from '../../real/ffa/config';
import { FID, Func, M, PAGE, pageState, valid } from '../../real/ffa/consts';
import { Action, RealState } from '../../real/ffa/machine';
import { Txn, modeAt, runningOn } from '../../real/ffa/state';
import { encodeMemDesc, encodeMessage, encodeRelinquish, wordsOf } from '../../real/ffa/descriptor';
import { Iter, STEPS, iterArb, programStep } from './programs';

const OPS = [
  ['write', 9], ['read', 6], ['send', 12], ['retrieve', 11], ['fragrx', 4], ['relinquish', 7], ['reclaim', 7],
  ['release', 5], ['msg2', 4], ['req', 3], ['resp', 4], ['info', 2], ['misc', 5], ['fragtx', 4],
  ['rawsmc', 5], ['rawmem', 4], ['rawtx', 2],
] as const;
export type Op = (typeof OPS)[number][0];
const TOTAL = OPS.reduce((a, [, w]) => a + w, 0);
const opOf = (n: number): Op => { let k = n % TOTAL; for (const [o, w] of OPS) { if (k < w) return o; k -= w; } return 'write'; };

/** One abstract command: an operation, the acting endpoint (index), a CPU and small choices. A
 *  command of a known endpoint is the next step of its program: `prog` = that step's number in the
 *  program (counted over the trace) and the choices of its iteration. */
export interface Gen {
  readonly op: Op; readonly ep: number; readonly cpu: number; readonly a: number; readonly b: number; readonly c: number; readonly d: number; readonly e: number; readonly v: bigint;
  readonly prog?: { readonly pc: number; readonly it: Iter };
}

export function generate(c: Cfg, steps: number): fc.Arbitrary<readonly Gen[]> {
  const small = fc.nat({ max: 31 });
  const gen = fc.record({
    op: fc.nat({ max: TOTAL - 1 }).map(opOf), ep: fc.nat({ max: c.endpoints.length - 1 }), cpu: fc.nat({ max: c.cpus - 1 }),
    a: small, b: small, c: small, d: small, e: fc.nat({ max: 255 }),
    v: fc.oneof(fc.bigInt({ min: 0n, max: 255n }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })),
  });
  const known = c.endpoints.map((e) => c.known.indexOf(e.id));
  // Per known endpoint, the choices of its iterations (reused cyclically when the trace runs longer).
  const iters = fc.array(fc.array(iterArb, { minLength: 1, maxLength: 6 }), { minLength: c.known.length, maxLength: c.known.length });
  // Numbering after generation: shrinking drops commands and the later steps of a program move up.
  return fc.tuple(iters, traceOf(gen, { minLength: 0, maxLength: steps })).map(([its, cmds]) => {
    const pcs = new Array<number>(c.known.length).fill(0);
    return cmds.map((g): Gen => {
      const k = known[g.ep] ?? -1;
      if (k < 0 || !its[k]?.length) return g;
      const pc = pcs[k]++;
      return { ...g, prog: { pc, it: its[k][Math.floor(pc / STEPS.length) % its[k].length] } };
    });
  });
}

const hot = (s: RealState, k: number, pred: (m: number, p: number) => boolean): number[] => {
  const out: number[] = [];
  const e = s.eps[k];
  for (let p = 0; p < s.cfg.pages; p++) if (p !== e.mbox.tx && p !== e.mbox.rx && pred(modeAt(e, p), p)) out.push(p);
  return out;
};
const pick = <T>(xs: readonly T[], n: number): T | undefined => (xs.length ? xs[n % xs.length] : undefined);
const live = (s: RealState): Txn[] => s.txns.filter((t): t is Txn => t !== null);
const FIDS = Object.values(FID);

export function resolve(s: RealState, g: Gen, c: Cfg): readonly Action[] {
  const k = g.ep % s.eps.length;
  if (g.prog) return programStep(s, k, g.prog.pc, g.prog.it, g.cpu % c.cpus, c);
  const me = s.eps[k];
  const ep = me.id, cpu = g.cpu % c.cpus;
  const known = c.known.includes(ep);
  const v = runningOn(me, cpu);
  if (v < 0 || me.vcpus[v].waiting >= 0) return []; // no vCPU here, or it is blocked until the direct response
  const vcpu = me.vcpus[v];
  // An unknown endpoint's vCPU that serves a direct request often answers it (else requesters, the
  // known programs among them, would wait for most of a trace).
  // Sometimes to another endpoint than the requester (refused: DENIED, reference §4.10).
  if (!known && vcpu.serving >= 0 && g.d % 2 === 0) {
    const to = g.d % 6 === 0 ? s.eps[(k + 1 + (g.a % (s.eps.length - 1 || 1))) % s.eps.length].id : vcpu.serving;
    return [{ kind: 'smc', cpu, ep, regs: [BigInt(FID.MSG_SEND_DIRECT_RESP), BigInt(((ep << 16) | to) >>> 0), 0n, BigInt(g.b), BigInt(g.c)] }];
  }
  const smc = (...regs: (bigint | number)[]): Action => ({ kind: 'smc', cpu, ep, regs: regs.map((r) => (typeof r === 'bigint' ? r : BigInt(r >>> 0))) });
  const txAddr = BigInt((me.mbox.tx >= 0 ? me.mbox.tx : 0) * PAGE);
  const toTx = (b: Uint8Array): Action => ({ kind: 'stores', cpu, ep, addr: txAddr, values: wordsOf(b) });
  const others = s.eps.map((e, j) => j).filter((j) => j !== k);
  const op = known && (g.op === 'rawsmc' || g.op === 'rawmem' || g.op === 'rawtx') ? 'read' : g.op;
  const mutate = !known && g.e % 7 === 0;

  switch (op) {
    case 'write': {
      const pages = hot(s, k, (m) => valid(m) && (m & M.W) !== 0);
      const p = pick(pages, g.a);
      if (p === undefined) return [];
      const r = 20 + (g.b % 4);
      return [
        { kind: 'mov', cpu, ep, dst: r, imm: g.v, ...(known ? { secret: true } : {}) },
        { kind: 'store', cpu, ep, addr: BigInt(p * PAGE + 8 * (g.c % Math.min(c.words, 4))), reg: r },
      ];
    }
    case 'read': {
      const pages = [...hot(s, k, (m) => valid(m)), ...(me.mbox.rx >= 0 ? [me.mbox.rx] : [])];
      const p = pick(pages, g.a);
      if (p === undefined) return [];
      return [{ kind: 'load', cpu, ep, addr: BigInt(p * PAGE + 8 * (g.c % Math.min(c.words, 4))), reg: 8 + (g.b % 8) }];
    }
    case 'send': return send(s, g, k, c, cpu, mutate, toTx, smc);
    case 'fragtx': {
      const t = live(s).find((x) => !x.complete && x.sender === ep);
      const h = t ? t.handle : BigInt(g.a);
      const n = 1 + (g.b % 3);
      const page = pick(hot(s, k, (m) => pageState(m) === 'Owner-EA'), g.c) ?? g.c;
      const words: bigint[] = [];
      for (let j = 0; j < n; j++) words.push(BigInt((page + j) * PAGE), 1n);
      const call = smc(FID.MEM_FRAG_TX, Number(h & 0xffffffffn), Number(h >> 32n), 16 * n, mutate ? g.v & 0xffffffffn : 0);
      // Several fragments in a row (an overshooting sender fills the fragment table: NO_MEMORY).
      return [{ kind: 'stores', cpu, ep, addr: txAddr, values: words }, ...Array.from({ length: 1 + (g.d % 3) }, () => call)];
    }
    case 'retrieve': {
      const mine = live(s).filter((t) => t.complete && t.receivers.some((r) => r.id === ep && r.retrieved === 0));
      const t = pick(mine.length && g.d % 5 ? mine : live(s), g.a);
      if (!t) return [toTx(encodeMemDesc({ sender: 1, attrs: 0, flags: 0, handle: BigInt(g.a), tag: 0n, receivers: [{ id: ep, perms: 1, flags: 0 }], constituents: [], noComposite: true })), smc(FID.MEM_RETRIEVE_REQ, 64, 64)];
      const single = t.func === 'DONATE' || (t.func === 'LEND' && t.receivers.length === 1);
      const instr = single ? (g.c % 4 === 0 ? 2 : 1) : g.c % 11 === 0 ? 2 : 0;
      const data = [0, 0, 1, 1, 2][g.b % 5];
      const flags = g.d % 6 === 1 ? (t.flags & 1) | (g.d % 12 === 1 ? 4 : 0) : g.d % 6 === 2 ? (t.flags & 0x18) : g.d % 13 === 3 ? 1 << 9 : 0;
      const recv = t.receivers.map((r) => ({ id: r.id, perms: r.id === ep ? data | (instr << 2) : (single ? 1 << 2 : 0) | (r.perms & 3), flags: 0 }));
      const list = recv.some((r) => r.id === ep) ? recv : [{ id: ep, perms: data | (instr << 2), flags: 0 }];
      let b = encodeMemDesc({ sender: t.sender, attrs: g.e % 9 === 0 ? 0x2f : 0, flags, handle: t.handle, tag: t.tag, receivers: list, constituents: [], noComposite: true });
      if (mutate) b = patch(b, g, 48 + 16 * list.length);
      return [toTx(b), smc(FID.MEM_RETRIEVE_REQ, b.length, b.length)];
    }
    case 'fragrx': {
      const t = live(s).find((x) => x.receivers.some((r) => r.id === ep && r.retrieved > 0 && r.retrieved < x.fragCounts.length));
      if (!t) return [smc(FID.MEM_FRAG_RX, g.a, 0, 80, 0)];
      const r = t.receivers.find((x) => x.id === ep)!;
      const off = 80 + 16 * t.fragCounts.slice(0, r.retrieved).reduce((a, n) => a + n, 0);
      const rel: Action[] = me.mbox.full && g.b % 4 ? [smc(FID.RX_RELEASE)] : [];
      return [...rel, smc(FID.MEM_FRAG_RX, Number(t.handle & 0xffffffffn), Number(t.handle >> 32n), g.c % 5 === 0 ? off + 16 : off, 0)];
    }
    case 'relinquish': {
      const mine = live(s).filter((t) => t.receivers.some((r) => r.id === ep && r.retrieved > 0));
      const t = pick(mine.length && g.d % 6 ? mine : live(s), g.a);
      const h = t ? t.handle : BigInt(g.a);
      const b = encodeRelinquish(h, g.b % 2 === 0 ? 1 : 0, mutate && g.c % 2 ? [others.length ? s.eps[others[0]].id : ep] : [ep]);
      return [toTx(b), smc(FID.MEM_RELINQUISH)];
    }
    case 'reclaim': {
      const mine = live(s).filter((t) => t.sender === ep);
      const t = pick(mine.length && g.d % 6 ? mine : live(s), g.a);
      const h = t ? t.handle : BigInt(g.a);
      return [smc(FID.MEM_RECLAIM, Number(h & 0xffffffffn), Number(h >> 32n), g.b % 3 === 0 ? 1 : mutate ? Number(g.v & 0xffn) : 0)];
    }
    case 'release': {
      // A receiver in the middle of a fragmented retrieve releases RX and asks for the next fragment.
      const t = live(s).find((x) => x.receivers.some((r) => r.id === ep && r.retrieved > 0 && r.retrieved < x.fragCounts.length));
      const rel = smc(FID.RX_RELEASE, mutate ? Number(g.v & 0xffff0000n) : 0);
      if (!t || g.b % 3 === 0) return [rel];
      const r = t.receivers.find((x) => x.id === ep)!;
      const off = 80 + 16 * t.fragCounts.slice(0, r.retrieved).reduce((a, n) => a + n, 0);
      return [rel, smc(FID.MEM_FRAG_RX, Number(t.handle & 0xffffffffn), Number(t.handle >> 32n), off, 0)];
    }
    case 'msg2': {
      const to = s.eps[pick(others, g.a) ?? k].id;
      const payload = Array.from({ length: 1 + (g.b % 3) }, (_, j) => BigInt(0x1000 * (j + 1) + g.c));
      const b = encodeMessage(mutate && g.d % 2 ? to : ep, mutate && g.d % 3 === 0 ? ep : to, payload, mutate && g.d % 5 === 0 ? 8 : 24);
      return [toTx(b), smc(FID.MSG_SEND2, 0, mutate ? Number(g.v & 3n) : 0)];
    }
    case 'req': {
      const sps = others.filter((j) => s.eps[j].sp);
      const to = s.eps[pick(sps.length && g.d % 7 ? sps : others, g.a) ?? k].id;
      return [smc(FID.MSG_SEND_DIRECT_REQ, (ep << 16) | to, mutate && g.d % 3 === 0 ? 1 : 0, 0, g.v & 0xffffn, BigInt(g.b), BigInt(g.c), 0, 0)];
    }
    case 'resp': {
      const to = vcpu.serving >= 0 && !(!known && g.d % 3 === 0) ? vcpu.serving : s.eps[pick(others, g.a) ?? k].id;
      return [smc(FID.MSG_SEND_DIRECT_RESP, (ep << 16) | to, 0, 0, BigInt(g.b), BigInt(g.c), 0, 0, 0)];
    }
    case 'info': {
      const e = pick(c.endpoints, g.a)!;
      const uuid = g.b % 3 === 0 ? [0, 0, 0, 0] : g.b % 3 === 1 ? e.uuid : [g.c, 1, 2, 3];
      return [smc(FID.PARTITION_INFO_GET, ...uuid, g.d % 4 === 0 ? 1 : g.d % 9 === 1 ? 2 : 0)];
    }
    case 'misc': {
      switch (g.a % 6) {
        case 0: return [smc(FID.VERSION, g.b % 4 === 0 ? 0x80000000 : 0x10001)];
        case 1: return [smc(FID.ID_GET)];
        case 2: return [smc(FID.FEATURES, g.b % 3 === 0 ? g.c : pick(FIDS, g.c)!)];
        case 3: return [smc(FID.RXTX_UNMAP, g.d % 5 === 0 ? 0x10000 : 0)];
        default: {
          const own = hot(s, k, (m) => pageState(m) === 'Owner-EA' && (m & M.W) !== 0 && (m & M.D) === 0);
          const cfg = c.endpoints[k];
          const tx = me.mbox.tx < 0 && cfg.tx !== undefined && g.b % 2 === 0 ? cfg.tx / PAGE : pick(own, g.b) ?? g.b;
          const rx = me.mbox.tx < 0 && cfg.rx !== undefined && g.b % 2 === 0 ? cfg.rx / PAGE : pick(own, g.c) ?? g.c;
          return [smc(FID.RXTX_MAP, tx * PAGE, rx * PAGE, g.d % 6 === 0 ? 2 : 1)];
        }
      }
    }
    case 'rawsmc': {
      const fid = g.a % 4 === 0 ? Number(g.v & 0xffffffffn) : pick(FIDS, g.b)!;
      const meaningful = [0n, 1n, 16n, 48n, 64n, 96n, BigInt(ep), BigInt(((s.eps[pick(others, g.c) ?? k].id << 16) | ep) >>> 0), BigInt(g.c * PAGE), g.v, (1n << 63n), 0xffffffffn];
      return [smc(fid, ...Array.from({ length: 7 }, (_, j) => meaningful[(g.d + j * g.e) % meaningful.length]))];
    }
    case 'rawmem': {
      const addr = BigInt((g.a % c.pages) * PAGE + 8 * (g.c % 4)) + (g.e % 17 === 0 ? 3n : 0n);
      if (g.b % 3 === 0) return [{ kind: 'fetch', cpu, ep, addr }];
      if (g.b % 3 === 1) return [{ kind: 'load', cpu, ep, addr, reg: 8 + (g.d % 8) }];
      return [{ kind: 'mov', cpu, ep, dst: 9, imm: g.v }, { kind: 'store', cpu, ep, addr, reg: 9 }];
    }
    case 'rawtx': return [{ kind: 'stores', cpu, ep, addr: txAddr + BigInt(8 * (g.a % 8)), values: [g.v, BigInt(g.b) << 32n | BigInt(g.c), BigInt(g.e)] }];
  }
}

/** Corrupt one field of a descriptor (malformed descriptors, reference §4.1.6–19). */
function patch(b0: Uint8Array, g: Gen, compOff: number): Uint8Array {
  const b = new Uint8Array(Math.max(b0.length, compOff + 48));
  b.set(b0);
  const dv = new DataView(b.buffer);
  const w32 = (o: number, v: number) => { if (o + 4 <= b.length) dv.setUint32(o, v >>> 0, true); };
  switch (g.v % 21n) {
    case 0n: b[40] = 1; break;
    case 1n: w32(24, 32); break;
    case 2n: w32(32, 32); break;
    case 3n: w32(28, g.b % 2 ? 0 : 3); break;
    case 4n: w32(52, 0); break;
    case 5n: w32(4, g.b % 2 ? 1 << 5 : 2); break;
    case 6n: b[50] |= 8; break;
    case 7n: b[50] |= 3; break;
    case 8n: b[2] |= 0x40; break;
    case 9n: if (b.length >= 66) { b[64] = b[48]; b[65] = b[49]; } break;
    case 10n: if (b0.length > compOff + 32) b.copyWithin(compOff + 32, compOff + 16, compOff + 32); break;
    case 11n: w32(compOff, dv.getUint32(compOff, true) + 1); break;
    case 12n: b[compOff + 17] |= 0x8; break;
    case 13n: w32(compOff + 24, 0xffffffff); w32(compOff, 0xffffffff); break;
    case 14n: b[0] ^= 3; break;
    case 15n: b[48] = b[0]; b[49] = b[1]; break;
    case 16n: b[56] = 1; break;
    case 17n: b[2] = 0x10; break;
    case 18n: b[16] ^= 0xff; break;
    case 19n: b[compOff + 20] = 0xff; break;
    default: b[12] = 1; break;
  }
  return b.slice(0, b0.length);
}

function send(s: RealState, g: Gen, k: number, c: Cfg, cpu: number, mutate: boolean, toTx: (b: Uint8Array) => Action, smc: (...r: (bigint | number)[]) => Action): readonly Action[] {
  const caller = s.eps[k];
  // An unknown endpoint sometimes names another endpoint as the sender, with that endpoint's pages.
  const spoof = !c.known.includes(caller.id) && g.e % 13 === 5;
  const victim = spoof ? (k + 1 + (g.c % (s.eps.length - 1))) % s.eps.length : k;
  const me = s.eps[victim];
  const func: Func = (['SHARE', 'LEND', 'DONATE'] as const)[g.a % 3];
  const fid = func === 'SHARE' ? FID.MEM_SHARE : func === 'LEND' ? FID.MEM_LEND : FID.MEM_DONATE;
  // Receivers: the world rules make SPs the useful borrowers; normal-world multi-borrower adds a VM.
  // Sometimes any endpoint (an SP naming a VM is refused, reference §4.1.9).
  const sps = s.eps.map((e, j) => j).filter((j) => j !== k && j !== victim && s.eps[j].sp);
  const vms = s.eps.map((e, j) => j).filter((j) => j !== k && j !== victim && !s.eps[j].sp);
  const n = func === 'DONATE' ? 1 : 1 + (g.b % 2);
  const wild = g.e % 6 === 5;
  const first = (wild ? pick([...vms, ...sps], g.c) : pick(sps, g.c) ?? pick(vms, g.c)) ?? k;
  const pool = [...sps, ...(me.sp || func !== 'SHARE' ? [] : vms)].filter((j) => j !== first);
  const recv = [first, ...(n > 1 && pool.length ? [pick(pool, g.d)!] : [])];
  // Pages: what the sender owns exclusively (device pages only for a single-borrower LEND).
  const own = hot(s, victim, (m) => pageState(m) === 'Owner-EA' && ((m & M.D) === 0 || (func === 'LEND' && recv.length === 1)));
  // Sometimes any page, mostly one the sender already has in a live transaction (a double share or
  // lend: refused with DENIED, reference §4.1.21 and §5).
  const inTxn = live(s).filter((t) => t.sender === me.id).flatMap((t) => t.constituents.map((x) => x.page));
  const any = inTxn.length && g.e % 2 === 0 ? inTxn : hot(s, victim, () => true);
  const base = g.e % 11 === 0 || (inTxn.length && g.e % 7 === 0) ? pick(any, g.d) : pick(own, g.d);
  if (base === undefined) return [];
  const two = (g.e & 4) !== 0;
  const second = two ? pick(own.filter((p) => p !== base), g.d + 1) : undefined;
  const consts = [{ addr: BigInt(base * PAGE), pages: 1 }, ...(second !== undefined ? [{ addr: BigInt(second * PAGE), pages: 1 }] : [])];
  const data = (g.e & 1) !== 0 ? 2 : 1;
  const clear = func !== 'SHARE' ? (g.e & 2) !== 0 : g.e % 29 === 0;
  const attrs = func === 'SHARE' || (func === 'LEND' && recv.length > 1) ? ((g.e & 16) !== 0 ? 0x2f : 0) : g.e % 31 === 0 ? 0x2f : 0;
  const tag = BigInt(g.b);
  let b = encodeMemDesc({
    sender: me.id, attrs, flags: clear ? 1 : 0, handle: 0n, tag,
    receivers: recv.map((j) => ({ id: s.eps[j].id, perms: func === 'DONATE' ? 0 : data, flags: 0 })), constituents: consts,
  });
  const compOff = 48 + 16 * recv.length;
  if (mutate) b = patch(b, g, compOff);
  const total = mutate && g.d % 9 === 0 ? b.length + 16 : b.length;
  const frag = consts.length === 2 && (g.e & 8) !== 0 && !mutate;
  if (!frag) return [toTx(b), smc(fid, total, b.length)];
  const len1 = compOff + 32;
  const slot = s.txns.findIndex((t) => t === null);
  const h = BigInt(slot < 0 ? 0 : slot);
  const out: Action[] = [toTx(b.slice(0, len1)), smc(fid, total, len1)];
  if ((g.e & 32) === 0 || c.known.includes(caller.id)) out.push(toTx(b.slice(len1)), smc(FID.MEM_FRAG_TX, Number(h), 0, b.length - len1, 0));
  return out;
}
