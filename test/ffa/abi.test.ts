// Failure rows and orders of reference §4, one case per row (or per **ordered** pair of §4.12), and
// the Hafnium details the reference lists. Expected statuses come from the reference text.
import { describe, expect, it } from 'vitest';
import { decodeTrace, runTrace } from '../../properties/engine';
import { ffaSystem } from '../../properties/ffa/system';
import type { Obs } from '../../real/ffa/machine';

const VM1 = 1, VM2 = 2, SP1 = 0x8001, SP2 = 0x8002;
type Step = Record<string, unknown>;
function run(steps: Step[], config: Record<string, unknown> = {}): Obs[] {
  const t = decodeTrace({ format: 'real-ideal/trace@2', system: 'ffa', config, steps }, () => ffaSystem);
  if (!t.ok) throw new Error(t.error);
  const r = runTrace(ffaSystem, { spec: ffaSystem.spec, config: t.value.config }, t.value.steps);
  expect(r.first?.violations ?? []).toEqual([]);
  return r.steps.map((s) => s.real as Obs);
}
const last = (steps: Step[], config?: Record<string, unknown>) => {
  const o = run(steps, config).at(-1)!;
  return o.k === 'smc' ? o.status : o.k;
};
const desc = (ep: number, d: Record<string, unknown>): Step => ({ ep, tx: { descriptor: { sender: ep, receivers: [{ id: SP1, perms: 2 }], constituents: [{ address: ep === VM1 ? '0x1000' : '0x11000', pages: 1 }], ...d } } });
const call = (ep: number, ffa: string, ...w: (number | string)[]): Step => ({ ep, ffa, w });
const share = (ep = VM1, d: Record<string, unknown> = {}, f = 'MEM_SHARE', len = 96): Step[] => [desc(ep, d), call(ep, f, len, len, 0, 0)];
const retrieve = (ep: number, sender: number, perms: number, extra: Record<string, unknown> = {}, handle = 0): Step[] =>
  [{ ep, tx: { retrieve: { sender, handle, receivers: [{ id: ep, perms }], ...extra } } }, call(ep, 'MEM_RETRIEVE_REQ', 64, 64, 0, 0)];
const relinquish = (ep: number, flags = 0, handle = 0): Step[] => [{ ep, tx: { relinquish: { handle, flags, endpoints: [ep] } } }, call(ep, 'MEM_RELINQUISH')];

