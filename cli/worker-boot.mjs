// Starts a check worker from the TypeScript sources (when the CLI itself runs from them, not from
// dist/): tsx's loader first, then the worker. The bundled CLI starts dist/worker.js instead.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
