// A run cut into blocks (the unit of --shard and --workers) is the run in one piece: the same traces,
// so the same counts, coverage and shrunk counterexample, whatever order the blocks finish in.

import { describe, expect, test } from 'vitest';
import { SYSTEMS } from '../../systems';
import { blocksOf, joinBlocks, runBlock, runChecks, runChecksAsync, shardBlocks, type BlockResult, type RunOptions } from '../../properties/engine';

describe('blocks', () => {
  test('blocksOf depends on the number of runs only; the blocks cover every run once', () => {
    expect(blocksOf(200)).toEqual({ count: 8, size: 25 });
    expect(blocksOf(10)).toEqual({ count: 1, size: 25 });
    const b = blocksOf(1_000_000);
    expect(b.count).toBeLessThanOrEqual(64);
    expect(b.count * b.size).toBeGreaterThanOrEqual(1_000_000);
    expect((b.count - 1) * b.size).toBeLessThan(1_000_000);
  });
  test('shards partition the blocks', () => {
    const all = shardBlocks(1000);
    const parts = [0, 1, 2].map((i) => shardBlocks(1000, { index: i, count: 3 }));
    expect(parts.flat().sort((a, b) => a - b)).toEqual(all);
    expect(parts[0].filter((x) => parts[1].includes(x))).toEqual([]);
  });
});

describe.each(SYSTEMS.map((s) => [s.name, s] as const))('%s: blocks equal one piece', (_n, sys) => {
  const variant = sys.variants[0];
  const base = { config: { ...sys.config.defaults, ...(variant.config ?? {}) }, runs: 120, steps: 60, seed: 3, noninterference: true };
  test('faithful: same traces, steps and coverage', async () => {
    const opts: RunOptions = { ...base, spec: sys.spec };
    const whole = runChecks(sys, opts);
    const blocks = await runChecksAsync(sys, opts);
    expect(whole.counterexample).toBeNull();
    expect(blocks.counterexample).toBeNull();
    expect([blocks.traces, blocks.steps]).toEqual([whole.traces, whole.steps]);
    expect(blocks.coverage.toJSON()).toEqual(whole.coverage.toJSON());
  }, 120_000);
  test(`variant ${variant.name}: the same shrunk counterexample, also when later blocks finish first`, async () => {
    const opts: RunOptions = { ...base, spec: variant.apply(sys.spec), runs: 200 };
    const whole = runChecks(sys, opts);
    expect(whole.counterexample).not.toBeNull();
    const results: BlockResult[] = [];
    for (const b of shardBlocks(opts.runs).reverse()) results.push(await runBlock(sys, opts, b));
    const joined = joinBlocks(sys, opts, results, 0);
    expect(joined.counterexample?.path).toBe(whole.counterexample!.path);
    expect(joined.counterexample?.actions).toEqual(whole.counterexample!.actions);
    expect([joined.traces, joined.steps]).toEqual([whole.traces, whole.steps]);
    expect(joined.coverage.toJSON()).toEqual(whole.coverage.toJSON());
  }, 240_000);
});
