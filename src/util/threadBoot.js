// Entry script of every worker thread whose body is a module of this package (stress workers and
// the shared-mode device owner, counter stress workers): imports the module named in
// workerData.entry (src/util/entry.ts entryUrl chooses it). From the sources that module is
// TypeScript, and a worker thread does not inherit the main thread's loader, so the thread
// registers tsx itself first; compiled (the installed package, or the test suite's dist/) it is
// plain JavaScript and tsx is not needed, nor installed.
import { workerData } from 'node:worker_threads';

if (workerData.entry.endsWith('.ts')) (await import('tsx/esm/api')).register();
await import(workerData.entry);
