// Phase 1 of a realm step: the guest instruction itself. It reads and writes the realm's registers
// and protected memory only through a GuestEnv, so the ideal machine can run the very same code on its
// exclusive storage; everything else (translation, NS memory) is the shared world. An instruction
// either completes or traps to the RMM (phase 2, realm/trap.ts, which sees only the world).

import { Instr, RealmEvent } from '../actions';
import { ADDR_LIMIT, U64_MASK, signExtend, u64 } from '../../../model/bits';
import { RealState, Rd } from '../state';
import { AccessOutcome, accessOutcome } from './translate';
import { HOST_SYSREGS, ID_SYSREGS, NGPRS, sysregIndex } from './regs';

export interface GuestEnv<S> {
  world(st: S): RealState;
  withWorld(st: S, w: RealState): S;
  reg(st: S, cpu: number, i: number): bigint;
  setReg(st: S, cpu: number, i: number, v: bigint): S;
  /**
   * The 64-bit word at (8-byte aligned) `ipa`, which the world maps at `pa`: protected memory (a DATA
   * granule) or, for an unprotected IPA, NS memory. A load may update storage (the ideal's rule 1).
   */
  load(st: S, rd: number, ipa: number, pa: number, prot: boolean): { st: S; v: bigint };
  store(st: S, rd: number, ipa: number, pa: number, prot: boolean, v: bigint): S;
}

export type Trap =
  | { readonly kind: 'data-abort'; readonly ipa: number; readonly write: boolean; readonly size: number; readonly rt: number; readonly signExtend: boolean; readonly emulatable: boolean; readonly fsc: bigint }
  | { readonly kind: 'inst-abort'; readonly ipa: number; readonly fsc: bigint }
  | { readonly kind: 'sysreg'; readonly name: string; readonly rt: number; readonly read: boolean }
  | { readonly kind: 'wfx'; readonly wfe: boolean }
  | { readonly kind: 'irq' }
  | { readonly kind: 'fiq' }
  | { readonly kind: 'serror' }
  | { readonly kind: 'smc' };

export type GuestResult<S> = { readonly st: S; readonly event: RealmEvent } | { readonly st: S; readonly trap: Trap };

const validReg = (r: number): boolean => Number.isInteger(r) && r >= 0 && r < NGPRS;
const sizeOk = (n: number | undefined): number => (n === 1 || n === 2 || n === 4 ? n : 8);
const undef = <S>(st: S, what: string): GuestResult<S> => ({ st, event: { what, undef: true } });

/** Bytes [off, off+size) of a little-endian word. */
const extract = (w: bigint, off: number, size: number): bigint => (w >> BigInt(off * 8)) & ((1n << BigInt(size * 8)) - 1n);
const insert = (w: bigint, off: number, size: number, v: bigint): bigint => {
  const m = ((1n << BigInt(size * 8)) - 1n) << BigInt(off * 8);
  return u64((w & ~m) | ((v << BigInt(off * 8)) & m));
};

