// Trace steps and configuration as JSON (strict: unknown keys are errors; every error names its path).
// A hypercall is written with its named arguments (`{"cpu":0,"ec":5,"hypercall":"create_pd","args":{...}}`)
// when the registers are exactly that call's encoding, else as raw registers (`"regs":["0x..",..]`).
import { Result, fail, ok } from '../../model/system';
import { hex } from '../../model/bits';
import type { Action, Config } from '../../real/nova/types';
import { ARGS, decodeCall, encodeCall } from '../../real/nova/abi';
import { DEFAULT_CONFIG } from '../../real/nova/state';

const U64 = (1n << 64n) - 1n;
function big(u: unknown, path: string): Result<bigint> {
  if (typeof u === 'number' && Number.isSafeInteger(u) && u >= 0) return ok(BigInt(u));
  if (typeof u === 'string' && /^0x[0-9a-fA-F]+$/.test(u) && BigInt(u) <= U64) return ok(BigInt(u));
  if (typeof u === 'boolean') return ok(u ? 1n : 0n);
  return fail(path, 'expected a non-negative integer or a 0x hex string below 2^64');
}
function int(u: unknown, path: string, max: number): Result<number> {
  if (typeof u === 'number' && Number.isInteger(u) && u >= 0 && u < max) return ok(u);
  return fail(path, `expected an integer in 0..${max - 1}`);
}
function keys(o: Record<string, unknown>, path: string, allowed: readonly string[]): string | null {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) return fail(`${path}.${k}`, 'unknown key').error;
  return null;
}
const isObj = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

export function decodeAction(u: unknown, path: string, c: Config): Result<Action> {
  if (!isObj(u)) return fail(path, 'expected an object');
  const cpu = () => int(u.cpu, `${path}.cpu`, c.cpus), ec = () => int(u.ec, `${path}.ec`, c.maxObjects);
  const both = (): Result<[number, number]> => { const a = cpu(); if (!a.ok) return a; const b = ec(); if (!b.ok) return b; return ok([a.value, b.value]); };
  const check = (allowed: string[]) => keys(u, path, allowed);
  let e: string | null;
  if ('hypercall' in u || 'regs' in u) {
    if ((e = check(['cpu', 'ec', 'hypercall', 'args', 'regs']))) return { ok: false, error: e };
    const ce = both(); if (!ce.ok) return ce;
    if ('regs' in u) {
      if ('hypercall' in u || 'args' in u) return fail(path, 'either "regs" or "hypercall" with "args"');
      if (!Array.isArray(u.regs) || u.regs.length > 5) return fail(`${path}.regs`, 'expected up to 5 registers X0..X4');
      const regs: bigint[] = [];
      for (const [i, v] of u.regs.entries()) { const b = big(v, `${path}.regs[${i}]`); if (!b.ok) return b; regs.push(b.value); }
      return ok({ kind: 'hypercall', cpu: ce.value[0], ec: ce.value[1], regs });
    }
    const name = u.hypercall;
    if (typeof name !== 'string' || !(name in ARGS)) return fail(`${path}.hypercall`, `expected one of ${Object.keys(ARGS).join(', ')}`);
    const args = u.args ?? {};
    if (!isObj(args)) return fail(`${path}.args`, 'expected an object');
    const named: Record<string, bigint> = {};
    for (const [k, v] of Object.entries(args)) {
      if (!ARGS[name].includes(k)) return fail(`${path}.args.${k}`, `unknown argument of ${name} (known: ${ARGS[name].join(', ')})`);
      const b = big(v, `${path}.args.${k}`); if (!b.ok) return b; named[k] = b.value;
    }
    return ok({ kind: 'hypercall', cpu: ce.value[0], ec: ce.value[1], regs: encodeCall(name, named) });
  }
  if ('load' in u || 'store' in u) {
    const st = 'store' in u;
    if ((e = check(st ? ['cpu', 'ec', 'store', 'value', 'secret'] : ['cpu', 'ec', 'load']))) return { ok: false, error: e };
    const ce = both(); if (!ce.ok) return ce;
    const addr = big(st ? u.store : u.load, `${path}.${st ? 'store' : 'load'}`); if (!addr.ok) return addr;
    if (!st) return ok({ kind: 'load', cpu: ce.value[0], ec: ce.value[1], addr: addr.value });
    const v = big(u.value ?? 0, `${path}.value`); if (!v.ok) return v;
    if (u.secret !== undefined && typeof u.secret !== 'boolean') return fail(`${path}.secret`, 'expected a boolean');
    return ok({ kind: 'store', cpu: ce.value[0], ec: ce.value[1], addr: addr.value, value: v.value, ...(u.secret ? { secret: true } : {}) });
  }
  if ('mov' in u) {
    if ((e = check(['cpu', 'ec', 'mov', 'value', 'secret']))) return { ok: false, error: e };
    const ce = both(); if (!ce.ok) return ce;
    const r = int(u.mov, `${path}.mov`, 8); if (!r.ok) return r;
    const v = big(u.value ?? 0, `${path}.value`); if (!v.ok) return v;
    if (u.secret !== undefined && typeof u.secret !== 'boolean') return fail(`${path}.secret`, 'expected a boolean');
    return ok({ kind: 'mov', cpu: ce.value[0], ec: ce.value[1], reg: r.value, value: v.value, ...(u.secret ? { secret: true } : {}) });
  }
  if ('exc' in u) {
    if ((e = check(['cpu', 'ec', 'exc']))) return { ok: false, error: e };
    const ce = both(); if (!ce.ok) return ce;
    const ev = int(u.exc, `${path}.exc`, 256); if (!ev.ok) return ev;
    return ok({ kind: 'exc', cpu: ce.value[0], ec: ce.value[1], ev: ev.value });
  }
  if ('irq' in u) {
    if ((e = check(['irq']))) return { ok: false, error: e };
    const n = int(u.irq, `${path}.irq`, c.irqs); if (!n.ok) return n;
    return ok({ kind: 'irq', irq: n.value });
  }
  if ('dma' in u) {
    if ((e = check(['dma', 'dev', 'addr', 'value']))) return { ok: false, error: e };
    if (u.dma !== 'read' && u.dma !== 'write') return fail(`${path}.dma`, 'expected "read" or "write"');
    const d = int(u.dev, `${path}.dev`, c.devices); if (!d.ok) return d;
    const a = big(u.addr, `${path}.addr`); if (!a.ok) return a;
    const v = big(u.value ?? 0, `${path}.value`); if (!v.ok) return v;
    return ok({ kind: 'dma', dev: d.value, addr: a.value, write: u.dma === 'write', value: v.value });
  }
  if ('tick' in u) {
    if ((e = check(['cpu', 'tick']))) return { ok: false, error: e };
    const a = cpu(); if (!a.ok) return a;
    const t = int(u.tick, `${path}.tick`, 1 << 30); if (!t.ok) return t;
    return ok({ kind: 'tick', cpu: a.value, ticks: t.value });
  }
  return fail(path, 'expected a step: hypercall/regs, load, store, mov, exc, irq, dma or tick');
}

