// Small strict JSON readers for this system's decoders: unknown keys are errors, numbers are
// non-negative integers (or hex strings), every error is one line naming the JSON path.
import { Result, fail, ok } from '../../model/system';

export type R<T> = Result<T>;
export const isObj = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

export function keys(u: unknown, path: string, allowed: readonly string[]): R<Record<string, unknown>> {
  if (!isObj(u)) return fail(path, 'expected an object');
  for (const k of Object.keys(u)) if (!allowed.includes(k)) return fail(`${path}.${k}`, `unknown key (expected one of ${allowed.join(', ')})`);
  return ok(u);
}

/** A non-negative integer below 2^64 from a number or a decimal/hex string. */
export function big(u: unknown, path: string, max: bigint = (1n << 64n) - 1n): R<bigint> {
  let v: bigint;
  if (typeof u === 'number') {
    if (!Number.isSafeInteger(u) || u < 0) return fail(path, 'expected a non-negative integer');
    v = BigInt(u);
  } else if (typeof u === 'string' && /^(0x[0-9a-fA-F]+|[0-9]+)$/.test(u)) v = BigInt(u);
  else return fail(path, 'expected a non-negative integer or a hex string');
  if (v > max) return fail(path, `expected at most ${max}`);
  return ok(v);
}
export function int(u: unknown, path: string, max = Number.MAX_SAFE_INTEGER): R<number> {
  const r = big(u, path, BigInt(max));
  return r.ok ? ok(Number(r.value)) : r;
}
export function bool(u: unknown, path: string): R<boolean> {
  return typeof u === 'boolean' ? ok(u) : fail(path, 'expected true or false');
}
export function arr<T>(u: unknown, path: string, item: (x: unknown, p: string) => R<T>, maxLen = 4096): R<T[]> {
  if (!Array.isArray(u)) return fail(path, 'expected an array');
  if (u.length > maxLen) return fail(path, `expected at most ${maxLen} items`);
  const out: T[] = [];
  for (let i = 0; i < u.length; i++) {
    const r = item(u[i], `${path}[${i}]`);
    if (!r.ok) return r;
    out.push(r.value);
  }
  return ok(out);
}
export const hex = (v: bigint | number): string => `0x${v.toString(16)}`;
