// Weak-memory executor for Armv8 (other-multi-copy-atomic) micro-programs and litmus tests.
//
// Model. One shared memory (Armv8 is other-multi-copy-atomic, so a store becomes visible to all
// other CPUs at once: a single memory where stores commit atomically is exact). Each CPU runs a
// straight-line program of micro-ops and may execute a po-later op before a po-earlier one unless
// the Armv8 axiomatic model (herd's aarch64.cat) orders them. A state is a set of executed ops per
// CPU plus the values loads read, and memory. A run is a sequence of `step`s; the sequence is the
// total order in which events happen ("ob" linearised), so:
//   - a store writes memory when it executes (its commit point);
//   - a load not forwarded reads memory when it executes;
//   - a load whose po-latest earlier same-location store has not committed yet *must* take that
//     store's value (forwarding, rfi), once the store's address and data are known;
//   - RMWs (lock, faa) read and write memory in one atomic step.
//
// Ordering rules (op i po-before op j; "i must execute before j"), each one an edge of
// aarch64.cat's locally-ordered-before (lob):
//   bob  po;[dmb.full];po   DMB SY/ISH/OSH orders everything before it with everything after it
//   bob  [R];po;[dmb.ld];po DMB LD orders earlier reads with everything after it
//   bob  [W];po;[dmb.st];po;[W]  DMB ST orders earlier writes with later writes
//   bob  [A|Q];po           LDAR / LDAPR / acquire-RMW: everything later waits for it
//   bob  po;[L]             STLR / release-RMW / unlock waits for everything earlier
//   bob  [L];po;[A]         LDAR (not LDAPR) waits for an earlier STLR (RCsc vs RCpc)
//   dob  addr | data        the dependent access waits for the source load
//   dob  ctrl;[W]           every write after a branch waits for the branch's source loads
//   dob  (ctrl|addr;po);[ISB];po;[R]   reads after an ISB wait for the sources of earlier branches
//                                      and of earlier address dependencies
//   dob  addr;po;[W]        writes after an address-dependent access wait for the address source
//   dob  (addr|data);lrs    a load forwarding from its po-previous same-location store waits for
//                           that store's address and data sources (forwarding rule below)
//   lws  po-loc;[W]         a write waits for every earlier access to the same location
//   aob  rmw; [range(rmw)];lrs;[A|Q]   RMWs are atomic; a load after an RMW to the same location
//                           reads the RMW's write only once it is committed
// and two dynamic rules that come from the internal (coherence) axiom acyclic(po-loc|ca|rf):
//   - a load reads memory only when every po-earlier same-location store has committed (else it
//     forwards from the po-latest one, see above), so it never reads a value co-before its own
//     earlier store;
//   - a load may execute before a po-earlier load of the same location (reads are not in ob), but
//     the earlier one, when it finally executes, must read the same write as the later one or a
//     co-earlier one; in a single memory that means "the same write", else it cannot execute.
//     Such a state can get stuck (`isStuck`), which only prunes that interleaving.
// Reads of different locations, a load after a store to another location, etc. are not ordered.
//
// Known limitation (sound, not complete): an RMW's read and write happen in one step, when the
// union of both halves' ordering constraints is satisfied. The axiomatic model lets the read half
// of e.g. a release RMW (STADDL) be satisfied earlier than its write half; that is observable only
// if the RMW returns its old value into a register used later, or has acquire semantics while its
// write half has extra constraints (release, DMB ST, ctrl). Every outcome this executor yields is
// allowed; the lock/faa shapes used by the RMM micro-programs (lock first in a critical section,
// faa without a result register) are exact.
//
// Barriers (dmb, isb) are not steps: they only contribute ordering edges, so `eligible` never lists
// them and `isDone` ignores them.
//
// Everything here is pure: states are immutable and `step` never throws. `enumerateOutcomes`
// explores every reachable final state by DFS with state deduplication (`stateKey`) and a sound
// partial-order reduction (`localStep`).

export type Val = bigint;
export type DepKind = 'addr' | 'data' | 'ctrl' | 'ctrlisb';
/** A dependency of an op on the registers `on` (each resolved to the po-latest earlier op writing it). */
export interface WmDep {
  readonly kind: DepKind;
  readonly on: readonly string[];
}
export type LoadOrder = 'plain' | 'acquire' | 'acquirePC';
export type StoreOrder = 'plain' | 'release';
export type RmwOrder = 'plain' | 'acquire' | 'release' | 'acqrel';
export type BarrierKind = 'sy' | 'ld' | 'st';

