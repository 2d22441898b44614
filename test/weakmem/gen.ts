// Random small litmus programs for comparing the executor with the axiomatic oracle.
import fc from 'fast-check';
import type { WmDep, WmOp } from '../../real/shared/weakmem/executor';

export interface GenTest {
  threads: WmOp[][];
  init: Record<string, number>;
}

type Spec = {
  kind: 'ld' | 'ldar' | 'ldapr' | 'st' | 'stlr' | 'streg' | 'dmb.sy' | 'dmb.ld' | 'dmb.st' | 'isb' | 'faa' | 'faal';
  loc: number;
  dep: { kind: WmDep['kind']; pick: number } | null;
  add: number;
};

const specArb: fc.Arbitrary<Spec> = fc.record({
  kind: fc.oneof(
    { weight: 5, arbitrary: fc.constant('ld' as const) },
    { weight: 2, arbitrary: fc.constantFrom('ldar' as const, 'ldapr' as const) },
    { weight: 5, arbitrary: fc.constant('st' as const) },
    { weight: 2, arbitrary: fc.constantFrom('stlr' as const, 'streg' as const) },
    { weight: 3, arbitrary: fc.constantFrom('dmb.sy' as const, 'dmb.ld' as const, 'dmb.st' as const, 'isb' as const) },
    { weight: 1, arbitrary: fc.constantFrom('faa' as const, 'faal' as const) },
  ),
  loc: fc.nat({ max: 2 }),
  dep: fc.option(fc.record({ kind: fc.constantFrom<WmDep['kind']>('addr', 'data', 'ctrl', 'ctrlisb'), pick: fc.nat({ max: 3 }) }), {
    freq: 2,
    nil: null,
  }),
  add: fc.integer({ min: 0, max: 2 }),
});

/**
 * 2-3 threads of at most 4 ops over 2-3 locations (x, y, z), with every op/barrier/dependency kind.
 * Optional shapes: a thread wrapped in lock(l)/unlock(l) (lock first: the executor's atomic RMW is
 * exact there), and fetch-and-add on a counter "c" without result register.
 */
export const litmusArb: fc.Arbitrary<GenTest> = fc
  .record({
    nLocs: fc.integer({ min: 2, max: 3 }),
    threads: fc.array(fc.record({ ops: fc.array(specArb, { minLength: 1, maxLength: 4 }), locked: fc.boolean() }), { minLength: 2, maxLength: 3 }),
    useLocks: fc.boolean(),
    initY: fc.boolean(),
  })
  .map(({ nLocs, threads, useLocks, initY }) => {
    const locs = ['x', 'y', 'z'].slice(0, nLocs);
    const nextVal: Record<string, number> = {};
    const out: WmOp[][] = threads.map((t, tid) => {
      const ops: WmOp[] = [];
      const regs: string[] = [];
      const locked = useLocks && t.locked;
      if (locked) ops.push({ op: 'lock', loc: 'l' });
      t.ops.forEach((sp, k) => {
        const loc = locs[sp.loc % locs.length];
        let deps: WmDep[] | undefined;
        if (sp.dep && regs.length > 0) deps = [{ kind: sp.dep.kind, on: [regs[sp.dep.pick % regs.length]] }];
        const reg = `r${k}`;
        switch (sp.kind) {
          case 'ld':
          case 'ldar':
          case 'ldapr': {
            // a "data" dependency into a load is not a thing; use addr
            const d = deps?.map((x) => (x.kind === 'data' ? { ...x, kind: 'addr' as const } : x));
            ops.push({ op: 'load', loc, reg, order: sp.kind === 'ld' ? 'plain' : sp.kind === 'ldar' ? 'acquire' : 'acquirePC', ...(d ? { deps: d } : {}) });
            regs.push(reg);
            break;
          }
          case 'st':
          case 'stlr': {
            const v = (nextVal[loc] = (nextVal[loc] ?? 0) + 1);
            ops.push({ op: 'store', loc, val: v, order: sp.kind === 'st' ? 'plain' : 'release', ...(deps ? { deps } : {}) });
            break;
          }
          case 'streg':
            if (regs.length === 0) {
              const v = (nextVal[loc] = (nextVal[loc] ?? 0) + 1);
              ops.push({ op: 'store', loc, val: v });
            } else {
              ops.push({ op: 'store', loc, reg: regs[(sp.dep?.pick ?? 0) % regs.length], add: sp.add, ...(deps ? { deps } : {}) });
            }
            break;
          case 'dmb.sy':
          case 'dmb.ld':
          case 'dmb.st':
            ops.push({ op: 'dmb', kind: sp.kind.slice(4) as 'sy' | 'ld' | 'st' });
            break;
          case 'isb':
            ops.push({ op: 'isb', ...(deps ? { deps: deps.map((d) => ({ ...d, kind: 'ctrl' as const })) } : {}) });
            break;
          case 'faa':
          case 'faal':
            ops.push({ op: 'faa', loc: 'c', add: 1 + sp.add, order: sp.kind === 'faa' ? 'plain' : 'release', ...(deps ? { deps } : {}) });
            break;
        }
      });
      if (locked) ops.push({ op: 'unlock', loc: 'l' });
      void tid;
      return ops;
    });
    const init: Record<string, number> = {};
    for (const l of locs) init[l] = 0;
    if (initY) init.y = 7;
    return { threads: out, init };
  });

