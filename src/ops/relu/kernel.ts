/**
 * relu on the GPU (the WGSL and why it works on bits: ./wgsl.ts). Cases are independent
 * elementwise maps, so a batch is the concatenation of all inputs, and a case too big for one
 * buffer runs as consecutive runs of its elements.
 */
import type { OpCase, OpKernel } from '../types.ts';
import { boxOf, ranges, sliceBox } from '../../gpu/box.ts';
import { type Chunk, chunkedKernel, type PieceSize } from '../../gpu/chunk.ts';
import { dispatch, invocationGrid, maxPerDim } from '../../gpu/dispatch.ts';
import { input, Packer, type PreparedBatch } from '../../gpu/kernel.ts';
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

/** A run of elements of one case (its shape, the case's shape when whole). */
interface ReluPiece {
  readonly x: Float32Array;
  readonly shape: readonly number[];
}

const size = (n: number): PieceSize => ({ x: n, p: 0, y: n, table: 0 });

async function packRelu(ctx: GpuContext, pieces: readonly ReluPiece[]): Promise<PreparedBatch> {
  const packer = new Packer();
  const slots = pieces.map((q) => ({ offset: packer.add(q.x), shape: [...q.shape] }));
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

function whole(c: OpCase): { piece: ReluPiece; size: PieceSize; shape: number[] } {
  const x = input(c, 'x');
  reluParams.read(c);
  return { piece: { x: x.data, shape: x.shape }, size: size(x.data.length), shape: [...x.shape] };
}

function split(q: ReluPiece, limit: { readonly words: number }): Chunk<ReluPiece>[] {
  const n = q.x.length;
  return ranges(n, limit.words).map(([s, e]) => {
    const out = boxOf([n], { 0: [s, e] });
    return { size: size(e - s), make: () => ({ x: sliceBox(q.x, out), shape: [e - s] }), out };
  });
}

export const reluKernel: OpKernel = chunkedKernel({ name: 'relu', whole, split, pack: packRelu });
