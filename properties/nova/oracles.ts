// Independent oracles, checked on every step from the pre-state, the action and the observation;
// they share no code with the effects they check:
//  - RS2 status table: the statuses B.4 lets each hypercall return (as data);
//  - RS2 no change on failure: a call that failed (other than MEM_CAP's partial failure) changed nothing;
//  - RS3 access: a user load/store succeeds iff the EC's host space maps the page with R (W);
//  - RS5 kill: an EC killed by an event affects only itself and its caller.
import type { Violation } from '../../model/system';
import { pdiff, pget } from '../../model/pvec';
import type { Action, Kobj, Obs, State } from '../../real/nova/types';
import { statusName } from '../../real/nova/types';

/** B.4: statuses each hypercall may return to its caller (ipc_reply returns none). */
export const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  ipc_call: ['SUCCESS', 'TIMEOUT', 'ABORTED', 'BAD_CAP', 'BAD_CPU'],
  ipc_reply: [],
  create_pd: ['SUCCESS', 'ABORTED', 'BAD_CAP', 'BAD_PAR', 'BAD_FTR', 'MEM_OBJ', 'MEM_CAP'],
  create_ec: ['SUCCESS', 'ABORTED', 'BAD_CAP', 'BAD_PAR', 'BAD_CPU', 'BAD_FTR', 'MEM_OBJ', 'MEM_CAP'],
  create_sc: ['SUCCESS', 'ABORTED', 'BAD_CAP', 'BAD_PAR', 'MEM_OBJ', 'MEM_CAP'],
  create_pt: ['SUCCESS', 'ABORTED', 'BAD_CAP', 'MEM_OBJ', 'MEM_CAP'],
  create_sm: ['SUCCESS', 'BAD_CAP', 'MEM_OBJ', 'MEM_CAP'],
  ctrl_pd: ['SUCCESS', 'BAD_CAP', 'BAD_PAR', 'BAD_FTR', 'MEM_CAP'],
  ctrl_ec: ['SUCCESS', 'BAD_CAP'],
  ctrl_sc: ['SUCCESS', 'BAD_CAP'],
  ctrl_pt: ['SUCCESS', 'BAD_CAP'],
  ctrl_sm: ['SUCCESS', 'TIMEOUT', 'OVRFLOW', 'BAD_CAP', 'BAD_CPU'],
  ctrl_hw: ['SUCCESS', 'ABORTED', 'BAD_HYP', 'BAD_PAR', 'BAD_FTR'],
  assign_int: ['SUCCESS', 'BAD_CAP', 'BAD_CPU'],
  assign_dev: ['SUCCESS', 'BAD_HYP', 'BAD_CAP', 'BAD_PAR', 'BAD_DEV'],
  revoke: ['SUCCESS'],
  bad: ['BAD_HYP'],
};

