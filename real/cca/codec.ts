// The trace file format (DESIGN.md "Trace file"), decoded with io-ts. Every error is one line naming
// the JSON path of the offending value, e.g. `$.steps[3].args[0]: expected a 64-bit value ...`.

import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { Action, FieldWrite, Instr } from './actions';
import { Config, DEFAULT_CONFIG, configProblems } from './config';
import { isRmiName, rmiFid, rmiNameOfFid } from './rmi';
import { encodeRecEntry, encodeRecParams, encodeRealmParams } from './params';
import { U64_MASK } from '../../model/bits';

export const TRACE_FORMAT = 'real-ideal/trace@1';

export interface Trace {
  readonly config: Config;
  readonly variant?: string;
  /** A user-written variant module (path), as `check --variant-file` ran it. */
  readonly variantFile?: string;
  /** Declassification rules switched off in the ideal machine. */
  readonly rulesOff?: readonly string[];
  readonly steps: readonly Action[];
}

type Result<T> = { ok: true; value: T } | { ok: false; error: string };
const fail = (path: string, msg: string): { ok: false; error: string } => ({ ok: false, error: `${path}: ${msg}` });

/** A 64-bit value: a non-negative safe integer, or a hex/decimal string (for values above 2^53). */
export const U64 = new t.Type<bigint, string, unknown>(
  'u64',
  (u): u is bigint => typeof u === 'bigint',
  (u, c) => {
    if (typeof u === 'number' && Number.isSafeInteger(u) && u >= 0) return t.success(BigInt(u));
    if (typeof u === 'number') return t.failure(u, c, 'expected a non-negative integer below 2^53 (write larger values as a hex string)');
    if (typeof u === 'string' && /^(0x[0-9a-fA-F]+|[0-9]+)$/.test(u.trim())) {
      const v = BigInt(u.trim());
      return v <= U64_MASK ? t.success(v) : t.failure(u, c, 'value does not fit in 64 bits');
    }
    return t.failure(u, c, 'expected a 64-bit value (a hex string like "0x3000" or a non-negative integer)');
  },
  (v) => '0x' + v.toString(16),
);

const Reg = t.refinement(t.number, (n) => Number.isInteger(n) && n >= 0 && n <= 30, 'register 0..30');
const Cpu = t.refinement(t.number, (n) => Number.isInteger(n) && n >= 0 && n < 64, 'CPU index');

/** The keys each step kind (and each nested structure) may have: anything else is a typo, an error. */
const STEP_KEYS: Record<string, readonly string[]> = {
  rmi: ['rmi', 'cpu', 'args'],
  fid: ['fid', 'cpu', 'args'],
  host: ['host', 'addr', 'cpu', 'count', 'words', 'writes', 'realmParams', 'recParams', 'recEntry'],
  dma: ['dma', 'addr', 'count', 'words', 'writes'],
  realm: ['realm', 'cpu'],
  micro: ['micro', 'cpu'],
};
const NESTED_KEYS: Record<string, readonly string[]> = {
  realmParams: ['flags', 's2sz', 'sveVl', 'numBps', 'numWps', 'pmuNumCtrs', 'hashAlgo', 'rpv', 'vmid', 'rttBase', 'rttLevelStart', 'rttNumStart'],
  recParams: ['flags', 'mpidr', 'pc', 'gprs', 'numAux', 'aux'],
  recEntry: ['flags', 'gprs', 'gicv3Hcr', 'gicv3Lrs'],
};
const INSTR_KEYS: Record<string, readonly string[]> = {
  load: ['ipa', 'reg', 'word', 'size', 'signed'], store: ['ipa', 'reg', 'word', 'size'], fetch: ['ipa'], mov: ['reg', 'value', 'secret'],
  movr: ['reg', 'src'], add: ['reg', 'src', 'value'], mrs: ['reg', 'sysreg'], msr: ['reg', 'sysreg'],
};

