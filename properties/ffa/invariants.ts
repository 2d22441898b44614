// The eleven invariants of reference §7, and a twelfth for per-vCPU direct messaging, on the real
// state. Incremental: a step that changed only memory words or registers (the same endpoint and
// transaction objects) cannot break them.
import type { Violation } from '../../model/system';
import { Cfg, problems } from '../../real/ffa/config';
import { M, PAGE, owned, pageState, valid } from '../../real/ffa/consts';
import { RealState } from '../../real/ffa/machine';
import { pdiff } from '../../model/pvec';
import { Txn, modeAt, pagesOf } from '../../real/ffa/state';
import { hex } from '../../real/ffa/json';

export interface Layout {
  /** Pages some manifest assigns (regions and mailboxes): they always have an owner. */
  readonly assigned: ReadonlySet<number>;
  readonly device: ReadonlySet<number>;
  readonly spmc: ReadonlySet<number>;
  readonly secure: ReadonlySet<number>;
}
/** The layout of a configuration, computed once per configuration object. */
const LAYOUTS = new WeakMap<Cfg, Layout>();
export function layout(c: Cfg): Layout {
  let L = LAYOUTS.get(c);
  if (!L) { L = buildLayout(c); LAYOUTS.set(c, L); }
  return L;
}
function buildLayout(c: Cfg): Layout {
  const assigned = new Set<number>(), device = new Set<number>(), spmc = new Set<number>(), secure = new Set<number>();
  for (const e of c.endpoints) {
    for (const r of e.regions) for (let k = 0; k < r.pages; k++) { assigned.add(r.base / PAGE + k); if (r.device) device.add(r.base / PAGE + k); }
    if (e.tx !== undefined) assigned.add(e.tx / PAGE);
    if (e.rx !== undefined) assigned.add(e.rx / PAGE);
  }
  for (let k = 0; k < c.spmc.pages; k++) spmc.add(c.spmc.base / PAGE + k);
  for (let p = c.secureRange[0] / PAGE; p < c.secureRange[1] / PAGE; p++) secure.add(p);
  return { assigned, device, spmc, secure };
}

const v = (n: number, component: string, detail: string): Violation => ({ property: `Invariant ${n}`, component, detail });
const pg = (p: number): string => `page ${hex(p * PAGE)}`;

/**
 * Every invariant on one state. `pages` limits the per-page invariants (1-4, 7-10 on a page) to those
 * pages: the monitor passes the pages whose inputs changed since a state that passed (see dirtyPages).
 */
