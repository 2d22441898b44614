// Coverage groups: every reachable (ABI, status) pair, every §5 transition row, and (count only) the
// failure rows that decided errors.
import type { CoverageGroup } from '../../model/system';
import { Action, Obs, RealState } from '../../real/ffa/machine';
import { pageAt, vcpuFor } from '../../real/ffa/state';
import { TRANSITION_ROWS, isError } from './oracles';

const S = 'SUCCESS', I = 'INVALID_PARAMETERS', D = 'DENIED', B = 'BUSY', N = 'NO_MEMORY', NS = 'NOT_SUPPORTED';
/** Reachable statuses per ABI. Not reachable in this model (see the report): ABORTED (no copy
 *  faults, no aborted partitions), NO_MEMORY outside the transaction and fragment tables, RETRY,
 *  NOT_SUPPORTED for MSG_SEND2 (every endpoint is v1.1), DENIED for a direct-request loop (BUSY first). */
export const REACHABLE: Readonly<Record<string, readonly string[]>> = {
  VERSION: [S, NS], FEATURES: [S, NS], ID_GET: [S], PARTITION_INFO_GET: [S, I, B],
  RXTX_MAP: [S, I, D], RXTX_UNMAP: [S, I], RX_RELEASE: [S, I, D], MSG_SEND2: [S, I, D, B],
  MSG_SEND_DIRECT_REQ: [S, I, D, B], MSG_SEND_DIRECT_RESP: [S, I, D],
  MEM_SHARE: [S, 'MEM_FRAG_RX', I, D, N], MEM_LEND: [S, 'MEM_FRAG_RX', I, D, N], MEM_DONATE: [S, 'MEM_FRAG_RX', I, D, N],
  MEM_FRAG_TX: [S, 'MEM_FRAG_RX', I, D, N], MEM_RETRIEVE_REQ: [S, I, D, B], MEM_FRAG_RX: ['MEM_FRAG_TX', I, B],
  MEM_RELINQUISH: [S, I, D], MEM_RECLAIM: [S, I, D], UNKNOWN: [NS],
};
/** Direct messaging per vCPU in the default configuration (UP VM 0x1 and SP 0x8001, MP VM 0x2 and
 *  SP 0x8002 with two vCPUs on two CPUs). Not reachable there, so not listed: a request to a UP
 *  receiver (the only UP SP, 0x8001, takes no direct requests), INVALID_PARAMETERS for a missing
 *  receiver vCPU (it needs more CPUs than an MP receiver has vCPUs: `--cpus 3`). */
export const VCPU_KEYS = [
  'REQ to MP vCPU 0', 'REQ to MP vCPU 1', 'REQ while another vCPU of the receiver serves', 'REQ BUSY (target vCPU serving)',
  'RESP to UP requester', 'RESP to MP requester', 'a vCPU runs while another of its partition waits',
];
export const GROUPS: readonly CoverageGroup[] = [
  { name: 'abi-status', label: '(ABI, status) pairs', all: Object.entries(REACHABLE).flatMap(([a, ss]) => ss.map((s) => `${a} ${s}`)) },
  { name: 'transition', label: '§5 page-state transition rows', all: TRANSITION_ROWS },
  { name: 'vcpu', label: 'direct messaging per vCPU', all: VCPU_KEYS },
  { name: 'failure-row', label: 'failure rows that decided an error', all: [], countOnly: true },
];

const U32 = 0xffffffffn;
function txWord(s: RealState, i: number, word: number): bigint {
  const tx = s.eps[i].mbox.tx;
  return tx >= 0 && word < s.cfg.words ? pageAt(s, tx)[word] : 0n;
}
/** The §5 row a successful call exercised, from the pre-state and the observation. */
export function transitionKey(pre: RealState, a: Action, o: Obs): string | null {
  if (o.k !== 'smc' || isError(o.status) || a.kind !== 'smc') return null;
  const i = pre.eps.findIndex((e) => e.id === a.ep);
  const txnAt = (h: bigint) => (h < BigInt(pre.txns.length) ? pre.txns[Number(h)] : null);
  const n = (k: number) => (k > 1 ? '(2)' : '');
  const w = (k: number) => (a.regs[k] ?? 0n) & U32;
  switch (o.abi) {
    case 'MEM_SHARE': case 'MEM_LEND': case 'MEM_DONATE':
      return o.status === 'SUCCESS' ? `${o.abi.slice(4)}${n(Number((txWord(pre, i, 3) >> 32n) & U32))} send` : null;
    case 'MEM_FRAG_TX': { const t = txnAt(w(1) | (w(2) << 32n)); return t && o.status === 'SUCCESS' ? `${t.func}${n(t.receivers.length)} send` : null; }
    case 'MEM_RETRIEVE_REQ': { const t = txnAt(txWord(pre, i, 1)); return t ? `${t.func}${n(t.receivers.length)} retrieve` : null; }
    case 'MEM_RELINQUISH': { const t = txnAt(txWord(pre, i, 0)); return t ? `${t.func}${n(t.receivers.length)} relinquish` : null; }
    case 'MEM_RECLAIM': { const t = txnAt(w(1) | (w(2) << 32n)); return t ? `${t.func}${n(t.receivers.length)} reclaim` : null; }
    case 'RXTX_MAP': case 'RXTX_UNMAP': return o.abi;
    default: return null;
  }
}

/** The per-vCPU direct-messaging case a step exercised, if any. */
function vcpuKey(pre: RealState, a: Action, o: Obs): string | null {
  const i = pre.eps.findIndex((e) => e.id === a.ep);
  if (i < 0 || o.k === 'blocked') return null;
  const me = pre.eps[i];
  if (o.k !== 'smc' || a.kind !== 'smc') return me.vcpus.some((v) => v.waiting >= 0) ? 'a vCPU runs while another of its partition waits' : null;
  const rcv = Number((a.regs[1] ?? 0n) & 0xffffn);
  const r = pre.eps.find((e) => e.id === rcv);
  if (o.abi === 'MSG_SEND_DIRECT_REQ' && r) {
    const t = vcpuFor(r, a.cpu);
    if (o.status === 'BUSY' && t >= 0 && r.vcpus[t].serving >= 0) return 'REQ BUSY (target vCPU serving)';
    if (o.status !== 'SUCCESS') return null;
    if (r.vcpus.some((v, k) => k !== t && v.serving >= 0)) return 'REQ while another vCPU of the receiver serves';
    return r.vcpus.length > 1 ? `REQ to MP vCPU ${t}` : 'REQ to UP vCPU 0';
  }
  if (o.abi === 'MSG_SEND_DIRECT_RESP' && o.status === 'SUCCESS' && r) return r.vcpus.length > 1 ? 'RESP to MP requester' : 'RESP to UP requester';
  return me.vcpus.some((v) => v.waiting >= 0) ? 'a vCPU runs while another of its partition waits' : null;
}

export function record(pre: RealState, a: Action, o: Obs, hit: (g: string, k: string) => void): void {
  const v = vcpuKey(pre, a, o);
  if (v) hit('vcpu', v);
  if (o.k !== 'smc') return;
  hit('abi-status', `${o.abi} ${o.status}`);
  if (o.row) hit('failure-row', `${o.abi}:${o.row}`);
  const t = transitionKey(pre, a, o);
  if (t) hit('transition', t);
}
