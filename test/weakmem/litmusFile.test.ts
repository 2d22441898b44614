import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { decodeLitmusFile, LitmusFile, normalizeOutcomeKey } from '../../model/litmus';
import { runLitmus } from '../../real/shared/weakmem/litmus';

// A copy of ../shared/examples/litmus/classic.json, so the suite runs from any checkout.
const CLASSIC = fileURLToPath(new URL('./classic.json', import.meta.url));

describe('classic.json', () => {
  const dec = decodeLitmusFile(JSON.parse(readFileSync(CLASSIC, 'utf8')));
  test('decodes', () => expect(dec.ok).toBe(true));
  const tests = dec.ok ? dec.value : [];
  test.each(tests.map((t) => [t.name, t] as const))('%s matches its verdict', (_, t) => {
    const r = runLitmus(t);
    expect(t.verdict).toBeDefined();
    expect(r.result).toBe(t.verdict);
    expect(r.match).toBe(true);
  });
});

// The registers ops depend on start with values, so a dependency on them is well formed.
const one = (op: unknown) => decodeLitmusFile([{ name: 't', threads: [[op]], init: { '0:r0': 0, '0:r1': 0, '0:r2': 0 }, outcome: {} }]);
const opOf = (op: unknown) => {
  const r = one(op);
  if (!r.ok) throw new Error(r.error);
  return r.value[0].threads[0][0];
};

describe('lenient op spellings', () => {
  test.each([
    [{ op: 'ldr', loc: 'x', reg: 'R0' }, { op: 'load', loc: 'x', reg: 'r0', order: 'plain' }],
    [{ op: 'LDAR', loc: 'x', reg: 'r0' }, { op: 'load', loc: 'x', reg: 'r0', order: 'acquire' }],
    [{ op: 'load', loc: 'x', reg: 'r0', acquire: true }, { op: 'load', loc: 'x', reg: 'r0', order: 'acquire' }],
    [{ op: 'load', loc: 'x', reg: 'r0', kind: 'acquire' }, { op: 'load', loc: 'x', reg: 'r0', order: 'acquire' }],
    [{ op: 'ldapr', loc: 'x', reg: 'r0' }, { op: 'load', loc: 'x', reg: 'r0', order: 'acquirePC' }],
    [{ op: 'load', loc: 'x', reg: 'r0', acquirePC: true }, { op: 'load', loc: 'x', reg: 'r0', order: 'acquirePC' }],
    [{ op: 'load', loc: 'x', reg: 'r0', kind: 'acq_pc' }, { op: 'load', loc: 'x', reg: 'r0', order: 'acquirePC' }],
    [{ op: 'str', loc: 'x', val: 1 }, { op: 'store', loc: 'x', val: 1n, order: 'plain' }],
    [{ op: 'stlr', loc: 'x', val: '0x10' }, { op: 'store', loc: 'x', val: 16n, order: 'release' }],
    [{ op: 'store', loc: 'x', val: 1, release: true }, { op: 'store', loc: 'x', val: 1n, order: 'release' }],
    [{ op: 'store', loc: 'x', val: 1, kind: 'release' }, { op: 'store', loc: 'x', val: 1n, order: 'release' }],
    [{ op: 'store', loc: '[x]', reg: 'r0' }, { op: 'store', loc: 'x', reg: 'r0', order: 'plain' }],
    [{ op: 'store', loc: 'x', src: 'r1' }, { op: 'store', loc: 'x', reg: 'r1', order: 'plain' }],
    [{ op: 'store', loc: 'x', val: 'r2' }, { op: 'store', loc: 'x', reg: 'r2', order: 'plain' }],
    [{ op: 'dmb', kind: 'ISH' }, { op: 'dmb', kind: 'sy' }],
    [{ op: 'dmb', kind: 'full' }, { op: 'dmb', kind: 'sy' }],
    [{ op: 'dmb', kind: 'ishld' }, { op: 'dmb', kind: 'ld' }],
    [{ op: 'dmb', kind: 'OSHST' }, { op: 'dmb', kind: 'st' }],
    [{ op: 'dmb.ld' }, { op: 'dmb', kind: 'ld' }],
    [{ op: 'DMB ISHST' }, { op: 'dmb', kind: 'st' }],
    [{ op: 'dmb' }, { op: 'dmb', kind: 'sy' }],
    [{ op: 'dsb', kind: 'sy' }, { op: 'dmb', kind: 'sy' }],
    [{ op: 'fence', kind: 'st' }, { op: 'dmb', kind: 'st' }],
    [{ op: 'isb' }, { op: 'isb' }],
    [{ op: 'lock', loc: 'l' }, { op: 'lock', loc: 'l' }],
    [{ op: 'unlock', loc: 'l' }, { op: 'unlock', loc: 'l' }],
    [{ op: 'faa', loc: 'c', add: -1, release: true }, { op: 'faa', loc: 'c', add: -1n, order: 'release' }],
    [
      { op: 'load', loc: 'x', reg: 'r1', dep: { kind: 'addr', on: 'r0' } },
      { op: 'load', loc: 'x', reg: 'r1', order: 'plain', deps: [{ kind: 'addr', on: ['r0'] }] },
    ],
    [
      { op: 'store', loc: 'x', val: 1, dep: { kind: 'ctrl+isb', on: ['r0', 'r1'] } },
      { op: 'store', loc: 'x', val: 1n, order: 'plain', deps: [{ kind: 'ctrlisb', on: ['r0', 'r1'] }] },
    ],
    [
      { op: 'load', loc: 'x', reg: 'r1', dep: [{ kind: 'ctrl-isb', on: 'r0' }, { kind: 'data', on: 'r2' }] },
      {
        op: 'load',
        loc: 'x',
        reg: 'r1',
        order: 'plain',
        deps: [
          { kind: 'ctrlisb', on: ['r0'] },
          { kind: 'data', on: ['r2'] },
        ],
      },
    ],
    [{ op: 'load', loc: 'x', reg: 'r1', dep: { kind: 'ctrlisb', on: 'r0' } }, { op: 'load', loc: 'x', reg: 'r1', order: 'plain', deps: [{ kind: 'ctrlisb', on: ['r0'] }] }],
  ])('%j', (input, want) => {
    expect(opOf(input)).toEqual(want);
  });
});

