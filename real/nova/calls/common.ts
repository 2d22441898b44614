// Rows and effects shared by the create calls: the kernel-memory rows (MEM_OBJ charged to the PD named
// by `pd`, MEM_CAP charged to the PD owning the written object space [D: per-PD quotas]) and
// Space_obj::insert (src/space_obj.cpp): table allocation fails → MEM_CAP; slot not null → BAD_CAP.

import type { Ctx } from '../call';
import { row } from '../call';
import { BAD_CAP, Cap, Kobj, MEM_CAP, MEM_OBJ, ObjSpace, Pd, State } from '../types';
import { alloc, canAlloc, chargeTable, needsTable, objSpace, obj, pdAt, put, selOf } from '../state';

export interface CreateCtx extends Ctx {
  /** The capability named by `pd` (X1) and its PD object when it is one. */
  readonly pdCap: Cap | null;
  readonly pd: Pd | null;
  /** Insertion selector (X0 >> 8, taken modulo SELNUM as Space_obj::walk indexes it). */
  readonly at: number;
  readonly space: ObjSpace;
}

/**
 * The create calls' common context. A call adds its own fields with Object.assign, not by spreading
 * this into a new literal: V8 gave each spread copy a hidden class of its own (allocated in the old
 * generation and pointing at the copy's values), so every state a create call saw was kept until the
 * next full collection (4% of a nova run's allocation promoted, 17% of its time in scavenges).
 */
export function createCtx(c: Ctx): CreateCtx {
  const pdCap = c.cap(c.x[1] ?? 0n);
  const o = pdCap ? obj(c.s, pdCap.obj) : null;
  return { s: c.s, ec: c.ec, cpu: c.cpu, x: c.x, sel: c.sel, flags: c.flags, spec: c.spec, cap: c.cap, pdCap, pd: o && o.type === 'PD' && o.sub === 'pd' ? o : null, at: selOf(c.s.cfg, c.sel), space: objSpace(c.s, c.ec.objSp)! };
}

/** The PD charged for the new object: the one named by `pd`. */
export const chargedPd = (c: CreateCtx): number => c.pd?.id ?? -1;

export const insertRows = <C extends CreateCtx>() => [
  row<C>('mem_obj', (c) => !canAlloc(c.s, c.spec.quotas ? chargedPd(c) : -1), MEM_OBJ),
  row<C>('mem_cap', (c) => c.spec.quotas && needsTable(c.s, c.space, c.at) === 'exhausted', MEM_CAP),
  row<C>('occupied', (c) => c.space.caps.has(c.at), BAD_CAP),
];

/** Allocate the object, then insert its first capability into the caller's object space. */
export function createAndInsert<T extends Kobj>(c: CreateCtx, make: (id: number) => T, perm: (o: T) => number): { s: State; o: T } {
  const charged = c.spec.quotas ? chargedPd(c) : -1;
  let { s, o } = alloc(c.s, (id) => ({ ...make(id), charged }));
  s = insertCap(s, c.space.id, c.at, { obj: o.id, perm: perm(o) });
  return { s, o: obj(s, o.id) as T };
}

/** Put a capability into an empty slot (charging a table if needed) and count its reference. */
export function insertCap(s: State, spaceId: number, at: number, cap: Cap): State {
  const sp0 = objSpace(s, spaceId)!;
  const { s: s1, space } = chargeTable(s, sp0, at);
  const caps = new Map(space.caps); caps.set(at, cap);
  s = put(s1, { ...space, caps });
  const o = obj(s, cap.obj)!;
  return put(s, { ...o, ref: o.ref + 1 } as Kobj);
}

export const pdOf = (s: State, id: number) => pdAt(s, id);
