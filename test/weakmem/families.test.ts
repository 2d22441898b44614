// Classic Armv8 litmus families with their architectural verdicts (written from the Armv8 memory
// model -- aarch64.cat / the Arm ARM B2.3 and the published herd results -- not from this
// executor's output). Each test is checked on the executor and on the axiomatic oracle.
import { describe, expect, test } from 'vitest';
import type { LitmusTest, Verdict } from '../../model/litmus';
import { runLitmus, satisfies } from '../../real/shared/weakmem/litmus';
import { axiomaticOutcomes } from './axiomatic';
import { cond, thread } from './dsl';

type Case = [name: string, threads: string[], outcome: string, verdict: Verdict];

const A: Verdict = 'allowed';
const F: Verdict = 'forbidden';

// MP: 1:r0=1 (flag seen) and 1:r1=0 (data not seen)
const MP = '1:r0=1 1:r1=0';
const MP_CASES: Case[] = [
  ['MP', ['W x=1; W y=1', 'R y r0; R x r1'], MP, A],
  ['MP+dmb.sys', ['W x=1; dmb.sy; W y=1', 'R y r0; dmb.sy; R x r1'], MP, F],
  ['MP+dmb.sy+po', ['W x=1; dmb.sy; W y=1', 'R y r0; R x r1'], MP, A],
  ['MP+po+dmb.sy', ['W x=1; W y=1', 'R y r0; dmb.sy; R x r1'], MP, A],
  ['MP+dmb.sy+addr', ['W x=1; dmb.sy; W y=1', 'R y r0; R x r1 addr(r0)'], MP, F],
  ['MP+dmb.sy+ctrl', ['W x=1; dmb.sy; W y=1', 'R y r0; R x r1 ctrl(r0)'], MP, A],
  ['MP+dmb.sy+ctrlisb', ['W x=1; dmb.sy; W y=1', 'R y r0; R x r1 ctrlisb(r0)'], MP, F],
  ['MP+dmb.sy+ctrl-isb (explicit isb)', ['W x=1; dmb.sy; W y=1', 'R y r0; isb ctrl(r0); R x r1'], MP, F],
  ['MP+dmb.sy+isb (no dependency)', ['W x=1; dmb.sy; W y=1', 'R y r0; isb; R x r1'], MP, A],
  ['MP+dmb.sy+dmb.ld', ['W x=1; dmb.sy; W y=1', 'R y r0; dmb.ld; R x r1'], MP, F],
  ['MP+dmb.st+dmb.ld', ['W x=1; dmb.st; W y=1', 'R y r0; dmb.ld; R x r1'], MP, F],
  ['MP+dmb.ld+dmb.ld', ['W x=1; dmb.ld; W y=1', 'R y r0; dmb.ld; R x r1'], MP, A],
  ['MP+dmb.st+dmb.st', ['W x=1; dmb.st; W y=1', 'R y r0; dmb.st; R x r1'], MP, A],
  ['MP+dmb.st+addr', ['W x=1; dmb.st; W y=1', 'R y r0; R x r1 addr(r0)'], MP, F],
  ['MP+dmb.sy+addr-po', ['W x=1; dmb.sy; W y=1', 'R y r0; R w r2 addr(r0); R x r1'], MP, A],
  ['MP+dmb.sy+addr-isb', ['W x=1; dmb.sy; W y=1', 'R y r0; R w r2 addr(r0); isb; R x r1'], MP, F],
  ['MP+stlr+ldar', ['W x=1; Wrel y=1', 'Racq y r0; R x r1'], MP, F],
  ['MP+stlr+ldapr', ['W x=1; Wrel y=1', 'Rpc y r0; R x r1'], MP, F],
  ['MP+stlr+po', ['W x=1; Wrel y=1', 'R y r0; R x r1'], MP, A],
  ['MP+po+ldar', ['W x=1; W y=1', 'Racq y r0; R x r1'], MP, A],
  ['MP+stlr+ldar-on-data (ldar second)', ['W x=1; Wrel y=1', 'R y r0; Racq x r1'], MP, A],
];

