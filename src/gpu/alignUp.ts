/**
 * `BufferBlock::alignUp` on a 32-bit `size_t` as a WGSL kernel (u32 arithmetic wraps modulo 2^32
 * exactly as C++ unsigned arithmetic does), for the variants of src/mps/alignUp.ts. The
 * assert / overflow-check failures are returned as status values, not raised: the GPU cannot abort.
 * Per input: status (0 ok, 1 assert failed, 2 overflow check failed), value (0 unless ok),
 * (Alignment − 1) & Alignment, and Size + Alignment − 1 (wrapped).
 */
import { ALIGN_VARIANTS, type AlignVariant } from '../mps/alignUp.ts';
import { InputRangeError } from '../errors.ts';
import { elementMain, plainBindings } from './entry.ts';
import { runPlainKernel } from './plainKernel.ts';
import { uniformRecord } from './record.ts';
import type { GpuContext } from './types.ts';

export const ALIGN_STATUS = { ok: 0, assert: 1, overflow: 2 } as const;

const WG = 256;

const ALIGN_PARAMS = uniformRecord('alignUp params', { count: 'u32' });

export function alignUpWgsl(variant: AlignVariant): string {
  const assertActive = variant !== 'upstream';
  const overflowCheck = variant === 'seed';
  return /* wgsl */ `
${plainBindings(ALIGN_PARAMS, [['sizes', 'array<u32>'], ['alignments', 'array<u32>'], ['out', 'array<u32>']])}

${elementMain(WG, 'u.count')}
  let size = sizes[gi];
  let alignment = alignments[gi];
  let alignmentMinus1 = alignment - 1u;
  let assertOperand = alignmentMinus1 & alignment;
  let sum = size + alignment - 1u;
  var status = ${ALIGN_STATUS.ok}u;
  var value = 0u;
  if (${assertActive} && assertOperand != 0u) {
    status = ${ALIGN_STATUS.assert}u;
  } else if (${overflowCheck} && !(size <= 0xffffffffu - alignment + 1u)) {
    status = ${ALIGN_STATUS.overflow}u;
  } else {
    value = sum & ~alignmentMinus1;
  }
  out[gi * 4u] = status;
  out[gi * 4u + 1u] = value;
  out[gi * 4u + 2u] = assertOperand;
  out[gi * 4u + 3u] = sum;
}`;
}

export interface AlignUpGpuResult {
  readonly status: Uint32Array;
  readonly value: Uint32Array;
  readonly assertOperand: Uint32Array;
  readonly sum: Uint32Array;
}

export async function runAlignUp32(ctx: GpuContext, variant: AlignVariant, sizes: Uint32Array, alignments: Uint32Array): Promise<AlignUpGpuResult> {
  if (!ALIGN_VARIANTS.includes(variant)) throw new InputRangeError('variant', `one of ${ALIGN_VARIANTS.join(', ')}`, variant);
  if (sizes.length !== alignments.length) throw new InputRangeError('alignments.length', `${sizes.length} (one alignment per size)`, alignments.length);
  const where = { op: `alignUp/${variant}`, caseIndex: null };
  const n = sizes.length;
  const kernel = {
    where, key: `alignUp/${variant}`, wgsl: () => alignUpWgsl(variant), params: Uint32Array.from(ALIGN_PARAMS.pack({ count: n })),
    buffers: [sizes, alignments, n * 16], invocations: n, workgroupSize: WG,
  };
  const [out] = await runPlainKernel(ctx, kernel, [[2, n * 16]]);
  const all = new Uint32Array(out!);
  const field = (f: number) => Uint32Array.from({ length: n }, (_, i) => all[i * 4 + f] ?? 0);
  return { status: field(0), value: field(1), assertOperand: field(2), sum: field(3) };
}
