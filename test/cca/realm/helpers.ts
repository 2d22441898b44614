// Shared helpers for the realm-execution tests: a realm built through the public RMI interface (via
// test/fixtures.ts), a driver for realm instructions and REC entry, and the host's view of exit
// records and NS memory. Expected values in the tests are derived from reference §5-§7 and the
// RMM v1.0 ABI (RmiRecExit offsets are restated here from the spec, not imported from the model).

import { expect } from 'vitest';
import { Instr, Observation } from '../../../real/cca/actions';
import { Machine, RmiObs } from '../../../real/cca/machine';
import { Rec, recOf, rdOf, Rd } from '../../../real/cca/state';
import { DEFAULT_CONFIG } from '../../../real/cca/config';
import { runTrace } from '../engine';
import { Spec } from '../../../real/cca/spec';
import { faithful } from '../../../real/cca/faithful';
import { G, PARAMS, RD, ROOT, RUN, createL3, createRealm, createRec, delegate, expectStatus, machine } from '../fixtures';

export { G, Machine, PARAMS, RD, ROOT, RUN, machine, delegate, expectStatus, createRec };

export const MAX64 = (1n << 64n) - 1n;

// ---------------------------------------------------------------------------------------------
// Granule plan (default config: 64 granules; 60 SECURE, 61 ROOT, 62-63 MMIO).
export const L2 = G(3), L3 = G(4);
export const DATA_A = G(5), DATA_B = G(6), DATA_C = G(7), DATA_E = G(8), DATA_D = G(32);
export const SRC = G(10);
export const REC0 = G(11), AUX0 = [G(12), G(13)];
export const NS_L2 = G(14), NS_L3 = G(15);
export const REC1 = G(16), AUX1 = [G(17), G(18)];
export const NS_RW = G(20), NS_RO = G(24);
export const REC2 = G(21), AUX2 = [G(22), G(23)];
export const RUN1 = G(25), RUN2 = G(26);
export const RD_B = G(27), ROOT_B = G(28), REC_B = G(29), AUX_B = [G(30), G(31)];
/** Spare granules a test may use for anything (extra RTTs, extra run granules). */
export const SPARE = [G(33), G(34), G(35), G(36), G(37), G(38), G(39), G(40)];

// IPA plan (IPA width 32: PAR = [0, 2 GB), unprotected [2 GB, 4 GB)).
export const IPA_A = 0x1000; // ASSIGNED RAM (DATA_A, measured content from SRC)
export const IPA_B = 0x2000; // ASSIGNED RAM (DATA_B): host-call structures
export const IPA_C = 0x3000; // ASSIGNED RAM (DATA_C): DATA_DESTROY target
export const IPA_URAM = 0x4000; // UNASSIGNED RAM (RTT_INIT_RIPAS)
export const IPA_EMPTY = 0x5000; // UNASSIGNED EMPTY (initial state)
export const IPA_AEMPTY = 0x6000; // ASSIGNED EMPTY (DATA_CREATE_UNKNOWN on an EMPTY entry)
export const IPA_D = 0x7000; // ASSIGNED RAM (DATA_D): RSI output page
export const PAR_TOP = 0x8000_0000;
export const IPA_NS_RW = 0x8000_1000; // ASSIGNED_NS -> NS_RW, S2AP read/write
export const IPA_NS_RO = 0x8000_2000; // ASSIGNED_NS -> NS_RO, S2AP read-only
export const IPA_MMIO = 0x8000_3000; // UNASSIGNED_NS (level 3): emulatable MMIO
export const IPA_NS_L1 = 0xc000_0000; // UNASSIGNED_NS at level 1 (no table below)
export const IPA_BEYOND = 0x1_0000_0000; // ≥ 2^w

/** Contents DATA_CREATE copies into DATA_A (public: it is measured and comes from the host). */
export const SRC_WORDS = [0xa0n, 0xa1n, 0xa2n, 0xa3n];
/** MemAttr 5 (normal), S2AP bits [7:6]: bit 6 = read, bit 7 = write (Arm ARM stage-2 S2AP). */
export const ATTR_RW = (5n << 2n) | (3n << 6n);
export const ATTR_RO = (5n << 2n) | (1n << 6n);

