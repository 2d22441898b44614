// B.5: classic NOVA delegation and revocation with a mapping database [C] (2014 specification, source
// @ 79422bb5, Hedron documentation), as a second specification object of the same system.
// Delegation (here with ctrl_pd's registers [D]; classic NOVA carries it in IPC typed items): each new
// capability is a node whose parent is the source node, perm(child) = perm(parent) & mask, depth =
// parent + 1; a target slot that is occupied, or a result with no permissions, is skipped. revoke(sel,
// ord, mask; self) — number 0xf [D] — clears the mask bits in every descendant (and the node itself if
// `self`) and unlinks nodes left without permissions; it never fails. No OVRFLOW, no MEM_* statuses.
import type { Call, Ctx, Effect } from './call';
import { reg } from './call';
import type { Spec } from './spec';
import type { Cap, Kobj, State } from './types';
import { SUCCESS } from './types';
import { chargeTable, obj, objSpace, put, release, selOf, withState } from './state';
import { faithful } from './faithful';
import { ctrlPdCtx, ctrlPdRows, delegate as modernDelegate } from './calls/ctrl-pd';

export const key = (space: number, sel: number): string => `${space}:${sel}`;

/** Every node below `k` (and `k` itself if `self`). */
export function descendants(mdb: NonNullable<State['mdb']>, k: string, self: boolean): string[] {
  const kids = new Map<string, string[]>();
  for (const [n, v] of mdb) if (v.parent) { const l = kids.get(v.parent) ?? []; l.push(n); kids.set(v.parent, l); }
  const out: string[] = self ? [k] : [];
  const work = [...(kids.get(k) ?? [])];
  while (work.length) { const n = work.pop()!; out.push(n); work.push(...(kids.get(n) ?? [])); }
  return out;
}
/** The B.8 bug: revoke stops at depth + 1 (direct children only). */
export function classicBuggyRevoke(mdb: NonNullable<State['mdb']>, k: string, self: boolean): string[] {
  const out = self ? [k] : [];
  for (const [n, v] of mdb) if (v.parent === k) out.push(n);
  return out;
}

/** The mapping database of the boot capabilities: every one a root node. */
export function bootMdb(s: State): State {
  const mdb = new Map<string, { parent: string; depth: number }>();
  for (let i = 0; i < s.next; i++) { const o = obj(s, i); if (o && o.type === 'PD' && o.sub === 'obj') for (const sel of o.caps.keys()) mdb.set(key(i, sel), { parent: '', depth: 0 }); }
  return withState(s, { mdb });
}

function classicDelegate(c: ReturnType<typeof ctrlPdCtx>, spec: Spec): Effect {
  if (c.src!.sub !== 'obj') return modernDelegate(c, spec);
  let s = c.s;
  const n = 2 ** c.ord, srcId = c.src!.id, dstId = c.dst!.id;
  const src = objSpace(s, srcId)!;
  const mdb = new Map(s.mdb ?? []);
  for (const [sel, cap] of [...src.caps].filter(([k]) => k >= c.ssb && k < c.ssb + n).sort((a, b) => a[0] - b[0])) {
    const d = objSpace(s, dstId)!, at = c.dsb + (sel - c.ssb);
    const p = spec.mask(cap.perm, c.pmm);
    if (!p || d.caps.has(at)) continue;                         // skipped: no permissions or occupied
    const t = chargeTable(s, d, at); s = t.s;
    const caps = new Map(t.space.caps); caps.set(at, { obj: cap.obj, perm: p });
    s = put(s, { ...t.space, caps });
    const o = obj(s, cap.obj)!; s = put(s, { ...o, ref: o.ref + 1 } as Kobj);
    // A capability without a node (a created object's first capability) becomes a root node.
    if (!mdb.has(key(srcId, sel))) mdb.set(key(srcId, sel), { parent: '', depth: 0 });
    const parent = mdb.get(key(srcId, sel))!;
    mdb.set(key(dstId, at), { parent: key(srcId, sel), depth: parent.depth + 1 });
  }
  return { s: withState(s, { mdb }) };
}

function classicRevoke(c: Ctx, spec: Spec): Effect {
  let s = c.s;
  const base = selOf(s.cfg, c.sel), n = 2 ** Number(reg(c.x, 1) & 0x1fn), mask = Number(reg(c.x, 2) & 0x1fn), self = (c.flags & 1) !== 0;
  const space = c.ec.objSp;
  const mdb = new Map(s.mdb ?? []);
  const drops: number[] = [];
  for (let i = 0; i < n && base + i < 2 ** s.cfg.selBits; i++) {
    if (!objSpace(s, space)?.caps.has(base + i)) continue;
    for (const k of (spec.revokeNode ?? descendants)(mdb, key(space, base + i), self)) {
      const [sp, sel] = k.split(':').map(Number);
      const o = objSpace(s, sp), cap: Cap | undefined = o?.caps.get(sel);
      if (!o || !cap) continue;
      const p = cap.perm & ~mask, caps = new Map(o.caps);
      if (p) caps.set(sel, { obj: cap.obj, perm: p });
      else {
        caps.delete(sel); drops.push(cap.obj);
        // Unlink: the node's children move up to its parent [C: Mdb::demote_node].
        const me = mdb.get(k); mdb.delete(k);
        for (const [m, v] of mdb) if (v.parent === k) mdb.set(m, { parent: me?.parent ?? '', depth: v.depth - 1 });
      }
      s = put(s, { ...o, caps });
    }
  }
  s = withState(s, { mdb });
  for (const d of drops) s = release(s, d, 1);
  return { s, status: SUCCESS };
}

export const CLASSIC_CTRL_PD: Call = { name: 'ctrl_pd', context: ctrlPdCtx, failures: ctrlPdRows, effect: classicDelegate };
export const REVOKE: Call<Ctx> = { name: 'revoke', context: (c) => c, failures: [], effect: classicRevoke };

export const classicSpec: Spec = {
  ...faithful,
  name: 'classic',
  classic: true,
  calls: [...faithful.calls.slice(0, 7), CLASSIC_CTRL_PD, ...faithful.calls.slice(8, 15), REVOKE],
  smOverflow: false,
  quotas: false,
  revokeNode: descendants,
};
