// What a run exercised, per coverage group of the system (e.g. CCA's (command, status) pairs, exit
// reasons, access-outcome rows) plus the ideal's rules, so a user can see the checker is not vacuous.

import type { AnySystem, CoverageGroup } from '../../model/system';

export const RULES_GROUP = 'rules';

export class Coverage {
  readonly groups = new Map<string, Map<string, number>>();
  private readonly hit = (g: string, k: string): void => {
    let m = this.groups.get(g);
    if (!m) this.groups.set(g, (m = new Map()));
    m.set(k, (m.get(k) ?? 0) + 1);
  };

  constructor(private readonly system: AnySystem) {}

  record(pre: unknown, a: unknown, o: unknown, fired: readonly string[]): void {
    this.system.coverage.record(pre, a, o, this.hit);
    for (const r of fired) this.hit(RULES_GROUP, r);
  }

  merge(o: Coverage): void {
    for (const [g, m] of o.groups) for (const [k, n] of m) {
      let mine = this.groups.get(g);
      if (!mine) this.groups.set(g, (mine = new Map()));
      mine.set(k, (mine.get(k) ?? 0) + n);
    }
  }

  /** Adds counts in their plain-data form (a block run in a worker, a shard's --coverage-json). */
  mergeJSON(o: Readonly<Record<string, Readonly<Record<string, number>>>>): void {
    for (const [g, m] of Object.entries(o)) for (const [k, n] of Object.entries(m)) {
      let mine = this.groups.get(g);
      if (!mine) this.groups.set(g, (mine = new Map()));
      mine.set(k, (mine.get(k) ?? 0) + n);
    }
  }

  /** Plain data: group -> key -> count (for JSON output and merging shards). */
  toJSON(): Record<string, Record<string, number>> {
    return Object.fromEntries([...this.groups].map(([g, m]) => [g, Object.fromEntries(m)]));
  }
}

export interface GroupSummary {
  readonly name: string;
  readonly label: string;
  readonly hit: number;
  /** null for count-only groups. */
  readonly of: number | null;
  readonly missing: readonly string[];
}

/** Each group against its denominator; the rules group against the rules switched on. */
export function summarize(system: AnySystem, c: Coverage, rulesOn: readonly string[]): GroupSummary[] {
  const groups: CoverageGroup[] = [...system.coverage.groups, { name: RULES_GROUP, label: 'declassification rules', all: rulesOn }];
  return groups.map((g) => {
    const m = c.groups.get(g.name) ?? new Map<string, number>();
    if (g.countOnly) return { name: g.name, label: g.label, hit: m.size, of: null, missing: [] };
    const missing = g.all.filter((k) => !m.has(k));
    return { name: g.name, label: g.label, hit: g.all.length - missing.length, of: g.all.length, missing };
  });
}

/** The JSON form: `{ group: { hit, of, missing } }`, a count-only group as its count. */
export const summaryJson = (s: readonly GroupSummary[]): Record<string, unknown> =>
  Object.fromEntries(s.map((g) => [g.name, g.of === null ? g.hit : { hit: g.hit, of: g.of, missing: g.missing }]));
