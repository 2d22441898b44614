// A CLI that never crashes: malformed traces, configurations, litmus files and flag lists (mutations
// of valid ones) end with exit 2 and exactly one line naming the JSON path or the flag, within a time
// bound; output paths are checked; files are not overwritten; a closed pipe, Ctrl-C and a time limit
// end cleanly; every subcommand has --help.

import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { run } from './run';

const dir = mkdtempSync(join(tmpdir(), 'robust-'));
const write = (name: string, body: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, typeof body === 'string' ? body : JSON.stringify(body));
  return p;
};

/** Replaces the value at one path of a JSON value. */
function mutateAt(u: unknown, pick: number, make: (old: unknown) => unknown): unknown {
  let k = 0;
  const walk = (x: unknown): unknown => {
    if (k++ === pick) return make(x);
    if (Array.isArray(x)) return x.map(walk);
    if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([key, v]) => [key, walk(v)]));
    return x;
  };
  return walk(u);
}

const BAD: fc.Arbitrary<(old: unknown) => unknown> = fc.constantFrom(
  () => -1, () => 2 ** 64, () => 1.5, () => 'toString', () => 'constructor', () => '__proto__', () => null, () => true, () => [],
  () => ({}), () => '0xzz', () => '', (o: unknown) => ({ nested: [[[[[[[[[[o]]]]]]]]]] }),
  (o: unknown) => (o && typeof o === 'object' && !Array.isArray(o) ? { ...o, typo: 1 } : o),
  (o: unknown) => (o && typeof o === 'object' && !Array.isArray(o) ? { ...o, toString: 1 } : o),
  () => Number.MAX_SAFE_INTEGER, () => '-5', () => 'x'.repeat(10_000),
);

const expectClean = (r: { code: number; err: string[]; ms: number }) => {
  expect([0, 1, 2]).toContain(r.code);
  expect(r.err.length).toBeLessThanOrEqual(1);
  for (const e of r.err) expect(e).not.toMatch(/\n|^\s+at /);
  if (r.code === 2) expect(r.err).toHaveLength(1);
  expect(r.ms).toBeLessThan(20_000);
};

describe('malformed inputs: exit 2, one line, no stack trace, bounded time', () => {
  // One trace of every system (with its configuration where it has one), so every codec is exercised.
  const traces = ['examples/cca/rtt-and-data.json', 'examples/cca/granule-delegation.json', 'examples/ffa/share-lifecycle.json', 'examples/sep/notify-round-trip.json', 'examples/nova/ipc-roundtrip.json'];

  test('mutated trace files (wrong types, prototype names, deep nesting, huge and negative numbers, unknown keys)', async () => {
    let twos = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...traces), fc.nat({ max: 300 }), BAD, async (file, at, bad) => {
        const t = JSON.parse(readFileSync(file, 'utf8'));
        const p = write('m.json', mutateAt(t, at, bad));
        const r = await run('replay', p, '--no-ni');
        expectClean(r);
        if (r.code === 2) {
          twos++;
          expect(r.err[0]).toMatch(/^real-ideal: .*m\.json: (\$|not JSON)/);
        }
      }),
      { numRuns: 250, seed: 42 },
    );
    expect(twos).toBeGreaterThan(80);
  });

  test('mutated configurations in a trace', async () => {
    let twos = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 12 }), BAD, async (at, bad) => {
        const cfg = { cpus: 2, granules: 64, secureGranules: [60], rootGranules: [61], mmioRanges: [[62, 64]], weakMemory: false };
        const p = write('c.json', { format: 'real-ideal/trace@2', system: 'cca', config: mutateAt(cfg, at, bad), steps: [{ rmi: 'VERSION', args: ['0x10000'] }] });
        const r = await run('replay', p);
        expectClean(r);
        if (r.code === 2) {
          twos++;
          expect(r.err[0]).toMatch(/\$\.config/);
        }
      }),
      { numRuns: 80, seed: 7 },
    );
    expect(twos).toBeGreaterThan(30);
  });

  test('mutated litmus files', async () => {
    const file = JSON.parse(readFileSync('test/weakmem/classic.json', 'utf8'));
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 200 }), BAD, async (at, bad) => {
        const p = write('l.json', mutateAt(file, at, bad));
        const r = await run('litmus', p);
        expectClean(r);
      }),
      { numRuns: 60, seed: 3 },
    );
  });

  test('random flag lists', async () => {
    const flag = fc.constantFrom('--runs', '--steps', '--seed', '--system', '--variant', '--rules', '--rules-off', '--out', '--time-limit', '--granules', '--cpus', '--bogus', '--json', '--no-ni', '--quiet', '--toString', '-x', '--');
    const value = fc.constantFrom('', ',', '0', '-1', '1e9', 'cca', 'nope', 'toString', '__proto__', '1', '5s', dir, join(dir, 'no', 'such', 'x.json'));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('check', 'replay', 'explore', 'litmus'), fc.array(fc.tuple(flag, fc.option(value)), { maxLength: 4 }), async (cmd, fl) => {
        const argv = [cmd, ...fl.flatMap(([f, v]) => (v === null ? [f] : [f, v]))];
        // Keep accidental valid runs short.
        if (cmd === 'check') argv.push('--runs', '2', '--steps', '5', '--quiet', '--out', join(dir, 'ce.json'));
        if (cmd === 'explore' && !argv.includes('--depth')) argv.push('--depth', '1');
        const r = await run(...argv);
        expectClean(r);
      }),
      { numRuns: 80, seed: 11 },
    );
  });

  test('named cases from the user report', async () => {
    const cases: [string[], RegExp][] = [
      [['check', '--rules', ','], /--rules: an empty rule name \(rules of cca: /],
      [['check', '--rules-off', ''], /--rules-off needs a value/],
      [['check', '--runs', '-5'], /--runs: a value starting with "-" must be written --runs=VALUE/],
      [['check', '--out', ''], /--out needs a value/],
      [['check', '--out', dir], /--out: .* is a folder; give a file name/],
      [['check', '--out', join(dir, 'missing', 'x.json')], /--out: folder .*missing does not exist/],
      [['check', '--time-limit', 'soon'], /--time-limit must be a positive duration/],
      [['replay', write('s.json', { format: 'real-ideal/trace@2', system: 'cca', steps: [{ cpu: 0, realm: { op: 'toString' } }] })], /\$\.steps\[0\]\.realm\.op: expected one of/],
      [['replay', write('a.json', { format: 'real-ideal/trace@2', system: 'cca', steps: [{ cpu: 0, rmi: 'VERSION', arg: ['0x10000'] }] })], /\$\.steps\[0\]\.arg: unknown key/],
      [['replay', write('n.json', { format: 'real-ideal/trace@2', system: 'cca', steps: [{ cpu: 0, rmi: 'VERSION', args: [-1] }] })], /\$\.steps\[0\]\.args\[0\]: expected a non-negative integer/],
      [['replay', write('cpu.json', { format: 'real-ideal/trace@2', system: 'cca', steps: [{ cpu: 7, rmi: 'VERSION' }] })], /\$\.steps\[0\]\.cpu: CPU 7 is not in the configuration/],
      [['replay', write('mm.json', { format: 'real-ideal/trace@2', system: 'cca', config: { mmioRanges: [5] }, steps: [] })], /\$\.config\.mmioRanges: expected \[from, to\] pairs/],
      [['replay', write('top.json', { format: 'real-ideal/trace@2', system: 'cca', steps: [], extra: 1 })], /\$\.extra: unknown key/],
      [['litmus', write('big.json', [{ name: 'x', threads: Array.from({ length: 64 }, () => [{ op: 'store', loc: 'x', val: 1 }]) }])], /at most 8 threads/],
    ];
    for (const [argv, re] of cases) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err, argv.join(' ')).toEqual([expect.stringMatching(re)]);
    }
  });
});

