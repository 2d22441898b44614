// Trace steps of the ffa system (trace envelope real-ideal/trace@2). Shapes:
//   {"cpu":0,"ep":1,"ffa":"MEM_SHARE","w":[96,96,0,0]}          named FF-A call (x64: SMC64 function ID)
//   {"cpu":0,"ep":1,"smc":["0x84000073","0x60"]}                any registers x0..x17
//   {"cpu":0,"ep":1,"load":"0x1000","reg":3}  {"store":"0x1000","reg":3}  {"fetch":"0x1000"}
//   {"cpu":0,"ep":1,"mov":{"dst":20,"imm":"0x5ec","secret":true}}  {"mov":{"dst":1,"src":20}}
//   {"cpu":0,"ep":1,"stores":{"addr":"0x4000","values":["0x1", ...]}}
//   {"cpu":0,"ep":1,"tx":{"descriptor":{...}}}  descriptor fields, encoded to stores into the TX buffer
//     (also "retrieve", "relinquish", "message", "fragment", "words"; "addr" overrides the TX address)
import { Result, fail, ok } from '../../model/system';
import { Cfg } from '../../real/ffa/config';
import { FID, PAGE } from '../../real/ffa/consts';
import { Action } from '../../real/ffa/machine';
import { NREGS } from '../../real/ffa/state';
import { DescFields, encodeMemDesc, encodeMessage, encodeRelinquish, wordsOf } from '../../real/ffa/descriptor';
import { Builder } from '../../real/ffa/bytes';
import { R, arr, big, bool, hex, int, isObj, keys } from '../../real/ffa/json';

type Named = keyof typeof FID;
const NAMES = Object.keys(FID) as Named[];

/** The FF-A name of a function-ID register value, if it is one exactly (SMC32, or SMC64 `_64`). */
export function fidName(x0: bigint): string | null {
  for (const n of NAMES) {
    if (x0 === BigInt(FID[n])) return n;
    if (x0 === BigInt(FID[n] | 0x40000000)) return `${n}_64`;
  }
  return null;
}
function fidOf(name: string): bigint | null {
  const is64 = name.endsWith('_64');
  const n = (is64 ? name.slice(0, -3) : name) as Named;
  if (!NAMES.includes(n)) return null;
  return BigInt(is64 ? (FID[n] | 0x40000000) >>> 0 : FID[n]);
}

const STEP_KEYS = ['cpu', 'ep', 'ffa', 'w', 'smc', 'load', 'store', 'fetch', 'reg', 'mov', 'stores', 'tx', 'addr'];
const reg = (u: unknown, p: string): R<number> => int(u, p, NREGS - 1);

