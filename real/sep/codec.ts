// Strict io-ts helpers for sep's JSON (configuration and trace steps): unknown keys are errors, numbers
// are non-negative integers, and a decoding error is one line naming the JSON path of the bad value.

import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { Result, fail, ok } from '../../model/system';

/** A non-negative safe integer. */
export const Nat = new t.Type<number, number, unknown>(
  'non-negative integer',
  (u): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u >= 0,
  (u, c) => (typeof u === 'number' && Number.isSafeInteger(u) && u >= 0 ? t.success(u) : t.failure(u, c)),
  (n) => n,
);

/** A 64-bit value: a non-negative integer or a hex string `0x...` (decimal strings too). */
export const U64 = new t.Type<bigint, string, unknown>(
  '64-bit value (integer or "0x..." string)',
  (u): u is bigint => typeof u === 'bigint',
  (u, c) => {
    if (typeof u === 'number' && Number.isSafeInteger(u) && u >= 0) return t.success(BigInt(u));
    if (typeof u === 'string' && /^(0x[0-9a-fA-F]{1,16}|[0-9]{1,20})$/.test(u)) {
      const v = BigInt(u);
      if (v < 1n << 64n) return t.success(v);
    }
    return t.failure(u, c);
  },
  (v) => '0x' + v.toString(16),
);

/** Like `t.type`, but a key that is not declared is an error (a typo must not silently change a step). */
export function strict<P extends t.Props, O extends t.Props = {}>(required: P, optional?: O, name = 'object') {
  const inner = optional ? t.intersection([t.type(required), t.partial(optional)]) : t.type(required);
  const keys = new Set([...Object.keys(required), ...Object.keys(optional ?? {})]);
  type A = t.TypeOf<t.TypeC<P>> & Partial<t.TypeOf<t.TypeC<O>>>;
  return new t.Type<A, unknown, unknown>(
    name,
    (u): u is A => inner.is(u),
    (u, c) => {
      if (typeof u !== 'object' || u === null || Array.isArray(u)) return t.failure(u, c, `expected an object`);
      for (const k of Object.keys(u)) {
        if (!keys.has(k)) return t.failure((u as Record<string, unknown>)[k], t.appendContext(c, k, t.unknown), `unknown key "${k}"`);
      }
      return inner.validate(u, c) as t.Validation<A>;
    },
    (a) => a,
  );
}

/** Decodes with an io-ts type; the first error as `path.key[i]: expected NAME` (or its message). */
export function decodeWith<A>(type: t.Decoder<unknown, A>, u: unknown, path: string): Result<A> {
  const r = type.decode(u);
  if (!isLeft(r)) return ok(r.right);
  const e = r.left[0];
  let p = path;
  for (const entry of e.context.slice(1)) {
    if (entry.key === '') continue;
    // intersections and unions add their members' indices to the context: skip those
    if (underCombinator(e.context, entry)) continue;
    p += /^\d+$/.test(entry.key) ? `[${entry.key}]` : `.${entry.key}`;
  }
  const last = e.context[e.context.length - 1];
  return fail(p, e.message ?? `expected ${last?.type.name ?? 'a value'}, got ${short(e.value)}`);
}

function underCombinator(ctx: t.Context, entry: t.ContextEntry): boolean {
  const parent = ctx[ctx.indexOf(entry) - 1];
  const tag = (parent?.type as { _tag?: string } | undefined)?._tag;
  if (tag === 'IntersectionType' || tag === 'UnionType') return true;
  // the members of `strict`'s intersection (its parent is the strict type itself)
  const own = (entry.type as { _tag?: string })._tag;
  return /^\d+$/.test(entry.key) && (own === 'InterfaceType' || own === 'PartialType') && tag !== 'ArrayType';
}

export function short(u: unknown): string {
  if (u === undefined) return 'nothing';
  if (typeof u === 'bigint') return '0x' + u.toString(16);
  const s = JSON.stringify(u);
  return s === undefined ? String(u) : s.length > 40 ? s.slice(0, 37) + '...' : s;
}

export const hex = (v: bigint | number): string => '0x' + v.toString(16);
