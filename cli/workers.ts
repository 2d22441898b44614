// `check --workers N`: the run's blocks (properties/engine/run.ts) spread over worker threads. Blocks
// are handed out in order; once a block fails, no later block starts and workers busy with later
// ones are stopped, so the result is the one a single thread gives (the engine joins blocks by index).

import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { BlockExecutor, BlockResult } from '../properties/engine';
import type { FromWorker, Recipe, ToWorker } from './worker';

export const defaultWorkers = (): number => Math.max(1, availableParallelism());

/** The bundled worker next to the bundled CLI, or the TypeScript one through tsx's loader. */
function spawn(recipe: Recipe): Worker {
  const here = import.meta.url;
  const dist = here.indexOf('/dist/');
  if (dist >= 0) return new Worker(new URL(here.slice(0, dist + 6) + 'worker.js'), { workerData: recipe });
  return new Worker(new URL('./worker-boot.mjs', here), { workerData: recipe });
}

export class WorkerError extends Error {}

/**
 * Runs a block in this thread (the CLI's main thread is one of the N lanes: it would otherwise idle,
 * and one worker fewer saves its start-up). `stop` says when the block no longer matters.
 */
export type LocalLane = (block: number, hooks: { readonly onTrace: (steps: number) => void; readonly stop: () => boolean }) => Promise<BlockResult>;

/** Blocks run in the first seconds are still being compiled: the estimate waits this long. */
const WARM_MS = 2000;

/** A pool's executor and the lanes it used (this thread's included) in its last run. */
export type Pool = BlockExecutor & { readonly lanes: () => number };

/**
 * With `lazy` (seconds; needs a local lane), the worker lanes start only once the blocks left would
 * take this thread longer than that (its fastest block so far times the blocks left, judged from its
 * third second on: the first blocks run before V8 has compiled the model): a worker loads
 * and warms the model (V8 compiles hundreds of functions again), which on 2 cores slows the run for
 * seconds, so a short run is faster on one lane. The results are the same either way.
 */
export function workerPool(recipe: Recipe, n: number, interrupted?: () => boolean, local?: LocalLane, lazy?: number): Pool {
  let lanes = 0;
  const run: BlockExecutor = (blocks, hooks) => new Promise<void>((resolve, reject) => {
    const queue = [...blocks].sort((a, b) => a - b);
    let lowestFailure = Infinity;
    let running = 0;
    const busy = new Map<Worker, number>();
    const workers: Worker[] = [];
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      clearInterval(poll);
      for (const w of workers) void w.terminate();
      if (err) reject(err); else resolve();
    };
    const retire = (w?: Worker) => {
      if (w) { busy.delete(w); void w.terminate(); }
      if (--running === 0) finish();
    };
    /** The next block for a lane, or undefined when the lane is done. */
    const take = (): number | undefined => {
      const b = queue.shift();
      return b === undefined || b > lowestFailure ? undefined : b;
    };
    /** A lane's block finished: false when the lane must stop. */
    const result = (r: BlockResult, from?: Worker): boolean => {
      if (!hooks.onBlock(r)) {
        lowestFailure = Math.min(lowestFailure, r.block);
        // Later blocks can no longer matter: stop the workers busy with them.
        for (const [o, b] of busy) if (o !== from && b > lowestFailure) { busy.delete(o); void o.terminate(); if (--running === 0) { finish(); return false; } }
      }
      return !r.stopped;
    };
    const next = (w: Worker) => {
      const b = take();
      if (b === undefined) return retire(w);
      busy.set(w, b);
      w.postMessage({ block: b } satisfies ToWorker);
    };
    // Ctrl-C: each busy worker ends its block and sends what it did; then the run ends.
    let interrupting = false;
    const poll = setInterval(() => {
      if (interrupting || !interrupted?.()) return;
      interrupting = true;
      queue.length = 0;
      for (const w of busy.keys()) w.postMessage({ interrupt: true } satisfies ToWorker);
      if (!busy.size && !local) finish();
    }, 50);
    let started = false;
    /** Starts the worker lanes: n of them, or n - 1 beside this thread's (which takes a block of its own). */
    const start = () => {
      started = true;
      const mine = local ? 1 : 0;
      const count = Math.max(0, Math.min(n, queue.length) - mine);
      lanes += count;
      for (let i = 0; i < count; i++) worker();
    };
    const worker = () => {
      const w = spawn(recipe);
      workers.push(w);
      running++;
      w.on('message', (m: FromWorker) => {
        if (done) return;
        if (m.type === 'ready') next(w);
        else if (m.type === 'trace') hooks.onTrace(m.steps);
        else if (m.type === 'error') finish(new WorkerError(`worker: ${m.message}`));
        else if (result(m.result, w)) next(w);
        else if (!done) retire(w);
      });
      w.on('error', (e) => finish(new WorkerError(`worker: ${e.message}`)));
    };
    lanes = 0;
    if (!local || lazy === undefined) start();
    if (local) {
      running++;
      lanes++;
      let fastest = Infinity;
      const since = performance.now();
      void (async () => {
        for (let b = take(); b !== undefined && !done; b = take()) {
          const block = b;
          const t0 = performance.now();
          const r = await local(block, { onTrace: hooks.onTrace, stop: () => done || interrupting || lowestFailure < block });
          if (done || !result(r)) break;
          fastest = Math.min(fastest, performance.now() - t0);
          if (!started && !interrupting && performance.now() - since >= WARM_MS && (queue.length * fastest) / 1000 > lazy!) start();
        }
        if (!done) retire();
      })().catch((e) => finish(e instanceof Error ? e : new Error(String(e))));
    }
    if (running === 0) finish(); // no blocks at all
  });
  return Object.assign(run, { lanes: () => lanes });
}
