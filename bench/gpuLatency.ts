/**
 * The `latency` suite of `npm run bench:gpu`: where one op of the seed's stress form spends its
 * time. Dawn's own round trips (an empty submit with onSubmittedWorkDone; a one-workgroup
 * dispatch, a copy and mapAsync in one submission; one error-scope push and pop), then the per-op
 * protocol on a tiny op (one round trip against the former five waits, same run), the block op's
 * buffer preparation alone, the block op in this process both ways, the IPC round trip to a
 * device process (an empty job), and the block op through a device process both ways (the seed
 * form's per-op path). Each figure is the median (and 90th percentile) of sequential repetitions
 * after a warm-up. `--quick` repeats less (software adapters).
 */
import { type RefsimGpu } from '../src/gpu/device.ts';
import type { GpuWhere } from '../src/gpu/errors.ts';
import { IsolatedGpu } from '../src/gpu/isolate.ts';
import type { PreparedBatch } from '../src/gpu/kernel.ts';
import { gpuOps, gpuPrepare } from '../src/gpu/registry.ts';
import { readBackSerial, submitAndRead, submitGuarded } from '../src/gpu/runtime.ts';
import { BACKENDS, type BackendName, type OpenGpuOptions } from '../src/gpu/types.ts';
import type { OpCase } from '../src/ops/types.ts';
import { tensor } from '../src/reference/tensor.ts';
import { DEFAULT_BLOCK_SHAPE, formatBlockShape, makeBlockCase } from '../src/stress/blockCase.ts';
import type { StressBlockPayload } from '../src/stress/gpuJobs.ts';
import type { BenchRow } from './lib.ts';

const SERIAL = 'REFSIM_BENCH_SERIAL_WAITS';

interface Timing {
  readonly p50: number;
  readonly p90: number;
}

/** Median and 90th percentile in µs of `n` sequential calls of `fn`, after `n / 10` (≥ 3) warm-up calls. */
async function timeCalls(n: number, fn: () => Promise<unknown>): Promise<Timing> {
  for (let i = 0; i < Math.max(3, n / 10); i++) await fn();
  const us: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    us.push((performance.now() - t0) * 1000);
  }
  us.sort((a, b) => a - b);
  return { p50: us[Math.floor(n / 2)] ?? NaN, p90: us[Math.floor(n * 0.9)] ?? NaN };
}

const fmt = (t: Timing): string => (t.p50 >= 1000 ? `${(t.p50 / 1000).toFixed(2)} ms (p90 ${(t.p90 / 1000).toFixed(2)} ms)` : `${t.p50.toFixed(0)} µs (p90 ${t.p90.toFixed(0)} µs)`);

/** Runs `fn` with REFSIM_BENCH_SERIAL_WAITS set (the former five waits per batch) or unset. */
export async function withSerialWaits<T>(serial: boolean, fn: () => Promise<T>): Promise<T> {
  const saved = process.env[SERIAL];
  if (serial) process.env[SERIAL] = '1';
  else delete process.env[SERIAL];
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env[SERIAL];
    else process.env[SERIAL] = saved;
  }
}

const encodePass = (batch: PreparedBatch) => (enc: GPUCommandEncoder): void => {
  const pass = enc.beginComputePass();
  batch.encode(pass);
  pass.end();
};

/** Dawn's own round trips and the per-op protocol on a one-workgroup relu. */
async function dawnRows(ctx: RefsimGpu, n: number): Promise<BenchRow[]> {
  const { device } = ctx;
  const where: GpuWhere = { op: 'bench latency', caseIndex: 0 };
  const relu: OpCase = { op: 'relu', params: {}, inputs: { x: tensor([4], [1, -2, 3, -0]) } };
  const tiny = await gpuPrepare.relu(ctx, [relu]);
  try {
    const empty = await timeCalls(n, async () => {
      device.queue.submit([]);
      await device.queue.onSubmittedWorkDone();
    });
    const bare = await timeCalls(n, async () => {
      const staging = device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
      const enc = device.createCommandEncoder();
      encodePass(tiny)(enc);
      enc.copyBufferToBuffer(tiny.output, 0, staging, 0, 16);
      device.queue.submit([enc.finish()]);
      await staging.mapAsync(GPUMapMode.READ);
      staging.destroy();
    });
    const scope = await timeCalls(n, async () => {
      device.pushErrorScope('validation');
      await device.popErrorScope();
    });
    const oneTrip = await timeCalls(n, () => submitAndRead(ctx, where, encodePass(tiny), tiny.output, 16));
    const former = await timeCalls(n, async () => {
      await submitGuarded(ctx, where, encodePass(tiny));
      await readBackSerial(ctx, where, tiny.output, 16);
    });
    const emptyText = `empty submit round trip, same run: ${fmt(empty)}`;
    return [
      { suite: 'gpu latency', name: 'Dawn round trip: empty submit + onSubmittedWorkDone', value: fmt(empty), baseline: '–', ratio: null, ratioLabel: '' },
      {
        suite: 'gpu latency', name: 'Dawn round trip: 1-workgroup dispatch + copy + mapAsync, one submission', value: fmt(bare),
        baseline: emptyText, ratio: bare.p50 / empty.p50, ratioLabel: 'time / empty submit round trip',
      },
      {
        suite: 'gpu latency', name: 'Dawn: one error-scope push + pop, no submission', value: fmt(scope),
        baseline: emptyText, ratio: scope.p50 / empty.p50, ratioLabel: 'time / empty submit round trip',
      },
      {
        suite: 'gpu latency', name: 'per-batch protocol, 1-workgroup relu: one round trip (3 scopes popped while the map is pending)', value: fmt(oneTrip),
        baseline: `former five waits (scopes, queue; copy's scopes, queue, map), same run: ${fmt(former)}`, ratio: oneTrip.p50 / former.p50, ratioLabel: 'one round trip / former time',
      },
    ];
  } finally {
    tiny.destroy();
  }
}

