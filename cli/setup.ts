// Choosing the specification (faithful, a named variant, or a user's variant module) and the
// declassification rules from command-line flags or a trace file.

import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';
import { Spec } from '../real/cca/spec';
import { faithful } from '../real/cca/faithful';
import { VARIANTS, variantNamed } from '../variants/cca';
import { ALL_RULES, RULE_NAMES, RuleSet, isRuleName } from '../ideal/cca/rules';
import { UsageError } from './args';
import { Config } from '../real/cca/config';

export interface Chosen {
  readonly spec: Spec;
  /** How to say which model ran: "faithful", a variant name, or "file:PATH". */
  readonly label: string;
  readonly variant?: string;
  readonly variantFile?: string;
  /** Configuration the variant needs (e.g. weak memory). */
  readonly config?: Partial<Config>;
}

/** Loads a user-written variant: a module whose default (or `variant`) export maps Spec -> Spec. */
export async function loadVariantFile(file: string): Promise<(s: Spec) => Spec> {
  const path = resolvePath(file);
  if (!existsSync(path)) throw new UsageError(`variant file not found: ${file}`);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (e) {
    throw new UsageError(`cannot load variant file ${file}: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`);
  }
  const f = (mod.default ?? mod.variant) as unknown;
  if (typeof f !== 'function') throw new UsageError(`variant file ${file} must export a function (Spec) => Spec as default or as "variant"`);
  return f as (s: Spec) => Spec;
}

export async function chooseSpec(variant: string | undefined, variantFile: string | undefined): Promise<Chosen> {
  if (variant && variantFile) throw new UsageError('give --variant or --variant-file, not both');
  if (variant) {
    const v = variantNamed(variant);
    if (!v) throw new UsageError(`unknown variant "${variant}" (known: ${VARIANTS.map((x) => x.name).join(', ')})`);
    return { spec: v.apply(faithful), label: `variant ${variant}`, variant, config: v.config };
  }
  if (variantFile) {
    const f = await loadVariantFile(variantFile);
    let spec: Spec;
    try {
      spec = f(faithful);
    } catch (e) {
      throw new UsageError(`variant file ${variantFile} threw: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!spec || typeof spec !== 'object' || !('commands' in spec)) throw new UsageError(`variant file ${variantFile} did not return a specification object`);
    return { spec, label: `variant file ${variantFile}`, variantFile };
  }
  return { spec: faithful, label: 'faithful model' };
}

/** `--rules-off a,b` switches rules off; `--rules a,b` keeps only those on. */
export function chooseRules(rulesOff: string | undefined, rulesOn: string | undefined): { rules: RuleSet; off: string[] } {
  const list = (s: string, flag: string) => {
    const xs = s.split(',').map((x) => x.trim()).filter(Boolean);
    for (const x of xs) if (!isRuleName(x)) throw new UsageError(`${flag}: unknown rule "${x}" (rules: ${RULE_NAMES.join(', ')})`);
    return xs;
  };
  let off: string[] = [];
  if (rulesOn !== undefined) {
    const on = list(rulesOn, '--rules');
    off = RULE_NAMES.filter((r) => !on.includes(r));
  }
  if (rulesOff !== undefined) off = [...new Set([...off, ...list(rulesOff, '--rules-off')])];
  return { rules: new Set([...ALL_RULES].filter((r) => !off.includes(r))), off };
}
