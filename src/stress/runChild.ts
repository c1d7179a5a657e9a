/**
 * A whole stress run in a child process of a soak (src/stress/runProcess.ts): runs for
 * --isolation thread keep their devices in their threads, so a native crash ends the process they
 * are in; here that is this child, not the soak. The parent gets the progress every few tens of
 * milliseconds (what was in flight if this process dies) and the report at the end.
 */
import { serializeError } from '../gpu/isolate.ts';
import { runStress } from './run.ts';
import type { RunChildMessage, RunParentMessage } from './runProcess.ts';

const send = (m: RunChildMessage): void => {
  process.send?.(m);
};

process.once('message', (m: RunParentMessage) => {
  runStress(m.options, { progress: (p) => send({ type: 'progress', progress: p }) }).then(
    (report) => send({ type: 'report', report }),
    (e: unknown) => send({ type: 'error', error: serializeError(e) }),
  ).finally(() => process.disconnect?.());
});
