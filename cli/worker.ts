// A worker thread of `check --workers N`: it rebuilds the run from a recipe (system, variant or
// variant file, configuration, rules; the specification holds functions, so it cannot be sent), then
// runs the blocks the main thread hands it and sends back their results as plain data.

import { parentPort, workerData } from 'node:worker_threads';
import { runBlock, type RunOptions } from '../properties/engine';
import { chooseSpec, chooseSystem } from './setup';

export interface Recipe {
  readonly system: string;
  readonly variant?: string;
  readonly variantFile?: string;
  readonly config: unknown;
  readonly rules: ReadonlySet<string>;
  readonly runs: number;
  readonly steps: number;
  readonly seed: number;
  readonly noninterference: boolean;
  readonly deadline?: number;
}

/** A block to run; `interrupt`: finish the running block now (Ctrl-C), sending what it did. */
export type ToWorker = { readonly block: number } | { readonly interrupt: true };
export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'trace'; readonly steps: number }
  | { readonly type: 'block'; readonly result: import('../properties/engine').BlockResult }
  | { readonly type: 'error'; readonly message: string };

async function serve(): Promise<void> {
  const port = parentPort!;
  const send = (m: FromWorker) => port.postMessage(m);
  try {
    const r = workerData as Recipe;
    const sys = chooseSystem(r.system);
    const chosen = await chooseSpec(sys, r.variant, r.variantFile);
    const opts: RunOptions = { spec: chosen.spec, config: r.config, rules: r.rules, runs: r.runs, steps: r.steps, seed: r.seed, noninterference: r.noninterference };
    let interrupted = false;
    port.on('message', (m: ToWorker) => {
      if ('interrupt' in m) { interrupted = true; return; }
      runBlock(sys, opts, m.block, { onTrace: (steps) => send({ type: 'trace', steps }), deadline: r.deadline, interrupted: () => interrupted })
        .then((result) => send({ type: 'block', result }))
        .catch((e) => send({ type: 'error', message: e instanceof Error ? e.message : String(e) }));
    });
    send({ type: 'ready' });
  } catch (e) {
    send({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
}

if (parentPort) void serve();