function unknownKey(o: object, allowed: readonly string[], path: string): { ok: false; error: string } | null {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) return fail(`${path}.${k}`, `unknown key (expected ${allowed.map((x) => `"${x}"`).join(', ')})`);
  return null;
}
const Count = t.refinement(t.number, (n) => Number.isInteger(n) && n >= 1 && n <= 512, 'count 1..512');

const RealmParams = t.partial({
  flags: U64, s2sz: U64, sveVl: U64, numBps: U64, numWps: U64, pmuNumCtrs: U64, hashAlgo: U64, rpv: t.array(U64), vmid: U64,
  rttBase: U64, rttLevelStart: U64, rttNumStart: U64,
});
const RecParams = t.partial({ flags: U64, mpidr: U64, pc: U64, gprs: t.array(U64), numAux: U64, aux: t.array(U64) });
const RecEntry = t.partial({ flags: U64, gprs: t.array(U64), gicv3Hcr: U64, gicv3Lrs: t.array(U64) });

const RmiStep = t.intersection([t.type({ rmi: t.string }), t.partial({ cpu: Cpu, args: t.array(U64) })]);
const FidStep = t.intersection([t.type({ fid: U64 }), t.partial({ cpu: Cpu, args: t.array(U64) })]);
/** Writes at byte offsets, when they are not one dense run of words from offset 0. */
const Off = t.refinement(t.number, (n) => Number.isInteger(n) && n >= 0 && n % 8 === 0 && n < 4096, 'a word-aligned byte offset 0..4088');
const Writes = t.array(t.type({ off: Off, value: U64 }));
const HostStep = t.intersection([
  t.type({ host: t.keyof({ read: null, write: null }), addr: U64 }),
  t.partial({ cpu: Cpu, count: Count, words: t.array(U64), writes: Writes, realmParams: RealmParams, recParams: RecParams, recEntry: RecEntry }),
]);
const DmaStep = t.intersection([t.type({ dma: t.keyof({ read: null, write: null }), addr: U64 }), t.partial({ count: Count, words: t.array(U64), writes: Writes })]);
const MicroStep = t.type({ micro: t.refinement(t.number, (n) => Number.isInteger(n) && n >= 0, 'op index'), cpu: Cpu });

// Access sizes are written as numbers (what counterexample files contain); strings are accepted too.
const Size = t.union([t.literal(1), t.literal(2), t.literal(4), t.literal(8), t.keyof({ 1: null, 2: null, 4: null, 8: null })]);
const Sized = t.partial({ word: t.number, size: Size });
const INSTR: Record<string, t.Mixed> = {
  load: t.intersection([t.type({ ipa: U64, reg: Reg }), Sized, t.partial({ signed: t.boolean })]),
  store: t.intersection([t.type({ ipa: U64, reg: Reg }), Sized]),
  fetch: t.type({ ipa: U64 }),
  mov: t.intersection([t.type({ reg: Reg, value: U64 }), t.partial({ secret: t.boolean })]),
  movr: t.type({ reg: Reg, src: Reg }),
  add: t.type({ reg: Reg, src: Reg, value: U64 }),
  mrs: t.type({ reg: Reg, sysreg: t.string }),
  msr: t.type({ reg: Reg, sysreg: t.string }),
  wfi: t.type({}), wfe: t.type({}), irq: t.type({}), fiq: t.type({}), serror: t.type({}), smc: t.type({}), hvc: t.type({}),
};
const RealmStep = t.intersection([t.type({ realm: t.UnknownRecord }), t.partial({ cpu: Cpu })]);

function decodeWith<A>(codec: t.Decoder<unknown, A>, u: unknown, path: string): Result<A> {
  const r = codec.decode(u);
  if (!isLeft(r)) return { ok: true, value: r.right };
  return fail(errorPath(r.left[0], path), errorMessage(r.left[0]));
}

