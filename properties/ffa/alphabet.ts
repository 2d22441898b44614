// FF-A's finite action alphabet for exhaustive small-scope runs (`explore --system ffa --depth D`).
// From each state, for each endpoint whose vCPU can run: descriptors written into its TX (a send to
// each other endpoint, read-write; a read-only send with the clear flag; a send naming another
// endpoint as sender; overlapping constituents; a retrieve of each live transaction it borrows in, as
// granted and asking for more; a relinquish of each, with and without clear; an indirect message to
// each other endpoint), the calls that consume them (SHARE/LEND/DONATE, RETRIEVE_REQ, RELINQUISH,
// MSG_SEND2), RECLAIM of each transaction it sent, RX_RELEASE, PARTITION_INFO_GET (all, one), direct
// requests and responses (to the requester and to another endpoint), a store to its own page and a
// load and store on each page it borrowed. Writing TX and calling are separate letters, as for an
// endpoint: a call that re-reads a TX written earlier is a real schedule.

import { Cfg } from '../../real/ffa/config';
import { FID, PAGE, M, valid } from '../../real/ffa/consts';
import type { Action, RealState } from '../../real/ffa/machine';
import { Txn, modeAt, runningOn } from '../../real/ffa/state';
import { encodeMemDesc, encodeMessage, encodeRelinquish, wordsOf } from '../../real/ffa/descriptor';
import type { Ideal } from '../../ideal/ffa/machine';

const ep = (id: number, base: number, attrs: 'RW' | 'RWX') => ({
  id, vcpus: 1, uuid: [0x1000 + id, 0, 0, id & 0xff], regions: [{ base: base * PAGE, pages: 1, attrs, device: false }],
  tx: (base + 1) * PAGE, rx: (base + 2) * PAGE, direct: true, indirect: true,
});
/** One CPU; a VM and two SPs, each with one page, TX and RX; 16 words per page (a one-receiver,
 *  one-constituent descriptor is 96 bytes: fewer words would cut it off in TX); two transactions. */
export const SMALL_SCOPE: Partial<Cfg> = {
  cpus: 1, pages: 11, words: 16,
  nsRange: [0, 3 * PAGE], secureRange: [3 * PAGE, 11 * PAGE], spmc: { base: 9 * PAGE, pages: 2 },
  endpoints: [ep(0x0001, 0, 'RWX'), ep(0x8001, 3, 'RWX'), ep(0x8002, 6, 'RW')],
  known: [], maxShares: 2, maxRecipients: 1, maxFragments: 1,
};

const SEND_LEN = 96, OVERLAP_LEN = 112, RETRIEVE_LEN = 64;
const live = (s: RealState): Txn[] => s.txns.filter((t): t is Txn => t !== null);

