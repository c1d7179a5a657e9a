/**
 * Buffers, the pipeline cache, guarded submission and bounded waits: what every kernel uses so that
 * a GPU failure becomes a typed error naming the op and case, and no wait can hang forever.
 */
import { checkHealth, type GpuDeviceLostInfo } from './device.ts';
import { GpuDeviceLostError, GpuTimeoutError, GpuValidationError, type GpuWhere } from './errors.ts';
import type { GpuContext } from './types.ts';

/** Upper bound on one GPU wait; REFSIM_GPU_TIMEOUT_MS overrides (lavapipe on big shapes is slow). */
export function gpuTimeoutMs(): number {
  const v = Number(process.env['REFSIM_GPU_TIMEOUT_MS']);
  return Number.isFinite(v) && v > 0 ? v : 120_000;
}

function lostOf(ctx: GpuContext): Promise<GpuDeviceLostInfo> | undefined {
  return (ctx as { lost?: Promise<GpuDeviceLostInfo> }).lost;
}

/** Awaits `p`, failing with a typed error on device loss or after the timeout. */
export async function boundedWait<T>(ctx: GpuContext, where: GpuWhere, what: string, p: Promise<T>): Promise<T> {
  const ms = gpuTimeoutMs();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new GpuTimeoutError(where, ms, what)), ms);
  });
  const lost = lostOf(ctx);
  const lostRejection =
    lost === undefined
      ? new Promise<never>(() => {})
      : lost.then((l): never => {
          throw new GpuDeviceLostError(where, l.reason, l.message);
        });
  try {
    return await Promise.race([p, timeout, lostRejection]);
  } finally {
    clearTimeout(timer);
  }
}

const STORAGE = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;

/** Buffer sizes are multiples of 4 and never 0 (a binding must have a size). */
const roundSize = (bytes: number): number => Math.max(16, Math.ceil(bytes / 16) * 16);

/**
 * Uploads go through queue.writeBuffer, not mappedAtCreation: on the H100 (Dawn, Vulkan) a buffer
 * mapped at creation cost an order of magnitude more than a write, to make and again at the next
 * submission, and a block op makes about fifteen (docs/gpu-performance.md). The queue orders the write before every
 * later submission, as the unmap did.
 */
function writeAll(ctx: GpuContext, buf: GPUBuffer, data: ArrayBufferView): GPUBuffer {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  // writeBuffer takes whole 4-byte words; the buffer (roundSize) always has room for the padding.
  const padded = bytes.byteLength % 4 === 0 ? bytes : Uint8Array.from({ length: Math.ceil(bytes.byteLength / 4) * 4 }, (_, i) => bytes[i] ?? 0);
  if (padded.byteLength > 0) ctx.device.queue.writeBuffer(buf, 0, padded);
  return buf;
}

export function storageFrom(ctx: GpuContext, data: ArrayBufferView, label: string): GPUBuffer {
  return writeAll(ctx, ctx.device.createBuffer({ label, size: roundSize(data.byteLength), usage: STORAGE() }), data);
}

export function storageEmpty(ctx: GpuContext, bytes: number, label: string): GPUBuffer {
  return ctx.device.createBuffer({ label, size: roundSize(bytes), usage: STORAGE() });
}

export function uniformFrom(ctx: GpuContext, words: Uint32Array | Float32Array, label: string): GPUBuffer {
  return writeAll(ctx, ctx.device.createBuffer({ label, size: roundSize(words.byteLength), usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST }), words);
}

const pipelineCaches = new WeakMap<GPUDevice, Map<string, Promise<GPUComputePipeline>>>();

/**
 * The compute pipeline for shader variant `key` (built once per device by `build`). Shader
 * compilation failures become GpuValidationError('shader') with the compiler's messages.
 */