export const MPIDR = (i: number) => BigInt(i); // Aff0 = index (< 16)

export interface WorldOpts {
  /** Create REC1 (MPIDR 1); runnable or not (default: not runnable, for CPU_ON). */
  rec1?: 'runnable' | 'off' | false;
  /** REC1's X0..X7 from its REC_CREATE parameters. */
  rec1Gprs?: bigint[];
  /** Create REC2 (MPIDR 2, runnable). */
  rec2?: boolean;
  /** Activate the realm (default true). */
  activate?: boolean;
  /** A second realm (vmid 2) with one runnable REC. */
  realmB?: boolean;
  /** The specification to run (default: the faithful one); used to show the tests detect faults. */
  spec?: Spec;
}

/**
 * The standard world: one realm (IPA width 32, level-1 root) with level-2/3 RTTs over [0, 2 MB)
 * and over [2 GB, 2 GB + 2 MB), the protected pages of the IPA plan, two NS pages mapped
 * unprotected, REC0 (MPIDR 0, runnable), optionally REC1/REC2 and a second realm; activated.
 */
export function world(opts: WorldOpts = {}): Machine {
  const m = machine(opts.spec ?? faithful);
  createRealm(m);
  createL3(m, RD, 0, L2, L3);
  createL3(m, RD, IPA_NS_RW, NS_L2, NS_L3);
  expectStatus(m.status('RTT_INIT_RIPAS', [RD, IPA_URAM, IPA_URAM + 0x1000]), 'SUCCESS');
  m.writeWords(SRC, SRC_WORDS);
  for (const [data, ipa] of [[DATA_A, IPA_A], [DATA_B, IPA_B], [DATA_C, IPA_C], [DATA_D, IPA_D]] as const) {
    delegate(m, data);
    expectStatus(m.status('DATA_CREATE', [RD, data, ipa, SRC, data === DATA_A ? 1 : 0]), 'SUCCESS');
  }
  delegate(m, DATA_E);
  expectStatus(m.status('DATA_CREATE_UNKNOWN', [RD, DATA_E, IPA_AEMPTY]), 'SUCCESS');
  expectStatus(m.status('RTT_MAP_UNPROTECTED', [RD, IPA_NS_RW, 3, BigInt(NS_RW) | ATTR_RW]), 'SUCCESS');
  expectStatus(m.status('RTT_MAP_UNPROTECTED', [RD, IPA_NS_RO, 3, BigInt(NS_RO) | ATTR_RO]), 'SUCCESS');
  expectStatus(createRec(m, RD, REC0, AUX0, { flags: 1n, mpidr: MPIDR(0), pc: BigInt(IPA_A) }).status, 'SUCCESS');
  const rec1 = opts.rec1 ?? 'off';
  if (rec1) expectStatus(createRec(m, RD, REC1, AUX1, { flags: rec1 === 'runnable' ? 1n : 0n, mpidr: MPIDR(1), pc: BigInt(IPA_A), gprs: opts.rec1Gprs }).status, 'SUCCESS');
  if (opts.rec2) expectStatus(createRec(m, RD, REC2, AUX2, { flags: 1n, mpidr: MPIDR(2), pc: BigInt(IPA_A) }).status, 'SUCCESS');
  if (opts.activate ?? true) expectStatus(m.status('REALM_ACTIVATE', [RD]), 'SUCCESS');
  if (opts.realmB) {
    createRealm(m, { rd: RD_B, root: ROOT_B, vmid: 2n });
    expectStatus(createRec(m, RD_B, REC_B, AUX_B, { flags: 1n, mpidr: 0n }).status, 'SUCCESS');
    expectStatus(m.status('REALM_ACTIVATE', [RD_B]), 'SUCCESS');
  }
  return m;
}

// ---------------------------------------------------------------------------------------------
// REC entry.

/** ICH_HCR_EL2 (En | TDIR) and list registers (no HW bit) the host gives at every entry. */
export const GIC_HCR = 0x4002n; // UIE | TDIR (the host may not set En)
export const GIC_LRS = [0x5000_0000_0000_0021n, 0x4000_0000_0000_0033n, 0n, 0x1000_0000_0000_0044n];

