// Faults through each hook of the specification object (issue 14 §3): one plausible spec-author
// mistake per hook, each a function Spec -> Spec that wraps or replaces one hook of the spec it is
// given. test/cca/real/hooks.test.ts shows each changes behaviour, and which property catches it.
// They are not in the named catalogue (index.ts) unless the default check finds them quickly; the
// aux-granule scrub fault is (`rec-aux-no-scrub`).

import type { Spec, Variant } from '../../real/cca/spec';
import type { RmiCommand } from '../../real/cca/spec';
import { REC_EXIT, REC_EXIT_BASE } from '../../real/cca/layout';
import { writeWords } from '../../real/cca/memory';
import { RealState, granuleAt, rdOf, recOf } from '../../real/cca/state';
import { claim, setContent as setContentOf } from '../../real/cca/ops';
import { PSCI_FID } from '../../real/cca/realm/psci';

/** RSI: MEASUREMENT_EXTEND of REM 1 extends the RIM (slot 0) instead: the RIM changes after activation. */
export const rsiExtendsRim: Variant = (s) => ({
  ...s,
  rsi: {
    ...s.rsi,
    MEASUREMENT_EXTEND: (c) => {
      const o = s.rsi.MEASUREMENT_EXTEND(c);
      if (o.kind !== 'resume' || c.regs[1] !== 1n || granuleAt(o.s, c.rdPa).state !== 'RD') return o;
      const rd = rdOf(o.s, c.rdPa);
      return { ...o, s: setContentOf(o.s, c.rdPa, { ...rd, measurements: [rd.measurements[1], c.rd.measurements[1], ...rd.measurements.slice(2)] }) };
    },
  },
});

/** PSCI: CPU_OFF leaves the REC runnable (the RMM forgets to clear the flag). */
export const psciCpuOffRunnable: Variant = (s) => ({
  ...s,
  psci: (c) => {
    const o = s.psci(c);
    return c.regs[0] === PSCI_FID.CPU_OFF && o.kind === 'exit' ? { ...o, rec: { ...o.rec, runnable: true } } : o;
  },
});

/** RIPAS (set): RTT_SET_RIPAS changes DESTROYED entries without the realm's CHANGE_DESTROYED consent. */
export const ripasSetIgnoresConsent: Variant = (s) => ({
  ...s,
  ripas: { ...s.ripas, set: (e, rec) => s.ripas.set(e, { ...rec, ripasDestroyed: true }) },
});

/** RIPAS (init): RTT_INIT_RIPAS also turns DESTROYED entries into RAM. */
export const ripasInitDestroyed: Variant = (s) => ({
  ...s,
  ripas: { ...s.ripas, init: (e) => (e.hipas === 'UNASSIGNED' && e.ripas === 'DESTROYED' ? { ...e, ripas: 'RAM' } : s.ripas.init(e)) },
});

/** RIPAS (DATA_DESTROY): a destroyed RAM page stays RAM, so the host can put other memory behind it. */
export const dataDestroyKeepsRam: Variant = (s) => ({ ...s, ripas: { ...s.ripas, afterDataDestroy: (r) => r } });

/** RIPAS (RTT_DESTROY): a destroyed table's range becomes EMPTY instead of DESTROYED. */
export const rttDestroyEmpty: Variant = (s) => ({ ...s, ripas: { ...s.ripas, afterRttDestroy: () => 'EMPTY' } });

/** Fold: a table of UNASSIGNED entries folds to the first entry's RIPAS even when the RIPAS differ. */
export const foldIgnoresRipas: Variant = (s) => ({
  ...s,
  fold: (t, level) => {
    const e0 = t.entries[0];
    if (e0.hipas === 'UNASSIGNED' && t.entries.every((e) => e.hipas === 'UNASSIGNED')) return { ok: true, entry: e0 };
    return s.fold(t, level);
  },
});

/** Unfold: RTT_CREATE under an UNASSIGNED RAM entry gives children with RIPAS EMPTY. */
export const unfoldDropsRipas: Variant = (s) => ({
  ...s,
  unfold: (parent, level) => s.unfold(parent.hipas === 'UNASSIGNED' && parent.ripas === 'RAM' ? { ...parent, ripas: 'EMPTY' } : parent, level),
});