export function decodeAction(u: unknown, path: string, c: Cfg): Result<Action> {
  const o = keys(u, path, STEP_KEYS);
  if (!o.ok) return o;
  const v = o.value;
  const cpu = v.cpu === undefined ? ok(0) : int(v.cpu, `${path}.cpu`);
  if (!cpu.ok) return cpu;
  if (cpu.value >= c.cpus) return fail(`${path}.cpu`, `CPU ${cpu.value} is out of the configuration (${c.cpus} CPUs)`);
  const ep = int(v.ep, `${path}.ep`, 0xffff);
  if (!ep.ok) return ep;
  const epc = c.endpoints.find((e) => e.id === ep.value);
  if (!epc) return fail(`${path}.ep`, `no partition with ID ${hex(ep.value)}`);
  const base = { cpu: cpu.value, ep: ep.value };
  const kinds = ['ffa', 'smc', 'load', 'store', 'fetch', 'mov', 'stores', 'tx'].filter((k) => v[k] !== undefined);
  if (kinds.length !== 1) return fail(path, 'expected exactly one of ffa, smc, load, store, fetch, mov, stores, tx');
  const only = (allowed: string[]): Result<void> => {
    for (const k of ['w', 'reg', 'addr']) if (v[k] !== undefined && !allowed.includes(k)) return fail(`${path}.${k}`, `not allowed with ${kinds[0]}`);
    return ok(undefined);
  };
  switch (kinds[0]) {
    case 'ffa': {
      const a = only(['w']); if (!a.ok) return a;
      if (typeof v.ffa !== 'string' || fidOf(v.ffa) === null) return fail(`${path}.ffa`, 'expected an FF-A function name (e.g. MEM_SHARE, MEM_SHARE_64)');
      const w = v.w === undefined ? ok([]) : arr(v.w, `${path}.w`, (x, p) => big(x, p), 17);
      if (!w.ok) return w;
      return ok({ kind: 'smc', ...base, regs: [fidOf(v.ffa) as bigint, ...w.value] });
    }
    case 'smc': {
      const a = only([]); if (!a.ok) return a;
      const r = arr(v.smc, `${path}.smc`, (x, p) => big(x, p), 18);
      return r.ok ? ok({ kind: 'smc', ...base, regs: r.value }) : r;
    }
    case 'load': case 'store': {
      const a = only(['reg']); if (!a.ok) return a;
      const addr = big(v[kinds[0]], `${path}.${kinds[0]}`); if (!addr.ok) return addr;
      const r = reg(v.reg, `${path}.reg`); if (!r.ok) return r;
      return ok({ kind: kinds[0] as 'load' | 'store', ...base, addr: addr.value, reg: r.value });
    }
    case 'fetch': {
      const a = only([]); if (!a.ok) return a;
      const addr = big(v.fetch, `${path}.fetch`);
      return addr.ok ? ok({ kind: 'fetch', ...base, addr: addr.value }) : addr;
    }
    case 'mov': {
      const a = only([]); if (!a.ok) return a;
      const m = keys(v.mov, `${path}.mov`, ['dst', 'imm', 'src', 'secret']); if (!m.ok) return m;
      const dst = reg(m.value.dst, `${path}.mov.dst`); if (!dst.ok) return dst;
      if ((m.value.imm === undefined) === (m.value.src === undefined)) return fail(`${path}.mov`, 'expected exactly one of imm, src');
      const secret = m.value.secret === undefined ? ok(false) : bool(m.value.secret, `${path}.mov.secret`); if (!secret.ok) return secret;
      if (m.value.src !== undefined) {
        const src = reg(m.value.src, `${path}.mov.src`); if (!src.ok) return src;
        return ok({ kind: 'mov', ...base, dst: dst.value, src: src.value, ...(secret.value ? { secret: true } : {}) });
      }
      const imm = big(m.value.imm, `${path}.mov.imm`); if (!imm.ok) return imm;
      return ok({ kind: 'mov', ...base, dst: dst.value, imm: imm.value, ...(secret.value ? { secret: true } : {}) });
    }
    case 'stores': {
      const a = only([]); if (!a.ok) return a;
      const s = keys(v.stores, `${path}.stores`, ['addr', 'values']); if (!s.ok) return s;
      const addr = big(s.value.addr, `${path}.stores.addr`); if (!addr.ok) return addr;
      const vals = arr(s.value.values, `${path}.stores.values`, (x, p) => big(x, p), 1024); if (!vals.ok) return vals;
      return ok({ kind: 'stores', ...base, addr: addr.value, values: vals.value });
    }
    default: {
      const a = only(['addr']); if (!a.ok) return a;
      let addr: bigint;
      if (v.addr !== undefined) { const r = big(v.addr, `${path}.addr`); if (!r.ok) return r; addr = r.value; }
      else if (epc.tx !== undefined) addr = BigInt(epc.tx);
      else return fail(`${path}.addr`, 'this endpoint has no TX buffer in its manifest: give addr');
      const b = txBytes(v.tx, `${path}.tx`);
      return b.ok ? ok({ kind: 'stores', ...base, addr, values: wordsOf(b.value) }) : b;
    }
  }
}

