// The project's own regression corpus: every trace under examples/ replays as its `expect` says, and
// the CCA examples give the statuses a reader of the reference expects (written from rmm-v1.0.md §6,
// not copied from the model's output).

import { describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './run';

const statuses = async (file: string) => (await run('replay', file, '--json', '--no-ni')).out.map((l) => JSON.parse(l) as { status?: string; fault?: string; failed?: string; x?: string[] });

describe('examples/ as a regression corpus', () => {
  test('every trace file of every system replays as its expect says (or without a violation)', async () => {
    const r = await run('replay', 'examples');
    expect(r.out.filter((l) => l.startsWith('ok ')).length).toBeGreaterThanOrEqual(7);
    expect(r.out[r.out.length - 1]).toMatch(/^(\d+) of \1 trace files as expected$/);
    expect(r.code).toBe(0);
  });

  test('a trace whose expect differs makes the corpus fail, naming the file and the difference', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corpus-'));
    const t = JSON.parse(readFileSync('examples/cca/realm-lifecycle.json', 'utf8'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ ...t, expect: { property: 'Invariant', step: 3 } }));
    writeFileSync(join(dir, 'b.json'), JSON.stringify(t));
    writeFileSync(join(dir, 'c.json'), '{"format": "real-ideal/trace@2", "system": "cca", "steps": [{"rmi": "NOPE"}]}');
    const r = await run('replay', dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`DIFFERS  ${join(dir, 'a.json')}: expected Invariant at step 3, got no violation`);
    expect(r.out).toContain(`ok       ${join(dir, 'b.json')}: no violation (as expected)`);
    expect(r.out.find((l) => l.startsWith('ERROR'))).toMatch(/c\.json: \$\.steps\[0\]\.rmi: unknown RMI command "NOPE"/);
    expect(r.out[r.out.length - 1]).toBe('1 of 3 trace files as expected');
  });
});

describe('the CCA examples give the reference statuses', () => {
  test('granule delegation (§6 GRANULE_DELEGATE/UNDELEGATE: gran_state, gran_align are ERROR_INPUT; a delegated granule is Realm PAS)', async () => {
    const s = await statuses('examples/cca/granule-delegation.json');
    expect(s.map((x) => x.status ?? x.fault ?? 'ok')).toEqual(['ok', 'SUCCESS', 'ERROR_INPUT', 'GPF', 'ERROR_INPUT', 'SUCCESS', 'ERROR_INPUT', 'ok']);
    // Undelegated again, the granule reads as zero: it was scrubbed.
    expect((s[7] as { values?: string[] }).values).toEqual(['0x0']);
  });

  test('realm lifecycle (§6: REALM_ACTIVATE of an ACTIVE realm is ERROR_REALM)', async () => {
    const s = await statuses('examples/cca/realm-lifecycle.json');
    expect(s.map((x) => x.status ?? 'ok')).toEqual(['SUCCESS', 'SUCCESS', 'ok', 'SUCCESS', 'SUCCESS', 'ERROR_REALM', 'SUCCESS', 'SUCCESS', 'SUCCESS']);
  });

  test('tables and data (§6: REALM_DESTROY of a live realm is ERROR_REALM; DATA_DESTROY returns the data PA in X1)', async () => {
    const s = await statuses('examples/cca/rtt-and-data.json');
    expect(s.map((x) => x.status ?? 'ok')).toEqual(['SUCCESS', 'SUCCESS', 'ok', 'SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS', 'ERROR_REALM', 'SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS']);
    expect(s[12].x![0]).toBe('0x5000');
    expect(s[13].x![0]).toBe('0x4000'); // RTT_DESTROY returns the table's PA
    expect(s[14].x![0]).toBe('0x3000');
    expect(s[10].x!.slice(0, 3)).toEqual(['0x3', s[10].x![1], '0x5000']); // walk level 3, the DATA granule's address
  });

  test('unprotected mappings (§6: RTT_MAP_UNPROTECTED inside the PAR fails ipa_bound with ERROR_INPUT)', async () => {
    const s = await statuses('examples/cca/unprotected.json');
    expect(s.map((x) => x.status ?? 'ok')).toEqual(['SUCCESS', 'SUCCESS', 'ok', 'SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS', 'ERROR_INPUT', 'SUCCESS']);
    expect(s[10].failed).toBe('ipa_bound');
  });

  test('REC lifecycle (§6: DATA_CREATE copies the NS source into the realm; REC_ENTER runs the REC until it exits; an IRQ exit completes REC_ENTER with SUCCESS)', async () => {
    const s = (await statuses('examples/cca/rec-enter-exit.json')) as { status?: string; event?: string; value?: string; exit?: { status: string }; record?: Record<string, string> }[];
    expect(s[12]).toMatchObject({ status: 'SUCCESS', x: ['0x2', '0x0', '0x0', '0x0'] }); // REC_AUX_COUNT = the configuration's aux count
    expect(s[17].status).toBe('SUCCESS');
    expect(s[21]).toMatchObject({ event: 'load', value: '0x11' }); // the first word DATA_CREATE copied
    expect(s[24]).toMatchObject({ event: 'load', value: '0x5ec2e7' }); // the realm reads back its own store
    expect(s[25].exit).toMatchObject({ status: 'SUCCESS' });
    expect(s[26].status).toBe('SUCCESS');
  });

  test('VERSION and FEATURES (§6: VERSION needs 1.0, X1/X2 give the implemented revision 1.0; an unknown FID is NOT_SUPPORTED)', async () => {
    const s = await statuses('examples/cca/version-features.json');
    expect(s.map((x) => x.status)).toEqual(['SUCCESS', 'ERROR_INPUT', 'SUCCESS', 'NOT_SUPPORTED']);
    expect(s[0].x!.slice(0, 2)).toEqual(['0x10000', '0x10000']);
  });
});