export const FLAGS = { EMUL_MMIO: 1n, INJECT_SEA: 2n, TRAP_WFI: 4n, TRAP_WFE: 8n, RIPAS_RESPONSE: 16n } as const;

export interface EntryOpts {
  cpu?: number;
  flags?: bigint;
  gprs?: bigint[];
  gicHcr?: bigint;
  gicLrs?: bigint[];
}

/** Writes the entry half of `run` and calls REC_ENTER; returns the RMI observation (not asserted). */
export function tryEnter(m: Machine, rec: number, run: number, o: EntryOpts = {}): RmiObs {
  const cpu = o.cpu ?? 0;
  m.writeRecEntry(run, { flags: o.flags ?? 0n, gprs: o.gprs ?? [], gicv3Hcr: o.gicHcr ?? GIC_HCR, gicv3Lrs: o.gicLrs ?? GIC_LRS }, cpu);
  return m.rmi('REC_ENTER', [rec, run], cpu);
}

/** Enters `rec` and asserts it started running (REC_ENTER pending). */
export function enter(m: Machine, rec: number, run: number, o: EntryOpts = {}): RmiObs {
  const obs = tryEnter(m, rec, run, o);
  expect({ status: obs.status, failed: obs.failed, pending: obs.pending }).toEqual({ status: { status: 'SUCCESS', index: 0 }, failed: undefined, pending: true });
  expect(m.state.cpus[o.cpu ?? 0].mode).toEqual({ kind: 'realm', rec, run });
  return obs;
}

/** REC_ENTER fails with `status`/`index` and changes nothing. */
export function expectEnterFails(m: Machine, rec: number, run: number, status: string, index: number, o: EntryOpts = {}): RmiObs {
  const cpu = o.cpu ?? 0;
  m.writeRecEntry(run, { flags: o.flags ?? 0n, gprs: o.gprs ?? [], gicv3Hcr: o.gicHcr ?? GIC_HCR, gicv3Lrs: o.gicLrs ?? GIC_LRS }, cpu);
  const before = m.state;
  const obs = m.rmi('REC_ENTER', [rec, run], cpu);
  expect(obs.status).toEqual({ status, index });
  expect(obs.x0).toBe(BigInt({ SUCCESS: 0, ERROR_INPUT: 1, ERROR_REALM: 2, ERROR_REC: 3, ERROR_RTT: 4 }[status]! | (index << 8)));
  expect(obs.pending).toBeFalsy();
  expect(m.state).toBe(before);
  return obs;
}

// ---------------------------------------------------------------------------------------------
// Realm execution.

export type RealmObs = Extract<Observation, { kind: 'realm' }>;

export function step(m: Machine, i: Instr, cpu = 0): RealmObs {
  const o = m.realm(i, cpu);
  expect(o.kind).toBe('realm');
  return o as RealmObs;
}

/** A step that completes inside the realm (no exit, no SEA, no UNDEF). */
export function run(m: Machine, i: Instr, cpu = 0): RealmObs {
  const o = step(m, i, cpu);
  expect(o.exit, `unexpected exit: ${o.event.what}`).toBeUndefined();
  expect(o.event.sea ?? false, o.event.what).toBe(false);
  expect(o.event.undef ?? false, o.event.what).toBe(false);
  return o;
}

export const mov = (m: Machine, reg: number, value: bigint, cpu = 0) => run(m, { op: 'mov', reg, value }, cpu);
export const load = (m: Machine, ipa: number | bigint, reg: number, cpu = 0, size?: number, signed?: boolean): bigint =>
  run(m, { op: 'load', ipa: BigInt(ipa), reg, size, signed }, cpu).event.value!;
export const store = (m: Machine, ipa: number | bigint, reg: number, cpu = 0, size?: number) => run(m, { op: 'store', ipa: BigInt(ipa), reg, size }, cpu);
/** Stores `value` at a protected IPA through register X`via`. */
export function poke(m: Machine, ipa: number, value: bigint, cpu = 0, via = 7): void {
  mov(m, via, value, cpu);
  store(m, ipa, via, cpu);
}

