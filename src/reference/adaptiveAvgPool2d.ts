/** Adaptive average pooling, PyTorch `adaptive_avg_pool2d(x [N,C,H,W], outputSize)`, float32. */
import type { OpOptions, Tensor } from './tensor.ts';
import { treeSum } from './treeSum.ts';
import { checkTensor, intPair, positiveInt, profileOf } from './validate.ts';

/** PyTorch's window along one axis for output index i: [⌊i·in/out⌋, ⌈(i+1)·in/out⌉). Windows may overlap; out > in is allowed. */
export function adaptiveWindow(i: number, inSize: number, outSize: number): [number, number] {
  return [Math.floor((i * inSize) / outSize), Math.ceil(((i + 1) * inSize) / outSize)];
}

/** Validates the arguments of adaptiveAvgPool2d; returns [N, C, H, W, OH, OW]. */
export function adaptiveAvgPool2dGeometry(x: unknown, outputSize: unknown): [number, number, number, number, number, number] {
  const xt = checkTensor(x, 'x', 4);
  const [oh, ow] = intPair(outputSize, 'outputSize', positiveInt);
  const [n, c, h, w] = xt.shape as [number, number, number, number];
  return [n, c, h, w, oh, ow];
}

/**
 * Adaptive average pooling. Window rows [⌊i·H/OH⌋, ⌈(i+1)·H/OH⌉), columns likewise.
 *
 * Evaluation order (the contract, docs/evaluation-order.md), per output element:
 *   the window's elements in row-major order are v[0..n); s = treeSum(v, 256 lanes);
 *   y = s ⊘ n   (n as float32)
 * No multiply-adds, so both profiles give the same result.
 */
export function adaptiveAvgPool2d(x: Tensor, outputSize: number | [number, number], options?: OpOptions): Tensor {
  const [n, c, h, w, OH, OW] = adaptiveAvgPool2dGeometry(x, outputSize);
  profileOf(options);
  const xd = x.data;
  const out = new Float32Array(n * c * OH * OW);
  const rows = Array.from({ length: OH }, (_, i) => adaptiveWindow(i, h, OH));
  const cols = Array.from({ length: OW }, (_, j) => adaptiveWindow(j, w, OW));
  let maxWindow = 0;
  for (const [r0, r1] of rows) for (const [c0, c1] of cols) maxWindow = Math.max(maxWindow, (r1 - r0) * (c1 - c0));
  const window = new Float32Array(maxWindow);
  let o = 0;
  for (let plane = 0; plane < n * c; plane++) {
    const base = plane * h * w;
    for (const [r0, r1] of rows) {
      for (const [c0, c1] of cols) {
        const count = (r1 - r0) * (c1 - c0);
        let s: number;
        if (c0 === 0 && c1 === w) {
          s = treeSum(xd, base + r0 * w, count); // full-width rows are contiguous
        } else {
          let k = 0;
          for (let r = r0; r < r1; r++) {
            const rowBase = base + r * w;
            for (let col = c0; col < c1; col++) window[k++] = xd[rowBase + col]!;
          }
          s = treeSum(window, 0, count);
        }
        out[o++] = s / Math.fround(count);
      }
    }
  }
  return { shape: [n, c, OH, OW], data: out };
}
