// The bug classes of reference §8, each a function from the faithful Spec to a faulty one.
import type { NamedVariant } from '../../model/system';
import type { Cfg } from '../../real/ffa/config';
import { Spec, dropRow } from '../../real/ffa/spec';
import { pageFromBytes, writePage } from '../../real/ffa/bytes';
import { pageAt } from '../../real/ffa/state';

const V = (name: string, description: string, expect: string, apply: (s: Spec) => Spec): NamedVariant<Spec, Cfg> => ({ name, description, expect, apply });
const dropCompletion = (s: Spec, ...rows: string[]): Spec => ({ ...s, completeFailures: s.completeFailures.filter(([n]) => !rows.includes(n)) });

export const VARIANTS: readonly NamedVariant<Spec, Cfg>[] = [
  V('double-lend', '§8.1: the sender-must-be-Owner-EA check (§4.1.21) is dropped: pages already shared or lent can be sent again.',
    'Oracle status / Oracle transition / Invariant 2 / Invariant 4', (s) => ({ ...dropCompletion(s, 'not_owner_ea'), name: 'double-lend' })),
  V('reclaim-while-retrieved', '§8.2: MEM_RECLAIM no longer checks that every borrower relinquished (§4.6 retrieved ≠ 0 → DENIED).',
    'Oracle status / Invariant 3 / Invariant 6', (s) => ({ ...dropRow(s, 'MEM_RECLAIM', 'retrieved'), name: 'reclaim-while-retrieved' })),
  V('relinquish-unretrieved', '§8.3: MEM_RELINQUISH accepts a borrower that has not retrieved (§4.5.5 dropped): its count goes negative.',
    'Oracle status / Invariant 6', (s) => ({ ...dropRow(s, 'MEM_RELINQUISH', 'not_retrieved'), name: 'relinquish-unretrieved' })),
  V('missing-clear', '§8.4 (cf. Hafnium 8457f93f): LEND/DONATE with the clear flag do not zero the pages at send.',
    'Oracle clear / Noninterference', (s) => ({ ...s, sendClear: () => [], name: 'missing-clear' })),
  V('clear-read-only', '§8.5 (Hafnium 4b846eb8, 639ddfc0): a read-only borrower may relinquish with clear, zeroing the owner\'s data.',
    'Oracle status', (s) => ({ ...dropRow(s, 'MEM_RELINQUISH', 'clear_ro'), name: 'clear-read-only' })),
  V('rx-overwrite', '§8.6: MSG_SEND2 writes the receiver\'s RX while it is FULL (BUSY check dropped).',
    'Oracle status / Oracle RX', (s) => ({ ...dropRow(s, 'MSG_SEND2', 'rx_busy'), name: 'rx-overwrite' })),
  V('retrieve-excess', '§8.7: a retrieve may ask for more than granted (RW on RO; X not checked).',
    'Oracle status / Invariant 3', (s) => {
      const a = s.abis.MEM_RETRIEVE_REQ;
      // The per-EMAD permission check keeps only its structural rows.
      const failures = a.failures.map(([n, f]) => (n === 'emads' ? ([n, () => null] as const) : ([n, f] as const)));
      return { ...s, abis: { ...s.abis, MEM_RETRIEVE_REQ: { ...a, failures } }, name: 'retrieve-excess' };
    }),
  V('donate-not-freed', '§8.8: a fully retrieved DONATE keeps its handle, so the donor can still reclaim the pages.',
    'Invariant 6 / Invariant 1', (s) => ({ ...s, freeDonated: false, name: 'donate-not-freed' })),
  V('sender-spoof', '§8.9: the descriptor\'s sender is not checked against the caller (§4.1.11): C sends A\'s pages.',
    'Oracle status / Oracle transition / RobustSafety', (s) => ({ ...dropRow(dropRow(dropRow(s, 'MEM_SHARE', 'sender'), 'MEM_LEND', 'sender'), 'MEM_DONATE', 'sender'), name: 'sender-spoof' })),
  V('overlapping-constituents', '§8.10 (Hafnium 5952d940, 8f11cde4): overlapping constituents and page-count mismatches are accepted.',
    'Oracle status / Invariant 4', (s) => ({ ...dropCompletion(s, 'overlap', 'page_count'), name: 'overlapping-constituents' })),
  V('sp-to-nwd', '§8.11 (Hafnium 788b4492): an SP may share secure memory with a normal-world endpoint.',
    'Oracle status / Invariant 9', (s) => {
      const fix = (k: 'MEM_SHARE' | 'MEM_LEND' | 'MEM_DONATE') => ({ ...s.abis[k], failures: s.abis[k].failures.map(([n, f]) => (n === 'receivers' ? ([n, worldless] as const) : ([n, f] as const))) });
      return { ...s, abis: { ...s.abis, MEM_SHARE: fix('MEM_SHARE'), MEM_LEND: fix('MEM_LEND'), MEM_DONATE: fix('MEM_DONATE') }, name: 'sp-to-nwd' };
    }),
  V('stale-rx-tail', '§8.12 (Hafnium cded984f, d89f5d43): the SPMC writes a message into RX without zeroing the rest of the buffer.',
    'Oracle RX', (s) => ({
      ...s, name: 'stale-rx-tail',
      rxWrite: (st, page, bytes, words) => {
        const fresh = pageFromBytes(bytes, words);
        const old = pageAt(st, page);
        return writePage(st, page, fresh.map((w, k) => (k * 8 >= bytes.length ? old[k] : w)));
      },
    })),
  V('direct-resp-any', '§8.13: a direct response may go to an endpoint that is not the recorded requester.',
    'Oracle status / Relation', (s) => ({ ...dropRow(s, 'MSG_SEND_DIRECT_RESP', 'not_requester'), name: 'direct-resp-any' })),
];

// The receiver rows without the SPMC's world rules (unknown / self still refused).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function worldless(c: any): 'INVALID_PARAMETERS' | null {
  for (const m of c.d.emads) if (m.id === c.call.e.id || !c.call.s.eps.some((e: { id: number }) => e.id === m.id)) return 'INVALID_PARAMETERS';
  return null;
}