/** The REC's exit from this step: asserts REC_ENTER completed with `status` (default SUCCESS). */
export function expectExit(o: RealmObs, status = 'SUCCESS'): RmiObs {
  expect(o.exit, `no exit: ${o.event.what}`).toBeDefined();
  const e = o.exit as RmiObs;
  expect(e.kind).toBe('rmi');
  expect(e.name).toBe('REC_ENTER');
  expect(e.status).toEqual({ status, index: 0 });
  expect(e.x).toEqual([0n, 0n, 0n, 0n]);
  return e;
}

/** The step made the realm take a synchronous external abort, without any exit. */
export function expectSea(o: RealmObs): void {
  expect(o.exit).toBeUndefined();
  expect(o.event.sea, o.event.what).toBe(true);
}

/** Issues SMC with X0.. = regs; returns the step's observation. */
export function smc(m: Machine, regs: (bigint | number)[], cpu = 0): RealmObs {
  regs.forEach((v, reg) => mov(m, reg, BigInt(v), cpu));
  return step(m, { op: 'smc' }, cpu);
}
/** An SMC the RMM answers without an exit; returns the realm's X0..X8 afterwards. */
export function call(m: Machine, regs: (bigint | number)[], cpu = 0): bigint[] {
  const o = smc(m, regs, cpu);
  expect(o.exit, `unexpected exit: ${o.event.what}`).toBeUndefined();
  return liveRegs(m, cpu).slice(0, 9);
}

/** The live register file of the REC running on `cpu` (X0..X30, sysregs). */
export const liveRegs = (m: Machine, cpu = 0): readonly bigint[] => {
  expect(m.state.cpus[cpu].mode.kind).toBe('realm');
  return m.state.cpus[cpu].regs;
};
export const recAt = (m: Machine, pa: number): Rec => recOf(m.state, pa);
export const rdAt = (m: Machine, pa: number = RD): Rd => rdOf(m.state, pa);

// ---------------------------------------------------------------------------------------------
// RSI / PSCI function IDs and codes (reference §7; PSCI 1.1).
export const RSI = {
  VERSION: 0xc4000190n, FEATURES: 0xc4000191n, MEASUREMENT_READ: 0xc4000192n, MEASUREMENT_EXTEND: 0xc4000193n,
  ATTESTATION_TOKEN_INIT: 0xc4000194n, ATTESTATION_TOKEN_CONTINUE: 0xc4000195n, REALM_CONFIG: 0xc4000196n,
  IPA_STATE_SET: 0xc4000197n, IPA_STATE_GET: 0xc4000198n, HOST_CALL: 0xc4000199n,
} as const;
export const RSI_OK = 0n, RSI_ERROR_INPUT = 1n, RSI_ERROR_STATE = 2n, RSI_INCOMPLETE = 3n;
export const RIPAS = { EMPTY: 0n, RAM: 1n, DESTROYED: 2n } as const;
export const ACCEPT = 0n, REJECT = 1n;
export const PSCI = {
  VERSION: 0x84000000n, CPU_OFF: 0x84000002n, CPU_ON: 0xc4000003n, AFFINITY_INFO: 0xc4000004n,
  SYSTEM_OFF: 0x84000008n, SYSTEM_RESET: 0x84000009n, FEATURES: 0x8400000an,
} as const;
export const PSCI_RET = {
  SUCCESS: 0n, NOT_SUPPORTED: MAX64, INVALID_PARAMETERS: MAX64 - 1n, DENIED: MAX64 - 2n, ALREADY_ON: MAX64 - 3n,
  INVALID_ADDRESS: MAX64 - 8n, ON: 0n, OFF: 1n,
} as const;

