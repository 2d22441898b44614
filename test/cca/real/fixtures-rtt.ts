// Fixtures for the RTT / DATA command tests: a fixed granule plan, RTT and DATA builders that go
// through RMI calls only, and assertion helpers for failure rows and RTT_READ_ENTRY outputs.

import { expect } from 'vitest';
import { Config, DEFAULT_CONFIG } from '../../../real/cca/config';
import { RmiName } from '../../../real/cca/rmi';
import { RmiStatusName } from '../../../real/cca/status';
import { RttEntry, contentWords, granuleAt, rdOf, rttOf } from '../../../real/cca/state';
import { walk } from '../../../real/cca/rtt';
import { G, Machine, PARAMS, RD, ROOT, createRealm, createRec, delegate, expectStatus, machine } from '../fixtures';

export { G, Machine, PARAMS, RD, ROOT, createRealm, createRec, delegate, expectStatus, machine };

export const U64_MAX = (1n << 64n) - 1n;
/** Level -1 as the host passes it (a 64-bit register). */
export const LEVEL_MINUS_1 = U64_MAX;
export const KB4 = 0x1000;
export const MB2 = 2 ** 21;
export const GB1 = 2 ** 30;
export const GB512 = 2 ** 39;

/** createRealm(): IPA width 32, one level-1 root. PAR = [0, 2 GB), unprotected = [2 GB, 4 GB). */
export const W = 32;
export const PAR = 2 ** (W - 1);
export const IPA_LIMIT = 2 ** W;
/** The level-1 root has 512 entries of 1 GB: it ends at 512 GB even though the IPA space is 4 GB. */
export const ROOT_END = 512 * GB1;

// Granule plan (default config: 64 granules; 60 SECURE, 61 ROOT, 62-63 MMIO). 0 = PARAMS, 1 = RD,
// 2 = ROOT, 9 = RUN (test/fixtures.ts).
export const L2A = G(3); // level-2 RTT covering [0, 1 GB)
export const L3A = G(4); // level-3 RTT covering [0, 2 MB)
export const L2B = G(5);
export const L3B = G(6);
export const L2NS = G(7); // level-2 RTT covering [2 GB, 3 GB)
export const L3NS = G(8); // level-3 RTT covering [2 GB, 2 GB + 2 MB)
export const RUN = G(9);
export const DATA = G(10);
export const DATA2 = G(11);
export const DATA3 = G(12);
export const DATA4 = G(13);
export const SRC = G(20); // NS source granule for DATA_CREATE
export const SRC2 = G(21);
export const RD2 = G(24);
export const ROOT2 = G(25);
export const REC = G(26);
export const AUX = [G(27), G(28)];
export const REC2 = G(29);
export const AUX2 = [G(30), G(31)];
export const SPARE = G(32); // delegated on demand
export const SPARE2 = G(33);
export const UNDELEGATED = G(40); // never delegated
export const SECURE = G(60);
export const ROOT_PAS = G(61);
export const MMIO = G(62);
export const MMIO2 = G(63);
export const BEYOND = G(64); // first PA outside the PA range

/** A config with room for 512 contiguous, 2 MB-aligned DATA granules (granules 512..1023). */
export const BIG_CONFIG: Config = { ...DEFAULT_CONFIG, granules: 2048, mmioRanges: [[2046, 2048]], secureGranules: [2044], rootGranules: [2045] };

export const RTTE = { UNASSIGNED: 0n, ASSIGNED: 1n, TABLE: 2n } as const;
export const RIPAS = { EMPTY: 0n, RAM: 1n, DESTROYED: 2n } as const;

/** Host-controlled ASSIGNED_NS descriptor fields (TF-RMM, FEAT_S2FWB): MemAttr[4:2], S2AP[7:6]. */
export const MEMATTR_NORMAL_WB = 0x6n << 2n; // MemAttr 0b110
export const MEMATTR_DEVICE = 0x1n << 2n; // MemAttr 0b001
export const S2AP_RW = 0x3n << 6n;
export const S2AP_RO = 0x1n << 6n;
export const ATTRS = MEMATTR_NORMAL_WB | S2AP_RW;

type Arg = bigint | number;

