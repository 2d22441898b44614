// The two tests every system's exhaustive small-scope suite has: the variant table covers the whole
// catalogue, and each variant that fits the scope is found breadth first at its minimal depth (derived
// from the fault in the table, not read off the output), with a property the variant expects.
import { expect, test } from 'vitest';
import { explore } from '../../properties/engine';
import type { AnySystem } from '../../model/system';

export function variantsAtMinimalDepth(system: AnySystem, config: unknown, minimal: Record<string, [depth: number, why: string]>, tooDeep: readonly string[], timeout: number): void {
  test('every variant is either explored or named as too deep', () => {
    expect([...Object.keys(minimal), ...tooDeep].sort()).toEqual(system.variants.map((v) => v.name).sort());
  });

  test.each(Object.entries(minimal).map(([n, [d]]) => [n, d] as const))('%s: the shortest counterexample has %i steps', (name, depth) => {
    const v = system.variants.find((x) => x.name === name)!;
    const r = explore(system, { spec: v.apply(system.spec), config, depth });
    expect(r.counterexample, `${name} not found up to depth ${depth}`).not.toBeNull();
    expect(r.counterexample!.actions.length).toBe(depth);
    expect(v.expect.split('/').map((x) => x.trim())).toContain(r.counterexample!.violation.property);
  }, timeout);
}
