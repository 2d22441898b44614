// Trace generation: abstract commands that resolve against the current real state into concrete
// actions. Picks are indices into what is meaningful now (runnable ECs, the caller's capabilities of
// the wanted type, free hot selectors, mapped pages), mixed with capabilities of the wrong type and raw
// 64-bit values. Macro commands build the lifecycles the bug classes need quickly: a child PD with
// spaces, a handler EC + PT bound to its event selectors, a global EC with an SC, mapped memory and
// masked capabilities; the root grabbing NOVA's host space, interrupt SMs, DMA spaces.
import fc from 'fast-check';
import { traceOf } from '../engine/shrink';
import { pget } from '../../model/pvec';
import type { Action, Cap, Config, Ec, Kobj, State } from '../../real/nova/types';
import { encodeCall, Args } from '../../real/nova/abi';
import { ecAt, memsel, objSpace, pdAt, sels } from '../../real/nova/state';

export type Cmd =
  | { readonly k: 'call'; readonly who: number; readonly n: number; readonly pick: readonly number[]; readonly raw: readonly bigint[]; readonly flags: number; readonly mode: number }
  | { readonly k: 'spawn'; readonly cpuA: number; readonly cpuB: number; readonly mask: number; readonly page: number; readonly ord: number }
  | { readonly k: 'grab'; readonly what: number; readonly i: number; readonly j: number; readonly mask: number }
  | { readonly k: 'mem'; readonly who: number; readonly write: boolean; readonly page: number; readonly word: number; readonly value: bigint; readonly secret: boolean }
  | { readonly k: 'mov'; readonly who: number; readonly reg: number; readonly value: bigint; readonly secret: boolean }
  | { readonly k: 'exc'; readonly who: number; readonly ev: number }
  | { readonly k: 'reply'; readonly who: number; readonly mtd: number }
  | { readonly k: 'irq'; readonly n: number }
  | { readonly k: 'tick'; readonly cpu: number; readonly t: number }
  | { readonly k: 'dma'; readonly dev: number; readonly page: number; readonly write: boolean; readonly value: bigint };

/** Selectors the generator creates at: several capability tables, so MEM_CAP is reachable. */
const HOT = [6, 7, 8, 9, 10, 11, 12, 0x20, 0x21, 0x22, 513, 514, 1025, 2049];
/** Host pages user code maps and touches; the UTCBs the spawn macro places. */
const VPAGES = [0x10, 0x11, 0x12, 0x13, 0x7e, 0x7f];
const EVT = 0x100n;