function receivers(u: unknown, p: string): R<{ id: number; perms: number; flags: number }[]> {
  return arr(u, p, (x, q) => {
    const o = keys(x, q, ['id', 'perms', 'flags']); if (!o.ok) return o;
    const id = int(o.value.id, `${q}.id`, 0xffff); if (!id.ok) return id;
    const perms = o.value.perms === undefined ? ok(0) : int(o.value.perms, `${q}.perms`, 0xff); if (!perms.ok) return perms;
    const flags = o.value.flags === undefined ? ok(0) : int(o.value.flags, `${q}.flags`, 0xff); if (!flags.ok) return flags;
    return ok({ id: id.value, perms: perms.value, flags: flags.value });
  }, 8);
}
function constituents(u: unknown, p: string): R<{ addr: bigint; pages: number }[]> {
  return arr(u, p, (x, q) => {
    const o = keys(x, q, ['address', 'pages']); if (!o.ok) return o;
    const a = big(o.value.address, `${q}.address`); if (!a.ok) return a;
    const n = int(o.value.pages, `${q}.pages`, 0xffffffff); if (!n.ok) return n;
    return ok({ addr: a.value, pages: n.value });
  }, 64);
}

const DESC_KEYS = ['sender', 'attributes', 'flags', 'handle', 'tag', 'receivers', 'constituents', 'emadSize', 'receiversOffset', 'compositeOffset', 'pageCount', 'count'];
function descriptor(u: unknown, p: string, retrieve: boolean): R<Uint8Array> {
  const o = keys(u, p, retrieve ? DESC_KEYS.filter((k) => k !== 'constituents' && k !== 'compositeOffset' && k !== 'pageCount') : DESC_KEYS);
  if (!o.ok) return o;
  const v = o.value;
  const n = (k: string, max: number, d = 0): R<number> => (v[k] === undefined ? ok(d) : int(v[k], `${p}.${k}`, max));
  const sender = n('sender', 0xffff); if (!sender.ok) return sender;
  const attrs = n('attributes', 0xffff); if (!attrs.ok) return attrs;
  const flags = n('flags', 0xffffffff); if (!flags.ok) return flags;
  const handle = v.handle === undefined ? ok(0n) : big(v.handle, `${p}.handle`); if (!handle.ok) return handle;
  const tag = v.tag === undefined ? ok(0n) : big(v.tag, `${p}.tag`); if (!tag.ok) return tag;
  const rs = receivers(v.receivers ?? [], `${p}.receivers`); if (!rs.ok) return rs;
  const cs = retrieve ? ok([]) : constituents(v.constituents ?? [], `${p}.constituents`); if (!cs.ok) return cs;
  const f: DescFields = { sender: sender.value, attrs: attrs.value, flags: flags.value, handle: handle.value, tag: tag.value, receivers: rs.value, constituents: cs.value, noComposite: retrieve };
  for (const [k, fk, max] of [['emadSize', 'emadSize', 0xffffffff], ['receiversOffset', 'recvOff', 1024], ['compositeOffset', 'compOff', 1024], ['pageCount', 'pageCount', 0xffffffff], ['count', 'count', 0xffffffff]] as const) {
    if (v[k] === undefined) continue;
    const r = int(v[k], `${p}.${k}`, max); if (!r.ok) return r;
    (f as unknown as Record<string, number>)[fk] = r.value;
  }
  return ok(encodeMemDesc(f));
}

