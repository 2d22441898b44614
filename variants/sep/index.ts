// The bug classes of reference A.8, each a named variant: a function from the specification object to a
// changed one (the model has no `if (bug)` flags). `expect` names the property the checker reports first.

import type { NamedVariant } from '../../model/system';
import type { Cfg } from '../../real/sep/config';
import type { GicdReg, Spec } from '../../real/sep/spec';
import type { Golden, S2Entry, S2Map, Spi } from '../../real/sep/state';
import { sgir, setSpis } from '../../real/sep/gicd';
import { fieldOf } from '../../real/sep/gicv2';

type V = NamedVariant<Spec, Cfg>;

/** The golden images with some entries changed. */
const editGolden = (s: Spec, edit: (c: Cfg, s2: Map<number, S2Entry>[], smmu: (Map<number, S2Entry> | null)[]) => void): Spec => ({
  ...s,
  golden: (c, l) => {
    const g: Golden = s.golden(c, l);
    const s2 = g.s2.map((m) => new Map(m));
    const smmu = g.smmu.map((m) => (m ? new Map(m) : null));
    edit(c, s2, smmu);
    return { s2: s2 as S2Map[], smmu: smmu as (S2Map | null)[] };
  },
});

const goldenOffByOne: V = {
  name: 'golden-off-by-one',
  description: 'A.8 row 1: the golden stage-2 image maps one page past the end of each RAM region (an off-by-one in the region length), which is the first page of the neighbouring guest\'s memory.',
  expect: 'P4',
  apply: (s) => editGolden(s, (c, s2) => c.guests.forEach((g, i) => {
    const r = g.ram[g.ram.length - 1];
    if (r && r.pa + r.pages < c.ramPages) s2[i].set(r.ipa + r.pages, { kind: 'ram', pa: r.pa + r.pages, w: true, x: true, cacheable: true });
  })),
};

/** Boot rules with the overlap checks taken out (the range checks stay). */
const bootSkipsOverlap: V = {
  name: 'boot-skips-overlap',
  description: 'A.8 row 2: boot validation skips the overlap checks: a core shared by two guests, overlapping RAM regions, a third guest mapping a channel page are accepted.',
  expect: 'A.1',
  apply: (s) => ({
    ...s,
    boot: s.boot.map((r) => (r.name === 'cores' || r.name === 'physical'
      ? { ...r, check: (c: Cfg) => r.check(c).filter((m) => !/already (belongs|used)|overlaps|is hypervisor memory/.test(m)) }
      : r)),
  }),
};

const receiverWritable: V = {
  name: 'receiver-page-writable',
  description: 'A.8 row 3: the receiver\'s incoming channel page is mapped writable, a backward flow from receiver to sender.',
  expect: 'P4',
  apply: (s) => editGolden(s, (c, s2) => c.channels.forEach((ch) => {
    const e = s2[ch.to].get(ch.aRecv);
    if (e) s2[ch.to].set(ch.aRecv, { ...e, w: true });
  })),
};

const notifyNoSenderCheck: V = {
  name: 'notify-no-sender-check',
  description: 'A.8 row 4: IGC_NOTIFY does not check that the caller is the channel\'s sender, so any guest can notify along any channel (and set a mailbox of a pair without a channel).',
  expect: 'Oracle',
  apply: (s) => ({ ...s, notify: { ...s.notify, rows: s.notify.rows.filter((r) => r.name !== 'DROP_NOT_SENDER') } }),
};

const STATUS: Record<string, bigint> = { GRANT: 0n, DROP_BAD: 0xffff_ffff_ffff_fffen, DROP_NOT_SENDER: 0xffff_ffff_ffff_fffdn, DROP_NO_TARGET: 0xffff_ffff_ffff_fff9n, DROP_BUSY: 0xffff_ffff_ffff_fffbn };
const hvcStatus: V = {
  name: 'hvc-returns-status',
  description: 'A.8 row 5: the notification hypercall returns a status in x0 (PSCI-style codes), telling the sender whether the receiver is powered and has acknowledged: a back-channel.',
  expect: 'Oracle',
  apply: (s) => ({ ...s, notify: { ...s.notify, resume: (core, outcome, x) => { const k = s.notify.resume(core, outcome, x); const xs = k.x.slice(); xs[0] = STATUS[outcome] ?? 0n; return { ...k, x: xs }; } } }),
};

