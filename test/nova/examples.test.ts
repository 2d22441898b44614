// The example traces of examples/nova, replayed through both machines with every property checked;
// the expected statuses are written from the reference (B.3/B.4), not taken from the model.
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runTrace } from '../../properties/engine';
import { novaSystem } from '../../properties/nova/system';
import type { Action, Config, Obs } from '../../real/nova/types';

const dir = join(__dirname, '../../examples/nova');
function load(name: string): { config: Config; steps: Action[] } {
  const f = JSON.parse(readFileSync(join(dir, name), 'utf8'));
  expect(f.format).toBe('real-ideal/trace@2');
  expect(f.system).toBe('nova');
  const c = novaSystem.config.decode(f.config ?? {}, '$.config', novaSystem.config.defaults);
  if (!c.ok) throw new Error(c.error);
  const steps = (f.steps as unknown[]).map((u, i) => { const d = novaSystem.actions.decode(u, `$.steps[${i}]`, c.value); if (!d.ok) throw new Error(d.error); return d.value; });
  return { config: c.value, steps };
}
function replay(name: string): Obs[] {
  const t = load(name);
  const r = runTrace(novaSystem, { spec: novaSystem.spec, config: t.config }, t.steps);
  expect(r.first?.violations ?? []).toEqual([]);
  return r.steps.map((s) => s.real as Obs);
}
const status = (o: Obs) => (o.kind === 'hcall' ? (o.status === null ? 'pending' : ['SUCCESS', 'TIMEOUT', 'ABORTED', 'OVRFLOW', 'BAD_HYP', 'BAD_CAP', 'BAD_PAR', 'BAD_FTR', 'BAD_CPU', 'BAD_DEV', 'MEM_OBJ', 'MEM_CAP'][o.status]) : o.kind);

describe('examples/nova', () => {
  test('ipc-roundtrip: create_pd → spaces → create_ec → create_pt → ipc_call / ipc_reply', () => {
    const o = replay('ipc-roundtrip.json');
    expect(o.slice(0, 6).map(status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS']);
    expect(status(o[7])).toBe('pending');                       // the caller waits for the reply
    expect(o[8]).toMatchObject({ kind: 'mem', value: 0x1234n });  // mtd 0 → one UTCB word copied to the callee
    expect(o[10]).toMatchObject({ kind: 'hcall', call: 'ipc_reply', status: null, wakes: [{ ec: 5, status: 0 }] });
    expect(o[11]).toMatchObject({ kind: 'mem', value: 0x5678n }); // the reply's word back in the caller's UTCB
    expect(status(o[12])).toBe('BAD_CAP');                      // an empty selector is a null capability
  });
  test('delegation-mask: perms & pmm, inherited PD perms, revocation by pmm 0', () => {
    const o = replay('delegation-mask.json');
    expect(o.map(status)).toEqual(['SUCCESS', 'SUCCESS', 'BAD_CAP', 'SUCCESS', 'SUCCESS', 'BAD_CAP', 'SUCCESS', 'BAD_CAP', 'BAD_PAR']);
  });
  test('statuses: one call per status code', () => {
    const o = replay('statuses.json');
    expect(status(o[1])).toBe('pending');
    expect(o[2]).toMatchObject({ kind: 'tick', wakes: [{ ec: 5, status: 1 }] }); // TIMEOUT
    expect(o.slice(3).map(status)).toEqual(['ABORTED', 'SUCCESS', 'OVRFLOW', 'BAD_HYP', 'BAD_CAP', 'BAD_PAR', 'BAD_FTR', 'BAD_CPU', 'SUCCESS', 'BAD_DEV', 'BAD_PAR', 'BAD_PAR', 'BAD_CAP']);
  });
  test('status-memory: MEM_OBJ and MEM_CAP from per-PD quotas', () => {
    const o = replay('status-memory.json');
    expect(o.map(status)).toEqual(['SUCCESS', 'MEM_OBJ', 'SUCCESS', 'MEM_CAP']);
  });
});