describe('MEM_SHARE / LEND / DONATE (§4.1)', () => {
  it.each([
    ['w3/w4 ≠ 0 → INVALID_PARAMETERS', [desc(VM1, {}), call(VM1, 'MEM_SHARE', 96, 96, 0x1000, 1)], 'INVALID_PARAMETERS'],
    ['fragment > total → INVALID_PARAMETERS', [desc(VM1, {}), call(VM1, 'MEM_SHARE', 64, 96, 0, 0)], 'INVALID_PARAMETERS'],
    ['no TX → INVALID_PARAMETERS', [call(VM1, 'RXTX_UNMAP'), call(VM1, 'MEM_SHARE', 96, 96, 0, 0)], 'INVALID_PARAMETERS'],
    ['fragment > TX size → INVALID_PARAMETERS', [call(VM1, 'MEM_SHARE', 8192, 8192, 0, 0)], 'INVALID_PARAMETERS'],
    ['emad_size ≠ 16 → INVALID_PARAMETERS', share(VM1, { emadSize: 32 }), 'INVALID_PARAMETERS'],
    ['receivers offset < 48 → INVALID_PARAMETERS', share(VM1, { receiversOffset: 32 }), 'INVALID_PARAMETERS'],
    ['receiver count 0 → INVALID_PARAMETERS', share(VM1, { count: 0 }), 'INVALID_PARAMETERS'],
    ['SHARE with clear → INVALID_PARAMETERS', share(VM1, { flags: 1 }), 'INVALID_PARAMETERS'],
    ['flags bit 5 → INVALID_PARAMETERS', share(VM1, { flags: 32 }), 'INVALID_PARAMETERS'],
    ['DONATE to two → INVALID_PARAMETERS', share(VM1, { receivers: [{ id: SP1 }, { id: SP2 }] }, 'MEM_DONATE', 112), 'INVALID_PARAMETERS'],
    ['receiver = caller → INVALID_PARAMETERS', share(VM1, { receivers: [{ id: VM1, perms: 2 }] }), 'INVALID_PARAMETERS'],
    ['unknown receiver → INVALID_PARAMETERS', share(VM1, { receivers: [{ id: 0x8009, perms: 2 }] }), 'INVALID_PARAMETERS'],
    ['SP → VM → DENIED', share(SP1, { receivers: [{ id: VM1, perms: 2 }] }), 'DENIED'],
    ['VM → VM alone → DENIED', share(VM1, { receivers: [{ id: VM2, perms: 2 }] }), 'DENIED'],
    ['VM → {SP, VM} multi-borrower LEND → DENIED (LEND only to SPs)', share(VM1, { receivers: [{ id: SP1, perms: 2 }, { id: VM2, perms: 2 }] }, 'MEM_LEND', 112), 'DENIED'],
    ['VM → {SP, VM} multi-borrower SHARE → SUCCESS (mixed worlds)', share(VM1, { receivers: [{ id: SP1, perms: 2 }, { id: VM2, perms: 2 }] }, 'MEM_SHARE', 112), 'SUCCESS'],
    ['spoofed sender → DENIED', share(VM1, { sender: VM2 }), 'DENIED'],
    ['instruction permission given → INVALID_PARAMETERS', share(VM1, { receivers: [{ id: SP1, perms: 2 | 8 }] }), 'INVALID_PARAMETERS'],
    ['SHARE with data unspecified → INVALID_PARAMETERS', share(VM1, { receivers: [{ id: SP1, perms: 0 }] }), 'INVALID_PARAMETERS'],
    ['DONATE with data specified → INVALID_PARAMETERS', share(VM1, {}, 'MEM_DONATE'), 'INVALID_PARAMETERS'],
    ['duplicate receiver → INVALID_PARAMETERS', share(VM1, { receivers: [{ id: SP1, perms: 1 }, { id: SP1, perms: 1 }] }, 'MEM_SHARE', 112), 'INVALID_PARAMETERS'],
    ['NS attribute → INVALID_PARAMETERS', share(VM1, { attributes: 0x40 }), 'INVALID_PARAMETERS'],
    ['LEND single with a type → INVALID_PARAMETERS', share(VM1, { attributes: 0x2f }, 'MEM_LEND'), 'INVALID_PARAMETERS'],
    ['SHARE normal non-WB → DENIED', share(VM1, { attributes: 0x27 }), 'DENIED'],
    ['SHARE normal WB inner → SUCCESS', share(VM1, { attributes: 0x2f }), 'SUCCESS'],
    ['table full → NO_MEMORY', [...share(VM1, { constituents: [{ address: '0x0', pages: 1 }] }), ...share(VM1), ...share(VM1, { constituents: [{ address: '0x2000', pages: 1 }] }), ...share(VM1, { constituents: [{ address: '0x3000', pages: 1 }] }), ...share(SP1, { receivers: [{ id: SP2, perms: 1 }] })], 'NO_MEMORY'],
    ['overlapping constituents → INVALID_PARAMETERS', share(VM1, { constituents: [{ address: '0x1000', pages: 1 }, { address: '0x1000', pages: 1 }] }, 'MEM_SHARE', 112), 'INVALID_PARAMETERS'],
    ['page count mismatch → INVALID_PARAMETERS', share(VM1, { pageCount: 2 }), 'INVALID_PARAMETERS'],
    ['no constituents → INVALID_PARAMETERS', share(VM1, { constituents: [] }, 'MEM_SHARE', 80), 'INVALID_PARAMETERS'],
    ['unaligned constituent → INVALID_PARAMETERS', share(VM1, { constituents: [{ address: '0x1800', pages: 1 }] }), 'INVALID_PARAMETERS'],
    ['pages of different modes → DENIED', share(VM1, { constituents: [{ address: '0x3000', pages: 2 }] }), 'DENIED'],
    ['not Owner-EA (someone else\'s page) → DENIED', share(VM1, { constituents: [{ address: '0x6000', pages: 1 }] }), 'DENIED'],
    ['device page shared → DENIED', share(VM2, { constituents: [{ address: '0xc000', pages: 1 }] }), 'DENIED'],
    ['device page lent to one → SUCCESS', share(VM2, { constituents: [{ address: '0xc000', pages: 1 }] }, 'MEM_LEND'), 'SUCCESS'],
    ['page count overflow → DENIED (outside memory), no throw', share(VM1, { constituents: [{ address: '0xfffffffffffff000', pages: 4294967295 }], pageCount: 4294967295 }), 'DENIED'],
  ] as [string, Step[], string][])('%s', (_, steps, status) => expect(last(steps)).toBe(status));

  it('ordered: spoofed sender (DENIED) before an X permission (INVALID_PARAMETERS) (§4.12)', () => {
    expect(last(share(VM1, { sender: VM2, receivers: [{ id: SP1, perms: 2 | 8 }] }))).toBe('DENIED');
  });
  it('ordered: SP→VM world rule (DENIED) before data-access rules (INVALID_PARAMETERS) (§4.12)', () => {
    expect(last(share(SP1, { receivers: [{ id: VM1, perms: 0 }] }))).toBe('DENIED');
  });
  it('a second share of the same page is DENIED (no double share, §5)', () => {
    expect(last([...share(VM1), ...share(VM1, {}, 'MEM_LEND')])).toBe('DENIED');
  });
  it('clear without write permission → DENIED (§4.1.22)', () => {
    const cfg = { endpoints: [
      { id: 1, regions: [{ base: 0, pages: 4, attrs: 'R' }], tx: 0x4000, rx: 0x5000 },
      { id: 0x8001, regions: [{ base: 0x10000, pages: 4, attrs: 'RWX' }], tx: 0x14000, rx: 0x15000 }], known: [1, 0x8001] };
    expect(last([desc(VM1, { flags: 1, receivers: [{ id: SP1, perms: 1 }] }), call(VM1, 'MEM_LEND', 96, 96, 0, 0)], cfg)).toBe('DENIED');
    expect(last([desc(VM1, { receivers: [{ id: SP1, perms: 2 }] }), call(VM1, 'MEM_LEND', 96, 96, 0, 0)], cfg)).toBe('DENIED'); // §4.1.23 RW from R
  });
  it('handle slots are reused after reclaim (§4.12)', () => {
    const o = run([...share(VM1), call(VM1, 'MEM_RECLAIM', 0, 0, 0), ...share(VM1)]);
    const r = o.at(-1)!;
    expect(r.k === 'smc' && [r.status, r.ret![2]]).toEqual(['SUCCESS', 0n]);
  });
  it('clear at send is observable after reclaiming an unretrieved LEND (§4.12)', () => {
    const o = run([{ ep: VM1, mov: { dst: 20, imm: 9 } }, { ep: VM1, store: '0x1000', reg: 20 }, ...share(VM1, { flags: 1 }, 'MEM_LEND'), call(VM1, 'MEM_RECLAIM', 0, 0, 0), { ep: VM1, load: '0x1000', reg: 8 }]);
    expect(o.at(-1)).toMatchObject({ k: 'load', value: 0n });
  });
});

