/**
 * Shared mode's device owner. A GPUDevice of Dawn's Node binding belongs to the thread that
 * created it (it cannot be posted to another worker), so "all workers share one device" is built
 * as the GPU driver sees it in a multi-threaded app: one owner holds the device and its queue and
 * serves the block ops every worker submits over its own MessagePort. Requests are not serialized
 * here: each starts its runBatch as soon as it arrives, so the workers' writes, dispatches,
 * submits and readbacks interleave on the one device and queue (and in the kernel module's
 * pipeline and buffer caches), which is where races between concurrent users of a device live.
 * With process isolation the device lives in a child process this thread talks to; when that
 * process dies, every request in flight is answered with the crash, the supervisor is told once,
 * and a fresh process takes over (requests arriving meanwhile wait for it) or, with
 * --on-crash stop, every later request is answered with the crash too.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { DeviceLost, type Engine, NativeCrash, warmUp } from './engine.ts';
import { openStressEngine } from './isolatedEngine.ts';
import type { CrashNotice, OwnerConfig, OwnerToMain, OwnerToWorker, WorkerToOwner } from './types.ts';

const cfg = workerData as OwnerConfig & { entry: string };
if (parentPort === null) throw new Error('stress device owner must run in a worker thread');
const port = parentPort;
const post = (m: OwnerToMain): void => port.postMessage(m);

/** The device's process after crashes: the generation already reported, a restart under way, or the crash that stopped it. */
const crashState = { reported: 0, restarting: null as Promise<void> | null, stopped: null as CrashNotice | null };

function onCrash(engine: Engine, crash: CrashNotice): void {
  if (crash.generation <= crashState.reported) return;
  crashState.reported = crash.generation;
  const stopping = cfg.onCrash === 'stop';
  post({ type: 'native-crash', crash, stopping });
  if (stopping) {
    crashState.stopped = crash;
    return;
  }
  post({ type: 'restarting' });
  crashState.restarting = engine.restart().then(
    () => post({ type: 'restarted' }),
    (e: unknown) => {
      crashState.stopped = crash;
      post({ type: 'restart-failed', message: e instanceof Error ? e.message : String(e) });
    },
  ).finally(() => {
    crashState.restarting = null;
  });
}

function serve(engine: Engine, client: MessagePort): void {
  client.on('message', async (m: WorkerToOwner) => {
    const reply = (r: OwnerToWorker, transfer: ArrayBuffer[] = []): void => client.postMessage(r, transfer);
    if (m.type === 'lose-device') {
      void engine.loseDevice().then(() => {
        post({ type: 'device-lost', message: 'device destroyed by REFSIM_STRESS_FAULT=lost' });
        reply({ type: 'error', rid: m.rid, lost: true, message: 'device destroyed by REFSIM_STRESS_FAULT=lost' });
      });
      return;
    }
    if (crashState.restarting !== null) await crashState.restarting;
    const stopped = crashState.stopped;
    if (stopped !== null) {
      reply({ type: 'error', rid: m.rid, lost: false, message: 'the shared device process crashed', crash: stopped, stopping: true });
      return;
    }
    engine.run(m.cases, m.segv).then(
      (outs) => {
        // Transfer each output's memory when it is exactly one buffer; a view into a larger one is copied.
        const outputs = outs.map((t) => {
          const whole = t.data.byteOffset === 0 && t.data.byteLength === t.data.buffer.byteLength && t.data.buffer instanceof ArrayBuffer;
          return whole ? t : { shape: t.shape, data: t.data.slice() };
        });
        reply({ type: 'result', rid: m.rid, outputs }, outputs.map((t) => t.data.buffer as ArrayBuffer));
      },
      (e: unknown) => {
        if (e instanceof NativeCrash) {
          onCrash(engine, e.notice);
          reply({ type: 'error', rid: m.rid, lost: false, message: e.message, crash: e.notice, stopping: cfg.onCrash === 'stop' });
          return;
        }
        reply({ type: 'error', rid: m.rid, lost: e instanceof DeviceLost || engine.lost, message: e instanceof Error ? e.message : String(e) });
      },
    );
  });
}

let engine: Engine;
try {
  engine = await openStressEngine(cfg);
  await warmUp(engine, cfg.shape, cfg.seed, -1, cfg.batch);
} catch (e) {
  post({ type: 'startup-failed', message: e instanceof Error ? e.message : String(e), code: (e as { code?: string }).code ?? null });
  process.exit(0);
}
for (const p of cfg.ports) serve(engine, p);
post({ type: 'ready', adapter: engine.adapter });
// The supervisor says when every worker is done; then the device goes and the thread ends.
port.once('message', () => {
  for (const p of cfg.ports) p.close();
  void engine.close().finally(() => port.close());
});
