// The properties of the ffa system on hand-written traces: noninterference (two-run product), robust
// safety with unknown endpoints, the independent oracles, the invariants, and manifest validation.
import { describe, expect, it } from 'vitest';
import { decodeTrace, niCheck, runTrace } from '../../properties/engine';
import { ffaSystem } from '../../properties/ffa/system';
import { Action } from '../../real/ffa/machine';
import { M } from '../../real/ffa/consts';
import { pset } from '../../model/pvec';

const VM1 = 1, SP1 = 0x8001, SP2 = 0x8002;
const steps = (s: unknown[]): Action[] => {
  const t = decodeTrace({ format: 'real-ideal/trace@2', system: 'ffa', steps: s }, () => ffaSystem);
  if (!t.ok) throw new Error(t.error);
  return t.value.steps as Action[];
};
const variant = (n: string) => ffaSystem.variants.find((v) => v.name === n)!.apply(ffaSystem.spec);
const cfg = ffaSystem.config.defaults;

// Known VM 0x1 keeps a secret in page 0x2000 and lends it, with or without clear, to unknown SP 0x8002.
const lendTo = (clear: number) => steps([
  { ep: VM1, mov: { dst: 20, imm: '0x5ec', secret: true } },
  { ep: VM1, store: '0x2000', reg: 20 },
  { ep: VM1, tx: { descriptor: { sender: VM1, flags: clear, receivers: [{ id: SP2, perms: 2 }], constituents: [{ address: '0x2000', pages: 1 }] } } },
  { ep: VM1, ffa: 'MEM_LEND', w: [96, 96, 0, 0] },
  { ep: SP2, tx: { retrieve: { sender: VM1, handle: 0, flags: clear, receivers: [{ id: SP2, perms: 6 }] } } },
  { ep: SP2, ffa: 'MEM_RETRIEVE_REQ', w: [64, 64, 0, 0] },
  { ep: SP2, load: '0x2000', reg: 8 },
]);

describe('noninterference (two-run product)', () => {
  it('a lend with clear lets nothing of the lender reach the borrower', () => {
    expect(niCheck(ffaSystem, { spec: ffaSystem.spec, config: cfg }, lendTo(1))).toBeNull();
  });
  it('a lend without clear is a declared flow (rule 2): no violation', () => {
    expect(niCheck(ffaSystem, { spec: ffaSystem.spec, config: cfg }, lendTo(0))).toBeNull();
  });
  it('missing clear (§8.4): the borrower reads the lender\'s secret', () => {
    const r = niCheck(ffaSystem, { spec: variant('missing-clear'), config: cfg }, lendTo(1));
    expect(r?.index).toBe(6);
    expect(r?.violation.property).toBe('Noninterference');
    expect(r?.violation.component).toContain('endpoint 0x8002');
  });
  it('the oracle also sees the missing clear at the send, although real and ideal agree', () => {
    const r = runTrace(ffaSystem, { spec: variant('missing-clear'), config: cfg }, lendTo(1));
    expect(r.first?.index).toBe(3);
    expect(r.first?.violations.map((v) => v.property)).toEqual(['Oracle clear']);
  });
});

describe('robust safety with unknown endpoints', () => {
  // Unknown VM 0x2 names known SP 0x8001 as the sender of SP 0x8001's own page (§8.9).
  const spoof = steps([
    { ep: 2, tx: { descriptor: { sender: SP1, receivers: [{ id: SP2, perms: 2 }], constituents: [{ address: '0x10000', pages: 1 }] } } },
    { ep: 2, ffa: 'MEM_SHARE', w: [96, 96, 0, 0] },
  ]);
  it('the faithful SPMC refuses the spoof (DENIED) and nothing of the known endpoint changes', () => {
    const r = runTrace(ffaSystem, { spec: ffaSystem.spec, config: cfg }, spoof);
    expect(r.first).toBeNull();
    expect(r.steps[1].real).toMatchObject({ status: 'DENIED' });
  });
  it('without the sender check the unknown endpoint changes the known one\'s stage 2', () => {
    const m = ffaSystem.monitor(cfg, variant('sender-spoof'), { invariants: true });
    let s = ffaSystem.real.init(cfg, variant('sender-spoof'));
    m.start(s, ffaSystem.ideal.init(s, cfg, ffaSystem.spec, new Set(ffaSystem.rules)));
    const out = [];
    for (const a of spoof) {
      const r = ffaSystem.real.step(s, a, variant('sender-spoof'));
      out.push(...m.step(s, a, r.obs, r.state));
      s = r.state;
    }
    expect(out.map((v) => v.property)).toContain('RobustSafety');
    expect(out.find((v) => v.property === 'RobustSafety')?.component).toBe('known 0x8001 stage-2');
  });
  it('arbitrary bytes in TX give an error code, never an exception', () => {
    for (let k = 0; k < 200; k++) {
      const words = Array.from({ length: 12 }, (_, j) => `0x${((BigInt(k * 7919 + j * 104729) * 0x9e3779b97f4a7c15n) & ((1n << 64n) - 1n)).toString(16)}`);
      for (const f of ['MEM_SHARE', 'MEM_LEND', 'MEM_DONATE', 'MEM_RETRIEVE_REQ', 'MEM_RELINQUISH', 'MSG_SEND2']) {
        const r = runTrace(ffaSystem, { spec: ffaSystem.spec, config: cfg }, steps([{ ep: 2, tx: { words } }, { ep: 2, ffa: f, w: [96, 96, 0, 0] }]));
        expect(r.first).toBeNull();
        expect(r.steps[1].real).toHaveProperty('status');
      }
    }
  });
});

