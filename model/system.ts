// The System interface (DESIGN.md "Many systems, one engine"). A system is a value: its real and ideal
// machines, the specification object its variants map, its monitors (relation, invariants and
// independent oracles), its noninterference policy, its trace generator and its trace-step codec.
// The engine in properties/ and the CLI are written once against this interface and import no system.

import type { Arbitrary } from 'fast-check';

/** Errors are data: a decoder gives a value or one line naming the JSON path of the offending value. */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };
export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (path: string, msg: string): { ok: false; error: string } => ({ ok: false, error: `${path}: ${msg}` });

/** A broken property at one step: which property, the exact component, and real vs ideal values. */
export interface Violation {
  /** Observation, Relation (or a system's R1.., Rel1..), Invariant, Oracle, Noninterference, RobustSafety, ... */
  readonly property: string;
  /** The exact component, e.g. `realm 0x1000 ipa 0x3000 word 1`, `endpoint 0x8001 page 0x9000`. */
  readonly component: string;
  readonly detail: string;
}

/** The ideal machine's declassification rules that are switched on. */
export type RuleSet = ReadonlySet<string>;

/** What one step of either machine gives back: the new state and what the step let parties observe. */
export interface Stepped<S, O> {
  readonly state: S;
  readonly obs: O;
  /** Ideal only: the declassification rules this step used. */
  readonly fired?: readonly string[];
  /** Ideal only: switched-off rules this step would have used (the channel the trace needed). */
  readonly withheld?: readonly string[];
}

/** A named fault: a function from the specification object to a changed one (no `if (bug)` flags). */
export interface NamedVariant<Spec, Cfg> {
  readonly name: string;
  /** The bug class and where it comes from. */
  readonly description: string;
  /** The property (or properties, `A / B`) the checker is expected to report. */
  readonly expect: string;
  readonly apply: (s: Spec) => Spec;
  /** Configuration the fault needs in order to show (e.g. CCA's weak-memory handlers). */
  readonly config?: Partial<Cfg>;
}

/**
 * The properties of one run, checked after every step. Stateful so that it can be incremental: it
 * remembers the states it last saw and compares only what changed (structural sharing makes an
 * unchanged component the same object). A fresh monitor is made for every run.
 */
export interface Monitor<Real, Ideal, Action, Obs> {
  /** The initial pair (the relation must hold; invariants are checked in full). */
  start(real: Real, ideal: Ideal): Violation[];
  /**
   * Properties of one step that look at the pre-state, the action and the observation: the
   * independent oracles (failure tables as data, declarative postconditions, per-address transition
   * rules), failure precedence. Called on every step, including steps that changed nothing.
   */
  step(pre: Real, a: Action, o: Obs, post: Real): Violation[];
  /** The simulation relation on the new pair; called only when a machine's state changed. */
  relation(real: Real, ideal: Ideal): Violation[];
  /** The implementation invariants on the new real state; called only when it changed. */
  invariants(real: Real): Violation[];
}

/**
 * Noninterference as a two-run product. The engine runs the same trace twice on the real machine;
 * in the second run the actions of one party (the first that `holdsSecrets`) have their secret values
 * changed by `vary`. Every other party that the secret may not reach (`mayFlow`) must see identical
 * observations in both runs.
 */
export interface Secrets<Real, Action, Obs> {
  /** The parties of this system's traces, for documentation and reports (e.g. host, realm, endpoint). */
  readonly parties: string;
  /** The party whose action `a` is (in state `s`), or null when no party with secrets acts. */
  actor(s: Real, a: Action): string | null;
  /** Whether `party` keeps secrets the product may vary (a realm, an endpoint, a guest, a PD). */
  holdsSecrets(party: string): boolean;
  /** The same action with the party's secret values changed (identity for actions that carry none). */
  vary(a: Action): Action;
  /** What each party sees of an observation, tagged by party; the actor always sees its own step. */
  views(o: Obs, s: Real, a: Action): ReadonlyArray<readonly [party: string, view: unknown]>;
  /** Whether data of `from` may reach `to` by the declassification policy (e.g. a channel). */
  mayFlow(from: string, to: string, s: Real): boolean;
  /**
   * Intransitive noninterference: what has reached `party` through the policy's declassified paths
   * (incoming channel pages, notifications). With it, a party the secret may reach is still checked:
   * its view must be the same in both runs until the first step whose pre-state gives it different
   * declassified inputs, so a dependence through any other path is seen. Without it such a party is
   * not compared at all.
   */
  received?(party: string, s: Real): unknown;
}

/** One group of coverage keys, with the keys a thorough run must reach (the denominator). */
export interface CoverageGroup {
  readonly name: string;
  readonly label: string;
  /** All keys the model can reach; a run's coverage of the group is measured against these. */
  readonly all: readonly string[];
  /** Reported as a count only (e.g. failure rows), without a denominator. */
  readonly countOnly?: boolean;
}

