// The example traces of examples/ffa replay with the statuses a reader of the reference expects
// (the expectations below are written from reference §4/§5, not copied from the model's output),
// and with no violation of any property.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { decodeTrace, runTrace } from '../../properties/engine';
import { ffaSystem } from '../../properties/ffa/system';
import type { Obs } from '../../real/ffa/machine';

function replay(file: string): (Obs | null)[] {
  const u = JSON.parse(readFileSync(new URL(`../../examples/ffa/${file}`, import.meta.url), 'utf8'));
  const t = decodeTrace(u, (n) => (n === 'ffa' ? ffaSystem : undefined));
  if (!t.ok) throw new Error(t.error);
  const r = runTrace(ffaSystem, { spec: ffaSystem.spec, config: t.value.config }, t.value.steps);
  expect(r.first?.violations ?? []).toEqual([]);
  return r.steps.map((s) => s.real as Obs | null);
}
const smc = (o: Obs | null) => (o && o.k === 'smc' ? [o.abi, o.status] : o);
const load = (o: Obs | null) => (o && o.k === 'load' ? o.value : 'not a load');

describe('examples/ffa', () => {
  it('share -> retrieve -> relinquish -> reclaim', () => {
    const o = replay('share-lifecycle.json');
    expect(smc(o[3])).toEqual(['MEM_SHARE', 'SUCCESS']);                 // §4.1: Owner-EA page, SP borrower
    expect(o[3]!.k === 'smc' && o[3]!.ret![2]).toBe(0n);                  // handle = first table slot (SPMC allocator)
    expect(smc(o[5])).toEqual(['MEM_RETRIEVE_REQ', 'SUCCESS']);          // §4.3 → FFA_MEM_RETRIEVE_RESP
    expect(o[5]!.k === 'smc' && o[5]!.ret!.slice(0, 3)).toEqual([0x84000075n, 96n, 96n]); // 48 + 16 + 16 + 16
    expect(load(o[6]) !== null).toBe(true);                               // RX holds the response (sender 1 in bits 15:0)
    expect(Number((load(o[6]) as bigint) & 0xffffn)).toBe(1);
    expect(load(o[7])).toBe(0x5ec12e7n);                                  // the borrower sees the owner's data (SHARE)
    expect(smc(o[8])).toEqual(['RX_RELEASE', 'SUCCESS']);
    expect(load(o[9])).toBe(0x5ec12e7n);                                  // Owner-SA keeps access
    expect(smc(o[10])).toEqual(['MEM_RECLAIM', 'DENIED']);               // §4.6: a borrower still holds it
    expect(smc(o[12])).toEqual(['MEM_RELINQUISH', 'SUCCESS']);
    expect(load(o[13])).toBe(null);                                       // !Owner-NA: fault
    expect(smc(o[14])).toEqual(['MEM_RECLAIM', 'SUCCESS']);
    expect(smc(o[15])).toEqual(['MEM_RECLAIM', 'INVALID_PARAMETERS']);   // the handle is gone
    expect(load(o[16])).toBe(0x5ec12e7n);
  });

  it('donate', () => {
    const o = replay('donate.json');
    expect(smc(o[3])).toEqual(['MEM_DONATE', 'SUCCESS']);
    expect(load(o[4])).toBe(null);                                        // the donor lost access at send
    expect(smc(o[6])).toEqual(['MEM_RETRIEVE_REQ', 'SUCCESS']);          // perms 6: data unspecified, NX
    expect(load(o[7])).toBe(0xd0a7en);                                    // no clear flag: the value moves
    expect(o[8]).toMatchObject({ k: 'fetch', fault: true });              // NX was asked for
    expect(smc(o[9])).toEqual(['MEM_RECLAIM', 'INVALID_PARAMETERS']);    // DONATE freed at retrieve (§4.3)
    expect(o[11]).toMatchObject({ k: 'store', fault: -1 });               // the new owner writes (Owner-EA RW)
  });

  it('fragmented lend', () => {
    const o = replay('fragmented-lend.json');
    expect(smc(o[1])).toEqual(['MEM_LEND', 'MEM_FRAG_RX']);              // §4.1.16: w3 = bytes received
    expect(o[1]!.k === 'smc' && o[1]!.ret!.slice(0, 4)).toEqual([0x8400007an, 0n, 0n, 96n]);
    expect(smc(o[2])).toEqual(['MEM_RECLAIM', 'INVALID_PARAMETERS']);    // §4.2: incomplete cannot be reclaimed
    expect(smc(o[4])).toEqual(['MEM_FRAG_TX', 'SUCCESS']);               // the last fragment completes
    expect(load(o[5])).toBe(null);                                        // lent: Owner-NA
    expect(smc(o[7])).toEqual(['MEM_RETRIEVE_REQ', 'SUCCESS']);
    expect(o[7]!.k === 'smc' && o[7]!.ret!.slice(1, 3)).toEqual([112n, 96n]); // total 112, first fragment 96
    expect(load(o[8])).toBe(0n);                                          // cleared at send (flags bit 0)
    expect(smc(o[10])).toEqual(['MEM_RELINQUISH', 'INVALID_PARAMETERS']); // not all fragments retrieved (§4.5.5)
    expect(smc(o[11])).toEqual(['MEM_FRAG_RX', 'BUSY']);                 // RX still FULL
    expect(smc(o[13])).toEqual(['MEM_FRAG_RX', 'MEM_FRAG_TX']);
    expect(o[13]!.k === 'smc' && o[13]!.ret!.slice(0, 4)).toEqual([0x8400007bn, 0n, 0n, 16n]);
    expect(load(o[14])).toBe(0x3000n);                                    // the second constituent's address
    expect(smc(o[16])).toEqual(['MEM_RELINQUISH', 'SUCCESS']);
    expect(smc(o[17])).toEqual(['MEM_RECLAIM', 'SUCCESS']);
    expect(load(o[18])).toBe(0n);
  });

  it('malformed descriptors', () => {
    const o = replay('malformed-descriptor.json');
    expect(smc(o[1])).toEqual(['MEM_SHARE', 'INVALID_PARAMETERS']);      // §4.1.6 emad_size
    expect(smc(o[3])).toEqual(['MEM_SHARE', 'DENIED']);                  // §4.1.11 spoofed sender
    expect(smc(o[5])).toEqual(['MEM_SHARE', 'INVALID_PARAMETERS']);      // §4.1.7 SHARE with clear
    expect(smc(o[7])).toEqual(['MEM_SHARE', 'SUCCESS']);
    expect(smc(o[8])).toEqual(['MEM_LEND', 'DENIED']);                   // §4.1.21 page is Owner-SA now
    expect(smc(o[10])).toEqual(['MEM_DONATE', 'INVALID_PARAMETERS']);    // garbage header
    expect(smc(o[12])).toEqual(['MEM_RETRIEVE_REQ', 'DENIED']);          // §4.3.23 RW asked, RO granted
    expect(smc(o[14])).toEqual(['MEM_RETRIEVE_REQ', 'SUCCESS']);
    expect(o[16]).toMatchObject({ k: 'store', fault: 0 });                // read-only borrower
    expect(smc(o[17])).toEqual(['MEM_RETRIEVE_REQ', 'BUSY']);            // §4.3.6 RX full before §4.3.26
  });

  it('direct messaging per vCPU', () => {
    const o = replay('direct-per-vcpu.json');
    const mv = (x: Obs | null) => (x && x.k === 'mov' ? x.value : x?.k);
    expect(smc(o[0])).toEqual(['MSG_SEND_DIRECT_REQ', 'SUCCESS']);       // VM 0x2 vCPU 0 → SP 0x8002 vCPU 0
    expect(smc(o[1])).toEqual(['MSG_SEND_DIRECT_REQ', 'BUSY']);          // §4.10: the target vCPU (0) serves
    expect(smc(o[2])).toEqual(['MSG_SEND_DIRECT_REQ', 'SUCCESS']);       // on CPU 1 the target is vCPU 1, free
    expect(o[3]).toMatchObject({ k: 'blocked' });                         // VM 0x2 vCPU 0 waits for its response
    expect(mv(o[4])).toBe(0x77n);                                         // its vCPU 1 runs meanwhile
    expect(mv(o[5])).toBe(0xa0n);                                         // each SP vCPU has its own request's x3
    expect(mv(o[6])).toBe(0xb1n);
    expect(smc(o[7])).toEqual(['MSG_SEND_DIRECT_RESP', 'DENIED']);       // vCPU 1 serves VM 0x1, not VM 0x2
    expect(smc(o[8])).toEqual(['MSG_SEND_DIRECT_RESP', 'SUCCESS']);
    expect(smc(o[9])).toEqual(['MSG_SEND_DIRECT_RESP', 'SUCCESS']);
    expect(mv(o[10])).toBe(0xc0n);                                        // the response reached VM 0x2 vCPU 0
    expect(mv(o[11])).toBe(0x77n);                                        // vCPU 1's registers untouched
    expect(mv(o[12])).toBe(0xc1n);                                        // VM 0x1 is UP: one register file
  });
});