export type WmOp =
  /** LDR (plain), LDAR (acquire), LDAPR (acquirePC). The result goes to `reg` if given. */
  | { readonly op: 'load'; readonly loc: string; readonly reg?: string; readonly order?: LoadOrder; readonly deps?: readonly WmDep[] }
  /** STR / STLR. Value: `reg` (+ `add`), which implies a data dependency, else `val` (default 0). */
  | {
      readonly op: 'store';
      readonly loc: string;
      readonly val?: bigint | number;
      readonly reg?: string;
      readonly add?: bigint | number;
      readonly order?: StoreOrder;
      readonly deps?: readonly WmDep[];
    }
  | { readonly op: 'dmb'; readonly kind: BarrierKind; readonly deps?: readonly WmDep[] }
  | { readonly op: 'isb'; readonly deps?: readonly WmDep[] }
  /** Atomic test-and-set with acquire semantics (SWPA): only eligible while memory[loc] == 0; writes 1. */
  | { readonly op: 'lock'; readonly loc: string; readonly deps?: readonly WmDep[] }
  /** Release store of 0 (STLR). */
  | { readonly op: 'unlock'; readonly loc: string; readonly deps?: readonly WmDep[] }
  /** Atomic fetch-and-add (LDADD/STADD with optional A/L); the old value goes to `reg` if given. */
  | {
      readonly op: 'faa';
      readonly loc: string;
      readonly add: bigint | number;
      readonly reg?: string;
      readonly order?: RmwOrder;
      readonly deps?: readonly WmDep[];
    };

export interface WmThread {
  readonly ops: readonly WmOp[];
}

/** Static, precomputed facts about one op (shared by every state of a program). */
interface OpInfo {
  /** 'R' load, 'W' store (incl. unlock), 'U' RMW (lock, faa), 'N' no memory effect (barrier). */
  readonly kind: 'R' | 'W' | 'U' | 'N';
  readonly loc: string;
  /** ops that must have executed before this one (static lob edges). */
  readonly preds: readonly number[];
  /** po-latest earlier op writing `loc` (store, unlock or RMW), or -1. */
  readonly prevStore: number;
  /** addr/data sources of prevStore: a load forwarding from it waits for these ((addr|data);lrs). */
  readonly fwdPreds: readonly number[];
  /** po-later ops reading `loc` (for the read-read coherence check). */
  readonly laterReads: readonly number[];
  /** po-earlier ops reading `loc` (used only to keep state keys small). */
  readonly earlierReads: readonly number[];
  /** Register this op writes, or undefined. */
  readonly reg: string | undefined;
}

export interface WmProgram {
  readonly threads: readonly (readonly WmOp[])[];
  readonly info: readonly (readonly OpInfo[])[];
  /** Every location mentioned by the program or by init, sorted. */
  readonly locs: readonly string[];
  readonly init: Readonly<Record<string, Val>>;
  readonly initRegs: readonly Readonly<Record<string, Val>>[];
  /** Problems found while compiling (unknown ops are treated as no-ops). */
  readonly errors: readonly string[];
}

/** Per-op execution record: undefined = not executed yet. */
export interface OpDone {
  /** Value read (loads and RMWs), undefined for stores. */
  readonly v?: Val;
  /** Identity of the write read (loads and RMWs): -1 for the initial value, else writeId(cpu, op). */
  readonly rf?: number;
}

export interface MemCell {
  readonly v: Val;
  /** Identity of the write that produced v: -1 for the initial value, else writeId(cpu, op). */
  readonly w: number;
}

export interface WmState {
  readonly prog: WmProgram;
  readonly done: readonly (readonly (OpDone | undefined)[])[];
  readonly mem: Readonly<Record<string, MemCell>>;
  /** Cached per-CPU parts of stateKey (only the stepping CPU's part changes). */
  readonly rowKeys: readonly string[];
}

/** Identity of the write performed by op `op` of `cpu` (init writes are -1). */
export const writeId = (cpu: number, op: number): number => cpu * 65536 + op;

export type Outcome = Record<string, Val>;

// ---------------------------------------------------------------------------------------------
// Compilation of a program: static ordering predecessors.

const toBig = (x: unknown): Val => {
  if (typeof x === 'bigint') return x;
  if (typeof x === 'number' && Number.isFinite(x)) return BigInt(Math.trunc(x));
  if (typeof x === 'string') {
    try {
      return BigInt(x.trim());
    } catch {
      return 0n;
    }
  }
  return 0n;
};

const isMem = (op: WmOp | undefined): boolean =>
  !!op && (op.op === 'load' || op.op === 'store' || op.op === 'lock' || op.op === 'unlock' || op.op === 'faa');
