/**
 * Boxes in row-major tensors: how a chunk's inputs are cut out of a case's tensors and how its
 * output is put back (src/gpu/chunk.ts). A box views the tensor with `dims` (any factorisation of
 * its shape, e.g. [N, C, H·W]) and takes `extent[i]` indices from `start[i]` on each axis.
 */

export interface Box {
  readonly dims: readonly number[];
  readonly start: readonly number[];
  readonly extent: readonly number[];
}

/** The box of `dims` taking `[start, end)` on each axis listed in `ranges` and all of every other axis. */
export function boxOf(dims: readonly number[], ranges: Readonly<Record<number, readonly [start: number, end: number]>>): Box {
  const start = dims.map((_, i) => ranges[i]?.[0] ?? 0);
  const extent = dims.map((d, i) => {
    const r = ranges[i];
    return r === undefined ? d : r[1] - r[0];
  });
  dims.forEach((d, i) => {
    if (start[i]! < 0 || extent[i]! < 0 || start[i]! + extent[i]! > d) throw new RangeError(`box axis ${i}: [${start[i]}, ${start[i]! + extent[i]!}) outside [0, ${d})`);
  });
  return { dims, start, extent };
}

const boxElements = (b: Box): number => b.extent.reduce((a, e) => a * e, 1);

/**
 * The box's elements as contiguous runs: `visit(offset in the tensor, offset in the box's own
 * row-major order, length)`. Trailing axes the box takes whole merge into one run.
 */
function eachRun(b: Box, visit: (at: number, from: number, len: number) => void): void {
  const d = b.dims.length;
  if (d === 0 || boxElements(b) === 0) return;
  const stride: number[] = new Array<number>(d);
  let s = 1;
  for (let i = d - 1; i >= 0; i--) {
    stride[i] = s;
    s *= b.dims[i]!;
  }
  // k: the outermost axis such that every axis after it is taken whole.
  let k = d - 1;
  while (k > 0 && b.start[k] === 0 && b.extent[k] === b.dims[k]) k--;
  const len = b.extent[k]! * stride[k]!;
  const idx = b.start.slice(0, k);
  let from = 0;
  for (;;) {
    let at = b.start[k]! * stride[k]!;
    for (let i = 0; i < k; i++) at += idx[i]! * stride[i]!;
    visit(at, from, len);
    from += len;
    let i = k - 1;
    while (i >= 0) {
      idx[i]!++;
      if (idx[i]! < b.start[i]! + b.extent[i]!) break;
      idx[i] = b.start[i]!;
      i--;
    }
    if (i < 0) return;
  }
}

const isWhole = (b: Box): boolean => b.dims.every((d, i) => b.start[i] === 0 && b.extent[i] === d);

/**
 * The box's elements of `data`, contiguous in row-major order: a view of `data` when they are one
 * run (the whole tensor, a range of rows), else a copy.
 */
export function sliceBox(data: Float32Array, b: Box): Float32Array {
  if (isWhole(b)) return data;
  let runs = 0;
  let first = 0;
  eachRun(b, (at) => {
    if (runs++ === 0) first = at;
  });
  if (runs === 1) return data.subarray(first, first + boxElements(b));
  const out = new Float32Array(boxElements(b));
  eachRun(b, (at, from, len) => out.set(data.subarray(at, at + len), from));
  return out;
}

/** Writes `src` (the box's elements, contiguous in row-major order) into `dst` at the box. */
export function placeBox(dst: Float32Array, b: Box, src: Float32Array): void {
  if (src.length !== boxElements(b)) throw new RangeError(`placeBox: ${src.length} elements for a box of ${boxElements(b)}`);
  eachRun(b, (at, from, len) => dst.set(src.subarray(from, from + len), at));
}

/** [start, end) ranges of at most `per` covering [0, total). */
export function ranges(total: number, per: number): Array<[number, number]> {
  if (!(per >= 1)) throw new RangeError(`ranges: ${per} per range`);
  const out: Array<[number, number]> = [];
  for (let s = 0; s < total; s += per) out.push([s, Math.min(total, s + per)]);
  return out;
}

/** Maximal consecutive blocks [a, b) of [0, count) with ok(a, b) (ok(a, b) implies ok(a, b − 1)); null if one item fails. */
export function blocks(count: number, ok: (a: number, b: number) => boolean): Array<[number, number]> | null {
  const out: Array<[number, number]> = [];
  for (let a = 0; a < count; ) {
    if (!ok(a, a + 1)) return null;
    let b = a + 1;
    while (b < count && ok(a, b + 1)) b++;
    out.push([a, b]);
    a = b;
  }
  return out;
}
