/**
 * The `refsim` process: what bin/refsim.js runs, from the sources (through tsx) in a checkout and
 * compiled in the installed package. Wires the process to main(): stdout/stderr pipe errors,
 * Ctrl-C, and the exit status.
 */
import { main, onInterrupt } from './main.ts';

// `refsim diff | head`: the reader went away. Stop quietly (no stack trace) with the exit status
// so far, as the usual Unix tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    throw e;
  });
}
// Ctrl-C: one line and exit 130 (./exitCodes.ts). Long searches yield to the event loop so this
// runs promptly.
process.once('SIGINT', onInterrupt);
process.exitCode = await main(process.argv);
