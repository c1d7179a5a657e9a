#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so `npx refsim` works straight after `npm ci`
// with no build step.
import { register } from 'tsx/esm/api';

register();
// `refsim diff | head`: the reader went away. Stop quietly (no stack trace) with the exit status
// so far, as the usual Unix tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    throw e;
  });
}
const { main, onInterrupt } = await import('../src/cli/main.ts');
// Ctrl-C: one line and exit 130 (src/cli/exitCodes.ts). Long searches yield to the event loop so
// this runs promptly.
process.once('SIGINT', onInterrupt);
process.exitCode = await main(process.argv);
