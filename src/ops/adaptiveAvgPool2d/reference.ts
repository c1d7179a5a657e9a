/** Adaptive average pooling, PyTorch `adaptive_avg_pool2d(x (N, C, H, W) or (C, H, W), outputSize)`, float32. */
import type { OpOptions, Tensor } from '../../reference/tensor.ts';
import { treeSum, treeSumWindow } from '../../reference/treeSum.ts';
import { checkOutputElements, checkTensor, intPair, positiveInt, profileOf } from '../../reference/validate.ts';
import { adaptiveAvgPool2dForm } from './canonical.ts';
import type { OutputSize } from './params.ts';

/** PyTorch's window along one axis for output index i: [⌊i·in/out⌋, ⌈(i+1)·in/out⌉). Windows may overlap; out > in is allowed. */
export function adaptiveWindow(i: number, inSize: number, outSize: number): [number, number] {
  return [Math.floor((i * inSize) / outSize), Math.ceil(((i + 1) * inSize) / outSize)];
}

/** Validates the arguments of adaptiveAvgPool2d in the canonical form (x (N, C, H, W), outputSize a number or a pair); returns [N, C, H, W, OH, OW]. */
export function adaptiveAvgPool2dGeometry(x: unknown, outputSize: unknown): [number, number, number, number, number, number] {
  const xt = checkTensor(x, 'x', 4);
  const [oh, ow] = intPair(outputSize, 'outputSize', positiveInt);
  const [n, c, h, w] = xt.shape as [number, number, number, number];
  checkOutputElements([n, c, oh, ow], 'outputSize', outputSize);
  return [n, c, h, w, oh, ow];
}

/**
 * Adaptive average pooling in every form PyTorch's `adaptive_avg_pool2d` accepts:
 *   x (N, C, H, W) or unbatched (C, H, W);
 *   outputSize a number (square) or a pair [h, w] whose entries are numbers or null (null keeps that input size);
 *   output (N, C, h, w), or (C, h, w) for an unbatched x.
 * Evaluated as the canonical form (./canonical.ts: x (N, C, H, W), the same data; outputSize a
 * pair) by adaptiveAvgPool2dCore, in its order.
 */
export function adaptiveAvgPool2d(x: Tensor, outputSize: OutputSize, options?: OpOptions): Tensor {
  const f = adaptiveAvgPool2dForm(x, outputSize);
  return { shape: f.outputShape, data: adaptiveAvgPool2dCore(f.x, f.outputSize, options).data };
}

/**
 * Adaptive average pooling on the canonical form. Window rows [⌊i·H/OH⌋, ⌈(i+1)·H/OH⌉), columns likewise.
 *
 * Evaluation order (the contract, docs/evaluation-order.md), per output element:
 *   the window's elements in row-major order are v[0..n); s = treeSum(v, 256 lanes);
 *   y = s ⊘ n   (n as float32)
 * No multiply-adds, so both profiles give the same result.
 */
export function adaptiveAvgPool2dCore(x: Tensor, outputSize: number | [number, number], options?: OpOptions): Tensor {
  const [n, c, h, w, OH, OW] = adaptiveAvgPool2dGeometry(x, outputSize);
  profileOf(options);
  const xd = x.data;
  const out = new Float32Array(n * c * OH * OW);
  const r0 = new Int32Array(OH);
  const r1 = new Int32Array(OH);
  const c0 = new Int32Array(OW);
  const c1 = new Int32Array(OW);
  for (let i = 0; i < OH; i++) [r0[i], r1[i]] = adaptiveWindow(i, h, OH);
  for (let j = 0; j < OW; j++) [c0[j], c1[j]] = adaptiveWindow(j, w, OW);
  let o = 0;
  for (let plane = 0; plane < n * c; plane++) {
    const base = plane * h * w;
    for (let i = 0; i < OH; i++) {
      const rows = r1[i]! - r0[i]!;
      for (let j = 0; j < OW; j++) {
        const cols = c1[j]! - c0[j]!;
        const start = base + r0[i]! * w + c0[j]!;
        // Full-width windows are contiguous; either way the elements are summed in row-major order.
        const s = cols === w ? treeSum(xd, start, rows * cols) : treeSumWindow(xd, start, w, rows, cols);
        out[o++] = s / Math.fround(rows * cols);
      }
    }
  }
  return { shape: [n, c, OH, OW], data: out };
}
