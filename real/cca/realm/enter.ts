// REC entry completion (reference §6 REC_ENTER, in the spec's order), then the REC runs on the CPU.

import { ENTRY_FLAGS, HOST_CALL } from '../layout';
import { signExtend } from '../../../model/bits';
import type { Effect } from '../spec';
import { RealState, Rec, rdOf, recOf, withCpu } from '../state';
import { addRefcount, setContent } from '../ops';
import { writeWords } from '../memory';
import type { RecEntry } from '../spec';
import { lookup } from './translate';
import { levelSize } from '../rtt';
import { RSI_STATUS } from './rsi';

export const RIPAS_ACCEPT = 0n;
export const RIPAS_REJECT = 1n;

export function enterRec(s: RealState, cpu: number, recPa: number, run: number, e: RecEntry): Effect {
  let rec: Rec = recOf(s, recPa);
  const regs = rec.regs.slice();
  let pc = rec.pc;
  const last = rec.lastExit;
  const flag = (f: bigint) => (e.flags & f) !== 0n;
  // 1. SEA injection: taken by the realm before its next instruction.
  const seaPending = flag(ENTRY_FLAGS.INJECT_SEA);
  // 2. MMIO completion: a read's Rt gets the host's value (sign-extended per the syndrome); PC moves on.
  if (flag(ENTRY_FLAGS.EMUL_MMIO) && last.kind === 'emulatable-da') {
    if (!last.write) {
      const m = last.size >= 8 ? (1n << 64n) - 1n : (1n << BigInt(last.size * 8)) - 1n;
      regs[last.rt] = last.signExtend ? signExtend(e.gprs[0] & m, last.size) : e.gprs[0] & m;
    }
    pc += 4n;
  }
  // 3. RIPAS change response: X1 = first address not changed, X2 = ACCEPT / REJECT.
  if (last.kind === 'ripas-change') {
    regs[0] = RSI_STATUS.SUCCESS;
    regs[1] = BigInt(rec.ripasAddr);
    regs[2] = flag(ENTRY_FLAGS.RIPAS_RESPONSE) ? RIPAS_REJECT : RIPAS_ACCEPT;
    rec = { ...rec, ripasTop: rec.ripasAddr, ripasRequested: false };
  }
  // 4. System register read emulated by the host.
  if (last.kind === 'sysreg-read') {
    regs[last.rt] = e.gprs[0];
    pc += 4n;
  }
  // 5. Host call: the host's answer goes into the realm's RsiHostCall structure; X0 = SUCCESS.
  if (last.kind === 'host-call') {
    const { entry, level } = lookup(s, rdOf(s, rec.owner), last.ipa);
    // The structure may have been unmapped meanwhile: then there is nowhere to write the answer.
    if (entry.hipas === 'ASSIGNED' && entry.ripas === 'RAM') {
      const pa = entry.addr + (last.ipa % levelSize(level));
      s = writeWords(s, pa - (pa % 4096), (pa % 4096) + HOST_CALL.gprs, e.gprs);
    }
    regs[0] = RSI_STATUS.SUCCESS;
  }
  // 6. WFI/WFE trapping for this run.
  rec = {
    ...rec, regs, pc, seaPending, lastExit: { kind: 'none' }, trapWfi: flag(ENTRY_FLAGS.TRAP_WFI), trapWfe: flag(ENTRY_FLAGS.TRAP_WFE),
    gicHcr: e.gicHcr, gicLrs: e.gicLrs, state: 'RUNNING',
  };
  let t = setContent(s, recPa, rec);
  t = addRefcount(t, recPa, 1);
  t = withCpu(t, cpu, { mode: { kind: 'realm', rec: recPa, run }, regs, pc });
  return { state: t, pending: true };
}
