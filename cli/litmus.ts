// `real-ideal litmus FILE [--json]`: run every test of a litmus file on the weak-memory executor.
// Exit 0: every test with a verdict matches; 1: some verdict mismatches; 2: bad usage, unreadable or
// malformed file (one line on err, no stack trace).
import { readFile } from 'node:fs/promises';
import { decodeLitmusFile } from '../model/litmus';
import { formatOutcome, type Outcome } from '../real/shared/weakmem/executor';
import { runLitmus } from '../real/shared/weakmem/litmus';

export interface CliIo {
  out(s: string): void;
  err(s: string): void;
  /** Progress of a long exploration (stderr). */
  progress?(s: string): void;
}

const USAGE = 'usage: real-ideal litmus FILE [--json]';

const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, ' ').trim();

/** bigint -> number when exact, else a decimal string (JSON has no bigints). */
const jsonVal = (v: bigint): number | string => (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString());
const jsonOutcome = (o: Outcome): Record<string, number | string> => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, jsonVal(v)]));

export async function litmusCommand(argv: string[], io: CliIo): Promise<number> {
  try {
    let json = false;
    const files: string[] = [];
    for (const a of argv) {
      if (a === '--json') json = true;
      else if (a === '-h' || a === '--help') {
        io.out(USAGE);
        return 0;
      } else if (a.startsWith('-') && a !== '-') {
        io.err(`litmus: unknown option ${a} (${USAGE})`);
        return 2;
      } else files.push(a);
    }
    if (files.length !== 1) {
      io.err(`litmus: ${files.length === 0 ? 'missing FILE' : 'too many arguments'} (${USAGE})`);
      return 2;
    }
    const file = files[0];
    let text: string;
    try {
      text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
    } catch (e) {
      const code = (e as { code?: string }).code;
      io.err(oneLine(`litmus: cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message ?? String(e)}`));
      return 2;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      io.err(oneLine(`litmus: ${file}: invalid JSON: ${(e as Error).message}`));
      return 2;
    }
    const dec = decodeLitmusFile(parsed);
    if (!dec.ok) {
      io.err(oneLine(`litmus: ${file}: ${dec.error}`));
      return 2;
    }
    let matched = 0;
    let mismatched = 0;
    let truncated = 0;
    const width = Math.max(0, ...dec.value.map((t) => t.name.length));
    for (const test of dec.value) {
      const r = runLitmus(test, { onProgress: io.progress ? (n) => io.progress!(`  litmus ${test.name}: ${n.toLocaleString('en-US')} states explored (at most 2,000,000)`) : undefined });
      if (r.match === true) matched++;
      if (r.match === false) mismatched++;
      if (r.truncated) truncated++;
      if (json) {
        io.out(
          JSON.stringify({
            name: r.name,
            allowed: r.allowed,
            result: r.result,
            ...(r.verdict ? { verdict: r.verdict, match: r.match } : {}),
            outcomes: r.outcomes.map(jsonOutcome),
            states: r.states,
            ...(r.truncated ? { truncated: true } : {}),
          }),
        );
      } else {
        const exp = r.verdict ? `  (expected ${r.verdict}) ${r.match ? 'ok' : 'MISMATCH'}` : '';
        const trunc = r.truncated ? '  (state limit hit: outcomes incomplete)' : '';
        io.out(`${r.name.padEnd(width)}  ${r.result.padEnd(9)}${exp}${trunc}  outcomes: ${r.outcomes.map(formatOutcome).join(' ')}`);
      }
    }
    if (!json) {
      const n = dec.value.length;
      const noVerdict = n - matched - mismatched;
      io.out(`${n} test${n === 1 ? '' : 's'}, ${matched} match, ${mismatched} mismatch${noVerdict ? `, ${noVerdict} without verdict` : ''}`);
    }
    if (truncated > 0) {
      io.err(`litmus: ${truncated} test(s) hit the state limit; their results may be incomplete`);
      return 2;
    }
    return mismatched > 0 ? 1 : 0;
  } catch (e) {
    io.err(oneLine(`litmus: internal error: ${e instanceof Error ? e.message : String(e)}`));
    return 2;
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
