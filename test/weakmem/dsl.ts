// A tiny text notation for litmus threads used by the tests:
//   "W x=1; dmb.st; Wrel y=1"   "R y r0; R x r1 addr(r0)"   "W x=r0+1 data(r1)"
//   R (ldr) | Racq (ldar) | Rpc (ldapr) | W (str) | Wrel (stlr) | dmb.sy|dmb.ld|dmb.st | isb
//   lock l | unlock l | faa c +1 | faarel c -1
//   dependency suffixes: addr(r) data(r) ctrl(r) ctrlisb(r)
import type { WmDep, WmOp } from '../../real/shared/weakmem/executor';

export function thread(src: string): WmOp[] {
  return src
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(parseOp);
}

function parseOp(s: string): WmOp {
  const deps: WmDep[] = [];
  const body = s.replace(/\b(addr|data|ctrl|ctrlisb)\(([\w,]+)\)/g, (_, kind: WmDep['kind'], regs: string) => {
    deps.push({ kind, on: regs.split(',') });
    return '';
  });
  const tok = body.trim().split(/\s+/);
  const d = deps.length ? { deps } : {};
  switch (tok[0]) {
    case 'R':
    case 'Racq':
    case 'Rpc':
      return { op: 'load', loc: tok[1], reg: tok[2], order: tok[0] === 'R' ? 'plain' : tok[0] === 'Racq' ? 'acquire' : 'acquirePC', ...d };
    case 'W':
    case 'Wrel': {
      const [loc, v] = tok[1].split('=');
      const order = tok[0] === 'W' ? 'plain' : 'release';
      const m = /^([a-z]\w*)([+-]\d+)?$/.exec(v);
      if (m) return { op: 'store', loc, reg: m[1], ...(m[2] ? { add: Number(m[2]) } : {}), order, ...d };
      return { op: 'store', loc, val: Number(v), order, ...d };
    }
    case 'dmb.sy':
    case 'dmb.ld':
    case 'dmb.st':
      return { op: 'dmb', kind: tok[0].slice(4) as 'sy' | 'ld' | 'st', ...d };
    case 'isb':
      return { op: 'isb', ...d };
    case 'lock':
      return { op: 'lock', loc: tok[1], ...d };
    case 'unlock':
      return { op: 'unlock', loc: tok[1], ...d };
    case 'faa':
    case 'faarel':
      return { op: 'faa', loc: tok[1], add: Number(tok[2]), order: tok[0] === 'faa' ? 'plain' : 'release', ...d };
  }
  throw new Error(`dsl: cannot parse ${JSON.stringify(s)}`);
}

/** "1:r0=1 1:r1=0 x=2" -> { "1:r0": 1n, ... } */
export function cond(src: string): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  for (const part of src.trim().split(/\s+/)) {
    const i = part.lastIndexOf('=');
    out[part.slice(0, i)] = BigInt(part.slice(i + 1));
  }
  return out;
}
