// The real-ideal command as a user meets it: exit codes, one-line errors naming the JSON path,
// counterexample files that replay to the same violation, and the launcher in bin/.

import { describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { run } from './run';
import { VARIANTS } from '../../variants/cca';

const dir = mkdtempSync(join(tmpdir(), 'real-ideal-'));
const file = (name: string, body: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, typeof body === 'string' ? body : JSON.stringify(body));
  return p;
};

describe('usage errors: exit 2, one line, no stack trace', () => {
  test.each([
    [['check', '--bogus'], /unknown option --bogus/],
    [['check', '--runs', 'many'], /--runs must be an integer/],
    [['check', '--variant', 'nope'], /unknown variant "nope"/],
    [['check', '--rules-off', 'mmio,nope'], /unknown rule "nope"/],
    [['check', '--variant-file', '/no/such/file.ts'], /variant file not found/],
    [['replay'], /usage: real-ideal replay FILE/],
    [['replay', '/no/such/trace.json'], /cannot read/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ])('%j', async (argv, message) => {
    const r = await run(...(argv as string[]));
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(message);
    expect(r.err[0]).not.toMatch(/\n|at .*\.ts:\d+/);
  });
});

describe('malformed trace files name the JSON path', () => {
  const trace = (steps: unknown[], extra = {}) => ({ format: 'real-ideal/trace@1', steps, ...extra });
  test.each([
    ['not json', '{"format": ', /not JSON/],
    ['wrong format', JSON.stringify({ format: 'x', steps: [] }), /\$\.format: expected "real-ideal\/trace@2" \(or "real-ideal\/trace@1" for a CCA trace\)/],
    ['bad argument', JSON.stringify(trace([{ rmi: 'VERSION', args: ['0x10000'] }, { cpu: 0, rmi: 'GRANULE_DELEGATE', args: ['0x3000', 'zz'] }])), /\$\.steps\[1\]\.args\[1\]: expected a 64-bit value/],
    ['unknown command', JSON.stringify(trace([{ rmi: 'DATA_MAP' }])), /\$\.steps\[0\]\.rmi: unknown RMI command "DATA_MAP"/],
    ['bad register', JSON.stringify(trace([{ realm: { op: 'load', ipa: '0x0', reg: 31 } }])), /\$\.steps\[0\]\.realm\.reg: expected register 0\.\.30, got 31/],
    ['bad param field', JSON.stringify(trace([{ host: 'write', addr: '0x0', realmParams: { s2sz: true } }])), /\$\.steps\[0\]\.realmParams\.s2sz/],
    ['bad config', JSON.stringify(trace([], { config: { cpus: 0 } })), /\$\.config\.cpus: must be an integer in \[1, 64\]/],
    ['unknown step', JSON.stringify(trace([{ cpu: 0 }])), /\$\.steps\[0\]: expected one of "rmi"/],
  ])('%s', async (_name, body, message) => {
    const r = await run('replay', file('bad.json', body));
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(message);
  });
});

describe('check', () => {
  test('faithful model: exit 0, a summary with coverage and the seed, no counterexample', async () => {
    const r = await run('check', '--runs', '40', '--seed', '5');
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^real-ideal check: cca: faithful model; 40 traces, [\d,]+ steps, [\d,]+ steps\/s; seed 5(, \d+ workers)?$/);
    expect(r.out.join('\n')).toMatch(/coverage: RMI \(command, status\) \d+\/64/);
    // The verdict comes right after the summary; the coverage after the verdict.
    expect(r.out[1]).toBe('no violation');
    expect(r.out[2]).toMatch(/^coverage: /);
  });

  test('--list-variants names every variant of the catalogue', async () => {
    const r = await run('check', '--list-variants');
    expect(r.code).toBe(0);
    expect(r.out.map((l) => l.split(/\s+/)[0])).toEqual(VARIANTS.map((v) => v.name));
  });

  test('a violation: exit 1, the shrunk trace, the property and component, a file that replays to it', async () => {
    const out = join(dir, 'cx.json');
    const r = await run('check', '--variant', 'exit-leaks-gprs', '--seed', '3', '--runs', '200', '--out', out);
    expect(r.code).toBe(1);
    const text = r.out.join('\n');
    expect(text).toMatch(/VIOLATION: Observation REC exit record\.gprs\[\d\]: real 0x[0-9a-f]+, ideal 0x[0-9a-f]+/);
    expect(text).toContain(`counterexample written to ${out}`);
    expect(text).toContain(`replay: npx real-ideal replay ${out}`);
    const step = Number(/at step (\d+) of the shrunk counterexample \((\d+) steps\)/.exec(text)![1]);
    const trace = JSON.parse(readFileSync(out, 'utf8'));
    expect(trace.variant).toBe('exit-leaks-gprs');
    expect(trace.steps).toHaveLength(step + 1);
    // Replaying reproduces the same violation at the same step, in both output modes.
    const again = await run('replay', out);
    expect(again.code).toBe(1);
    expect(again.out[again.out.length - 1]).toMatch(new RegExp(`^VIOLATION at step ${step}: Observation REC exit record\\.gprs`));
    const json = await run('replay', out, '--json');
    const lines = json.out.map((l) => JSON.parse(l));
    expect(lines).toHaveLength(step + 1);
    expect(lines[step].violation.property).toBe('Observation');
    expect(lines.slice(0, step).every((l: { violation?: unknown }) => l.violation === undefined)).toBe(true);
    // The same file replayed against the faithful model shows no violation.
    const faithful = JSON.parse(readFileSync(out, 'utf8'));
    delete faithful.variant;
    expect((await run('replay', file('faithful.json', faithful))).code).toBe(0);
  });

  test('a user-written variant file is loaded and checked', async () => {
    const r = await run('check', '--variant-file', 'examples/cca/variants/data-destroy-unchecked.ts', '--seed', '1', '--runs', '100', '--out', join(dir, 'u.json'));
    expect(r.code).toBe(1);
    expect(r.out[0]).toContain('variant file examples/cca/variants/data-destroy-unchecked.ts');
    const trace = JSON.parse(readFileSync(join(dir, 'u.json'), 'utf8'));
    expect(trace.variantFile).toBe('examples/cca/variants/data-destroy-unchecked.ts');
    expect((await run('replay', join(dir, 'u.json'))).code).toBe(1);
  });

  test('a variant file that exports no function is a usage error', async () => {
    const r = await run('check', '--variant-file', file('nofn.ts', 'export const x = 1;\n'));
    expect(r.code).toBe(2);
    expect(r.err[0]).toMatch(/must export a function/);
  });
});