describe('test-level leniency', () => {
  test('{tests: [...]}, single object, P-prefixed / bracketed outcome keys, register init', () => {
    const t = { name: 'x', threads: [[{ op: 'load', loc: 'x', reg: 'X0' }]], init: { x: 3, '0:r5': 2 }, outcome: { 'P0:X0': 3, '[x]': 3 }, verdict: 'Allowed' };
    for (const file of [{ tests: [t] }, t, [t]]) {
      const r = decodeLitmusFile(file);
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      expect(r.value[0].outcome).toEqual({ '0:x0': 3n, x: 3n });
      expect(r.value[0].initRegs[0]).toEqual({ r5: 2n });
      expect(r.value[0].verdict).toBe('allowed');
      expect(runLitmus(r.value[0]).result).toBe('allowed');
    }
  });
  test('threads given as {ops: [...]} and missing name', () => {
    const r = decodeLitmusFile([{ threads: [{ ops: [{ op: 'store', loc: 'x', val: 1 }] }], outcome: { x: 1 } }]);
    expect(r.ok && r.value[0].name).toBe('test0');
  });
  test('normalizeOutcomeKey', () => {
    expect(normalizeOutcomeKey('P1:R0')).toBe('1:r0');
    expect(normalizeOutcomeKey('[y]')).toBe('y');
    expect(normalizeOutcomeKey('*y')).toBe('y');
  });
  test('register initial values feed data dependencies', () => {
    const r = decodeLitmusFile([{ name: 'i', threads: [[{ op: 'store', loc: 'x', reg: 'r9' }]], init: { '0:r9': 7 }, outcome: { x: 7 }, verdict: 'allowed' }]);
    expect(r.ok && runLitmus(r.value[0]).match).toBe(true);
  });
  test('the io-ts codec decodes the same', () => {
    const r = LitmusFile.decode([{ name: 'a', threads: [[]], outcome: {} }]);
    expect(r._tag).toBe('Right');
  });
});

