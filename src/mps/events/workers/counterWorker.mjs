// Entry point of a counter stress worker thread: loads the worker body beside this file, which runs
// EventCounter's own acquire loop. Beside the TypeScript sources (a checkout) the body is
// TypeScript: this thread registers tsx (a worker does not inherit the parent's loader hooks) and
// loads it. In the installed package the body is the compiled .js, and tsx is not installed.
import { existsSync } from 'node:fs';

const source = new URL('./counterWorkerMain.ts', import.meta.url);
if (existsSync(source)) {
  (await import('tsx/esm/api')).register();
  await import(source.href);
} else {
  await import(new URL('./counterWorkerMain.js', import.meta.url).href);
}