const num = (v: bigint): number | string => (v <= 0xffffn ? Number(v) : hex(v));
export function encodeAction(a: Action): Record<string, unknown> {
  switch (a.kind) {
    case 'hypercall': {
      const { name, args } = decodeCall(a.regs);
      const named = Object.fromEntries(Object.entries(args).filter(([, v]) => v !== 0n).map(([k, v]) => [k, num(v)]));
      const again = encodeCall(name, args);
      const same = again.length === a.regs.length && again.every((v, i) => v === BigInt.asUintN(64, a.regs[i]));
      return same ? { cpu: a.cpu, ec: a.ec, hypercall: name, args: named } : { cpu: a.cpu, ec: a.ec, regs: a.regs.map(hex) };
    }
    case 'load': return { cpu: a.cpu, ec: a.ec, load: hex(a.addr) };
    case 'store': return { cpu: a.cpu, ec: a.ec, store: hex(a.addr), value: hex(a.value), ...(a.secret ? { secret: true } : {}) };
    case 'mov': return { cpu: a.cpu, ec: a.ec, mov: a.reg, value: hex(a.value), ...(a.secret ? { secret: true } : {}) };
    case 'exc': return { cpu: a.cpu, ec: a.ec, exc: a.ev };
    case 'irq': return { irq: a.irq };
    case 'dma': return { dma: a.write ? 'write' : 'read', dev: a.dev, addr: hex(a.addr), value: hex(a.value) };
    case 'tick': return { cpu: a.cpu, tick: a.ticks };
  }
}

// ---- Configuration ------------------------------------------------------------------------------
const BOUNDS: Record<keyof Config, [number, number] | 'bool'> = {
  cpus: [1, 64], selBits: [10, 18], memBits: [12, 36], pages: [8, 1 << 16], kernelPages: [1, 64], quota: [0, 1 << 20], capQuota: [0, 1 << 20],
  rootQuota: [0, 1 << 20], maxObjects: [64, 1 << 16], irqs: [0, 64], smmus: [0, 16], devices: [0, 64], vcpu: 'bool', sstates: [0, 16],
};
export function decodeConfig(u: unknown, path: string, base: Config): Result<Config> {
  if (!isObj(u)) return fail(path, 'expected an object');
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(u)) {
    const b = BOUNDS[k as keyof Config];
    if (!b) return fail(`${path}.${k}`, `unknown key (known: ${Object.keys(BOUNDS).join(', ')})`);
    if (b === 'bool') { if (typeof v !== 'boolean') return fail(`${path}.${k}`, 'expected a boolean'); out[k] = v; continue; }
    if (typeof v !== 'number' || !Number.isInteger(v) || v < b[0] || v > b[1]) return fail(`${path}.${k}`, `expected an integer in ${b[0]}..${b[1]}`);
    out[k] = v;
  }
  return ok(out as unknown as Config);
}
export const encodeConfig = (c: Config): Record<string, unknown> =>
  Object.fromEntries(Object.entries(c).filter(([k, v]) => DEFAULT_CONFIG[k as keyof Config] !== v));
export function configProblems(c: Config): string[] {
  const p: string[] = [];
  if (c.kernelPages + 2 > c.pages) p.push('kernelPages: leaves no user memory (need kernelPages + 2 <= pages)');
  if (c.pages * 512 > 1 << 24) p.push('pages: at most 32768');
  if (c.irqs > 2 ** c.selBits / 4) p.push('irqs: more than the interrupt selectors');
  return p;
}
