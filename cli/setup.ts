// Choosing the system, the specification (faithful, a named variant, or a user's variant module) and
// the declassification rules from command-line flags or a trace file.

import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';
import type { AnySystem, RuleSet } from '../model/system';
import { SYSTEMS, systemNamed } from '../systems';
import { UsageError } from './args';

export interface Chosen {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly spec: any;
  /** How to say which model ran: "faithful model", "variant NAME", or "variant file PATH". */
  readonly label: string;
  readonly variant?: string;
  readonly variantFile?: string;
  /** Configuration the variant needs (e.g. weak memory). */
  readonly config?: Record<string, unknown>;
}

export function chooseSystem(name: string | undefined): AnySystem {
  const s = systemNamed(name ?? 'cca');
  if (!s) throw new UsageError(`--system: unknown system "${name}" (systems: ${SYSTEMS.map((x) => x.name).join(', ')})`);
  return s;
}

/** Loads a user-written variant: a module whose default (or `variant`) export maps Spec -> Spec. */
export async function loadVariantFile(file: string): Promise<(s: unknown) => unknown> {
  const path = resolvePath(file);
  if (!existsSync(path)) throw new UsageError(`variant file not found: ${file}`);
  let mod: Record<string, unknown>;
  try {
    // The bundled CLI does not run under tsx: TypeScript variant files need its loader.
    if (/\.[cm]?ts$/.test(path)) (await import('tsx/esm/api')).register();
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (e) {
    throw new UsageError(`cannot load variant file ${file}: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`);
  }
  const f = (mod.default ?? mod.variant) as unknown;
  if (typeof f !== 'function') throw new UsageError(`variant file ${file} must export a function (Spec) => Spec as default or as "variant"`);
  return f as (s: unknown) => unknown;
}

export async function chooseSpec(system: AnySystem, variant: string | undefined, variantFile: string | undefined): Promise<Chosen> {
  if (variant && variantFile) throw new UsageError('give --variant or --variant-file, not both');
  if (variant) {
    const v = system.variants.find((x) => x.name === variant);
    if (!v) throw new UsageError(`unknown variant "${variant}" of system ${system.name} (known: ${system.variants.map((x) => x.name).join(', ')})`);
    return { spec: v.apply(system.spec), label: `variant ${variant}`, variant, config: v.config };
  }
  if (variantFile) {
    const f = await loadVariantFile(variantFile);
    let spec: unknown;
    try {
      spec = f(system.spec);
    } catch (e) {
      throw new UsageError(`variant file ${variantFile} threw: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!system.isSpec(spec)) throw new UsageError(`variant file ${variantFile} did not return a specification object of system ${system.name}`);
    return { spec, label: `variant file ${variantFile}`, variantFile };
  }
  return { spec: system.spec, label: 'faithful model' };
}

/** `--rules-off a,b` switches rules off; `--rules a,b` keeps only those on. */
export function chooseRules(system: AnySystem, rulesOff: string | undefined, rulesOn: string | undefined): { rules: RuleSet; off: string[] } {
  const names = system.rules;
  const list = (s: string, flag: string) => {
    const xs = s.split(',').map((x) => x.trim());
    for (const x of xs) if (!names.includes(x)) throw new UsageError(`${flag}: ${x === '' ? 'an empty rule name' : `unknown rule "${x}"`} (rules of ${system.name}: ${names.join(', ')})`);
    return xs;
  };
  let off: string[] = [];
  if (rulesOn !== undefined) {
    const on = list(rulesOn, '--rules');
    off = names.filter((r) => !on.includes(r));
  }
  if (rulesOff !== undefined) off = [...new Set([...off, ...list(rulesOff, '--rules-off')])];
  return { rules: new Set(names.filter((r) => !off.includes(r))), off };
}
