// A.1 boot validation: the default and the example configurations are accepted; each invalid example
// (one per rule and condition) is rejected with its one-line message naming the JSON path; strict
// decoding of the configuration file.

import { describe, expect, test } from 'vitest';
import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { S, CFG } from './helpers';
import { initReal } from '../../real/sep/machine';

const dir = join(__dirname, '../../examples/sep');
const load = (f: string): unknown => JSON.parse(readFileSync(join(dir, f), 'utf8'));

// The message each invalid configuration must give: rule number first (A.1's order).
const EXPECTED: Record<string, string> = {
  '1-core-missing': '$.guests[1].cores[0]: core 7 does not exist (3 cores)',
  '1-core-shared': '$.guests[1].cores[1]: core 0 already belongs to guest 0',
  '1-core-unassigned': '$.cores: core 3 belongs to no guest',
  '1-guest-without-core': '$.guests[1].cores: a guest needs at least one core',
  '2-channel-to-itself': '$.channels[0].to: a channel from guest 0 to itself',
  '2-channel-twice': '$.channels[1]: a second channel from guest 0 to guest 1 (channel 0)',
  '2-channel-unknown-guest': '$.channels[0].to: guest 2 does not exist',
  '3-channel-page-is-gic': '$.channels[0].aSend: page 9 of guest 0 is a GIC page',
  '3-channel-page-is-peripheral': '$.channels[0].aRecv: page 6 of guest 1 is a peripheral page',
  '3-channel-page-is-ram': '$.channels[0].aSend: page 1 of guest 0 is a RAM page',
  '3-channel-page-outside-space': "$.channels[0].aRecv: page 16 is outside guest 1's IPA space (2^4 pages)",
  '3-page-in-two-channels': '$.channels[1].aRecv: page 4 of guest 0 is already used by channel 0 (aSend)',
  '4-virq-is-peripheral-irq': '$.channels[0].virq: virq 33 is a peripheral interrupt of guest 1',
  '4-virq-out-of-range': '$.channels[0].virq: virq 1020 is outside [16,1019]',
  '5-gicc-overlaps-gicd': '$.guests[0].gicc: the GICC pages overlap the GICD page 8',
  '5-irq-owned-twice': '$.devices[1].irqs[0]: IRQ 32 is already owned by guest 0',
  '5-peripheral-page-overlap': '$.devices[1].pa: page 256 overlaps device 0',
  '6-channel-page-is-guest-ram': '$.channels[0].pa: page 5 is already used by guest 1',
  '6-overlapping-ram': '$.guests[1].ram[0].pa: page 2 overlaps guest 0',
  '6-ram-in-hypervisor-memory': '$.guests[1].ram[0].pa: page 14 is hypervisor memory',
  '7-entry-outside-image': '$.guests[0].entry: entry 0x1000 is outside the image',
  '7-image-outside-ram': '$.guests[0].image: page 4 of the image is not RAM of guest 0',
};

describe('A.1 boot validation', () => {
  test('the default and the two-guest example configurations are valid', () => {
    expect(S.config.problems(CFG)).toEqual([]);
    const r = S.config.decode(load('two-guests.json'), '$', CFG);
    expect(r.ok).toBe(true);
  });

  test('every invalid example has an expected message, and every expected message an example', () => {
    const files = readdirSync(join(dir, 'invalid')).map((f) => f.replace(/\.json$/, '')).sort();
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  test.each(Object.entries(EXPECTED))('%s is rejected: %s', (name, msg) => {
    const r = S.config.decode(load(`invalid/${name}.json`), '$', CFG);
    expect(r.ok ? 'accepted' : r.error).toBe(msg);
    // Inside a trace file the path is the config's.
    const t = S.config.decode(load(`invalid/${name}.json`), '$.config', CFG);
    expect(t.ok ? '' : t.error).toBe(msg.replace(/^\$/, '$.config'));
  });

  test('a rejected configuration boots to BOOT_FAIL: no guest runs', () => {
    const bad = { ...CFG, guests: [CFG.guests[0], { ...CFG.guests[1], cores: [0] }, CFG.guests[2]] };
    const s = initReal(bad, S.spec);
    expect(s.bootFail).toMatch(/already belongs to guest 0/);
    expect(s.cores.every((c) => !c.on)).toBe(true);
    const r = S.real.step(s, { kind: 'guest', core: 0, instr: { op: 'wfi' } }, S.spec);
    expect(r.state).toBe(s);
    expect(r.obs.ev.k).toBe('none');
  });

  test('strict decoding: unknown keys, wrong types, negative numbers name their path', () => {
    const e = (u: unknown) => { const r = S.config.decode(u, '$', CFG); return r.ok ? 'ok' : r.error; };
    expect(e({ cpus: 2 })).toBe('$.cpus: unknown key "cpus"');
    expect(e({ cores: -1 })).toMatch(/^\$\.cores: /);
    expect(e({ cores: 1.5 })).toMatch(/^\$\.cores: /);
    expect(e({ guests: [{ ...CFG.guests[0], extra: 1 }] })).toBe('$.guests[0].extra: unknown key "extra"');
    expect(e({ channels: [{ from: 0, to: 1, aSend: 4, aRecv: 4, pa: 12 }] })).toMatch(/^\$\.channels\[0\]\.virq: /);
    expect(e({ cache: 'yes' })).toMatch(/^\$\.cache: /);
    expect(e([])).toMatch(/^\$: /);
  });

  test('configurations round-trip through encode/decode', () => {
    const c2 = S.config.decode(load('two-guests.json'), '$', CFG);
    if (!c2.ok) throw new Error(c2.error);
    const again = S.config.decode(JSON.parse(JSON.stringify(S.config.encode(c2.value))), '$', CFG);
    expect(again.ok && again.value).toEqual(c2.value);
    expect(S.config.encode(CFG)).toEqual({});
  });
});