const SB = '0:r0=0 1:r0=0';
const SB_CASES: Case[] = [
  ['SB', ['W x=1; R y r0', 'W y=1; R x r0'], SB, A],
  ['SB+dmb.sys', ['W x=1; dmb.sy; R y r0', 'W y=1; dmb.sy; R x r0'], SB, F],
  ['SB+dmb.sy+po', ['W x=1; dmb.sy; R y r0', 'W y=1; R x r0'], SB, A],
  ['SB+dmb.sts', ['W x=1; dmb.st; R y r0', 'W y=1; dmb.st; R x r0'], SB, A],
  ['SB+dmb.lds', ['W x=1; dmb.ld; R y r0', 'W y=1; dmb.ld; R x r0'], SB, A],
  ['SB+stlr+ldars', ['Wrel x=1; Racq y r0', 'Wrel y=1; Racq x r0'], SB, F],
  ['SB+stlr+ldaprs', ['Wrel x=1; Rpc y r0', 'Wrel y=1; Rpc x r0'], SB, A],
  ['SB+stlr+ldar+dmb.sy', ['Wrel x=1; Racq y r0', 'W y=1; dmb.sy; R x r0'], SB, F],
  ['SB+po+ldars (no release)', ['W x=1; Racq y r0', 'W y=1; Racq x r0'], SB, A],
];

const LB = '0:r0=1 1:r0=1';
const LB_CASES: Case[] = [
  ['LB', ['R x r0; W y=1', 'R y r0; W x=1'], LB, A],
  ['LB+dmb.sys', ['R x r0; dmb.sy; W y=1', 'R y r0; dmb.sy; W x=1'], LB, F],
  ['LB+datas', ['R x r0; W y=r0', 'R y r0; W x=r0'], LB, F],
  ['LB+addrs', ['R x r0; W y=1 addr(r0)', 'R y r0; W x=1 addr(r0)'], LB, F],
  ['LB+ctrls', ['R x r0; W y=1 ctrl(r0)', 'R y r0; W x=1 ctrl(r0)'], LB, F],
  ['LB+data+po', ['R x r0; W y=r0', 'R y r0; W x=1'], LB, A],
  ['LB+ldars', ['Racq x r0; W y=1', 'Racq y r0; W x=1'], LB, F],
  ['LB+ldaprs', ['Rpc x r0; W y=1', 'Rpc y r0; W x=1'], LB, F],
  ['LB+stlrs', ['R x r0; Wrel y=1', 'R y r0; Wrel x=1'], LB, F],
  ['LB+dmb.lds', ['R x r0; dmb.ld; W y=1', 'R y r0; dmb.ld; W x=1'], LB, F],
  ['LB+dmb.sts', ['R x r0; dmb.st; W y=1', 'R y r0; dmb.st; W x=1'], LB, A],
  ['LB+isbs', ['R x r0; isb; W y=1', 'R y r0; isb; W x=1'], LB, A],
  ['LB+addr-pos (addr;po;[W])', ['R x r0; R w r1 addr(r0); W y=1', 'R y r0; R w r1 addr(r0); W x=1'], LB, F],
];

// S: 1:r0=1 and x ends 2 (T1's write to x is co-before T0's)
const S = '1:r0=1 x=2';
const S_CASES: Case[] = [
  ['S', ['W x=2; W y=1', 'R y r0; W x=1'], S, A],
  ['S+dmb.sy+po', ['W x=2; dmb.sy; W y=1', 'R y r0; W x=1'], S, A],
  ['S+po+data', ['W x=2; W y=1', 'R y r0; W x=r0'], S, A],
  ['S+dmb.sy+data', ['W x=2; dmb.sy; W y=1', 'R y r0; W x=r0'], S, F],
  ['S+dmb.st+data', ['W x=2; dmb.st; W y=1', 'R y r0; W x=r0'], S, F],
  ['S+dmb.ld+data', ['W x=2; dmb.ld; W y=1', 'R y r0; W x=r0'], S, A],
  ['S+dmb.sy+ctrl', ['W x=2; dmb.sy; W y=1', 'R y r0; W x=1 ctrl(r0)'], S, F],
  ['S+dmb.sy+addr', ['W x=2; dmb.sy; W y=1', 'R y r0; W x=1 addr(r0)'], S, F],
  ['S+stlr+ldar', ['W x=2; Wrel y=1', 'Racq y r0; W x=1'], S, F],
];

