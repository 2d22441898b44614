// Structural comparison that reports the first differing path (bigint-, Map- and array-aware).

const fmt = (v: unknown): string => (typeof v === 'bigint' ? '0x' + v.toString(16) : v === undefined ? 'nothing' : JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? '0x' + x.toString(16) : x)));

export interface Difference {
  readonly path: string;
  readonly a: string;
  readonly b: string;
}

/** Structural equality without building paths (the fast check; firstDifference explains a failure). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Map || b instanceof Map) {
    if (!(a instanceof Map && b instanceof Map) || a.size !== b.size) return false;
    for (const [k, v] of a) if (!deepEqual(v, b.get(k))) return false;
    return true;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!(Array.isArray(a) && Array.isArray(b)) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return firstDifference(a, b) === null; // keys with undefined values
  for (const k of ka) if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

export function firstDifference(a: unknown, b: unknown, path = '', skip?: (path: string) => boolean): Difference | null {
  if (a === b) return null;
  if (skip?.(path)) return null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return { path, a: fmt(a), b: fmt(b) };
  }
  if (a instanceof Map || b instanceof Map) {
    if (!(a instanceof Map && b instanceof Map)) return { path, a: fmt(a), b: fmt(b) };
    for (const k of new Set([...a.keys(), ...b.keys()])) {
      const d = firstDifference(a.get(k), b.get(k), `${path}[${typeof k === 'number' ? k : fmt(k)}]`, skip);
      if (d) return d;
    }
    return null;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!(Array.isArray(a) && Array.isArray(b))) return { path, a: fmt(a), b: fmt(b) };
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`, skip);
      if (d) return d;
    }
    return null;
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  for (const k of new Set([...ka, ...kb])) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k, skip);
    if (d) return d;
  }
  return null;
}
