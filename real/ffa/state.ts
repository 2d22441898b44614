// The real machine's state (reference §1): endpoints with their stage-2 page modes (identity map,
// IPA = PA, one mode per page per endpoint), registers and mailboxes; physical memory (a few
// modelled words per 4 KB page); the SPMC's transaction table. Immutable values. The per-page rows
// (modes, memory) are persistent vectors: a step copies one path per page it changes, and the
// checker's comparisons walk only the subtrees a step replaced (pdiff), so a step's cost does not grow
// with the number of pages (plain arrays made every check scan all of them).
import { PVec, pget, pset, pvecFrom } from '../../model/pvec';
import { Cfg } from './config';
import { ABSENT, Func, M, NA, PAGE } from './consts';

export const NREGS = 24; // x0–x17 (FF-A ABI registers) and x18–x23 (general purpose)

export interface Mailbox {
  /** TX/RX page numbers, -1 when unmapped. */
  readonly tx: number;
  readonly rx: number;
  readonly full: boolean;
  readonly sender: number;
  readonly size: number;
  /** The ABI that filled RX (MSG_SEND2, MEM_RETRIEVE_RESP, MEM_FRAG_TX, PARTITION_INFO_GET). */
  readonly func: string;
}
export const NO_MAILBOX: Mailbox = { tx: -1, rx: -1, full: false, sender: 0, size: 0, func: '' };

/**
 * One vCPU (execution context) of an endpoint: its own register file and its own direct-messaging
 * state, as Hafnium keeps them per `struct vcpu` (inc/hf/vcpu.h: regs, state, direct_request_origin).
 */
export interface Vcpu {
  readonly regs: readonly bigint[];
  /** The partition this vCPU sent a direct request to and waits on (-1: none). */
  readonly waiting: number;
  /** The requester this vCPU serves (-1: none), and the requester's vCPU the response resumes. */
  readonly serving: number;
  readonly servingVcpu: number;
  /** The CPU a serving vCPU runs on: Hafnium moves the receiver vCPU to the requester's CPU
   *  (api_ffa_msg_send_direct_req: receiver_vcpu->cpu = current->cpu); -1 when not serving. */
  readonly cpu: number;
}
export const IDLE_VCPU: Omit<Vcpu, 'regs'> = { waiting: -1, serving: -1, servingVcpu: -1, cpu: -1 };

export interface Endpoint {
  readonly id: number;
  readonly sp: boolean;
  /** Stage-2 modes and the mailbox are per partition (per `struct vm` in Hafnium), not per vCPU. */
  readonly modes: PVec<number>;
  readonly mbox: Mailbox;
  /** EndpointCfg.vcpus execution contexts: one (UP, migratable) or one per CPU (MP, pinned). */
  readonly vcpus: readonly Vcpu[];
}

export interface Constituent { readonly page: number; readonly count: number }
export interface Receiver {
  readonly id: number;
  /** Permissions byte of the send EMAD (bits 1:0 data, 3:2 instruction); SHARE stores NX. */
  readonly perms: number;
  readonly flags: number;
  /** Fragments of the retrieve response delivered (0: not retrieved). */
  readonly retrieved: number;
  /** Mode the receiver got at retrieve (0 before). */
  readonly mode: number;
}
export interface Txn {
  readonly handle: bigint;
  readonly func: Func;
  readonly sender: number;
  readonly tag: bigint;
  readonly attrs: number;
  /** Send flags with the transaction type in bits 4:3. */
  readonly flags: number;
  readonly receivers: readonly Receiver[];
  /** Descriptor bytes received so far (kept only while sending is incomplete). */
  readonly buf: Uint8Array | null;
  readonly totalLen: number;
  readonly complete: boolean;
  readonly constituents: readonly Constituent[];
  /** Constituents per send fragment (the retrieve response keeps this fragmentation). */
  readonly fragCounts: readonly number[];
  readonly pageCount: number;
  readonly origMode: number;
}

export interface Real {
  readonly eps: readonly Endpoint[];
  /** Per page, its modelled words (a page's row is shared until written). */
  readonly mem: PVec<readonly bigint[]>;
  readonly txns: readonly (Txn | null)[];
  /** Ghost state for noninterference: bit j of flows[i] = data of endpoint i may reach endpoint j. */
  readonly flows: readonly number[];
}

export const modeOfAttrs = (a: string): number => (a.includes('R') ? M.R : 0) | (a.includes('W') ? M.W : 0) | (a.includes('X') ? M.X : 0);
export const isNsPage = (c: Cfg, p: number): boolean => p * PAGE >= c.nsRange[0] && p * PAGE < c.nsRange[1];

