// The ideal machine (reference §6): the real machine's world (page modes, transactions, mailboxes,
// SPMC state, what the SPMC writes) plus, per endpoint vCPU, exclusive registers, and per page a content
// cell owned by exactly the endpoints that can access it. SPMC calls run on the world with the real
// step (the SPMC is not trusted: oracles check it); endpoint loads and stores go to the cell of their
// page; only the rules of rules.ts move data between cells, registers and the world.
import type { RuleSet, Stepped } from '../../model/system';
import { PVec, pdiff, pget, pset, pvecFrom } from '../../model/pvec';
import { Action, Obs, RealState, actor, smc, translate, withCfg, withMem } from '../../real/ffa/machine';
import { Spec } from '../../real/ffa/spec';
import { PAGE, valid } from '../../real/ffa/consts';
import { epIndex, modeAt, pageAt, pagesOf, vcpuFor } from '../../real/ffa/state';
import { RuleName } from './rules';

/** Content of one page: `who` = bitmask of endpoints holding it (0: world memory), `val` = the
 *  held value, or undefined = Unknown (the first access takes the world frame). */
export interface Cell { readonly who: number; readonly val: readonly bigint[] | undefined }
export interface Ideal {
  readonly world: RealState;
  readonly cells: PVec<Cell>;
  /** Exclusive registers per endpoint, per vCPU. */
  readonly xregs: readonly (readonly (readonly bigint[])[])[];
}

/** An ideal state, its fields listed (a spread copy takes another V8 shape when a field is replaced). */
const makeIdeal = (world: RealState, cells: PVec<Cell>, xregs: Ideal['xregs']): Ideal => ({ world, cells, xregs });

const U64 = (1n << 64n) - 1n;
const WORLD: Cell = { who: 0, val: undefined };

/** Endpoints that may access page p other than as their own mailbox: the holders of its cell. */
export function holders(w: RealState, p: number): number {
  let m = 0;
  for (let k = 0; k < w.eps.length; k++) {
    const e = w.eps[k];
    if (valid(modeAt(e, p)) && p !== e.mbox.tx && p !== e.mbox.rx) m |= 1 << k;
  }
  return m;
}
const mailboxPage = (w: RealState, p: number): boolean => w.eps.some((e) => e.mbox.tx === p || e.mbox.rx === p);
const many = (m: number): boolean => (m & (m - 1)) !== 0;

/** The initial cells of a state's pages, computed once per (immutable) initial world. */
const INIT_CELLS = new WeakMap<object, PVec<Cell>>();
export function initIdeal(real: RealState): Ideal {
  let cells = INIT_CELLS.get(real.eps);
  if (!cells) {
    const all: Cell[] = [];
    for (let p = 0; p < real.cfg.pages; p++) { const who = holders(real, p); all.push(who ? { who, val: undefined } : WORLD); }
    cells = pvecFrom(all);
    INIT_CELLS.set(real.eps, cells);
  }
  return makeIdeal(real, cells, real.eps.map((e) => e.vcpus.map((v) => v.regs)));
}

