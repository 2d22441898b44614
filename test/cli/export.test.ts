// Exports of a trace: ITF (the Apalache/Quint trace format) checked against the format's rules, the
// HTML page opened in a real browser (Debian's chromium through playwright-core), and `--seed/--path`
// reproducing a check's counterexample without its file.

import { describe, expect, test } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './run';

const dir = mkdtempSync(join(tmpdir(), 'export-'));
const CE = 'examples/cca/variant-undelegate-no-scrub.json';

/** The rules of ITF values (ADR-015): no null, no floats, integers safe or #bigint, special objects well formed. */
function itfValueErrors(v: unknown, path: string): string[] {
  if (v === null) return [`${path}: null`];
  if (typeof v === 'number') return Number.isSafeInteger(v) ? [] : [`${path}: not a safe integer`];
  if (typeof v === 'string' || typeof v === 'boolean') return [];
  if (Array.isArray(v)) return v.flatMap((x, i) => itfValueErrors(x, `${path}[${i}]`));
  if (typeof v !== 'object') return [`${path}: ${typeof v}`];
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  const special = keys.filter((k) => k.startsWith('#'));
  if (special.length) {
    if (keys.length !== 1) return [`${path}: a special object with other keys`];
    const [k] = special;
    if (k === '#bigint') return typeof o[k] === 'string' && /^-?\d+$/.test(o[k] as string) ? [] : [`${path}: bad #bigint`];
    if (k === '#tup' || k === '#set') return Array.isArray(o[k]) ? itfValueErrors(o[k], `${path}.${k}`) : [`${path}: bad ${k}`];
    if (k === '#map') return Array.isArray(o[k]) && (o[k] as unknown[]).every((e) => Array.isArray(e) && e.length === 2) ? itfValueErrors(o[k], `${path}.#map`) : [`${path}: bad #map`];
    if (k === '#unserializable') return typeof o[k] === 'string' ? [] : [`${path}: bad #unserializable`];
    return [`${path}: unknown special key ${k}`];
  }
  return keys.flatMap((k) => itfValueErrors(o[k], `${path}.${k}`));
}

describe('ITF export', () => {
  test('replay --itf writes a trace that follows the ITF rules: #meta, vars, one state per step with exactly the vars', async () => {
    const f = join(dir, 'ce.itf.json');
    const r = await run('replay', CE, '--itf', f);
    expect(r.code).toBe(0); // the file's expect holds
    const itf = JSON.parse(readFileSync(f, 'utf8'));
    expect(Object.keys(itf).sort()).toEqual(['#meta', 'states', 'vars']);
    expect(itf['#meta'].format).toBe('ITF');
    expect(itf.vars).toEqual(['step', 'action', 'real', 'ideal', 'fired', 'violations']);
    const steps = JSON.parse(readFileSync(CE, 'utf8')).steps.length;
    expect(itf.states).toHaveLength(steps + 1);
    itf.states.forEach((s: Record<string, unknown>, i: number) => {
      expect(Object.keys(s).filter((k) => k !== '#meta').sort()).toEqual([...itf.vars].sort());
      expect(s['#meta']).toEqual({ index: i });
      expect(itfValueErrors(Object.fromEntries(Object.entries(s).filter(([k]) => k !== '#meta')), `states[${i}]`)).toEqual([]);
    });
    // 64-bit values are #bigint; the violation is on the last state.
    expect(JSON.stringify(itf.states[1].action)).toContain('#bigint');
    const last = itf.states[itf.states.length - 1];
    expect(last.violations.length).toBeGreaterThanOrEqual(1);
    expect(last.violations[0].property).toBe(JSON.parse(readFileSync(CE, 'utf8')).expect.property);
  });

  test('check --itf writes the counterexample as ITF too', async () => {
    const f = join(dir, 'check.itf.json');
    const r = await run('check', '--variant', 'undelegate-no-scrub', '--seed', '1', '--quiet', '--out', join(dir, 'ce.json'), '--itf', f);
    expect(r.code).toBe(1);
    const itf = JSON.parse(readFileSync(f, 'utf8'));
    expect(itf.states.length).toBe(JSON.parse(readFileSync(join(dir, 'ce.json'), 'utf8')).steps.length + 1);
  }, 300_000);
});

describe('replay --seed --path', () => {
  test('reproduces the counterexample a check printed, without its file', async () => {
    const c = await run('check', '--variant', 'undelegate-no-scrub', '--seed', '1', '--quiet', '--out', join(dir, 'p.json'));
    const path = /path "([\d:]+)"/.exec(c.out.join('\n'))![1];
    const violation = c.out.find((l) => l.startsWith('VIOLATION: '))!.slice('VIOLATION: '.length);
    const r = await run('replay', '--seed', '1', '--path', path, '--variant', 'undelegate-no-scrub');
    expect(r.code).toBe(1);
    expect(r.out[r.out.length - 1]).toContain(violation);
    expect((await run('replay', '--path', path)).err[0]).toMatch(/--seed and --path go together/);
  }, 300_000);
});

const CHROMIUM = '/usr/bin/chromium';
describe.skipIf(!existsSync(CHROMIUM))(`the HTML page in a real browser (${CHROMIUM})`, () => {
  test('opening a counterexample page, clicking the failing step shows the violating component and both states', async () => {
    const page = join(dir, 'ce.html');
    const r = await run('replay', CE, '--html', page);
    expect(r.code).toBe(0);
    const html = readFileSync(page, 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\/(?!apalache)/); // self-contained
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const tab = await browser.newPage();
      await tab.goto('file://' + page);
      const failing = tab.locator('#steps li.violation');
      await expect(failing.count()).resolves.toBe(1);
      await failing.click();
      const shown = await tab.locator('.violation-component').first().textContent();
      const t = JSON.parse(readFileSync(CE, 'utf8'));
      expect(shown).toContain(`VIOLATION ${t.expect.property}`);
      expect(await tab.locator('h2', { hasText: 'real state' }).count()).toBe(1);
      expect(await tab.locator('h2', { hasText: 'ideal state' }).count()).toBe(1);
      // What the failing step changed is highlighted.
      expect(await tab.locator('#detail .changed').count()).toBeGreaterThan(0);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
if (!existsSync(CHROMIUM)) console.warn(`browser test skipped: ${CHROMIUM} is not installed (apt-get install -y chromium)`);