/** The JSON path of an io-ts error: object keys and array indices, skipping combinator levels. */
function errorPath(e: t.ValidationError, path: string): string {
  let p = path;
  for (let i = 1; i < e.context.length; i++) {
    const parent = e.context[i - 1].type as unknown as { _tag?: string };
    const key = e.context[i].key;
    if (parent._tag === 'ArrayType') p += `[${key}]`;
    else if (parent._tag === 'InterfaceType' || parent._tag === 'PartialType' || parent._tag === 'DictionaryType') p += `.${key}`;
  }
  return p;
}
const errorMessage = (e: t.ValidationError): string =>
  e.message ?? (e.value === undefined ? 'missing' : `expected ${e.context[e.context.length - 1]?.type.name}, got ${JSON.stringify(e.value)}`);

const wordsWrite = (ws: readonly bigint[]): FieldWrite[] => ws.map((value, i) => ({ off: 8 * i, value }));

export function decodeStep(u: unknown, path: string, cfg?: Config): Result<Action> {
  const r = decodeStepShape(u, path);
  if (!r.ok || !cfg) return r;
  const a = r.value;
  if ('cpu' in a && a.cpu >= cfg.cpus) return fail(`${path}.cpu`, `CPU ${a.cpu} is not in the configuration (cpus: ${cfg.cpus})`);
  return r;
}

function decodeStepShape(u: unknown, path: string): Result<Action> {
  if (typeof u !== 'object' || u === null || Array.isArray(u)) return fail(path, 'expected a step object');
  const o = u as Record<string, unknown>;
  const kind = Object.keys(STEP_KEYS).find((k) => Object.prototype.hasOwnProperty.call(o, k));
  if (kind) {
    const bad = unknownKey(o, STEP_KEYS[kind], path);
    if (bad) return bad;
    for (const [k, keys] of Object.entries(NESTED_KEYS)) {
      const n = o[k];
      if (n !== undefined && (typeof n !== 'object' || n === null || Array.isArray(n))) return fail(`${path}.${k}`, 'expected an object of fields');
      const nb = n === undefined ? null : unknownKey(n as object, keys, `${path}.${k}`);
      if (nb) return nb;
    }
  }
  if ('rmi' in o) {
    const r = decodeWith(RmiStep, o, path);
    if (!r.ok) return r;
    const name = r.value.rmi.replace(/^RMI_/, '');
    if (!isRmiName(name)) return fail(`${path}.rmi`, `unknown RMI command "${r.value.rmi}" (use "fid" for a raw function ID)`);
    return { ok: true, value: { kind: 'rmi', cpu: r.value.cpu ?? 0, fid: BigInt(rmiFid(name)), args: r.value.args ?? [] } };
  }
  if ('fid' in o) {
    const r = decodeWith(FidStep, o, path);
    return r.ok ? { ok: true, value: { kind: 'rmi', cpu: r.value.cpu ?? 0, fid: r.value.fid, args: r.value.args ?? [] } } : r;
  }
  if ('host' in o) {
    const r = decodeWith(HostStep, o, path);
    if (!r.ok) return r;
    const v = r.value;
    if (v.host === 'read') return { ok: true, value: { kind: 'host-read', cpu: v.cpu ?? 0, addr: v.addr, count: v.count ?? 1 } };
    const writes = v.realmParams ? encodeRealmParams(v.realmParams) : v.recParams ? encodeRecParams(v.recParams) : v.recEntry ? encodeRecEntry(v.recEntry) : v.words ? wordsWrite(v.words) : v.writes ? v.writes : null;
    if (!writes) return fail(path, 'a host write needs "words", "writes", "realmParams", "recParams" or "recEntry"');
    return { ok: true, value: { kind: 'host-write', cpu: v.cpu ?? 0, addr: v.addr, writes } };
  }
  if ('dma' in o) {
    const r = decodeWith(DmaStep, o, path);
    if (!r.ok) return r;
    const v = r.value;
    if (v.dma === 'read') return { ok: true, value: { kind: 'dma-read', addr: v.addr, count: v.count ?? 1 } };
    if (!v.words && !v.writes) return fail(path, 'a DMA write needs "words" or "writes"');
    return { ok: true, value: { kind: 'dma-write', addr: v.addr, writes: v.words ? wordsWrite(v.words) : v.writes! } };
  }
  if ('realm' in o) {
    const r = decodeWith(RealmStep, o, path);
    if (!r.ok) return r;
    const i = decodeInstr(r.value.realm, `${path}.realm`);
    return i.ok ? { ok: true, value: { kind: 'realm', cpu: r.value.cpu ?? 0, instr: i.value } } : i;
  }
  if ('micro' in o) {
    const r = decodeWith(MicroStep, o, path);
    return r.ok ? { ok: true, value: { kind: 'micro', cpu: r.value.cpu, op: r.value.micro } } : r;
  }
  return fail(path, 'expected one of "rmi", "fid", "host", "dma", "realm", "micro"');
}

