// The figures of the previous bench run (bench/baseline.json), printed beside the new ones so a change
// in speed is seen where it happens. `BENCH_SAVE=1 npm run bench` makes this run's figures the baseline
// (commit the file with the change that moved them).

import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const FILE = new URL('./baseline.json', import.meta.url);

interface Baseline { readonly note: string; readonly figures: Record<string, number> }

const before: Baseline = existsSync(FILE) ? JSON.parse(readFileSync(FILE, 'utf8')) : { note: '', figures: {} };
const now: Record<string, number> = {};

/** Records `value` under `key` and returns the previous figure as text (or blank). */
export function beside(key: string, value: number, digits = 0): string {
  now[key] = value;
  const old = before.figures[key];
  if (old === undefined || !Number.isFinite(old)) return '';
  const v = digits ? old.toFixed(digits) : Math.round(old).toLocaleString('en-US');
  return `(before ${v})`;
}

export const baselineNote = (): string => before.note;

export function saveBaseline(note: string): void {
  writeFileSync(FILE, JSON.stringify({ note, figures: { ...before.figures, ...now } }, null, 1) + '\n');
}
