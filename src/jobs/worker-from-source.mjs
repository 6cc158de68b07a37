// Worker entry when running from TypeScript source (CLI, tests, browser-mode server): install
// the tsx loader in this thread, then load the real worker. The bundled app uses worker.js.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