const hasR = (op: WmOp): boolean => op.op === 'load' || op.op === 'lock' || op.op === 'faa';
const hasW = (op: WmOp): boolean => op.op === 'store' || op.op === 'unlock' || op.op === 'lock' || op.op === 'faa';
/** [A]: LDAR, lock (SWPA), acquire RMW. */
const isA = (op: WmOp): boolean =>
  (op.op === 'load' && op.order === 'acquire') || op.op === 'lock' || (op.op === 'faa' && (op.order === 'acquire' || op.order === 'acqrel'));
/** [Q]: LDAPR. */
const isQ = (op: WmOp): boolean => op.op === 'load' && op.order === 'acquirePC';
/** [L]: STLR, unlock, release RMW. */
const isL = (op: WmOp): boolean =>
  (op.op === 'store' && op.order === 'release') || op.op === 'unlock' || (op.op === 'faa' && (op.order === 'release' || op.order === 'acqrel'));
const opLoc = (op: WmOp): string => ('loc' in op && typeof op.loc === 'string' ? op.loc : '');
const opReg = (op: WmOp): string | undefined =>
  (op.op === 'load' || op.op === 'faa') && typeof op.reg === 'string' && op.reg !== '' ? op.reg : undefined;
const depsOf = (op: WmOp): readonly WmDep[] => (Array.isArray((op as { deps?: unknown }).deps) ? (op as unknown as { deps: WmDep[] }).deps : []);

function compileThread(ops: readonly WmOp[]): OpInfo[] {
  const n = ops.length;
  const known = (o: WmOp | undefined): boolean =>
    !!o && ['load', 'store', 'dmb', 'isb', 'lock', 'unlock', 'faa'].includes((o as { op: string }).op);
  const mem = (k: number): boolean => known(ops[k]) && isMem(ops[k]);

  // Register sources: the po-latest op before k that writes reg.
  const regSrc = (k: number, reg: string): number => {
    for (let i = k - 1; i >= 0; i--) if (known(ops[i]) && opReg(ops[i]) === reg) return i;
    return -1;
  };
  const addrSrc: number[][] = [];
  const dataSrc: number[][] = [];
  const ctrlSrcAt: number[][] = []; // sources of branches placed just before op k
  const isbAt: boolean[] = []; // an ISB placed just before op k (ctrl+isb), after the branch
  for (let k = 0; k < n; k++) {
    const op = ops[k];
    const a: number[] = [];
    const d: number[] = [];
    const c: number[] = [];
    let isb = false;
    if (known(op)) {
      for (const dep of depsOf(op)) {
        const regs = Array.isArray(dep?.on) ? dep.on : [];
        const srcs = regs.map((r) => regSrc(k, r)).filter((i) => i >= 0);
        if (dep.kind === 'addr') a.push(...srcs);
        // A "data" dependency into a load can only be an address dependency.
        else if (dep.kind === 'data') (op.op === 'load' ? a : d).push(...srcs);
        else if (dep.kind === 'ctrl') c.push(...srcs);
        else if (dep.kind === 'ctrlisb') {
          c.push(...srcs);
          isb = true;
        }
      }
      // A store whose value comes from a register carries a data dependency on it.
      if (op.op === 'store' && typeof op.reg === 'string' && op.reg !== '') {
        const s = regSrc(k, op.reg);
        if (s >= 0) d.push(s);
      }
    }
    addrSrc.push([...new Set(a)]);
    dataSrc.push([...new Set(d)]);
    ctrlSrcAt.push([...new Set(c)]);
    isbAt.push(isb);
  }

  const info: OpInfo[] = [];
  for (let j = 0; j < n; j++) {
    const oj = ops[j];
    if (!mem(j)) {
      info.push({ kind: 'N', loc: '', preds: [], prevStore: -1, fwdPreds: [], laterReads: [], earlierReads: [], reg: undefined });
      continue;
    }
    const jR = hasR(oj);
    const jW = hasW(oj);
    const locJ = opLoc(oj);
    const preds = new Set<number>();
    // Sources of branches up to (and including) the point just before op j.
    const ctrlBefore = new Set<number>();
    for (let k = 0; k <= j; k++) for (const s of ctrlSrcAt[k]) ctrlBefore.add(s);
    // dob: ctrl;[W]
    if (jW) for (const s of ctrlBefore) preds.add(s);
    // dob: addr | data
    for (const s of addrSrc[j]) preds.add(s);
    if (jW) for (const s of dataSrc[j]) preds.add(s);
    // dob: addr;po;[W] — any earlier access with an address dependency orders its source before j.
    if (jW) for (let e = 0; e < j; e++) if (mem(e)) for (const s of addrSrc[e]) preds.add(s);
    // dob: (ctrl | addr;po);[ISB];po;[R]
    if (jR) {
      for (let p = 0; p <= j; p++) {
        // ISB positions: an explicit isb op at p (< j), or an implicit one just before op p (<= j).
        const explicit = p < j && known(ops[p]) && ops[p].op === 'isb';
        const implicit = isbAt[p];
        if (!explicit && !implicit) continue;
        for (let k = 0; k <= p; k++) for (const s of ctrlSrcAt[k]) preds.add(s);
        for (let e = 0; e < p; e++) if (mem(e)) for (const s of addrSrc[e]) preds.add(s);
      }
    }
    for (let i = 0; i < j; i++) {
      if (!mem(i)) continue;
      const oi = ops[i];
      const iR = hasR(oi);
      const iW = hasW(oi);
      let between = { sy: false, ld: false, st: false };
      for (let m = i + 1; m < j; m++) {
        const om = ops[m];
        if (known(om) && om.op === 'dmb') between = { ...between, [om.kind === 'ld' || om.kind === 'st' ? om.kind : 'sy']: true };
      }
      if (
        between.sy || // bob: po;[dmb.full];po
        (iR && between.ld) || // bob: [R];po;[dmb.ld];po
        (iW && jW && between.st) || // bob: [W];po;[dmb.st];po;[W]
        isA(oi) || isQ(oi) || // bob: [A|Q];po
        isL(oj) || // bob: po;[L]
        (isL(oi) && isA(oj)) || // bob: [L];po;[A]
        (jW && opLoc(oi) === locJ) // lws: po-loc;[W]
      )
        preds.add(i);
    }
    // Dynamic-rule helpers.
    let prevStore = -1;
    for (let i = j - 1; i >= 0; i--) if (mem(i) && hasW(ops[i]) && opLoc(ops[i]) === locJ) {
      prevStore = i;
      break;
    }
    const fwdPreds = prevStore >= 0 ? [...new Set([...addrSrc[prevStore], ...dataSrc[prevStore]])] : [];
    const laterReads: number[] = [];
    for (let l = j + 1; l < n; l++) if (mem(l) && hasR(ops[l]) && opLoc(ops[l]) === locJ) laterReads.push(l);
    const earlierReads: number[] = [];
    for (let l = 0; l < j; l++) if (mem(l) && hasR(ops[l]) && opLoc(ops[l]) === locJ) earlierReads.push(l);
    info.push({
      kind: jR && jW ? 'U' : jR ? 'R' : 'W',
      loc: locJ,
      preds: [...preds].sort((a, b) => a - b),
      prevStore,
      fwdPreds,
      laterReads: jR ? laterReads : [],
      earlierReads,
      reg: opReg(oj),
    });
  }
  return info;
}