describe('errors: one line naming the JSON path', () => {
  const bad = (file: unknown): string => {
    const r = decodeLitmusFile(file);
    if (r.ok) throw new Error('expected an error');
    expect(r.error).not.toContain('\n');
    return r.error;
  };
  test.each([
    [{ x: 1 }, /^\$: expected an array of litmus tests/],
    [42, /^\$: expected an array/],
    [[5], /^\$\[0\]: expected a litmus test object/],
    [[{ name: 'a' }], /^\$\[0\]\.threads: missing threads/],
    [[{ name: 'a', threads: [] }], /^\$\[0\]\.threads: expected a non-empty array/],
    [[{ name: 'a', threads: [[{ op: 'load', loc: 'x' }], 3] }], /^\$\[0\]\.threads\[1\]: expected an array of ops/],
    [
      [{ name: 'ok', threads: [[]] }, { name: 'a', threads: [[], [{ op: 'lod', loc: 'x' }]] }],
      /^\$\[1\]\.threads\[1\]\[0\]\.op: expected one of load\|store\|ldar\|ldapr\|stlr\|dmb\|isb\|lock\|unlock\|faa, got "lod"/,
    ],
    [[{ name: 'a', threads: [[{ loc: 'x' }]] }], /^\$\[0\]\.threads\[0\]\[0\]\.op: missing op/],
    [[{ name: 'a', threads: [[{ op: 'load' }]] }], /^\$\[0\]\.threads\[0\]\[0\]\.loc: missing location/],
    [[{ name: 'a', threads: [[{ op: 'store', loc: 'x', val: 1.5 }]] }], /^\$\[0\]\.threads\[0\]\[0\]\.val: expected an integer/],
    [[{ name: 'a', threads: [[{ op: 'dmb', kind: 'weird' }]] }], /^\$\[0\]\.threads\[0\]\[0\]\.kind: expected one of sy\|ld\|st/],
    [[{ name: 'a', threads: [[{ op: 'load', loc: 'x', reg: 'r0', dep: { kind: 'magic', on: 'r1' } }]] }], /^\$\[0\]\.threads\[0\]\[0\]\.dep\.kind: expected one of addr\|data\|ctrl\|ctrl\+isb/],
    [[{ name: 'a', threads: [[{ op: 'load', loc: 'x', reg: 'r0', dep: [{ kind: 'addr' }] }]] }], /^\$\[0\]\.threads\[0\]\[0\]\.dep\[0\]\.on: missing/],
    [[{ name: 'a', threads: [[]], outcome: { '0:r0': 'one' } }], /^\$\[0\]\.outcome\["0:r0"\]: expected an integer/],
    [[{ name: 'a', threads: [[]], outcome: { '3:r0': 1 } }], /^\$\[0\]\.outcome\["3:r0"\]: thread 3 does not exist/],
    [[{ name: 'a', threads: [[]], verdict: 'maybe' }], /^\$\[0\]\.verdict: expected "allowed" or "forbidden"/],
    [[{ name: 'a', threads: [[{ op: 'stlr', loc: 'x', val: 1, acquire: true }]] }], /^\$\[0\]\.threads\[0\]\[0\]\.order: a store cannot have acquire/],
  ])('%j', (file, re) => {
    expect(bad(file)).toMatch(re);
  });
  test('never throws on junk', () => {
    for (const junk of [null, undefined, '', 'x', [null], [{ threads: [[null]] }], [{ threads: [[{ op: 1 }]] }], [{ threads: [[{ op: 'load', loc: 5 }]] }], [{ threads: 'abc' }]])
      expect(() => decodeLitmusFile(junk)).not.toThrow();
  });
});