// ---------------------------------------------------------------------------------------------
// Shape-based generation (in the style of diy): a classic cycle skeleton (MP, SB, LB, S, R, 2+2W,
// WRC, ISA2, IRIW, RWC, WWC, 3.SB, 3.LB, coherence shapes) whose program-order edges are each
// decorated with a random barrier, dependency, forwarding chain or acquire/release annotation.
// Random programs rarely line up an ordering at both ends of a cycle; these always do.

type Acc = readonly ['R' | 'W', string];
export const SHAPES: Record<string, readonly (readonly Acc[])[]> = {
  MP: [[['W', 'x'], ['W', 'y']], [['R', 'y'], ['R', 'x']]],
  SB: [[['W', 'x'], ['R', 'y']], [['W', 'y'], ['R', 'x']]],
  LB: [[['R', 'x'], ['W', 'y']], [['R', 'y'], ['W', 'x']]],
  S: [[['W', 'x'], ['W', 'y']], [['R', 'y'], ['W', 'x']]],
  R: [[['W', 'x'], ['W', 'y']], [['W', 'y'], ['R', 'x']]],
  '2+2W': [[['W', 'x'], ['W', 'y']], [['W', 'y'], ['W', 'x']]],
  WRC: [[['W', 'x']], [['R', 'x'], ['W', 'y']], [['R', 'y'], ['R', 'x']]],
  ISA2: [[['W', 'x'], ['W', 'y']], [['R', 'y'], ['W', 'z']], [['R', 'z'], ['R', 'x']]],
  IRIW: [[['W', 'x']], [['R', 'x'], ['R', 'y']], [['W', 'y']], [['R', 'y'], ['R', 'x']]],
  RWC: [[['W', 'x']], [['R', 'x'], ['R', 'y']], [['W', 'y'], ['R', 'x']]],
  WWC: [[['W', 'x']], [['R', 'x'], ['W', 'y']], [['R', 'y'], ['W', 'x']]],
  '3.SB': [[['W', 'x'], ['R', 'y']], [['W', 'y'], ['R', 'z']], [['W', 'z'], ['R', 'x']]],
  '3.LB': [[['R', 'x'], ['W', 'y']], [['R', 'y'], ['W', 'z']], [['R', 'z'], ['W', 'x']]],
  CoRR: [[['W', 'x']], [['R', 'x'], ['R', 'x']]],
  CoWR: [[['W', 'x'], ['R', 'x']], [['W', 'x']]],
  CoRW: [[['R', 'x'], ['W', 'x']], [['W', 'x']]],
  CoWW: [[['W', 'x'], ['W', 'x']], [['R', 'x'], ['R', 'x']]],
  'MP+fri': [[['W', 'x'], ['W', 'y']], [['R', 'y'], ['W', 'y'], ['R', 'x']]],
};

type Deco = 'po' | 'dmb.sy' | 'dmb.ld' | 'dmb.st' | 'isb' | 'addr' | 'data' | 'ctrl' | 'ctrlisb' | 'addr-po' | 'rfi' | 'dep-rfi';
const DECOS: Deco[] = ['po', 'dmb.sy', 'dmb.ld', 'dmb.st', 'isb', 'addr', 'data', 'ctrl', 'ctrlisb', 'addr-po', 'rfi', 'dep-rfi'];
const ANNOT_R = ['plain', 'plain', 'acquire', 'acquirePC'] as const;
const ANNOT_W = ['plain', 'plain', 'release'] as const;

