// RMI_REC_ENTER(rec, run_ptr): checks in TF-RMM order (passes the ACS); on success the REC starts
// running on this CPU. The call completes when the REC exits (a later `realm` step writes the exit
// record into run_ptr and returns the status).
import { REC, realmError } from '../status';
import { ENTRY_FLAGS, REC_ENTRY } from '../layout';
import { arg, row } from '../command';
import type { RecEntry, RmiCommand } from '../spec';
import { granuleRows, inMemory, nsRows } from '../checks';
import { readWord, readWords } from '../memory';
import { RealState, Rec, rdOf, recOf } from '../state';


export function readRecEntry(s: RealState, run: number): RecEntry {
  return {
    flags: readWord(s, run, REC_ENTRY.flags),
    gprs: readWords(s, run, REC_ENTRY.gprs, 31),
    gicHcr: readWord(s, run, REC_ENTRY.gicv3Hcr),
    gicLrs: readWords(s, run, REC_ENTRY.gicv3Lrs, 16),
  };
}

/**
 * The GIC state the host passes at entry (reference: "HCR RES0 bits, LR with HW=1, ..."; the details
 * are TF-RMM's gic_validate_state). ICH_HCR_EL2 may only hold the bits the host controls: UIE,
 * LRENPIE, NPIE, VGrp{0,1}{E,D}IE ([7:1]) and TDIR (14); the RMM owns En. Each implemented list
 * register that is not Invalid must have HW = 0, no pINTID bits but EOI, a vINTID in an implemented
 * range (SPI/PPI/SGI 0-1019 or LPI 8192-65535 with 16 ID bits), and no two may name the same
 * vINTID. LRs beyond the implemented ones are ignored. (Priority RES0 bits depend on the
 * implemented priority bits: not modelled.)
 */
export const GIC_HCR_ALLOWED = 0xfen | (1n << 14n);
export const LR_HW = 1n << 61n;
const LR_STATE = 3n << 62n;
const LR_PINTID = 0x1fffn << 32n;
const LR_EOI = 1n << 41n;
const VINTID = 0xffffffffn;
export function gicStateInvalid(e: RecEntry, numLrs: number): boolean {
  if ((e.gicHcr & ~GIC_HCR_ALLOWED) !== 0n) return true;
  const seen = new Set<bigint>();
  for (const lr of e.gicLrs.slice(0, numLrs)) {
    if ((lr & LR_STATE) === 0n) continue;
    const intid = lr & VINTID;
    if ((lr & LR_HW) !== 0n || (lr & LR_PINTID & ~LR_EOI) !== 0n) return true;
    if (!(intid <= 1019n || (intid >= 8192n && intid <= 65535n)) || seen.has(intid)) return true;
    seen.add(intid);
  }
  return false;
}

interface C { s: RealState; cpu: number; rec: bigint; run: bigint; e: RecEntry }

/**
 * The entry is read when a row first needs it: the run_ptr rows come first, and a run_ptr to a granule
 * in another state would otherwise have its content digested for nothing (an RTT's 512 entries: a
 * failing REC_ENTER cost 240-400 us, 3% of a check's profile at 1,024 granules). A class, not an object
 * literal with a getter: V8 gives such a literal dictionary properties and an accessor pair it does not
 * collect young, so the getter's closure, and the state the call saw, outlived the call until the next
 * full collection (with REC_CREATE's and REALM_CREATE's, a sixth of the real machine's allocation was
 * promoted; test/structure/hidden-classes.test.ts).
 */
class Context implements C {
  private entry: RecEntry | undefined;
  constructor(readonly s: RealState, readonly cpu: number, readonly rec: bigint, readonly run: bigint) {}
  get e(): RecEntry {
    return (this.entry ??= readRecEntry(this.s, inMemory(this.s, this.run) ? Number(this.run & ~0xfffn) : 0));
  }
}

const recAt = (c: C): Rec => recOf(c.s, Number(c.rec));
const realmState = (c: C) => rdOf(c.s, recAt(c).owner).state;

export const REC_ENTER: RmiCommand<C> = {
  name: 'REC_ENTER',
  context: (s, x, cpu) => new Context(s, cpu, arg(x, 0), arg(x, 1)),
  failures: [
    // Ordered [A]: run_ptr checks come before every realm / REC state check.
    ...nsRows<C>('run', (c) => c.run),
    ...granuleRows<C>('rec', (c) => c.rec, 'REC'),
    row('rec_running', (c) => recAt(c).state === 'RUNNING', REC),
    row('realm_new', (c) => realmState(c) === 'NEW', realmError(0)),
    row('system_off', (c) => realmState(c) === 'SYSTEM_OFF', realmError(1)),
    row('rec_runnable', (c) => !recAt(c).runnable, REC),
    row('rec_psci_pending', (c) => recAt(c).psciPending !== null, REC),
    row('rec_gicv3', (c) => gicStateInvalid(c.e, c.s.cfg.gicNumLrs), REC),
    // INJECT_SEA answers a data abort at an unprotected IPA (emulatable or not).
    row('inject_sea', (c) => (c.e.flags & ENTRY_FLAGS.INJECT_SEA) !== 0n && !['unprotected-da', 'emulatable-da'].includes(recAt(c).lastExit.kind), REC),
    row('emul_mmio', (c) => (c.e.flags & ENTRY_FLAGS.EMUL_MMIO) !== 0n && recAt(c).lastExit.kind !== 'emulatable-da', REC),
  ],
  effect: (c, spec) => spec.enterRec(c.s, c.cpu, Number(c.rec), Number(c.run), c.e),
};