// R: y ends 2 (T0's y write co-before T1's) and 1:r0=0
const R = 'y=2 1:r0=0';
const R_CASES: Case[] = [
  ['R', ['W x=1; W y=1', 'W y=2; R x r0'], R, A],
  ['R+dmb.sys', ['W x=1; dmb.sy; W y=1', 'W y=2; dmb.sy; R x r0'], R, F],
  ['R+dmb.sy+po', ['W x=1; dmb.sy; W y=1', 'W y=2; R x r0'], R, A],
  ['R+dmb.st+dmb.sy', ['W x=1; dmb.st; W y=1', 'W y=2; dmb.sy; R x r0'], R, F],
  ['R+dmb.sy+dmb.st', ['W x=1; dmb.sy; W y=1', 'W y=2; dmb.st; R x r0'], R, A],
  ['R+stlr+stlr-ldar', ['W x=1; Wrel y=1', 'Wrel y=2; Racq x r0'], R, F],
  ['R+stlr+stlr-ldapr', ['W x=1; Wrel y=1', 'Wrel y=2; Rpc x r0'], R, A],
];

// 2+2W: x ends 1 and y ends 1 (both second writes lost)
const W2 = 'x=1 y=1';
const W2_CASES: Case[] = [
  ['2+2W', ['W x=1; W y=2', 'W y=1; W x=2'], W2, A],
  ['2+2W+dmb.sts', ['W x=1; dmb.st; W y=2', 'W y=1; dmb.st; W x=2'], W2, F],
  ['2+2W+dmb.sys', ['W x=1; dmb.sy; W y=2', 'W y=1; dmb.sy; W x=2'], W2, F],
  ['2+2W+dmb.lds', ['W x=1; dmb.ld; W y=2', 'W y=1; dmb.ld; W x=2'], W2, A],
  ['2+2W+stlrs', ['W x=1; Wrel y=2', 'W y=1; Wrel x=2'], W2, F],
  ['2+2W+dmb.st+po', ['W x=1; dmb.st; W y=2', 'W y=1; W x=2'], W2, A],
];

// WRC: 1:r0=1 2:r0=1 2:r1=0
const WRC = '1:r0=1 2:r0=1 2:r1=0';
const WRC_CASES: Case[] = [
  ['WRC', ['W x=1', 'R x r0; W y=1', 'R y r0; R x r1'], WRC, A],
  ['WRC+data+addr', ['W x=1', 'R x r0; W y=r0', 'R y r0; R x r1 addr(r0)'], WRC, F],
  ['WRC+addrs', ['W x=1', 'R x r0; W y=1 addr(r0)', 'R y r0; R x r1 addr(r0)'], WRC, F],
  ['WRC+dmb.sys', ['W x=1', 'R x r0; dmb.sy; W y=1', 'R y r0; dmb.sy; R x r1'], WRC, F],
  ['WRC+po+addr', ['W x=1', 'R x r0; W y=1', 'R y r0; R x r1 addr(r0)'], WRC, A],
  ['WRC+data+po', ['W x=1', 'R x r0; W y=r0', 'R y r0; R x r1'], WRC, A],
  ['WRC+ctrl+ctrlisb', ['W x=1', 'R x r0; W y=1 ctrl(r0)', 'R y r0; R x r1 ctrlisb(r0)'], WRC, F],
  ['WRC+dmb.sy+ctrl', ['W x=1', 'R x r0; dmb.sy; W y=1', 'R y r0; R x r1 ctrl(r0)'], WRC, A],
  ['WRC+stlr+ldar', ['W x=1', 'R x r0; Wrel y=1', 'Racq y r0; R x r1'], WRC, F],
];

