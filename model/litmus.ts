// Litmus-test file format (examples/litmus/classic.json) and a lenient decoder.
//
// A file is an array of tests (also accepted: {"tests": [...]}, or a single test object):
//   { "name": "MP+dmb.sys", "family": "MP",
//     "threads": [[ {"op":"store","loc":"x","val":1}, {"op":"dmb","kind":"sy"}, ... ], ...],
//     "init": {"x": 0},                       // loc -> int; "T:reg" -> int sets a register
//     "outcome": {"1:r0": 1, "1:r1": 0, "x": 2},  // "T:reg" -> final register, loc -> final memory
//     "verdict": "allowed" | "forbidden" }    // optional
// Ops accept the usual spellings: load/ldr, ldar (or load + "acquire": true / "kind": "acquire"),
// ldapr (acquirePC), store/str, stlr (or store + release), dmb/dsb/fence with kind sy|ld|st|ish|
// ishld|ishst|osh*|full (also "dmb.sy" as the op), isb, lock, unlock, faa/ldadd/stadd. Dependencies:
// "dep": {"kind": "addr"|"data"|"ctrl"|"ctrl+isb", "on": "r0" | ["r0", ...]} (or an array of them).
// A store's value is "val" (int) or "reg"/"src" (a register: implies a data dependency).
// Register names are case-insensitive (normalised to lower case).
//
// decodeLitmusFile never throws; its error is one line naming the JSON path of the problem.

import * as t from 'io-ts';
import type { DepKind, WmDep, WmOp } from '../real/shared/weakmem/executor';

export type Verdict = 'allowed' | 'forbidden';

export interface LitmusTest {
  readonly name: string;
  readonly family?: string;
  readonly threads: WmOp[][];
  /** Initial memory (locations not listed start at 0). */
  readonly init: Record<string, bigint>;
  /** Initial register values per thread (registers not listed start at 0). */
  readonly initRegs: Record<string, bigint>[];
  /** Condition on the final state: keys "T:reg" (normalised) or a location name. */
  readonly outcome: Record<string, bigint>;
  readonly verdict?: Verdict;
}

export type DecodeResult<A> = { ok: true; value: A } | { ok: false; error: string };

class DecodeError {
  constructor(readonly path: string, readonly msg: string) {}
}

