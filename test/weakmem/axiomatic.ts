// Independent brute-force implementation of the Armv8 axiomatic memory model (herd's aarch64.cat,
// the current "lws/lrs" formulation), used as an oracle for the operational executor.
//
// For a program it builds the events (R/W per memory access, an R and a W for each RMW, F for
// barriers and ISBs), the static relations po, addr, data, ctrl, rmw and from them the static part
// of ob (lob = lws | dob | aob | bob), written as literally as possible after the cat file. Then
// it enumerates every candidate execution (an rf choice for each read and a co order per
// location), computes values, and keeps those satisfying
//   internal: acyclic(po-loc | ca | rf)      (ca = fr | co)
//   external: acyclic(obs | lob)              (obs = rfe | fre | coe)
//   atomic:   empty(rmw & (fre; coe))
// plus "a lock's read reads 0" (the executor's lock only succeeds on a free lock; other executions
// do not terminate). It returns the set of final outcomes (registers and final memory).
//
// Nothing here is shared with real/weakmem/executor.ts except the WmOp type.

import type { WmOp, Outcome } from '../../real/shared/weakmem/executor';

type Kind = 'R' | 'W' | 'F';
interface Ev {
  readonly id: number;
  readonly tid: number; // -1 for initial writes
  readonly pos: number; // program-order position within the thread
  readonly kind: Kind;
  readonly loc: string;
  readonly op: number; // op index (-1 for init)
  readonly A: boolean;
  readonly Q: boolean;
  readonly L: boolean;
  readonly fence: '' | 'full' | 'ld' | 'st' | 'isb';
}

type Rel = boolean[][];
const mk = (n: number): Rel => Array.from({ length: n }, () => new Array<boolean>(n).fill(false));
const union = (...rs: Rel[]): Rel => rs[0].map((row, i) => row.map((_, j) => rs.some((r) => r[i][j])));
const seq = (a: Rel, b: Rel): Rel => {
  const n = a.length;
  const r = mk(n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) if (a[i][k]) for (let j = 0; j < n; j++) if (b[k][j]) r[i][j] = true;
  return r;
};
const diff = (a: Rel, b: Rel): Rel => a.map((row, i) => row.map((x, j) => x && !b[i][j]));
/** [S] as a relation. */
const id = (n: number, p: (i: number) => boolean): Rel => {
  const r = mk(n);
  for (let i = 0; i < n; i++) if (p(i)) r[i][i] = true;
  return r;
};

function acyclic(n: number, succ: number[][]): boolean {
  const color = new Uint8Array(n); // 0 white, 1 grey, 2 black
  const stack: Array<[number, number]> = [];
  for (let s = 0; s < n; s++) {
    if (color[s]) continue;
    stack.push([s, 0]);
    color[s] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [v, i] = top;
      if (i < succ[v].length) {
        top[1]++;
        const w = succ[v][i];
        if (color[w] === 1) return false;
        if (color[w] === 0) {
          color[w] = 1;
          stack.push([w, 0]);
        }
      } else {
        color[v] = 2;
        stack.pop();
      }
    }
  }
  return true;
}

const big = (x: unknown): bigint => (typeof x === 'bigint' ? x : typeof x === 'number' ? BigInt(x) : 0n);

export interface AxiomaticResult {
  outcomes: Outcome[];
  candidates: number;
  consistent: number;
}