/** The initial state of a configuration, built once per configuration object (states are values). */
const INIT = new WeakMap<Cfg, Real>();
export function initReal(c: Cfg): Real {
  let s = INIT.get(c);
  if (!s) { s = buildReal(c); INIT.set(c, s); }
  return s;
}
function buildReal(c: Cfg): Real {
  const zero: bigint[] = new Array(c.words).fill(0n);
  const mem = pvecFrom(new Array<readonly bigint[]>(c.pages).fill(zero));
  const eps = c.endpoints.map((e): Endpoint => {
    const modes: number[] = new Array(c.pages).fill(NA);
    const ns = (e.id & 0x8000) === 0 ? M.NS : 0;
    for (const r of e.regions) {
      for (let p = r.base / PAGE; p < r.base / PAGE + r.pages && p < c.pages; p++) modes[p] = modeOfAttrs(r.attrs) | (r.device ? M.D : 0) | ns;
    }
    let mbox = NO_MAILBOX;
    if (e.tx !== undefined && e.rx !== undefined) {
      const tx = e.tx / PAGE, rx = e.rx / PAGE;
      modes[tx] = M.UNOWNED | M.SHARED | M.R | M.W | ns;
      modes[rx] = M.UNOWNED | M.SHARED | M.R | ns;
      mbox = { ...NO_MAILBOX, tx, rx };
    }
    const regs: bigint[] = new Array(NREGS).fill(0n);
    const vcpus = Array.from({ length: Math.max(1, e.vcpus) }, (): Vcpu => ({ regs, ...IDLE_VCPU }));
    return { id: e.id, sp: (e.id & 0x8000) !== 0, modes: pvecFrom(modes), mbox, vcpus };
  });
  return { eps, mem, txns: new Array(c.maxShares).fill(null), flows: eps.map((_, i) => 1 << i) };
}

export const epIndex = (s: Real, id: number): number => {
  for (let i = 0; i < s.eps.length; i++) if (s.eps[i].id === id) return i;
  return -1;
};
/**
 * The vCPU of `e` that physical CPU `cpu` runs, or -1 (Hafnium src/api.c api_ffa_get_vm_vcpu): a UP
 * partition (one vCPU, vm_is_up) has vCPU 0, which migrates to any CPU; an MP partition has the vCPU
 * whose index is the CPU's, pinned to it, and none on a CPU whose index is >= its vCPU count.
 * This selects the receiver of a direct request; `runningOn` adds that a serving vCPU is bound.
 */
export function vcpuFor(e: Endpoint, cpu: number): number {
  if (e.vcpus.length === 1) return 0;
  return Number.isInteger(cpu) && cpu >= 0 && cpu < e.vcpus.length ? cpu : -1;
}
/** The vCPU of `e` an action on `cpu` executes, or -1: none there (an MP partition without a vCPU
 *  for that CPU, or a UP vCPU that serves a direct request on another CPU, where it now runs). */
export function runningOn(e: Endpoint, cpu: number): number {
  const k = vcpuFor(e, cpu);
  if (k < 0) return -1;
  const b = e.vcpus[k].cpu;
  return b >= 0 && b !== cpu ? -1 : k;
}
export function setVcpu(s: Real, i: number, k: number, v: Partial<Vcpu>): Real {
  const e = s.eps[i];
  const vcpus = e.vcpus.slice();
  vcpus[k] = { ...vcpus[k], ...v };
  return setEp(s, i, { ...e, vcpus });
}

/** Endpoint e's mode of page `page`, ABSENT outside memory. */
export const modeAt = (e: Endpoint, page: number): number => (page >= 0 && page < e.modes.size ? pget(e.modes, page) : ABSENT);
/** The modelled words of page `page` (a page inside memory). */
export const pageAt = (s: Real, page: number): readonly bigint[] => pget(s.mem, page);

/** A machine state without its configuration, fields listed: one V8 shape whatever the caller passes. */
export const makeReal = (eps: Real['eps'], mem: Real['mem'], txns: Real['txns'], flows: Real['flows']): Real => ({ eps, mem, txns, flows });

export function setEp(s: Real, i: number, e: Endpoint): Real {
  const eps = s.eps.slice();
  eps[i] = e;
  return makeReal(eps, s.mem, s.txns, s.flows);
}
export function setModes(s: Real, i: number, pages: readonly number[], mode: (old: number) => number): Real {
  const e = s.eps[i];
  let modes = e.modes;
  for (const p of pages) modes = pset(modes, p, mode(pget(modes, p)));
  return setEp(s, i, { ...e, modes });
}
/** Registers from..from+n of vCPU k of endpoint i. */
export function setRegs(s: Real, i: number, k: number, from: number, vals: readonly bigint[]): Real {
  const v = s.eps[i].vcpus[k];
  if (!v) return s;
  const regs = v.regs.slice();
  for (let j = 0; j < vals.length; j++) regs[from + j] = vals[j];
  return setVcpu(s, i, k, { regs });
}
export function zeroPages(s: Real, pages: readonly number[], words: number): Real {
  if (!pages.length) return s;
  const zero: bigint[] = new Array(words).fill(0n);
  let mem = s.mem;
  for (const p of pages) mem = pset(mem, p, zero);
  return makeReal(s.eps, mem, s.txns, s.flows);
}
export function addFlow(s: Real, from: number, to: number): Real {
  if (from < 0 || to < 0 || s.flows[from] & (1 << to)) return s;
  const flows = s.flows.slice();
  flows[from] |= 1 << to;
  return makeReal(s.eps, s.mem, s.txns, flows);
}
export function pagesOf(cs: readonly Constituent[]): number[] {
  const out: number[] = [];
  for (const c of cs) for (let k = 0; k < c.count; k++) out.push(c.page + k);
  return out;
}
/** Transaction slot of a handle (SPMC allocator: bit 63 clear, index in the low bits). */
export function txnSlot(s: Real, handle: bigint): number {
  if (handle >> 63n) return -1;
  if (handle >= BigInt(s.txns.length)) return -1;
  const i = Number(handle);
  return s.txns[i] ? i : -1;
}
export function setTxn(s: Real, i: number, t: Txn | null): Real {
  const txns = s.txns.slice();
  txns[i] = t;
  return makeReal(s.eps, s.mem, txns, s.flows);
}
