// Where results go: checked output paths (one-line errors for a folder, a missing folder or an empty
// path), counterexample files that never overwrite each other unless the user named the file.

import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './args';

/** Validates `--flag PATH` before any work is done. */
export function checkOutPath(flag: string, path: string): string {
  if (path.trim() === '') throw new UsageError(`${flag}: empty path`);
  const full = resolve(path);
  if (existsSync(full) && statSync(full).isDirectory()) throw new UsageError(`${flag}: ${path} is a folder; give a file name`);
  const dir = dirname(full);
  if (!existsSync(dir)) throw new UsageError(`${flag}: folder ${dirname(path)} does not exist`);
  if (!statSync(dir).isDirectory()) throw new UsageError(`${flag}: ${dirname(path)} is not a folder`);
  return path;
}

/** `base.json`, or `base-1.json`, `base-2.json`, ... : the first name not taken. */
export function freshName(base: string): string {
  if (!existsSync(base)) return base;
  const stem = base.replace(/\.json$/, '');
  for (let i = 1; ; i++) if (!existsSync(`${stem}-${i}.json`)) return `${stem}-${i}.json`;
}

/** Writes a file; an I/O failure is a usage error naming the path, not a stack trace. */
export function writeOut(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (e) {
    throw new UsageError(`cannot write ${path}: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** The envelope of `check --coverage-json` files, joined by `coverage merge`. */
export const COVERAGE_FORMAT = 'real-ideal/coverage@1';
