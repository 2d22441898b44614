// Plain-JSON views of both machines for viewers (`replay --html`): per endpoint its pages by FF-A
// state, mailbox, and each vCPU's registers (non-zero ones) and direct-messaging state; the
// transaction table; and on the ideal side the page cells and the exclusive registers per vCPU.
import { pageState } from '../../real/ffa/consts';
import type { RealState } from '../../real/ffa/machine';
import type { Vcpu } from '../../real/ffa/state';
import { ptoArray } from '../../model/pvec';
import type { Ideal } from '../../ideal/ffa/machine';

const h = (v: bigint | number) => '0x' + v.toString(16);
const regs = (r: readonly bigint[]) => Object.fromEntries(r.flatMap((v, k) => (v ? [[`x${k}`, h(v)]] : [])));
const vcpu = (v: Vcpu, k: number) => ({
  vcpu: k, regs: regs(v.regs),
  ...(v.waiting >= 0 ? { waitingOn: h(v.waiting) } : {}),
  ...(v.serving >= 0 ? { serving: `${h(v.serving)} vCPU ${v.servingVcpu}`, onCpu: v.cpu } : {}),
});
const words = (w: readonly bigint[]) => (w.some((x) => x) ? w.map(h) : 'zero');

export function displayReal(s: RealState): unknown {
  return {
    endpoints: s.eps.map((e) => {
      const pages: Record<string, string> = {};
      ptoArray(e.modes).forEach((m, p) => { const st = pageState(m); if (st !== '!Owner-NA') pages[h(p * 4096)] = `${st} ${h(m)}`; });
      return { id: h(e.id), pages, mailbox: e.mbox.tx < 0 ? 'unmapped' : { ...e.mbox, tx: h(e.mbox.tx * 4096), rx: h(e.mbox.rx * 4096) }, vcpus: e.vcpus.map(vcpu) };
    }),
    transactions: s.txns.flatMap((t) => (t ? [{
      handle: h(t.handle), func: t.func, sender: h(t.sender), complete: t.complete,
      pages: t.constituents.map((c) => `${h(c.page * 4096)}+${c.count}`), receivers: t.receivers.map((r) => ({ id: h(r.id), perms: h(r.perms), retrieved: r.retrieved })),
    }] : [])),
    memory: Object.fromEntries(ptoArray(s.mem).flatMap((w, p) => (w.some((x) => x) ? [[h(p * 4096), words(w)]] : []))),
  };
}

export function displayIdeal(i: Ideal): unknown {
  const ids = i.world.eps.map((e) => h(e.id));
  return {
    cells: Object.fromEntries(ptoArray(i.cells).flatMap((c, p) => (c.who ? [[h(p * 4096), { holders: ids.filter((_, k) => c.who & (1 << k)), value: c.val ? words(c.val) : 'Unknown (the frame)' }]] : []))),
    exclusiveRegisters: Object.fromEntries(i.xregs.map((vs, k) => [ids[k], vs.map((r, c) => ({ vcpu: c, regs: regs(r) }))])),
    world: displayReal(i.world),
  };
}
