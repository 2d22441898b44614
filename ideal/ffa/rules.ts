// The ideal machine's declassification rules (reference §6), each named and switchable off. Outside
// these rules an endpoint's exclusive pages and registers neither leave it nor change from outside.
export const RULES = {
  /** §6 rule 1 (Mem). A page accessible to a set S of two or more endpoints (a retrieved SHARE, a
   *  multi-borrower LEND) is one shared cell seen by exactly S: on entry it takes the single previous
   *  holder's value, and when the last other member leaves it returns to the remaining holder. */
  'share-cell': 'shared pages form one cell visible to exactly their accessors',
  /** §6 rule 2 (Mem). LEND: at send the lender's value leaves its exclusive storage into the frame
   *  (zero if the send clear flag is set); the retrieving borrower takes it from there. At relinquish
   *  the borrower's value goes back to the frame (zero if cleared), and the reclaimer takes it. */
  'lend-transfer': 'lend moves the page value lender -> borrower -> lender through the frame',
  /** §6 rule 3 (Mem). DONATE: the value leaves the donor at send (zero if clear) and enters the new
   *  owner at retrieve, or returns to the donor on reclaim before retrieval. */
  'donate-transfer': 'donate moves the page value to the new owner once',
  /** §6 rule 4 (Mem). TX is world memory: the bytes an endpoint stores there are read by the SPMC
   *  (descriptors, messages); pages an endpoint turns into its mailbox (RXTX_MAP) join the world. */
  'tx-to-world': 'an endpoint\'s TX stores (and pages it maps as RX/TX) are world memory',
  /** §6 rule 5 (Mem). RX is world memory for the endpoint's reads: what the SPMC wrote there
   *  (retrieve responses, fragments, messages, partition information; zero after the message). */
  'rx-from-world': 'an endpoint\'s RX loads read what the SPMC wrote',
  /** §6 rule 6 (Reg). An FF-A call exposes its argument registers w0–w7 to the SPMC and returns the
   *  result registers from it (the call's observation). */
  'call-registers': 'an FF-A call exposes w0-w7 and takes its results from the SPMC',
  /** §6 rule 7 (Reg). DIRECT_REQ/RESP copy x0–x7 (ids, payload x3–x7) into the registers of the peer
   *  the ideal knows from the pre-state (the named SP for a request, the waiting requester for a response). */
  'direct-registers': 'direct messages deliver x0-x7 to the peer, caller -> peer only',
  /** §6 rule 8 (Mem). An access to a page the endpoint cannot access (Owner-NA, !Owner-NA, lacking the
   *  permission) faults: availability is not guaranteed, and a fault is never a value. */
  'na-faults': 'accesses to pages without access fault',
} as const;
export type RuleName = keyof typeof RULES;
export const RULE_NAMES = Object.keys(RULES) as RuleName[];