/** Trap (realm-exit path): a trapped WFI exit also reports the realm's X8 in the exit record's gprs[1]. */
export const trapLeaksX8: Variant = (s) => ({
  ...s,
  trap: (spec, st, cpu, t) => {
    const secret = st.cpus[cpu].regs[8] ?? 0n;
    const mode = st.cpus[cpu].mode;
    const r = s.trap(spec, st, cpu, t);
    if (t.kind !== 'wfx' || mode.kind !== 'realm' || r.obs.kind !== 'realm' || !r.obs.record) return r;
    const gprs = (r.obs.record.gprs as readonly bigint[]).slice();
    gprs[1] = secret;
    const state = writeWords(r.state, mode.run, REC_EXIT_BASE + REC_EXIT.gprs + 8, [secret]);
    return { state, obs: { ...r.obs, record: { ...r.obs.record, gprs } } };
  },
});

/** Exit (realm-exit path): the RMM does not save X19..X28 at an exit; the REC resumes with the old values. */
export const exitForgetsRegs: Variant = (s) => ({
  ...s,
  exit: (spec, st, cpu, info, rec, what, psci) => {
    const mode = st.cpus[cpu].mode;
    const r = s.exit(spec, st, cpu, info, rec, what, psci);
    if (mode.kind !== 'realm' || granuleAt(r.state, mode.rec).state !== 'REC') return r;
    const saved = recOf(r.state, mode.rec);
    const regs = saved.regs.slice();
    for (let k = 19; k <= 28; k++) regs[k] = rec.regs[k];
    return { ...r, state: setContentOf(r.state, mode.rec, { ...saved, regs }) };
  },
});

/** Failure path: a REC_CREATE that fails after its aux checks still turns the aux granules into REC_AUX. */
export const recCreateFailureClaimsAux: Variant = (s) => ({
  ...s,
  failure: (f) => {
    const pre = s.failure(f);
    if (f.name !== 'REC_CREATE' || !['rec_count', 'realm_state', 'mpidr_index', 'num_aux_count'].includes(f.failed)) return pre;
    const aux = (f.context as { aux: bigint[] }).aux;
    return aux.reduce((st, a) => claim(st, Number(a), 'REC_AUX', granuleAt(st, Number(a)).content), pre);
  },
});

/**
 * REC_DESTROY returns the aux granules to DELEGATED without scrubbing them (TF-RMM scrubs them in
 * free_rec_aux_granules): a token in progress survives in the granule, where the next REC that gets
 * it as an aux granule finds it, and the DELEGATED-zero invariant sees it.
 */
export const recAuxNoScrub: Variant = (s) => {
  const cmd = s.commands.REC_DESTROY as RmiCommand<{ s: RealState; rec: bigint }>;
  return {
    ...s,
    commands: {
      ...s.commands,
      REC_DESTROY: {
        ...cmd,
        effect: (c, spec) => {
          const e = cmd.effect(c, spec);
          if (e.pending) return e;
          const rec = recOf(c.s, Number(c.rec));
          const state = rec.aux.reduce((st, a) => setContentOf(st, a, granuleAt(c.s, a).content), e.state);
          return { ...e, state };
        },
      },
    },
  };
};

export interface HookFault { readonly name: string; readonly hook: string; readonly apply: Variant }

export const HOOK_FAULTS: readonly HookFault[] = [
  { name: 'rsi-extends-rim', hook: 'rsi', apply: rsiExtendsRim },
  { name: 'psci-cpu-off-runnable', hook: 'psci', apply: psciCpuOffRunnable },
  { name: 'ripas-set-ignores-consent', hook: 'ripas.set', apply: ripasSetIgnoresConsent },
  { name: 'ripas-init-destroyed', hook: 'ripas.init', apply: ripasInitDestroyed },
  { name: 'data-destroy-keeps-ram', hook: 'ripas.afterDataDestroy', apply: dataDestroyKeepsRam },
  { name: 'rtt-destroy-empty', hook: 'ripas.afterRttDestroy', apply: rttDestroyEmpty },
  { name: 'fold-ignores-ripas', hook: 'fold', apply: foldIgnoresRipas },
  { name: 'unfold-drops-ripas', hook: 'unfold', apply: unfoldDropsRipas },
  { name: 'trap-leaks-x8', hook: 'trap', apply: trapLeaksX8 },
  { name: 'exit-forgets-regs', hook: 'exit', apply: exitForgetsRegs },
  { name: 'rec-create-failure-claims-aux', hook: 'failure', apply: recCreateFailureClaimsAux },
  { name: 'rec-aux-no-scrub', hook: 'commands.REC_DESTROY (aux granules)', apply: recAuxNoScrub },
];

export type { Spec };