describe('MEM_RETRIEVE_REQ (§4.3)', () => {
  const base = share(VM1, { receivers: [{ id: SP1, perms: 1 }] });
  it.each([
    ['w3 ≠ 0 → INVALID_PARAMETERS', [...base, { ep: SP1, tx: { retrieve: { sender: 1, receivers: [{ id: SP1, perms: 1 }] } } }, call(SP1, 'MEM_RETRIEVE_REQ', 64, 64, 1, 0)], 'INVALID_PARAMETERS'],
    ['fragmented request → INVALID_PARAMETERS', [...base, call(SP1, 'MEM_RETRIEVE_REQ', 64, 48, 0, 0)], 'INVALID_PARAMETERS'],
    ['RX full → BUSY', [...base, ...retrieve(SP1, VM1, 1), ...retrieve(SP1, VM1, 1)], 'BUSY'],
    ['unknown handle → INVALID_PARAMETERS', [...base, ...retrieve(SP1, VM1, 1, {}, 3)], 'INVALID_PARAMETERS'],
    ['hypervisor-allocated handle → INVALID_PARAMETERS', [...base, ...retrieve(SP1, VM1, 1, {}, '0x8000000000000000' as unknown as number)], 'INVALID_PARAMETERS'],
    ['wrong sender → DENIED', [...base, ...retrieve(SP1, VM2, 1)], 'DENIED'],
    ['wrong tag → INVALID_PARAMETERS', [...base, ...retrieve(SP1, VM1, 1, { tag: 5 })], 'INVALID_PARAMETERS'],
    ['wrong transaction type → INVALID_PARAMETERS', [...base, ...retrieve(SP1, VM1, 1, { flags: 2 << 3 })], 'INVALID_PARAMETERS'],
    ['not a receiver → INVALID_PARAMETERS', [...base, ...retrieve(SP2, VM1, 1)], 'INVALID_PARAMETERS'],
    ['SHARE with clear → INVALID_PARAMETERS', [...base, ...retrieve(SP1, VM1, 1, { flags: 1 })], 'INVALID_PARAMETERS'],
    ['RW on RO → DENIED', [...base, ...retrieve(SP1, VM1, 2)], 'DENIED'],
    ['X on SHARE → INVALID_PARAMETERS', [...base, ...retrieve(SP1, VM1, 1 | 8)], 'INVALID_PARAMETERS'],
    ['reduced (unspecified → granted) → SUCCESS', [...base, ...retrieve(SP1, VM1, 0)], 'SUCCESS'],
    ['ordered: flag error before permission error (§4.12)', [...base, ...retrieve(SP1, VM1, 2, { flags: 1 << 11 })], 'INVALID_PARAMETERS'],
    ['LEND single without instruction permission → INVALID_PARAMETERS', [...share(VM1, {}, 'MEM_LEND'), ...retrieve(SP1, VM1, 2)], 'INVALID_PARAMETERS'],
    ['X asked on NS memory → INVALID_PARAMETERS', [...share(VM1, {}, 'MEM_LEND'), ...retrieve(SP1, VM1, 2 | 8)], 'INVALID_PARAMETERS'],
    ['X asked on secure RW memory → DENIED', [...share(SP2, { constituents: [{ address: '0x16000', pages: 1 }] }, 'MEM_LEND'), ...retrieve(SP1, SP2, 2 | 8)], 'DENIED'],
    ['X on secure RWX memory → SUCCESS', [...share(SP2, { sender: SP1, constituents: [{ address: '0x10000', pages: 1 }], receivers: [{ id: SP2, perms: 2 }] }, 'MEM_LEND').map((s) => ({ ...s, ep: SP1 })), ...retrieve(SP2, SP1, 2 | 8)], 'SUCCESS'],
    ['normal retrieve of device memory → DENIED (§4.12)', [...share(VM2, { constituents: [{ address: '0xc000', pages: 1 }], attributes: 0 }, 'MEM_LEND'), ...retrieve(SP1, VM2, 2 | 4, { attributes: 0x2f })], 'DENIED'],
    ['second retrieve → DENIED (already mapped)', [...base, ...retrieve(SP1, VM1, 1), call(SP1, 'RX_RELEASE'), ...retrieve(SP1, VM1, 1)], 'DENIED'],
  ] as [string, Step[], string][])('%s', (_, steps, status) => expect(last(steps)).toBe(status));
});

