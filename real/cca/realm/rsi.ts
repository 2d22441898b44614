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
import { attestState, withAttestState } from '../rec-aux';
import type { CallHandler, CallOutcome, RsiCtx, RsiName } from '../spec';

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

export type { RsiCtx, CallOutcome };

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

const token = (challenge: bigint | null, rd: Rd): bigint[] =>
  Array.from({ length: TOKEN_SIZE / 8 }, (_, k) => hashWords(BigInt(k), [challenge ?? 0n, ...rd.measurements, ...rd.rpv]));

/**
 * The faithful RSI handlers (reference §7), one per function: arguments from the caller's register
 * file (X0 = FID), results into it, or an exit. Spec.rsi holds them, so a variant can change any one.
 */
export const RSI_HANDLERS: { readonly [K in RsiName]: CallHandler } = {
  VERSION: (c) =>
    resume(c, { 0: c.regs[1] === RSI_ABI_VERSION ? RSI_STATUS.SUCCESS : RSI_STATUS.ERROR_INPUT, 1: RSI_ABI_VERSION, 2: RSI_ABI_VERSION }, 'RSI_VERSION'),
  FEATURES: (c) => resume(c, { 0: RSI_STATUS.SUCCESS, 1: 0n }, 'RSI_FEATURES'),
  MEASUREMENT_READ: (c) => {
    const x = c.regs;
    if (x[1] > 4n) return inputError(c, 'MEASUREMENT_READ');
    const set: Record<number, bigint> = { 0: RSI_STATUS.SUCCESS, 1: c.rd.measurements[Number(x[1])] };
    for (let k = 2; k <= 8; k++) set[k] = 0n;
    return resume(c, set, 'MEASUREMENT_READ');
  },
  MEASUREMENT_EXTEND: (c) => {
    const x = c.regs;
    if (x[1] < 1n || x[1] > 4n || x[2] > 64n) return inputError(c, 'MEASUREMENT_EXTEND');
    const n = Number((x[2] + 7n) / 8n);
    const measurements = c.rd.measurements.slice();
    measurements[Number(x[1])] = hashWords(measurements[Number(x[1])], [x[2], ...x.slice(3, 3 + n)]);
    const s = setRd(c, { ...c.rd, measurements });
    return resume(c, { 0: RSI_STATUS.SUCCESS }, 'MEASUREMENT_EXTEND', { s });
  },
  // The attestation state lives in the REC's auxiliary granules (rec-aux.ts), as in TF-RMM.
  ATTESTATION_TOKEN_INIT: (c) => {
    const s = withAttestState(c.s, c.rec, { challenge: hashWords(0n, c.regs.slice(1, 9)), offset: 0 });
    return resume(c, { 0: RSI_STATUS.SUCCESS, 1: BigInt(TOKEN_SIZE) }, 'ATTESTATION_TOKEN_INIT', { s });
  },
  ATTESTATION_TOKEN_CONTINUE: (c) => {
    const [ipa, off, size] = [c.regs[1], c.regs[2], c.regs[3]];
    if (ipa % 4096n !== 0n || ipa >= BigInt(parBoundary(c.rd)) || off >= 4096n || size > 4096n || off + size > 4096n) return inputError(c, 'ATTESTATION_TOKEN_CONTINUE');
    const a = attestState(c.s, c.rec);
    if (a.challenge === null) return resume(c, { 0: RSI_STATUS.ERROR_STATE }, 'ATTESTATION_TOKEN_CONTINUE: no token');
    const page = realmPage(c, Number(ipa));
    if ('error' in page) return page.error;
    const words = Math.min(Number(size) >> 3, (TOKEN_SIZE - a.offset) >> 3);
    const t = token(a.challenge, c.rd).slice(a.offset >> 3, (a.offset >> 3) + words);
    let s = writeWords(c.s, page.pa, Number(off) & ~7, t);
    const offset = a.offset + words * 8;
    const done = offset >= TOKEN_SIZE;
    s = withAttestState(s, c.rec, done ? { challenge: null, offset: 0 } : { challenge: a.challenge, offset });
    return resume(c, { 0: done ? RSI_STATUS.SUCCESS : RSI_STATUS.INCOMPLETE, 1: BigInt(words * 8) }, 'ATTESTATION_TOKEN_CONTINUE', { s });
  },
  REALM_CONFIG: (c) => {
    const ipa = c.regs[1];
    if (ipa % 4096n !== 0n || ipa >= BigInt(parBoundary(c.rd))) return inputError(c, 'REALM_CONFIG');
    const page = realmPage(c, Number(ipa));
    if ('error' in page) return page.error;
    let s = writeWords(c.s, page.pa, REALM_CONFIG.ipaWidth, [BigInt(c.rd.ipaWidth), BigInt(c.rd.hashAlgo)]);
    s = writeWords(s, page.pa, REALM_CONFIG.rpv, c.rd.rpv);
    return resume(c, { 0: RSI_STATUS.SUCCESS }, 'REALM_CONFIG', { s });
  },
  IPA_STATE_SET: (c) => {
    const [base, top, ripas, flags] = [c.regs[1], c.regs[2], c.regs[3], c.regs[4]];
    if (base % 4096n !== 0n || top % 4096n !== 0n || top <= base || top > BigInt(parBoundary(c.rd)) || ripas > 1n) return inputError(c, 'IPA_STATE_SET');
    const value = RIPAS_FROM_CODE[Number(ripas)];
    const rec: Rec = {
      ...c.rec, ripasAddr: Number(base), ripasTop: Number(top), ripasValue: value, ripasDestroyed: (flags & 1n) !== 0n,
      ripasRequested: true, lastExit: { kind: 'ripas-change' },
    };
    return { kind: 'exit', s: c.s, info: { kind: 'ripas-change', base, top, value }, rec, what: 'IPA_STATE_SET' };
  },
  IPA_STATE_GET: (c) => {
    const [base, end] = [c.regs[1], c.regs[2]];
    if (base % 4096n !== 0n || end % 4096n !== 0n || end <= base || end > BigInt(parBoundary(c.rd))) return inputError(c, 'IPA_STATE_GET');
    const first = lookup(c.s, c.rd, Number(base)).entry.ripas;
    let ipa = Number(base);
    while (ipa < Number(end)) {
      const { entry, level } = lookup(c.s, c.rd, ipa);
      if (entry.ripas !== first) break;
      ipa = ipa - (ipa % levelSize(level)) + levelSize(level);
    }
    const code = first === 'EMPTY' ? 0n : first === 'RAM' ? 1n : 2n;
    return resume(c, { 0: RSI_STATUS.SUCCESS, 1: BigInt(Math.min(ipa, Number(end))), 2: code }, 'IPA_STATE_GET');
  },
  HOST_CALL: (c) => {
    const ipa = c.regs[1];
    if (ipa % 8n !== 0n || ipa >= BigInt(parBoundary(c.rd)) || (ipa % 4096n) + BigInt(HOST_CALL.size) > 4096n) return inputError(c, 'HOST_CALL');
    const page = realmPage(c, Number(ipa));
    if ('error' in page) return page.error;
    const words = readWords(c.s, page.pa - (page.pa % 4096), page.pa % 4096, HOST_CALL.size / 8);
    const rec: Rec = { ...c.rec, lastExit: { kind: 'host-call', ipa: Number(ipa) }, hostCallIpa: Number(ipa) };
    return { kind: 'exit', s: c.s, info: { kind: 'host-call', imm: words[0] & 0xffffn, gprs: words.slice(1, 32) }, rec, what: 'HOST_CALL' };
  },
};

const RSI_BY_FID = new Map<bigint, RsiName>((Object.keys(RSI) as RsiName[]).map((k) => [RSI[k], k]));

/** Dispatches an RSI call to `handlers` by its FID (X0); an unknown RSI FID answers NOT_SUPPORTED. */
export function handleRsi(c: RsiCtx, handlers: { readonly [K in RsiName]: CallHandler } = RSI_HANDLERS): CallOutcome {
  const name = RSI_BY_FID.get(c.regs[0]);
  return name ? handlers[name](c) : resume(c, { 0: u64(-1n) }, 'unknown RSI function: NOT_SUPPORTED');
}

const setRd = (c: RsiCtx, rd: Rd): RealState => setContent(c.s, c.rdPa, rd);
