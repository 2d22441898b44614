// The fixed programs of known endpoints (issue 11, reference §7 "Robust safety"): a known endpoint K
// runs one lifecycle in a loop — write a secret into a page it owns; share, lend or donate it
// (possibly fragmented); tell an unknown SP borrower the handle by a direct request; the borrower, if
// known, retrieves; use (the borrower reads and writes the page, K reads it); the borrower, if known,
// relinquishes; K reclaims — then the next iteration. The choices (which ABI, which borrowers, which
// pages, permissions, clear flags) are drawn once per iteration. Each step is guarded by what K can
// observe (its own transactions, its borrowers' retrieve state), as a real program checks return
// codes: a step with nothing to do does nothing, and a leftover transaction is reclaimed first. A
// program never misbehaves (no wrong sender, no excess permissions, no clear where it is refused);
// the unknown endpoints, interleaved with the programs, do everything else.
import fc from 'fast-check';
import { Cfg } from '../../real/ffa/config';
import { FID, Func, M, PAGE, pageState, valid } from '../../real/ffa/consts';
import { Action, RealState } from '../../real/ffa/machine';
import { Txn, modeAt, runningOn } from '../../real/ffa/state';
import { encodeMemDesc, encodeRelinquish, wordsOf } from '../../real/ffa/descriptor';

/** Choices of one program iteration. */
export interface Iter {
  readonly func: Func;
  /** Index of the first borrower among the valid ones, and whether to add a second (SHARE/LEND). */
  readonly recv: number;
  readonly two: boolean;
  /** Index of the first page among K's Owner-EA pages; a second constituent page; send in two fragments. */
  readonly page: number;
  readonly pages2: boolean;
  readonly frag: boolean;
  /** Read-write (else read-only) for SHARE/LEND; the borrower asks for less (read-only) than granted. */
  readonly rw: boolean;
  readonly askLess: boolean;
  /** Clear flags: at send (LEND/DONATE), at relinquish (LEND, read-write borrower), at reclaim. */
  readonly clear: boolean;
  readonly relClear: boolean;
  readonly recClear: boolean;
  /** The known borrower does not retrieve this time (K reclaims an unretrieved transaction). */
  readonly skipRetrieve: boolean;
  /** Send the handle to an unknown SP borrower by a direct request (K waits for its response). */
  readonly notify: boolean;
  readonly secret: bigint;
}

export const STEPS = ['send', 'notify', 'retrieve', 'use', 'relinquish', 'reclaim'] as const;
export type Step = (typeof STEPS)[number];

export const iterArb: fc.Arbitrary<Iter> = fc.record({
  func: fc.constantFrom<Func>('SHARE', 'LEND', 'DONATE'), recv: fc.nat({ max: 7 }), two: fc.boolean(), page: fc.nat({ max: 15 }),
  pages2: fc.boolean(), frag: fc.boolean(), rw: fc.boolean(), askLess: fc.nat({ max: 3 }).map((n) => n === 0),
  clear: fc.boolean(), relClear: fc.boolean(), recClear: fc.nat({ max: 3 }).map((n) => n === 0),
  skipRetrieve: fc.nat({ max: 4 }).map((n) => n === 0), notify: fc.nat({ max: 2 }).map((n) => n === 0),
  secret: fc.bigInt({ min: 1n, max: (1n << 64n) - 1n }),
});

const pick = <T>(xs: readonly T[], n: number): T | undefined => (xs.length ? xs[n % xs.length] : undefined);
const pagesOf = (t: Txn): number[] => t.constituents.flatMap((c) => Array.from({ length: c.count }, (_, k) => c.page + k));
const h32 = (h: bigint): [number, number] => [Number(h & 0xffffffffn), Number(h >> 32n)];

