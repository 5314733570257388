// Bootstraps a campaign worker thread: registers tsx in the worker (worker threads do not inherit the loader), then
// loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