const NOP = { op: 'nop' } as unknown as WmOp; // no memory effect, no ordering effect
const DEP_KINDS: readonly string[] = ['addr', 'data', 'ctrl', 'ctrlisb'];
const isNum = (x: unknown): x is bigint | number => typeof x === 'bigint' || (typeof x === 'number' && Number.isFinite(x));

/** Keep a well-formed op as is (fields normalised); anything malformed becomes a no-op plus an error. */
function sanitizeOp(o: unknown, where: string, errors: string[]): WmOp {
  if (typeof o !== 'object' || o === null) {
    errors.push(`${where}: not an op (treated as no-op)`);
    return NOP;
  }
  const r = o as Record<string, unknown>;
  const deps: WmDep[] = [];
  if (r.deps !== undefined) {
    if (!Array.isArray(r.deps)) errors.push(`${where}: deps is not an array (ignored)`);
    else
      for (const d of r.deps as unknown[]) {
        const dd = d as Record<string, unknown> | null;
        if (!dd || typeof dd.kind !== 'string' || !DEP_KINDS.includes(dd.kind) || !Array.isArray(dd.on) || !dd.on.every((x) => typeof x === 'string'))
          errors.push(`${where}: malformed dependency ${JSON.stringify(d)} (ignored)`);
        else deps.push({ kind: dd.kind as DepKind, on: dd.on as string[] });
      }
  }
  const withDeps = <T extends object>(x: T): T => (deps.length ? { ...x, deps } : x);
  const loc = typeof r.loc === 'string' && r.loc !== '' ? r.loc : undefined;
  const reg = typeof r.reg === 'string' && r.reg !== '' ? r.reg : undefined;
  const bad = (why: string): WmOp => {
    errors.push(`${where}: ${why} (treated as no-op)`);
    return NOP;
  };
  switch (r.op) {
    case 'load':
      if (!loc) return bad('load without a location');
      return withDeps({ op: 'load', loc, ...(reg ? { reg } : {}), order: r.order === 'acquire' || r.order === 'acquirePC' ? r.order : 'plain' });
    case 'store':
      if (!loc) return bad('store without a location');
      return withDeps({
        op: 'store',
        loc,
        ...(reg ? { reg } : { val: isNum(r.val) ? r.val : 0 }),
        ...(isNum(r.add) ? { add: r.add } : {}),
        order: r.order === 'release' ? 'release' : 'plain',
      });
    case 'dmb':
      return withDeps({ op: 'dmb', kind: r.kind === 'ld' || r.kind === 'st' ? r.kind : 'sy' });
    case 'isb':
      return withDeps({ op: 'isb' });
    case 'lock':
    case 'unlock':
      if (!loc) return bad(`${r.op} without a location`);
      return withDeps({ op: r.op, loc });
    case 'faa':
      if (!loc) return bad('faa without a location');
      return withDeps({
        op: 'faa',
        loc,
        add: isNum(r.add) ? r.add : 1,
        ...(reg ? { reg } : {}),
        order: r.order === 'acquire' || r.order === 'release' || r.order === 'acqrel' ? r.order : 'plain',
      });
    default:
      return bad(`unknown op ${JSON.stringify(r.op)}`);
  }
}