/** The concrete actions of step `pc` of known endpoint k's program, in iteration choices `it`. */
export function programStep(s: RealState, k: number, pc: number, it: Iter, cpu: number, c: Cfg): readonly Action[] {
  const K = s.eps[k];
  // An endpoint acts only on a vCPU that runs on this CPU and is not waiting for a direct response.
  const free = (j: number): boolean => { const v = runningOn(s.eps[j], cpu); return v >= 0 && s.eps[j].vcpus[v].waiting < 0; };
  const smc = (j: number, ...regs: (bigint | number)[]): Action => ({ kind: 'smc', cpu, ep: s.eps[j].id, regs: regs.map((r) => (typeof r === 'bigint' ? r : BigInt(r >>> 0))) });
  const toTx = (j: number, b: Uint8Array): Action => ({ kind: 'stores', cpu, ep: s.eps[j].id, addr: BigInt(Math.max(0, s.eps[j].mbox.tx) * PAGE), values: wordsOf(b) });
  const idx = (id: number): number => s.eps.findIndex((e) => e.id === id);
  const known = (id: number): boolean => c.known.includes(id);
  const mine = s.txns.filter((t): t is Txn => t !== null && t.sender === K.id);
  const T = mine.find((t) => t.complete);
  // Known borrowers of T that can act now.
  const borrowers = (pred: (r: Txn['receivers'][number]) => boolean): number[] =>
    T ? T.receivers.filter((r) => r.id !== K.id && known(r.id) && pred(r)).map((r) => idx(r.id)).filter((j) => j >= 0 && free(j)) : [];
  const step: Step = STEPS[pc % STEPS.length];

  switch (step) {
    case 'send': {
      if (!free(k)) return [];
      // A transaction left from an earlier iteration (its reclaim was refused, e.g. an unknown
      // borrower still held it) is reclaimed first.
      if (T) return [smc(k, FID.MEM_RECLAIM, ...h32(T.handle), it.recClear && (T.origMode & M.W) !== 0 ? 1 : 0)];
      if (K.mbox.tx < 0) return [];
      return send(s, k, it, cpu, c, smc, toTx);
    }
    case 'notify': {
      if (!T || !it.notify || !free(k)) return [];
      const r = pick(T.receivers.filter((x) => !known(x.id) && (x.id & 0x8000) !== 0 && c.endpoints.find((e) => e.id === x.id)?.direct), 0);
      if (!r) return [];
      const [lo, hi] = h32(T.handle);
      return [smc(k, FID.MSG_SEND_DIRECT_REQ, ((K.id << 16) | r.id) >>> 0, 0, lo, hi)];
    }
    case 'retrieve': {
      if (it.skipRetrieve) return [];
      const out: Action[] = [];
      const single = T ? T.func === 'DONATE' || (T.func === 'LEND' && T.receivers.length === 1) : false;
      for (const j of borrowers((r) => r.retrieved === 0)) {
        const R = s.eps[j], t = T as Txn;
        if (R.mbox.tx < 0) continue;
        const granted = t.receivers.find((r) => r.id === R.id)!.perms & 3;
        const data = t.func === 'DONATE' ? 0 : it.askLess ? 1 : granted;
        const instr = single ? 1 : 0; // single-borrower LEND/DONATE name X/NX (NX); the others leave it unspecified
        const recv = t.receivers.map((r) => ({ id: r.id, perms: r.id === R.id ? data | (instr << 2) : (single ? 1 << 2 : 0) | (r.perms & 3), flags: 0 }));
        const b = encodeMemDesc({ sender: t.sender, attrs: 0, flags: 0, handle: t.handle, tag: t.tag, receivers: recv, constituents: [], noComposite: true });
        if (R.mbox.full) out.push(smc(j, FID.RX_RELEASE));
        out.push(toTx(j, b), smc(j, FID.MEM_RETRIEVE_REQ, b.length, b.length));
      }
      return out;
    }
    case 'use': {
      const out: Action[] = [];
      const page = T ? pagesOf(T)[0] : undefined;
      for (const j of borrowers((r) => r.retrieved > 0)) {
        const R = s.eps[j], t = T as Txn, r = t.receivers.find((x) => x.id === R.id)!;
        const ep = R.id;
        if (R.mbox.rx >= 0) out.push({ kind: 'load', cpu, ep, addr: BigInt(R.mbox.rx * PAGE), reg: 8 });
        if (R.mbox.full) out.push(smc(j, FID.RX_RELEASE));
        // The rest of a fragmented retrieve response (reference §4.4).
        if (r.retrieved < t.fragCounts.length) {
          const off = 80 + 16 * t.fragCounts.slice(0, r.retrieved).reduce((a, n) => a + n, 0);
          out.push(smc(j, FID.MEM_FRAG_RX, ...h32(t.handle), off, 0), smc(j, FID.RX_RELEASE));
        }
        if (page === undefined) continue;
        out.push({ kind: 'load', cpu, ep, addr: BigInt(page * PAGE), reg: 9 });
        if (valid(modeAt(R, page)) && (modeAt(R, page) & M.W) !== 0) {
          out.push({ kind: 'mov', cpu, ep, dst: 21, imm: it.secret ^ 0xb0b0n, secret: true }, { kind: 'store', cpu, ep, addr: BigInt(page * PAGE + 8), reg: 21 });
        }
      }
      // K reads its page: SHARE keeps its access (Owner-SA), LEND and DONATE fault (reference §6 rule 8).
      if (page !== undefined && free(k)) out.push({ kind: 'load', cpu, ep: K.id, addr: BigInt(page * PAGE), reg: 10 });
      return out;
    }
    case 'relinquish': {
      const out: Action[] = [];
      for (const j of borrowers((r) => r.retrieved > 0 && r.retrieved === (T as Txn).fragCounts.length)) {
        const R = s.eps[j], t = T as Txn, r = t.receivers.find((x) => x.id === R.id)!;
        if (R.mbox.tx < 0) continue;
        // Clear only where it is allowed: a read-write borrower of a LEND.
        const clear = it.relClear && t.func === 'LEND' && (r.mode & M.W) !== 0 ? 1 : 0;
        out.push(toTx(j, encodeRelinquish(t.handle, clear, [R.id])), smc(j, FID.MEM_RELINQUISH));
      }
      return out;
    }
    case 'reclaim': {
      if (!T || !free(k)) return [];
      return [smc(k, FID.MEM_RECLAIM, ...h32(T.handle), it.recClear && (T.origMode & M.W) !== 0 ? 1 : 0)];
    }
  }
}