export function invariants(s: RealState, L: Layout, pages?: Iterable<number>): Violation[] {
  const out: Violation[] = [];
  const live: Txn[] = s.txns.filter((t): t is Txn => t !== null);
  const done = live.filter((t) => t.complete);
  const cover = new Map<number, Txn[]>();
  // A DONATE whose receiver retrieved has moved the pages; the rest is descriptor transport (fragments).
  for (const t of done) if (!(t.func === 'DONATE' && t.receivers[0].retrieved > 0)) for (const p of pagesOf(t.constituents)) { const l = cover.get(p) ?? []; l.push(t); cover.set(p, l); }
  const mailbox = new Map<number, number>();
  s.eps.forEach((e, k) => { if (e.mbox.tx >= 0) mailbox.set(e.mbox.tx, k); if (e.mbox.rx >= 0) mailbox.set(e.mbox.rx, k); });

  for (const p of pages ?? allPages(s.cfg.pages)) {
    const owners: number[] = [], acc: number[] = [];
    const ms = s.eps.map((e) => modeAt(e, p));
    ms.forEach((m, k) => { if (owned(m)) owners.push(k); if (valid(m)) acc.push(k); });
    const ts = cover.get(p) ?? [];
    // 1. One owner: an endpoint, the SPMC (unassigned pages), or a DONATE's sender while in flight.
    if (owners.length > 1) out.push(v(1, pg(p), `owned by ${owners.map((k) => hex(s.eps[k].id)).join(' and ')}`));
    if (L.assigned.has(p) && owners.length === 0 && !mailbox.has(p) && !ts.some((t) => t.func === 'DONATE')) out.push(v(1, pg(p), 'assigned page has no owner'));
    if (!L.assigned.has(p) && (owners.length || acc.length)) out.push(v(1, pg(p), 'SPMC-owned unassigned page reached an endpoint'));
    // 2. Accessors and the transactions that justify them.
    if (acc.length > 1 + s.cfg.maxRecipients) out.push(v(2, pg(p), `${acc.length} accessors`));
    if (acc.length > 1 && !ts.some((t) => t.func === 'SHARE' || (t.func === 'LEND' && t.receivers.length > 1))) out.push(v(2, pg(p), `${acc.length} accessors without a SHARE or multi-borrower LEND`));
    s.eps.forEach((e, k) => {
      const m = ms[k];
      const st = pageState(m);
      if (st === 'Owner-NA' && !ts.some((t) => t.func === 'LEND' && t.sender === e.id)) out.push(v(2, `${pg(p)} endpoint ${hex(e.id)}`, 'Owner-NA without an open LEND'));
      if (st === 'Owner-SA' && !ts.some((t) => t.func === 'SHARE' && t.sender === e.id)) out.push(v(2, `${pg(p)} endpoint ${hex(e.id)}`, 'Owner-SA without an open SHARE'));
      // 3. Stage-2 agreement: a borrower maps the page iff it retrieved it, within the granted permissions.
      if (valid(m) && !owned(m) && mailbox.get(p) !== k) {
        const t = ts.find((x) => x.receivers.some((r) => r.id === e.id && r.retrieved > 0));
        if (!t) out.push(v(3, `${pg(p)} endpoint ${hex(e.id)}`, 'mapped as borrower without a retrieved transaction'));
        else {
          const r = t.receivers.find((x) => x.id === e.id)!;
          const granted = t.func === 'DONATE' ? t.origMode & (M.R | M.W) : (r.perms & 3) === 2 ? M.R | M.W : M.R;
          const gx = t.func !== 'SHARE' ? t.origMode & M.X : 0;
          if ((m & (M.R | M.W | M.X) & ~(granted | gx)) !== 0) out.push(v(3, `${pg(p)} endpoint ${hex(e.id)}`, `mode ${hex(m)} exceeds granted permissions`));
          if (((granted | gx) & ~t.origMode & (M.R | M.W | M.X)) !== 0) out.push(v(3, `${pg(p)} endpoint ${hex(e.id)}`, 'granted permissions exceed the sender\'s'));
        }
      }
      // 9. Secure memory never reaches a normal-world endpoint.
      if (!e.sp && L.secure.has(p) && valid(m)) out.push(v(9, `${pg(p)} endpoint ${hex(e.id)}`, 'secure page mapped in a normal-world endpoint'));
      // 10. Device pages are only ever mapped as device.
      if (L.device.has(p) && valid(m) && (m & M.D) === 0) out.push(v(10, `${pg(p)} endpoint ${hex(e.id)}`, 'device page mapped as normal memory'));
      // 8. SPMC memory is never in an endpoint's stage 2.
      if (L.spmc.has(p) && m !== (M.INVALID | M.UNOWNED)) out.push(v(8, `${pg(p)} endpoint ${hex(e.id)}`, 'SPMC page in an endpoint stage-2'));
    });
    // 4. A page is in at most one live transaction.
    if (ts.length > 1) out.push(v(4, pg(p), `in ${ts.length} live transactions`));
    // 7. Mailbox pages are never in a transaction.
    if (mailbox.has(p) && ts.length) out.push(v(7, pg(p), 'mailbox page in a transaction'));
  }
  const handles = new Set<bigint>();
  s.txns.forEach((t, k) => {
    if (!t) return;
    // 5. Handles unique and equal to their slot.
    if (t.handle !== BigInt(k) || handles.has(t.handle)) out.push(v(5, `slot ${k}`, `handle ${hex(t.handle)}`));
    handles.add(t.handle);
    const pages = pagesOf(t.constituents);
    if (new Set(pages).size !== pages.length) out.push(v(4, `handle ${hex(t.handle)}`, 'a page appears twice in one transaction'));
    if (t.receivers.length > 1 && L.device.has(pages[0]) ) out.push(v(10, `handle ${hex(t.handle)}`, 'device memory in a multi-borrower transaction'));
    if (t.complete && t.func !== 'LEND' && pages.some((p) => L.device.has(p))) out.push(v(10, `handle ${hex(t.handle)}`, `device memory in a ${t.func}`));
    // 6. retrieved > 0 iff the receiver has access; counts in range; no fully retrieved DONATE.
    for (const r of t.receivers) {
      const k2 = s.eps.findIndex((e) => e.id === r.id);
      if (r.retrieved < 0 || r.retrieved > t.fragCounts.length) out.push(v(6, `handle ${hex(t.handle)} receiver ${hex(r.id)}`, `retrieved count ${r.retrieved}`));
      // (A DONATE receiver owns the pages from its first retrieve: what it does with them is its own business.)
      if (k2 >= 0 && t.complete && pages.length) {
        const has = valid(modeAt(s.eps[k2], pages[0]));
        if ((r.retrieved > 0) !== has && t.func !== 'DONATE') out.push(v(6, `handle ${hex(t.handle)} receiver ${hex(r.id)}`, `retrieved ${r.retrieved} but ${has ? 'has' : 'lacks'} access`));
      }
    }
    if (t.func === 'DONATE' && t.receivers.every((r) => r.retrieved === t.fragCounts.length)) out.push(v(6, `handle ${hex(t.handle)}`, 'fully retrieved DONATE still live'));
  });
  // 7. Mailboxes: RX/TX are !Owner-SA for their endpoint, RX is never writable, FULL needs an RX.
  s.eps.forEach((e) => {
    if (e.mbox.tx >= 0 && pageState(modeAt(e, e.mbox.tx)) !== '!Owner-SA') out.push(v(7, `endpoint ${hex(e.id)} TX`, 'TX not !Owner-SA'));
    if (e.mbox.rx >= 0 && (pageState(modeAt(e, e.mbox.rx)) !== '!Owner-SA' || (modeAt(e, e.mbox.rx) & M.W) !== 0)) out.push(v(7, `endpoint ${hex(e.id)} RX`, 'RX not read-only !Owner-SA'));
    if (e.mbox.full && e.mbox.rx < 0) out.push(v(7, `endpoint ${hex(e.id)}`, 'FULL without an RX buffer'));
  });
  out.push(...directInvariant(s));
  return out;
}

