// Known endpoints run fixed programs (issue 11; reference §7 "Robust safety", VMSL): the lifecycle
// share/lend/donate → retrieve → use → relinquish → reclaim, one step per command of that endpoint,
// with the choices drawn once per iteration; unknown endpoints run everything else.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Lockstep } from '../../properties/engine';
import { ffaSystem } from '../../properties/ffa/system';
import { STEPS, programStep, type Iter } from '../../properties/ffa/programs';
import type { Gen } from '../../properties/ffa/generators';
import type { Action, Obs } from '../../real/ffa/machine';

const c = ffaSystem.config.defaults;
const VM1 = 1, SP1 = 0x8001;
const LIFECYCLE = new Set(['MEM_SHARE', 'MEM_LEND', 'MEM_DONATE', 'MEM_FRAG_TX', 'MSG_SEND_DIRECT_REQ', 'MEM_RETRIEVE_REQ', 'RX_RELEASE', 'MEM_FRAG_RX', 'MEM_RELINQUISH', 'MEM_RECLAIM']);
const it0: Iter = { func: 'LEND', recv: 0, two: false, page: 1, pages2: false, frag: false, rw: true, askLess: false, clear: true, relClear: false, recClear: false, skipRetrieve: false, notify: false, secret: 0x5ecn };

/** Runs known endpoint `ep`'s program for `n` steps (and nothing else) and gives each step's observations. */
function runProgram(ep: number, it: Iter, n: number): Obs[][] {
  const l = new Lockstep(ffaSystem, { spec: ffaSystem.spec, config: c });
  const k = c.endpoints.findIndex((e) => e.id === ep);
  const out: Obs[][] = [];
  for (let pc = 0; pc < n; pc++) {
    const obs: Obs[] = [];
    for (const a of programStep(l.real, k, pc, it, 0, c)) {
      const r = l.step(a);
      expect(r.violations).toEqual([]);
      obs.push(r.real as Obs);
    }
    out.push(obs);
  }
  return out;
}
const calls = (os: Obs[]) => os.flatMap((o) => (o.k === 'smc' ? [`${o.abi} ${o.status}`] : []));

describe('known programs', () => {
  it('a LEND to a known SP runs the whole lifecycle in program order (reference §5 rows)', () => {
    const steps = runProgram(VM1, it0, STEPS.length);
    expect(steps.map(calls)).toEqual([
      ['MEM_LEND SUCCESS'],                        // send: Owner-EA → Owner-NA
      [],                                          // notify: the borrower is known (no direct request)
      ['MEM_RETRIEVE_REQ SUCCESS'],                // SP 0x8001 retrieves: !Owner-NA → !Owner-EA
      ['RX_RELEASE SUCCESS'],                      // use: it reads the response, releases RX, writes the page
      ['MEM_RELINQUISH SUCCESS'],                  // !Owner-EA → !Owner-NA
      ['MEM_RECLAIM SUCCESS'],                     // all relinquished: Owner-NA → Owner-EA
    ]);
    // The lender cannot read its lent page while lent (rule 8), and the clear flag zeroed it at send.
    const use = steps[3].filter((o) => o.k === 'load');
    expect(use.at(-1)).toMatchObject({ ep: VM1, value: null });
    expect(use[1]).toMatchObject({ ep: SP1, value: 0n });
  });

  it('a SHARE to an unknown SP with notify: the lender waits for the direct response, and reclaim is refused while the SP holds it', () => {
    const it1: Iter = { ...it0, func: 'SHARE', recv: 1, clear: false, notify: true };
    const steps = runProgram(SP1, it1, STEPS.length);
    expect(steps.map(calls)).toEqual([['MEM_SHARE SUCCESS'], ['MSG_SEND_DIRECT_REQ SUCCESS'], [], [], [], []]);
    expect(steps[3]).toEqual([]); // SP 0x8001 (UP) is blocked until SP 0x8002 responds
  });

  it('generated traces: known endpoints only make lifecycle calls, their steps numbered per endpoint', () => {
    const traces = fc.sample(ffaSystem.actions.generate(c, 100), { numRuns: 40, seed: 9 }) as Gen[][];
    const reached = new Set<string>();
    for (const t of traces) {
      const pcs = new Map<number, number>();
      const l = new Lockstep(ffaSystem, { spec: ffaSystem.spec, config: c });
      for (const g of t) {
        const id = c.endpoints[g.ep].id;
        if (c.known.includes(id)) {
          expect(g.prog?.pc).toBe(pcs.get(id) ?? 0);
          pcs.set(id, (pcs.get(id) ?? 0) + 1);
        } else expect(g.prog).toBeUndefined();
        for (const a of ffaSystem.actions.resolve(l.real, g, c) as Action[]) {
          const o = l.step(a).real as Obs;
          if (g.prog && o.k === 'smc') {
            expect(LIFECYCLE.has(o.abi)).toBe(true);
            reached.add(`${STEPS[g.prog.pc % STEPS.length]} ${o.abi} ${o.status}`);
          }
          if (g.prog && a.kind === 'mov') expect(a.secret).toBe(true);
        }
      }
    }
    for (const k of ['send MEM_SHARE SUCCESS', 'send MEM_LEND SUCCESS', 'send MEM_DONATE SUCCESS', 'send MEM_FRAG_TX SUCCESS', 'retrieve MEM_RETRIEVE_REQ SUCCESS',
      'relinquish MEM_RELINQUISH SUCCESS', 'reclaim MEM_RECLAIM SUCCESS', 'notify MSG_SEND_DIRECT_REQ SUCCESS']) expect(reached).toContain(k);
  });
});
