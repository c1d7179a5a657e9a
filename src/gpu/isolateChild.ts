/**
 * The child side of src/gpu/isolate.ts: opens one device, runs jobs one at a time, answers over IPC.
 * Started by IsolatedGpu with `node --import tsx`; never imported by the parent.
 */
import type { OpCase, OpName } from '../ops/types.ts';
import { destroyAllGpus, openGpu, type RefsimGpu } from './device.ts';
import { type ChildMessage, type ParentMessage, serializeError } from './isolate.ts';
import { isolatedJobs } from './isolateJobs.ts';
import { gpuOps } from './registry.ts';

let ctx: RefsimGpu | null = null;
const send = (m: ChildMessage): void => {
  process.send?.(m);
};

/**
 * Test-only switch: with REFSIM_TEST_CRASH_MARKER=v set, a batch whose case has an input starting
 * with the float v kills this process with SIGSEGV, standing in for a native Dawn/driver crash.
 */
function maybeCrash(cases: readonly OpCase[]): void {
  const marker = process.env['REFSIM_TEST_CRASH_MARKER'];
  if (marker === undefined || marker === '') return;
  const v = Number(marker);
  for (const c of cases) {
    for (const t of Object.values(c.inputs)) {
      if (t !== null && t.data[0] === v) process.kill(process.pid, 'SIGSEGV');
    }
  }
}

async function onMessage(m: ParentMessage): Promise<void> {
  if (m.type === 'close') {
    destroyAllGpus();
    process.disconnect?.();
    return;
  }
  if (m.type === 'open') {
    try {
      ctx = await openGpu(m.options);
      send({ type: 'ready', adapter: ctx.adapter });
    } catch (e) {
      send({ type: 'failed', error: serializeError(e) });
    }
    return;
  }
  try {
    if (ctx === null) throw new Error('isolated GPU child received a job before opening a device');
    let value: unknown;
    if (m.kind === 'op') {
      const cases = m.payload as OpCase[];
      maybeCrash(cases);
      const op = gpuOps[m.op as OpName];
      if (op === undefined) throw new RangeError(`op must be one of ${Object.keys(gpuOps).join(', ')}; got ${m.op}`);
      value = await op.runBatch(ctx, cases);
    } else {
      const load = isolatedJobs[m.kind];
      if (load === undefined) throw new RangeError(`job kind must be op or one of ${Object.keys(isolatedJobs).join(', ')}; got ${m.kind}`);
      value = await (await load())(ctx, m.payload);
    }
    send({ type: 'result', id: m.id, value });
  } catch (e) {
    send({ type: 'failed', id: m.id, error: serializeError(e) });
  }
}

// Jobs run strictly one after another (one device, one queue).
let chain: Promise<void> = Promise.resolve();
process.on('message', (m: ParentMessage) => {
  chain = chain.then(() => onMessage(m));
});
process.on('disconnect', () => {
  destroyAllGpus();
});
