/**
 * adaptiveAvgPool2d in pieces (src/gpu/chunk.ts): a case too big for one buffer runs as chunks of
 * whole planes, or, where one plane is too big, as tiles of output rows × columns, each with the
 * input rows and columns its windows cover and its windows given explicitly (relative to that
 * input). One window (one reduction) is never split.
 */
import { blocks, boxOf, ranges, sliceBox } from '../../gpu/box.ts';
import type { Chunk, PieceSize, SplitLimit } from '../../gpu/chunk.ts';
import { adaptiveWindow } from './reference.ts';
import { POOL_RECORD } from './wgsl.ts';

/** A case, some of its planes, or a tile of one plane's outputs. */
export interface PoolPiece {
  readonly planes: number;
  readonly h: number;
  readonly w: number;
  readonly oh: number;
  readonly ow: number;
  readonly x: Float32Array;
  /** The window [start, end) of each output row and column as flat pairs: the adaptive windows of h → oh and w → ow unless a tile's. */
  readonly rows: readonly number[];
  readonly cols: readonly number[];
  readonly shape: readonly number[];
}

/** The adaptive windows of `inSize` → `outSize` as flat [start, end) pairs. */
export const adaptiveWindows = (inSize: number, outSize: number): number[] => Array.from({ length: outSize }, (_, i) => adaptiveWindow(i, inSize, outSize)).flat();

/** The most elements one window holds (the longest row window × the longest column window). */
export function largestWindow(rows: readonly number[], cols: readonly number[]): number {
  const longest = (p: readonly number[]) => {
    let m = 0;
    for (let i = 0; i < p.length; i += 2) m = Math.max(m, p[i + 1]! - p[i]!);
    return m;
  };
  return longest(rows) * longest(cols);
}

const tableWords = (oh: number, ow: number): number => POOL_RECORD.stride + 2 * (oh + ow);

export const poolSize = (q: Pick<PoolPiece, 'planes' | 'h' | 'w' | 'oh' | 'ow'>): PieceSize => ({
  x: q.planes * q.h * q.w,
  p: 0,
  y: q.planes * q.oh * q.ow,
  table: tableWords(q.oh, q.ow),
});

/** The input range [start, end) that windows a..b−1 cover. */
const span = (w: readonly number[], a: number, b: number): [number, number] => [w[2 * a]!, w[2 * (b - 1) + 1]!];
const shifted = (w: readonly number[], a: number, b: number, by: number): number[] => w.slice(2 * a, 2 * b).map((v) => v - by);

export function splitPool(q: PoolPiece, limit: SplitLimit): Chunk<PoolPiece>[] {
  const { planes, h, w, oh, ow, rows, cols } = q;
  const words = limit.words;
  if (h * w <= words && oh * ow <= words && tableWords(oh, ow) <= words) {
    const per = Math.min(planes, Math.floor(words / Math.max(1, h * w)), Math.floor(words / (oh * ow)));
    return ranges(planes, per).map(([p0, p1]) => {
      const inBox = boxOf([planes, h * w], { 0: [p0, p1] });
      const piece = { planes: p1 - p0, h, w, oh, ow, rows, cols };
      return { size: poolSize(piece), make: () => ({ ...piece, x: sliceBox(q.x, inBox), shape: [p1 - p0, oh, ow] }), out: boxOf([planes, oh * ow], { 0: [p0, p1] }) };
    });
  }
  // Tiles of one plane: column blocks that fit the tallest row window, then row blocks per column block.
  let tallest = 0;
  for (let i = 0; i < oh; i++) tallest = Math.max(tallest, rows[2 * i + 1]! - rows[2 * i]!);
  const width = (a: number, b: number) => span(cols, a, b)[1] - span(cols, a, b)[0];
  const colBlocks = blocks(ow, (a, b) => tallest * width(a, b) <= words && b - a <= words && tableWords(1, b - a) <= words);
  if (colBlocks === null) limit.tooBig(`one window of up to ${largestWindow(rows, cols)} elements (one reduction)`, largestWindow(rows, cols));
  const tiles = colBlocks.flatMap(([j0, j1]) => {
    const rowBlocks = blocks(oh, (a, b) => (span(rows, a, b)[1] - span(rows, a, b)[0]) * width(j0, j1) <= words && (b - a) * (j1 - j0) <= words && tableWords(b - a, j1 - j0) <= words);
    // One row always fits: its window is at most `tallest` rows, which the column block allowed for.
    if (rowBlocks === null) throw new Error(`adaptiveAvgPool2d: no row of output columns [${j0}, ${j1}) fits ${words} words`);
    return rowBlocks.map(([i0, i1]) => ({ i0, i1, j0, j1 }));
  });
  return Array.from({ length: planes }, (_, plane) => plane).flatMap((plane) =>
    tiles.map(({ i0, i1, j0, j1 }): Chunk<PoolPiece> => {
      const [r0, r1] = span(rows, i0, i1);
      const [c0, c1] = span(cols, j0, j1);
      const inBox = boxOf([planes, h, w], { 0: [plane, plane + 1], 1: [r0, r1], 2: [c0, c1] });
      const piece = { planes: 1, h: r1 - r0, w: c1 - c0, oh: i1 - i0, ow: j1 - j0 };
      return {
        size: poolSize(piece),
        make: () => ({ ...piece, x: sliceBox(q.x, inBox), rows: shifted(rows, i0, i1, r0), cols: shifted(cols, j0, j1, c0), shape: [1, i1 - i0, j1 - j0] }),
        out: boxOf([planes, oh, ow], { 0: [plane, plane + 1], 1: [i0, i1], 2: [j0, j1] }),
      };
    }),
  );
}
