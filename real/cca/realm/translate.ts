// The realm access outcome table (reference §5): what a realm data access or instruction fetch at an
// IPA does, from the stage-2 state the host and RMM built.

import { RealState, Rd, RttEntry, granuleAt } from '../state';
import { ipaLimit, inPar, levelSize, walk } from '../rtt';
import { FSC } from './esr';

export type AccessOutcome =
  /** Access completes on protected memory: `pa` is the DATA granule's PA of the word. */
  | { readonly row: 'protected-ok'; readonly pa: number }
  /** Access completes on NS memory through an ASSIGNED_NS mapping. */
  | { readonly row: 'unprotected-ok'; readonly pa: number }
  /** The RMM injects a synchronous external abort into the realm; no exit. */
  | { readonly row: 'sea'; readonly why: string }
  /** REC exit: data/instruction abort the host cannot emulate (FSC reported, FAR withheld). */
  | { readonly row: 'exit-abort'; readonly fsc: bigint; readonly why: string }
  /** REC exit: an emulatable data abort at an unprotected IPA (MMIO). */
  | { readonly row: 'exit-emulatable'; readonly fsc: bigint };

export interface Access {
  readonly ipa: number;
  readonly kind: 'read' | 'write' | 'fetch';
  /** The instruction's syndrome is valid (a single load/store to a GPR): emulatable if unprotected. */
  readonly isv: boolean;
}

const S2AP_READ = 1n << 6n;
const S2AP_WRITE = 1n << 7n;

/** The IPA's stage-2 entry (whatever level the walk stops at) and the level it stopped at. */
export function lookup(s: RealState, rd: Rd, ipa: number): { entry: RttEntry; level: number } {
  const w = walk(s, rd, ipa, 3);
  return { entry: w.entry, level: w.level };
}

export function accessOutcome(s: RealState, rd: Rd, a: Access): AccessOutcome {
  // ≥ 2^w: the realm's stage 1 takes an address-size fault; TF-RMM injects an SEA.
  if (!(a.ipa >= 0 && a.ipa < ipaLimit(rd))) return { row: 'sea', why: 'ipa beyond the IPA width' };
  const { entry: e, level } = lookup(s, rd, a.ipa);
  const offset = a.ipa % levelSize(level);
  if (inPar(rd, a.ipa)) {
    if (e.ripas === 'EMPTY') return { row: 'sea', why: 'RIPAS EMPTY' };
    if (e.ripas === 'DESTROYED') return { row: 'exit-abort', fsc: FSC.translation(level), why: 'RIPAS DESTROYED' };
    if (e.hipas !== 'ASSIGNED') return { row: 'exit-abort', fsc: FSC.translation(level), why: 'UNASSIGNED RAM' };
    return { row: 'protected-ok', pa: e.addr + offset };
  }
  if (a.kind === 'fetch') return { row: 'sea', why: 'instruction fetch from an unprotected IPA' };
  if (e.hipas === 'ASSIGNED_NS') {
    const allowed = a.kind === 'read' ? e.attrs & S2AP_READ : e.attrs & S2AP_WRITE;
    if (!allowed) return { row: 'exit-abort', fsc: FSC.permission(level), why: 'S2AP violation' };
    const pa = e.addr + offset;
    // The NS PA must still be NS in the GPT and be memory; otherwise the access faults (GPF / no
    // memory), which the RMM reports to the realm as an SEA.
    if (pa >= s.cfg.granules * 4096) return { row: 'sea', why: 'no memory at the NS PA' };
    if (granuleAt(s, pa).pas !== 'NS') return { row: 'sea', why: 'granule protection fault on the NS PA' };
    return { row: 'unprotected-ok', pa };
  }
  return a.isv ? { row: 'exit-emulatable', fsc: FSC.translation(level) } : { row: 'exit-abort', fsc: FSC.translation(level), why: 'UNASSIGNED_NS without ISV' };
}
