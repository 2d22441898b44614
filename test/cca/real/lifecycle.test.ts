// The full lifecycle of a realm, every step's status asserted and the invariants checked after every
// step, ending with memory exactly as it began.

import { describe, expect, it } from 'vitest';
import { Action, Observation } from '../../../real/cca/actions';
import { Config, DEFAULT_CONFIG } from '../../../real/cca/config';
import { ptoArray, pget } from '../../../model/pvec';
import { RmiName } from '../../../real/cca/rmi';
import { checkInvariants, formatViolations } from '../../../properties/cca/invariants';
import { Machine, RmiObs } from '../../../real/cca/machine';
import { Spec } from '../../../real/cca/spec';
import { faithful } from '../../../real/cca/faithful';
import { Rd, RealState, initialState, rdOf } from '../../../real/cca/state';
import { G, PARAMS, RD, ROOT, RUN } from '../fixtures';

/** A Machine that checks every invariant after every step. */
class CheckedMachine extends Machine {
  steps = 0;
  constructor(spec: Spec = faithful, cfg: Config = DEFAULT_CONFIG, state?: RealState) {
    super(spec, cfg, state);
  }
  override do(a: Action): Observation {
    const o = super.do(a);
    this.steps++;
    const v = checkInvariants(this.state);
    if (v.length) throw new Error(`invariant violated after step ${this.log.length - 1} (${a.kind}):\n${formatViolations(v)}`);
    return o;
  }
  /** Calls an RMI command and asserts its status (and index). */
  ok(name: RmiName, args: (bigint | number)[], status: NonNullable<RmiObs['status']>['status'] = 'SUCCESS', index = 0): RmiObs {
    const o = this.rmi(name, args);
    expect(o.status, `${name}(${args.map((a) => '0x' + BigInt(a).toString(16)).join(', ')})${o.failed ? ` failed ${o.failed}` : ''}`).toEqual({ status, index });
    return o;
  }
}

// Granule plan (default config: 64 granules; 60 SECURE, 61 ROOT, 62-63 MMIO).
const L2 = G(3), L3 = G(4), DATA_M = G(5), DATA_U = G(6), DATA_K = G(7), SRC = G(10);
const REC = G(11), AUX0 = G(12), AUX1 = G(13), NS_L2 = G(14), NS_L3 = G(15), NS_PAGE = G(20);
const L3B = G(25), DATA_F = G(26);
const NS_IPA = 0x80000000;
const ATTRS = (5n << 2n) | (3n << 6n); // MemAttr 5, S2AP read/write
const NS_BLOCK = 0x40000000; // a 2 MB-aligned NS output address (need not be memory the model holds, §10)
const REALM_GRANULES = [RD, ROOT, L2, L3, DATA_M, DATA_U, DATA_K, REC, AUX0, AUX1, NS_L2, NS_L3, L3B, DATA_F];
const HOST_GRANULES = [PARAMS, SRC, RUN];

const rim = (m: Machine): bigint => rdOf(m.state, RD).measurements[0];
const rd = (m: Machine): Rd => rdOf(m.state, RD);
const RTT_STATE = { UNASSIGNED: 0n, ASSIGNED: 1n, TABLE: 2n };
const RIPAS = { EMPTY: 0n, RAM: 1n, DESTROYED: 2n };