// ---------------------------------------------------------------------------------------------
// ESR fields (Arm ARM ESR_EL2) used to build expected syndromes.
export const EC = { WFX: 0x01n, SYSREG: 0x18n, IABT: 0x20n, DABT: 0x24n } as const;
export const ESR = {
  ec: (ec: bigint) => ec << 26n,
  IL: 1n << 25n,
  ISV: 1n << 24n,
  sas: (size: number) => BigInt([1, 2, 4, 8].indexOf(size)) << 22n,
  SSE: 1n << 21n,
  srt: (r: number) => BigInt(r) << 16n,
  SF: 1n << 15n,
  AR: 1n << 14n,
  WNR: 1n << 6n,
  /** Translation fault at level l; permission fault at level l. */
  transl: (l: number) => BigInt(0x04 + l),
  perm: (l: number) => BigInt(0x0c + l),
} as const;
/** HPFAR_EL2.FIPA [43:4] = IPA[51:12]. */
export const hpfar = (ipa: number) => BigInt(Math.floor(ipa / 4096)) << 4n;

// ---------------------------------------------------------------------------------------------
// The exit record as the host reads it: RmiRecExit at run + 0x800 (RMM v1.0 ABI offsets).
export const EXIT = {
  exitReason: 0x0, esr: 0x100, far: 0x108, hpfar: 0x110, gprs: 0x200, gicv3Hcr: 0x300, gicv3Lrs: 0x308,
  gicv3Misr: 0x388, gicv3Vmcr: 0x390, cntpCtl: 0x400, cntpCval: 0x408, cntvCtl: 0x410, cntvCval: 0x418,
  ripasBase: 0x500, ripasTop: 0x508, ripasValue: 0x510, imm: 0x600, pmuOvfStatus: 0x700,
} as const;
export const REASON = { SYNC: 0n, IRQ: 1n, FIQ: 2n, PSCI: 3n, RIPAS_CHANGE: 4n, HOST_CALL: 5n, SERROR: 6n } as const;

export interface ExitFields {
  reason: bigint;
  esr?: bigint; far?: bigint; hpfar?: bigint;
  /** exit.gprs[k] (others zero). */
  gprs?: Readonly<Record<number, bigint>>;
  gicHcr?: bigint; gicLrs?: bigint[];
  cntpCtl?: bigint; cntpCval?: bigint; cntvCtl?: bigint; cntvCval?: bigint;
  ripasBase?: bigint; ripasTop?: bigint; ripasValue?: bigint; imm?: bigint;
}

/** Name of the exit-record word at byte offset `off` (relative to the exit record). */
function wordName(off: number): string {
  if (off >= EXIT.gprs && off < EXIT.gprs + 31 * 8) return `gprs[${(off - EXIT.gprs) / 8}]`;
  if (off >= EXIT.gicv3Lrs && off < EXIT.gicv3Lrs + 16 * 8) return `gicv3Lrs[${(off - EXIT.gicv3Lrs) / 8}]`;
  const named = Object.entries(EXIT).find(([, o]) => o === off);
  return named ? named[0] : `+0x${off.toString(16)}`;
}

/** The 256 words of the exit record a faithful RMM writes for `f`; everything not named is zero. */
export function expectedExitWords(f: ExitFields): bigint[] {
  const w = new Array<bigint>(256).fill(0n);
  const put = (off: number, v: bigint | undefined) => v !== undefined && (w[off / 8] = v);
  put(EXIT.exitReason, f.reason);
  put(EXIT.esr, f.esr);
  put(EXIT.far, f.far);
  put(EXIT.hpfar, f.hpfar);
  for (const [k, v] of Object.entries(f.gprs ?? {})) put(EXIT.gprs + 8 * Number(k), v);
  put(EXIT.gicv3Hcr, f.gicHcr ?? GIC_HCR);
  (f.gicLrs ?? GIC_LRS).forEach((v, k) => put(EXIT.gicv3Lrs + 8 * k, v));
  put(EXIT.cntpCtl, f.cntpCtl);
  put(EXIT.cntpCval, f.cntpCval);
  put(EXIT.cntvCtl, f.cntvCtl);
  put(EXIT.cntvCval, f.cntvCval);
  put(EXIT.ripasBase, f.ripasBase);
  put(EXIT.ripasTop, f.ripasTop);
  put(EXIT.ripasValue, f.ripasValue);
  put(EXIT.imm, f.imm);
  return w;
}

