/**
 * The child side of src/gpu/isolate.ts: opens one device, runs jobs one at a time, answers over IPC.
 * Started by IsolatedGpu with `node --import tsx`; never imported by the parent.
 */
import type { OpCase, OpName } from '../ops/types.ts';
import { destroyAllGpus, openGpu, type RefsimGpu } from './device.ts';
import { type ChildMessage, type ParentMessage, serializeError } from './isolate.ts';
import { isolatedJobs } from './isolateJobs.ts';
import { crashMarker } from '../testHooks.ts';
import { gpuOps } from './registry.ts';

let ctx: RefsimGpu | null = null;
/** Set by the 'open' message: jobs start as they arrive instead of one after another. */
let concurrent = false;
const send = (m: ChildMessage): void => {
  process.send?.(m);
};

/** REFSIM_TEST_CRASH_MARKER (src/testHooks.ts): a native crash on the marked batch. */
function maybeCrash(cases: readonly OpCase[]): void {
  const v = crashMarker();
  if (v === null) return;
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
    concurrent = m.concurrent === true;
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

// By default jobs run strictly one after another (one device, one queue). A concurrent child
// starts each job as it arrives, so its submissions interleave on the device as a thread's do;
// 'open' and 'close' still wait for everything before them.
let chain: Promise<void> = Promise.resolve();
const running = new Set<Promise<void>>();
process.on('message', (m: ParentMessage) => {
  if (concurrent && m.type === 'job') {
    const job = chain.then(() => onMessage(m));
    running.add(job);
    void job.finally(() => running.delete(job));
    return;
  }
  chain = Promise.all([chain, ...running]).then(() => onMessage(m));
});
process.on('disconnect', () => {
  destroyAllGpus();
});