/** Compile a program (threads of ops). Never throws; problems are listed in `errors`. */
export function compileProgram(
  threads: readonly (readonly WmOp[])[],
  init: Readonly<Record<string, bigint | number>> = {},
  initRegs: readonly Readonly<Record<string, bigint | number>>[] = [],
): WmProgram {
  const errors: string[] = [];
  const ts: (readonly WmOp[])[] = Array.isArray(threads)
    ? threads.map((t, c) => (Array.isArray(t) ? t.map((o, k) => sanitizeOp(o, `cpu ${c} op ${k}`, errors)) : []))
    : [];
  const info = ts.map((t) => compileThread(t));
  const locSet = new Set<string>(Object.keys(init ?? {}));
  ts.forEach((t) => t.forEach((o) => o && isMem(o) && locSet.add(opLoc(o))));
  const initB: Record<string, Val> = {};
  for (const l of locSet) initB[l] = toBig((init ?? {})[l] ?? 0);
  const regsB = ts.map((_, c) => {
    const r: Record<string, Val> = {};
    for (const [k, v] of Object.entries(initRegs?.[c] ?? {})) r[k] = toBig(v);
    return r;
  });
  return { threads: ts, info, locs: [...locSet].sort(), init: initB, initRegs: regsB, errors };
}

export function initState(
  threads: readonly (readonly WmOp[])[] | WmProgram,
  init: Readonly<Record<string, bigint | number>> = {},
  initRegs: readonly Readonly<Record<string, bigint | number>>[] = [],
): WmState {
  const prog = isProgram(threads) ? threads : compileProgram(threads, init, initRegs);
  const mem: Record<string, MemCell> = {};
  for (const l of prog.locs) mem[l] = { v: prog.init[l], w: -1 };
  const done = prog.threads.map((t) => t.map(() => undefined));
  return { prog, done, mem, rowKeys: done.map((row, c) => rowKey(prog, c, row)) };
}

function isProgram(x: unknown): x is WmProgram {
  return !!x && typeof x === 'object' && !Array.isArray(x) && 'info' in (x as object) && 'threads' in (x as object);
}

// ---------------------------------------------------------------------------------------------
// Execution.

/** Value of a register as seen by op k of cpu (po-latest earlier writer), if already known. */
function regValueAt(s: WmState, cpu: number, k: number, reg: string): Val | undefined {
  const ops = s.prog.threads[cpu];
  for (let i = k - 1; i >= 0; i--) {
    if (opReg(ops[i]) === reg) return s.done[cpu][i]?.v;
  }
  return s.prog.initRegs[cpu]?.[reg] ?? 0n;
}

/** Value a store writes, if known (its data source has executed). */
function storeValue(s: WmState, cpu: number, k: number): Val | undefined {
  const op = s.prog.threads[cpu][k];
  if (op.op === 'unlock') return 0n;
  if (op.op !== 'store') return undefined;
  if (typeof op.reg === 'string' && op.reg !== '') {
    const v = regValueAt(s, cpu, k, op.reg);
    return v === undefined ? undefined : v + toBig(op.add ?? 0);
  }
  return toBig(op.val ?? 0);
}

