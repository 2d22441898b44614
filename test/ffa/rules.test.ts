// Each declassification rule of the ideal machine is needed: with it switched off, the faithful
// model fails the check on a trace that uses it; with all rules on, the same trace passes.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { decodeTrace, runTrace } from '../../properties/engine';
import { ffaSystem } from '../../properties/ffa/system';

const decode = (u: unknown) => {
  const t = decodeTrace(u, (n) => (n === 'ffa' ? ffaSystem : undefined));
  if (!t.ok) throw new Error(t.error);
  return t.value;
};
const file = (f: string) => decode(JSON.parse(readFileSync(new URL(`../../examples/ffa/${f}`, import.meta.url), 'utf8')));
const inline = (steps: unknown[]) => decode({ format: 'real-ideal/trace@2', system: 'ffa', steps });

const LEND_NO_CLEAR = inline([
  { ep: 1, mov: { dst: 20, imm: '0x77', secret: true } },
  { ep: 1, store: '0x2000', reg: 20 },
  { ep: 1, tx: { descriptor: { sender: 1, receivers: [{ id: 0x8001, perms: 2 }], constituents: [{ address: '0x2000', pages: 1 }] } } },
  { ep: 1, ffa: 'MEM_LEND', w: [96, 96, 0, 0] },
  { ep: 0x8001, tx: { retrieve: { sender: 1, handle: 0, receivers: [{ id: 0x8001, perms: 6 }] } } },
  { ep: 0x8001, ffa: 'MEM_RETRIEVE_REQ', w: [64, 64, 0, 0] },
  { ep: 0x8001, load: '0x2000', reg: 8 },
]);
const DIRECT = inline([
  { ep: 1, ffa: 'MSG_SEND_DIRECT_REQ', w: [0x18002, 0, 5, 6, 7, 8, 9] },
  { ep: 0x8002, mov: { dst: 12, src: 3 } },
  { ep: 0x8002, ffa: 'MSG_SEND_DIRECT_RESP', w: [0x80020001, 0, 1, 2, 3, 4, 5] },
  { ep: 1, mov: { dst: 12, src: 4 } },
]);

const CASES: [rule: string, trace: ReturnType<typeof file>][] = [
  ['share-cell', file('share-lifecycle.json')],
  ['lend-transfer', LEND_NO_CLEAR],
  ['donate-transfer', file('donate.json')],
  ['tx-to-world', file('share-lifecycle.json')],
  ['rx-from-world', file('share-lifecycle.json')],
  ['call-registers', file('share-lifecycle.json')],
  ['direct-registers', DIRECT],
  ['na-faults', file('share-lifecycle.json')],
];

describe('ffa ideal rules', () => {
  it('names every rule of reference §6', () => {
    expect(ffaSystem.rules).toHaveLength(8);
    expect(new Set(CASES.map(([r]) => r))).toEqual(new Set(ffaSystem.rules));
  });
  for (const [rule, t] of CASES) {
    it(`${rule}: needed by its trace`, () => {
      const all = runTrace(ffaSystem, { spec: ffaSystem.spec, config: t.config }, t.steps);
      expect(all.first?.violations ?? []).toEqual([]);
      const off = runTrace(ffaSystem, { spec: ffaSystem.spec, config: t.config, rules: new Set(ffaSystem.rules.filter((r) => r !== rule)) }, t.steps);
      expect(off.first).not.toBeNull();
      expect(off.steps.some((s) => s.withheld.includes(rule))).toBe(true);
    });
  }
});
