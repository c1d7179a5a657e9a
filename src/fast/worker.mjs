// A fast-path worker thread: instantiates the kernels' module on the shared memory, then runs
// one kernel call per request from its slot of the control block until the process ends. Plain
// JavaScript (no TypeScript loader to register), so it starts in a few milliseconds.
// Slot layout (Int32Array, SLOT_INTS per worker; see src/fast/pool.ts): [0] request count,
// [1] completed count, [2] export index, [3] argument count, [4] 1 if the call threw, [5] ready;
// arguments as float64 from byte offset ARGS_OFFSET of the slot.
import { workerData } from 'node:worker_threads';

const { module, memory, control, slot, slotInts, argsOffset, names } = workerData;
const ctl = new Int32Array(control, slot * slotInts * 4, slotInts);
const args = new Float64Array(control, slot * slotInts * 4 + argsOffset, (slotInts * 4 - argsOffset) / 8);
const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
const fns = names.map((n) => exports[n]);

Atomics.store(ctl, 5, 1);
Atomics.notify(ctl, 5);
let seen = 0;
for (;;) {
  Atomics.wait(ctl, 0, seen);
  seen = Atomics.load(ctl, 0);
  let failed = 0;
  try {
    const argc = ctl[3];
    fns[ctl[2]](...Array.from(args.subarray(0, argc)));
  } catch {
    failed = 1;
  }
  ctl[4] = failed;
  Atomics.store(ctl, 1, seen);
  Atomics.notify(ctl, 1);
}
