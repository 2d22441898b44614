// RSI calls (realm -> RMM, reference §7), handled by the RMM on the world: arguments come from the
// CPU's register file, results go back into it, or the call exits to the host.

import { hashWords, u64 } from '../../../model/bits';
import { HOST_CALL, REALM_CONFIG } from '../layout';
import { Ripas } from '../types';
import { RealState, Rd, Rec } from '../state';
import { levelSize, parBoundary } from '../rtt';
import { setContent } from '../ops';
import { readWords, writeWords } from '../memory';
import { lookup } from './translate';
import { FSC, dataAbortEsr } from './esr';
import type { ExitInfo } from '../spec';

export const RSI_FID_BASE = 0xc4000190n;
export const RSI = {
  VERSION: 0xc4000190n, FEATURES: 0xc4000191n, MEASUREMENT_READ: 0xc4000192n, MEASUREMENT_EXTEND: 0xc4000193n,
  ATTESTATION_TOKEN_INIT: 0xc4000194n, ATTESTATION_TOKEN_CONTINUE: 0xc4000195n, REALM_CONFIG: 0xc4000196n,
  IPA_STATE_SET: 0xc4000197n, IPA_STATE_GET: 0xc4000198n, HOST_CALL: 0xc4000199n,
} as const;
export const RSI_STATUS = { SUCCESS: 0n, ERROR_INPUT: 1n, ERROR_STATE: 2n, INCOMPLETE: 3n, ERROR_UNKNOWN: 4n } as const;
export const RSI_ABI_VERSION = 1n << 16n;
/** Size of the abstract attestation token, in bytes. */
export const TOKEN_SIZE = 64;
export const RIPAS_FROM_CODE: readonly Ripas[] = ['EMPTY', 'RAM'];

export interface RsiCtx {
  readonly s: RealState;
  readonly cpu: number;
  readonly recPa: number;
  readonly rec: Rec;
  readonly rdPa: number;
  readonly rd: Rd;
  readonly regs: readonly bigint[];
}

/** The RMM's outcome for a call: results in registers (the realm resumes), or an exit to the host. */
export type CallOutcome =
  | { readonly kind: 'resume'; readonly s: RealState; readonly set: Readonly<Record<number, bigint>>; readonly rec?: Rec; readonly what: string }
  | { readonly kind: 'exit'; readonly s: RealState; readonly info: ExitInfo; readonly rec: Rec; readonly what: string; readonly psciResult?: readonly bigint[] };

const resume = (c: RsiCtx, set: Record<number, bigint>, what: string, extra: { s?: RealState; rec?: Rec } = {}): CallOutcome => ({
  kind: 'resume', s: extra.s ?? c.s, set, rec: extra.rec, what,
});
const inputError = (c: RsiCtx, what: string) => resume(c, { 0: RSI_STATUS.ERROR_INPUT }, `${what}: ERROR_INPUT`);

/**
 * The RMM needs realm memory at `ipa` (ASSIGNED, RAM). RIPAS EMPTY is the realm's own error; an
 * unbacked or DESTROYED page is the host's: an emulated stage-2 data abort exit, the call is retried.
 */
export function realmPage(c: RsiCtx, ipa: number): { pa: number } | { error: CallOutcome } {
  const { entry, level } = lookup(c.s, c.rd, ipa);
  if (entry.ripas === 'EMPTY') return { error: inputError(c, 'target RIPAS EMPTY') };
  if (entry.hipas !== 'ASSIGNED' || entry.ripas !== 'RAM') {
    const esr = dataAbortEsr({ fsc: FSC.translation(level), write: true, isv: false, size: 8, rt: 0, signExtend: false, sf: true });
    const hpfar = BigInt(Math.floor(ipa / 4096)) << 4n;
    return { error: { kind: 'exit', s: c.s, info: { kind: 'abort', esr, far: BigInt(ipa), hpfar }, rec: { ...c.rec, lastExit: { kind: 'sync' } }, what: 'RSI target not backed: emulated data abort' } };
  }
  return { pa: entry.addr + (ipa % levelSize(level)) };
}

const token = (rec: Rec, rd: Rd): bigint[] =>
  Array.from({ length: TOKEN_SIZE / 8 }, (_, k) => hashWords(BigInt(k), [rec.attestChallenge ?? 0n, ...rd.measurements, ...rd.rpv]));

