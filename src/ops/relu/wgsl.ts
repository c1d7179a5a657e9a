/**
 * relu's WGSL, bit-exact on every backend: `y = (x < 0) ? +0 : x`, keeping −0 and NaN (with its
 * payload) as PyTorch does.
 *
 * Why integer bits and not `max`/`select` on f32 (measured, README Findings): `max(x, 0.0)` turns −0
 * and NaN into +0 on lavapipe Vulkan and OpenGL ES alike; `select(x, 0.0, x < 0.0)` is right on
 * lavapipe Vulkan but Mesa's OpenGL ES path rewrites it into a max and loses −0 and NaN too. On the
 * float32 bit pattern, `x < 0` holds exactly for 0x80000001..0xff800000 (negative, nonzero, not
 * NaN), which no compiler can reinterpret. Four elements per invocation.
 */
import { elementMain, plainBindings } from '../../gpu/entry.ts';
import { uniformRecord } from '../../gpu/record.ts';

export const WG = 256;

/** relu's params: the number of vec4 words. */
export const RELU_PARAMS = uniformRecord('relu params', { count4: 'u32' });

export function reluWgsl(): string {
  return /* wgsl */ `
${plainBindings(RELU_PARAMS, [['x', 'array<vec4u>'], ['y', 'array<vec4u>']])}

${elementMain(WG, 'u.count4')}
  let b = x[gi];
  // Bit patterns of negative, nonzero, non-NaN floats: exactly the x < 0 case.
  let neg = (b > vec4u(0x80000000u)) & (b <= vec4u(0xff800000u));
  y[gi] = select(b, vec4u(0u), neg);
}`;
}
