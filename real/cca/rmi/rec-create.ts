// RMI_REC_CREATE(rd, rec, params_ptr). Failure order: TF-RMM's (passes the ACS).
import { INPUT, REALM } from '../status';
import { MAX_REC_AUX, REC_PARAMS, REC_PARAMS_GPRS } from '../layout';
import { arg, row } from '../command';
import type { RmiCommand } from '../spec';
import { granuleRows, gstate, inMemory, isAligned4K, nsRows } from '../checks';
import { readWord, readWords } from '../memory';
import { MEASURE_TAG, addRefcount, claim, extendMeasurement, setContent } from '../ops';
import { RealState, Rec, granuleAt, rdOf } from '../state';
import { zeroRegs } from '../realm/regs';
import { startHandler } from '../weakmem/handlers';

export interface RecParams { flags: bigint; mpidr: bigint; pc: bigint; gprs: bigint[]; numAux: bigint; aux: bigint[] }

export function readRecParams(s: RealState, pa: number): RecParams {
  return {
    flags: readWord(s, pa, REC_PARAMS.flags), mpidr: readWord(s, pa, REC_PARAMS.mpidr), pc: readWord(s, pa, REC_PARAMS.pc),
    gprs: readWords(s, pa, REC_PARAMS.gprs, REC_PARAMS_GPRS), numAux: readWord(s, pa, REC_PARAMS.numAux),
    aux: readWords(s, pa, REC_PARAMS.aux, MAX_REC_AUX),
  };
}

/** MPIDR -> REC index: Aff0[3:0] | Aff1 << 4 | Aff2 << 12 | Aff3 << 20; -1 when other bits are set. */
export function mpidrToIndex(mpidr: bigint): number {
  const valid = 0xfn | (0xffn << 8n) | (0xffn << 16n) | (0xffn << 32n);
  if ((mpidr & ~valid) !== 0n) return -1;
  return Number((mpidr & 0xfn) | (((mpidr >> 8n) & 0xffn) << 4n) | (((mpidr >> 16n) & 0xffn) << 12n) | (((mpidr >> 32n) & 0xffn) << 20n));
}
export function indexToMpidr(i: number): bigint {
  const b = BigInt(i);
  return (b & 0xfn) | (((b >> 4n) & 0xffn) << 8n) | (((b >> 12n) & 0xffn) << 16n) | (((b >> 20n) & 0xffn) << 32n);
}

interface C { s: RealState; cpu: number; rd: bigint; rec: bigint; ptr: bigint; p: RecParams; aux: bigint[] }

/**
 * The parameters are read when a row first needs them: the params_ptr rows come first, and a
 * params_ptr to a granule in another state would otherwise have its content digested for nothing (an
 * RTT's 512 entries: 0.7% of a check's profile at 1,024 granules). Getters keep the fields variants
 * read. A class, not an object literal with getters (which kept the state the call saw out of V8's
 * young-generation collections: see REC_ENTER's context).
 */
class Context implements C {
  private read: { p: RecParams; aux: bigint[] } | undefined;
  constructor(readonly s: RealState, readonly cpu: number, readonly rd: bigint, readonly rec: bigint, readonly ptr: bigint) {}
  private params(): { p: RecParams; aux: bigint[] } {
    if (this.read) return this.read;
    const p = readRecParams(this.s, inMemory(this.s, this.ptr) ? Number(this.ptr & ~0xfffn) : 0);
    return (this.read = { p, aux: p.aux.slice(0, Number(p.numAux < 16n ? p.numAux : 16n)) });
  }
  get p(): RecParams { return this.params().p; }
  get aux(): bigint[] { return this.params().aux; }
}

export const RUNNABLE = 1n;

export function newRec(owner: number, index: number, p: RecParams, aux: number[]): Rec {
  const regs = zeroRegs();
  p.gprs.forEach((v, i) => (regs[i] = v));
  return {
    kind: 'rec', owner, state: 'READY', runnable: (p.flags & RUNNABLE) !== 0n, mpidr: p.mpidr, index, pc: p.pc, regs, aux,
    psciPending: null, lastExit: { kind: 'none' }, ripasAddr: 0, ripasTop: 0, ripasValue: 'EMPTY', ripasDestroyed: false,
    ripasRequested: false, gicHcr: 0n, gicLrs: [], trapWfi: false, trapWfe: false,
    seaPending: false, hostCallIpa: 0,
  };
}

export const REC_CREATE: RmiCommand<C> = {
  name: 'REC_CREATE',
  context: (s, x, cpu) => new Context(s, cpu, arg(x, 0), arg(x, 1), arg(x, 2)),
  failures: [
    ...nsRows<C>('params', (c) => c.ptr),
    row('num_aux', (c) => c.p.numAux > BigInt(MAX_REC_AUX), INPUT),
    row('aux_align', (c) => c.aux.some((a) => !isAligned4K(a)), INPUT),
    row('aux_bound', (c) => c.aux.some((a) => !inMemory(c.s, a)), INPUT),
    row('aux_alias', (c) => c.aux.some((a, i) => a === c.rec || c.aux.indexOf(a) !== i), INPUT),
    row('aux_state', (c) => c.aux.some((a) => gstate(c.s, a) !== 'DELEGATED'), INPUT),
    ...granuleRows<C>('rec', (c) => c.rec, 'DELEGATED'),
    ...granuleRows<C>('rd', (c) => c.rd, 'RD'),
    row('rec_count', (c) => rdOf(c.s, Number(c.rd)).recIndex >= 2 ** c.s.cfg.maxRecsOrder, REALM),
    row('realm_state', (c) => rdOf(c.s, Number(c.rd)).state !== 'NEW', REALM),
    row('mpidr_index', (c) => mpidrToIndex(c.p.mpidr) !== rdOf(c.s, Number(c.rd)).recIndex, INPUT),
    row('num_aux_count', (c) => c.p.numAux !== BigInt(c.s.cfg.recAuxCount), INPUT),
  ],
  effect: (c, spec) => {
    const rdPa = Number(c.rd);
    let rd = rdOf(c.s, rdPa);
    const aux = c.aux.map(Number);
    const rec = newRec(rdPa, rd.recIndex, c.p, aux);
    let s = claim(c.s, Number(c.rec), 'REC', rec);
    // The aux granules keep what they hold (DELEGATED: zero, i.e. no attestation token in progress):
    // TF-RMM's rec_aux_granules_init initialises only state the model does not have (SIMD).
    for (const a of aux) s = claim(s, a, 'REC_AUX', granuleAt(s, a).content);
    // TF-RMM measures the REC parameters only for runnable RECs.
    if (rec.runnable) rd = extendMeasurement(rd, 0, [MEASURE_TAG.REC, c.p.flags, c.p.pc, ...c.p.gprs]);
    s = setContent(s, rdPa, { ...rd, recIndex: rd.recIndex + 1 });
    // Weak-memory mode: the REC list insert and count increment run as a multi-step handler.
    if (s.cfg.weakMemory) return { state: startHandler(s, c.cpu, { cmd: 'REC_CREATE', rd: rdPa, rec: Number(c.rec) }, spec.programs.recCreate(rdPa, rec.index, Number(c.rec))), pending: true };
    return { state: addRefcount(s, rdPa, 1) };
  },
};