export function stepIdeal(I: Ideal, a: Action, spec: Spec, on: RuleSet): Stepped<Ideal, Obs> {
  const w = I.world;
  const who = actor(w, a);
  if (!who) return { state: I, obs: { k: 'blocked', ep: a.ep } };
  const { i, v } = who;
  const fired: RuleName[] = [], withheld: RuleName[] = [];
  const use = (r: RuleName): boolean => { (on.has(r) ? fired : withheld).push(r); return on.has(r); };
  const e = w.eps[i];
  const done = (state: Ideal, obs: Obs): Stepped<Ideal, Obs> => ({ state, obs, fired, withheld });

  // Page rows this step copied: a later word of the same step writes them in place (a descriptor is
  // up to a page of words stored by one action; copying the row and the world per word was 5% of a
  // checked step). Rows of earlier states are never written.
  const mine = new Set<readonly bigint[]>();
  const writable = (row: readonly bigint[]): bigint[] => {
    if (mine.has(row)) return row as bigint[];
    const r = row.slice();
    mine.add(r);
    return r;
  };
  // One word access by endpoint i: the value read (or null on a fault) and the new state.
  const access = (J: Ideal, addr: bigint, kind: 'load' | 'store' | 'fetch', v: bigint): { J: Ideal; value: bigint | null } => {
    const c = J.world.cfg;
    let t = translate(e, c, addr, kind);
    if (!t) {
      if (use('na-faults') || addr / BigInt(PAGE) >= BigInt(c.pages)) return { J, value: null };
      t = { page: Number(addr / BigInt(PAGE)), word: Number((addr % BigInt(PAGE)) >> 3n) }; // rule off: the access goes through
    }
    if (kind === 'fetch') return { J, value: 0n };
    const { page, word } = t;
    const modelled = word < c.words;
    const cell = pget(J.cells, page);
    if (page === e.mbox.tx || page === e.mbox.rx) {
      if (!use(page === e.mbox.tx ? 'tx-to-world' : 'rx-from-world')) return { J, value: 0n };
      return worldAccess(J, page, word, kind, v, modelled, writable);
    }
    if ((cell.who & (1 << i)) === 0) return worldAccess(J, page, word, kind, v, modelled, writable);
    const cur = cell.val ?? pageAt(J.world, page);
    if (kind === 'load') return { J, value: modelled ? cur[word] : 0n };
    if (!modelled) return { J, value: 0n };
    const val = writable(cur);
    val[word] = v;
    return val === cell.val ? { J, value: 0n } : { J: makeIdeal(J.world, pset(J.cells, page, { who: cell.who, val }), J.xregs), value: 0n };
  };

  switch (a.kind) {
    case 'mov': {
      const x = a.src !== undefined ? I.xregs[i][v][a.src] ?? 0n : (a.imm ?? 0n) & U64;
      return done(setX(I, i, v, a.dst, x), { k: 'mov', ep: a.ep, value: x });
    }
    case 'load': {
      const r = access(I, a.addr, 'load', 0n);
      return done(r.value === null ? I : setX(r.J, i, v, a.reg, r.value), { k: 'load', ep: a.ep, value: r.value });
    }
    case 'store': {
      const r = access(I, a.addr, 'store', I.xregs[i][v][a.reg] ?? 0n);
      return done(r.J, { k: 'store', ep: a.ep, fault: r.value === null ? 0 : -1 });
    }
    case 'stores': {
      let J = I;
      for (let k = 0; k < a.values.length; k++) {
        const r = access(J, a.addr + BigInt(8 * k), 'store', a.values[k] & U64);
        if (r.value === null) return done(J, { k: 'store', ep: a.ep, fault: k });
        J = r.J;
      }
      return done(J, { k: 'store', ep: a.ep, fault: -1 });
    }
    case 'fetch':
      return done(I, { k: 'fetch', ep: a.ep, fault: access(I, a.addr, 'fetch', 0n).value === null });
    case 'smc': {
      const args = use('call-registers') ? a.regs : [];
      const o = smc(w, i, v, a.cpu, args, spec);
      const w2 = withCfg(o.state, w.cfg);
      const obs: Obs = { k: 'smc', ep: a.ep, abi: o.abi, status: o.status, ret: o.ret, cleared: o.cleared, ...(o.row ? { row: o.row } : {}), ...(o.sideEffect ? { side: true } : {}) };
      if (o.state === w) return done(I, obs);
      let J: Ideal = makeIdeal(w2, I.cells, I.xregs);
      // Rule 7: the peer vCPU of a direct message, known from the pre-state, takes x0–x7 from the
      // world: for a request the receiver's vCPU for this CPU, for a response the requester's vCPU
      // recorded when the request was made.
      if ((o.abi === 'MSG_SEND_DIRECT_REQ' || o.abi === 'MSG_SEND_DIRECT_RESP') && o.status === 'SUCCESS') {
        const req = o.abi === 'MSG_SEND_DIRECT_REQ';
        const peer = req ? epIndex(w, Number((a.regs[1] ?? 0n) & 0xffffn)) : epIndex(w, e.vcpus[v].serving);
        const pv = peer < 0 ? -1 : req ? vcpuFor(w.eps[peer], a.cpu) : e.vcpus[v].servingVcpu;
        if (peer >= 0 && pv >= 0 && pv < J.xregs[peer].length && use('direct-registers')) {
          const x = J.xregs.slice();
          const row = x[peer].slice();
          row[pv] = [...w2.eps[peer].vcpus[pv].regs.slice(0, 8), ...J.xregs[peer][pv].slice(8)];
          x[peer] = row;
          J = makeIdeal(J.world, J.cells, x);
        }
      }
      if (w2.eps !== w.eps || o.cleared.length) J = moveCells(J, w, w2, o.cleared, use);
      return done(J, obs);
    }
  }
}

