// The specification object the real machine is built from. A variant is a function Spec -> Spec that
// drops or reorders a failure row, or replaces an effect or policy: the model has no `if (bug)` flags.
import { AbiName } from './consts';
import { Spec } from './table';
export type { Spec } from './table';
import { zeroPages } from './state';
import { pageFromBytes, writePage } from './bytes';
import { MEM_DONATE, MEM_FRAG_TX, MEM_LEND, MEM_SHARE, complete, completeFailures } from './abi/mem-send';
import { MEM_FRAG_RX, MEM_RETRIEVE_REQ } from './abi/retrieve';
import { MEM_RECLAIM, MEM_RELINQUISH } from './abi/reclaim';
import { RXTX_MAP, RXTX_UNMAP, RX_RELEASE } from './abi/mailbox';
import { MSG_SEND2, MSG_SEND_DIRECT_REQ, MSG_SEND_DIRECT_RESP } from './abi/messaging';
import { FEATURES, ID_GET, PARTITION_INFO_GET, VERSION } from './abi/discovery';


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
