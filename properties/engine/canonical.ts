// A canonical string of a state: the same content gives the same string, whatever object identities.
// Maps and sets are sorted by key, bigints are written in hex; used to de-duplicate exhaustive runs.

export function canonical(v: unknown): string {
  const parts: string[] = [];
  const walk = (x: unknown): void => {
    switch (typeof x) {
      case 'bigint':
        parts.push('n', x.toString(16), ';');
        return;
      case 'number':
      case 'boolean':
        parts.push(String(x), ';');
        return;
      case 'string':
        parts.push(JSON.stringify(x));
        return;
      case 'undefined':
        parts.push('u;');
        return;
      case 'function':
        parts.push('f;');
        return;
    }
    if (x === null) {
      parts.push('null;');
      return;
    }
    if (Array.isArray(x)) {
      parts.push('[');
      for (const e of x) walk(e);
      parts.push(']');
      return;
    }
    if (x instanceof Map) {
      const es = [...x.entries()].map(([k, e]) => [canonical(k), e] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      parts.push('M{');
      for (const [k, e] of es) {
        parts.push(k, ':');
        walk(e);
      }
      parts.push('}');
      return;
    }
    if (x instanceof Set) {
      parts.push('S{', [...x].map(canonical).sort().join(','), '}');
      return;
    }
    const o = x as Record<string, unknown>;
    parts.push('{');
    for (const k of Object.keys(o).sort()) {
      if (o[k] === undefined) continue;
      parts.push(k, ':');
      walk(o[k]);
    }
    parts.push('}');
  };
  walk(v);
  return parts.join('');
}