export function oracles(pre: Real, a: Action, o: Obs, post: Real): Violation[] {
  const out: Violation[] = [];
  if (o.kind === 'hcall' && o.status !== null) {
    const allowed = ALLOWED[o.call] ?? [];
    if (!allowed.includes(statusName(o.status))) out.push({ property: 'RS2', component: `EC ${o.ec} ${o.call}`, detail: `status ${statusName(o.status)} is not one B.4 allows (${allowed.join(', ') || 'none'})` });
    if (o.status !== 0 && o.note !== 'partial' && !(o.note ?? '').startsWith('retry') && post !== pre) out.push({ property: 'RS2', component: `EC ${o.ec} ${o.call}`, detail: `failed with ${statusName(o.status)} but changed the state` });
  }
  if (o.kind === 'mem' && (a.kind === 'load' || a.kind === 'store')) {
    const e = pget(pre.objs, a.ec);
    const hst = e && e.type === 'EC' && e.sub !== 'vcpu' ? pget(pre.objs, e.hstSp) : null;
    const page = a.addr >> 12n;
    let m: { perm: number; kind: string } | undefined;
    if (hst && hst.type === 'PD' && hst.sub === 'hst' && page < BigInt(2 ** pre.cfg.memBits)) m = hst.maps.get(Number(page));
    const need = a.kind === 'store' ? 2 : 1;
    const expect = !!m && (m.perm & need) !== 0 && !(m.kind === 'hip' && a.kind === 'store');
    if (expect === o.fault) out.push({ property: 'RS3', component: `EC ${o.ec} ${a.kind} 0x${a.addr.toString(16)}`, detail: `host space ${m ? `maps perm 0x${m.perm.toString(16)}` : 'maps nothing'} but the access ${o.fault ? 'faulted' : 'succeeded'}` });
  }
  // RS3: an EC's registers and UTCB change only by its own step, an IPC it takes part in, an event
  // delivered to it, or a wake-up (its blocked call returns).
  if (post !== pre) {
    const who = new Set<number>();
    const link = (id: number, st: State) => { const x = id >= 0 ? pget(st.objs, id) : null; if (x && x.type === 'EC') { who.add(x.caller); who.add(x.callee); } };
    if (a.kind !== 'irq' && a.kind !== 'tick' && a.kind !== 'dma') { who.add(a.ec); link(a.ec, pre); link(a.ec, post); }
    if ('wakes' in o) for (const w of o.wakes) who.add(w.ec);
    if (o.kind === 'event') who.add(o.to);
    // A user store goes through the host space, where the UTCBs of all ECs of the PD are mapped.
    const me = a.kind === 'store' ? pget(pre.objs, a.ec) : null;
    const shared = me && me.type === 'EC' ? me.hstSp : -2;
    pdiff(pre.objs, post.objs, (k, x: Kobj | null, y: Kobj | null) => {
      if (x && y && x.type === 'EC' && y.type === 'EC' && x.hstSp === shared && x.regs === y.regs) return;
      if (x && y && x.type === 'EC' && y.type === 'EC' && !who.has(k) && (x.regs !== y.regs || x.utcb !== y.utcb)) out.push({ property: 'RS3', component: `EC ${k}`, detail: 'registers or UTCB changed by a step it takes no part in' });
    });
  }
  if (o.kind === 'event' && o.killed) {
    const e = pget(pre.objs, o.ec);
    const allowed = new Set([o.ec, e && e.type === 'EC' ? e.caller : -1]);
    pdiff(pre.objs, post.objs, (k, x: Kobj | null, y: Kobj | null) => {
      if (x && y && x.type === 'EC' && y.type === 'EC' && !allowed.has(k) && (x.st !== y.st || x.regs !== y.regs)) out.push({ property: 'RS5', component: `EC ${k}`, detail: `changed when EC ${o.ec} was killed (only it and its caller may)` });
    });
  }
  return out;
}
type Real = State;

/** RS4 (g): after a B.5 revoke of mask m at node k, no descendant of k (in the pre-state's forest,
 *  computed here) still holds a bit of m, nor k itself with `self`. */
export function revokeOracle(pre: Real, a: Action, o: Obs, post: Real): Violation[] {
  if (o.kind !== 'hcall' || o.call !== 'revoke' || o.status !== 0 || a.kind !== 'hypercall' || !pre.mdb || !post.mdb) return [];
  const e = pget(pre.objs, a.ec);
  if (!e || e.type !== 'EC') return [];
  const x = (i: number) => BigInt.asUintN(64, a.regs[i] ?? 0n);
  const base = Number((x(0) >> 8n) % BigInt(2 ** pre.cfg.selBits)), n = 2 ** Number(x(1) & 0x1fn), mask = Number(x(2) & 0x1fn), self = ((x(0) >> 4n) & 1n) === 1n;
  const out: Violation[] = [];
  for (let i = 0; i < n && base + i < 2 ** pre.cfg.selBits && out.length === 0; i++) {
    const top = `${e.objSp}:${base + i}`;
    const sp0 = pget(pre.objs, e.objSp);
    if (!sp0 || sp0.type !== 'PD' || sp0.sub !== 'obj' || !sp0.caps.has(base + i)) continue;
    const nodes = self ? [top] : [], work = [top];
    while (work.length) { const cur = work.pop()!; for (const [m, v] of pre.mdb) if (v.parent === cur) { nodes.push(m); work.push(m); } }
    for (const node of nodes) {
      const [sp, sel] = node.split(':').map(Number), space = pget(post.objs, sp);
      const cap = space && space.type === 'PD' && space.sub === 'obj' ? space.caps.get(sel) : undefined;
      if (cap && cap.perm & mask) { out.push({ property: 'RS4', component: `mdb ${node}`, detail: `(g) revoked bits 0x${(cap.perm & mask).toString(16)} remain below ${top}` }); break; }
    }
  }
  return out;
}