export function handleRsi(c: RsiCtx): CallOutcome {
  const x = c.regs;
  const fid = x[0];
  const par = parBoundary(c.rd);
  switch (fid) {
    case RSI.VERSION:
      return resume(c, { 0: x[1] === RSI_ABI_VERSION ? RSI_STATUS.SUCCESS : RSI_STATUS.ERROR_INPUT, 1: RSI_ABI_VERSION, 2: RSI_ABI_VERSION }, 'RSI_VERSION');
    case RSI.FEATURES:
      return resume(c, { 0: RSI_STATUS.SUCCESS, 1: 0n }, 'RSI_FEATURES');
    case RSI.MEASUREMENT_READ: {
      if (x[1] > 4n) return inputError(c, 'MEASUREMENT_READ');
      const set: Record<number, bigint> = { 0: RSI_STATUS.SUCCESS, 1: c.rd.measurements[Number(x[1])] };
      for (let k = 2; k <= 8; k++) set[k] = 0n;
      return resume(c, set, 'MEASUREMENT_READ');
    }
    case RSI.MEASUREMENT_EXTEND: {
      if (x[1] < 1n || x[1] > 4n || x[2] > 64n) return inputError(c, 'MEASUREMENT_EXTEND');
      const n = Number((x[2] + 7n) / 8n);
      const measurements = c.rd.measurements.slice();
      measurements[Number(x[1])] = hashWords(measurements[Number(x[1])], [x[2], ...x.slice(3, 3 + n)]);
      const s = setRd(c, { ...c.rd, measurements });
      return resume(c, { 0: RSI_STATUS.SUCCESS }, 'MEASUREMENT_EXTEND', { s });
    }
    case RSI.ATTESTATION_TOKEN_INIT: {
      const rec: Rec = { ...c.rec, attestChallenge: hashWords(0n, x.slice(1, 9)), attestOffset: 0 };
      return resume(c, { 0: RSI_STATUS.SUCCESS, 1: BigInt(TOKEN_SIZE) }, 'ATTESTATION_TOKEN_INIT', { rec });
    }
    case RSI.ATTESTATION_TOKEN_CONTINUE: {
      const [ipa, off, size] = [x[1], x[2], x[3]];
      if (ipa % 4096n !== 0n || ipa >= BigInt(par) || off >= 4096n || size > 4096n || off + size > 4096n) return inputError(c, 'ATTESTATION_TOKEN_CONTINUE');
      if (c.rec.attestChallenge === null) return resume(c, { 0: RSI_STATUS.ERROR_STATE }, 'ATTESTATION_TOKEN_CONTINUE: no token');
      const page = realmPage(c, Number(ipa));
      if ('error' in page) return page.error;
      const words = Math.min(Number(size) >> 3, (TOKEN_SIZE - c.rec.attestOffset) >> 3);
      const t = token(c.rec, c.rd).slice(c.rec.attestOffset >> 3, (c.rec.attestOffset >> 3) + words);
      const s = writeWords(c.s, page.pa, Number(off) & ~7, t);
      const offset = c.rec.attestOffset + words * 8;
      const done = offset >= TOKEN_SIZE;
      const rec: Rec = { ...c.rec, attestOffset: done ? 0 : offset, attestChallenge: done ? null : c.rec.attestChallenge };
      return resume(c, { 0: done ? RSI_STATUS.SUCCESS : RSI_STATUS.INCOMPLETE, 1: BigInt(words * 8) }, 'ATTESTATION_TOKEN_CONTINUE', { s, rec });
    }
    case RSI.REALM_CONFIG: {
      const ipa = x[1];
      if (ipa % 4096n !== 0n || ipa >= BigInt(par)) return inputError(c, 'REALM_CONFIG');
      const page = realmPage(c, Number(ipa));
      if ('error' in page) return page.error;
      let s = writeWords(c.s, page.pa, REALM_CONFIG.ipaWidth, [BigInt(c.rd.ipaWidth), BigInt(c.rd.hashAlgo)]);
      s = writeWords(s, page.pa, REALM_CONFIG.rpv, c.rd.rpv);
      return resume(c, { 0: RSI_STATUS.SUCCESS }, 'REALM_CONFIG', { s });
    }
    case RSI.IPA_STATE_SET: {
      const [base, top, ripas, flags] = [x[1], x[2], x[3], x[4]];
      if (base % 4096n !== 0n || top % 4096n !== 0n || top <= base || top > BigInt(par) || ripas > 1n) return inputError(c, 'IPA_STATE_SET');
      const value = RIPAS_FROM_CODE[Number(ripas)];
      const rec: Rec = {
        ...c.rec, ripasAddr: Number(base), ripasTop: Number(top), ripasValue: value, ripasDestroyed: (flags & 1n) !== 0n,
        ripasRequested: true, lastExit: { kind: 'ripas-change' },
      };
      return { kind: 'exit', s: c.s, info: { kind: 'ripas-change', base, top, value }, rec, what: 'IPA_STATE_SET' };
    }
    case RSI.IPA_STATE_GET: {
      const [base, end] = [x[1], x[2]];
      if (base % 4096n !== 0n || end % 4096n !== 0n || end <= base || end > BigInt(par)) return inputError(c, 'IPA_STATE_GET');
      const first = lookup(c.s, c.rd, Number(base)).entry.ripas;
      let ipa = Number(base);
      while (ipa < Number(end)) {
        const { entry, level } = lookup(c.s, c.rd, ipa);
        if (entry.ripas !== first) break;
        ipa = ipa - (ipa % levelSize(level)) + levelSize(level);
      }
      const code = first === 'EMPTY' ? 0n : first === 'RAM' ? 1n : 2n;
      return resume(c, { 0: RSI_STATUS.SUCCESS, 1: BigInt(Math.min(ipa, Number(end))), 2: code }, 'IPA_STATE_GET');
    }
    case RSI.HOST_CALL: {
      const ipa = x[1];
      if (ipa % 8n !== 0n || ipa >= BigInt(par) || (ipa % 4096n) + BigInt(HOST_CALL.size) > 4096n) return inputError(c, 'HOST_CALL');
      const page = realmPage(c, Number(ipa));
      if ('error' in page) return page.error;
      const words = readWords(c.s, page.pa - (page.pa % 4096), page.pa % 4096, HOST_CALL.size / 8);
      const rec: Rec = { ...c.rec, lastExit: { kind: 'host-call', ipa: Number(ipa) }, hostCallIpa: Number(ipa) };
      return { kind: 'exit', s: c.s, info: { kind: 'host-call', imm: words[0] & 0xffffn, gprs: words.slice(1, 32) }, rec, what: 'HOST_CALL' };
    }
    default:
      return resume(c, { 0: u64(-1n) }, 'unknown RSI function: NOT_SUPPORTED');
  }
}

const setRd = (c: RsiCtx, rd: Rd): RealState => setContent(c.s, c.rdPa, rd);
