// FFA_MSG_SEND2 (reference §4.9) and FFA_MSG_SEND_DIRECT_REQ / _RESP (§4.10).
// Hafnium: src/api.c api_ffa_msg_send2, api_ffa_msg_send_direct_req, api_ffa_msg_send_direct_resp;
// src/ffa/spmc/direct_messaging.c (direct request validity in the SPMC).
import { readPage } from '../bytes';
import { BUSY, DENIED, INV, MAILBOX_SIZE, MSG_HEADER_SIZE } from '../consts';
import { Bytes } from '../bytes';
import { Abi, Call, row, success, w } from '../table';
import { IDLE_VCPU, Real, addFlow, epIndex, setRegs, setVcpu, vcpuFor } from '../state';
import { deliverRx } from './retrieve';

export interface Send2Ctx { readonly call: Call; readonly h: Bytes; readonly offset: number; readonly size: number; readonly receiver: number; readonly sender: number; readonly ri: number }

const cfgOf = (c: Call, id: number) => c.cfg.endpoints.find((e) => e.id === id);

export const MSG_SEND2: Abi<Send2Ctx> = {
  name: 'MSG_SEND2',
  context: (call) => {
    const h = call.e.mbox.tx >= 0 ? readPage(call.s, call.e.mbox.tx, MSG_HEADER_SIZE) : new Bytes(new Uint8Array(0));
    const receiver = h.u16(12);
    return { call, h, offset: h.u32(8), size: h.u32(16), receiver, sender: h.u16(14), ri: epIndex(call.s, receiver) };
  },
  failures: [
    row('sender_id', (c) => (w(c.call, 1) >>> 16) !== 0, INV),
    row('no_tx', (c) => c.call.e.mbox.tx < 0, DENIED),
    row('hdr_sender', (c) => c.sender !== c.call.e.id, INV),
    row('self', (c) => c.receiver === c.call.e.id, INV),
    row('nwd_flags', (c) => !c.call.e.sp && w(c.call, 2) !== 0, INV),
    row('receiver_unknown', (c) => c.ri < 0, INV),
    row('indirect_unsupported', (c) => !cfgOf(c.call, c.receiver)?.indirect || !cfgOf(c.call, c.call.e.id)?.indirect, DENIED),
    // An unmapped RX counts as busy (Hafnium src/vm.c) [H].
    row('rx_busy', (c) => c.call.s.eps[c.ri].mbox.rx < 0 || c.call.s.eps[c.ri].mbox.full, BUSY),
    row('bounds', (c) => c.offset < MSG_HEADER_SIZE || c.offset + c.size > MAILBOX_SIZE, INV),
  ],
  effect: (c, spec) => {
    const bytes = readPage(c.call.s, c.call.e.mbox.tx, c.offset + c.size).toArray();
    let s = deliverRx(c.call.s, c.ri, bytes, c.call.e.id, 'MSG_SEND2', c.call.cfg.words, spec);
    s = addFlow(s, c.call.i, c.ri);
    return success(s);
  },
};

export interface DirectCtx {
  readonly call: Call; readonly sender: number; readonly receiver: number; readonly ri: number;
  /** REQ: the receiver's vCPU for the caller's CPU (-1: none). */
  readonly rv: number;
}
const directContext = (call: Call): DirectCtx => {
  const w1 = w(call, 1);
  const receiver = w1 & 0xffff;
  const ri = epIndex(call.s, receiver);
  return { call, sender: w1 >>> 16, receiver, ri, rv: ri >= 0 ? vcpuFor(call.s.eps[ri], call.cpu) : -1 };
};
const me = (c: DirectCtx) => c.call.e.vcpus[c.call.v];
/** Registers x0–x7 a direct message delivers: the function ID, w1, w2 = 0, the payload x3–x7. */
const payload = (c: Call): bigint[] => {
  const m = c.is64 ? (1n << 64n) - 1n : 0xffffffffn;
  return [c.x[0] & 0xffffffffn, c.x[1] & 0xffffffffn, 0n, c.x[3] & m, c.x[4] & m, c.x[5] & m, c.x[6] & m, c.x[7] & m];
};

export const MSG_SEND_DIRECT_REQ: Abi<DirectCtx> = {
  name: 'MSG_SEND_DIRECT_REQ',
  context: directContext,
  failures: [
    row('flags', (c) => w(c.call, 2) !== 0, INV),
    row('ids', (c) => c.sender === c.receiver || (c.receiver & 0x8000) === 0 || c.sender !== c.call.e.id, INV),
    row('receiver_unknown', (c) => c.ri < 0, INV),
    row('unsupported', (c) => !cfgOf(c.call, c.receiver)?.direct, DENIED),
    // Hafnium api_ffa_msg_send_direct_req: the receiver vCPU is api_ffa_get_vm_vcpu's (UP: vCPU 0;
    // MP: the vCPU with the current CPU's index), NULL for an MP partition with too few vCPUs → INV.
    row('vcpu', (c) => c.rv < 0, INV),
    // Then that vCPU (not the partition) must be free: a request ongoing, or running → BUSY. Waiting
    // on its own request counts as not WAITING for messages (vCPU state BLOCKED → BUSY).
    row('busy', (c) => { const t = c.call.s.eps[c.ri].vcpus[c.rv]; return t.waiting >= 0 || t.serving >= 0; }, BUSY),
    row('loop', (c) => me(c).serving === c.receiver, DENIED),
  ],
  effect: (c) => {
    let s: Real = setRegs(c.call.s, c.ri, c.rv, 0, payload(c.call));
    s = setVcpu(s, c.ri, c.rv, { serving: c.call.e.id, servingVcpu: c.call.v, cpu: c.call.cpu });
    s = setVcpu(s, c.call.i, c.call.v, { waiting: c.receiver });
    s = addFlow(s, c.call.i, c.ri);
    return { state: s, status: 'SUCCESS', ret: null, cleared: [] };
  },
};

export const MSG_SEND_DIRECT_RESP: Abi<DirectCtx> = {
  name: 'MSG_SEND_DIRECT_RESP',
  context: directContext,
  failures: [
    row('flags', (c) => w(c.call, 2) !== 0, INV),
    row('ids', (c) => c.sender !== c.call.e.id || c.sender === c.receiver || !c.call.e.sp, INV),
    // The requester is recorded per vCPU (Hafnium vcpu->direct_request_origin).
    row('not_requester', (c) => c.receiver !== me(c).serving, DENIED),
    row('no_request', (c) => me(c).serving < 0, DENIED),
  ],
  effect: (c) => {
    let s: Real = c.call.s;
    // The response resumes the requester's vCPU recorded at the request (the one blocked on it).
    const rv = me(c).servingVcpu;
    if (c.ri >= 0 && rv >= 0 && rv < s.eps[c.ri].vcpus.length) {
      s = setRegs(s, c.ri, rv, 0, payload(c.call));
      s = setVcpu(s, c.ri, rv, { waiting: -1 });
      s = addFlow(s, c.call.i, c.ri);
    }
    s = setVcpu(s, c.call.i, c.call.v, { serving: IDLE_VCPU.serving, servingVcpu: IDLE_VCPU.servingVcpu, cpu: IDLE_VCPU.cpu });
    return { state: s, status: 'SUCCESS', ret: null, cleared: [] };
  },
};
