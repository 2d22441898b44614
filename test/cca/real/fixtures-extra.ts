// Extra fixtures for the RMI command tests (granule / realm / REC / misc). Every state is reached
// through the public interface (RMI calls and host writes); nothing is constructed by hand.

import { expect } from 'vitest';
import { Config, DEFAULT_CONFIG } from '../../../real/cca/config';
import { RecParamsInput } from '../../../real/cca/params';
import { RmiName } from '../../../real/cca/rmi';
import { Granule, RealState, granuleAt } from '../../../real/cca/state';
import { ptoArray } from '../../../model/pvec';
import { G, Machine, PARAMS, RD, ROOT, RUN, createL3, createRealm, delegate, expectStatus, machine } from '../fixtures';
import { faithful } from '../../../real/cca/faithful';

export { G, Machine, PARAMS, RD, ROOT, RUN, createL3, createRealm, delegate, expectStatus, machine };

export const MAX64 = (1n << 64n) - 1n;
/** The highest 4 KB-aligned 64-bit value. */
export const TOP_ALIGNED = (1n << 64n) - 4096n;

/** Reference §1: status codes; X0 = status | (index << 8). */
const CODE = { SUCCESS: 0n, ERROR_INPUT: 1n, ERROR_REALM: 2n, ERROR_REC: 3n, ERROR_RTT: 4n } as const;
export type StatusName = keyof typeof CODE;

/**
 * Calls `name(args)` and asserts it fails with exactly `status`/`index`, that the failure row that
 * decided it is `row`, that X0 packs the status per §1, and that the state did not change at all.
 */
export function expectFail(m: Machine, name: RmiName, args: (bigint | number)[], status: StatusName, index: number, row: string, cpu = 0): void {
  failObs(m, name, args, status, index, row, cpu);
}

/** expectFail, returning the observation (for its X1..X4). */
export function failObs(m: Machine, name: RmiName, args: (bigint | number)[], status: StatusName, index: number, row: string, cpu = 0) {
  const before = m.state;
  const obs = m.rmi(name, args, cpu);
  expect({ status: obs.status, failed: obs.failed }).toEqual({ status: { status, index }, failed: row });
  expect(obs.x0).toBe(CODE[status] | (BigInt(index) << 8n));
  expect(obs.pending).toBeFalsy();
  expect(m.state).toBe(before);
  return obs;
}

export function expectOk(m: Machine, name: RmiName, args: (bigint | number)[], cpu = 0) {
  const obs = m.rmi(name, args, cpu);
  expect({ status: obs.status, failed: obs.failed }).toEqual({ status: { status: 'SUCCESS', index: 0 }, failed: undefined });
  expect(obs.x0).toBe(0n);
  return obs;
}

export const gr = (m: Machine | RealState, pa: number): Granule => granuleAt(m instanceof Machine ? m.state : m, pa);

/** Is the granule's content all zero (plain words, none set)? */
export function isZeroGranule(g: Granule): boolean {
  return g.content.kind === 'words' && [...g.content.words.values()].every((v) => v === 0n);
}

/** The host's view of all 512 words of a granule (must be readable: NS PAS). */
export function hostReadAll(m: Machine, pa: number): readonly bigint[] {
  const obs = m.read(pa, 512);
  if (obs.kind !== 'host-read') throw new Error('not a host read');
  expect(obs.fault).toBeUndefined();
  return obs.values!;
}

/** Asserts every granule other than `except` is the very same object in both states. */
export function expectOtherGranulesUntouched(before: RealState, after: RealState, except: number[]): void {
  const a = ptoArray(before.granules);
  const b = ptoArray(after.granules);
  const skip = new Set(except.map((pa) => pa / 4096));
  const changed: number[] = [];
  for (let i = 0; i < a.length; i++) if (!skip.has(i) && a[i] !== b[i]) changed.push(i);
  expect(changed).toEqual([]);
}

/** Misaligned variants of a (granule-aligned) address, plus 2^64-1. */
export const misaligned = (pa: number): (bigint | number)[] => [pa + 1, pa + 8, pa + 0xff8, MAX64];
/** Values that are not memory known to the RMM: MMIO (62, 63), beyond the PA range, huge. */
export const OUT_OF_BOUNDS: (bigint | number)[] = [G(62), G(63), G(64), G(1000), 1n << 48n, TOP_ALIGNED];

/** Granule plan of the "zoo": one granule in every GST state (default config). */
export const Z = {
  RD: G(1), // RD of a NEW realm (vmid 1, s2sz 32, one level-1 root)
  ROOT: G(2), // its root RTT
  REC: G(3), // REC index 0 (runnable, mpidr 0)
  AUX: [G(4), G(5)], // its aux granules
  REC_NEW: G(6), // DELEGATED, candidate for a second REC (mpidr 1)
  AUX_NEW: [G(7), G(8)], // DELEGATED, its aux candidates
  L2: G(10), // RTT level 2 at IPA 0
  L3: G(11), // RTT level 3 at IPA 0
  DATA: G(12), // DATA at IPA 0
  DELEGATED: G(13),
  UNDELEGATED: G(20),
  SECURE: G(60),
  ROOTPAS: G(61),
} as const;

/** Writes REC params into the NS params granule. */
export function writeRec(m: Machine, p: RecParamsInput): void {
  const o = m.writeRecParams(PARAMS, p);
  expect(o.kind === 'host-write' && o.fault).toBeFalsy();
}