export function execGuest<S>(env: GuestEnv<S>, st: S, cpu: number, rdPa: number, rd: Rd, wfi: { trapWfi: boolean; trapWfe: boolean }, i: Instr): GuestResult<S> {
  switch (i.op) {
    case 'mov':
      return validReg(i.reg) ? { st: env.setReg(st, cpu, i.reg, u64(i.value)), event: { what: 'mov' } } : undef(st, 'bad register');
    case 'movr':
      return validReg(i.reg) && validReg(i.src) ? { st: env.setReg(st, cpu, i.reg, env.reg(st, cpu, i.src)), event: { what: 'mov' } } : undef(st, 'bad register');
    case 'add':
      return validReg(i.reg) && validReg(i.src)
        ? { st: env.setReg(st, cpu, i.reg, (env.reg(st, cpu, i.src) + i.value) & U64_MASK), event: { what: 'add' } }
        : undef(st, 'bad register');
    case 'load':
    case 'store': {
      if (!validReg(i.reg)) return undef(st, 'bad register');
      const size = sizeOk(i.size);
      if (i.ipa < 0n || i.ipa >= ADDR_LIMIT || i.ipa % BigInt(size) !== 0n) return { st, event: { what: 'alignment fault', sea: true } };
      const ipa = Number(i.ipa);
      const write = i.op === 'store';
      const o: AccessOutcome = accessOutcome(env.world(st), rd, { ipa, kind: write ? 'write' : 'read', isv: true });
      const signed = i.op === 'load' && (i.signed ?? false);
      switch (o.row) {
        case 'sea':
          return { st, event: { what: `SEA: ${o.why}`, sea: true } };
        case 'exit-abort':
        case 'exit-emulatable':
          return { st, trap: { kind: 'data-abort', ipa, write, size, rt: i.reg, signExtend: signed, emulatable: o.row === 'exit-emulatable', fsc: o.fsc } };
        case 'protected-ok':
        case 'unprotected-ok': {
          const wordIpa = ipa - (ipa % 8);
          const wordPa = o.pa - (o.pa % 8);
          const off = ipa % 8;
          const prot = o.row === 'protected-ok';
          const old = env.load(st, rdPa, wordIpa, wordPa, prot);
          if (write) {
            const v = insert(old.v, off, size, env.reg(old.st, cpu, i.reg));
            return { st: env.store(old.st, rdPa, wordIpa, wordPa, prot, v), event: { what: 'store' } };
          }
          let v = extract(old.v, off, size);
          if (signed) v = signExtend(v, size);
          return { st: env.setReg(old.st, cpu, i.reg, v), event: { what: 'load', value: v } };
        }
      }
      return { st, event: { what: 'unreachable' } };
    }
    case 'fetch': {
      if (i.ipa < 0n || i.ipa >= ADDR_LIMIT || i.ipa % 4n !== 0n) return { st, event: { what: 'alignment fault', sea: true } };
      const o = accessOutcome(env.world(st), rd, { ipa: Number(i.ipa), kind: 'fetch', isv: false });
      if (o.row === 'sea') return { st, event: { what: `SEA: ${o.why}`, sea: true } };
      if (o.row === 'exit-abort' || o.row === 'exit-emulatable') return { st, trap: { kind: 'inst-abort', ipa: Number(i.ipa), fsc: o.fsc } };
      return { st, event: { what: 'fetch' } };
    }
    case 'mrs':
    case 'msr': {
      if (!validReg(i.reg)) return undef(st, 'bad register');
      const read = i.op === 'mrs';
      const idx = sysregIndex(i.sysreg);
      if (idx >= 0) {
        return read
          ? { st: env.setReg(st, cpu, i.reg, env.reg(st, cpu, idx)), event: { what: 'mrs' } }
          : { st: env.setReg(st, cpu, idx, env.reg(st, cpu, i.reg)), event: { what: 'msr' } };
      }
      const id = ID_SYSREGS[i.sysreg];
      // ID registers: the RMM emulates reads (sanitised constant) without an exit; writes UNDEF.
      if (id !== undefined) return read ? { st: env.setReg(st, cpu, i.reg, id), event: { what: 'mrs (emulated)' } } : undef(st, 'write to an ID register');
      const h = HOST_SYSREGS[i.sysreg];
      if (h && (read ? h.read : h.write)) return { st, trap: { kind: 'sysreg', name: i.sysreg, rt: i.reg, read } };
      return undef(st, `${i.op} ${i.sysreg}`);
    }
    case 'wfi':
    case 'wfe': {
      const trapped = i.op === 'wfi' ? wfi.trapWfi : wfi.trapWfe;
      return trapped ? { st, trap: { kind: 'wfx', wfe: i.op === 'wfe' } } : { st, event: { what: i.op } };
    }
    case 'irq':
    case 'fiq':
    case 'serror':
      return { st, trap: { kind: i.op } };
    case 'smc':
      return { st, trap: { kind: 'smc' } };
    case 'hvc':
      // HVC from a realm is UNDEFINED (reference §7).
      return undef(st, 'hvc');
  }
}