export function getPipeline(ctx: GpuContext, key: string, build: () => string, where: GpuWhere, layout?: GPUPipelineLayout): Promise<GPUComputePipeline> {
  let cache = pipelineCaches.get(ctx.device);
  if (cache === undefined) {
    cache = new Map();
    pipelineCaches.set(ctx.device, cache);
  }
  let p = cache.get(key);
  if (p === undefined) {
    p = compile(ctx, key, build(), where, layout ?? 'auto');
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

async function compile(ctx: GpuContext, key: string, code: string, where: GpuWhere, layout: GPUPipelineLayout | 'auto'): Promise<GPUComputePipeline> {
  const module = ctx.device.createShaderModule({ label: key, code });
  const info = await module.getCompilationInfo();
  const errors = info.messages.filter((m) => m.type === 'error');
  if (errors.length > 0) {
    throw new GpuValidationError(where, 'shader', `${key}: ${errors.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join('; ')}`);
  }
  try {
    return await ctx.device.createComputePipelineAsync({ label: key, layout, compute: { module, entryPoint: 'main' } });
  } catch (e) {
    throw new GpuValidationError(where, 'shader', `${key}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export function bindGroup(ctx: GpuContext, pipeline: GPUComputePipeline | GPUBindGroupLayout, buffers: readonly GPUBuffer[], label: string): GPUBindGroup {
  return ctx.device.createBindGroup({
    label,
    layout: 'getBindGroupLayout' in pipeline ? pipeline.getBindGroupLayout(0) : pipeline,
    entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
}

/** The error scopes around every submission, in pop order (pushed in reverse). */
const SCOPES = ['validation', 'out-of-memory', 'internal'] as const;

function pushScopes(device: GPUDevice): void {
  for (let i = SCOPES.length - 1; i >= 0; i--) device.pushErrorScope(SCOPES[i]!);
}

function popScopes(device: GPUDevice): Promise<(GPUError | null)[]> {
  return Promise.all(SCOPES.map(() => device.popErrorScope()));
}

/** Waits (bounded) for the scopes' answers and throws the first error typed. */
async function throwScopeErrors(ctx: GpuContext, where: GpuWhere, pops: Promise<(GPUError | null)[]>): Promise<void> {
  const scopes = await boundedWait(ctx, where, 'error scopes', pops);
  scopes.forEach((e, i) => {
    if (e !== null && e !== undefined) throw new GpuValidationError(where, SCOPES[i] ?? 'internal', e.message);
  });
}

/**
 * Runs `record` between pushing and popping the scopes; a JS exception while recording pops them
 * (keeping the device's scope stack balanced) and is rethrown. Returns the pops, not yet awaited.
 */
function scoped(device: GPUDevice, record: () => void): Promise<(GPUError | null)[]> {
  pushScopes(device);
  try {
    record();
  } catch (e) {
    void popScopes(device).catch(() => undefined);
    throw e;
  }
  return popScopes(device);
}

/**
 * Records commands with `encode`, submits them inside validation / out-of-memory / internal error
 * scopes and waits (bounded) until the queue has finished them. Any error is thrown typed.
 * Two GPU round trips (the scopes, then the queue); one-shot work that reads results back uses
 * submitAndRead instead.
 */
export async function submitGuarded(ctx: GpuContext, where: GpuWhere, encode: (enc: GPUCommandEncoder) => void): Promise<void> {
  checkHealth(ctx, where);
  const { device } = ctx;
  const pops = scoped(device, () => {
    const enc = device.createCommandEncoder({ label: where.op });
    encode(enc);
    device.queue.submit([enc.finish()]);
  });
  await throwScopeErrors(ctx, where, pops);
  await boundedWait(ctx, where, 'queue completion', device.queue.onSubmittedWorkDone());
}

/**
 * One GPU round trip for a batch: records `encode` and a copy of `bytes` of `src` (from `offset`)
 * into a fresh MAP_READ buffer in one command buffer, submits it inside the error scopes, pops the
 * scopes and starts the map at once, then awaits both (bounded): the scopes answer while the GPU
 * works, and the map completes only after everything submitted before it, so no queue wait is
 * needed. Errors are thrown typed as by submitGuarded; a scope's error wins over the map's failure.
 */
export async function submitAndRead(
  ctx: GpuContext,
  where: GpuWhere,
  encode: (enc: GPUCommandEncoder) => void,
  src: GPUBuffer,
  bytes: number,
  offset = 0,
): Promise<ArrayBuffer> {
  checkHealth(ctx, where);
  const { device } = ctx;
  const size = Math.max(4, Math.ceil(bytes / 4) * 4);
  let staging: GPUBuffer | undefined;
  let pops: Promise<(GPUError | null)[]>;
  try {
    pops = scoped(device, () => {
      staging = device.createBuffer({ label: `${where.op} readback`, size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
      const enc = device.createCommandEncoder({ label: where.op });
      encode(enc);
      enc.copyBufferToBuffer(src, offset, staging, 0, size);
      device.queue.submit([enc.finish()]);
    });
  } catch (e) {
    staging?.destroy();
    throw e;
  }
  const buffer = staging!;
  const mapped = buffer.mapAsync(GPUMapMode.READ);
  mapped.catch(() => undefined); // awaited below; a scope error may be thrown first
  try {
    await throwScopeErrors(ctx, where, pops);
    await boundedWait(ctx, where, 'buffer map', mapped);
    return buffer.getMappedRange().slice(0, bytes);
  } finally {
    buffer.destroy();
  }
}

/** Copies `bytes` of `src` (from `offset`) to the CPU, with a bounded wait. */
export async function readBack(ctx: GpuContext, where: GpuWhere, src: GPUBuffer, bytes: number, offset = 0): Promise<ArrayBuffer> {
  return submitAndRead(ctx, where, () => undefined, src, bytes, offset);
}

/**
 * Bench-only: the former read-back, three round trips (a submission of the copy with its scopes,
 * the queue, then the map). bench:gpu times it against submitAndRead in the same run.
 */
export async function readBackSerial(ctx: GpuContext, where: GpuWhere, src: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
  const size = Math.max(4, Math.ceil(bytes / 4) * 4);
  const staging = ctx.device.createBuffer({ label: `${where.op} readback`, size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    await submitGuarded(ctx, where, (enc) => enc.copyBufferToBuffer(src, 0, staging, 0, size));
    await boundedWait(ctx, where, 'buffer map', staging.mapAsync(GPUMapMode.READ));
    return staging.getMappedRange().slice(0, bytes);
  } finally {
    staging.destroy();
  }
}

/** Destroys buffers (ignoring ones already destroyed). */
export function release(...buffers: GPUBuffer[]): void {
  for (const b of buffers) b.destroy();
}