/** Where a read by op j would take its value from right now, or undefined if it cannot execute. */
function readSource(s: WmState, cpu: number, j: number): { v: Val; rf: number } | undefined {
  const inf = s.prog.info[cpu][j];
  const done = s.done[cpu];
  let src: { v: Val; rf: number } | undefined;
  const p = inf.prevStore;
  if (p < 0 || done[p]) {
    const cell = s.mem[inf.loc];
    src = { v: cell?.v ?? 0n, rf: cell?.w ?? -1 };
  } else {
    // Forwarding from the po-latest earlier same-location store, not yet committed. An RMW is never
    // forwarded from: its value is only known when it executes, which commits it. A plain load
    // also needs the store's address and data ((addr|data);lrs).
    if (inf.kind !== 'R' || s.prog.info[cpu][p].kind === 'U') return undefined;
    if (!inf.fwdPreds.every((i) => done[i])) return undefined;
    const v = storeValue(s, cpu, p);
    if (v === undefined) return undefined;
    src = { v, rf: writeId(cpu, p) };
  }
  // Read-read coherence: po-later reads of the same location that already executed must have read
  // this same write, or a write that has not committed yet (hence co-later than anything in memory).
  for (const l of inf.laterReads) {
    const d = done[l];
    if (!d) continue;
    if (d.rf === src.rf) continue;
    if (d.rf !== undefined && d.rf >= 0 && !s.done[Math.floor(d.rf / 65536)]?.[d.rf % 65536]) continue; // pending write
    return undefined;
  }
  return src;
}

function canExecute(s: WmState, cpu: number, j: number): boolean {
  const inf = s.prog.info[cpu]?.[j];
  const done = s.done[cpu];
  if (!inf || inf.kind === 'N' || done[j]) return false;
  for (const i of inf.preds) if (!done[i]) return false;
  if (inf.kind === 'W') return storeValue(s, cpu, j) !== undefined;
  const src = readSource(s, cpu, j);
  if (!src) return false;
  const op = s.prog.threads[cpu][j];
  if (op.op === 'lock' && src.v !== 0n) return false;
  return true;
}

/** The (cpu, op) pairs that may execute next. */
export function eligible(s: WmState): Array<{ cpu: number; op: number }> {
  const out: Array<{ cpu: number; op: number }> = [];
  for (let c = 0; c < s.done.length; c++) for (let j = 0; j < s.done[c].length; j++) if (canExecute(s, c, j)) out.push({ cpu: c, op: j });
  return out;
}

/** Execute op `op` of `cpu`. If it is not eligible, returns s unchanged. Never throws. */
export function step(s: WmState, cpu: number, op: number): WmState {
  try {
    if (!Number.isInteger(cpu) || !Number.isInteger(op) || !canExecute(s, cpu, op)) return s;
    const inf = s.prog.info[cpu][op];
    const o = s.prog.threads[cpu][op];
    let rec: OpDone = {};
    let mem = s.mem;
    if (inf.kind === 'R' || inf.kind === 'U') {
      const src = readSource(s, cpu, op)!;
      rec = { v: src.v, rf: src.rf };
      if (inf.kind === 'U') {
        const nv = o.op === 'lock' ? 1n : src.v + toBig((o as { add?: unknown }).add ?? 0);
        mem = { ...mem, [inf.loc]: { v: nv, w: writeId(cpu, op) } };
      }
    } else {
      mem = { ...mem, [inf.loc]: { v: storeValue(s, cpu, op)!, w: writeId(cpu, op) } };
    }
    const row = s.done[cpu].slice();
    row[op] = rec;
    const done = s.done.slice();
    done[cpu] = row;
    const rowKeys = s.rowKeys.slice();
    rowKeys[cpu] = rowKey(s.prog, cpu, row);
    return { prog: s.prog, done, mem, rowKeys };
  } catch {
    return s;
  }
}

/** Every memory op of every CPU has executed. */
export function isDone(s: WmState): boolean {
  return s.done.every((row, c) => row.every((d, j) => d !== undefined || s.prog.info[c][j].kind === 'N'));
}

/** Some op is left but none can execute (a lock never freed, or a pruned read-read reordering). */
export function isStuck(s: WmState): boolean {
  return !isDone(s) && eligible(s).length === 0;
}

/** One CPU's part of the state key. */
function rowKey(prog: WmProgram, cpu: number, row: readonly (OpDone | undefined)[]): string {
  const info = prog.info[cpu];
  let p = '';
  for (let j = 0; j < row.length; j++) {
    const inf = info[j];
    if (inf.kind === 'N') continue;
    const d = row[j];
    if (!d) p += '.';
    else if (d.v === undefined) p += 'x';
    else {
      p += d.v.toString();
      // The write identity only matters while an earlier same-location read is pending.
      for (const e of inf.earlierReads)
        if (!row[e]) {
          p += '@' + d.rf;
          break;
        }
    }
    p += ',';
  }
  return p;
}

