/**
 * Body of a counter stress worker: attach to the shared counter, warm the loop up on a private
 * counter, report ready, wait for the common start signal, then acquire ids into the shared record.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { EventCounter } from '../counter.ts';
import type { CounterWorkerData, CounterWorkerDone } from '../counterStress.ts';

const data = workerData as CounterWorkerData;
const counter = EventCounter.attach(data.handle);
const record = new BigUint64Array(data.record);
const gate = new Int32Array(data.gate);

// Touch every page of the record now, as C++ does when it value-initialises its vector, so
// the timed loop does not pay the first-write page faults.
new Uint32Array(data.record).fill(0);

// Warm-up on a private counter of the same variant so the timed loop runs optimised code.
const warm = new EventCounter({ variant: counter.variant, width: counter.width });
// Same kind of record (SharedArrayBuffer-backed) as the timed loop, so its optimised code fits.
warm.fill(new BigUint64Array(new SharedArrayBuffer(Math.min(record.length, 200_000) * 8)));

parentPort?.postMessage({ type: 'ready' });
while (Atomics.load(gate, 0) === 0) Atomics.wait(gate, 0, 0);
const t0 = performance.timeOrigin + performance.now();
counter.fill(record);
const t1 = performance.timeOrigin + performance.now();
const done: CounterWorkerDone = { type: 'done', t0, t1 };
parentPort?.postMessage(done);