export const shapeArb: fc.Arbitrary<GenTest & { shape: string }> = fc
  .record({
    shape: fc.constantFrom(...Object.keys(SHAPES)),
    decos: fc.array(fc.constantFrom(...DECOS), { minLength: 12, maxLength: 12 }),
    annots: fc.array(fc.nat({ max: 11 }), { minLength: 12, maxLength: 12 }),
    depKinds: fc.array(fc.constantFrom<WmDep['kind']>('addr', 'data', 'ctrl', 'ctrlisb'), { minLength: 12, maxLength: 12 }),
  })
  .map(({ shape, decos, annots, depKinds }) => {
    const vals: Record<string, number> = {};
    let di = 0;
    const threads = SHAPES[shape].map((accs, t) => {
      const ops: WmOp[] = [];
      let nreg = 0;
      let pending: WmDep[] = []; // dependencies to attach to the next access
      let last = ''; // register of the last load (source for dependencies)
      const emit = (a: Acc, ai: number): void => {
        const [k, loc] = a;
        const deps = pending.length ? pending : undefined;
        pending = [];
        if (k === 'R') {
          const reg = `r${nreg++}`;
          const order = ANNOT_R[annots[(t * 4 + ai) % 12] % ANNOT_R.length];
          ops.push({ op: 'load', loc, reg, order, ...(deps ? { deps } : {}) });
          last = reg;
        } else {
          const order = ANNOT_W[annots[(t * 4 + ai) % 12] % ANNOT_W.length];
          const v = (vals[loc] = (vals[loc] ?? 0) + 1);
          const dataDep = deps?.find((d) => d.kind === 'data');
          const rest = deps?.filter((d) => d.kind !== 'data');
          if (dataDep) ops.push({ op: 'store', loc, reg: dataDep.on[0], add: v, order, ...(rest?.length ? { deps: rest } : {}) });
          else ops.push({ op: 'store', loc, val: v, order, ...(deps ? { deps } : {}) });
        }
      };
      accs.forEach((a, ai) => {
        if (ai > 0) {
          const prev = accs[ai - 1];
          let d = decos[di++ % decos.length];
          const dk = depKinds[di % depKinds.length];
          const srcIsR = prev[0] === 'R';
          if (!srcIsR && (d === 'addr' || d === 'data' || d === 'ctrl' || d === 'ctrlisb' || d === 'addr-po' || d === 'dep-rfi')) d = 'rfi';
          if (d === 'data' && a[0] === 'R') d = 'addr';
          switch (d) {
            case 'po':
              break;
            case 'dmb.sy':
            case 'dmb.ld':
            case 'dmb.st':
              ops.push({ op: 'dmb', kind: d.slice(4) as 'sy' | 'ld' | 'st' });
              break;
            case 'isb':
              ops.push({ op: 'isb' });
              break;
            case 'addr':
            case 'data':
            case 'ctrl':
            case 'ctrlisb':
              pending = [{ kind: d, on: [last] }];
              break;
            case 'addr-po': {
              // R -addr-> R w ; po ; next
              const reg = `r${nreg++}`;
              ops.push({ op: 'load', loc: 'w', reg, deps: [{ kind: 'addr', on: [last] }] });
              break;
            }
            case 'rfi': {
              // ... ; W z ; R z (forwarded) -dep-> next   (if prev was a write to loc, reuse it)
              const loc = prev[0] === 'W' ? prev[1] : 'z';
              if (prev[0] !== 'W') ops.push({ op: 'store', loc, val: 9 });
              const reg = `r${nreg++}`;
              ops.push({ op: 'load', loc, reg });
              pending = [{ kind: dk === 'data' && a[0] === 'R' ? 'addr' : dk, on: [reg] }];
              break;
            }
            case 'dep-rfi': {
              // R -data-> W z -rfi-> R z -dep-> next
              ops.push({ op: 'store', loc: 'z', reg: last, add: 5 });
              const reg = `r${nreg++}`;
              ops.push({ op: 'load', loc: 'z', reg });
              pending = [{ kind: dk === 'data' && a[0] === 'R' ? 'addr' : dk, on: [reg] }];
              break;
            }
          }
        }
        emit(a, ai);
      });
      return ops;
    });
    const init: Record<string, number> = {};
    for (const t of threads) for (const o of t) if ('loc' in o) init[o.loc] = 0;
    return { shape, threads, init };
  });
