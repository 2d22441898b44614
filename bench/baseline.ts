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

/** A figure right-aligned in 10 columns: an integer with thousands separators, or `digits` decimals. */
export const fmt = (n: number, digits = 0): string => (digits ? n.toFixed(digits) : Math.round(n).toLocaleString('en-US')).padStart(10);

/** One bench line: label, figure, the previous figure under `key`, and a remark. */
export const row = (label: string, key: string, v: number, extra = '', digits = 0): void =>
  console.log(`${label.padEnd(48)}${fmt(v, digits)}  ${beside(key, v, digits).padEnd(18)}${extra}`);
