// Total functions: arbitrary registers, arbitrary TX bytes and arbitrary addresses from any endpoint
// never make either machine or a monitor throw (robust safety (c)), and fault-free runs stay related.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runTrace } from '../../properties/engine';
import { ffaSystem } from '../../properties/ffa/system';
import type { Action } from '../../real/ffa/machine';
import { FID } from '../../real/ffa/consts';

const cfg = ffaSystem.config.defaults;
const ids = cfg.endpoints.map((e) => e.id);
const u64 = fc.oneof(fc.bigInt({ min: 0n, max: 0xffffn }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.constantFrom(0n, 1n, 0x60n, 0x1000n, 1n << 63n, (1n << 64n) - 1n));
const fid = fc.oneof(fc.constantFrom(...Object.values(FID).map(BigInt)), u64);
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('smc' as const), cpu: fc.nat({ max: 1 }), ep: fc.constantFrom(...ids), regs: fc.tuple(fid, fc.array(u64, { maxLength: 17 })).map(([f, r]) => [f, ...r]) }),
  fc.record({ kind: fc.constant('stores' as const), cpu: fc.nat({ max: 1 }), ep: fc.constantFrom(...ids), addr: fc.constantFrom(0x4000n, 0xa000n, 0x14000n, 0x1a000n), values: fc.array(u64, { maxLength: 16 }) }),
  fc.record({ kind: fc.constantFrom('load' as const, 'store' as const), cpu: fc.nat({ max: 1 }), ep: fc.constantFrom(...ids), addr: u64, reg: fc.nat({ max: 23 }) }),
  fc.record({ kind: fc.constant('fetch' as const), cpu: fc.nat({ max: 1 }), ep: fc.constantFrom(...ids), addr: u64 }),
);

describe('ffa robust safety under arbitrary actions', () => {
  it('no step throws and no property breaks on the faithful model', () => {
    fc.assert(fc.property(fc.array(action, { maxLength: 40 }), (as) => {
      const r = runTrace(ffaSystem, { spec: ffaSystem.spec, config: cfg }, as);
      expect(r.first?.violations ?? []).toEqual([]);
    }), { numRuns: 300, seed: 42 });
  });
  it('no step throws on any variant either', () => {
    for (const v of ffaSystem.variants) {
      fc.assert(fc.property(fc.array(action, { maxLength: 30 }), (as) => {
        const r = runTrace(ffaSystem, { spec: v.apply(ffaSystem.spec), config: cfg }, as);
        for (const s of r.steps) expect(s.violations.filter((x) => x.property === 'RobustSafety' && x.detail.startsWith('threw'))).toEqual([]);
      }), { numRuns: 30, seed: 7 });
    }
  });
});
