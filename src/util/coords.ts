/** Turning flat row-major indices into readable tensor coordinates. */

const NCHW = ['n', 'c', 'h', 'w'];

/** Multi-index of flat `index` in a row-major tensor of `shape`. */
export function unravel(shape: readonly number[], index: number): number[] {
  const out = new Array<number>(shape.length).fill(0);
  let rest = index;
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d]!;
    out[d] = rest % size;
    rest = Math.floor(rest / size);
  }
  return out;
}

/** "[n=0 c=2 h=1 w=3]" for 4-D (NCHW) tensors, "[0, 5]" otherwise. */
export function formatCoords(shape: readonly number[], index: number): string {
  const idx = unravel(shape, index);
  if (shape.length === 4) return `[${idx.map((v, d) => `${NCHW[d]}=${v}`).join(' ')}]`;
  return `[${idx.join(', ')}]`;
}
