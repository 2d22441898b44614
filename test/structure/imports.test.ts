// The import graph stays as DESIGN.md draws it: no cycles (type imports included), no system folder
// importing another system's folder, and an engine (model/, properties/engine, real/shared, cli/)
// that imports no system; only the registry (systems/) lists them. Checked with madge.

import { describe, expect, test } from 'vitest';
import madge from 'madge';

const ROOTS = ['api', 'cli', 'ideal', 'model', 'properties', 'real', 'systems', 'variants', 'bench'];
const SYSTEM_DIRS = ['real', 'ideal', 'properties', 'variants', 'examples', 'test'];

/** The system a file belongs to (`real/ffa/x.ts` -> ffa), or null for shared code. */
export function systemOf(file: string): string | null {
  const [top, second] = file.split('/');
  if (!SYSTEM_DIRS.includes(top) || second === undefined || !file.slice(top.length + 1).includes('/')) return null;
  return ['shared', 'engine', 'contract', 'structure', 'cli', 'weakmem'].includes(second) ? null : second;
}

describe('import graph', async () => {
  const res = await madge(ROOTS, { fileExtensions: ['ts'], tsConfig: 'tsconfig.json' });
  const graph = res.obj();

  test('madge sees the whole source tree', () => {
    expect(Object.keys(graph).length).toBeGreaterThan(100);
    expect(graph['systems/index.ts']).toContain('properties/cca/system.ts');
  });

  test('no import cycle', () => {
    expect(res.circular()).toEqual([]);
  });

  test("no file imports another system's folder", () => {
    const bad: string[] = [];
    for (const [file, deps] of Object.entries(graph)) {
      const own = systemOf(file);
      for (const d of deps) {
        const other = systemOf(d);
        if (other !== null && other !== own) bad.push(`${file} -> ${d}`);
      }
    }
    expect(bad.filter((b) => !b.startsWith('systems/index.ts'))).toEqual([]);
  });

  test('the engine and the shared vocabulary import no system (only the registry and its users do)', () => {
    const engine = Object.keys(graph).filter((f) => f.startsWith('model/') || f.startsWith('properties/engine/') || f.startsWith('real/shared/') || f === 'properties/diff.ts');
    expect(engine.length).toBeGreaterThan(5);
    for (const f of engine) expect(graph[f].filter((d) => systemOf(d) !== null || d.startsWith('systems/'))).toEqual([]);
  });

  test('the systems known to the file layout classify as expected', () => {
    expect(systemOf('real/cca/spec.ts')).toBe('cca');
    expect(systemOf('properties/engine/run.ts')).toBeNull();
    expect(systemOf('real/shared/weakmem/executor.ts')).toBeNull();
    expect(systemOf('model/system.ts')).toBeNull();
    expect(systemOf('properties/diff.ts')).toBeNull();
  });
});
