#!/usr/bin/env node
// Launcher: runs the bundled CLI (dist/, built by `npm run build` at install time) when it is newer
// than every source file; otherwise (a spec author just edited the model) the TypeScript sources
// through tsx's loader, so a change is always what runs.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist', 'cli.js');
const SOURCES = ['api', 'cli', 'ideal', 'model', 'properties', 'real', 'systems', 'variants'];

function newestSource(dir, limit) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (newestSource(p, limit)) return true;
    } else if (e.name.endsWith('.ts') && statSync(p).mtimeMs > limit) return true;
  }
  return false;
}

let fresh = existsSync(dist) && !process.env.REAL_IDEAL_FROM_SOURCE;
if (fresh) {
  const built = statSync(dist).mtimeMs;
  fresh = !SOURCES.some((d) => existsSync(join(root, d)) && newestSource(join(root, d), built));
}
let main;
if (fresh) ({ main } = await import(pathToFileURL(dist).href));
else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