/** A command-line flag a system adds to `check` (e.g. `--granules`): how it changes the configuration. */
export interface ConfigFlag<Cfg> {
  readonly name: string;
  readonly help: string;
  /** An integer flag with bounds, or a boolean switch. */
  readonly kind: { readonly int: readonly [min: number, max: number] } | 'bool';
  apply(c: Cfg, v: number | true): Cfg;
}

/** A hard-coded exhaustive scenario (e.g. CCA's Figure-4 race), run by `explore NAME`. */
export interface Scenario<Spec> {
  readonly description: string;
  run(spec: Spec): { readonly lines: readonly string[]; readonly json: unknown; readonly ok: boolean };
}

/** What a monitor checks besides the relation: the invariants, and the independent step oracles. */
export interface MonitorOptions {
  readonly invariants: boolean;
  /** The independent step oracles (failure tables as data, postconditions, transition rules); off only to measure their cost. */
  readonly oracles?: boolean;
}

export interface System<Cfg, Spec, Real, Ideal, Action, Obs, Gen = Action> {
  /** Short name used by `--system` and in trace files: 'cca', 'ffa', 'sep', 'nova'. */
  readonly name: string;
  readonly title: string;
  /** The reference the model follows (a document and the implementation that decides doubts). */
  readonly reference: string;

  readonly config: {
    readonly defaults: Cfg;
    /** Strict decoding of a configuration (overrides on `base`): unknown keys are errors. */
    decode(u: unknown, path: string, base: Cfg): Result<Cfg>;
    /** The overrides of `c` relative to the defaults, as written into trace files. */
    encode(c: Cfg): Record<string, unknown>;
    /** Consistency problems ("key: message"); a configuration with any is rejected. */
    problems(c: Cfg): string[];
    readonly flags: readonly ConfigFlag<Cfg>[];
  };

  /** The faithful specification object, and a check that a user's variant returned one. */
  readonly spec: Spec;
  isSpec(x: unknown): x is Spec;
  readonly variants: readonly NamedVariant<Spec, Cfg>[];
  /** Names of the ideal machine's declassification rules, each switchable off. */
  readonly rules: readonly string[];

  /** Total step functions: they never throw (the engine reports a throw as a RobustSafety defect). */
  readonly real: {
    init(c: Cfg, s: Spec): Real;
    step(r: Real, a: Action, s: Spec): Stepped<Real, Obs>;
  };
  readonly ideal: {
    /** The ideal's initial state from the real one (the relation holds between them). */
    init(real: Real, c: Cfg, s: Spec, on: RuleSet): Ideal;
    step(i: Ideal, a: Action, s: Spec, on: RuleSet): Stepped<Ideal, Obs>;
  };

  readonly observe: {
    /** Observation equality (with the system's availability allowance), or the first difference. */
    compare(real: Obs, ideal: Obs): Violation | null;
    /** Whether the step did not apply or failed: the contract "a failing call changes nothing". */
    failed(a: Action, o: Obs): boolean;
    /** The observation as printed after its step in a trace listing (`-> SUCCESS x=[...]`). */
    describe(o: Obs): string;
    /** A short name of what was observed (`RMI REC_CREATE`, `REC exit`), used in violation reports. */
    label?(o: Obs): string;
    /** The `replay --json` fields of an observation. */
    json(o: Obs): Record<string, unknown>;
  };

  monitor(c: Cfg, s: Spec, opts: MonitorOptions): Monitor<Real, Ideal, Action, Obs>;
  readonly secrets: Secrets<Real, Action, Obs>;

  readonly coverage: {
    readonly groups: readonly CoverageGroup[];
    /** Records what a step exercised: `hit(group, key)` (rules fired are recorded by the engine). */
    record(pre: Real, a: Action, o: Obs, hit: (group: string, key: string) => void): void;
  };

  readonly actions: {
    /**
     * Abstract traces: each generated command resolves against the current real state into zero or
     * more concrete actions (indices into what is meaningful now shrink well). `steps` is the number
     * of abstract commands per trace.
     */
    generate(c: Cfg, steps: number): Arbitrary<readonly Gen[]>;
    resolve(r: Real, g: Gen, c: Cfg): readonly Action[];
    /** One trace step from JSON (the step shapes belong to the system); errors name the JSON path. */
    decode(u: unknown, path: string, c: Cfg): Result<Action>;
    encode(a: Action): Record<string, unknown>;
    /** One line, naming arguments as the specification names them. */
    describe(a: Action): string;
    /** A finite action alphabet for exhaustive small-scope runs (`explore --depth`), and its config. */
    alphabet?(c: Cfg, r: Real): readonly Action[];
    readonly smallScope?: Partial<Cfg>;
    /** A canonical key of a real/ideal pair: exhaustive runs visit each key once. */
    key?(r: Real, i: Ideal): string;
  };

  /** Plain-JSON views of the states for viewers (`replay --html`): what a reader needs, not every word. */
  readonly display?: { real(r: Real): unknown; ideal(i: Ideal): unknown };

  /** Named exhaustive scenarios for `explore NAME`. */
  readonly scenarios?: Readonly<Record<string, Scenario<Spec>>>;
}

/** Any system, as the registry and the engine hold them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySystem = System<any, any, any, any, any, any, any>;
