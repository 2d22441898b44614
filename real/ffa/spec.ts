// The specification object the real machine is built from. A variant is a function Spec -> Spec that
// drops or reorders a failure row, or replaces an effect or policy: the model has no `if (bug)` flags.
import { AbiName } from './consts';
import { Abi, Check, Outcome } from './table';
import { Real, zeroPages } from './state';
import { pageFromBytes, writePage } from './bytes';
import { CompleteCtx, MEM_DONATE, MEM_FRAG_TX, MEM_LEND, MEM_SHARE, complete, completeFailures } from './abi/mem-send';
import { MEM_FRAG_RX, MEM_RETRIEVE_REQ } from './abi/retrieve';
import { MEM_RECLAIM, MEM_RELINQUISH } from './abi/reclaim';
import { RXTX_MAP, RXTX_UNMAP, RX_RELEASE } from './abi/mailbox';
import { MSG_SEND2, MSG_SEND_DIRECT_REQ, MSG_SEND_DIRECT_RESP } from './abi/messaging';
import { FEATURES, ID_GET, PARTITION_INFO_GET, VERSION } from './abi/discovery';

export interface Spec {
  readonly name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly abis: { readonly [K in AbiName]: Abi<any> };
  /** Send completion checks (reference §4.1.17–23), run at the last fragment. */
  readonly completeFailures: readonly Check<CompleteCtx>[];
  readonly complete: (s: Real, slot: number, memPages: number, words: number, spec: Spec) => Outcome;
  /** Pages zeroed by a send with the clear flag (all of them) and by a reclaim with bit 0. */
  readonly sendClear: (pages: readonly number[]) => readonly number[];
  readonly reclaimClear: (pages: readonly number[]) => readonly number[];
  readonly zero: (s: Real, pages: readonly number[], words: number) => Real;
  /** How the SPMC writes RX: the message, then zero to the end of the buffer (§6 rule 5). */
  readonly rxWrite: (s: Real, page: number, bytes: Uint8Array, words: number) => Real;
  /** Whether a fully retrieved DONATE frees its transaction (the handle dies). */
  readonly freeDonated: boolean;
}

export const faithful: Spec = {
  name: 'faithful',
  abis: {
    VERSION, FEATURES, ID_GET, PARTITION_INFO_GET, RXTX_MAP, RXTX_UNMAP, RX_RELEASE, MSG_SEND2, MSG_SEND_DIRECT_REQ,
    MSG_SEND_DIRECT_RESP, MEM_SHARE, MEM_LEND, MEM_DONATE, MEM_FRAG_TX, MEM_RETRIEVE_REQ, MEM_FRAG_RX, MEM_RELINQUISH, MEM_RECLAIM,
  },
  completeFailures,
  complete,
  sendClear: (p) => p,
  reclaimClear: (p) => p,
  zero: (s, pages, words) => zeroPages(s, pages, words),
  rxWrite: (s, page, bytes, words) => writePage(s, page, pageFromBytes(bytes, words)),
  freeDonated: true,
};

/** A copy of `spec` with the failure row `row` of `abi` removed. */
export function dropRow(spec: Spec, abi: AbiName, row: string): Spec {
  const a = spec.abis[abi];
  return { ...spec, abis: { ...spec.abis, [abi]: { ...a, failures: a.failures.filter(([n]) => n !== row) } } };
}