function worldAccess(J: Ideal, page: number, word: number, kind: 'load' | 'store' | 'fetch', v: bigint, modelled: boolean, writable: (row: readonly bigint[]) => bigint[]): { J: Ideal; value: bigint | null } {
  if (kind === 'load') return { J, value: modelled ? pageAt(J.world, page)[word] : 0n };
  if (!modelled) return { J, value: 0n };
  const old = pageAt(J.world, page);
  const row = writable(old);
  row[word] = v;
  return row === old ? { J, value: 0n } : { J: makeIdeal(withMem(J.world, pset(J.world.mem, page, row)), J.cells, J.xregs), value: 0n };
}

function setX(I: Ideal, i: number, k: number, r: number, v: bigint): Ideal {
  if (!(r >= 0 && r < I.xregs[i][k].length)) return I;
  const x = I.xregs.slice();
  const ep = x[i].slice();
  const row = ep[k].slice();
  row[r] = v & U64;
  ep[k] = row;
  x[i] = ep;
  return makeIdeal(I.world, I.cells, x);
}

/**
 * The pages whose holders an SPMC step can have changed: a page's holders read every endpoint's mode
 * of it and whether it is that endpoint's mailbox, so these are the pages where a mode changed, the
 * old and new mailbox pages of an endpoint whose mailbox changed, and the pages the SPMC zeroed.
 */
function touched(pre: RealState, post: RealState, cleared: readonly number[]): number[] {
  const out = new Set<number>(cleared);
  for (let k = 0; k < post.eps.length; k++) {
    const a = pre.eps[k], b = post.eps[k];
    if (a === b) continue;
    if (a.modes !== b.modes) pdiff(a.modes, b.modes, (p) => out.add(p));
    if (a.mbox !== b.mbox) for (const p of [a.mbox.tx, a.mbox.rx, b.mbox.tx, b.mbox.rx]) if (p >= 0) out.add(p);
  }
  return [...out].filter((p) => Number.isInteger(p) && p >= 0 && p < post.cfg.pages).sort((x, y) => x - y);
}

/** Rules 1–4 on the pages whose holders changed (or that the SPMC zeroed) in an SPMC step. */
function moveCells(J: Ideal, pre: RealState, post: RealState, cleared: readonly number[], use: (r: RuleName) => boolean): Ideal {
  let cells = J.cells;
  let mem = J.world.mem;
  const zeroed = { has: (p: number) => cleared.includes(p) };
  for (const p of touched(pre, post, cleared)) {
    const old = pget(J.cells, p);
    const who = holders(post, p);
    if (who === old.who && !zeroed.has(p)) continue;
    const content = old.who ? old.val ?? pageAt(pre, p) : pageAt(pre, p);
    if (who === 0) {
      cells = pset(cells, p, WORLD);
      if (old.who === 0) continue;
      const rule: RuleName = mailboxPage(post, p) ? 'tx-to-world' : many(old.who) ? 'share-cell' : transferRule(pre, post, p);
      if (use(rule) && !zeroed.has(p)) mem = pset(mem, p, content);
    } else if (old.who === 0) {
      cells = pset(cells, p, { who, val: undefined }); // from the world (retrieve, reclaim, unmap): Unknown, read from the frame
    } else {
      const rule: RuleName = many(old.who) || many(who) ? 'share-cell' : transferRule(pre, post, p);
      cells = pset(cells, p, { who, val: use(rule) && !zeroed.has(p) ? content : undefined });
    }
  }
  if (cells === J.cells && mem === J.world.mem) return J;
  return makeIdeal(mem !== J.world.mem ? withMem(J.world, mem) : J.world, cells, J.xregs);
}

/** Rule 2 or 3 by the transaction that covers the page (after the step, or before it). */
function transferRule(pre: RealState, post: RealState, p: number): RuleName {
  for (const s of [post, pre]) for (const t of s.txns) if (t && pagesOf(t.constituents).includes(p)) return t.func === 'DONATE' ? 'donate-transfer' : 'lend-transfer';
  return 'lend-transfer';
}
