// Entry of every stress thread (workers and the shared-mode device owner). Worker threads do not
// inherit the main thread's TypeScript loader, so each registers tsx itself, then imports the
// TypeScript module named in workerData.entry.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
