// NOVA-style capability microhypervisor: vocabulary (reference: haspoc-nova.md Part B; the NOVA source
// udosteinberg/NOVA @ 8b6c28a0 decides doubts, cited by file and function).

import type { PVec } from '../../model/pvec';

// ---- Status codes (B.3; inc/status.hpp) -------------------------------------------------------
export const SUCCESS = 0, TIMEOUT = 1, ABORTED = 2, OVRFLOW = 3, BAD_HYP = 4, BAD_CAP = 5, BAD_PAR = 6,
  BAD_FTR = 7, BAD_CPU = 8, BAD_DEV = 9, MEM_OBJ = 0xa, MEM_CAP = 0xb;
export const STATUS_NAMES = ['SUCCESS', 'TIMEOUT', 'ABORTED', 'OVRFLOW', 'BAD_HYP', 'BAD_CAP', 'BAD_PAR', 'BAD_FTR',
  'BAD_CPU', 'BAD_DEV', 'MEM_OBJ', 'MEM_CAP'] as const;
export type Status = number;
export const statusName = (s: number): string => STATUS_NAMES[s] ?? `0x${s.toString(16)}`;

// ---- Hypercall numbers (B.3; src/syscall.cpp Ec::syscall[]) -----------------------------------
export const CALLS = ['ipc_call', 'ipc_reply', 'create_pd', 'create_ec', 'create_sc', 'create_pt', 'create_sm', 'ctrl_pd',
  'ctrl_ec', 'ctrl_sc', 'ctrl_pt', 'ctrl_sm', 'ctrl_hw', 'assign_int', 'assign_dev'] as const;
export type CallName = (typeof CALLS)[number] | 'revoke';
/** Number 0xf: BAD_HYP in the modern interface; the classic (B.5) specification uses it for revoke [D]. */
export const NUM_F = 0xf;

// ---- Object types and subtypes (inc/kobject.hpp) ----------------------------------------------
export type Type = 'PD' | 'EC' | 'SC' | 'PT' | 'SM';
/** PD-type subtypes: the PD itself and its spaces (create_pd op 0..6). */
export const PD_SUBS = ['pd', 'obj', 'hst', 'gst', 'dma', 'pio', 'msr'] as const;
export type PdSub = (typeof PD_SUBS)[number];
export type EcSub = 'local' | 'global' | 'vcpu';

// ---- Permission bits (B.2; inc/capability.hpp) ------------------------------------------------
export const SP_GRANT = 1, SP_TAKE = 2, SP_ASSIGN = 4;
export const PD_PD = 1, PD_EC = 2, PD_SC = 4, PD_PT = 8, PD_SM = 16;
export const EC_CTRL = 1, EC_BIND_PT = 4, EC_BIND_SC = 8;
export const SC_CTRL = 1;
export const PT_CTRL = 1, PT_CALL = 2, PT_EVENT = 4;
export const SM_UP = 1, SM_DN = 2, SM_ASSIGN = 16;
/** Memory permissions (B.2 table, last row). */
export const M_R = 1, M_W = 2, M_XU = 4, M_XS = 8;
export const PERM_MASK = 0x1f;

/** All permissions defined for an object of a type/subtype (invariant RS4a). */
export function definedPerms(type: Type, sub: string, irq = false): number {
  switch (type) {
    case 'PD':
      switch (sub) {
        case 'pd': return 0x1f;
        case 'obj': case 'hst': return SP_TAKE | SP_GRANT;
        case 'gst': case 'dma': return SP_ASSIGN | SP_GRANT;
        default: return SP_ASSIGN | SP_TAKE | SP_GRANT;
      }
    case 'EC': return EC_CTRL | EC_BIND_PT | EC_BIND_SC;
    case 'SC': return SC_CTRL;
    case 'PT': return PT_CTRL | PT_CALL | PT_EVENT;
    case 'SM': return irq ? SM_DN | SM_ASSIGN : SM_DN | SM_UP;
  }
}