// ISA2: 1:r0=1 2:r0=1 2:r1=0
const ISA2 = '1:r0=1 2:r0=1 2:r1=0';
const ISA2_CASES: Case[] = [
  ['ISA2', ['W x=1; W y=1', 'R y r0; W z=1', 'R z r0; R x r1'], ISA2, A],
  ['ISA2+dmb.sy+data+addr', ['W x=1; dmb.sy; W y=1', 'R y r0; W z=r0', 'R z r0; R x r1 addr(r0)'], ISA2, F],
  ['ISA2+dmb.st+addr+addr', ['W x=1; dmb.st; W y=1', 'R y r0; W z=1 addr(r0)', 'R z r0; R x r1 addr(r0)'], ISA2, F],
  ['ISA2+dmb.sy+po+addr', ['W x=1; dmb.sy; W y=1', 'R y r0; W z=1', 'R z r0; R x r1 addr(r0)'], ISA2, A],
  ['ISA2+dmb.st+ctrl+ctrlisb', ['W x=1; dmb.st; W y=1', 'R y r0; W z=1 ctrl(r0)', 'R z r0; R x r1 ctrlisb(r0)'], ISA2, F],
  ['ISA2+stlr+ldar-stlr+ldar', ['W x=1; Wrel y=1', 'Racq y r0; Wrel z=1', 'Racq z r0; R x r1'], ISA2, F],
];

// IRIW: readers disagree on the order of the two independent writes
const IRIW = '1:r0=1 1:r1=0 3:r0=1 3:r1=0';
const iriw = (e: string): string[] => ['W x=1', `R x r0; ${e}R y r1`, 'W y=1', `R y r0; ${e}R x r1`];
const IRIW_CASES: Case[] = [
  ['IRIW', iriw(''), IRIW, A],
  ['IRIW+addrs', ['W x=1', 'R x r0; R y r1 addr(r0)', 'W y=1', 'R y r0; R x r1 addr(r0)'], IRIW, F],
  ['IRIW+dmb.sys', iriw('dmb.sy; '), IRIW, F],
  ['IRIW+dmb.lds', iriw('dmb.ld; '), IRIW, F],
  ['IRIW+ctrlisbs', ['W x=1', 'R x r0; R y r1 ctrlisb(r0)', 'W y=1', 'R y r0; R x r1 ctrlisb(r0)'], IRIW, F],
  ['IRIW+ldars', ['W x=1', 'Racq x r0; R y r1', 'W y=1', 'Racq y r0; R x r1'], IRIW, F],
  ['IRIW+ldaprs', ['W x=1', 'Rpc x r0; R y r1', 'W y=1', 'Rpc y r0; R x r1'], IRIW, F],
  ['IRIW+addr+po', ['W x=1', 'R x r0; R y r1 addr(r0)', 'W y=1', 'R y r0; R x r1'], IRIW, A],
  ['IRIW+ctrls', ['W x=1', 'R x r0; R y r1 ctrl(r0)', 'W y=1', 'R y r0; R x r1 ctrl(r0)'], IRIW, A],
];

// RWC: 1:r0=1 1:r1=0 2:r0=0
const RWC = '1:r0=1 1:r1=0 2:r0=0';
const RWC_CASES: Case[] = [
  ['RWC', ['W x=1', 'R x r0; R y r1', 'W y=1; R x r0'], RWC, A],
  ['RWC+dmb.sys', ['W x=1', 'R x r0; dmb.sy; R y r1', 'W y=1; dmb.sy; R x r0'], RWC, F],
  ['RWC+addr+dmb.sy', ['W x=1', 'R x r0; R y r1 addr(r0)', 'W y=1; dmb.sy; R x r0'], RWC, F],
  ['RWC+dmb.sy+po', ['W x=1', 'R x r0; dmb.sy; R y r1', 'W y=1; R x r0'], RWC, A],
  ['RWC+addr+po', ['W x=1', 'R x r0; R y r1 addr(r0)', 'W y=1; R x r0'], RWC, A],
];

