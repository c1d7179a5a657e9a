/**
 * relu on the GPU (the WGSL and why it works on bits: ./wgsl.ts). Cases are independent
 * elementwise maps, so a batch is the concatenation of all inputs.
 */
import type { OpCase, OpKernel } from '../types.ts';
import { dispatch, invocationGrid, maxPerDim } from '../../gpu/dispatch.ts';
import { gpuOpFrom, input, Packer, type PreparedBatch } from '../../gpu/kernel.ts';
import { bindGroup, getPipeline, release, storageEmpty, storageFrom, uniformFrom } from '../../gpu/runtime.ts';
import type { GpuContext } from '../../gpu/types.ts';
import { reluParams } from './params.ts';
import { RELU_PARAMS, reluWgsl, WG } from './wgsl.ts';

/** Encodes relu of `count` float32 words of `src` (from word 0) into `dst`; both sized to whole vec4s. */
export async function reluEncoder(ctx: GpuContext, src: GPUBuffer, dst: GPUBuffer, count: number): Promise<{ encode(pass: GPUComputePassEncoder): void; destroy(): void }> {
  const pipeline = await getPipeline(ctx, 'relu', reluWgsl, { op: 'relu', caseIndex: null });
  const count4 = Math.ceil(count / 4);
  const uniforms = uniformFrom(ctx, Uint32Array.from(RELU_PARAMS.pack({ count4 })), 'relu params');
  const group = bindGroup(ctx, pipeline, [uniforms, src, dst], 'relu');
  const grid = invocationGrid(count4, WG, maxPerDim(ctx));
  return {
    encode(pass) {
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, group);
      dispatch(pass, grid);
    },
    destroy: () => release(uniforms),
  };
}

export async function prepareRelu(ctx: GpuContext, cases: readonly OpCase[]): Promise<PreparedBatch> {
  const packer = new Packer();
  const slots = cases.map((c) => {
    const x = input(c, 'x');
    reluParams.read(c);
    return { offset: packer.add(x.data), shape: [...x.shape] };
  });
  const data = packer.finish();
  const src = storageFrom(ctx, data, 'relu x');
  const output = storageEmpty(ctx, data.byteLength, 'relu y');
  const enc = await reluEncoder(ctx, src, output, packer.size);
  return {
    encode: enc.encode,
    output,
    slots,
    destroy() {
      enc.destroy();
      release(src, output);
    },
  };
}

export const reluKernel: OpKernel = { run: gpuOpFrom('relu', prepareRelu), prepare: prepareRelu };