// ---- Capabilities and mappings -----------------------------------------------------------------
/** An object capability (object id, 5-bit permissions); absent from a table = null capability. */
export interface Cap { readonly obj: number; readonly perm: number }
/** A memory mapping in a host/guest/DMA space. `k` = kernel page (UTCB, HIP): never delegable. */
export interface Mapping {
  readonly kind: 'ram' | 'utcb' | 'hip';
  /** Physical page (ram), owning EC id (utcb), 0 (hip). */
  readonly page: number;
  readonly perm: number;
  readonly attr: number;
}

// ---- Kernel objects ----------------------------------------------------------------------------
interface KBase {
  readonly id: number;
  /** Reference count: capabilities naming it + internal references (RS4c). */
  readonly ref: number;
  /** The PD charged for it (MEM_OBJ quota), -1 = the kernel. */
  readonly charged: number;
}
export interface Pd extends KBase { readonly type: 'PD'; readonly sub: 'pd'; /** Party number: pd 0 is the root. */ readonly num: number; readonly obj: number; readonly hst: number; readonly quota: number; readonly capQuota: number }
export interface ObjSpace extends KBase { readonly type: 'PD'; readonly sub: 'obj'; readonly pd: number; readonly caps: ReadonlyMap<number, Cap>; readonly tables: ReadonlySet<number> }
export interface MemSpace extends KBase { readonly type: 'PD'; readonly sub: 'hst' | 'gst' | 'dma' | 'pio' | 'msr'; readonly pd: number; readonly maps: ReadonlyMap<number, Mapping>; readonly tables: ReadonlySet<number> }
export type Space = ObjSpace | MemSpace;

/** A continuation the kernel runs before the EC's next user instruction (ec->cont in NOVA). */
export type Cont =
  | { readonly k: 'event'; readonly ev: number }                 // send an event message (STARTUP, RECALL, exception)
  | { readonly k: 'retry'; readonly regs: readonly bigint[] };   // re-run a hypercall after helping (Ec::help)

export type EcState = 'run' | 'wait' | 'call' | 'sm' | 'dead';
export interface Ec extends KBase {
  readonly type: 'EC'; readonly sub: EcSub;
  readonly pd: number; readonly objSp: number; readonly hstSp: number;
  readonly cpu: number; readonly evt: bigint; readonly sp: bigint;
  /** UTCB page number in the host space (host ECs), -1 for a vCPU. */
  readonly hva: number;
  readonly utcb: PVec<bigint> | null;
  /** X0..X7 as user code last left them (events transfer them; hypercalls write results). */
  readonly regs: readonly bigint[];
  readonly ip: bigint;
  readonly st: EcState;
  readonly cont: Cont | null;
  /** RECALL hazard pending (ctrl_ec). */
  readonly recall: boolean;
  /** The EC whose call this EC is handling (local ECs), -1 none; `calledBy` kind. */
  readonly caller: number; readonly callKind: 'ipc' | 'event' | null;
  /** The EC this EC is calling (state 'call'), -1 none. */
  readonly callee: number;
  /** SCs bound to it. */
  readonly scs: number;
  /** The SM it waits on (state 'sm'), -1 none; its absolute timeout (0 = none). */
  readonly smWait: number; readonly timeout: bigint;
}
export interface Sc extends KBase { readonly type: 'SC'; readonly ec: number; readonly cpu: number; readonly prio: number; readonly budget: number; readonly used: bigint }
export interface Pt extends KBase { readonly type: 'PT'; readonly ec: number; readonly ip: bigint; readonly ptId: bigint; readonly mtd: number }
export interface Sm extends KBase {
  readonly type: 'SM'; readonly counter: bigint; readonly queue: readonly number[];
  /** Interrupt number for interrupt SMs, -1 otherwise; routing set by assign_int. */
  readonly irq: number; readonly route: { readonly cpu: number; readonly flags: number; readonly dev: number } | null;
}
export type Kobj = Pd | Space | Ec | Sc | Pt | Sm;