export function decodeInstr(u: unknown, path: string): Result<Instr> {
  const op = (u as { op?: unknown }).op;
  if (typeof op !== 'string' || !Object.prototype.hasOwnProperty.call(INSTR, op)) return fail(`${path}.op`, `expected one of ${Object.keys(INSTR).join('|')}`);
  const bad = unknownKey(u as object, ['op', ...(INSTR_KEYS[op] ?? [])], path);
  if (bad) return bad;
  const r = decodeWith(INSTR[op], u, path);
  if (!r.ok) return r;
  const v = { ...(r.value as object), op } as Instr & { word?: number; size?: number | string };
  if (v.size !== undefined) v.size = Number(v.size);
  if ((v.op === 'load' || v.op === 'store') && v.word !== undefined) {
    if (!Number.isInteger(v.word) || v.word < 0 || v.word > 511) return fail(`${path}.word`, 'expected a word index 0..511');
    const { word, ...rest } = v;
    return { ok: true, value: { ...rest, ipa: (v.ipa + BigInt(8 * word)) & U64_MASK } as Instr };
  }
  return { ok: true, value: v as Instr };
}

const CONFIG_KEYS = Object.keys(DEFAULT_CONFIG);

/** A configuration value has the shape of its default: non-negative integers, booleans, arrays of them, pairs. */
function shapeError(v: unknown, d: unknown, path: string): { ok: false; error: string } | null {
  if (typeof d === 'number') return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? null : fail(path, `expected a non-negative integer, got ${JSON.stringify(v)}`);
  if (typeof d === 'boolean') return typeof v === 'boolean' ? null : fail(path, `expected true or false, got ${JSON.stringify(v)}`);
  if (Array.isArray(d)) {
    if (!Array.isArray(v)) return fail(path, `expected an array, got ${JSON.stringify(v)}`);
    if (v.length > 4096) return fail(path, 'at most 4096 entries');
    const elem = d[0];
    if (elem === undefined) return null;
    if (Array.isArray(elem) && v.some((x) => !Array.isArray(x) || x.length !== elem.length)) return fail(path, `expected [from, to] pairs`);
    for (let i = 0; i < v.length; i++) {
      const e = shapeError(v[i], elem, `${path}[${i}]`);
      if (e) return e;
    }
    return null;
  }
  return typeof v === typeof d ? null : fail(path, `expected ${typeof d}`);
}

