/**
 * relu on the GPU, bit-exact on every backend: `y = (x < 0) ? +0 : x`, keeping −0 and NaN (with its
 * payload) as PyTorch does.
 *
 * Why integer bits and not `max`/`select` on f32 (measured, README Findings): `max(x, 0.0)` turns −0
 * and NaN into +0 on lavapipe Vulkan and OpenGL ES alike; `select(x, 0.0, x < 0.0)` is right on
 * lavapipe Vulkan but Mesa's OpenGL ES path rewrites it into a max and loses −0 and NaN too. On the
 * float32 bit pattern, `x < 0` holds exactly for 0x80000001..0xff800000 (negative, nonzero, not
 * NaN), which no compiler can reinterpret. Cases are independent elementwise maps, so a batch is the
 * concatenation of all inputs, processed four elements per invocation.
 */
import type { OpCase } from '../ops/types.ts';
import { GRID_BUILTINS, dispatch, invocationGrid, linearInvocation, maxPerDim } from './dispatch.ts';
import { gpuOpFrom, input, Packer, type PreparedBatch } from './kernel.ts';
import { bindGroup, getPipeline, release, storageEmpty, storageFrom, uniformFrom } from './runtime.ts';
import type { GpuContext } from './types.ts';

const WG = 256;

export function reluWgsl(): string {
  return /* wgsl */ `
struct Params { count4: u32 }
@group(0) @binding(0) var<uniform> u: Params;
@group(0) @binding(1) var<storage, read> x: array<vec4u>;
@group(0) @binding(2) var<storage, read_write> y: array<vec4u>;

@compute @workgroup_size(${WG})
fn main(${GRID_BUILTINS}) {
  ${linearInvocation(WG)}
  if (gi >= u.count4) { return; }
  let b = x[gi];
  // Bit patterns of negative, nonzero, non-NaN floats: exactly the x < 0 case.
  let neg = (b > vec4u(0x80000000u)) & (b <= vec4u(0xff800000u));
  y[gi] = select(b, vec4u(0u), neg);
}`;
}

/** Encodes relu of `count` float32 words of `src` (from word 0) into `dst`; both sized to whole vec4s. */
export async function reluEncoder(ctx: GpuContext, src: GPUBuffer, dst: GPUBuffer, count: number): Promise<{ encode(pass: GPUComputePassEncoder): void; destroy(): void }> {
  const pipeline = await getPipeline(ctx, 'relu', reluWgsl, { op: 'relu', caseIndex: null });
  const count4 = Math.ceil(count / 4);
  const uniforms = uniformFrom(ctx, new Uint32Array([count4, 0, 0, 0]), 'relu params');
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

export const relu = gpuOpFrom('relu', prepareRelu);