// ---- Configuration ------------------------------------------------------------------------------
export interface Config {
  readonly cpus: number;
  /** log2 of object selectors (NOVA 64-bit: 18; Space_obj::selectors). */
  readonly selBits: number;
  /** log2 of memory-space selectors (pages of a host/guest/DMA space). */
  readonly memBits: number;
  /** Physical pages; the first `kernelPages` (and `gicPage`) are NOVA-protected. */
  readonly pages: number;
  readonly kernelPages: number;
  /** Kernel objects each PD may have charged (MEM_OBJ) and table pages (MEM_CAP) [D]. */
  readonly quota: number;
  readonly capQuota: number;
  /** The root PD's quotas (it creates everything at first). */
  readonly rootQuota: number;
  readonly maxObjects: number;
  readonly irqs: number;
  readonly smmus: number;
  readonly devices: number;
  /** vCPUs supported (else create_ec with G → BAD_FTR). */
  readonly vcpu: boolean;
  /** Supported S-states for ctrl_hw op 0 [D]. */
  readonly sstates: number;
}

export interface State {
  readonly cfg: Config;
  readonly objs: PVec<Kobj | null>;
  readonly next: number;
  readonly mem: PVec<bigint>;
  readonly now: bigint;
  /** Device → DMA space id (assign_dev), -1 unassigned. */
  readonly devs: readonly number[];
  readonly rootPd: number;
  /** PDs created so far (party numbers). */
  readonly pdCount: number;
  readonly novaObj: number;
  readonly novaHst: number;
  /** Ghost (not machine state; ignored by the relation): data flows between PDs, `from>to`. */
  readonly flows: ReadonlySet<string>;
  /** Ghost: PDs that stored into each physical page. */
  readonly writers: ReadonlyMap<number, readonly number[]>;
  /** Classic (B.5) mapping database: `space:sel` → parent `space:sel` or '' for a root node, depth. */
  readonly mdb: ReadonlyMap<string, { readonly parent: string; readonly depth: number }> | null;
}

// ---- Actions ------------------------------------------------------------------------------------
export type Action =
  | { readonly kind: 'hypercall'; readonly cpu: number; readonly ec: number; readonly regs: readonly bigint[] }
  | { readonly kind: 'load'; readonly cpu: number; readonly ec: number; readonly addr: bigint }
  | { readonly kind: 'store'; readonly cpu: number; readonly ec: number; readonly addr: bigint; readonly value: bigint; readonly secret?: boolean }
  | { readonly kind: 'mov'; readonly cpu: number; readonly ec: number; readonly reg: number; readonly value: bigint; readonly secret?: boolean }
  | { readonly kind: 'exc'; readonly cpu: number; readonly ec: number; readonly ev: number }
  | { readonly kind: 'irq'; readonly irq: number }
  | { readonly kind: 'dma'; readonly dev: number; readonly addr: bigint; readonly write: boolean; readonly value: bigint }
  | { readonly kind: 'tick'; readonly cpu: number; readonly ticks: number };

/** An EC that a step released, with what it sees (status, X1). */
export interface Wake { readonly ec: number; readonly status: number; readonly x1?: bigint }

export type Obs =
  | { readonly kind: 'skip'; readonly reason: string }
  /** `status` null = the call did not return in this step (blocked, rendezvous, helping). */
  | { readonly kind: 'hcall'; readonly ec: number; readonly call: CallName | 'bad'; readonly status: number | null; readonly out: readonly bigint[]; readonly wakes: readonly Wake[]; readonly note?: string }
  | { readonly kind: 'event'; readonly ec: number; readonly ev: number; readonly to: number; readonly killed: boolean; readonly wakes: readonly Wake[] }
  | { readonly kind: 'mem'; readonly ec: number; readonly write: boolean; readonly value: bigint | null; readonly fault: boolean }
  | { readonly kind: 'dma'; readonly dev: number; readonly value: bigint | null; readonly fault: boolean }
  | { readonly kind: 'irq'; readonly irq: number; readonly delivered: boolean; readonly wakes: readonly Wake[] }
  | { readonly kind: 'tick'; readonly wakes: readonly Wake[] }
  | { readonly kind: 'mov'; readonly ec: number };