const big = fc.oneof(fc.bigInt(0n, 15n), fc.bigInt(0n, (1n << 64n) - 1n), fc.constantFrom(0xfffn, 1n << 63n, (1n << 64n) - 1n, 0x1000n));
const cmdArb = (c: Config): fc.Arbitrary<Cmd> => fc.oneof(
  { weight: 40, arbitrary: fc.record({ k: fc.constant('call' as const), who: fc.nat(7), n: fc.nat(15), pick: fc.array(fc.nat(99), { minLength: 6, maxLength: 6 }), raw: fc.array(big, { minLength: 5, maxLength: 5 }), flags: fc.nat(15), mode: fc.nat(19) }) },
  { weight: 12, arbitrary: fc.record({ k: fc.constant('mem' as const), who: fc.nat(7), write: fc.boolean(), page: fc.nat(VPAGES.length), word: fc.nat(3), value: fc.bigInt(0n, 255n), secret: fc.boolean() }) },
  { weight: 6, arbitrary: fc.record({ k: fc.constant('reply' as const), who: fc.nat(7), mtd: fc.constantFrom(0, 1, 4) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('mov' as const), who: fc.nat(7), reg: fc.nat(7), value: fc.bigInt(0n, 255n), secret: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('exc' as const), who: fc.nat(7), ev: fc.constantFrom(0, 1, 2, 64, 65) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('irq' as const), n: fc.nat(Math.max(0, c.irqs - 1)) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('tick' as const), cpu: fc.nat(c.cpus - 1), t: fc.integer({ min: 1, max: 20 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('dma' as const), dev: fc.nat(Math.max(0, c.devices - 1)), page: fc.nat(VPAGES.length), write: fc.boolean(), value: fc.bigInt(0n, 255n) }) },
  { weight: 10, arbitrary: fc.record({ k: fc.constant('grab' as const), what: fc.nat(9), i: fc.nat(99), j: fc.nat(99), mask: fc.nat(31) }) },
  { weight: 6, arbitrary: fc.record({ k: fc.constant('spawn' as const), cpuA: fc.nat(c.cpus - 1), cpuB: fc.nat(c.cpus - 1), mask: fc.nat(31), page: fc.nat(c.pages - 1), ord: fc.nat(2) }) },
);

export const traceArb = (c: Config, steps: number): fc.Arbitrary<readonly Cmd[]> =>
  // At least 10 commands are generated (short traces rarely reach a deep state); a counterexample shrinks below.
  traceOf(cmdArb(c), { minLength: Math.min(steps, 10), maxLength: steps, shrinkTo: 1 });

// ---- Resolution ---------------------------------------------------------------------------------
function runnable(s: State): Ec[] {
  const out: Ec[] = [];
  for (let i = 0; i < s.next; i++) { const o = pget(s.objs, i); if (o && o.type === 'EC' && o.st === 'run') out.push(o); }
  return out;
}
const rootEc = (s: State): Ec | null => {
  for (let i = 0; i < s.next; i++) { const o = pget(s.objs, i); if (o && o.type === 'EC' && o.pd === s.rootPd) return o; }
  return null;
};
const target = (s: State, c: Cap): Kobj | null => pget(s.objs, c.obj);
/** The caller's selectors whose capability names an object of the wanted kind. */
function selsOf(s: State, e: Ec, want: (o: Kobj, c: Cap) => boolean): number[] {
  const sp = objSpace(s, e.objSp);
  if (!sp) return [];
  const out: number[] = [];
  for (const [sel, c] of sp.caps) { const o = target(s, c); if (o && want(o, c)) out.push(sel); }
  return out.sort((a, b) => a - b);
}
const kind = (t: string, sub?: string) => (o: Kobj) => o.type === t && (sub === undefined || (o.type === 'PD' && o.sub === sub) || (o.type === 'EC' && o.sub === sub));

export function resolve(s: State, g: Cmd, c: Config): readonly Action[] {
  const run = runnable(s);
  const who = (i: number) => (run.length ? run[i % run.length] : null);
  // Nobody can run: time passes (SM waits time out).
  if (!run.length && g.k !== 'irq' && g.k !== 'dma') return [{ kind: 'tick', cpu: 0, ticks: 10 }, { kind: 'tick', cpu: c.cpus - 1, ticks: 10 }];
  switch (g.k) {
    case 'call': { const e = who(g.who); return e ? [{ kind: 'hypercall', cpu: e.cpu, ec: e.id, regs: callRegs(s, e, g, c) }] : []; }
    case 'spawn': return spawn(s, g, c);
    case 'grab': return grab(s, g, c);
    case 'mem': {
      const e = who(g.who);
      if (!e) return [];
      const page = g.page < VPAGES.length ? VPAGES[g.page] : g.word === 3 ? memsel(c) - 1 : e.hva >= 0 ? e.hva : 0x10;
      const addr = (BigInt(page) << 12n) | BigInt(g.word * 8);
      return [g.write ? { kind: 'store', cpu: e.cpu, ec: e.id, addr, value: g.value, ...(g.secret ? { secret: true } : {}) } : { kind: 'load', cpu: e.cpu, ec: e.id, addr }];
    }
    case 'mov': { const e = who(g.who); return e ? [{ kind: 'mov', cpu: e.cpu, ec: e.id, reg: g.reg, value: g.value, ...(g.secret ? { secret: true } : {}) }] : []; }
    case 'reply': {
      const hs = run.filter((e) => e.caller >= 0);
      const e = hs.length ? hs[g.who % hs.length] : null;
      return e ? [{ kind: 'hypercall', cpu: e.cpu, ec: e.id, regs: encodeCall('ipc_reply', { mtd: g.mtd }) }] : [];
    }
    case 'exc': {
      // The root has no exception handler: an exception would kill it and end the trace's progress.
      const xs = run.filter((e) => e.pd !== s.rootPd);
      const e = xs.length ? xs[g.who % xs.length] : null;
      return e ? [{ kind: 'exc', cpu: e.cpu, ec: e.id, ev: g.ev }] : [];
    }
    case 'irq': return c.irqs ? [{ kind: 'irq', irq: g.n % c.irqs }] : [];
    case 'tick': return [{ kind: 'tick', cpu: g.cpu % c.cpus, ticks: g.t }];
    case 'dma': return c.devices ? [{ kind: 'dma', dev: g.dev % c.devices, addr: BigInt(VPAGES[g.page % VPAGES.length]) << 12n, write: g.write, value: g.value }] : [];
  }
}

function callRegs(s: State, e: Ec, g: Extract<Cmd, { k: 'call' }>, c: Config): bigint[] {
  if (g.mode === 19) return [...g.raw];                                   // fully arbitrary registers
  const S = sels(c);
  const p = g.pick;
  const any = selsOf(s, e, () => true);
  /** A selector of the wanted kind (70%), any capability (20%), or a free/raw one. */
  const choose = (want: (o: Kobj, c: Cap) => boolean, k: number): number | bigint => {
    const m = p[k] % 10, good = selsOf(s, e, want);
    if (m < 7 && good.length) return good[p[(k + 1) % 6] % good.length];
    if (m < 9 && any.length) return any[p[(k + 2) % 6] % any.length];
    return m === 9 && g.mode > 15 ? g.raw[k % 5] : HOT[p[k] % HOT.length];
  };
  /** A free selector near a hot one (occupied ones 1 in 5, for the insert row; raw ones rarely). */
  const free = (): number | bigint => {
    if (g.mode === 18) return g.raw[0];
    if (p[0] % 5 === 0 && any.length) return any[p[1] % any.length];
    const caps = objSpace(s, e.objSp)?.caps;
    let sel = HOT[p[2] % HOT.length];
    for (let i = 0; i < 32 && caps?.has(sel); i++) sel++;
    return sel;
  };
  const pd = (k: number) => choose(kind('PD', 'pd'), k);
  const ecs = (k: number, sub?: string) => choose(kind('EC', sub), k);
  const small = (k: number) => BigInt(p[k] % 4);
  const f = g.flags;
  const a: Args = {};
  let name = '';
  switch (g.n) {
    case 0: {
      name = 'ipc_call';
      const pt = choose(kind('PT'), 0);
      const cap = typeof pt === 'number' ? objSpace(s, e.objSp)?.caps.get(pt) : undefined;
      const t = cap ? pget(s.objs, cap.obj) : null, h = t && t.type === 'PT' ? ecAt(s, t.ec) : null;
      // Helping a busy callee can livelock a trace (a cycle of handlers): mostly ask for TIMEOUT instead.
      const busy = !!h && !(h.st === 'wait' && h.cont === null && h.caller < 0);
      Object.assign(a, { pt, mtd: small(3), T: (f & 1) !== 0 || (busy && p[5] % 8 !== 0) });
      break;
    }
    case 1:
      // A reply without a caller parks the EC for good: rarely, and never the root's.
      if (e.caller < 0 && (e.pd === s.rootPd || p[2] % 10 !== 0)) return encodeCall('ctrl_hw', { op: 1 });
      name = 'ipc_reply'; Object.assign(a, { mtd: p[3] % 3 === 0 ? 4n : small(3) }); break;
    case 2: name = 'create_pd'; Object.assign(a, { sel: free(), pd: pd(1), op: p[4] % 10 < 7 ? p[4] % 5 : f }); break;
    case 3: name = 'create_ec'; Object.assign(a, {
      sel: free(), pd: pd(1), hva: g.mode === 17 ? g.raw[2] : BigInt(VPAGES[p[2] % VPAGES.length] + 0x20) << 12n, cpu: p[3] % (c.cpus + 1),
      sp: 0n, evt: EVT, G: p[4] % 10 === 0, T: (f & 2) !== 0 }); break;
    case 4: name = 'create_sc'; Object.assign(a, { sel: free(), pd: pd(1), ec: ecs(2), budget: p[3] % 8 === 0 ? 0 : 10, prio: p[4] % 8 === 0 ? 0 : 1, cos: p[5] % 12 === 0 ? 1 : 0 }); break;
    case 5: name = 'create_pt'; Object.assign(a, { sel: free(), pd: pd(1), ec: ecs(2, 'local'), ip: 0x1000n }); break;
    case 6: name = 'create_sm'; Object.assign(a, { sel: free(), pd: pd(1), cnt: p[3] % 6 === 0 ? (1n << 64n) - 1n : small(3) }); break;
    case 7: {
      name = 'ctrl_pd';
      const src = choose((o, cp) => o.type === 'PD' && o.sub !== 'pd' && (cp.perm & 2) !== 0, 0);
      const dst = choose((o, cp) => o.type === 'PD' && o.sub !== 'pd' && (cp.perm & 1) !== 0, 1);
      const so = typeof src === 'number' ? objSpace(s, e.objSp)?.caps.get(src) : undefined;
      const isObj = so ? pget(s.objs, so.obj)?.type === 'PD' && (pget(s.objs, so.obj) as { sub: string }).sub === 'obj' : true;
      const ord = p[2] % 10 < 7 ? p[2] % 2 : p[2] % 4;
      const align = (v: number) => v - (v % 2 ** ord);
      const top = isObj ? 2 ** c.selBits : memsel(c);
      const srcSpace = so ? pget(s.objs, so.obj) : null;
      const srcSels = srcSpace && srcSpace.type === 'PD' && srcSpace.sub === 'obj' ? [...srcSpace.caps.keys()] : srcSpace && srcSpace.type === 'PD' && srcSpace.sub !== 'pd' && srcSpace.id !== s.novaHst ? [...srcSpace.maps.keys()] : [];
      const ssb = p[3] % 10 === 0 ? top + (p[4] % 8) : srcSpace?.id === s.novaHst ? c.kernelPages + (p[3] % (c.pages - c.kernelPages)) : srcSels.length ? srcSels[p[3] % srcSels.length] : HOT[p[3] % HOT.length];
      const dsb = p[4] % 12 === 0 ? top + (p[5] % 8) : isObj ? (p[4] % 3 === 0 ? Number(choose(() => true, 4)) : HOT[p[4] % HOT.length]) : VPAGES[p[4] % VPAGES.length];
      const pmm = p[5] % 5 === 0 ? 0x1f : p[5] % 7 === 0 ? 0 : p[5] % 32;
      Object.assign(a, { src, dst, ssb: align(ssb), ord, dsb: align(dsb), pmm, mad: p[1] % 9 === 0 ? 4 : 0 });
      break;
    }
    case 8: {
      // A RECALL of the root would kill it (no handler): recall other ECs.
      const rootSel = selsOf(s, e, (o) => o.type === 'EC' && o.pd === s.rootPd);
      const t = ecs(0);
      name = 'ctrl_ec'; Object.assign(a, { ec: typeof t === 'number' && rootSel.includes(t) ? HOT[p[3] % HOT.length] : t, S: f & 1 });
      break;
    }
    case 9: name = 'ctrl_sc'; Object.assign(a, { sc: choose(kind('SC'), 0) }); break;
    case 10: name = 'ctrl_pt'; Object.assign(a, { pt: choose(kind('PT'), 0), id: BigInt(p[2]), mtd: p[3] % 2 ? 4 : small(3) }); break;
    case 11: name = 'ctrl_sm'; Object.assign(a, { sm: choose(kind('SM'), 0), stc: p[2] % 6 !== 0 || e.pd === s.rootPd ? s.now + BigInt(1 + (p[3] % 10)) : 0n, D: f & 1, Z: (f >> 1) & 1 }); break;
    case 12: name = 'ctrl_hw'; Object.assign(a, { desc: p[0] % 3, op: [0, 0, 1, 4, 5, 6, 7, 9][p[1] % 8] }); break;
    case 13: name = 'assign_int'; Object.assign(a, { sm: choose(kind('SM'), 0), cpu: p[2] % (c.cpus + 1), dev: 0, flags: p[3] % 4 === 0 ? 1 : 0 }); break;
    case 14: name = 'assign_dev'; Object.assign(a, { dma: choose(kind('PD', 'dma'), 0), smmu: 0x2000_0000n + BigInt(p[2] % (c.smmus + 1)) * 0x1000n, dad: p[3] % (c.devices + 1) }); break;
    default: return [((g.raw[0] & ~0xfn) | 0xfn), ...g.raw.slice(1)];
  }
  void S;
  return encodeCall(name, a);
}

/** The root builds a child PD: spaces, a handler EC with a PT on its STARTUP/RECALL/exception
 *  selectors, a global EC with an SC, a masked PD capability, its own spaces' capabilities, memory. */
function spawn(s: State, g: Extract<Cmd, { k: 'spawn' }>, c: Config): Action[] {
  const r = rootEc(s);
  if (!r || r.st !== 'run' || r.cont || r.recall) return [];
  const S = sels(c), B = 0x40 + 16 * (s.pdCount % 60);
  const h = (name: string, args: Args): Action => ({ kind: 'hypercall', cpu: r.cpu, ec: r.id, regs: encodeCall(name, args) });
  const give = (ssb: number, dsb: number, pmm: number) => h('ctrl_pd', { src: S.R_OBJ, dst: B + 1, ssb, dsb, ord: 0, pmm });
  const ord = g.ord, page = (c.kernelPages + (g.page % (c.pages - c.kernelPages - 1 - 2 ** ord))) & ~(2 ** ord - 1);
  return [
    h('create_pd', { sel: B, pd: S.R_PD, op: 0 }),
    h('create_pd', { sel: B + 1, pd: B, op: 1 }),
    h('create_pd', { sel: B + 2, pd: B, op: 2 }),
    h('create_ec', { sel: B + 3, pd: B, hva: 0x7f000n, cpu: g.cpuA, evt: EVT }),
    h('create_pt', { sel: B + 4, pd: B, ec: B + 3, ip: 0x1000n }),
    h('create_ec', { sel: B + 5, pd: B, hva: 0x7e000n, cpu: g.cpuB, evt: EVT, T: true }),
    h('ctrl_pt', { pt: B + 4, id: BigInt(B), mtd: 4 }),
    give(B + 4, 0x100 + 64, 0x1f), give(B + 4, 0x100 + 65, 0x1f), give(B + 4, 0x100 + 1, g.mask | 1),
    give(B, 1, g.mask), give(B + 1, 2, 0x1f), give(B + 2, 3, 0x1f), give(B + 4, 4, g.mask), give(B + 3, 5, 0x1f),
    h('ctrl_pd', { src: S.R_NOVA, dst: S.R_OBJ, ssb: S.NOVA_HST, dsb: 0x3f, ord: 0, pmm: 0x1f }),
    h('ctrl_pd', { src: 0x3f, dst: B + 2, ssb: page, dsb: 0x10, ord, pmm: 3 }),
    h('create_sc', { sel: B + 6, pd: B, ec: B + 5, budget: 10, prio: 1 }),
    // A masked copy of the child's PD capability for the root (create_* with a PD capability lacking bits).
    h('ctrl_pd', { src: S.R_OBJ, dst: S.R_OBJ, ssb: B, dsb: B + 7, ord: 0, pmm: g.mask ^ 0x1e }),
  ];
}

/** The root takes NOVA's host space, its own host space, interrupt SMs; makes masked copies of its
 *  capabilities; gives capabilities to children; makes DMA spaces and assigns devices. */
function grab(s: State, g: Extract<Cmd, { k: 'grab' }>, c: Config): Action[] {
  const r = rootEc(s);
  if (!r || r.st !== 'run' || r.cont || r.recall) return [];
  const S = sels(c);
  const h = (name: string, args: Args): Action => ({ kind: 'hypercall', cpu: r.cpu, ec: r.id, regs: encodeCall(name, args) });
  const mine = selsOf(s, r, () => true);
  const pick = (i: number) => mine[i % mine.length];
  switch (g.what) {
    case 2: return [
      h('ctrl_pd', { src: S.R_NOVA, dst: S.R_OBJ, ssb: S.NOVA_HST, dsb: 0x3f, ord: 0, pmm: 0x1f }),
      h('ctrl_pd', { src: S.R_NOVA, dst: S.R_OBJ, ssb: S.ROOT_HST, dsb: 0x3e, ord: 0, pmm: 0x1f }),
      h('ctrl_pd', { src: 0x3f, dst: 0x3e, ssb: c.kernelPages + (g.i % (c.pages - c.kernelPages - 1)), dsb: VPAGES[g.j % 4], ord: 0, pmm: g.mask | 1 }),
    ];
    case 1: {
      const i = g.i % Math.max(1, c.irqs);
      return c.irqs ? [
        h('ctrl_pd', { src: S.R_NOVA, dst: S.R_OBJ, ssb: S.NOVA_INT + i, dsb: 0x30 + i, ord: 0, pmm: 0x1f }),
        h('assign_int', { sm: 0x30 + i, cpu: g.j % c.cpus, dev: 0, flags: 0 }),
      ] : [];
    }
    case 0: return [h('ctrl_pd', { src: S.R_OBJ, dst: S.R_OBJ, ssb: g.i % 3 === 0 ? S.R_PD : pick(g.i), dsb: HOT[g.j % HOT.length], ord: 0, pmm: g.mask })];
    case 3: {
      const kids = selsOf(s, r, (o) => o.type === 'PD' && o.sub === 'obj' && o.id !== r.objSp && o.id !== s.novaObj);
      return kids.length ? [h('ctrl_pd', { src: S.R_OBJ, dst: kids[g.j % kids.length], ssb: g.i % 4 === 0 ? S.R_PD : pick(g.i), dsb: HOT[g.mask % HOT.length], ord: 0, pmm: g.mask })] : [];
    }
    case 4: {
      const pds = selsOf(s, r, kind('PD', 'pd'));
      const pdSel = pds[g.i % pds.length];
      return [
        h('create_pd', { sel: 0x28 + (g.j % 4), pd: pdSel, op: 4 }),
        h('ctrl_pd', { src: S.R_NOVA, dst: S.R_OBJ, ssb: S.NOVA_HST, dsb: 0x3f, ord: 0, pmm: 0x1f }),
        h('ctrl_pd', { src: 0x3f, dst: 0x28 + (g.j % 4), ssb: c.kernelPages + (g.i % (c.pages - c.kernelPages - 1)), dsb: VPAGES[g.j % VPAGES.length], ord: 0, pmm: g.mask | 3 }),
        h('assign_dev', { dma: 0x28 + (g.j % 4), smmu: 0x2000_0000n, dad: g.mask % Math.max(1, c.devices) }),
      ];
    }
    case 8: {
      // A masked copy of a PD capability, used at once by a create call (B.8: create_* without the PD bit,
      // create_pd's inherited permissions).
      const pds = selsOf(s, r, kind('PD', 'pd')).filter((x) => x !== 0x3b);
      const ecsL = selsOf(s, r, kind('EC', 'local')), ecsG = selsOf(s, r, (o) => o.type === 'EC' && o.sub !== 'local');
      const caps = objSpace(s, r.objSp)!.caps;
      let sel = 0x100 + (g.j % 64); while (caps.has(sel) && sel < 0x200) sel++;
      const use = [
        h('create_pd', { sel, pd: 0x3b, op: 0 }), h('create_sm', { sel, pd: 0x3b }),
        h('create_sc', { sel, pd: 0x3b, ec: ecsG.length ? ecsG[g.i % ecsG.length] : S.R_EC, budget: 1, prio: 1 }),
        h('create_pt', { sel, pd: 0x3b, ec: ecsL.length ? ecsL[g.i % ecsL.length] : 0 }),
        h('create_ec', { sel, pd: 0x3b, hva: 0x30000, cpu: 0, evt: EVT }),
      ][g.j % 5];
      return [h('ctrl_pd', { src: S.R_OBJ, dst: S.R_OBJ, ssb: pds[g.i % pds.length], dsb: 0x3b, ord: 0, pmm: g.mask }), use];
    }
    case 9: {
      // A derivation chain (B.5: child and grandchild nodes) and a revoke at its top (BAD_HYP in the
      // modern interface, number 0xf).
      const top = g.i % 2 ? S.R_PD : 0x3c;
      return [
        h('ctrl_pd', { src: S.R_OBJ, dst: S.R_OBJ, ssb: S.R_PD, dsb: 0x3c, ord: 0, pmm: 0x1f }),
        h('ctrl_pd', { src: S.R_OBJ, dst: S.R_OBJ, ssb: 0x3c, dsb: 0x3d, ord: 0, pmm: 0x1f }),
        h('ctrl_pd', { src: S.R_OBJ, dst: S.R_OBJ, ssb: 0x3d, dsb: 0x3a, ord: 0, pmm: g.mask | 1 }),
        h('revoke', { sel: top, mask: g.mask | 2, self: top !== S.R_PD && g.j % 2 === 0 }),
      ];
    }
    case 6: case 7: {
      // Revocation by overwrite (pmm 0 onto itself), then a use of the revoked selector.
      const t = selsOf(s, r, (o) => o.type === 'PT' || o.type === 'SC' || o.type === 'SM' || (o.type === 'PD' && o.sub === 'pd')).filter((x) => x < 0x3f000);
      if (!t.length) return [];
      const sel = t[g.i % t.length], o = pget(s.objs, objSpace(s, r.objSp)!.caps.get(sel)!.obj)!;
      const use = o.type === 'PT' ? h('ipc_call', { pt: sel, T: 1 }) : o.type === 'SC' ? h('ctrl_sc', { sc: sel }) : o.type === 'SM' ? h('ctrl_sm', { sm: sel }) : h('create_sm', { sel: 0x3a, pd: sel });
      return [h('ctrl_pd', { src: S.R_OBJ, dst: S.R_OBJ, ssb: sel, dsb: sel, ord: 0, pmm: g.what === 6 ? 0 : g.mask }), use];
    }
    default: {
      const pds = selsOf(s, r, kind('PD', 'pd'));
      return [h('create_sm', { sel: 0x38 + (g.j % 4), pd: pds[g.i % pds.length], cnt: g.mask % 3 === 0 ? (1n << 64n) - 1n : 0n })];
    }
  }
}
void pdAt;
