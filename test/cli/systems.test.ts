// Systems on the command line and in the library: --system, --list-systems, per-system variants and
// rules, trace@2 files naming their system, trace@1 files replaying as CCA, and the package imported
// by its name as another project would.

import { describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './run';
import { SYSTEMS } from '../../systems';

const dir = mkdtempSync(join(tmpdir(), 'real-ideal-sys-'));

describe('--system', () => {
  test('check --list-systems lists every registered system with its title and reference', async () => {
    const r = await run('check', '--list-systems');
    expect(r.code).toBe(0);
    expect(r.out.length).toBe(SYSTEMS.length);
    expect(r.out[0]).toMatch(/^cca\s+Arm CCA Realm Management Monitor \(RMM v1\.0\) \(reference: .*rmm-v1\.0\.md/);
    for (const s of SYSTEMS) expect(r.out.some((l) => l.startsWith(s.name + ' '))).toBe(true);
  });

  test('an unknown system is a usage error naming the flag and the known systems', async () => {
    const r = await run('check', '--system', 'xen');
    expect(r.code).toBe(2);
    expect(r.err).toEqual([expect.stringMatching(/^real-ideal: --system: unknown system "xen" \(systems: cca/)]);
    expect((await run('explore', '--system', 'xen', '--depth', '2')).code).toBe(2);
  });

  test('--list-variants and --rules-off are per system', async () => {
    for (const s of SYSTEMS) {
      const r = await run('check', '--system', s.name, '--list-variants');
      expect(r.out.map((l) => l.split(/\s+/)[0])).toEqual(s.variants.map((v) => v.name));
      const bad = await run('check', '--system', s.name, '--rules-off', 'no-such-rule');
      expect(bad.code).toBe(2);
      expect(bad.err[0]).toContain(`rules of ${s.name}: ${s.rules.join(', ')}`);
    }
  });

  test('a system flag of CCA is not a flag of check without it... and the help lists the system flags', async () => {
    const h = await run('check', '--help');
    expect(h.out.join('\n')).toContain('--granules N');
    expect(h.out.join('\n')).toContain('--weak-memory');
  });

  test('check --system cca writes a trace@2 counterexample that names its system and replays to the same violation', async () => {
    const out = join(dir, 'ce.json');
    const r = await run('check', '--system', 'cca', '--variant', 'undelegate-no-scrub', '--seed', '1', '--out', out);
    expect(r.code).toBe(1);
    const t = JSON.parse(readFileSync(out, 'utf8'));
    expect(t.format).toBe('real-ideal/trace@2');
    expect(t.system).toBe('cca');
    expect(t.variant).toBe('undelegate-no-scrub');
    const v = r.out.find((l) => l.startsWith('VIOLATION: '))!.slice('VIOLATION: '.length);
    const again = await run('replay', out);
    expect(again.code).toBe(1);
    expect(again.out.find((l) => l.startsWith('VIOLATION at step'))).toContain(v);
  });

  test('trace@1 files replay unchanged as CCA; a trace@1 file may not name a system', async () => {
    const steps = [{ cpu: 0, rmi: 'GRANULE_DELEGATE', args: ['0x3000'] }, { cpu: 0, host: 'read', addr: '0x3000' }];
    const p1 = join(dir, 'v1.json');
    writeFileSync(p1, JSON.stringify({ format: 'real-ideal/trace@1', steps }));
    const r = await run('replay', p1, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out[0])).toMatchObject({ step: 0, rmi: 'GRANULE_DELEGATE', status: 'SUCCESS' });
    expect(JSON.parse(r.out[1])).toMatchObject({ step: 1, fault: 'GPF' });
    writeFileSync(p1, JSON.stringify({ format: 'real-ideal/trace@1', system: 'cca', steps }));
    expect((await run('replay', p1)).err[0]).toMatch(/\$\.system: unknown key/);
    const p2 = join(dir, 'v2.json');
    writeFileSync(p2, JSON.stringify({ format: 'real-ideal/trace@2', system: 'cca', description: 'delegate, then the host faults', steps }));
    expect((await run('replay', p2)).code).toBe(0);
    writeFileSync(p2, JSON.stringify({ format: 'real-ideal/trace@2', steps }));
    expect((await run('replay', p2)).err[0]).toMatch(/\$\.system: expected the name of a system/);
    writeFileSync(p2, JSON.stringify({ format: 'real-ideal/trace@2', system: 'cca', stpes: steps }));
    expect((await run('replay', p2)).err[0]).toMatch(/\$\.stpes: unknown key/);
  });

  test('explore --system cca --depth runs breadth first and finds a shortest counterexample of a variant that fits the scope', async () => {
    const ok = await run('explore', '--system', 'cca', '--depth', '3');
    expect(ok.code).toBe(0);
    expect(ok.out[0]).toMatch(/^real-ideal explore: cca: faithful model; \d+ distinct states, \d+ transitions, depth 3/);
    const out = join(dir, 'explore.json');
    // REALM_DESTROY without its liveness row: the shortest trace builds a realm (2 delegations, the
    // params, REALM_CREATE), gives it a table (a delegation, RTT_CREATE) and destroys it: 7 steps.
    const bad = await run('explore', '--system', 'cca', '--depth', '8', '--variant', 'realm-destroy-live', '--out', out);
    expect(bad.code).toBe(1);
    expect(bad.out.join('\n')).toMatch(/VIOLATION \(shortest, 7 steps\): (Status REALM_DESTROY realm_live|Invariant rtt-parent)/);
    expect((await run('explore', '--system', 'cca', '--depth', '6', '--variant', 'realm-destroy-live', '--out', out)).code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).system).toBe('cca');
  });

  test('explore rec-destroy is still the named CCA scenario', async () => {
    const r = await run('explore', 'rec-destroy');
    expect(r.code).toBe(0);
    expect(r.out[r.out.length - 1]).toBe('the permutation condition holds in every outcome');
  });
});

describe("the library, imported by the package's name", () => {
  test("check() returns data: verdict, counts, coverage, a counterexample with its trace file", async () => {
    const lib = await import('real-ideal');
    expect(lib.systems.map((s) => s.name)).toContain('cca');
    const pass = lib.check('cca', { runs: 20, seed: 3 });
    expect(pass.verdict).toBe('pass');
    expect(pass.steps).toBeGreaterThan(100);
    expect(pass.coverage.find((g) => g.name === 'pairs')!.of).toBe(64);
    const bad = lib.check('cca', { variant: 'undelegate-no-scrub', seed: 1 });
    expect(bad.verdict).toBe('violation');
    const trace = bad.counterexample!.trace;
    expect(trace).toMatchObject({ format: 'real-ideal/trace@2', system: 'cca', variant: 'undelegate-no-scrub' });
    const again = lib.replay(JSON.parse(JSON.stringify(trace)));
    expect(again.first!.violations[0]).toEqual(bad.counterexample!.failing.violations[0]);
    expect(() => lib.check('xen')).toThrow(/unknown system "xen"/);
  });
});