/** The block op in this process: its buffer preparation alone, and runBatch both ways. */
async function blockRows(ctx: RefsimGpu, n: number, c: OpCase): Promise<{ rows: BenchRow[]; inProcess: Timing }> {
  const shape = formatBlockShape(DEFAULT_BLOCK_SHAPE);
  const prepare = await timeCalls(n, async () => (await gpuPrepare.depthwiseSeparableBlock(ctx, [c])).destroy());
  const run = (serial: boolean) => withSerialWaits(serial, () => timeCalls(n, () => gpuOps.depthwiseSeparableBlock.runBatch(ctx, [c])));
  const former = await run(true);
  const inProcess = await run(false);
  return {
    inProcess,
    rows: [
      {
        suite: 'gpu latency', name: `block op buffers, tables and bind groups alone (prepare + destroy, no submission), ${shape}`, value: fmt(prepare),
        baseline: `block runBatch, one round trip, same run: ${fmt(inProcess)}`, ratio: prepare.p50 / inProcess.p50, ratioLabel: 'prepare / whole op',
      },
      {
        suite: 'gpu latency', name: `block runBatch, batch 1, in this process: one round trip, ${shape}`, value: fmt(inProcess),
        baseline: `former five waits, same run: ${fmt(former)}`, ratio: inProcess.p50 / former.p50, ratioLabel: 'one round trip / former time',
      },
    ],
  };
}

/** An isolated device process as `refsim stress` opens it (jobs start as they arrive). */
async function openIsolated(backend: BackendName | undefined, serial: boolean): Promise<IsolatedGpu> {
  const opts: OpenGpuOptions = backend === undefined ? {} : { backend };
  return withSerialWaits(serial, () => IsolatedGpu.open(opts, { concurrent: true, restartOnCrash: false }));
}

/** IPC to a device process, and the block op through one both ways (the seed form's per-op path, one op at a time). */
async function isolatedRows(ctx: RefsimGpu, n: number, c: OpCase, inProcess: Timing): Promise<BenchRow[]> {
  const backend = (BACKENDS as readonly string[]).includes(ctx.adapter.backend) ? (ctx.adapter.backend as BackendName) : undefined;
  const shape = formatBlockShape(DEFAULT_BLOCK_SHAPE);
  const payload: StressBlockPayload = { cases: [c], segv: false };
  const times: Record<'former' | 'oneTrip', Timing> = { former: { p50: NaN, p90: NaN }, oneTrip: { p50: NaN, p90: NaN } };
  let ipc: Timing = { p50: NaN, p90: NaN };
  for (const serial of [true, false]) {
    const gpu = await openIsolated(backend, serial);
    try {
      if (!serial) ipc = await timeCalls(n, () => gpu.runBatch('relu', []));
      times[serial ? 'former' : 'oneTrip'] = await timeCalls(n, () => gpu.job('stressBlock', payload, { op: 'depthwiseSeparableBlock', caseIndex: null }));
    } finally {
      await gpu.close();
    }
  }
  return [
    {
      suite: 'gpu latency', name: 'IPC round trip to a device process (an empty op batch)', value: fmt(ipc),
      baseline: `block runBatch in this process, same run: ${fmt(inProcess)}`, ratio: ipc.p50 / inProcess.p50, ratioLabel: 'IPC / in-process op',
    },
    {
      suite: 'gpu latency', name: `block op through a device process (the seed form's per-op path, one at a time): one round trip, ${shape}`, value: fmt(times.oneTrip),
      baseline: `former five waits, same run: ${fmt(times.former)}`, ratio: times.oneTrip.p50 / times.former.p50, ratioLabel: 'one round trip / former time',
    },
  ];
}

export async function latencySuite(ctx: RefsimGpu, opts: { quick: boolean; log: (s: string) => void }): Promise<{ rows: BenchRow[]; notes: string[] }> {
  const n = opts.quick ? 30 : 300;
  const c = makeBlockCase(DEFAULT_BLOCK_SHAPE, 1, 0, 0);
  opts.log('bench:gpu latency: Dawn round trips...');
  const rows = await dawnRows(ctx, n);
  opts.log('bench:gpu latency: block op in this process...');
  const block = await blockRows(ctx, opts.quick ? 20 : 100, c);
  opts.log('bench:gpu latency: device processes...');
  const isolated = await isolatedRows(ctx, opts.quick ? 20 : 100, c, block.inProcess);
  return {
    rows: [...rows, ...block.rows, ...isolated],
    notes: [`- gpu latency: sequential calls, median (p90) of ${n} (block rows: ${opts.quick ? 20 : 100}) after a warm-up; "former five waits" is REFSIM_BENCH_SERIAL_WAITS=1 in the same run`],
  };
}