describe('oracles see faults that change real and ideal alike', () => {
  it('a stale RX tail (§8.12) is seen by the RX postcondition', () => {
    const t = steps([
      { ep: VM1, ffa: 'PARTITION_INFO_GET' }, { ep: VM1, ffa: 'RX_RELEASE' },
      { ep: SP1, tx: { message: { sender: SP1, receiver: VM1, payload: [1] } } }, { ep: SP1, ffa: 'MSG_SEND2', w: [0, 0] },
    ]);
    expect(runTrace(ffaSystem, { spec: ffaSystem.spec, config: cfg }, t).first).toBeNull();
    const r = runTrace(ffaSystem, { spec: variant('stale-rx-tail'), config: cfg }, t);
    expect(r.first?.index).toBe(3);
    expect(r.first?.violations.map((v) => v.property)).toEqual(['Oracle RX']);
  });
  it('a dropped DENIED row is seen by the status oracle (reclaim while retrieved)', () => {
    const t = steps([
      { ep: VM1, tx: { descriptor: { sender: VM1, receivers: [{ id: SP1, perms: 2 }], constituents: [{ address: '0x2000', pages: 1 }] } } },
      { ep: VM1, ffa: 'MEM_LEND', w: [96, 96, 0, 0] },
      { ep: SP1, tx: { retrieve: { sender: VM1, handle: 0, receivers: [{ id: SP1, perms: 6 }] } } },
      { ep: SP1, ffa: 'MEM_RETRIEVE_REQ', w: [64, 64, 0, 0] },
      { ep: VM1, ffa: 'MEM_RECLAIM', w: [0, 0, 0] },
    ]);
    const r = runTrace(ffaSystem, { spec: variant('reclaim-while-retrieved'), config: cfg }, t);
    expect(r.first?.index).toBe(4);
    const props = r.first!.violations.map((v) => v.property);
    expect(props[0]).toBe('Oracle status');
    expect(props).toContain('Invariant 3'); // and the borrower's mapping has no transaction any more
  });
});

describe('invariants and boot', () => {
  it('the initial state satisfies every invariant', () => {
    const s = ffaSystem.real.init(cfg, ffaSystem.spec);
    const m = ffaSystem.monitor(cfg, ffaSystem.spec, { invariants: true });
    expect(m.start(s, ffaSystem.ideal.init(s, cfg, ffaSystem.spec, new Set(ffaSystem.rules)))).toEqual([]);
  });
  it('a secure page mapped in a normal-world VM breaks invariant 9', () => {
    const s = ffaSystem.real.init(cfg, ffaSystem.spec);
    const modes = pset(s.eps[0].modes, 0x10, M.UNOWNED | M.R);
    const bad = { ...s, eps: [{ ...s.eps[0], modes }, ...s.eps.slice(1)] };
    const m = ffaSystem.monitor(cfg, ffaSystem.spec, { invariants: true });
    expect(m.invariants(bad).map((v) => v.property)).toContain('Invariant 9');
  });
  it.each([
    [{ endpoints: [{ id: 1, regions: [{ base: 0, pages: 2, attrs: 'RW' }] }, { id: 2, regions: [{ base: 4096, pages: 1, attrs: 'RW' }] }] }, '$.config.endpoints[1].regions[0]: overlaps $.config.endpoints[0].regions[0]'],
    [{ endpoints: [{ id: 0x8001, regions: [{ base: 0, pages: 1, attrs: 'RW' }] }] }, '$.config.endpoints[0].regions[0]: outside the SPMC\'s secure range'],
    [{ endpoints: [{ id: 1, regions: [{ base: 100, pages: 1, attrs: 'RW' }] }] }, '$.config.endpoints[0].regions[0]: base 0x64 is not page-aligned'],
    [{ endpoints: [{ id: 1, regions: [{ base: 0, pages: 1, attrs: 'RX', device: true }] }] }, '$.config.endpoints[0].regions[0].attrs: device regions are R or RW'],
    [{ endpoints: [{ id: 1, regions: [{ base: 0x1c000, pages: 1, attrs: 'RW' }] }] }, '$.config.endpoints[0].regions[0]: outside the SPMC\'s non-secure range'],
    [{ endpoints: [{ id: 0x8001, regions: [{ base: 0x1c000, pages: 1, attrs: 'RW' }] }] }, '$.config.endpoints[0].regions[0]: overlaps $.config.spmc'],
    [{ endpoints: [{ id: 1, colour: 'red' }] }, '$.config.endpoints[0].colour: unknown key'],
  ])('rejects an invalid manifest set with a one-line error naming the JSON path', (c, msg) => {
    const r = ffaSystem.config.decode({ known: [], ...c }, '$.config', cfg);
    expect(r.ok).toBe(false);
    if (!r.ok) { expect(r.error.startsWith(msg)).toBe(true); expect(r.error).not.toContain('\n'); }
  });
});
