// Coverage groups: every reachable (ABI, status) pair, every §5 transition row, and (count only) the
// failure rows that decided errors.
import type { CoverageGroup } from '../../model/system';
import { Action, Obs, RealState } from '../../real/ffa/machine';
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
export const GROUPS: readonly CoverageGroup[] = [
  { name: 'abi-status', label: '(ABI, status) pairs', all: Object.entries(REACHABLE).flatMap(([a, ss]) => ss.map((s) => `${a} ${s}`)) },
  { name: 'transition', label: '§5 page-state transition rows', all: TRANSITION_ROWS },
  { name: 'failure-row', label: 'failure rows that decided an error', all: [], countOnly: true },
];

const U32 = 0xffffffffn;
function txWord(s: RealState, i: number, word: number): bigint {
  const tx = s.eps[i].mbox.tx;
  return tx >= 0 && word < s.cfg.words ? s.mem[tx][word] : 0n;
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

export function record(pre: RealState, a: Action, o: Obs, hit: (g: string, k: string) => void): void {
  if (o.k !== 'smc') return;
  hit('abi-status', `${o.abi} ${o.status}`);
  if (o.row) hit('failure-row', `${o.abi}:${o.row}`);
  const t = transitionKey(pre, a, o);
  if (t) hit('transition', t);
}