describe('MEM_RELINQUISH / MEM_RECLAIM (§4.5, §4.6)', () => {
  const lent = [...share(VM1, {}, 'MEM_LEND')];
  it.each([
    ['never retrieved → INVALID_PARAMETERS (§4.12)', [...lent, ...relinquish(SP1)], 'INVALID_PARAMETERS'],
    ['not a receiver → INVALID_PARAMETERS', [...lent, ...relinquish(SP2)], 'INVALID_PARAMETERS'],
    ['endpoint not the caller → INVALID_PARAMETERS', [...lent, ...retrieve(SP1, VM1, 6), { ep: SP1, tx: { relinquish: { handle: 0, endpoints: [VM2] } } }, call(SP1, 'MEM_RELINQUISH')], 'INVALID_PARAMETERS'],
    ['two endpoints → INVALID_PARAMETERS', [...lent, ...retrieve(SP1, VM1, 6), { ep: SP1, tx: { relinquish: { handle: 0, endpoints: [SP1, SP1] } } }, call(SP1, 'MEM_RELINQUISH')], 'INVALID_PARAMETERS'],
    ['clear on SHARE → INVALID_PARAMETERS', [...share(VM1), ...retrieve(SP1, VM1, 2), ...relinquish(SP1, 1)], 'INVALID_PARAMETERS'],
    ['clear by a read-only borrower → DENIED', [...share(VM1, { receivers: [{ id: SP1, perms: 1 }] }, 'MEM_LEND'), ...retrieve(SP1, VM1, 5), ...relinquish(SP1, 1)], 'DENIED'],
    ['relinquish → SUCCESS', [...lent, ...retrieve(SP1, VM1, 6), ...relinquish(SP1)], 'SUCCESS'],
    ['reclaim while retrieved → DENIED', [...lent, ...retrieve(SP1, VM1, 6), call(VM1, 'MEM_RECLAIM', 0, 0, 0)], 'DENIED'],
    ['reclaim by a non-sender → INVALID_PARAMETERS', [...lent, call(VM2, 'MEM_RECLAIM', 0, 0, 0)], 'INVALID_PARAMETERS'],
    ['reclaim with a hypervisor handle → INVALID_PARAMETERS', [...lent, call(VM1, 'MEM_RECLAIM', 0, 0x80000000, 0)], 'INVALID_PARAMETERS'],
    ['reclaim flags beyond bit 1 are not checked → SUCCESS', [...lent, call(VM1, 'MEM_RECLAIM', 0, 0, 0xf0)], 'SUCCESS'],
    ['DONATE reclaim before retrieval → SUCCESS', [...share(VM1, { receivers: [{ id: SP1, perms: 0 }] }, 'MEM_DONATE'), call(VM1, 'MEM_RECLAIM', 0, 0, 0)], 'SUCCESS'],
  ] as [string, Step[], string][])('%s', (_, steps, status) => expect(last(steps)).toBe(status));

  it('relinquish with clear while another borrower still has access succeeds without zeroing (§4.12)', () => {
    const two = share(VM1, { receivers: [{ id: SP1, perms: 2 }, { id: SP2, perms: 2 }] }, 'MEM_LEND', 112);
    const r2 = (ep: number) => [{ ep, tx: { retrieve: { sender: VM1, handle: 0, receivers: [{ id: SP1, perms: 2 }, { id: SP2, perms: 2 }] } } }, call(ep, 'MEM_RETRIEVE_REQ', 80, 80, 0, 0)];
    const o = run([...two, ...r2(SP1), ...r2(SP2), { ep: SP1, mov: { dst: 9, imm: 5 } }, { ep: SP1, store: '0x1000', reg: 9 }, ...relinquish(SP1, 1), { ep: SP2, load: '0x1000', reg: 8 }]);
    expect(o.slice(-2).map((x) => (x.k === 'smc' ? x.status : x.k === 'load' ? x.value : null))).toEqual(['SUCCESS', 5n]);
  });
});