/** Deterministic key identifying a state's future behaviour and outcome (for dedup). */
export function stateKey(s: WmState): string {
  let k = s.rowKeys.join('|');
  for (const l of s.prog.locs) {
    const m = s.mem[l];
    k += `|${m.v}@${m.w}`;
  }
  return k;
}

// ---------------------------------------------------------------------------------------------
// Observation.

/** Current value of a location. */
export function readMem(s: WmState, loc: string): Val {
  return s.mem[loc]?.v ?? 0n;
}

/** Value of `reg` as it will be at the end of cpu's program, if the writing op has executed. */
export function regValue(s: WmState, cpu: number, reg: string): Val | undefined {
  const n = s.prog.threads[cpu]?.length ?? 0;
  return regValueAt(s, cpu, n, reg);
}

/** Final register values of every register written by some op, keyed "cpu:reg". */
export function finalRegs(s: WmState): Outcome {
  const out: Outcome = {};
  s.prog.threads.forEach((ops, c) => {
    for (const [r, v] of Object.entries(s.prog.initRegs[c] ?? {})) out[`${c}:${r}`] = v;
    ops.forEach((o, j) => {
      const r = opReg(o);
      const v = s.done[c][j]?.v;
      if (r !== undefined && v !== undefined) out[`${c}:${r}`] = v;
    });
  });
  return out;
}

/** Outcome of a (final) state: "cpu:reg" -> value and "loc" -> memory value, restricted to keys if given. */
export function outcomeOf(s: WmState, keys?: readonly string[]): Outcome {
  const regs = finalRegs(s);
  if (!keys) {
    const out: Outcome = { ...regs };
    for (const l of s.prog.locs) out[l] = s.mem[l].v;
    return out;
  }
  const out: Outcome = {};
  for (const k of keys) {
    const m = /^P?(\d+):(.+)$/.exec(k);
    if (m) {
      const c = Number(m[1]);
      out[k] = regs[`${c}:${m[2]}`] ?? 0n;
    } else out[k] = s.mem[k]?.v ?? 0n;
  }
  return out;
}

/** Natural order: embedded decimal numbers compare numerically ("r2" < "r10"). */
function natural(a: string, b: string): number {
  const re = /(\d+)|(\D+)/g;
  const pa = a.match(re) ?? [];
  const pb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === y) continue;
    const nx = /^\d/.test(x);
    const ny = /^\d/.test(y);
    if (nx && ny) return Number(x) - Number(y) || (x < y ? -1 : 1);
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

/** Canonical ordering of outcome keys: registers by (cpu, reg), then locations. */
export function sortOutcomeKeys(keys: readonly string[]): string[] {
  const parse = (k: string): [number, number, string] => {
    const m = /^P?(\d+):(.+)$/.exec(k);
    return m ? [0, Number(m[1]), m[2]] : [1, 0, k];
  };
  return [...keys].sort((a, b) => {
    const [ka, ca, ra] = parse(a);
    const [kb, cb, rb] = parse(b);
    return ka - kb || ca - cb || natural(ra, rb);
  });
}

const sortedKeysCache = new Map<string, string[]>();

/** "{1:r0=0,1:r1=1,x=2}" */
export function formatOutcome(o: Outcome): string {
  const raw = Object.keys(o);
  const sig = raw.join('\u0000');
  let keys = sortedKeysCache.get(sig);
  if (!keys) {
    keys = sortOutcomeKeys(raw);
    if (sortedKeysCache.size < 10_000) sortedKeysCache.set(sig, keys);
  }
  let out = '{';
  for (let i = 0; i < keys.length; i++) out += (i ? ',' : '') + keys[i] + '=' + o[keys[i]];
  return out + '}';
}

export interface EnumerateOptions {
  /** Outcome keys to project on ("T:reg" or location); default: all registers and locations. */
  readonly keys?: readonly string[];
  /** Or a custom projection of final states. */
  readonly project?: (s: WmState) => Outcome;
  /** Stop after exploring this many distinct states (default 2,000,000). */
  readonly maxStates?: number;
  /** Partial-order reduction (default true): see `localStep`. Final and stuck states are unaffected. */
  readonly reduce?: boolean;
  /** Called every 100,000 new states with the count so far (progress of a long exploration). */
  readonly onProgress?: (states: number) => void;
}

export interface EnumerateResult {
  /** Distinct reachable final outcomes, sorted by their formatted form. */
  readonly outcomes: Outcome[];
  /** Number of distinct states explored. */
  readonly states: number;
  /** Number of distinct stuck (non-final, no eligible op) states. */
  readonly stuck: number;
  /** True if maxStates was hit (outcomes may then be incomplete). */
  readonly truncated: boolean;
  readonly errors: readonly string[];
}

