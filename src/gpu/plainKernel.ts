/**
 * Running a kernel without a work table (bindings from ./entry.ts plainBindings): upload, one pass,
 * read back, release. For the small kernels that check the GPU itself (the probe) or model one
 * mechanism on it.
 */
import { dispatch, invocationGrid, maxPerDim } from './dispatch.ts';
import type { GpuWhere } from './errors.ts';
import { bindGroup, getPipeline, readBack, release, storageEmpty, storageFrom, submitAndRead, submitGuarded, uniformFrom } from './runtime.ts';
import type { GpuContext } from './types.ts';

export interface PlainKernel {
  readonly where: GpuWhere;
  /** Pipeline cache key. */
  readonly key: string;
  readonly wgsl: () => string;
  /** The uniform words (binding 0). */
  readonly params: Uint32Array;
  /** Storage buffers (bindings 1, 2, …): data to upload, or a size in bytes for an empty one. */
  readonly buffers: readonly (ArrayBufferView | number)[];
  /** One invocation per element, `workgroupSize` per workgroup. */
  readonly invocations: number;
  readonly workgroupSize: number;
}

/** Runs `k` once and returns `bytes` bytes of each buffer named in `read` (by binding index − 1), in that order. */
export async function runPlainKernel(ctx: GpuContext, k: PlainKernel, read: readonly (readonly [buffer: number, bytes: number])[]): Promise<ArrayBuffer[]> {
  const pipeline = await getPipeline(ctx, k.key, k.wgsl, k.where);
  const label = k.where.op;
  const storage = k.buffers.map((b, i) => (typeof b === 'number' ? storageEmpty(ctx, b, `${label} buffer ${i}`) : storageFrom(ctx, b, `${label} buffer ${i}`)));
  const bufs = [uniformFrom(ctx, k.params, `${label} params`), ...storage];
  try {
    const group = bindGroup(ctx, pipeline, bufs, label);
    const encode = (enc: GPUCommandEncoder): void => {
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, group);
      dispatch(pass, invocationGrid(k.invocations, k.workgroupSize, maxPerDim(ctx)));
      pass.end();
    };
    const [first, ...rest] = read;
    if (first === undefined) {
      await submitGuarded(ctx, k.where, encode);
      return [];
    }
    // The pass and the first read-back in one submission and one wait (submitAndRead); further
    // read-backs are queued after it.
    const out = [await submitAndRead(ctx, k.where, encode, storage[first[0]]!, first[1])];
    for (const [i, bytes] of rest) out.push(await readBack(ctx, k.where, storage[i]!, bytes));
    return out;
  } finally {
    release(...bufs);
  }
}
