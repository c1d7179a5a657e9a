#!/usr/bin/env node
// A standalone reproduction, for an upstream report, of the native crash `refsim stress` found with
// in-thread devices (docs/stress.md, Findings): several worker threads of one Node process, each
// with its own Dawn instance and device (npm `webgpu` only, no refsim code), submit one small
// compute dispatch at a time with a read-back, then destroy their device and end; the process
// then exits. Repeated in fresh processes, some runs die with SIGSEGV after every dispatch has
// completed.
//
//   node scripts/dawn-threads-teardown.mjs [runs=30] [threads=4] [ops=120]
//
// Prints one line per run (exit code or signal) and a summary; exits 1 if any run crashed.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const WGSL = `
@group(0) @binding(0) var<storage, read_write> data: array<f32>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3u) {
  if (id.x < arrayLength(&data)) { data[id.x] = data[id.x] * 2.0 + 1.0; }
}`;

async function threadBody({ ops }) {
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  const gpu = create([]); // kept referenced until the device is gone (Dawn's lifetime rule)
  const adapter = await gpu.requestAdapter();
  if (adapter === null) throw new Error('no WebGPU adapter');
  const device = await adapter.requestDevice();
  const module = device.createShaderModule({ code: WGSL });
  const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const n = 4096;
  for (let op = 0; op < ops; op++) {
    const storage = device.createBuffer({ size: 4 * n, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
    const readback = device.createBuffer({ size: 4 * n, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(storage, 0, new Float32Array(n).fill(op));
    const bind = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: storage } }] });
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bind);
    pass.dispatchWorkgroups(n / 64);
    pass.end();
    enc.copyBufferToBuffer(storage, 0, readback, 0, 4 * n);
    device.queue.submit([enc.finish()]);
    await readback.mapAsync(GPUMapMode.READ);
    const first = new Float32Array(readback.getMappedRange())[0];
    if (first !== op * 2 + 1) throw new Error(`op ${op}: got ${first}`);
    readback.unmap();
    storage.destroy();
    readback.destroy();
  }
  device.destroy();
  return gpu;
}

async function oneProcess(threads, ops) {
  const file = fileURLToPath(import.meta.url);
  const done = Array.from({ length: threads }, () => new Promise((resolve, reject) => {
    const w = new Worker(file, { workerData: { ops } });
    w.once('message', resolve);
    w.once('error', reject);
  }));
  await Promise.all(done);
}

if (!isMainThread) {
  await threadBody(workerData);
  parentPort.postMessage('done');
} else if (process.env.DAWN_TEARDOWN_CHILD === '1') {
  await oneProcess(Number(process.argv[3]), Number(process.argv[4]));
} else {
  const [runs = 30, threads = 4, ops = 120] = process.argv.slice(2).map(Number);
  let crashes = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = Date.now();
    const res = spawnSync(process.execPath, [fileURLToPath(import.meta.url), 'child', String(threads), String(ops)], {
      env: { ...process.env, DAWN_TEARDOWN_CHILD: '1' }, encoding: 'utf8', timeout: 120_000,
    });
    const how = res.signal !== null ? `signal ${res.signal}` : `exit ${res.status}`;
    if (res.signal !== null) crashes++;
    console.log(`run ${r}: ${how} (${Date.now() - t0} ms)${res.status !== 0 && res.signal === null ? ` ${res.stderr.trim().split('\n').slice(-1)[0]}` : ''}`);
  }
  console.log(`${crashes} of ${runs} runs died on a signal (${threads} threads × ${ops} one-dispatch submissions each, a device per thread)`);
  process.exitCode = crashes > 0 ? 1 : 0;
}