// WWC and 3-thread cycles
const OTHER_CASES: Case[] = [
  ['WWC', ['W x=1', 'R x r0; W y=1', 'R y r0; W x=2'], '1:r0=1 2:r0=1 x=1', A],
  ['WWC+datas', ['W x=1', 'R x r0; W y=r0', 'R y r0; W x=r0+1'], '1:r0=1 2:r0=1 x=1', F],
  ['3.LB', ['R x r0; W y=1', 'R y r0; W z=1', 'R z r0; W x=1'], '0:r0=1 1:r0=1 2:r0=1', A],
  ['3.LB+datas', ['R x r0; W y=r0', 'R y r0; W z=r0', 'R z r0; W x=r0'], '0:r0=1 1:r0=1 2:r0=1', F],
  ['3.SB', ['W x=1; R y r0', 'W y=1; R z r0', 'W z=1; R x r0'], '0:r0=0 1:r0=0 2:r0=0', A],
  ['3.SB+dmb.sys', ['W x=1; dmb.sy; R y r0', 'W y=1; dmb.sy; R z r0', 'W z=1; dmb.sy; R x r0'], '0:r0=0 1:r0=0 2:r0=0', F],
];

// Coherence (same-location order holds regardless of barriers)
const CO_CASES: Case[] = [
  ['CoRR', ['W x=1', 'R x r0; R x r1'], '1:r0=1 1:r1=0', F],
  ['CoRR (other order allowed)', ['W x=1', 'R x r0; R x r1'], '1:r0=0 1:r1=1', A],
  ['CoRR2', ['W x=1', 'W x=2', 'R x r0; R x r1', 'R x r0; R x r1'], '2:r0=1 2:r1=2 3:r0=2 3:r1=1', F],
  ['CoWW', ['W x=1; W x=2'], 'x=1', F],
  ['CoRW1', ['R x r0; W x=1'], '0:r0=1', F],
  ['CoRW2', ['R x r0; W x=1', 'W x=2'], '0:r0=2 x=2', F],
  ['CoWR0', ['W x=1; R x r0'], '0:r0=0', F],
  ['CoWR', ['W x=1; R x r0', 'W x=2'], '0:r0=2 x=1', F],
  ['CoWR (other write first)', ['W x=1; R x r0', 'W x=2'], '0:r0=1 x=2', A],
  ['CoRR+addr (reads may not go backwards)', ['W x=1', 'R x r0; R y r2 addr(r0); R x r1'], '1:r0=1 1:r1=0', F],
];

// Store forwarding: a load may read its own CPU's store before that store is visible to others.
const FWD_CASES: Case[] = [
  ['SB+rfi-pos', ['W x=1; R x r0; R y r1', 'W y=1; R y r0; R x r1'], '0:r0=1 0:r1=0 1:r0=1 1:r1=0', A],
  ['SB+rfi-addrs', ['W x=1; R x r0; R y r1 addr(r0)', 'W y=1; R y r0; R x r1 addr(r0)'], '0:r0=1 0:r1=0 1:r0=1 1:r1=0', A],
  ['SB+rfi-ctrlisbs', ['W x=1; R x r0; R y r1 ctrlisb(r0)', 'W y=1; R y r0; R x r1 ctrlisb(r0)'], '0:r0=1 0:r1=0 1:r0=1 1:r1=0', A],
  ['PPOCA', ['W x=1; dmb.sy; W y=1', 'R y r0; W z=1 ctrl(r0); R z r1; R x r2 addr(r1)'], '1:r0=1 1:r1=1 1:r2=0', A],
  ['PPOAA', ['W x=1; dmb.sy; W y=1', 'R y r0; W z=1 addr(r0); R z r1; R x r2 addr(r1)'], '1:r0=1 1:r1=1 1:r2=0', F],
  ['MP+dmb.sy+data-rfi-addr', ['W x=1; dmb.sy; W y=1', 'R y r0; W z=r0; R z r1; R x r2 addr(r1)'], '1:r0=1 1:r1=1 1:r2=0', F],
  ['MP+dmb.sy+fri-rfi-ctrlisb', ['W x=1; dmb.sy; W y=1', 'R y r0; W y=2; R y r1; R x r2 ctrlisb(r1)'], '1:r0=1 1:r1=2 1:r2=0 y=2', A],
  ['MP+dmb.sy+rfi-ldar (ldar after own stlr waits)', ['W x=1; dmb.sy; W y=1', 'R y r0; Wrel z=1 ctrl(r0); Racq z r1; R x r2'], '1:r0=1 1:r1=1 1:r2=0', F],
  ['MP+dmb.sy+rfi-ldapr (ldapr may forward from stlr)', ['W x=1; dmb.sy; W y=1', 'R y r0; Wrel z=1 ctrl(r0); Rpc z r1; R x r2'], '1:r0=1 1:r1=1 1:r2=0', A],
];