/**
 * Partial-order reduction: an eligible op that commutes with everything any *other* CPU can still
 * do may be executed alone (a persistent set of size one), without losing any final or stuck state.
 * - Two co-eligible ops of the same CPU always commute: same-location pairs involving a write are
 *   never co-eligible (lws), two reads read the same write in either order, and a load forwarding
 *   from a pending store gets the same value and write identity as after that store commits.
 * - Ops of different CPUs commute unless they access the same location and one of them writes it
 *   (reads do not change memory; eligibility only looks at memory for that location).
 * So a load is local when no other CPU still has a pending write to its location, and a store or
 * RMW when no other CPU still has any pending access to its location. The state graph is acyclic,
 * so no cycle proviso is needed.
 */
function localStep(s: WmState, el: ReadonlyArray<{ cpu: number; op: number }>): { cpu: number; op: number } | undefined {
  for (const e of el) {
    const inf = s.prog.info[e.cpu][e.op];
    const writes = inf.kind !== 'R';
    let conflict = false;
    for (let c = 0; c < s.done.length && !conflict; c++) {
      if (c === e.cpu) continue;
      const row = s.done[c];
      const infos = s.prog.info[c];
      for (let j = 0; j < row.length; j++) {
        const o = infos[j];
        if (row[j] || o.kind === 'N' || o.loc !== inf.loc) continue;
        if (writes || o.kind !== 'R') {
          conflict = true;
          break;
        }
      }
    }
    if (!conflict) return e;
  }
  return undefined;
}

/** Exhaustive DFS over all interleavings/reorderings, deduplicating states by stateKey. */
export function enumerateOutcomes(
  threads: readonly (readonly WmOp[])[] | WmProgram,
  init: Readonly<Record<string, bigint | number>> = {},
  opts: EnumerateOptions & { readonly initRegs?: readonly Readonly<Record<string, bigint | number>>[] } = {},
): EnumerateResult {
  const s0 = initState(threads, init, opts.initRegs ?? []);
  const max = opts.maxStates ?? 2_000_000;
  const project = opts.project ?? ((s: WmState) => outcomeOf(s, opts.keys));
  const reduce = opts.reduce ?? true;
  const seen = new Set<string>([stateKey(s0)]);
  const found = new Map<string, Outcome>();
  const stack: WmState[] = [s0];
  let stuck = 0;
  let truncated = false;
  while (stack.length > 0) {
    const s = stack.pop()!;
    const el = eligible(s);
    if (el.length === 0) {
      if (isDone(s)) {
        const o = project(s);
        const k = formatOutcome(o);
        if (!found.has(k)) found.set(k, o);
      } else stuck++;
      continue;
    }
    const local = reduce ? localStep(s, el) : undefined;
    for (const { cpu, op } of local ? [local] : el) {
      const t = step(s, cpu, op);
      const k = stateKey(t);
      if (seen.has(k)) continue;
      if (seen.size >= max) {
        truncated = true;
        continue;
      }
      seen.add(k);
      if (opts.onProgress && seen.size % 100_000 === 0) opts.onProgress(seen.size);
      stack.push(t);
    }
  }
  const outcomes = [...found.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, o]) => o);
  return { outcomes, states: seen.size, stuck, truncated, errors: s0.prog.errors };
}

/** Short human label of an op, e.g. "ldar r0=[x]" (for traces). */
export function opLabel(op: WmOp): string {
  const deps = depsOf(op)
    .map((d) => ` ${d.kind}(${d.on.join(',')})`)
    .join('');
  switch (op.op) {
    case 'load':
      return `${op.order === 'acquire' ? 'ldar' : op.order === 'acquirePC' ? 'ldapr' : 'ldr'} ${op.reg ?? '_'}=[${op.loc}]${deps}`;
    case 'store':
      return `${op.order === 'release' ? 'stlr' : 'str'} [${op.loc}]=${op.reg !== undefined ? op.reg + (op.add ? `${toBig(op.add) >= 0n ? '+' : ''}${op.add}` : '') : String(op.val ?? 0)}${deps}`;
    case 'dmb':
      return `dmb ${op.kind}${deps}`;
    case 'isb':
      return `isb${deps}`;
    case 'lock':
      return `lock [${op.loc}]${deps}`;
    case 'unlock':
      return `unlock [${op.loc}]${deps}`;
    case 'faa':
      return `faa${op.order && op.order !== 'plain' ? '.' + op.order : ''} ${op.reg ?? '_'}=[${op.loc}]+=${op.add}${deps}`;
    default:
      return `?${JSON.stringify(op)}`;
  }
}
