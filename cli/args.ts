// Command-line flags through node:util's parseArgs (strict: an unknown flag, a missing value or a
// value that looks like a flag is an error), turned into one-line usage errors that name the flag.

import { parseArgs as nodeParseArgs } from 'node:util';

export class UsageError extends Error {}

export interface Parsed {
  readonly positional: string[];
  readonly flags: Map<string, string | true>;
}

/** The first line of a parseArgs error, in our words where we can. */
function usageMessage(e: unknown): string {
  const err = e as { code?: string; message?: string };
  const first = String(err.message ?? e).split('\n')[0];
  const opt = /'(-[^' ]+)/.exec(first)?.[1];
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${opt ?? first}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /missing/.test(first) ? `${opt} needs a value` : /ambiguous/.test(first) ? `${opt}: a value starting with "-" must be written ${opt}=VALUE` : `${opt}: ${first}`;
    default:
      return first;
  }
}

export function parseArgs(argv: readonly string[], valued: readonly string[], booleans: readonly string[]): Parsed {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = Object.create(null);
  for (const v of valued) options[v] = { type: 'string' };
  for (const b of booleans) options[b] = { type: 'boolean' };
  if (booleans.includes('help')) options.help = { type: 'boolean', short: 'h' };
  let r;
  try {
    r = nodeParseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(usageMessage(e));
  }
  const flags = new Map<string, string | true>();
  for (const [k, v] of Object.entries(r.values)) {
    if (v === false || v === undefined) continue;
    if (typeof v === 'string' && v === '' && valued.includes(k)) throw new UsageError(`--${k} needs a value`);
    flags.set(k, v === true ? true : String(v));
  }
  return { positional: r.positionals, flags };
}

export function intFlag(p: Parsed, name: string, dflt: number, min: number, max: number): number {
  const v = p.flags.get(name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d+$/.test(v) || n < min || n > max) throw new UsageError(`--${name} must be an integer in [${min}, ${max}], got ${String(v)}`);
  return n;
}

/** A duration: `90`, `90s`, `15m`, `2h` (seconds by default); returns milliseconds. */
export function durationFlag(p: Parsed, name: string): number | undefined {
  const v = p.flags.get(name);
  if (v === undefined) return undefined;
  const m = typeof v === 'string' ? /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(v) : null;
  if (!m || Number(m[1]) <= 0) throw new UsageError(`--${name} must be a positive duration like 90s, 15m or 2h, got ${String(v)}`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Number(m[1]) * unit;
}

/** The value of `--system` in argv (it decides which other flags exist), before full parsing. */
export function systemFlag(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--system') return argv[i + 1] ?? '';
    if (argv[i].startsWith('--system=')) return argv[i].slice('--system='.length);
  }
  return undefined;
}