/** ITARGETSR writes applied to every configured peripheral interrupt, the byte taken as a physical mask. */
const itargetsUnfiltered: Pick<GicdReg, 'write'> = {
  write: (x) => {
    const spis: Record<number, Spi> = {};
    for (const id in x.s.spi) {
      const f = fieldOf('ITARGETSR', x.n, x.value, Number(id));
      if (f >= 0) spis[id] = { ...x.s.spi[id], tgt: f & ((1 << x.s.cores.length) - 1) };
    }
    return setSpis(x.s, spis);
  },
};
const gicdUnfiltered: V = {
  name: 'gicd-unfiltered-targets',
  description: 'A.8 row 6: GICD_ITARGETSR writes are not filtered: a guest routes any interrupt, a foreign one included, to any physical core.',
  expect: 'Oracle',
  apply: (s) => ({ ...s, gicd: { ...s.gicd, regs: { ...s.gicd.regs, ITARGETSR: { read: s.gicd.regs.ITARGETSR.read, write: itargetsUnfiltered.write } } } }),
};

const sgirUnrestricted: V = {
  name: 'sgir-unrestricted',
  description: 'A.8 row 7: GICD_SGIR targets are not restricted or translated: the CPU target list names physical cores, so a guest sends IPIs into another guest.',
  expect: 'Oracle',
  apply: (s) => ({
    ...s,
    gicd: { ...s.gicd, regs: { ...s.gicd.regs, SGIR: sgir((x) => {
      const filter = Number((x.value >> 24n) & 3n), list = Number((x.value >> 16n) & 0xffn);
      const all = x.s.cores.map((_, i) => i);
      return filter === 0 ? all.filter((c) => list & (1 << c)) : filter === 1 ? all.filter((c) => c !== x.c) : filter === 2 ? [x.c] : [];
    }) } },
  }),
};

const psciForeign: V = {
  name: 'psci-foreign-core',
  description: 'A.8 row 8: PSCI CPU_ON takes x1 as a physical core id, so a guest starts (at its own entry point) a core of another guest.',
  expect: 'Oracle / P3',
  apply: (s) => ({
    ...s,
    psci: {
      target: (l, _c, _g, k) => (k < BigInt(l.guestOf.length) ? Number(k) : -1),
      rows: s.psci.rows,
    },
  }),
};

const stage2Off: V = {
  name: 'stage2-left-off',
  description: 'A.8 row 9: the GICD emulation turns stage 2 off to talk to the GIC and returns to the guest without turning it back on: the guest then addresses physical memory directly.',
  expect: 'P4',
  apply: (s) => ({ ...s, gicd: { ...s.gicd, exit: (core) => core } }),
};

const abortHpfar: V = {
  name: 'abort-exposes-hpfar',
  description: 'A.8 row 9: the injected abort puts HPFAR_EL2 (the faulting IPA page, in HPFAR format) into FAR_EL1 instead of the VA: hypervisor state reaches the guest.',
  expect: 'Observation',
  apply: (s) => ({ ...s, inject: (core, f) => { const k = s.inject(core, f); return { ...k, sys: { ...k.sys, far_el1: core.el2.hpfar } }; } }),
};

const cacheAlias: V = {
  name: 'cache-alias',
  description: 'A.8 row 10 (with the optional cache layer): the receiver maps its channel page uncacheable while the sender writes it through the cache with no clean: the receiver reads stale memory.',
  expect: 'P4 / Observation / R3',
  config: { cache: true },
  apply: (s) => editGolden(s, (c, s2) => c.channels.forEach((ch) => {
    const e = s2[ch.to].get(ch.aRecv);
    if (e) s2[ch.to].set(ch.aRecv, { ...e, cacheable: false });
  })),
};

export const VARIANTS: readonly V[] = [
  goldenOffByOne, bootSkipsOverlap, receiverWritable, notifyNoSenderCheck, hvcStatus, gicdUnfiltered,
  sgirUnrestricted, psciForeign, stage2Off, abortHpfar, cacheAlias,
];
