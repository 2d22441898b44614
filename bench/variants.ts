// Time to the first violation per named variant of a system over several seeds: median wall time,
// median number of traces, and the shrunk counterexample's length.

import type { AnySystem } from '../model/system';
import { runChecks } from '../properties/engine';
import { beside } from './baseline';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
};

export function variantBench(sys: AnySystem, seeds = Number(process.env.BENCH_VARIANT_SEEDS ?? 10), runs = 1000, only?: string[]): void {
  console.log(`variant                        found  median s  median traces  shrunk steps (median)  property`);
  for (const v of sys.variants.filter((x) => !only || only.includes(x.name))) {
    const times: number[] = [];
    const tr: number[] = [];
    const lens: number[] = [];
    const props = new Map<string, number>();
    for (let seed = 1; seed <= seeds; seed++) {
      const t0 = performance.now();
      const r = runChecks(sys, { spec: v.apply(sys.spec), config: { ...sys.config.defaults, ...v.config }, runs, steps: 100, seed, noninterference: true });
      if (!r.counterexample) continue;
      times.push((performance.now() - t0) / 1000);
      tr.push(r.traces);
      lens.push(r.counterexample.actions.length);
      const p = r.counterexample.failing.violations[0].property;
      props.set(p, (props.get(p) ?? 0) + 1);
    }
    const prop = [...props].sort((a, b) => b[1] - a[1]).map(([p, k]) => `${p} ${k}`).join(', ');
    const was = beside(`${sys.name} variant ${v.name} s`, median(times), 2);
    console.log(`${v.name.padEnd(30)} ${`${times.length}/${seeds}`.padStart(5)}  ${median(times).toFixed(2).padStart(8)}  ${String(median(tr)).padStart(13)}  ${String(median(lens)).padStart(21)}  ${prop}${was ? `  ${was.replace('before', 'median s before')}` : ''}`);
  }
}