function txBytes(u: unknown, p: string): R<Uint8Array> {
  if (!isObj(u)) return fail(p, 'expected an object with one of descriptor, retrieve, relinquish, message, fragment, words');
  const ks = Object.keys(u);
  if (ks.length !== 1) return fail(p, 'expected exactly one of descriptor, retrieve, relinquish, message, fragment, words');
  const k = ks[0], v = u[k], q = `${p}.${k}`;
  switch (k) {
    case 'descriptor': return descriptor(v, q, false);
    case 'retrieve': return descriptor(v, q, true);
    case 'relinquish': {
      const o = keys(v, q, ['handle', 'flags', 'endpoints']); if (!o.ok) return o;
      const h = o.value.handle === undefined ? ok(0n) : big(o.value.handle, `${q}.handle`); if (!h.ok) return h;
      const f = o.value.flags === undefined ? ok(0) : int(o.value.flags, `${q}.flags`, 0xffffffff); if (!f.ok) return f;
      const e = arr(o.value.endpoints ?? [], `${q}.endpoints`, (x, r) => int(x, r, 0xffff), 8); if (!e.ok) return e;
      return ok(encodeRelinquish(h.value, f.value, e.value));
    }
    case 'message': {
      const o = keys(v, q, ['sender', 'receiver', 'payload', 'offset', 'flags']); if (!o.ok) return o;
      const s = int(o.value.sender, `${q}.sender`, 0xffff); if (!s.ok) return s;
      const r = int(o.value.receiver, `${q}.receiver`, 0xffff); if (!r.ok) return r;
      const pl = arr(o.value.payload ?? [], `${q}.payload`, (x, z) => big(x, z), 64); if (!pl.ok) return pl;
      const off = o.value.offset === undefined ? ok(24) : int(o.value.offset, `${q}.offset`, PAGE); if (!off.ok) return off;
      const fl = o.value.flags === undefined ? ok(0) : int(o.value.flags, `${q}.flags`, 0xffffffff); if (!fl.ok) return fl;
      return ok(encodeMessage(s.value, r.value, pl.value, off.value, fl.value));
    }
    case 'fragment': {
      const o = keys(v, q, ['constituents']); if (!o.ok) return o;
      const cs = constituents(o.value.constituents ?? [], `${q}.constituents`); if (!cs.ok) return cs;
      const b = new Builder();
      for (const c of cs.value) b.u64(c.addr).u32(c.pages).u32(0);
      return ok(b.bytes());
    }
    case 'words': {
      const w = arr(v, q, (x, z) => big(x, z), 512); if (!w.ok) return w;
      const b = new Builder();
      for (const x of w.value) b.u64(x);
      return ok(b.bytes());
    }
    default: return fail(q, 'unknown key (expected one of descriptor, retrieve, relinquish, message, fragment, words)');
  }
}

export function encodeAction(a: Action): Record<string, unknown> {
  const base = { cpu: a.cpu, ep: a.ep };
  switch (a.kind) {
    case 'smc': {
      const n = a.regs.length ? fidName(a.regs[0]) : null;
      return n ? { ...base, ffa: n, w: a.regs.slice(1).map(hex) } : { ...base, smc: a.regs.map(hex) };
    }
    case 'load': return { ...base, load: hex(a.addr), reg: a.reg };
    case 'store': return { ...base, store: hex(a.addr), reg: a.reg };
    case 'fetch': return { ...base, fetch: hex(a.addr) };
    case 'stores': return { ...base, stores: { addr: hex(a.addr), values: a.values.map(hex) } };
    case 'mov': return { ...base, mov: { dst: a.dst, ...(a.src !== undefined ? { src: a.src } : { imm: hex(a.imm ?? 0n) }), ...(a.secret ? { secret: true } : {}) } };
  }
}

export function describeAction(a: Action): string {
  const who = `ep ${hex(a.ep)} cpu ${a.cpu}`;
  switch (a.kind) {
    case 'smc': {
      const n = a.regs.length ? fidName(a.regs[0]) : null;
      return `${who} ${n ?? 'SMC'}(${a.regs.slice(n ? 1 : 0).map(hex).join(', ')})`;
    }
    case 'load': return `${who} ldr x${a.reg}, [${hex(a.addr)}]`;
    case 'store': return `${who} str x${a.reg}, [${hex(a.addr)}]`;
    case 'fetch': return `${who} fetch [${hex(a.addr)}]`;
    case 'stores': return `${who} store ${a.values.length} words at ${hex(a.addr)}`;
    case 'mov': return `${who} mov x${a.dst}, ${a.src !== undefined ? `x${a.src}` : hex(a.imm ?? 0n)}${a.secret ? ' (secret)' : ''}`;
  }
}
