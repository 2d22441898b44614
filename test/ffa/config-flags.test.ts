// The scaling flags `--pages` and `--endpoints` (bench rows "(b) with --FLAG V"): every value in
// their bounds gives a valid manifest set (reference §7.11: regions page-aligned, inside the range
// of their security state, pairwise disjoint, the SPMC's pages apart), and the model runs on it.
import { describe, expect, it } from 'vitest';
import { check } from '../../properties/engine';
import { ffaSystem } from '../../properties/ffa/system';
import { PAGE } from '../../real/ffa/consts';

const flag = (n: string) => ffaSystem.config.flags.find((f) => f.name === n)!;
const d = ffaSystem.config.defaults;

describe('--pages and --endpoints', () => {
  it('are integer flags with the bounds the bench sweeps', () => {
    expect(flag('pages').kind).toEqual({ int: [32, 4096] });
    expect(flag('endpoints').kind).toEqual({ int: [2, 16] });
  });

  it.each([32, 33, 64, 1024, 4096])('--pages %i keeps the default layout valid', (n) => {
    const c = flag('pages').apply(d, n);
    expect(ffaSystem.config.problems(c)).toEqual([]);
    expect(c.pages).toBe(n);
    expect(c.endpoints).toEqual(d.endpoints);
    expect(c.secureRange).toEqual([d.secureRange[0], n * PAGE]);
    expect(ffaSystem.real.init(c, ffaSystem.spec).mem.size).toBe(n);
  });

  it('--pages below what the manifests need is a configuration problem', () => {
    const c = flag('pages').apply(flag('endpoints').apply(d, 8), 32);
    expect(ffaSystem.config.problems(c).length).toBeGreaterThan(0);
  });

  it('--endpoints 4 is the default configuration', () => {
    expect(flag('endpoints').apply(d, 4)).toEqual(d);
  });

  it.each(Array.from({ length: 15 }, (_, k) => k + 2))('--endpoints %i gives that many valid partitions, each region in its range', (n) => {
    const c = flag('endpoints').apply(d, n);
    expect(ffaSystem.config.problems(c)).toEqual([]);
    expect(c.endpoints.length).toBe(n);
    expect(new Set(c.endpoints.map((e) => e.id)).size).toBe(n);
    // At least one known and one unknown endpoint (robust safety needs both).
    expect(c.known.length).toBeGreaterThan(0);
    expect(c.endpoints.some((e) => !c.known.includes(e.id))).toBe(true);
    const vms = c.endpoints.filter((e) => (e.id & 0x8000) === 0).length;
    expect(Math.abs(vms - (n - vms))).toBeLessThanOrEqual(2);
  });

  it('both flags together: --endpoints 16 then --pages 4096, and the other order', () => {
    const a = flag('pages').apply(flag('endpoints').apply(d, 16), 4096);
    const b = flag('endpoints').apply(flag('pages').apply(d, 4096), 16);
    for (const c of [a, b]) {
      expect(ffaSystem.config.problems(c)).toEqual([]);
      expect(c.pages).toBe(4096);
      expect(c.endpoints.length).toBe(16);
    }
  });

  it.each([[2, 32], [16, 32], [4, 1024]])('a short check runs without violation with --endpoints %i --pages %i', (n, p) => {
    const config = flag('pages').apply(flag('endpoints').apply(d, n), Math.max(p, flag('endpoints').apply(d, n).pages));
    const r = check(ffaSystem, { config: ffaSystem.config.encode(config), runs: 10, seed: 3 });
    expect(r.counterexample?.failing.violations[0] ?? null).toBeNull();
    expect(r.steps).toBeGreaterThan(100);
  });
});
