// The exit record the host may see, field by field (reference §7; DEN0137 A4.3), derived in the ideal
// from what the realm did (its trap, or the call it made) and from its registers and memory as the
// rules exposed them — not by the specification's exit-record builder. Observation equality then
// compares it with what the real RMM wrote. Every field not listed for an exit reason is zero.

import type { Trap } from '../../real/cca/realm/guest';
import { NGPRS, sysregIndex } from '../../real/cca/realm/regs';
import { serrorEsr } from '../../real/cca/realm/esr';
import { REC_EXIT, REC_EXIT_BASE } from '../../real/cca/layout';
import type { Rec } from '../../real/cca/state';

/** Why the realm exited: its own trap, or an SMC the RMM turned into an exit (with its kind). */
export type Cause = { readonly trap: Trap } | { readonly call: 'psci' | 'ripas-change' | 'host-call' | 'abort'; readonly level: number };

const EC = (ec: bigint) => ec << 26n;
const f = (v: number | bigint | boolean, at: number) => BigInt(v) << BigInt(at);
/** ICC registers the RMM forwards (op0, op1, CRn, CRm, op2: Arm ARM encodings). */
const ICC: Record<string, number[]> = { ICC_SGI1R_EL1: [3, 0, 12, 11, 5], ICC_DIR_EL1: [3, 0, 12, 11, 1], ICC_PMR_EL1: [3, 0, 4, 6, 0] };
const sizeMask = (n: number) => (n >= 8 ? (1n << 64n) - 1n : (1n << BigInt(8 * n)) - 1n);
const PSCI_ARGS: Record<string, number> = { '0x84000003': 1, '0xc4000003': 1, '0x84000004': 1, '0xc4000004': 1 };

/**
 * `x`: the realm's registers as exposed to the RMM; `read(ipa, n)`: n words of realm memory at ipa
 * (the RsiHostCall structure, exposed by rule 6); `rec`: the REC as the host last entered it (GIC state).
 */
export function exitRecord(c: Cause, x: readonly bigint[], read: (ipa: number, n: number) => bigint[], rec: Rec): Record<string, bigint | bigint[]> {
  const r = {
    exitReason: 0n, esr: 0n, far: 0n, hpfar: 0n, gprs: new Array<bigint>(NGPRS).fill(0n),
    // Reported on every exit: the GIC state the host gave at entry, and the realm's timers (rule 3).
    gicv3Hcr: rec.gicHcr, gicv3Lrs: Array.from({ length: 16 }, (_, k) => rec.gicLrs[k] ?? 0n), gicv3Misr: 0n, gicv3Vmcr: 0n,
    cntpCtl: x[sysregIndex('CNTP_CTL_EL0')] ?? 0n, cntpCval: x[sysregIndex('CNTP_CVAL_EL0')] ?? 0n,
    cntvCtl: x[sysregIndex('CNTV_CTL_EL0')] ?? 0n, cntvCval: x[sysregIndex('CNTV_CVAL_EL0')] ?? 0n,
    ripasBase: 0n, ripasTop: 0n, ripasValue: 0n, imm: 0n, pmuOvfStatus: 0n,
  };
  const hpfar = (ipa: number) => BigInt(Math.floor(ipa / 4096)) << 4n; // HPFAR_EL2.FIPA = IPA[51:12] at [47:4]
  if ('call' in c) {
    switch (c.call) {
      case 'psci': // FID, then the arguments the exit forwards (CPU_ON/AFFINITY_INFO: the target only; others none, TF-RMM)
        r.exitReason = 3n;
        for (let k = 0; k <= (PSCI_ARGS['0x' + x[0].toString(16)] ?? 0); k++) r.gprs[k] = x[k];
        break;
      case 'ripas-change':
        Object.assign(r, { exitReason: 4n, ripasBase: x[1], ripasTop: x[2], ripasValue: x[3] });
        break;
      case 'host-call': { // imm and gprs[0..30] from the realm's RsiHostCall structure, not its registers
        const w = read(Number(x[1]), 32);
        Object.assign(r, { exitReason: 5n, imm: w[0] & 0xffffn, gprs: w.slice(1, 32) });
        break;
      }
      case 'abort': // the RSI call's target is not backed: an emulated stage-2 data abort at its page
        Object.assign(r, { esr: EC(0x24n) | BigInt(0x04 + c.level), hpfar: hpfar(Number(x[1])) });
        break;
    }
    return r;
  }
  const t = c.trap;
  switch (t.kind) {
    case 'data-abort':
      r.esr = EC(0x24n) | t.fsc; // EC, FSC (SET, FnV, EA are 0 here); IL only with TF-RMM's mask: no
      r.hpfar = hpfar(t.ipa);
      if (t.emulatable) {
        const sas = [1, 2, 4, 8].indexOf(t.size);
        r.esr |= f(1, 24) | f(sas, 22) | f(t.size === 8 || t.signExtend, 15) | f(t.write, 6); // ISV, SAS, SF, WnR (not SRT, SSE)
        r.far = BigInt(t.ipa % 4096);
        if (t.write) r.gprs[0] = x[t.rt] & sizeMask(t.size);
      }
      break;
    case 'inst-abort':
      Object.assign(r, { esr: EC(0x20n) | t.fsc, hpfar: hpfar(t.ipa) });
      break;
    case 'sysreg': { // the syndrome without Rt; a write's value
      const [op0, op1, crn, crm, op2] = ICC[t.name] ?? [0, 0, 0, 0, 0];
      r.esr = EC(0x18n) | f(1, 25) | f(op0, 20) | f(op2, 17) | f(op1, 14) | f(crn, 10) | f(crm, 1) | f(t.read, 0);
      if (!t.read) r.gprs[0] = x[t.rt];
      break;
    }
    case 'wfx':
      r.esr = EC(0x01n) | f(t.wfe, 0); // EC and TI only
      break;
    case 'irq':
    case 'fiq':
      r.exitReason = t.kind === 'irq' ? 1n : 2n;
      break;
    case 'serror': // IDS, AET, EA, DFSC of the physical syndrome (reference §7; TF-RMM ESR_SERROR_MASK has no EC)
      Object.assign(r, { exitReason: 6n, esr: serrorEsr() & (f(1, 24) | f(7, 10) | f(1, 9) | 0x3fn) });
      break;
    case 'smc':
      break;
  }
  return r;
}

/** The record's words as the ABI lays out the exit half of the run granule (RmiRecExit). */
export function exitWords(r: Record<string, bigint | bigint[]>): bigint[] {
  const w = new Array<bigint>((4096 - REC_EXIT_BASE) / 8).fill(0n);
  for (const [k, off] of Object.entries(REC_EXIT)) {
    const v = r[k];
    if (Array.isArray(v)) v.forEach((e, i) => (w[off / 8 + i] = e));
    else if (v !== undefined) w[off / 8] = v;
  }
  return w;
}