describe('realm lifecycle', () => {
  it('delegate → create → map → activate → run-time mappings → tear down → undelegate: memory ends as it began', () => {
    const m = new CheckedMachine();
    const initial = m.state;
    expect(checkInvariants(initial)).toEqual([]);

    // -- Delegate and create the realm (IPA width 32, one level-1 root: PAR = [0, 2 GB)).
    for (const g of [RD, ROOT]) m.ok('GRANULE_DELEGATE', [g]);
    m.writeRealmParams(PARAMS, { s2sz: 32n, rttLevelStart: 1n, rttNumStart: 1n, rttBase: BigInt(ROOT), vmid: 1n, hashAlgo: 0n });
    m.ok('REALM_CREATE', [RD, PARAMS]);
    expect(rd(m).state).toBe('NEW');
    expect(m.state.vmids.get(1)).toBe(RD);
    const rim0 = rim(m);

    // -- RTTs down to level 3 for [0, 2 MB).
    for (const g of [L2, L3]) m.ok('GRANULE_DELEGATE', [g]);
    m.ok('RTT_CREATE', [RD, L2, 0, 2]);
    m.ok('RTT_CREATE', [RD, L3, 0, 3]);
    m.ok('GRANULE_DELEGATE', [L3B]);
    m.ok('RTT_CREATE', [RD, L3B, 0, 3], 'ERROR_RTT', 2); // the level-2 entry is already a TABLE
    expect(m.rmi('RTT_READ_ENTRY', [RD, 0, 2]).x).toEqual([2n, RTT_STATE.TABLE, BigInt(L3), 0n]);

    // -- RTT_INIT_RIPAS: [0x2000, 0x4000) becomes RAM; the RIM is extended.
    expect(m.ok('RTT_INIT_RIPAS', [RD, 0x2000, 0x4000]).x[0]).toBe(0x4000n);
    const rim1 = rim(m);
    expect(rim1).not.toBe(rim0);
    expect(m.rmi('RTT_READ_ENTRY', [RD, 0x2000, 3]).x).toEqual([3n, RTT_STATE.UNASSIGNED, 0n, RIPAS.RAM]);
    expect(m.rmi('RTT_READ_ENTRY', [RD, 0x1000, 3]).x).toEqual([3n, RTT_STATE.UNASSIGNED, 0n, RIPAS.EMPTY]);

    // -- DATA_CREATE measured vs unmeasured: the measured RIM depends on the content, the unmeasured
    //    one only on (ipa, flags). Shown on forks of the current (immutable) state.
    m.ok('GRANULE_DELEGATE', [DATA_M]);
    const rimAfter = (words: number[], flags: number): bigint => {
      const f = new CheckedMachine(faithful, DEFAULT_CONFIG, m.state);
      f.writeWords(SRC, words);
      f.ok('DATA_CREATE', [RD, DATA_M, 0, SRC, flags]);
      return rim(f);
    };
    expect(rimAfter([1, 2], 1)).not.toBe(rimAfter([3, 4], 1));
    expect(rimAfter([1, 2], 0)).toBe(rimAfter([3, 4], 0));
    expect(rimAfter([1, 2], 1)).not.toBe(rimAfter([1, 2], 0));

    m.writeWords(SRC, [0xaa, 0xbb, 0xcc]);
    m.ok('DATA_CREATE', [RD, DATA_M, 0, SRC, 1]); // measured
    const rim2 = rim(m);
    expect(rim2).not.toBe(rim1);
    m.ok('GRANULE_DELEGATE', [DATA_U]);
    m.ok('DATA_CREATE', [RD, DATA_U, 0x1000, SRC, 0]); // unmeasured
    const rim3 = rim(m);
    expect(rim3).not.toBe(rim2);
    m.ok('DATA_CREATE', [RD, DATA_U, 0x1000, SRC, 0], 'ERROR_INPUT'); // data no longer DELEGATED
    expect(m.rmi('RTT_READ_ENTRY', [RD, 0, 3]).x).toEqual([3n, RTT_STATE.ASSIGNED, BigInt(DATA_M), RIPAS.RAM]);
    expect(m.read(DATA_M)).toMatchObject({ kind: 'host-read', fault: 'GPF' }); // realm memory is not the host's
    expect(m.read(SRC, 3)).toMatchObject({ values: [0xaan, 0xbbn, 0xccn] });

    // -- A REC (runnable, MPIDR 0) with REC_AUX_COUNT aux granules; it cannot run while the realm is NEW.
    expect(m.ok('REC_AUX_COUNT', [RD]).x[0]).toBe(2n);
    for (const g of [REC, AUX0, AUX1]) m.ok('GRANULE_DELEGATE', [g]);
    m.writeRecParams(PARAMS, { flags: 1n, mpidr: 0n, pc: 0x1000n, gprs: [1n, 2n], numAux: 2n, aux: [BigInt(AUX0), BigInt(AUX1)] });
    m.ok('REC_CREATE', [RD, REC, PARAMS]);
    expect(rim(m)).not.toBe(rim3); // a runnable REC is measured
    expect(pget(m.state.granules, RD / 4096).refcount).toBe(1); // one REC
    m.ok('REC_ENTER', [REC, RUN], 'ERROR_REALM', 0);

    // -- Activate: the RIM is final; measured commands now fail with ERROR_REALM.
    const rim4 = rim(m);
    m.ok('REALM_ACTIVATE', [RD]);
    m.ok('REALM_ACTIVATE', [RD], 'ERROR_REALM');
    m.ok('GRANULE_DELEGATE', [DATA_K]);
    m.ok('DATA_CREATE', [RD, DATA_K, 0x2000, SRC, 0], 'ERROR_REALM');
    m.ok('RTT_INIT_RIPAS', [RD, 0x3000, 0x4000], 'ERROR_REALM');
    m.ok('REC_CREATE', [RD, DATA_K, PARAMS], 'ERROR_INPUT'); // aux granules are REC_AUX now
    expect(rim(m)).toBe(rim4);

    // -- DATA_CREATE_UNKNOWN after activation: zero content, RIPAS unchanged (RAM here), not measured.
    m.ok('DATA_CREATE_UNKNOWN', [RD, DATA_K, 0x2000]);
    expect(m.rmi('RTT_READ_ENTRY', [RD, 0x2000, 3]).x).toEqual([3n, RTT_STATE.ASSIGNED, BigInt(DATA_K), RIPAS.RAM]);
    expect(rim(m)).toBe(rim4);

    // -- RTT_FOLD of a level-3 table of UNASSIGNED entries, after destroying its data.
    m.ok('RTT_CREATE', [RD, L3B, 0x200000, 3]);
    m.ok('GRANULE_DELEGATE', [DATA_F]);
    m.ok('DATA_CREATE_UNKNOWN', [RD, DATA_F, 0x200000]); // RIPAS EMPTY stays EMPTY
    m.ok('RTT_FOLD', [RD, 0x200000, 3], 'ERROR_RTT', 3); // not homogeneous
    m.ok('RTT_DESTROY', [RD, 0x200000, 3], 'ERROR_RTT', 3); // live
    expect(m.ok('DATA_DESTROY', [RD, 0x200000]).x.slice(0, 2)).toEqual([BigInt(DATA_F), 0x400000n]);
    expect(m.ok('RTT_FOLD', [RD, 0x200000, 3]).x[0]).toBe(BigInt(L3B));
    expect(m.rmi('RTT_READ_ENTRY', [RD, 0x200000, 3]).x).toEqual([2n, RTT_STATE.UNASSIGNED, 0n, RIPAS.EMPTY]);
    expect(pget(m.state.granules, L2 / 4096).refcount).toBe(1);

    // -- Unprotected mappings: map / unmap a page; map a whole table and fold it into a 2 MB block.
    for (const g of [NS_L2, NS_L3]) m.ok('GRANULE_DELEGATE', [g]);
    m.ok('RTT_CREATE', [RD, NS_L2, NS_IPA, 2]);
    m.ok('RTT_CREATE', [RD, NS_L3, NS_IPA, 3]);
    m.ok('RTT_MAP_UNPROTECTED', [RD, 0x1000, 3, BigInt(NS_PAGE) | ATTRS], 'ERROR_INPUT'); // in the PAR
    m.ok('RTT_MAP_UNPROTECTED', [RD, NS_IPA, 3, BigInt(NS_PAGE) | ATTRS]);
    m.ok('RTT_MAP_UNPROTECTED', [RD, NS_IPA, 3, BigInt(NS_PAGE) | ATTRS], 'ERROR_RTT', 3); // already mapped
    expect(m.rmi('RTT_READ_ENTRY', [RD, NS_IPA, 3]).x).toEqual([3n, RTT_STATE.ASSIGNED, BigInt(NS_PAGE) | ATTRS, 0n]);
    expect(pget(m.state.granules, NS_L3 / 4096).refcount).toBe(0); // ASSIGNED_NS is not live
    expect(m.ok('RTT_UNMAP_UNPROTECTED', [RD, NS_IPA, 3]).x[0]).toBe(BigInt(NS_IPA + 0x200000)); // nothing mapped after it
    m.ok('RTT_UNMAP_UNPROTECTED', [RD, NS_IPA, 3], 'ERROR_RTT', 3);
    for (let i = 0; i < 512; i++) m.ok('RTT_MAP_UNPROTECTED', [RD, NS_IPA + i * 0x1000, 3, BigInt(NS_BLOCK + i * 0x1000) | ATTRS]);
    expect(m.ok('RTT_FOLD', [RD, NS_IPA, 3]).x[0]).toBe(BigInt(NS_L3));
    expect(m.rmi('RTT_READ_ENTRY', [RD, NS_IPA + 0x5000, 3]).x).toEqual([2n, RTT_STATE.ASSIGNED, BigInt(NS_BLOCK) | ATTRS, 0n]);
    m.ok('RTT_UNMAP_UNPROTECTED', [RD, NS_IPA, 3], 'ERROR_RTT', 2); // now a level-2 block
    m.ok('RTT_UNMAP_UNPROTECTED', [RD, NS_IPA, 2]);
    // A level-3 table again (unfolding UNASSIGNED_NS), with one page left mapped: ASSIGNED_NS does not
    // keep the table live, so RTT_DESTROY below drops the mapping.
    m.ok('RTT_CREATE', [RD, NS_L3, NS_IPA, 3]);
    m.ok('RTT_MAP_UNPROTECTED', [RD, NS_IPA + 0x1000, 3, BigInt(NS_PAGE) | ATTRS]);

    // -- Teardown. The realm is live (a REC, DATA, tables): REALM_DESTROY fails.
    m.ok('REALM_DESTROY', [RD], 'ERROR_REALM');
    m.ok('RTT_DESTROY', [RD, 0, 3], 'ERROR_RTT', 3); // still maps DATA
    m.ok('REC_DESTROY', [REC]);
    m.ok('REC_DESTROY', [REC], 'ERROR_INPUT');
    expect(pget(m.state.granules, RD / 4096).refcount).toBe(0);
    expect(m.ok('DATA_DESTROY', [RD, 0]).x.slice(0, 2)).toEqual([BigInt(DATA_M), 0x1000n]); // top = next mapped IPA
    expect(m.ok('DATA_DESTROY', [RD, 0x1000]).x.slice(0, 2)).toEqual([BigInt(DATA_U), 0x2000n]);
    expect(m.ok('DATA_DESTROY', [RD, 0x2000]).x.slice(0, 2)).toEqual([BigInt(DATA_K), 0x200000n]); // end of the table
    m.ok('DATA_DESTROY', [RD, 0x2000], 'ERROR_RTT', 3);
    expect(m.rmi('RTT_READ_ENTRY', [RD, 0, 3]).x).toEqual([3n, RTT_STATE.UNASSIGNED, 0n, RIPAS.DESTROYED]); // RAM → DESTROYED
    expect(m.ok('RTT_DESTROY', [RD, 0, 3]).x[0]).toBe(BigInt(L3));
    expect(m.ok('RTT_DESTROY', [RD, NS_IPA, 3]).x[0]).toBe(BigInt(NS_L3));
    m.ok('REALM_DESTROY', [RD], 'ERROR_REALM'); // level-2 tables remain
    expect(m.ok('RTT_DESTROY', [RD, NS_IPA, 2]).x[0]).toBe(BigInt(NS_L2));
    expect(m.ok('RTT_DESTROY', [RD, 0, 2]).x[0]).toBe(BigInt(L2));
    m.ok('REALM_DESTROY', [RD]);
    m.ok('REALM_DESTROY', [RD], 'ERROR_INPUT');
    expect(m.state.vmids.size).toBe(0);

    // -- Everything the realm and the RMM used is DELEGATED (and zero); undelegate it all.
    for (const g of REALM_GRANULES) {
      expect(pget(m.state.granules, g / 4096).state, `granule 0x${g.toString(16)}`).toBe('DELEGATED');
      m.ok('GRANULE_UNDELEGATE', [g]);
    }

    // -- The host reads zero everywhere the realm or the RMM had data.
    for (const g of REALM_GRANULES) {
      const o = m.read(g, 512);
      expect(o.kind === 'host-read' && o.fault, `host read of 0x${g.toString(16)}`).toBeFalsy();
      expect(o.kind === 'host-read' && o.values!.every((v) => v === 0n), `granule 0x${g.toString(16)} is zero`).toBe(true);
    }

    // -- The host clears what it wrote itself; memory is then exactly as it began.
    for (const g of HOST_GRANULES) m.writeWords(g, new Array(512).fill(0));
    const final = m.state;
    const home = initialState(DEFAULT_CONFIG);
    for (let i = 0; i < final.granules.size; i++) {
      const g = pget(final.granules, i);
      expect(g.state).toBe('UNDELEGATED');
      expect(g.pas).toBe(pget(home.granules, i).pas); // NS, or the configured SECURE / ROOT
    }
    expect(ptoArray(final.granules)).toEqual(ptoArray(initial.granules));
    expect(final.vmids).toEqual(initial.vmids);
    expect(final.cpus).toEqual(initial.cpus);
    expect(m.steps).toBeGreaterThan(600); // the invariants were checked after each of them
  });

  it('ASSIGNED blocks: 512 DATA pages fold into a 2 MB block, unfold again, and are destroyed', () => {
    // 2048 granules (8 MB of PA space), so that a 2 MB-aligned run of 512 DATA granules exists.
    const cfg: Config = { ...DEFAULT_CONFIG, granules: 2048, secureGranules: [2040], rootGranules: [2041], mmioRanges: [[2046, 2048]] };
    const m = new CheckedMachine(faithful, cfg);
    const initial = m.state;
    const BLOCK_PA = 0x200000; // granules 512..1023
    const BLOCK_IPA = 0x200000;
    for (const g of [RD, ROOT, L2, L3]) m.ok('GRANULE_DELEGATE', [g]);
    m.writeRealmParams(PARAMS, { s2sz: 32n, rttLevelStart: 1n, rttNumStart: 1n, rttBase: BigInt(ROOT), vmid: 1n });
    m.ok('REALM_CREATE', [RD, PARAMS]);
    m.ok('RTT_CREATE', [RD, L2, 0, 2]);
    m.ok('RTT_CREATE', [RD, L3, BLOCK_IPA, 3]);
    m.ok('RTT_INIT_RIPAS', [RD, BLOCK_IPA, BLOCK_IPA + 0x200000]);
    for (let i = 0; i < 512; i++) {
      m.ok('GRANULE_DELEGATE', [BLOCK_PA + i * 0x1000]);
      m.ok('DATA_CREATE_UNKNOWN', [RD, BLOCK_PA + i * 0x1000, BLOCK_IPA + i * 0x1000]);
    }
    expect(pget(m.state.granules, L3 / 4096).refcount).toBe(512);
    // Fold: the level-2 entry becomes an ASSIGNED 2 MB block (still live: L2's refcount stays 1).
    expect(m.ok('RTT_FOLD', [RD, BLOCK_IPA, 3]).x[0]).toBe(BigInt(L3));
    expect(m.rmi('RTT_READ_ENTRY', [RD, BLOCK_IPA + 0x5000, 3]).x).toEqual([2n, RTT_STATE.ASSIGNED, BigInt(BLOCK_PA), RIPAS.RAM]);
    expect(pget(m.state.granules, L2 / 4096).refcount).toBe(1);
    m.ok('DATA_DESTROY', [RD, BLOCK_IPA + 0x1000], 'ERROR_RTT', 2); // mapped as a block
    m.ok('RTT_DESTROY', [RD, BLOCK_IPA, 3], 'ERROR_RTT', 2); // no table there
    m.ok('REALM_ACTIVATE', [RD]);
    // Unfold (RTT_CREATE under the block): 512 ASSIGNED entries again, refcount 512.
    m.ok('RTT_CREATE', [RD, L3, BLOCK_IPA, 3]);
    expect(pget(m.state.granules, L3 / 4096).refcount).toBe(512);
    expect(m.rmi('RTT_READ_ENTRY', [RD, BLOCK_IPA + 0x5000, 3]).x).toEqual([3n, RTT_STATE.ASSIGNED, BigInt(BLOCK_PA + 0x5000), RIPAS.RAM]);
    for (let i = 0; i < 512; i++) m.ok('DATA_DESTROY', [RD, BLOCK_IPA + i * 0x1000]);
    // All UNASSIGNED/DESTROYED now: folds into one unassigned entry.
    m.ok('RTT_FOLD', [RD, BLOCK_IPA, 3]);
    expect(m.rmi('RTT_READ_ENTRY', [RD, BLOCK_IPA, 3]).x).toEqual([2n, RTT_STATE.UNASSIGNED, 0n, RIPAS.DESTROYED]);
    m.ok('RTT_DESTROY', [RD, 0, 2]);
    m.ok('REALM_DESTROY', [RD]);
    for (const g of [RD, ROOT, L2, L3]) m.ok('GRANULE_UNDELEGATE', [g]);
    for (let i = 0; i < 512; i++) m.ok('GRANULE_UNDELEGATE', [BLOCK_PA + i * 0x1000]);
    m.writeWords(PARAMS, new Array(512).fill(0));
    expect(ptoArray(m.state.granules)).toEqual(ptoArray(initial.granules));
  });

  it('a realm with four level-2 roots (IPA width 32) goes through the same lifecycle', () => {
    const m = new CheckedMachine();
    const initial = m.state;
    const roots = [G(16), G(17), G(18), G(19)]; // 16 KB-aligned run
    for (const g of [RD, ...roots, L3, DATA_M]) m.ok('GRANULE_DELEGATE', [g]);
    m.writeRealmParams(PARAMS, { s2sz: 32n, rttLevelStart: 2n, rttNumStart: 4n, rttBase: BigInt(G(17)), vmid: 7n });
    m.ok('REALM_CREATE', [RD, PARAMS], 'ERROR_INPUT'); // rtt_base not aligned to 4 granules
    m.writeRealmParams(PARAMS, { s2sz: 32n, rttLevelStart: 2n, rttNumStart: 2n, rttBase: BigInt(roots[0]), vmid: 7n });
    m.ok('REALM_CREATE', [RD, PARAMS], 'ERROR_INPUT'); // wrong number of roots
    m.writeRealmParams(PARAMS, { s2sz: 32n, rttLevelStart: 2n, rttNumStart: 4n, rttBase: BigInt(roots[0]), vmid: 7n });
    m.ok('REALM_CREATE', [RD, PARAMS]);
    // IPA 3 GB lies in the fourth root (each root covers 1 GB at level 2).
    m.ok('RTT_CREATE', [RD, L3, 0x40000000, 2], 'ERROR_INPUT'); // level 2 is the start level
    m.ok('RTT_CREATE', [RD, L3, 0x40200000, 3]);
    m.ok('DATA_CREATE_UNKNOWN', [RD, DATA_M, 0x40201000]);
    expect(m.rmi('RTT_READ_ENTRY', [RD, 0x40201000, 3]).x).toEqual([3n, RTT_STATE.ASSIGNED, BigInt(DATA_M), RIPAS.EMPTY]);
    m.ok('REALM_DESTROY', [RD], 'ERROR_REALM');
    m.ok('DATA_DESTROY', [RD, 0x40201000]);
    m.ok('RTT_DESTROY', [RD, 0x40200000, 3]);
    m.ok('REALM_DESTROY', [RD]);
    for (const g of [RD, ...roots, L3, DATA_M]) m.ok('GRANULE_UNDELEGATE', [g]);
    m.writeWords(PARAMS, new Array(512).fill(0));
    expect(ptoArray(m.state.granules)).toEqual(ptoArray(initial.granules));
  });
});
