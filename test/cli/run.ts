// Runs the CLI in-process with captured output: what every CLI test calls.

import { main } from '../../cli/main';

export async function run(...argv: string[]): Promise<{ code: number; out: string[]; err: string[]; ms: number }> {
  const out: string[] = [];
  const err: string[] = [];
  const t0 = performance.now();
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out, err, ms: performance.now() - t0 };
}