const named = (words: readonly bigint[]): Record<string, string> => {
  const out: Record<string, string> = {};
  words.forEach((v, i) => v !== 0n && (out[wordName(8 * i)] = '0x' + v.toString(16)));
  return out;
};

/** A CPU in host mode (the host can only read memory from such a CPU). */
export function hostCpuIndex(m: Machine): number {
  const i = m.state.cpus.findIndex((c) => c.mode.kind === 'host');
  if (i < 0) throw new Error('no CPU is in host mode');
  return i;
}

/** The host's NS read of `count` words at `addr`; asserts it does not fault. */
export function hostRead(m: Machine, addr: number, count: number): bigint[] {
  const o = m.read(addr, count, hostCpuIndex(m));
  expect(o.kind).toBe('host-read');
  if (o.kind !== 'host-read') throw new Error('not a host read');
  expect(o.fault).toBeUndefined();
  return [...o.values!];
}

/**
 * Reads the whole exit record back from `run` as the host would and asserts every word: the named
 * fields have the given values and every other word of the 2 KB record is zero.
 */
export function expectExitRecord(m: Machine, run: number, f: ExitFields): bigint[] {
  const got = hostRead(m, run + 0x800, 256);
  expect(named(got)).toEqual(named(expectedExitWords(f)));
  return got;
}

// ---------------------------------------------------------------------------------------------
// Secrets.

/** Distinctive 64-bit secret values (never produced by anything else in these tests). */
export const secret = (tag: number, k: number): bigint => 0x5ec0_0000_0000_0000n | (BigInt(tag) << 24n) | (BigInt(k) << 8n) | 0x5an;

/** Puts secrets in X`from`..X30 of the REC on `cpu`; returns them. */
export function plantSecrets(m: Machine, tag: number, cpu = 0, from = 8): bigint[] {
  const out: bigint[] = [];
  for (let r = from; r <= 30; r++) {
    const v = secret(tag, r);
    mov(m, r, v, cpu);
    out.push(v);
  }
  return out;
}

/**
 * Everything the host can see: every word of every granule it can read (NS memory, including every
 * run granule and so every exit record), and every value returned to it (RMI outputs, REC_ENTER
 * completions, exit records, host/DMA reads) in the whole history of the machine.
 */
export function hostView(m: Machine): bigint[] {
  const out: bigint[] = [];
  const cpu = hostCpuIndex(m);
  for (let g = 0; g < m.state.cfg.granules; g++) {
    const o = m.read(G(g), 512, cpu);
    if (o.kind === 'host-read' && o.values) out.push(...o.values);
  }
  for (const { obs } of m.log) {
    if (obs.kind === 'rmi') out.push(obs.x0, ...obs.x);
    if ((obs.kind === 'host-read' || obs.kind === 'dma-read') && obs.values) out.push(...obs.values);
    if (obs.kind === 'realm') {
      if (obs.exit?.kind === 'rmi') out.push(obs.exit.x0, ...obs.exit.x);
      for (const v of Object.values(obs.record ?? {})) out.push(...(typeof v === 'bigint' ? [v] : v));
    }
  }
  return out;
}

/** None of `secrets` appears anywhere in the host's view. */
export function expectNoSecrets(m: Machine, secrets: readonly bigint[]): void {
  const view = new Set(hostView(m));
  const leaked = secrets.filter((s) => view.has(s)).map((s) => '0x' + s.toString(16));
  expect(leaked).toEqual([]);
}

export type { Rec, Rd };

// ---------------------------------------------------------------------------------------------
// The checker: the same history replayed through the real and the ideal machine in lockstep.

/**
 * Replays every action this machine took through properties/check.ts (real vs ideal machine,
 * observation equality, Rel1-3, invariants after every step) and asserts no violation.
 */
export function expectCheckerAgrees(m: Machine): void {
  const r = runTrace({ spec: faithful, config: DEFAULT_CONFIG }, m.log.map((l) => l.action));
  const first = r.first ? { step: r.first.index, action: r.first.action, violations: r.first.violations } : null;
  expect(first).toBeNull();
}
