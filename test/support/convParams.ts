/**
 * conv2d's params as PyTorch documents them, written out for the test oracles independently of
 * src/: stride and dilation a number, [n] or [h, w]; padding those, 'valid' (none) or 'same'
 * (stride 1; d·(k − 1) per axis, half rounded down before the input, the rest after).
 */
export interface ConvParams {
  readonly stride: [number, number];
  /** Padding before the input (top, left). */
  readonly padding: [number, number];
  /** Padding after the input (bottom, right). */
  readonly paddingEnd: [number, number];
  readonly dilation: [number, number];
}

const pair = (v: unknown, d: number): [number, number] => {
  if (Array.isArray(v)) return v.length === 1 ? [v[0] as number, v[0] as number] : [v[0] as number, v[1] as number];
  return typeof v === 'number' ? [v, v] : [d, d];
};

/** The params of a case on a kernel of kh × kw. */
export function convParams(p: { readonly [key: string]: unknown }, kh: number, kw: number): ConvParams {
  const stride = pair(p['stride'], 1);
  const dilation = pair(p['dilation'], 1);
  if (p['padding'] === 'same') {
    const total: [number, number] = [dilation[0] * (kh - 1), dilation[1] * (kw - 1)];
    const before: [number, number] = [Math.floor(total[0] / 2), Math.floor(total[1] / 2)];
    return { stride, dilation, padding: before, paddingEnd: [total[0] - before[0], total[1] - before[1]] };
  }
  const padding = p['padding'] === 'valid' ? ([0, 0] as [number, number]) : pair(p['padding'], 0);
  return { stride, dilation, padding, paddingEnd: padding };
}

/** Output extent along one axis. */
export const convOut = (size: number, k: number, s: number, before: number, after: number, d: number): number => Math.floor((size + before + after - d * (k - 1) - 1) / s) + 1;

/** x's shape as (N, C, H, W): an unbatched (C, H, W) as N = 1. */
export const batched = (shape: readonly number[]): [number, number, number, number] => (shape.length === 3 ? [1, ...shape] : shape) as [number, number, number, number];
