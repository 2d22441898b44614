// Litmus files that would explode or mean nothing are rejected at load, with the JSON path: too many
// threads or ops, an outcome on a register the thread never loads, a dependency on a register no
// earlier load writes.

import { describe, expect, test } from 'vitest';
import { MAX_OPS, MAX_THREADS, decodeLitmusFile } from '../../model/litmus';

const st = (loc: string, val: number) => ({ op: 'store', loc, val });
const ld = (loc: string, reg: string, extra = {}) => ({ op: 'load', loc, reg, ...extra });

describe('litmus bounds and register checks', () => {
  test('64 threads, or 8 threads of 6 ops, are refused with the bound', () => {
    const many = decodeLitmusFile([{ name: 'big', threads: Array.from({ length: 64 }, () => [st('x', 1)]) }]);
    expect(many.ok ? 'ok' : many.error).toBe(`$[0].threads: at most ${MAX_THREADS} threads (got 64): the exploration would not end in reasonable time`);
    const wide = decodeLitmusFile([{ name: 'wide', threads: Array.from({ length: 8 }, () => Array.from({ length: 6 }, () => st('x', 1))) }]);
    expect(wide.ok ? 'ok' : wide.error).toBe(`$[0].threads: at most ${MAX_OPS} ops in all threads (got 48): the exploration would not end in reasonable time`);
  });

  test('an outcome naming a register the thread never loads', () => {
    const r = decodeLitmusFile([{ name: 'MP', threads: [[st('x', 1)], [ld('x', 'r0')]], outcome: { '1:r1': 0 } }]);
    expect(r.ok ? 'ok' : r.error).toBe('$[0].outcome["1:r1"]: thread 1 never loads register r1');
    const fine = decodeLitmusFile([{ name: 'MP', threads: [[st('x', 1)], [ld('x', 'r0')]], outcome: { '1:r0': 0 } }]);
    expect(fine.ok).toBe(true);
  });

  test('a dependency on a register no earlier load writes', () => {
    const r = decodeLitmusFile([{ name: 'LB', threads: [[st('y', 1, ), ld('x', 'r1', { dep: { kind: 'addr', on: 'r0' } })]] }]);
    expect(r.ok ? 'ok' : r.error).toBe('$[0].threads[0][1]: a addr dependency on register r0, which no earlier load of thread 0 writes');
    const later = decodeLitmusFile([{ name: 'LB', threads: [[ld('x', 'r1', { dep: { kind: 'addr', on: 'r0' } }), ld('y', 'r0')]] }]);
    expect(later.ok).toBe(false);
    const fine = decodeLitmusFile([{ name: 'LB', threads: [[ld('y', 'r0'), ld('x', 'r1', { dep: { kind: 'addr', on: 'r0' } })]] }]);
    expect(fine.ok).toBe(true);
  });
});