/** Builds the zoo (see Z) through RMI calls only; returns the machine. */
export function zoo(cfg: Config = DEFAULT_CONFIG): Machine {
  const m = machine(faithful, cfg);
  createRealm(m, { rd: Z.RD, root: Z.ROOT, vmid: 1n, params: { hashAlgo: cfg.sha256 ? 0n : 1n } });
  delegate(m, Z.REC, ...Z.AUX);
  writeRec(m, { flags: 1n, mpidr: 0n, numAux: 2n, aux: Z.AUX.map(BigInt) });
  expectOk(m, 'REC_CREATE', [Z.RD, Z.REC, PARAMS]);
  createL3(m, Z.RD, 0, Z.L2, Z.L3);
  delegate(m, Z.DATA);
  expectOk(m, 'DATA_CREATE_UNKNOWN', [Z.RD, Z.DATA, 0]);
  delegate(m, Z.REC_NEW, ...Z.AUX_NEW, Z.DELEGATED);
  // Sanity: the zoo is what it claims to be.
  const st = (pa: number) => gr(m, pa).state;
  expect([st(Z.RD), st(Z.ROOT), st(Z.REC), st(Z.AUX[0]), st(Z.L3), st(Z.DATA), st(Z.DELEGATED), st(Z.UNDELEGATED)]).toEqual([
    'RD', 'RTT', 'REC', 'REC_AUX', 'RTT', 'DATA', 'DELEGATED', 'UNDELEGATED',
  ]);
  expect([gr(m, Z.SECURE).pas, gr(m, Z.ROOTPAS).pas]).toEqual(['SECURE', 'ROOT']);
  return m;
}

/** One zoo granule per GST state (and the non-NS UNDELEGATED ones). */
export const ZOO_STATES: readonly { label: string; pa: number; state: string }[] = [
  { label: 'UNDELEGATED', pa: Z.UNDELEGATED, state: 'UNDELEGATED' },
  { label: 'UNDELEGATED (Secure PAS, 60)', pa: Z.SECURE, state: 'UNDELEGATED' },
  { label: 'UNDELEGATED (Root PAS, 61)', pa: Z.ROOTPAS, state: 'UNDELEGATED' },
  { label: 'DELEGATED', pa: Z.DELEGATED, state: 'DELEGATED' },
  { label: 'RD', pa: Z.RD, state: 'RD' },
  { label: 'REC', pa: Z.REC, state: 'REC' },
  { label: 'REC_AUX', pa: Z.AUX[0], state: 'REC_AUX' },
  { label: 'RTT (root)', pa: Z.ROOT, state: 'RTT' },
  { label: 'RTT (level 3)', pa: Z.L3, state: 'RTT' },
  { label: 'DATA', pa: Z.DATA, state: 'DATA' },
];

/** Zoo granules whose state is not `expected`, as test.each rows [label, pa]. */
export const wrongStates = (expected: string): [string, number][] =>
  ZOO_STATES.filter((z) => z.state !== expected).map((z) => [z.label, z.pa]);

/** Creates a REC with the given params (granules delegated on demand); returns the observation. */
export function makeRec(m: Machine, rd: number, rec: number, aux: number[], p: Partial<RecParamsInput> = {}) {
  for (const pa of [rec, ...aux]) if (gr(m, pa).state === 'UNDELEGATED') delegate(m, pa);
  writeRec(m, { flags: 1n, mpidr: 0n, numAux: BigInt(aux.length), aux: aux.map(BigInt), ...p });
  return m.rmi('REC_CREATE', [rd, rec, PARAMS]);
}

// ---------------------------------------------------------------------------------------------
// Realm execution helpers (the REC running on `cpu` executes guest instructions).

/** PSCI function IDs (SMC64) and return values used by the tests (PSCI spec; reference §7). */
export const PSCI_FN = { CPU_ON: 0xc4000003n, AFFINITY_INFO: 0xc4000004n, CPU_OFF: 0x84000002n, SYSTEM_OFF: 0x84000008n } as const;
export const PSCI_RET = { SUCCESS: 0n, INVALID_PARAMETERS: MAX64 - 1n, DENIED: MAX64 - 2n, ALREADY_ON: MAX64 - 3n, ON: 0n, OFF: 1n } as const;

/** Sets X0.. of the running REC to `regs` and issues an SMC; expects the REC to exit to the host. */
export function realmSmc(m: Machine, regs: bigint[], cpu = 0) {
  regs.forEach((value, reg) => m.realm({ op: 'mov', reg, value }, cpu));
  const obs = m.realm({ op: 'smc' }, cpu);
  expect(obs.kind).toBe('realm');
  return obs;
}

/** Enters `rec` on `cpu` with `run` (must start running). */
export function enter(m: Machine, rec: number, run: number, cpu = 0) {
  const obs = m.rmi('REC_ENTER', [rec, run], cpu);
  expect({ status: obs.status, failed: obs.failed, pending: obs.pending }).toEqual({ status: { status: 'SUCCESS', index: 0 }, failed: undefined, pending: true });
  return obs;
}

/** The host's read of exit.gprs[i] from the run granule (RmiRecRun: exit @0x800, gprs @+0x200). */
export function exitGpr(m: Machine, run: number, i: number): bigint {
  const obs = m.read(run + 0x800 + 0x200 + 8 * i);
  if (obs.kind !== 'host-read' || obs.fault) throw new Error('run granule unreadable');
  return obs.values![0];
}

/** The host's read of exit.exit_reason (SYNC 0, IRQ 1, FIQ 2, PSCI 3, ...). */
export function exitReason(m: Machine, run: number): bigint {
  const obs = m.read(run + 0x800);
  if (obs.kind !== 'host-read' || obs.fault) throw new Error('run granule unreadable');
  return obs.values![0];
}