/** All outcomes (every written register "T:reg" and every location) the axiomatic model allows. */
export function axiomaticOutcomes(threads: WmOp[][], init: Record<string, number | bigint> = {}): AxiomaticResult {
  // ---- events
  const evs: Ev[] = [];
  const locs = new Set<string>(Object.keys(init));
  for (const t of threads) for (const o of t) if ('loc' in o) locs.add(o.loc);
  const locList = [...locs].sort();
  const initEv = new Map<string, number>();
  const add = (e: Omit<Ev, 'id'>): number => {
    evs.push({ ...e, id: evs.length });
    return evs.length - 1;
  };
  for (const l of locList) initEv.set(l, add({ tid: -1, pos: 0, kind: 'W', loc: l, op: -1, A: false, Q: false, L: false, fence: '' }));
  // per thread, per op: its R event, W event (may be the same op for RMW), and implicit ISB event.
  const rOf: number[][] = [];
  const wOf: number[][] = [];
  const isbBefore: number[][] = [];
  threads.forEach((ops, t) => {
    rOf.push([]);
    wOf.push([]);
    isbBefore.push([]);
    ops.forEach((o, k) => {
      const base = { tid: t, op: k, A: false, Q: false, L: false, fence: '' as Ev['fence'], loc: '' };
      const deps = o.deps ?? [];
      // A ctrl+isb dependency is "branch; ISB; op": an ISB event just before op k.
      isbBefore[t][k] = deps.some((d) => d.kind === 'ctrlisb') ? add({ ...base, pos: 4 * k + 1, kind: 'F', fence: 'isb' }) : -1;
      rOf[t][k] = -1;
      wOf[t][k] = -1;
      switch (o.op) {
        case 'load':
          rOf[t][k] = add({ ...base, pos: 4 * k + 2, kind: 'R', loc: o.loc, A: o.order === 'acquire', Q: o.order === 'acquirePC' });
          break;
        case 'store':
          wOf[t][k] = add({ ...base, pos: 4 * k + 2, kind: 'W', loc: o.loc, L: o.order === 'release' });
          break;
        case 'unlock':
          wOf[t][k] = add({ ...base, pos: 4 * k + 2, kind: 'W', loc: o.loc, L: true });
          break;
        case 'lock':
          rOf[t][k] = add({ ...base, pos: 4 * k + 2, kind: 'R', loc: o.loc, A: true });
          wOf[t][k] = add({ ...base, pos: 4 * k + 3, kind: 'W', loc: o.loc });
          break;
        case 'faa': {
          const ord = o.order ?? 'plain';
          rOf[t][k] = add({ ...base, pos: 4 * k + 2, kind: 'R', loc: o.loc, A: ord === 'acquire' || ord === 'acqrel' });
          wOf[t][k] = add({ ...base, pos: 4 * k + 3, kind: 'W', loc: o.loc, L: ord === 'release' || ord === 'acqrel' });
          break;
        }
        case 'dmb':
          add({ ...base, pos: 4 * k + 2, kind: 'F', fence: o.kind === 'sy' ? 'full' : o.kind });
          break;
        case 'isb':
          add({ ...base, pos: 4 * k + 2, kind: 'F', fence: 'isb' });
          break;
      }
    });
  });
  const n = evs.length;
  const E = evs;
  const isR = (i: number) => E[i].kind === 'R';
  const isW = (i: number) => E[i].kind === 'W';
  const isM = (i: number) => E[i].kind !== 'F';

  // ---- static relations
  const po = mk(n);
  for (const a of E) for (const b of E) if (a.tid >= 0 && a.tid === b.tid && a.pos < b.pos) po[a.id][b.id] = true;
  const poloc = po.map((row, i) => row.map((x, j) => x && isM(i) && isM(j) && E[i].loc === E[j].loc));
  const rmw = mk(n);
  threads.forEach((ops, t) => ops.forEach((_, k) => rOf[t][k] >= 0 && wOf[t][k] >= 0 && (rmw[rOf[t][k]][wOf[t][k]] = true)));

  // Register sources: the po-latest earlier op writing the register; its R event is the source.
  const regSource = (t: number, k: number, reg: string): number => {
    for (let i = k - 1; i >= 0; i--) {
      const o = threads[t][i];
      if ((o.op === 'load' || o.op === 'faa') && o.reg === reg) return rOf[t][i];
    }
    return -1;
  };
  const addr = mk(n);
  const data = mk(n);
  const ctrl = mk(n);
  threads.forEach((ops, t) =>
    ops.forEach((o, k) => {
      const targets = [rOf[t][k], wOf[t][k]].filter((x) => x >= 0);
      const deps = [...(o.deps ?? [])];
      if (o.op === 'store' && o.reg) deps.push({ kind: 'data', on: [o.reg] });
      for (const d of deps) {
        for (const reg of d.on) {
          const s = regSource(t, k, reg);
          if (s < 0) continue;
          if (d.kind === 'addr' || (d.kind === 'data' && o.op === 'load')) for (const e of targets) addr[s][e] = true;
          else if (d.kind === 'data') {
            if (wOf[t][k] >= 0) data[s][wOf[t][k]] = true;
          } else {
            // ctrl: from the source to every event after the branch (placed just before op k).
            for (const e of E) if (e.tid === t && e.pos >= 4 * k) ctrl[s][e.id] = true;
          }
        }
      }
    }),
  );

  const R = id(n, isR);
  const W = id(n, isW);
  const ISB = id(n, (i) => E[i].fence === 'isb');
  const DMBF = id(n, (i) => E[i].fence === 'full');
  const DMBLD = id(n, (i) => E[i].fence === 'ld');
  const DMBST = id(n, (i) => E[i].fence === 'st');
  const A = id(n, (i) => E[i].A);
  const AQ = id(n, (i) => E[i].A || E[i].Q);
  const L = id(n, (i) => E[i].L);
  const rangeRmw = id(n, (i) => rmw.some((row) => row[i]));
  const amo = rmw; // all our RMWs are single-instruction atomics

  // lrs = [W]; (po-loc \ (po-loc;[W];po-loc)); [R]
  const lrs = seq(seq(W, diff(poloc, seq(seq(poloc, W), poloc))), R);
  // lws = po-loc; [W]
  const lws = seq(poloc, W);
  // dob
  const dob = union(
    addr,
    data,
    seq(ctrl, W),
    seq(seq(seq(union(ctrl, seq(addr, po)), ISB), po), R),
    seq(seq(addr, po), W),
    seq(union(addr, data), lrs),
  );
  // aob
  const aob = union(rmw, seq(seq(rangeRmw, lrs), AQ));
  // bob
  const bob = union(
    seq(seq(po, DMBF), po),
    seq(seq(po, seq(seq(A, amo), L)), po),
    seq(seq(L, po), A),
    seq(seq(seq(R, po), DMBLD), po),
    seq(AQ, po),
    seq(seq(seq(seq(W, po), DMBST), po), W),
    seq(po, L),
  );
  const lob = union(lws, dob, aob, bob);
  const lobSucc: number[][] = lob.map((row) => row.flatMap((x, j) => (x ? [j] : [])));
  const polocSucc: number[][] = poloc.map((row) => row.flatMap((x, j) => (x ? [j] : [])));

  // ---- candidate enumeration
  const reads = E.filter((e) => e.kind === 'R').map((e) => e.id);
  const writesAt = new Map<string, number[]>();
  for (const l of locList) writesAt.set(l, E.filter((e) => e.kind === 'W' && e.tid >= 0 && e.loc === l).map((e) => e.id));
  // Pruning (only of candidates the axioms reject anyway, to keep enumeration small):
  //  - co must order a thread's writes to a location in program order (else po-loc;co^-1 cycle);
  //  - a read cannot read from a po-later write of its own thread (rf;po-loc cycle);
  //  - a read cannot read a write co-before its own po-latest earlier same-location write (fr;po-loc);
  //  - an RMW's read reads the co-predecessor of its write (atomic, or internal if that write is
  //    of the same thread).
  const perms = <T,>(xs: T[]): T[][] => (xs.length <= 1 ? [xs] : xs.flatMap((x, i) => perms([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p])));
  const poOk = (order: number[]): boolean => order.every((a, i) => order.slice(i + 1).every((b) => !po[b][a]));
  const coChoices = locList.map((l) => perms(writesAt.get(l)!).filter(poOk).map((p) => [initEv.get(l)!, ...p]));
  const rmwW = (r: number): number => rmw[r].findIndex((x) => x);
  const prevW = (r: number): number => {
    let best = -1;
    for (const w of writesAt.get(E[r].loc)!) if (po[w][r] && (best < 0 || po[best][w])) best = w;
    return best;
  };
  const rfCandidates = (r: number): number[] => {
    const order = coOrder.get(E[r].loc)!;
    const wr = rmwW(r);
    if (wr >= 0) return [order[coPos[wr] - 1]];
    const p = prevW(r);
    return order.filter((w) => !po[r][w] && (p < 0 || coPos[w] >= coPos[p]));
  };

  // value of each event given rf (memoised, cycle -> undefined)
  const opOfEv = (e: Ev): WmOp | undefined => (e.tid >= 0 ? threads[e.tid][e.op] : undefined);

  const found = new Map<string, Outcome>();
  let candidates = 0;
  let consistent = 0;
  const rf = new Array<number>(n).fill(-1); // read -> write
  const coPos = new Array<number>(n).fill(-1); // write -> index in its location's co
  const coOrder = new Map<string, number[]>();

  const check = (): void => {
    candidates++;
    // values
    const val = new Array<bigint | undefined>(n).fill(undefined);
    const visiting = new Uint8Array(n);
    const value = (i: number): bigint | undefined => {
      if (val[i] !== undefined) return val[i];
      if (visiting[i]) return undefined;
      visiting[i] = 1;
      const e = E[i];
      let v: bigint | undefined;
      if (e.tid < 0) v = big(init[e.loc] ?? 0);
      else if (e.kind === 'R') v = value(rf[i]);
      else {
        const o = opOfEv(e)!;
        if (o.op === 'store') {
          if (o.reg) {
            const s = regSource(e.tid, e.op, o.reg);
            const b = s < 0 ? 0n : value(s);
            v = b === undefined ? undefined : b + big(o.add ?? 0);
          } else v = big(o.val ?? 0);
        } else if (o.op === 'unlock') v = 0n;
        else if (o.op === 'lock') v = 1n;
        else if (o.op === 'faa') {
          const b = value(rOf[e.tid][e.op]);
          v = b === undefined ? undefined : b + big(o.add);
        }
      }
      visiting[i] = 0;
      val[i] = v;
      return v;
    };
    for (let i = 0; i < n; i++) if (isM(i) && value(i) === undefined) return; // value cycle (thin air)
    // locks only succeed on a free lock
    for (const r of reads) if (opOfEv(E[r])?.op === 'lock' && val[r] !== 0n) return;

    // fr: r fr w  iff  co(rf(r), w)
    const frOf = (r: number): number[] => {
      const w0 = rf[r];
      const order = coOrder.get(E[r].loc)!;
      return order.slice(coPos[w0] + 1);
    };
    const ext = (a: number, b: number) => E[a].tid !== E[b].tid;
    // internal: acyclic(po-loc | ca | rf)
    const succI: number[][] = polocSucc.map((s) => s.slice());
    for (const l of locList) {
      const order = coOrder.get(l)!;
      for (let i = 0; i + 1 < order.length; i++) succI[order[i]].push(order[i + 1]); // co (transitive by chaining)
    }
    for (const r of reads) {
      succI[rf[r]].push(r);
      for (const w of frOf(r)) succI[r].push(w);
    }
    if (!acyclic(n, succI)) return;
    // atomic: rmw & (fre; coe) empty  — no write between an RMW's read and write in co
    for (let r = 0; r < n; r++)
      for (let w = 0; w < n; w++) if (rmw[r][w] && frOf(r).some((w2) => ext(r, w2) && ext(w2, w) && coPos[w2] < coPos[w])) return;
    // external: acyclic(obs | lob), obs = rfe | fre | coe
    const succE: number[][] = lobSucc.map((s) => s.slice());
    for (const r of reads) {
      if (ext(rf[r], r)) succE[rf[r]].push(r);
      for (const w of frOf(r)) if (ext(r, w)) succE[r].push(w);
    }
    for (const l of locList) {
      const order = coOrder.get(l)!;
      for (let i = 0; i < order.length; i++) for (let j = i + 1; j < order.length; j++) if (ext(order[i], order[j])) succE[order[i]].push(order[j]);
    }
    if (!acyclic(n, succE)) return;
    consistent++;
    // outcome: final registers (po-last writer of each reg) and final memory (co-last write)
    const o: Outcome = {};
    threads.forEach((ops, t) =>
      ops.forEach((op, k) => {
        if ((op.op === 'load' || op.op === 'faa') && op.reg) o[`${t}:${op.reg}`] = val[rOf[t][k]]!;
      }),
    );
    for (const l of locList) {
      const order = coOrder.get(l)!;
      o[l] = val[order[order.length - 1]]!;
    }
    const key = JSON.stringify(Object.keys(o).sort().map((k) => [k, o[k].toString()]));
    if (!found.has(key)) found.set(key, o);
  };

  const chooseCo = (li: number): void => {
    if (li === locList.length) return chooseRf(0);
    for (const order of coChoices[li]) {
      coOrder.set(locList[li], order);
      order.forEach((w, i) => (coPos[w] = i));
      chooseCo(li + 1);
    }
  };
  const chooseRf = (ri: number): void => {
    if (ri === reads.length) return check();
    for (const w of rfCandidates(reads[ri])) {
      rf[reads[ri]] = w;
      chooseRf(ri + 1);
    }
  };
  chooseCo(0);
  return { outcomes: [...found.values()], candidates, consistent };
}