export function alphabet(c: Cfg, s: RealState): Action[] {
  const out: Action[] = [];
  s.eps.forEach((me, k) => {
    const cpu = 0, id = me.id;
    const v = runningOn(me, cpu);
    if (v < 0 || me.vcpus[v].waiting >= 0) return;                // blocked until a direct response
    const smc = (...regs: (bigint | number)[]): Action => ({ kind: 'smc', cpu, ep: id, regs: regs.map((r) => (typeof r === 'bigint' ? r : BigInt(r >>> 0))) });
    const tx = (b: Uint8Array): Action => ({ kind: 'stores', cpu, ep: id, addr: BigInt(Math.max(me.mbox.tx, 0) * PAGE), values: wordsOf(b) });
    const others = s.eps.filter((_, j) => j !== k);
    const own = c.endpoints[k].regions[0].base / PAGE;
    const desc = (sender: number, recv: number, perms: number, flags: number, pages: readonly number[]) => encodeMemDesc({
      sender, attrs: 0, flags, handle: 0n, tag: 0n, receivers: [{ id: recv, perms, flags: 0 }], constituents: pages.map((p) => ({ addr: BigInt(p * PAGE), pages: 1 })),
    });
    // Sends: read-write to each other endpoint; read-only with clear to the first; the second endpoint's
    // page named with it as the sender (a spoof); the own page twice (overlapping constituents).
    for (const o of others) out.push(tx(desc(id, o.id, 2, 0, [own])));
    out.push(tx(desc(id, others[0].id, 1, 1, [own])));
    const victim = others[1], vpage = c.endpoints[s.eps.indexOf(victim)].regions[0].base / PAGE;
    out.push(tx(desc(victim.id, others[0].id, 2, 0, [vpage])), tx(desc(id, others[0].id, 2, 0, [own, own])));
    out.push(smc(FID.MEM_SHARE, SEND_LEN, SEND_LEN), smc(FID.MEM_LEND, SEND_LEN, SEND_LEN), smc(FID.MEM_DONATE, SEND_LEN, SEND_LEN), smc(FID.MEM_LEND, OVERLAP_LEN, OVERLAP_LEN));
    // Borrowing: retrieve each transaction that names it (as granted, and read-write), relinquish it.
    for (const t of live(s)) {
      const r = t.receivers.find((x) => x.id === id);
      if (!r) continue;
      const instr = t.func === 'SHARE' ? 0 : 1;  // a single borrower of a LEND or DONATE may ask for NX
      const ret = (data: number) => tx(encodeMemDesc({ sender: t.sender, attrs: 0, flags: 0, handle: t.handle, tag: t.tag, receivers: [{ id, perms: data | (instr << 2), flags: 0 }], constituents: [], noComposite: true }));
      out.push(ret(r.perms & 3), ...((r.perms & 3) !== 2 ? [ret(2)] : []));
      out.push(tx(encodeRelinquish(t.handle, 0, [id])), tx(encodeRelinquish(t.handle, 1, [id])));
    }
    if (live(s).some((t) => t.receivers.some((x) => x.id === id))) out.push(smc(FID.MEM_RETRIEVE_REQ, RETRIEVE_LEN, RETRIEVE_LEN), smc(FID.MEM_RELINQUISH));
    for (const t of live(s)) if (t.sender === id) out.push(smc(FID.MEM_RECLAIM, Number(t.handle & 0xffffffffn), Number(t.handle >> 32n), 0));
    // Mailbox and discovery: a message to each other endpoint, the send, RX release, partition info.
    for (const o of others) out.push(tx(encodeMessage(id, o.id, [0x5e11n])));
    out.push(smc(FID.MSG_SEND2, 0, 0));
    if (me.mbox.full) out.push(smc(FID.RX_RELEASE));
    out.push(smc(FID.PARTITION_INFO_GET, 0, 0, 0, 0, 0), smc(FID.PARTITION_INFO_GET, ...c.endpoints[k].uuid, 0));
    // Direct messaging: a request to each other endpoint; when serving, a response to the requester
    // and to another endpoint.
    const vc = me.vcpus[v];
    if (vc.serving < 0) for (const o of others) out.push(smc(FID.MSG_SEND_DIRECT_REQ, (id << 16) | o.id, 0, 0, 1));
    else {
      const wrong = others.find((o) => o.id !== vc.serving)!;
      out.push(smc(FID.MSG_SEND_DIRECT_RESP, (id << 16) | vc.serving, 0, 0, 2), smc(FID.MSG_SEND_DIRECT_RESP, (id << 16) | wrong.id, 0, 0, 2));
    }
    // Memory: a secret into its own page; a load and a store on every page it borrowed.
    out.push({ kind: 'stores', cpu, ep: id, addr: BigInt(own * PAGE), values: [0x5ec0n + BigInt(k)] });
    for (let p = 0; p < c.pages; p++) {
      if (p === own || p === me.mbox.tx || p === me.mbox.rx || !valid(modeAt(me, p)) || (modeAt(me, p) & M.UNOWNED) === 0) continue;
      out.push({ kind: 'load', cpu, ep: id, addr: BigInt(p * PAGE), reg: 8 }, { kind: 'stores', cpu, ep: id, addr: BigInt(p * PAGE), values: [0xb0n + BigInt(k)] });
    }
  });
  return out;
}

/** What matters of a pair: the real endpoints (modes, mailbox, vCPUs), memory and transactions, and
 *  the ideal's state; not the configuration, nor the ghost flows the checks here do not read. */
export function stateKey(r: RealState, i: Ideal): string {
  const real = JSON.stringify([r.eps, r.mem, r.txns], hexed);
  const w = i.world;
  // The ideal's world usually equals the real state: then it adds one character (by content, not by
  // sharing, so equal pairs get equal keys).
  const world = w.eps === r.eps && w.mem === r.mem && w.txns === r.txns ? real : JSON.stringify([w.eps, w.mem, w.txns], hexed);
  return `${real}|${world === real ? '=' : world}|${JSON.stringify([i.cells, i.xregs], hexed)}`;
}

// bigints in hex; byte buffers in hex; records with sorted keys (same state, same key).
function hexed(_k: string, v: unknown): unknown {
  if (typeof v === 'bigint') return '0x' + v.toString(16);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  if (v instanceof Map) return [...v].sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1));
  if (v instanceof Set) return [...v].sort();
  if (v && typeof v === 'object' && !Array.isArray(v)) return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)));
  return v;
}