describe('replay --json', () => {
  test('one object per step with the RMI status, index and outputs', async () => {
    const p = file('t.json', {
      format: 'real-ideal/trace@1',
      steps: [
        { cpu: 0, rmi: 'GRANULE_DELEGATE', args: ['0x3000'] },
        { cpu: 0, rmi: 'GRANULE_DELEGATE', args: ['0x3000'] },
        { cpu: 1, host: 'read', addr: '0x3000' },
        { cpu: 0, rmi: 'VERSION', args: ['0x10000'] },
        { cpu: 0, fid: '0xc4000156' },
      ],
    });
    const r = await run('replay', p, '--json');
    expect(r.code).toBe(0);
    const s = r.out.map((l) => JSON.parse(l));
    expect(s[0]).toMatchObject({ step: 0, rmi: 'GRANULE_DELEGATE', status: 'SUCCESS', index: 0, x: ['0x0', '0x0', '0x0', '0x0'] });
    expect(s[1]).toMatchObject({ step: 1, rmi: 'GRANULE_DELEGATE', status: 'ERROR_INPUT', index: 0, failed: 'gran_state' });
    expect(s[2]).toMatchObject({ step: 2, host: 'read', fault: 'GPF' });
    expect(s[3]).toMatchObject({ rmi: 'VERSION', status: 'SUCCESS', x: ['0x10000', '0x10000', '0x0', '0x0'] });
    expect(s[4]).toMatchObject({ fid: '0xc4000156', status: 'NOT_SUPPORTED', x0: '0xffffffffffffffff' });
  });
});

describe('explore rec-destroy (exhaustive Figure-4 race)', () => {
  test('faithful: the permutation condition holds in every reachable outcome', async () => {
    const r = await run('explore', 'rec-destroy', '--json');
    expect(r.code).toBe(0);
    const o = JSON.parse(r.out[0]);
    expect(o.outcomes).toContainEqual({ count: '0x0', slot: '0x0', violates: false });
    expect(o.outcomes).toContainEqual({ count: '0x1', slot: '0x0', violates: false });
    expect(o.outcomes.some((x: { violates: boolean }) => x.violates)).toBe(false);
  });
  test('without the release, REALM_DESTROY can read count 0 and a stale REC-list slot', async () => {
    const r = await run('explore', 'rec-destroy', '--variant', 'rec-count-no-release', '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out[0]).outcomes).toContainEqual({ count: '0x0', slot: '0x6000', violates: true });
  });
});

describe('the launcher', () => {
  test('npx real-ideal (bin/real-ideal.js) runs check and sets the exit code', () => {
    const ok = spawnSync(process.execPath, ['bin/real-ideal.js', 'check', '--runs', '3', '--seed', '1'], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/no violation/);
    const bad = spawnSync(process.execPath, ['bin/real-ideal.js', 'check', '--runs', 'x'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});
