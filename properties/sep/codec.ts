// sep's trace-step codec: strict JSON decoding of actions (unknown keys, negative or out-of-configuration
// indices are errors naming the JSON path), encoding and one-line descriptions.

import * as t from 'io-ts';
import type { Result } from '../../model/system';
import { fail, ok } from '../../model/system';
import { Nat, U64, decodeWith, hex, short, strict } from '../../real/sep/codec';
import { SYSREGS } from '../../real/sep/arch';
import type { Action, Instr } from '../../real/sep/actions';
import type { Cfg } from '../../real/sep/config';

const SysRegC = t.keyof(Object.fromEntries(SYSREGS.map((r) => [r, null])) as Record<string, null>, 'system register');
const Reg = new t.Type<number, number, unknown>('register 0..31 (31 = xzr)', (u): u is number => Nat.is(u) && u <= 31,
  (u, c) => (Nat.is(u) && u <= 31 ? t.success(u) : t.failure(u, c)), (n) => n);
const Imm16 = new t.Type<number, number, unknown>('16-bit immediate', (u): u is number => Nat.is(u) && u <= 0xffff,
  (u, c) => (Nat.is(u) && u <= 0xffff ? t.success(u) : t.failure(u, c)), (n) => n);
const Args = new t.Type<bigint[], unknown, unknown>('at most 8 argument values', (u): u is bigint[] => Array.isArray(u),
  (u, c) => (Array.isArray(u) && u.length <= 8 ? t.array(U64).validate(u, c) : t.failure(u, c)), (a) => a);

const INSTR: Record<string, t.Decoder<unknown, unknown>> = {
  load: strict({ op: t.literal('load'), ipa: U64, rt: Reg }, { isv: t.boolean }, 'load'),
  store: strict({ op: t.literal('store'), ipa: U64, rt: Reg }, { isv: t.boolean }, 'store'),
  fetch: strict({ op: t.literal('fetch'), ipa: U64 }, undefined, 'fetch'),
  mov: strict({ op: t.literal('mov'), rd: Reg, value: U64 }, { secret: t.boolean }, 'mov'),
  mrs: strict({ op: t.literal('mrs'), rt: Reg, reg: SysRegC }, undefined, 'mrs'),
  msr: strict({ op: t.literal('msr'), rt: Reg, reg: SysRegC }, undefined, 'msr'),
  wfi: strict({ op: t.literal('wfi') }, undefined, 'wfi'),
  eret: strict({ op: t.literal('eret') }, undefined, 'eret'),
  svc: strict({ op: t.literal('svc'), imm: Imm16 }, undefined, 'svc'),
  hvc: strict({ op: t.literal('hvc'), imm: Imm16 }, { args: Args }, 'hvc'),
  smc: strict({ op: t.literal('smc'), imm: Imm16 }, { args: Args }, 'smc'),
};

const ACTION: Record<string, t.Decoder<unknown, unknown>> = {
  guest: strict({ kind: t.literal('guest'), core: Nat, instr: t.unknown }, undefined, 'guest step'),
  input: strict({ kind: t.literal('device'), dev: Nat, op: t.literal('input'), reg: Nat, value: U64 }, undefined, 'device input'),
  raise: strict({ kind: t.literal('device'), dev: Nat, op: t.literal('raise'), irq: Nat }, undefined, 'device raise'),
  dma: strict({ kind: t.literal('dma'), dev: Nat, write: t.boolean, ipa: U64, value: U64 }, undefined, 'dma step'),
  irq: strict({ kind: t.literal('irq'), core: Nat, intid: Nat, src: Nat }, undefined, 'irq step'),
  virq: strict({ kind: t.literal('virq'), core: Nat }, undefined, 'virq step'),
};

const obj = (u: unknown): Record<string, unknown> | null => (typeof u === 'object' && u !== null && !Array.isArray(u) ? (u as Record<string, unknown>) : null);

