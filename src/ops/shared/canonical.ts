/**
 * Pieces of the ops' canonicalisations (src/ops/<op>/canonical.ts): reshaped views of a tensor
 * (the same data, so the same elements in the same order) and PyTorch's unbatched inputs.
 */
import { InputRangeError } from '../../errors.ts';
import type { Tensor } from '../../reference/tensor.ts';
import { checkTensor } from '../../reference/validate.ts';

/** `t`'s data under another shape of the same element count (no copy). */
export const view = (t: Tensor, shape: readonly number[]): Tensor => ({ shape: [...shape], data: t.data });

/** The rank of a value that should be a tensor (its shape's length; `fallback` when it has none, so checkTensor names the problem). */
export function rankOf(t: unknown, fallback: number): number {
  const shape = (t as Partial<Tensor> | null | undefined)?.shape;
  return Array.isArray(shape) ? shape.length : fallback;
}

/**
 * An image input as PyTorch's 2-D ops take it: batched (N, C, H, W) or unbatched (C, H, W). Returns
 * the checked tensor as (N, C, H, W) (an unbatched one as a view with N = 1) and whether it was
 * unbatched (its output then drops N again).
 */
export function batchedImage(x: unknown, param = 'x'): { x: Tensor; unbatched: boolean } {
  const rank = rankOf(x, 4);
  if (rank !== 3 && rank !== 4) throw new InputRangeError(`${param}.shape`, 'rank 4 (N, C, H, W) or rank 3 (C, H, W, unbatched)', (x as Tensor).shape);
  const t = checkTensor(x, param, rank);
  return rank === 4 ? { x: t, unbatched: false } : { x: view(t, [1, ...t.shape]), unbatched: true };
}

/** The output shape of a 2-D op on an image input: [N, C, H, W], or [C, H, W] for an unbatched input. */
export const imageOutputShape = (shape: readonly number[], unbatched: boolean): number[] => (unbatched ? shape.slice(1) : [...shape]);
