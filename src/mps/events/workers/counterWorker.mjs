// Entry point of a counter stress worker thread. Plain JavaScript so it runs from a fresh clone
// with no build step: it registers tsx in this thread (a worker does not inherit the parent's
// loader hooks) and then loads the TypeScript worker body, so the loop that runs is the one in
// src/mps/events/counter.ts.
import { register } from 'tsx/esm/api';

register();
await import('./counterWorkerMain.ts');
