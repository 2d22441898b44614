// The fault catalogue (DESIGN.md "Variants and faults"): each variant is a function from the
// specification object to a changed one. The model itself has no `if (bug)` flags.

import { Spec, Variant } from '../../real/cca/spec';
import type { RmiCommand } from '../../real/cca/spec';
import { RmiName } from '../../real/cca/rmi';
import { ZERO_CONTENT } from '../../real/cca/state';
import { Config } from '../../real/cca/config';
import { recDestroy } from '../../real/cca/weakmem/recBookkeeping';

export interface NamedVariant {
  readonly name: string;
  /** The bug class and where it comes from. */
  readonly description: string;
  /** The property the checker is expected to report. */
  readonly expect: string;
  readonly apply: Variant;
  /** Configuration the bug needs to show (e.g. the weak-memory handlers). */
  readonly config?: Partial<Config>;
}

/** Drops failure rows by name from one command's table. */
export const dropRows = (spec: Spec, cmd: RmiName, ...rows: string[]): Spec => {
  const c = spec.commands[cmd] as RmiCommand;
  return { ...spec, commands: { ...spec.commands, [cmd]: { ...c, failures: c.failures.filter((f) => !rows.includes(f.name)) } } };
};

export const VARIANTS: readonly NamedVariant[] = [
  {
    name: 'data-double-map',
    description: 'DATA_CREATE / DATA_CREATE_UNKNOWN do not require the RTT entry to be UNASSIGNED: the host can put a second DATA granule behind an IPA the realm already wrote (CCA paper §5.5, integrity).',
    expect: 'Status / Observation / Rel2 / Invariant',
    apply: (s) => dropRows(dropRows(s, 'DATA_CREATE', 'rtte_state'), 'DATA_CREATE_UNKNOWN', 'rtte_state'),
  },
  {
    name: 'exit-leaks-gprs',
    description: "On a REC exit the realm's caller-saved GPRs X1-X7 are left in the exit record returned to the host (CCA paper §5.5, confidentiality).",
    expect: 'Observation',
    apply: (s) => ({
      ...s,
      exitRecord: (i, rec, regs) => {
        const r = s.exitRecord(i, rec, regs);
        if (i.kind === 'host-call' || i.kind === 'psci') return r;
        const gprs = r.gprs.slice();
        for (let k = 1; k <= 7; k++) gprs[k] = regs[k] ?? 0n;
        return { ...r, gprs };
      },
    }),
  },
  {
    name: 'exit-unchecked-run-granule',
    description: 'At REC exit the RMM writes the exit record without re-checking that the run granule is still NS (CCA paper §5.5: the host delegated it meanwhile).',
    expect: 'Invariant / Rel2',
    apply: (s) => ({ ...s, exitRunCheck: () => true }),
  },
  {
    name: 'undelegate-no-scrub',
    description: 'A granule returns to DELEGATED, and then to NS, without being zeroed (a security bug found by model checking Samsung\'s RMM).',
    expect: 'Postcondition / Invariant / Observation',
    apply: (s) => ({ ...s, scrub: (c) => (c.kind === 'words' ? c : ZERO_CONTENT) }),
  },
  {
    name: 'rec-destroy-running',
    description: 'REC_DESTROY accepts a RUNNING REC (the check of its state is missing).',
    expect: 'Status / Invariant',
    apply: (s) => dropRows(s, 'REC_DESTROY', 'rec_running'),
  },
  {
    name: 'rec-count-no-release',
    description: 'REC_DESTROY decrements the REC count without release semantics, so the decrement can become visible before the REC-list slot is cleared (CCA paper §4.2/§5.5, Figure 4, the weak-memory bug).',
    expect: 'Permutation',
    config: { weakMemory: true, cpus: 2 },
    apply: (s) => ({ ...s, programs: { ...s.programs, recDestroy: (rd, slot) => recDestroy({ rd: `rd@0x${rd.toString(16)}`, slot, barrier: false }) } }),
  },
  {
    name: 'failure-order-swap',
    description: 'DATA_CREATE walks the RTT before checking ipa_bound, returning ERROR_RTT where the specification (an Ordered pair) says ERROR_INPUT.',
    expect: 'Precedence',
    apply: (s) => {
      const c = s.commands.DATA_CREATE as RmiCommand;
      const rows = c.failures.filter((f) => f.name !== 'ipa_bound');
      const at = rows.findIndex((f) => f.name === 'rtte_state') + 1;
      const failures = [...rows.slice(0, at), c.failures.find((f) => f.name === 'ipa_bound')!, ...rows.slice(at)];
      return { ...s, commands: { ...s.commands, DATA_CREATE: { ...c, failures } } };
    },
  },
  {
    name: 'esr-unsanitised',
    description: "A non-emulatable abort's exit record carries the raw ESR and FAR (the RMM forgets §7's masking).",
    expect: 'Observation',
    apply: (s) => ({
      ...s,
      exitRecord: (i, rec, regs) => {
        const r = s.exitRecord(i, rec, regs);
        return i.kind === 'abort' ? { ...r, esr: i.esr, far: i.far } : r;
      },
    }),
  },
  {
    name: 'rtt-destroy-live',
    description: 'RTT_DESTROY succeeds on an RTT that still has a live entry.',
    expect: 'Status / Invariant',
    apply: (s) => dropRows(s, 'RTT_DESTROY', 'rtt_live'),
  },
  {
    name: 'realm-destroy-live',
    description: 'REALM_DESTROY succeeds while RECs or live RTT entries remain.',
    expect: 'Status / Invariant',
    apply: (s) => dropRows(s, 'REALM_DESTROY', 'realm_live'),
  },
];

export const variantNamed = (name: string): NamedVariant | undefined => VARIANTS.find((v) => v.name === name);
