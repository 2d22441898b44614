// The ideal machine's rules (reference A.5, HASPOC §2): separate machines, one per guest, joined only by
// channels. Each real step names the rule it matches (lock-step); each rule can be switched off
// (`--rules-off NAME`): the faithful real machine then fails the check on any trace that needs it.

export const SEP_RULES = {
  /** ImIntrnl g: one step of guest g's own machine (its cores, memory, devices, DMA, GIC, PSCI). */
  internal: 'ImIntrnl',
  /** syncmem after ImIntrnl: an outgoing channel page is copied to the receiver's incoming page. */
  'channel-copy': 'syncmem',
  /** ImReqIgc s c: a core of from(s) requests a notification: pend := 1, tgt := least powered core of to(s). */
  'notify-request': 'ImReqIgc',
  /** IgcFail: a notification hypercall naming no outgoing channel of the caller: the PC advances, nothing else. */
  'igc-fail': 'IgcFail',
  /** ImSndIgc s: a pending notification is injected as virq(s) into core tgt of to(s). */
  'notify-deliver': 'ImSndIgc',
  /** ImExtIn l: a guest's devices receive their own external inputs and raise their own interrupts. */
  'ext-in': 'ImExtIn',
} as const;

export type SepRule = keyof typeof SEP_RULES;
export const SEP_RULE_NAMES = Object.keys(SEP_RULES) as SepRule[];