export function decodeAction(u: unknown, path: string, c: Cfg): Result<Action> {
  const o = obj(u);
  if (!o) return fail(path, `expected a step object, got ${short(u)}`);
  const kind = o.kind;
  const key = kind === 'device' ? (o.op === 'input' || o.op === 'raise' ? o.op : null) : typeof kind === 'string' && kind in ACTION && kind !== 'input' && kind !== 'raise' ? kind : null;
  if (key === null) {
    if (kind === 'device') return fail(`${path}.op`, `expected "input" or "raise", got ${short(o.op)}`);
    return fail(`${path}.kind`, `expected one of "guest", "device", "dma", "irq", "virq", got ${short(kind)}`);
  }
  const r = decodeWith(ACTION[key], u, path);
  if (!r.ok) return r;
  const a = r.value as Record<string, unknown>;
  if ('core' in a && (a.core as number) >= c.cores) return fail(`${path}.core`, `core ${a.core} does not exist (${c.cores} cores)`);
  if ('src' in a && (a.src as number) >= c.cores) return fail(`${path}.src`, `core ${a.src} does not exist (${c.cores} cores)`);
  if ('intid' in a && (a.intid as number) > 1019) return fail(`${path}.intid`, `expected an interrupt id 0..1019, got ${a.intid}`);
  if ('dev' in a && (a.dev as number) >= c.devices.length) return fail(`${path}.dev`, `device ${a.dev} does not exist (${c.devices.length} devices)`);
  if ('reg' in a && (a.reg as number) >= c.wordsPerPage) return fail(`${path}.reg`, `device register ${a.reg} does not exist (${c.wordsPerPage} per device)`);
  if (key !== 'guest') return ok(a as unknown as Action);
  const io = obj(a.instr);
  if (!io) return fail(`${path}.instr`, `expected an instruction object, got ${short(a.instr)}`);
  if (typeof io.op !== 'string' || !(io.op in INSTR)) return fail(`${path}.instr.op`, `expected one of ${Object.keys(INSTR).join(', ')}, got ${short(io.op)}`);
  const i = decodeWith(INSTR[io.op], io, `${path}.instr`);
  if (!i.ok) return i;
  return ok({ kind: 'guest', core: a.core as number, instr: i.value as Instr });
}

const big = (v: bigint): string => hex(v);

export function encodeAction(a: Action): Record<string, unknown> {
  switch (a.kind) {
    case 'guest': {
      const i = a.instr;
      const o: Record<string, unknown> = { op: i.op };
      if ('ipa' in i) o.ipa = big(i.ipa);
      if ('rt' in i) o.rt = i.rt;
      if ('rd' in i) o.rd = i.rd;
      if ('value' in i) o.value = big(i.value);
      if ('reg' in i) o.reg = i.reg;
      if ('imm' in i) o.imm = i.imm;
      if ('isv' in i && i.isv !== undefined) o.isv = i.isv;
      if ('secret' in i && i.secret !== undefined) o.secret = i.secret;
      if ('args' in i && i.args !== undefined) o.args = i.args.map(big);
      return { kind: 'guest', core: a.core, instr: o };
    }
    case 'device': return a.op === 'input' ? { kind: 'device', dev: a.dev, op: 'input', reg: a.reg, value: big(a.value) } : { kind: 'device', dev: a.dev, op: 'raise', irq: a.irq };
    case 'dma': return { kind: 'dma', dev: a.dev, write: a.write, ipa: big(a.ipa), value: big(a.value) };
    case 'irq': return { kind: 'irq', core: a.core, intid: a.intid, src: a.src };
    case 'virq': return { kind: 'virq', core: a.core };
  }
}

export function describeAction(a: Action): string {
  switch (a.kind) {
    case 'guest': {
      const i = a.instr;
      const p = `core ${a.core}: `;
      switch (i.op) {
        case 'load': return `${p}ldr x${i.rt}, [${big(i.ipa)}]${i.isv === false ? ' (no ISS)' : ''}`;
        case 'store': return `${p}str x${i.rt}, [${big(i.ipa)}]${i.isv === false ? ' (no ISS)' : ''}`;
        case 'fetch': return `${p}br ${big(i.ipa)} (fetch)`;
        case 'mov': return `${p}mov x${i.rd}, #${big(i.value)}${i.secret ? ' (secret)' : ''}`;
        case 'mrs': return `${p}mrs x${i.rt}, ${i.reg}`;
        case 'msr': return `${p}msr ${i.reg}, x${i.rt}`;
        case 'svc': return `${p}svc #${i.imm}`;
        case 'hvc': case 'smc': return `${p}${i.op} #${i.imm}${i.args ? ` with ${i.args.map((v, r) => `x${r}=${big(v)}`).join(' ')}` : ''}`;
        default: return `${p}${i.op}`;
      }
    }
    case 'device': return a.op === 'input' ? `device ${a.dev}: input reg ${a.reg} = ${big(a.value)}` : `device ${a.dev}: raise IRQ ${a.irq}`;
    case 'dma': return `device ${a.dev}: DMA ${a.write ? `write ${big(a.value)} to` : 'read'} ${big(a.ipa)}`;
    case 'irq': return `core ${a.core}: take interrupt ${a.intid}${a.intid < 16 ? ` from core ${a.src}` : ''}`;
    case 'virq': return `core ${a.core}: take the virtual IRQ`;
  }
}