describe('mailbox, messaging, discovery (§4.7–4.11)', () => {
  it.each([
    ['RXTX_MAP when mapped → DENIED', [call(VM1, 'RXTX_MAP', '0x2000', '0x3000', 1)], 'DENIED'],
    ['RXTX_MAP after unmap → SUCCESS', [call(VM1, 'RXTX_UNMAP'), call(VM1, 'RXTX_MAP', '0x2000', '0x3000', 1)], 'SUCCESS'],
    ['RXTX_MAP count 2 → INVALID_PARAMETERS', [call(VM1, 'RXTX_UNMAP'), call(VM1, 'RXTX_MAP', '0x2000', '0x3000', 2)], 'INVALID_PARAMETERS'],
    ['RXTX_MAP overlap → INVALID_PARAMETERS', [call(VM1, 'RXTX_UNMAP'), call(VM1, 'RXTX_MAP', '0x2000', '0x2000', 1)], 'INVALID_PARAMETERS'],
    ['RXTX_MAP of another endpoint\'s page → INVALID_PARAMETERS', [call(VM1, 'RXTX_UNMAP'), call(VM1, 'RXTX_MAP', '0x6000', '0x3000', 1)], 'INVALID_PARAMETERS'],
    ['RXTX_UNMAP twice → INVALID_PARAMETERS', [call(VM1, 'RXTX_UNMAP'), call(VM1, 'RXTX_UNMAP')], 'INVALID_PARAMETERS'],
    ['RX_RELEASE when empty → DENIED', [call(VM1, 'RX_RELEASE')], 'DENIED'],
    ['MSG_SEND2 → SUCCESS', [{ ep: VM1, tx: { message: { sender: VM1, receiver: SP1, payload: [7] } } }, call(VM1, 'MSG_SEND2', 0, 0)], 'SUCCESS'],
    ['MSG_SEND2 to a full RX → BUSY', [{ ep: VM1, tx: { message: { sender: VM1, receiver: SP1, payload: [7] } } }, call(VM1, 'MSG_SEND2', 0, 0), call(VM1, 'MSG_SEND2', 0, 0)], 'BUSY'],
    ['MSG_SEND2 to an unmapped RX → BUSY (§4.12)', [call(SP1, 'RXTX_UNMAP'), { ep: VM1, tx: { message: { sender: VM1, receiver: SP1, payload: [7] } } }, call(VM1, 'MSG_SEND2', 0, 0)], 'BUSY'],
    ['MSG_SEND2 header sender ≠ caller → INVALID_PARAMETERS', [{ ep: VM1, tx: { message: { sender: VM2, receiver: SP1, payload: [7] } } }, call(VM1, 'MSG_SEND2', 0, 0)], 'INVALID_PARAMETERS'],
    ['MSG_SEND2 NWd flags → INVALID_PARAMETERS', [{ ep: VM1, tx: { message: { sender: VM1, receiver: SP1, payload: [7] } } }, call(VM1, 'MSG_SEND2', 0, 1)], 'INVALID_PARAMETERS'],
    ['MSG_SEND2 to a partition without indirect messaging → DENIED', [{ ep: VM1, tx: { message: { sender: VM1, receiver: VM2, payload: [7] } } }, call(VM1, 'MSG_SEND2', 0, 0)], 'DENIED'],
    ['MSG_SEND2 offset < header → INVALID_PARAMETERS', [{ ep: VM1, tx: { message: { sender: VM1, receiver: SP1, payload: [7], offset: 8 } } }, call(VM1, 'MSG_SEND2', 0, 0)], 'INVALID_PARAMETERS'],
    ['DIRECT_REQ to a VM → INVALID_PARAMETERS', [call(SP1, 'MSG_SEND_DIRECT_REQ', 0x80010001, 0)], 'INVALID_PARAMETERS'],
    ['DIRECT_REQ with a spoofed sender → INVALID_PARAMETERS', [call(VM1, 'MSG_SEND_DIRECT_REQ', 0x28001, 0)], 'INVALID_PARAMETERS'],
    ['DIRECT_REQ flags → INVALID_PARAMETERS', [call(VM1, 'MSG_SEND_DIRECT_REQ', 0x18001, 1)], 'INVALID_PARAMETERS'],
    ['DIRECT_REQ to an SP without direct messaging → DENIED', [call(VM1, 'MSG_SEND_DIRECT_REQ', 0x18001, 0)], 'DENIED'],
    ['DIRECT_REQ to a busy SP → BUSY', [call(VM1, 'MSG_SEND_DIRECT_REQ', 0x18002, 0), call(VM2, 'MSG_SEND_DIRECT_REQ', 0x28002, 0)], 'BUSY'],
    ['DIRECT_RESP without a request → DENIED', [call(SP2, 'MSG_SEND_DIRECT_RESP', 0x80020001, 0)], 'DENIED'],
    ['DIRECT_RESP to a non-requester → DENIED', [call(VM1, 'MSG_SEND_DIRECT_REQ', 0x18002, 0), call(SP2, 'MSG_SEND_DIRECT_RESP', 0x80020002, 0)], 'DENIED'],
    ['DIRECT_RESP from a VM → INVALID_PARAMETERS', [call(VM1, 'MSG_SEND_DIRECT_RESP', 0x18001, 0)], 'INVALID_PARAMETERS'],
    ['PARTITION_INFO_GET flags → INVALID_PARAMETERS', [call(VM1, 'PARTITION_INFO_GET', 0, 0, 0, 0, 2)], 'INVALID_PARAMETERS'],
    ['PARTITION_INFO_GET unknown UUID → INVALID_PARAMETERS', [call(VM1, 'PARTITION_INFO_GET', 5, 0, 0, 0, 0)], 'INVALID_PARAMETERS'],
    ['PARTITION_INFO_GET twice → BUSY', [call(VM1, 'PARTITION_INFO_GET'), call(VM1, 'PARTITION_INFO_GET')], 'BUSY'],
    ['an unknown function → NOT_SUPPORTED', [{ ep: VM1, smc: ['0x84000099'] }], 'NOT_SUPPORTED'],
    ['VERSION with bit 31 → NOT_SUPPORTED', [call(VM1, 'VERSION', '0x80000000')], 'NOT_SUPPORTED'],
  ] as [string, Step[], string][])('%s', (_, steps, status) => expect(last(steps)).toBe(status));

  it('direct request and response carry x3–x7 both ways; the requester is blocked meanwhile', () => {
    const o = run([call(VM1, 'MSG_SEND_DIRECT_REQ', 0x18002, 0, 0, 11, 12), { ep: SP2, mov: { dst: 9, src: 4 } }, { ep: VM1, mov: { dst: 9, imm: 1 } },
      call(SP2, 'MSG_SEND_DIRECT_RESP', 0x80020001, 0, 21), { ep: VM1, mov: { dst: 9, src: 3 } }]);
    expect(o[1]).toMatchObject({ k: 'mov', value: 11n });
    expect(o[2]).toMatchObject({ k: 'blocked' });
    expect(o[4]).toMatchObject({ k: 'mov', value: 21n });
  });
  it('PARTITION_INFO_GET reports the two SPs (count in w2, size 24 in w3)', () => {
    const r = run([call(VM1, 'PARTITION_INFO_GET')])[0];
    expect(r.k === 'smc' && r.ret!.slice(2, 4)).toEqual([2n, 24n]);
  });
});