const fail = (path: string, msg: string): never => {
  throw new DecodeError(path, msg);
};
const show = (u: unknown): string => {
  try {
    const s = JSON.stringify(u);
    if (s === undefined) return String(u);
    return s.length > 40 ? s.slice(0, 37) + '...' : s;
  } catch {
    return String(u);
  }
};
const isObj = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);
const key = (path: string, k: string): string => (/^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`);
const pick = (o: Record<string, unknown>, names: readonly string[]): [string, unknown] | undefined => {
  for (const n of names) if (o[n] !== undefined) return [n, o[n]];
  // case-insensitive fallback
  const lower = new Map(Object.keys(o).map((k) => [k.toLowerCase(), k]));
  for (const n of names) {
    const k = lower.get(n.toLowerCase());
    if (k !== undefined && o[k] !== undefined) return [k, o[k]];
  }
  return undefined;
};

function int(u: unknown, path: string): bigint {
  if (typeof u === 'number' && Number.isInteger(u)) return BigInt(u);
  if (typeof u === 'bigint') return u;
  if (typeof u === 'boolean') return u ? 1n : 0n;
  if (typeof u === 'string' && /^\s*-?(0x[0-9a-f]+|0b[01]+|0o[0-7]+|\d+)\s*$/i.test(u)) {
    const s = u.trim();
    return s.startsWith('-') ? -BigInt(s.slice(1)) : BigInt(s);
  }
  return fail(path, `expected an integer, got ${show(u)}`);
}

const normReg = (r: string): string => r.trim().toLowerCase();
const normLoc = (l: string): string => {
  let s = l.trim();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1).trim();
  if (s.startsWith('*') || s.startsWith('&')) s = s.slice(1).trim();
  return s;
};

function str(u: unknown, path: string, what: string): string {
  if (typeof u === 'string' && u.trim() !== '') return u;
  return fail(path, `expected ${what}, got ${show(u)}`);
}

const OPS = 'load|store|ldar|ldapr|stlr|dmb|isb|lock|unlock|faa';

type BaseOp = 'load' | 'store' | 'dmb' | 'isb' | 'lock' | 'unlock' | 'faa';
const OP_ALIASES: Record<string, [BaseOp, string?]> = {
  load: ['load'],
  ld: ['load'],
  ldr: ['load'],
  read: ['load'],
  r: ['load'],
  ldar: ['load', 'acquire'],
  lda: ['load', 'acquire'],
  ldacq: ['load', 'acquire'],
  'load-acquire': ['load', 'acquire'],
  load_acquire: ['load', 'acquire'],
  loadacquire: ['load', 'acquire'],
  ldapr: ['load', 'acquirepc'],
  ldap: ['load', 'acquirepc'],
  ldapur: ['load', 'acquirepc'],
  store: ['store'],
  st: ['store'],
  str: ['store'],
  write: ['store'],
  w: ['store'],
  stlr: ['store', 'release'],
  stl: ['store', 'release'],
  strel: ['store', 'release'],
  'store-release': ['store', 'release'],
  store_release: ['store', 'release'],
  storerelease: ['store', 'release'],
  dmb: ['dmb'],
  dsb: ['dmb'],
  fence: ['dmb'],
  barrier: ['dmb'],
  mb: ['dmb'],
  isb: ['isb'],
  lock: ['lock'],
  unlock: ['unlock'],
  faa: ['faa'],
  ldadd: ['faa'],
  stadd: ['faa'],
  fetch_add: ['faa'],
  atomic_add: ['faa'],
};

function barrierKind(u: string, path: string): 'sy' | 'ld' | 'st' {
  const k = u.trim().toLowerCase().replace(/^dmb[.\s_-]*/, '').replace(/^dsb[.\s_-]*/, '');
  if (['', 'sy', 'full', 'ish', 'osh', 'nsh', 'all', 'mb'].includes(k)) return 'sy';
  if (['ld', 'ishld', 'oshld', 'nshld', 'load', 'rmb'].includes(k)) return 'ld';
  if (['st', 'ishst', 'oshst', 'nshst', 'store', 'wmb'].includes(k)) return 'st';
  return fail(path, `expected one of sy|ld|st|ish|ishld|ishst|osh|oshld|oshst|full, got ${show(u)}`);
}

type Order = 'plain' | 'acquire' | 'acquirePC' | 'release' | 'acqrel';
function orderWord(u: string): Order | undefined {
  const k = u.trim().toLowerCase().replace(/[\s_-]/g, '');
  if (['plain', 'relaxed', 'none', 'po', 'rlx', ''].includes(k)) return 'plain';
  if (['acquire', 'acq', 'a', 'sc', 'ldar'].includes(k)) return 'acquire';
  if (['acquirepc', 'acqpc', 'q', 'rcpc', 'ldapr', 'acquire(pc)'].includes(k)) return 'acquirePC';
  if (['release', 'rel', 'l', 'stlr'].includes(k)) return 'release';
  if (['acqrel', 'acquirerelease', 'al'].includes(k)) return 'acqrel';
  return undefined;
}

function depKind(u: unknown, path: string): DepKind {
  const s = str(u, path, 'a dependency kind');
  const k = s.trim().toLowerCase().replace(/[\s_;+\-.]/g, '');
  if (k === 'addr' || k === 'address') return 'addr';
  if (k === 'data') return 'data';
  if (k === 'ctrl' || k === 'control') return 'ctrl';
  if (k === 'ctrlisb' || k === 'controlisb' || k === 'isb') return 'ctrlisb';
  return fail(path, `expected one of addr|data|ctrl|ctrl+isb, got ${show(u)}`);
}

function regList(u: unknown, path: string): string[] {
  if (typeof u === 'string') return [normReg(str(u, path, 'a register name'))];
  if (Array.isArray(u) && u.length > 0) return u.map((r, i) => normReg(str(r, `${path}[${i}]`, 'a register name')));
  return fail(path, `expected a register name or a non-empty array of them, got ${show(u)}`);
}

function decodeDep(u: unknown, path: string): WmDep {
  if (!isObj(u)) return fail(path, `expected a dependency object {"kind": ..., "on": ...}, got ${show(u)}`);
  const k = pick(u, ['kind', 'type', 'dep']);
  if (!k) return fail(key(path, 'kind'), 'missing dependency kind (addr|data|ctrl|ctrl+isb)');
  const on = pick(u, ['on', 'reg', 'regs', 'src', 'from', 'source']);
  if (!on) return fail(key(path, 'on'), 'missing the register the dependency is on');
  return { kind: depKind(k[1], key(path, k[0])), on: regList(on[1], key(path, on[0])) };
}

function decodeDeps(u: unknown, path: string): WmDep[] {
  if (Array.isArray(u)) return u.map((d, i) => decodeDep(d, `${path}[${i}]`));
  return [decodeDep(u, path)];
}

function decodeOp(u: unknown, path: string): WmOp {
  if (!isObj(u)) return fail(path, `expected an op object, got ${show(u)}`);
  const opF = pick(u, ['op', 'instr', 'instruction', 'type']);
  if (!opF) return fail(key(path, 'op'), `missing op (one of ${OPS})`);
  const opPath = key(path, opF[0]);
  const raw = str(opF[1], opPath, `one of ${OPS}`).trim().toLowerCase();
  // "dmb.sy", "DMB ISH", "dmb_ld" style
  const m = /^([a-z_-]+?)(?:[.\s_]+([a-z]+))?$/.exec(raw);
  let alias = OP_ALIASES[raw];
  let suffix: string | undefined;
  if (!alias && m && OP_ALIASES[m[1]]) {
    alias = OP_ALIASES[m[1]];
    suffix = m[2];
  }
  if (!alias) return fail(opPath, `expected one of ${OPS}, got ${show(opF[1])}`);
  const [base, implied] = alias;

  const depF = pick(u, ['dep', 'deps', 'dependency', 'dependencies']);
  const deps = depF ? decodeDeps(depF[1], key(path, depF[0])) : [];
  const withDeps = <T extends object>(o: T): T => (deps.length ? { ...o, deps } : o);

  // Ordering annotation: the mnemonic's, overridden by kind/order/sem or boolean flags.
  let order: Order | undefined = implied === 'acquire' ? 'acquire' : implied === 'acquirepc' ? 'acquirePC' : implied === 'release' ? 'release' : undefined;
  if (base !== 'dmb') {
    const ordF = pick(u, ['order', 'ordering', 'sem', 'semantics', 'kind', 'mo', 'annot']);
    if (ordF && typeof ordF[1] === 'string') {
      const o = orderWord(ordF[1]);
      if (!o) return fail(key(path, ordF[0]), `expected one of plain|acquire|acquirePC|release, got ${show(ordF[1])}`);
      order = o === 'plain' ? order ?? 'plain' : o;
    }
    if (suffix) {
      const o = orderWord(suffix);
      if (!o) return fail(opPath, `expected one of ${OPS}, got ${show(opF[1])}`);
      order = o;
    }
    const flag = (names: string[]): boolean => {
      const f = pick(u, names);
      return !!f && f[1] === true;
    };
    if (flag(['acquirePC', 'acquire_pc', 'acqPC', 'acq_pc', 'rcpc'])) order = 'acquirePC';
    else if (flag(['acquire', 'acq'])) order = flag(['release', 'rel']) ? 'acqrel' : 'acquire';
    else if (flag(['release', 'rel'])) order = 'release';
  }

  const locOf = (): string => {
    const l = pick(u, ['loc', 'location', 'addr', 'address', 'var', 'mem']);
    if (!l) return fail(key(path, 'loc'), 'missing location');
    return normLoc(str(l[1], key(path, l[0]), 'a location name'));
  };
  const regOf = (names: string[]): string | undefined => {
    const r = pick(u, names);
    if (!r) return undefined;
    return normReg(str(r[1], key(path, r[0]), 'a register name'));
  };

  switch (base) {
    case 'load': {
      if (order === 'release' || order === 'acqrel') return fail(key(path, 'order'), `a load cannot have ${order} semantics`);
      const reg = regOf(['reg', 'dst', 'rd', 'dest', 'register', 'rt', 'out']);
      return withDeps({ op: 'load', loc: locOf(), ...(reg ? { reg } : {}), order: (order ?? 'plain') as 'plain' | 'acquire' | 'acquirePC' });
    }
    case 'store': {
      if (order === 'acquire' || order === 'acquirePC' || order === 'acqrel') return fail(key(path, 'order'), `a store cannot have ${order} semantics`);
      const loc = locOf();
      let reg = regOf(['reg', 'src', 'rs', 'rt', 'from', 'source', 'register']);
      let val: bigint | undefined;
      const vF = pick(u, ['val', 'value', 'v', 'data']);
      if (vF) {
        if (typeof vF[1] === 'string' && !/^\s*-?(0x[0-9a-f]+|0b[01]+|0o[0-7]+|\d+)\s*$/i.test(vF[1]) && /^[A-Za-z_]\w*$/.test(vF[1].trim()))
          reg = normReg(vF[1]); // "val": "r0" names a register
        else val = int(vF[1], key(path, vF[0]));
      }
      const addF = pick(u, ['add', 'plus', 'offset']);
      const add = addF ? int(addF[1], key(path, addF[0])) : undefined;
      return withDeps({
        op: 'store',
        loc,
        ...(reg ? { reg } : { val: val ?? 0n }),
        ...(add !== undefined ? { add } : {}),
        order: (order ?? 'plain') as 'plain' | 'release',
      });
    }
    case 'dmb': {
      const kF = pick(u, ['kind', 'option', 'domain', 'barrier', 'variant', 'opt', 'type']);
      let kind: 'sy' | 'ld' | 'st' = 'sy';
      if (suffix !== undefined) kind = barrierKind(suffix, opPath);
      else if (kF) kind = barrierKind(str(kF[1], key(path, kF[0]), 'a barrier kind'), key(path, kF[0]));
      return withDeps({ op: 'dmb', kind });
    }
    case 'isb':
      return withDeps({ op: 'isb' });
    case 'lock':
      return withDeps({ op: 'lock', loc: locOf() });
    case 'unlock':
      return withDeps({ op: 'unlock', loc: locOf() });
    case 'faa': {
      const addF = pick(u, ['add', 'val', 'value', 'delta', 'inc']);
      const add = addF ? int(addF[1], key(path, addF[0])) : 1n;
      const reg = regOf(['reg', 'dst', 'rd', 'dest', 'out']);
      return withDeps({
        op: 'faa',
        loc: locOf(),
        add,
        ...(reg ? { reg } : {}),
        order: (order ?? 'plain') === 'acquirePC' ? 'acquire' : ((order ?? 'plain') as 'plain' | 'acquire' | 'release' | 'acqrel'),
      });
    }
  }
}

/** "1:r0", "P1:R0", "1:X0" -> "1:x0"; "[x]" / "*x" -> "x". */
export function normalizeOutcomeKey(k: string): string {
  const m = /^\s*P?(\d+)\s*:\s*(.+?)\s*$/i.exec(k);
  if (m) return `${Number(m[1])}:${normReg(m[2])}`;
  return normLoc(k);
}

function decodeCondition(u: unknown, path: string): Record<string, bigint> {
  if (!isObj(u)) return fail(path, `expected an object of "T:reg" or location -> integer, got ${show(u)}`);
  const out: Record<string, bigint> = {};
  for (const [k, v] of Object.entries(u)) {
    const nk = normalizeOutcomeKey(k);
    if (nk === '') return fail(key(path, k), 'empty key');
    out[nk] = int(v, key(path, k));
  }
  return out;
}

function decodeThread(u: unknown, path: string): WmOp[] {
  if (Array.isArray(u)) return hoistCtrlBeforeIsb(u.map((o, i) => decodeOp(o, `${path}[${i}]`)));
  if (isObj(u)) {
    const f = pick(u, ['ops', 'code', 'instructions', 'prog']);
    if (f && Array.isArray(f[1])) return hoistCtrlBeforeIsb(f[1].map((o, i) => decodeOp(o, `${key(path, f[0])}[${i}]`)));
  }
  return fail(path, `expected an array of ops, got ${show(u)}`);
}

/**
 * A ctrl dependency written on an op places the branch right before that op. When the op directly
 * follows an explicit `isb` (only barriers in between), the writer means "branch; isb; op" (an
 * ISB after a branch is the only reason to write one there), so the ctrl dependency moves onto the
 * earliest of those barriers: the branch then precedes the ISB, i.e. ctrl+isb.
 */
function hoistCtrlBeforeIsb(ops: WmOp[]): WmOp[] {
  const out = ops.slice();
  for (let k = 0; k < out.length; k++) {
    const deps = out[k].deps ?? [];
    const ctrl = deps.filter((d) => d.kind === 'ctrl');
    if (ctrl.length === 0) continue;
    let first = k;
    let sawIsb = false;
    while (first > 0 && (out[first - 1].op === 'isb' || out[first - 1].op === 'dmb')) {
      first--;
      if (out[first].op === 'isb') sawIsb = true;
    }
    if (!sawIsb) continue;
    const rest = deps.filter((d) => d.kind !== 'ctrl');
    const { deps: _drop, ...bare } = out[k] as WmOp & { deps?: WmDep[] };
    void _drop;
    out[k] = (rest.length ? { ...bare, deps: rest } : bare) as WmOp;
    out[first] = { ...out[first], deps: [...(out[first].deps ?? []), ...ctrl] } as WmOp;
  }
  return out;
}

export const MAX_THREADS = 8;
export const MAX_OPS_PER_THREAD = 12;
export const MAX_OPS = 32;

/** Registers a test's `init` gives thread `i` (dependencies on them are fine). */
function regsInit(u: Record<string, unknown>, i: number): Set<string> {
  const f = pick(u, ['init', 'initial', 'initState']);
  if (!f || !isObj(f[1])) return new Set();
  return new Set(Object.keys(f[1]).flatMap((k) => {
    const m = /^(\d+):(.+)$/.exec(normalizeOutcomeKey(k));
    return m && Number(m[1]) === i ? [m[2]] : [];
  }));
}

function decodeTest(u: unknown, path: string, index: number): LitmusTest {
  if (!isObj(u)) return fail(path, `expected a litmus test object, got ${show(u)}`);
  const nameF = pick(u, ['name', 'id', 'title']);
  const name = nameF ? str(nameF[1], key(path, nameF[0]), 'a test name') : `test${index}`;
  const famF = pick(u, ['family']);
  const family = famF ? str(famF[1], key(path, famF[0]), 'a family name') : undefined;
  const thF = pick(u, ['threads', 'procs', 'programs', 'cpus']);
  if (!thF) return fail(key(path, 'threads'), 'missing threads (an array of op arrays)');
  const thPath = key(path, thF[0]);
  if (!Array.isArray(thF[1]) || thF[1].length === 0) return fail(thPath, `expected a non-empty array of threads, got ${show(thF[1])}`);
  // Bounds that keep an exhaustive exploration to seconds: beyond them the state space explodes.
  if (thF[1].length > MAX_THREADS) return fail(thPath, `at most ${MAX_THREADS} threads (got ${thF[1].length}): the exploration would not end in reasonable time`);
  const threads = thF[1].map((th, i) => decodeThread(th, `${thPath}[${i}]`));
  threads.forEach((t, i) => {
    if (t.length > MAX_OPS_PER_THREAD) fail(`${thPath}[${i}]`, `at most ${MAX_OPS_PER_THREAD} ops per thread (got ${t.length})`);
  });
  const total = threads.reduce((a, t) => a + t.length, 0);
  if (total > MAX_OPS) return fail(thPath, `at most ${MAX_OPS} ops in all threads (got ${total}): the exploration would not end in reasonable time`);
  // Registers: a dependency or an outcome may name only a register its thread loads (or starts with).
  const loaded = threads.map((t) => new Set(t.flatMap((o) => ('reg' in o && o.reg !== undefined && (o.op === 'load' || o.op === 'faa') ? [o.reg] : []))));
  threads.forEach((t, i) => {
    const sofar = new Set<string>();
    t.forEach((o, k) => {
      for (const d of o.deps ?? []) for (const r of d.on) if (!sofar.has(r) && !regsInit(u, i).has(r)) fail(`${thPath}[${i}][${k}]`, `a ${d.kind} dependency on register ${r}, which no earlier load of thread ${i} writes`);
      if ((o.op === 'load' || o.op === 'faa') && o.reg !== undefined) sofar.add(o.reg);
    });
  });
  const init: Record<string, bigint> = {};
  const initRegs: Record<string, bigint>[] = threads.map(() => ({}));
  const initF = pick(u, ['init', 'initial', 'initState']);
  if (initF) {
    const cond = decodeCondition(initF[1], key(path, initF[0]));
    for (const [k, v] of Object.entries(cond)) {
      const m = /^(\d+):(.+)$/.exec(k);
      if (m) {
        const c = Number(m[1]);
        if (c >= threads.length) return fail(key(key(path, initF[0]), k), `thread ${c} does not exist`);
        initRegs[c][m[2]] = v;
      } else init[k] = v;
    }
  }
  const outF = pick(u, ['outcome', 'condition', 'exists', 'final', 'expect_outcome']);
  const outcome = outF ? decodeCondition(outF[1], key(path, outF[0])) : {};
  for (const k of Object.keys(outcome)) {
    const m = /^(\d+):(.+)$/.exec(k);
    if (m && Number(m[1]) >= threads.length) return fail(key(key(path, outF![0]), k), `thread ${m[1]} does not exist`);
    if (m && !loaded[Number(m[1])].has(m[2]) && !(m[2] in initRegs[Number(m[1])])) return fail(key(key(path, outF![0]), k), `thread ${m[1]} never loads register ${m[2]}`);
  }
  const vF = pick(u, ['verdict', 'expected', 'expect', 'result']);
  let verdict: Verdict | undefined;
  if (vF && vF[1] !== null) {
    const s = typeof vF[1] === 'string' ? vF[1].trim().toLowerCase() : '';
    if (/^allow(ed)?$|^ok$|^yes$|^sometimes$/.test(s)) verdict = 'allowed';
    else if (/^forbid(den)?$|^no$|^never$/.test(s)) verdict = 'forbidden';
    else return fail(key(path, vF[0]), `expected "allowed" or "forbidden", got ${show(vF[1])}`);
  }
  return { name, ...(family !== undefined ? { family } : {}), threads, init, initRegs, outcome, ...(verdict ? { verdict } : {}) };
}

function decodeFileUnsafe(u: unknown): LitmusTest[] {
  if (Array.isArray(u)) return u.map((x, i) => decodeTest(x, `$[${i}]`, i));
  if (isObj(u)) {
    const f = pick(u, ['tests', 'litmus']);
    if (f) {
      if (!Array.isArray(f[1])) return fail(key('$', f[0]), `expected an array of litmus tests, got ${show(f[1])}`);
      return f[1].map((x, i) => decodeTest(x, `${key('$', f[0])}[${i}]`, i));
    }
    if (pick(u, ['threads'])) return [decodeTest(u, '$', 0)];
  }
  return fail('$', `expected an array of litmus tests, got ${show(u)}`);
}

function run<A>(f: () => A): DecodeResult<A> {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    if (e instanceof DecodeError) return { ok: false, error: `${e.path}: ${e.msg}`.replace(/\s*\n\s*/g, ' ') };
    return { ok: false, error: `$: ${e instanceof Error ? e.message : String(e)}`.replace(/\s*\n\s*/g, ' ') };
  }
}

/** io-ts codec for a litmus file (decoding is lenient; see the header comment). */
export const LitmusFile: t.Type<LitmusTest[], LitmusTest[], unknown> = new t.Type<LitmusTest[], LitmusTest[], unknown>(
  'LitmusFile',
  (u): u is LitmusTest[] => Array.isArray(u) && u.every((x) => isObj(x) && typeof x.name === 'string' && Array.isArray(x.threads)),
  (u, c) => {
    const r = run(() => decodeFileUnsafe(u));
    return r.ok ? t.success(r.value) : t.failure(u, c, r.error);
  },
  t.identity,
);

/** io-ts codec for a single litmus test. */
export const LitmusTestC: t.Type<LitmusTest, LitmusTest, unknown> = new t.Type<LitmusTest, LitmusTest, unknown>(
  'LitmusTest',
  (u): u is LitmusTest => isObj(u) && typeof u.name === 'string' && Array.isArray(u.threads),
  (u, c) => {
    const r = run(() => decodeTest(u, '$', 0));
    return r.ok ? t.success(r.value) : t.failure(u, c, r.error);
  },
  t.identity,
);

/** Decode a parsed litmus JSON file. Never throws; the error is one line starting with the JSON path. */
export function decodeLitmusFile(json: unknown): DecodeResult<LitmusTest[]> {
  const r = LitmusFile.decode(json);
  if (r._tag === 'Right') return { ok: true, value: r.right };
  return { ok: false, error: r.left[0]?.message ?? '$: invalid litmus file' };
}
