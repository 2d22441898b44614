// check --workers N and --shard I/N: the verdict, the counterexample and the coverage of a seed do not
// depend on N; shards partition the run and `coverage merge` of their files gives the whole run's
// coverage; malformed flags and coverage files are one-line errors with exit code 2.

import { describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './run';

const dir = mkdtempSync(join(tmpdir(), 'real-ideal-par-'));
const json = (r: { out: string[] }) => JSON.parse(r.out[0]);

describe('--workers', () => {
  test('a violation: the same counterexample file with 1 and 3 workers', async () => {
    const a = await run('check', '--system', 'sep', '--variant', 'receiver-page-writable', '--seed', '2', '--workers', '1', '--json', '--out', join(dir, 'w1.json'));
    const b = await run('check', '--system', 'sep', '--variant', 'receiver-page-writable', '--seed', '2', '--workers', '3', '--json', '--out', join(dir, 'w3.json'));
    expect([a.code, b.code]).toEqual([1, 1]);
    expect(json(b).workers).toBe(3);
    const [ja, jb] = [json(a), json(b)];
    expect([jb.path, jb.traces, jb.steps, jb.violation]).toEqual([ja.path, ja.traces, ja.steps, ja.violation]);
    expect(readFileSync(join(dir, 'w3.json'), 'utf8')).toBe(readFileSync(join(dir, 'w1.json'), 'utf8'));
  }, 120_000);
  test('no violation: the same counts and coverage with 1 and 2 workers', async () => {
    const a = json(await run('check', '--system', 'nova', '--seed', '4', '--runs', '150', '--workers', '1', '--json'));
    const b = json(await run('check', '--system', 'nova', '--seed', '4', '--runs', '150', '--workers', '2', '--json'));
    expect(b.workers).toBe(2);
    expect([b.verdict, b.traces, b.steps, b.coverage]).toEqual([a.verdict, a.traces, a.steps, a.coverage]);
  }, 120_000);
});

describe('--shard and coverage merge', () => {
  test('three shards partition the runs; merged coverage equals the whole run\'s', async () => {
    const whole = await run('check', '--system', 'ffa', '--seed', '9', '--runs', '150', '--workers', '1', '--coverage-json', join(dir, 'whole.json'), '--json');
    const parts = [];
    for (const i of [1, 2, 3]) parts.push(await run('check', '--system', 'ffa', '--seed', '9', '--runs', '150', '--workers', '1', '--shard', `${i}/3`, '--coverage-json', join(dir, `s${i}.json`), '--json'));
    expect(parts.map((p) => json(p).shard)).toEqual(['1/3', '2/3', '3/3']);
    expect(parts.reduce((a, p) => a + json(p).traces, 0)).toBe(json(whole).traces);
    expect(parts.reduce((a, p) => a + json(p).steps, 0)).toBe(json(whole).steps);
    const merged = await run('coverage', 'merge', join(dir, 's1.json'), join(dir, 's2.json'), join(dir, 's3.json'), '--json');
    expect(merged.code).toBe(0);
    expect(json(merged).coverage).toEqual(json(whole).coverage);
    expect(json(merged).missingShards).toEqual([]);
    const counts = (f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8')).counts;
    const sum: Record<string, Record<string, number>> = {};
    for (const f of ['s1.json', 's2.json', 's3.json']) for (const [g, m] of Object.entries(counts(f) as Record<string, Record<string, number>>)) for (const [k, n] of Object.entries(m)) (sum[g] ??= {})[k] = (sum[g][k] ?? 0) + n;
    expect(sum).toEqual(counts('whole.json'));
    const two = await run('coverage', 'merge', join(dir, 's1.json'), join(dir, 's3.json'));
    expect(two.out.join('\n')).toMatch(/shards not given: 2\/3/);
  }, 180_000);
  test.each([
    [['check', '--shard', '0/2'], /--shard must be I\/N with 1 <= I <= N/],
    [['check', '--shard', '3/2'], /--shard must be I\/N/],
    [['check', '--shard', 'a'], /--shard must be I\/N/],
    [['check', '--runs', '30', '--shard', '1/4'], /4 shards but the run has 2 blocks/],
    [['check', '--workers', '0'], /--workers must be an integer in \[1, 256\]/],
    [['coverage', 'merge'], /name at least one coverage file/],
    [['coverage', 'split', 'x'], /unknown subcommand "split"/],
  ])('%j', async (argv, msg) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(msg);
  });
  test('a malformed coverage file names the JSON path', async () => {
    const f = join(dir, 'bad.json');
    writeFileSync(f, JSON.stringify({ format: 'real-ideal/coverage@1', system: 'cca', seed: 1, runs: 10, steps: 5, traces: 1, stepsRun: 3, rulesOn: [], verdict: 'pass', counts: { rmi: { x: -1 } } }));
    const r = await run('coverage', 'merge', f);
    expect(r.code).toBe(2);
    expect(r.err[0]).toMatch(/\$\.counts\.rmi\["x"\]: expected a count/);
    const g = join(dir, 'other.json');
    writeFileSync(g, JSON.stringify({ format: 'real-ideal/coverage@1', system: 'cca', seed: 2, runs: 10, steps: 5, traces: 1, stepsRun: 3, rulesOn: [], verdict: 'pass', counts: {} }));
    writeFileSync(f, JSON.stringify({ format: 'real-ideal/coverage@1', system: 'cca', seed: 1, runs: 10, steps: 5, traces: 1, stepsRun: 3, rulesOn: [], verdict: 'pass', counts: {} }));
    const r2 = await run('coverage', 'merge', f, g);
    expect(r2.err[0]).toMatch(/\$\.seed: 2, but .* has 1/);
  });
});
