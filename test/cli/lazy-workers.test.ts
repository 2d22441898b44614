// The default --workers: worker lanes start only once the run looks long enough to repay their start
// (cli/workers.ts). A run whose blocks finish at once stays in this thread: no worker is spawned (the
// recipe below names no system, so a spawned worker would report an error and fail the run), every
// block runs once, in order, and the pool says it used one lane.

import { describe, expect, test } from 'vitest';
import { workerPool } from '../../cli/workers';
import type { BlockResult } from '../../properties/engine';

const recipe = { system: 'no-such-system', config: {}, rules: new Set<string>(), runs: 1, steps: 1, seed: 0, noninterference: false };
const done = (block: number): BlockResult => ({ block, traces: 1, steps: 3, coverage: {}, failure: null });

describe('lazy worker lanes', () => {
  test('a short run stays on this thread\'s lane', async () => {
    const ran: number[] = [];
    const pool = workerPool(recipe, 4, undefined, async (b) => (ran.push(b), done(b)), 5);
    const seen: number[] = [];
    await pool([3, 0, 2, 1, 4], { onBlock: (r) => (seen.push(r.block), true), onTrace: () => {} });
    expect(ran).toEqual([0, 1, 2, 3, 4]);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(pool.lanes()).toBe(1);
  });
  test('a long run starts the workers once this thread has warmed up (this recipe\'s worker fails the run)', async () => {
    // 40 blocks of 0.25 s: after 2 s, 30-odd blocks left look 7 s or more, over the 5 s given.
    const pool = workerPool(recipe, 2, undefined, async (b) => (await new Promise((r) => setTimeout(r, 250)), done(b)), 5);
    await expect(pool(Array.from({ length: 40 }, (_, i) => i), { onBlock: () => true, onTrace: () => {} })).rejects.toThrow(/worker: .*no-such-system/);
    expect(pool.lanes()).toBe(2);
  }, 60_000);
  test('without `lazy` the workers start at once (and this recipe\'s worker fails the run)', async () => {
    const pool = workerPool(recipe, 2, undefined, async (b) => (await new Promise((r) => setTimeout(r, 200)), done(b)));
    await expect(pool([0, 1, 2, 3], { onBlock: () => true, onTrace: () => {} })).rejects.toThrow(/worker: .*no-such-system/);
    expect(pool.lanes()).toBe(2);
  }, 60_000);
  test('no blocks: the run ends', async () => {
    const pool = workerPool(recipe, 2, undefined, undefined, undefined);
    await pool([], { onBlock: () => true, onTrace: () => {} });
    expect(pool.lanes()).toBe(0);
  });
});
