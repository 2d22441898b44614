// RMI_REC_DESTROY(rec): the REC and its aux granules return to DELEGATED (zeroed); the RD's REC
// count drops; rec_index does not (MPIDRs are never reused).
import { REC } from '../status';
import { arg, row } from '../command';
import type { RmiCommand } from '../spec';
import { granuleRows } from '../checks';
import { RealState, recOf } from '../state';
import { addRefcount, release } from '../ops';
import { markDestroying, startHandler } from '../weakmem/handlers';

interface C { s: RealState; cpu: number; rec: bigint }

export const REC_DESTROY: RmiCommand<C> = {
  name: 'REC_DESTROY',
  context: (s, x, cpu) => ({ s, cpu, rec: arg(x, 0) }),
  failures: [
    ...granuleRows<C>('rec', (c) => c.rec, 'REC'),
    // Named apart from G(rec)'s `rec_state`: row names must be unique (coverage, variants' dropRows).
    row('rec_running', (c) => recOf(c.s, Number(c.rec)).state === 'RUNNING', REC),
  ],
  effect: (c, spec) => {
    const rec = recOf(c.s, Number(c.rec));
    if (c.s.cfg.weakMemory) {
      const s = markDestroying(c.s, Number(c.rec));
      return { state: startHandler(s, c.cpu, { cmd: 'REC_DESTROY', rd: rec.owner, rec: Number(c.rec) }, spec.programs.recDestroy(rec.owner, rec.index)), pending: true };
    }
    let s = c.s;
    for (const a of rec.aux) s = release(s, a, spec);
    s = release(s, Number(c.rec), spec);
    return { state: addRefcount(s, rec.owner, -1) };
  },
};
