// The v1.0 declassification rules: the only ways data moves between a realm's exclusive storage and
// the world in the ideal machine. Each can be switched off (`--rules-off NAME`) to see the channel it
// opens: with a rule off, the faithful RMM must fail the check on a trace that uses that channel.

export const RULES = {
  /**
   * Paper Table 3 "initial memory": the first realm access to an Unknown protected page reads the
   * world's DATA granule mapped there (DATA_CREATE's measured copy, or zeros) into exclusive memory.
   */
  'initial-content': 1,
  /** Paper: "shared memory". Accesses to unprotected IPAs (outside the PAR) go to the world. */
  unprotected: 2,
  /**
   * Paper: "exit information". A trap to the RMM exposes the syndrome (ESR/FAR/HPFAR, computed by
   * the RMM from the trap, so nothing to move here) and the timer registers, reported on every exit.
   */
  'exit-syndrome': 3,
  /** v1.0 sysreg exits: an ICC_* access trap exposes (write) or later takes (read) the one GPR it names. */
  'sysreg-trap': 4,
  /** Paper: "MMIO". An emulatable data abort exposes the stored value; a read takes the host's value. */
  mmio: 5,
  /**
   * Paper: "RSI". RSI calls expose their argument registers and the realm memory they read (the
   * RsiHostCall structure), and take their results and the memory the RMM writes (REALM_CONFIG's
   * page, token bytes, the host-call structure on return).
   */
  rsi: 6,
  /**
   * Paper: "PSCI". PSCI calls expose their arguments and take results at the next entry; a CPU_ON
   * that resets a REC re-initialises its exclusive registers from the world (entry point, context id).
   */
  psci: 7,
  /**
   * New in v1.0 (RIPAS): a RIPAS change the realm requested (RSI_IPA_STATE_SET, incl. its
   * CHANGE_DESTROYED consent) and the host applied (RTT_SET_RIPAS) makes the affected pages Unknown:
   * the realm consented to new content.
   */
  'ripas-consent': 8,
} as const;

export type RuleName = keyof typeof RULES;
export const RULE_NAMES = Object.keys(RULES) as RuleName[];
export type RuleSet = ReadonlySet<RuleName>;
export const ALL_RULES: RuleSet = new Set(RULE_NAMES);
export const isRuleName = (s: string): s is RuleName => (RULE_NAMES as string[]).includes(s);

/** Argument registers an SMC exposes (its results are the registers the RMM writes), and its rule. */
export function callRegisters(fid: bigint): { args: number; results: number; rule: RuleName } {
  const rsi = (args: number, results: number) => ({ args, results, rule: 'rsi' as const });
  switch (fid) {
    case 0xc4000190n: return rsi(1, 2); // VERSION
    case 0xc4000191n: return rsi(1, 1); // FEATURES
    case 0xc4000192n: return rsi(1, 8); // MEASUREMENT_READ
    case 0xc4000193n: return rsi(10, 0); // MEASUREMENT_EXTEND
    case 0xc4000194n: return rsi(8, 1); // ATTESTATION_TOKEN_INIT
    case 0xc4000195n: return rsi(3, 1); // ATTESTATION_TOKEN_CONTINUE
    case 0xc4000196n: return rsi(1, 0); // REALM_CONFIG
    case 0xc4000197n: return rsi(4, 2); // IPA_STATE_SET (results arrive at the next entry)
    case 0xc4000198n: return rsi(2, 2); // IPA_STATE_GET
    case 0xc4000199n: return rsi(1, 0); // HOST_CALL
  }
  const base = fid & ~0x40000000n;
  if (base >= 0x84000000n && base <= 0x8400001fn) return { args: 3, results: 3, rule: 'psci' };
  return { args: 0, results: 0, rule: 'rsi' }; // unknown SMC: only X0 (the FID) and its result
}