// Locks (atomic test-and-set with acquire / release store) and atomic add.
const ATOMIC_CASES: Case[] = [
  ['lock: increments under a lock are not lost', ['lock l; R x r0; W x=r0+1; unlock l', 'lock l; R x r0; W x=r0+1; unlock l'], 'x=1', F],
  ['no lock: increments can be lost', ['R x r0; W x=r0+1', 'R x r0; W x=r0+1'], 'x=1', A],
  ['lock: critical sections do not overlap (MP through a lock)', ['lock l; W x=1; W y=1; unlock l', 'lock l; R y r0; R x r1; unlock l'], MP, F],
  ['faa: atomic adds are not lost', ['faa c +1', 'faa c +1'], 'c=2', A],
  ['faa: atomic adds are never lost', ['faa c +1', 'faa c +1'], 'c=1', F],
  ['faa release orders earlier stores (MP+faarel+ldar)', ['W x=1; faarel c +1', 'Racq c r0; R x r1'], '1:r0=1 1:r1=0', F],
  ['faa plain does not (MP+faa+ldar)', ['W x=1; faa c +1', 'Racq c r0; R x r1'], '1:r0=1 1:r1=0', A],
];

const GROUPS: Record<string, Case[]> = {
  MP: MP_CASES,
  SB: SB_CASES,
  LB: LB_CASES,
  S: S_CASES,
  R: R_CASES,
  '2+2W': W2_CASES,
  WRC: WRC_CASES,
  ISA2: ISA2_CASES,
  IRIW: IRIW_CASES,
  RWC: RWC_CASES,
  other: OTHER_CASES,
  coherence: CO_CASES,
  forwarding: FWD_CASES,
  atomics: ATOMIC_CASES,
};

const toTest = ([name, threads, outcome]: Case): LitmusTest => ({
  name,
  threads: threads.map(thread),
  init: {},
  initRegs: threads.map(() => ({})),
  outcome: cond(outcome),
});

for (const [group, cases] of Object.entries(GROUPS)) {
  describe(`litmus family ${group}`, () => {
    test.each(cases)('%s', (...c) => {
      const [name, , , verdict] = c as unknown as Case;
      const t = toTest(c as unknown as Case);
      const r = runLitmus(t);
      expect(r.truncated).toBe(false);
      expect({ name, executor: r.result }).toEqual({ name, executor: verdict });
      // The independent axiomatic model agrees.
      const ax = axiomaticOutcomes(t.threads, {});
      const axAllowed = ax.outcomes.some((o) => satisfies(o, t.outcome));
      expect({ name, axiomatic: axAllowed ? 'allowed' : 'forbidden' }).toEqual({ name, axiomatic: verdict });
    });
  });
}

test('MP outcome set is exactly the four combinations; MP+dmb.sys drops exactly the bad one', () => {
  const all = ['{1:r0=0,1:r1=0}', '{1:r0=0,1:r1=1}', '{1:r0=1,1:r1=0}', '{1:r0=1,1:r1=1}'];
  const fmt = (t: LitmusTest) => runLitmus(t).outcomes.map((o) => `{1:r0=${o['1:r0']},1:r1=${o['1:r1']}}`);
  expect(fmt(toTest(MP_CASES[0]))).toEqual(all);
  expect(fmt(toTest(MP_CASES[1]))).toEqual(all.filter((x) => x !== '{1:r0=1,1:r1=0}'));
});
