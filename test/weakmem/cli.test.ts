import { mkdtempSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { litmusCommand } from '../../cli/litmus';

// A copy of ../shared/examples/litmus/classic.json, so the suite runs from any checkout.
const CLASSIC = fileURLToPath(new URL('./classic.json', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'litmus-cli-'));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await litmusCommand(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out, err };
}

describe('real-ideal litmus', () => {
  test('classic.json: all verdicts match, exit 0, one line per test plus a summary', async () => {
    const r = await run([CLASSIC]);
    expect(r.code).toBe(0);
    expect(r.err).toEqual([]);
    expect(r.out).toHaveLength(9);
    expect(r.out[0]).toMatch(/^MP\s+allowed\s+\(expected allowed\) ok\s+outcomes: \{1:r0=0,1:r1=0\} \{1:r0=0,1:r1=1\} \{1:r0=1,1:r1=0\} \{1:r0=1,1:r1=1\}$/);
    expect(r.out.find((l) => l.startsWith('MP+dmb.sys '))).toMatch(/forbidden\s+\(expected forbidden\) ok/);
    expect(r.out[8]).toBe('8 tests, 8 match, 0 mismatch');
  });
  test('--json: one object per line', async () => {
    const r = await run(['--json', CLASSIC]);
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(8);
    const objs = r.out.map((l) => JSON.parse(l));
    expect(objs[0]).toMatchObject({ name: 'MP', allowed: true, result: 'allowed', verdict: 'allowed', match: true });
    expect(objs[0].outcomes).toContainEqual({ '1:r0': 1, '1:r1': 0 });
    expect(typeof objs[0].states).toBe('number');
    expect(objs[1]).toMatchObject({ name: 'MP+dmb.sys', allowed: false, result: 'forbidden', match: true });
    expect(objs[1].outcomes).not.toContainEqual({ '1:r0': 1, '1:r1': 0 });
  });
  test('a wrong verdict: exit 1 and MISMATCH', async () => {
    const p = file('wrong.json', JSON.stringify([{ name: 'SB', threads: [[{ op: 'store', loc: 'x', val: 1 }, { op: 'load', loc: 'y', reg: 'r0' }], [{ op: 'store', loc: 'y', val: 1 }, { op: 'load', loc: 'x', reg: 'r0' }]], outcome: { '0:r0': 0, '1:r0': 0 }, verdict: 'forbidden' }]));
    const r = await run([p]);
    expect(r.code).toBe(1);
    expect(r.out[0]).toMatch(/SB\s+allowed\s+\(expected forbidden\) MISMATCH/);
    expect(r.out[1]).toBe('1 test, 0 match, 1 mismatch');
    const j = await run([p, '--json']);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.out[0])).toMatchObject({ match: false, verdict: 'forbidden', result: 'allowed' });
  });
  test('tests without verdict: exit 0, no verdict fields', async () => {
    const p = file('noverdict.json', JSON.stringify([{ name: 'W', threads: [[{ op: 'store', loc: 'x', val: 1 }]], outcome: { x: 1 } }]));
    const r = await run([p, '--json']);
    expect(r.code).toBe(0);
    const o = JSON.parse(r.out[0]);
    expect(o).toEqual({ name: 'W', allowed: true, result: 'allowed', outcomes: [{ x: 1 }], states: 2 });
  });
  test.each([
    [[], /missing FILE/],
    [['a', 'b'], /too many arguments/],
    [['--bogus', CLASSIC], /unknown option --bogus/],
    [[join(dir, 'nope.json')], /cannot read .*nope\.json: no such file/],
    [[dir], /cannot read/],
  ])('bad usage %j: exit 2, one line on err', async (argv, re) => {
    const r = await run(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(re);
    expect(r.err[0]).not.toContain('\n');
    expect(r.err[0]).not.toMatch(/\bat .*:\d+:\d+/);
  });
  test('malformed files: exit 2 with the JSON path', async () => {
    const j = await run([file('bad.json', '[{"name": "a", ')]);
    expect(j.code).toBe(2);
    expect(j.err[0]).toMatch(/invalid JSON/);
    const m = await run([file('bad2.json', JSON.stringify([{ name: 'a', threads: [[{ op: 'load', loc: 'x' }, { op: 'frob' }]] }]))]);
    expect(m.code).toBe(2);
    expect(m.err[0]).toMatch(/\$\[0\]\.threads\[0\]\[1\]\.op: expected one of load\|store/);
    expect(m.out).toEqual([]);
  });
});
