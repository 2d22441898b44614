// Any model value as plain JSON for viewers and exports: bigints as hex strings, maps as objects (or
// pairs when keys are not strings or numbers), sets as arrays; functions dropped.

export function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return '0x' + v.toString(16);
  if (typeof v === 'function' || v === undefined) return undefined;
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Map) {
    const simple = [...v.keys()].every((k) => typeof k === 'string' || typeof k === 'number');
    return simple ? Object.fromEntries([...v].map(([k, x]) => [typeof k === 'number' ? '0x' + k.toString(16) : k, plain(x)])) : [...v].map(([k, x]) => [plain(k), plain(x)]);
  }
  if (v instanceof Set) return [...v].map(plain);
  const o: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const p = plain(x);
    if (p !== undefined) o[k] = p;
  }
  return o;
}