describe('output files', () => {
  test('default counterexample names never overwrite an earlier file', async () => {
    const cwd = process.cwd();
    const d = mkdtempSync(join(tmpdir(), 'nooverwrite-'));
    process.chdir(d);
    try {
      writeFileSync('counterexample-1.json', 'keep me');
      const r = await run('check', '--variant', 'undelegate-no-scrub', '--seed', '1', '--quiet');
      expect(r.code).toBe(1);
      expect(readFileSync('counterexample-1.json', 'utf8')).toBe('keep me');
      expect(r.out).toContain('counterexample written to counterexample-1-1.json');
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('help on every subcommand', () => {
  test.each(['check', 'replay', 'explore', 'litmus'])('%s -h / --help', async (cmd) => {
    for (const h of ['-h', '--help']) {
      const r = await run(cmd, h);
      expect(r.code).toBe(0);
      expect(r.out.join('\n')).toMatch(new RegExp(`usage: real-ideal ${cmd}`));
    }
  });
});

describe('the process', () => {
  const bin = (args: string[], opts = {}) => spawnSync(process.execPath, ['bin/real-ideal.js', ...args], { encoding: 'utf8', ...opts });

  test('a closed pipe (replay --json | head -1) ends quietly', () => {
    const r = spawnSync('sh', ['-c', `${process.execPath} bin/real-ideal.js replay examples/cca/rtt-and-data.json --json | head -1`], { encoding: 'utf8' });
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toBe('');
  });

  test('--time-limit ends a long run with its summary and coverage; progress lines go to stderr when it is not a terminal', () => {
    const r = bin(['check', '--runs', '1000000', '--time-limit', '6s', '--seed', '3']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/traces, [\d,]+ steps, [\d,]+ steps\/s; seed 3(, \d+ workers)? \(time limit reached\)/);
    expect(r.stdout).toMatch(/\ncoverage: /);
    expect(r.stderr).toMatch(/traces, [\d,]+ steps, [\d,]+ steps\/s, ETA \d+ s/);
    const q = bin(['check', '--runs', '1000000', '--time-limit', '6s', '--seed', '3', '--quiet']);
    expect(q.stderr).toBe('');
  });

  test('Ctrl-C prints the partial summary and coverage and exits 130', async () => {
    const child = spawn(process.execPath, ['bin/real-ideal.js', 'check', '--runs', '1000000', '--seed', '4'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    // The first progress line says the run is under way: interrupt it then.
    child.stderr.once('data', () => child.kill('SIGINT'));
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(130);
    expect(out).toMatch(/seed 4(, \d+ workers)? \(interrupted\)/);
    expect(out).toMatch(/no violation in the traces run before the interrupt\ncoverage: /);
  });
});