/** The command fails with exactly (status, index) at failure row `row`, with no side effect. */
export function expectFail(m: Machine, name: RmiName, args: Arg[], status: RmiStatusName, index: number, row: string) {
  const before = m.state;
  const obs = m.rmi(name, args);
  expect({ status: obs.status, failed: obs.failed }).toEqual({ status: { status, index }, failed: row });
  expect(m.state).toBe(before);
  return obs;
}

export function expectOk(m: Machine, name: RmiName, args: Arg[]) {
  const obs = m.rmi(name, args);
  expect({ status: obs.status, failed: obs.failed }).toEqual({ status: { status: 'SUCCESS', index: 0 }, failed: undefined });
  return obs;
}

/** Delegates `rtt` and creates it as the level-`level` table covering ipa. */
export function rttCreate(m: Machine, rd: number, rtt: number, ipa: number, level: number): void {
  delegate(m, rtt);
  expectOk(m, 'RTT_CREATE', [rd, rtt, ipa - (ipa % 2 ** (12 + 9 * (4 - level))), level]);
}

/** Level-2 and level-3 RTTs covering ipa (level-2 created only if `l2` is given). */
export function tablesTo3(m: Machine, rd: number, ipa: number, l2: number | null, l3: number): void {
  if (l2 !== null) rttCreate(m, rd, l2, ipa, 2);
  rttCreate(m, rd, l3, ipa, 3);
}

/** A realm (createRealm) with L2A/L3A covering [0, 2 MB). */
export function realmWithL3(m: Machine = machine()) {
  createRealm(m);
  tablesTo3(m, RD, 0, L2A, L3A);
  return m;
}

/** DATA_CREATE of a freshly delegated granule (content from `src`). */
export function dataCreate(m: Machine, rd: number, data: number, ipa: number, src = SRC, flags = 0n) {
  delegate(m, data);
  return expectOk(m, 'DATA_CREATE', [rd, data, ipa, src, flags]);
}

export function dataCreateUnknown(m: Machine, rd: number, data: number, ipa: number) {
  delegate(m, data);
  return expectOk(m, 'DATA_CREATE_UNKNOWN', [rd, data, ipa]);
}

/** RTT_READ_ENTRY outputs [X1 walk level, X2 state, X3 desc, X4 ripas]; the state must not change. */
export function readEntry(m: Machine, rd: number, ipa: Arg, level: Arg): bigint[] {
  const before = m.state;
  const obs = m.rmi('RTT_READ_ENTRY', [rd, ipa, level]);
  expect(obs.status).toEqual({ status: 'SUCCESS', index: 0 });
  expect(m.state).toBe(before);
  return [...obs.x];
}

/** The entry the model holds at (ipa, level) — for HIPAS values READ_ENTRY merges (UNASSIGNED vs _NS). */
export function entryAt(m: Machine, rd: number, ipa: number, level: number): RttEntry & { level: number } {
  const w = walk(m.state, rdOf(m.state, rd), ipa, level);
  return { ...w.entry, level: w.level };
}

export function rttEntries(m: Machine, rtt: number): readonly RttEntry[] {
  return rttOf(m.state, rtt).entries;
}

export const rim = (m: Machine, rd = RD): bigint => rdOf(m.state, rd).measurements[0];
export const refcount = (m: Machine, pa: number): number => granuleAt(m.state, pa).refcount;
export const gst = (m: Machine, pa: number) => granuleAt(m.state, pa).state;
export const words = (m: Machine, pa: number) => contentWords(granuleAt(m.state, pa).content);

/** Maps NS memory at (ipa, level) with `desc` = OA | attrs. */
export function mapNs(m: Machine, rd: number, ipa: number, level: number, desc: bigint): void {
  expectOk(m, 'RTT_MAP_UNPROTECTED', [rd, ipa, level, desc]);
}

/** A realm with a REC (REC, AUX) in the default granule plan; runnable. */
export function realmWithRec(m: Machine, opts: { rd?: number; root?: number; vmid?: bigint; rec?: number; aux?: number[] } = {}) {
  const rd = opts.rd ?? RD;
  createRealm(m, { rd, root: opts.root ?? ROOT, vmid: opts.vmid ?? 1n });
  const obs = createRec(m, rd, opts.rec ?? REC, opts.aux ?? AUX, { mpidr: 0n });
  expect(obs.status).toEqual({ status: 'SUCCESS', index: 0 });
  return m;
}