function* allPages(n: number): IterableIterator<number> { for (let p = 0; p < n; p++) yield p; }

/**
 * The pages whose per-page invariants may differ between `prev` and `s`: a page's checks read every
 * endpoint's mode of it, the complete transactions over it and whether it is a mailbox (and the static
 * layout), so these are the pages where a mode changed, the pages of every transaction slot that
 * changed (before and after), and the mailbox pages that moved. States are immutable: an unchanged
 * mode row, mailbox or transaction is the same object.
 */
export function dirtyPages(prev: RealState, s: RealState): number[] {
  const out = new Set<number>();
  s.eps.forEach((e, k) => {
    const o = prev.eps[k];
    if (!o || o.modes.size !== e.modes.size) { for (let p = 0; p < e.modes.size; p++) out.add(p); return; }
    if (e.modes !== o.modes) pdiff(o.modes, e.modes, (p) => out.add(p));
    if (e.mbox !== o.mbox) for (const p of [e.mbox.tx, e.mbox.rx, o.mbox.tx, o.mbox.rx]) if (p >= 0) out.add(p);
  });
  if (s.txns !== prev.txns) {
    for (let k = 0; k < Math.max(s.txns.length, prev.txns.length); k++) {
      const a = prev.txns[k] ?? null, b = s.txns[k] ?? null;
      if (a === b) continue;
      for (const t of [a, b]) if (t) for (const p of pagesOf(t.constituents)) out.add(p);
    }
  }
  // In page order, as the full pass reports them; constituents may name pages beyond the memory.
  return [...out].filter((p) => Number.isInteger(p) && p >= 0 && p < s.cfg.pages).sort((x, y) => x - y);
}

/** Invariant 11 (boot): the manifest set is valid. */
export const bootInvariant = (c: Cfg): Violation[] => problems(c).map((m) => v(11, 'manifest', m));

/**
 * Invariant 12 (direct messaging, per vCPU; Hafnium keeps it per `struct vcpu`): a vCPU waits on P
 * iff exactly one vCPU of P serves it (P's serving = its partition, servingVcpu = its index); a
 * vCPU serves at most one requester and runs on one CPU meanwhile; an MP vCPU only on its own.
 */
export function directInvariant(s: RealState): Violation[] {
  const out: Violation[] = [];
  s.eps.forEach((e) => e.vcpus.forEach((c, k) => {
    const at = `endpoint ${hex(e.id)} vCPU ${k}`;
    if (c.waiting >= 0) {
      const p = s.eps.find((x) => x.id === c.waiting);
      const n = p ? p.vcpus.filter((q) => q.serving === e.id && q.servingVcpu === k).length : 0;
      if (n !== 1) out.push(v(12, at, `waits on ${hex(c.waiting)}, served by ${n} of its vCPUs`));
    }
    if (c.serving >= 0) {
      const r = s.eps.find((x) => x.id === c.serving);
      if (!r || r.vcpus[c.servingVcpu]?.waiting !== e.id) out.push(v(12, at, `serves ${hex(c.serving)} vCPU ${c.servingVcpu}, which does not wait on it`));
      if (c.cpu < 0 || (e.vcpus.length > 1 && c.cpu !== k)) out.push(v(12, at, `serving on CPU ${c.cpu}`));
    } else if (c.cpu >= 0 || c.servingVcpu >= 0) out.push(v(12, at, 'bound to a CPU without serving'));
    if (c.waiting >= 0 && c.serving >= 0 && c.waiting === c.serving) out.push(v(12, at, 'waits on the partition it serves (a call-chain loop)'));
  }));
  return out;
}
