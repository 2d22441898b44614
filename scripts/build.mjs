// Bundles the CLI and the library into dist/ (run at install time by `prepare`, and before tests), so
// `real-ideal` starts without compiling TypeScript and other projects can import the package.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', sourcemap: true, logLevel: 'warning' };
await build({ ...common, entryPoints: { index: 'api/index.ts', cli: 'cli/main.ts', worker: 'cli/worker.ts' }, outdir: 'dist', splitting: true, chunkNames: 'chunks/[name]-[hash]' });