describe('files in the classic.json style with assorted spellings', () => {
  const st = (loc: string, val: number, extra = {}) => ({ op: 'store', loc, val, ...extra });
  const ld = (loc: string, reg: string, extra = {}) => ({ op: 'load', loc, reg, ...extra });
  const MP = { '1:r0': 1, '1:r1': 0 };
  const file = [
    { name: 'MP+dmb.ish+isb-ctrl', threads: [[st('x', 1), { op: 'dmb', kind: 'ish' }, st('y', 1)], [ld('y', 'r0'), { op: 'isb' }, ld('x', 'r1', { dep: { kind: 'ctrl', on: 'r0' } })]], outcome: MP, verdict: 'forbidden' },
    { name: 'MP+dmb.ish+isb (no dep)', threads: [[st('x', 1), { op: 'dmb', kind: 'ish' }, st('y', 1)], [ld('y', 'r0'), { op: 'isb' }, ld('x', 'r1')]], outcome: MP, verdict: 'allowed' },
    { name: 'MP+dmb.sy+ctrl (no isb)', threads: [[st('x', 1), { op: 'dmb', kind: 'sy' }, st('y', 1)], [ld('y', 'r0'), ld('x', 'r1', { dep: { kind: 'ctrl', on: 'r0' } })]], outcome: MP, verdict: 'allowed' },
    { name: 'MP+dmb.ishst+dmb.ishld', threads: [[st('x', 1), { op: 'dmb', kind: 'ishst' }, st('y', 1)], [ld('y', 'r0'), { op: 'DMB', kind: 'ISHLD' }, ld('x', 'r1')]], outcome: MP, verdict: 'forbidden' },
    { name: 'MP+rel+acqPC', threads: [[st('x', 1), st('y', 1, { release: true })], [ld('y', 'r0', { kind: 'acquirePC' }), ld('x', 'r1')]], outcome: MP, verdict: 'forbidden' },
    { name: 'SB+stlr+ldapr', threads: [[{ op: 'stlr', loc: 'x', val: 1 }, { op: 'ldapr', loc: 'y', reg: 'r0' }], [{ op: 'stlr', loc: 'y', val: 1 }, { op: 'ldapr', loc: 'x', reg: 'r0' }]], outcome: { '0:r0': 0, '1:r0': 0 }, verdict: 'allowed' },
    { name: 'SB+stlr+ldar', threads: [[{ op: 'stlr', loc: 'x', val: 1 }, { op: 'ldar', loc: 'y', reg: 'r0' }], [{ op: 'stlr', loc: 'y', val: 1 }, { op: 'ldar', loc: 'x', reg: 'r0' }]], outcome: { '0:r0': 0, '1:r0': 0 }, verdict: 'forbidden' },
    { name: 'LB+datas', threads: [[ld('x', 'r0'), { op: 'store', loc: 'y', src: 'r0' }], [ld('y', 'r0'), { op: 'store', loc: 'x', reg: 'r0' }]], init: { x: 1, y: 1 }, outcome: { '0:r0': 2, '1:r0': 2 }, verdict: 'forbidden' },
    { name: 'LB+data-deps (constant value)', threads: [[ld('x', 'r0'), st('y', 1, { dep: { kind: 'data', on: 'r0' } })], [ld('y', 'r0'), st('x', 1, { dep: { kind: 'data', on: 'r0' } })]], outcome: { '0:r0': 1, '1:r0': 1 }, verdict: 'forbidden' },
    { name: '2+2W+dmb.ishsts', threads: [[st('x', 1), { op: 'dmb.ishst' }, st('y', 2)], [st('y', 1), { op: 'dmb', kind: 'ishst' }, st('x', 2)]], outcome: { x: 1, y: 1 }, verdict: 'forbidden' },
    { name: 'CoWW', threads: [[st('x', 1), st('x', 2)]], outcome: { '[x]': 1 }, verdict: 'forbidden' },
    { name: 'WRC+addrs', threads: [[st('x', 1)], [ld('x', 'r0'), st('y', 1, { dep: { kind: 'addr', on: 'r0' } })], [ld('y', 'r0'), ld('x', 'r1', { dep: { kind: 'addr', on: ['r0'] } })]], outcome: { '1:r0': 1, '2:r0': 1, '2:r1': 0 }, verdict: 'forbidden' },
    { name: 'S+dmb.st+ctrl-isb', threads: [[st('x', 2), { op: 'dmb', kind: 'st' }, st('y', 1)], [ld('y', 'r0'), st('x', 1, { dep: { kind: 'ctrl-isb', on: 'r0' } })]], outcome: { '1:r0': 1, x: 2 }, verdict: 'forbidden' },
    { name: 'PPOCA', threads: [[st('x', 1), { op: 'dmb', kind: 'sy' }, st('y', 1)], [ld('y', 'r0'), st('z', 1, { dep: { kind: 'ctrl', on: 'r0' } }), ld('z', 'r1'), ld('x', 'r2', { dep: { kind: 'addr', on: 'r1' } })]], outcome: { '1:r0': 1, '1:r1': 1, '1:r2': 0 }, verdict: 'allowed' },
  ];
  const dec = decodeLitmusFile(file);
  test('decodes', () => expect(dec.ok ? 'ok' : dec.error).toBe('ok'));
  test.each((dec.ok ? dec.value : []).map((t) => [t.name, t] as const))('%s', (_, t) => {
    expect(runLitmus(t).result).toBe(t.verdict);
  });
  test('ctrl written after an explicit isb means branch; isb; op', () => {
    const r = decodeLitmusFile([file[0]]);
    expect(r.ok && r.value[0].threads[1]).toEqual([
      { op: 'load', loc: 'y', reg: 'r0', order: 'plain' },
      { op: 'isb', deps: [{ kind: 'ctrl', on: ['r0'] }] },
      { op: 'load', loc: 'x', reg: 'r1', order: 'plain' },
    ]);
  });
});