/** A well-formed send of one or two pages K owns exclusively to valid borrowers (reference §4.1). */
function send(s: RealState, k: number, it: Iter, cpu: number, c: Cfg, smc: (j: number, ...r: (bigint | number)[]) => Action, toTx: (j: number, b: Uint8Array) => Action): readonly Action[] {
  const K = s.eps[k];
  const others = s.eps.map((_, j) => j).filter((j) => j !== k);
  const sps = others.filter((j) => s.eps[j].sp);
  // The SPMC's world rules (§4.1.9): LEND and DONATE need SP borrowers, an SP shares only with SPs,
  // a normal-world SHARE needs an SP first (a VM may be the second borrower).
  const first = pick(sps, it.recv);
  if (first === undefined) return [];
  const multi = it.func !== 'DONATE' && it.two;
  const pool = [...sps, ...(K.sp || it.func !== 'SHARE' ? [] : others.filter((j) => !s.eps[j].sp))].filter((j) => j !== first);
  const second = multi ? pick(pool, it.recv + 1) : undefined;
  const recv = second === undefined ? [first] : [first, second];
  const single = recv.length === 1 && it.func !== 'SHARE';
  const own: number[] = [];
  for (let p = 0; p < s.cfg.pages; p++) {
    const m = modeAt(K, p);
    if (p === K.mbox.tx || p === K.mbox.rx || pageState(m) !== 'Owner-EA') continue;
    // Device memory only in a single-borrower LEND (§4.1.20).
    if ((m & M.D) !== 0 && !(it.func === 'LEND' && recv.length === 1)) continue;
    own.push(p);
  }
  const base = pick(own, it.page);
  if (base === undefined) return [];
  // All constituents in one mode (§4.1.19: differing modes are DENIED).
  const extra = it.pages2 ? pick(own.filter((p) => p !== base && modeAt(K, p) === modeAt(K, base)), it.page + 1) : undefined;
  const device = (modeAt(K, base) & M.D) !== 0;
  const pages = extra === undefined ? [base] : [base, extra];
  const data = it.rw ? 2 : 1;
  // Clear is refused on SHARE and without write access (§4.1.7, §4.1.22).
  const clear = it.func !== 'SHARE' && it.clear && pages.every((p) => (modeAt(K, p) & M.W) !== 0);
  // SHARE and multi-borrower LEND state normal WB inner-shareable memory; the others leave it unspecified (§4.1.14).
  const attrs = single || it.func === 'DONATE' ? 0 : device ? 0 : 0x2f;
  const b = encodeMemDesc({
    sender: K.id, attrs, flags: clear ? 1 : 0, handle: 0n, tag: 0n,
    receivers: recv.map((j) => ({ id: s.eps[j].id, perms: it.func === 'DONATE' ? 0 : data, flags: 0 })),
    constituents: pages.map((p) => ({ addr: BigInt(p * PAGE), pages: 1 })),
  });
  const fid = it.func === 'SHARE' ? FID.MEM_SHARE : it.func === 'LEND' ? FID.MEM_LEND : FID.MEM_DONATE;
  // The secret K keeps in the page before it lets it go (so a missing clear shows).
  const out: Action[] = (modeAt(K, base) & M.W) !== 0 ? [
    { kind: 'mov', cpu, ep: K.id, dst: 20, imm: it.secret, secret: true }, { kind: 'store', cpu, ep: K.id, addr: BigInt(base * PAGE), reg: 20 },
  ] : [];
  if (!(it.frag && pages.length === 2) || c.maxFragments < 2) return [...out, toTx(k, b), smc(k, fid, b.length, b.length)];
  // Two fragments: the header, EMADs, composite and first constituent, then the second constituent.
  const len1 = 48 + 16 * recv.length + 32;
  const slot = s.txns.findIndex((t) => t === null);
  return [...out, toTx(k, b.slice(0, len1)), smc(k, fid, b.length, len1), toTx(k, b.slice(len1)), smc(k, FID.MEM_FRAG_TX, Math.max(0, slot), 0, b.length - len1, 0)];
}