export function decodeConfig(u: unknown, path: string, base: Config = DEFAULT_CONFIG): Result<Config> {
  if (u === undefined) return { ok: true, value: base };
  if (typeof u !== 'object' || u === null || Array.isArray(u)) return fail(path, 'expected an object of configuration overrides');
  for (const k of Object.keys(u)) if (!CONFIG_KEYS.includes(k)) return fail(`${path}.${k}`, `unknown configuration key (known: ${CONFIG_KEYS.join(', ')})`);
  const cfg = { ...base, ...(u as Partial<Config>) } as Config;
  for (const k of CONFIG_KEYS) {
    const e = shapeError((cfg as unknown as Record<string, unknown>)[k], (DEFAULT_CONFIG as unknown as Record<string, unknown>)[k], `${path}.${k}`);
    if (e) return e;
  }
  const problems = configProblems(cfg);
  if (problems.length) {
    const [key, msg] = problems[0].split(': ');
    return fail(`${path}.${key.split('/')[0]}`, msg);
  }
  return { ok: true, value: cfg };
}

export function decodeTrace(u: unknown, base: Config = DEFAULT_CONFIG): Result<Trace> {
  if (typeof u !== 'object' || u === null || Array.isArray(u)) return fail('$', 'expected a trace object');
  const o = u as Record<string, unknown>;
  if (o.format !== TRACE_FORMAT) return fail('$.format', `expected "${TRACE_FORMAT}"`);
  const cfg = decodeConfig(o.config, '$.config', base);
  if (!cfg.ok) return cfg;
  if (o.variant !== undefined && typeof o.variant !== 'string') return fail('$.variant', 'expected a variant name');
  if (o.variantFile !== undefined && typeof o.variantFile !== 'string') return fail('$.variantFile', 'expected a path');
  if (o.rulesOff !== undefined && (!Array.isArray(o.rulesOff) || o.rulesOff.some((x) => typeof x !== 'string'))) return fail('$.rulesOff', 'expected an array of rule names');
  if (!Array.isArray(o.steps)) return fail('$.steps', 'expected an array of steps');
  const steps: Action[] = [];
  for (let i = 0; i < o.steps.length; i++) {
    const r = decodeStep(o.steps[i], `$.steps[${i}]`);
    if (!r.ok) return r;
    steps.push(r.value);
  }
  return { ok: true, value: { config: cfg.value, variant: o.variant as string | undefined, variantFile: o.variantFile as string | undefined, rulesOff: o.rulesOff as string[] | undefined, steps } };
}

const hex = (v: bigint) => '0x' + v.toString(16);

/** The JSON form of an action (what counterexample files contain). Params are written as words. */
export function encodeStep(a: Action): Record<string, unknown> {
  switch (a.kind) {
    case 'rmi': {
      const name = rmiNameOfFid(a.fid);
      return name ? { cpu: a.cpu, rmi: name, args: a.args.map(hex) } : { cpu: a.cpu, fid: hex(a.fid), args: a.args.map(hex) };
    }
    case 'host-read':
      return { cpu: a.cpu, host: 'read', addr: hex(a.addr), ...(a.count !== 1 ? { count: a.count } : {}) };
    case 'host-write':
      return { cpu: a.cpu, host: 'write', addr: hex(a.addr), ...encodeWrites(a.writes) };
    case 'dma-read':
      return { dma: 'read', addr: hex(a.addr), ...(a.count !== 1 ? { count: a.count } : {}) };
    case 'dma-write':
      return { dma: 'write', addr: hex(a.addr), ...encodeWrites(a.writes) };
    case 'realm':
      return { cpu: a.cpu, realm: Object.fromEntries(Object.entries(a.instr).map(([k, v]) => [k, typeof v === 'bigint' ? hex(v) : v])) };
    case 'micro':
      return { cpu: a.cpu, micro: a.op };
  }
}

/**
 * `words` when the writes are one dense run from offset 0 (the common case: params, word lists);
 * otherwise `writes` with their offsets, so a replay writes exactly the words the step wrote.
 */
function encodeWrites(ws: readonly FieldWrite[]): Record<string, unknown> {
  if (ws.every((w, i) => w.off === 8 * i)) return { words: ws.map((w) => hex(w.value)) };
  return { writes: ws.map((w) => ({ off: w.off, value: hex(w.value) })) };
}
