/**
 * depthwiseConv2d in pieces (src/gpu/chunk.ts): a case too big for one buffer runs as chunks of
 * samples × input channels (each with its output channels), or, where one channel's planes are
 * too big, as tiles of one output plane's rows × columns, each with the input rows and columns it
 * reads and its padding moved accordingly. Padded taps stay skipped, never added as 0·w: a tile's
 * input starts at the first row (column) its outputs read, and its padding is what remains before
 * that; rows (columns) past the tile's input are outside the case's input too.
 */
import { blocks, boxOf, ranges, sliceBox } from '../../gpu/box.ts';
import type { Chunk, PieceSize, SplitLimit } from '../../gpu/chunk.ts';
import type { DepthwiseGeometry } from './reference.ts';
import { DEPTHWISE_RECORD } from './wgsl.ts';

/** A case or a chunk of one: its geometry and inputs (weights and bias those of its output channels). */
export interface DwPiece {
  readonly g: DepthwiseGeometry;
  readonly x: Float32Array;
  readonly weight: Float32Array;
  readonly bias: Float32Array | null;
  readonly shape: readonly number[];
}

export const dwSize = (g: DepthwiseGeometry, hasBias: boolean): PieceSize => ({
  x: g.n * g.c * g.h * g.w,
  p: g.cout * (g.kh * g.kw + (hasBias ? 1 : 0)),
  y: g.n * g.cout * g.oh * g.ow,
  table: DEPTHWISE_RECORD.stride,
});

/** One spatial axis: input size, kernel size, stride, padding, dilation. */
interface Axis {
  readonly size: number;
  readonly k: number;
  readonly s: number;
  readonly p: number;
  readonly d: number;
}

/** The input range [r0, r1) that outputs [o0, o1) read on `a`, and the padding left before r0. */
function inputRange(a: Axis, o0: number, o1: number): { r0: number; r1: number; pad: number } {
  const r0 = Math.max(0, o0 * a.s - a.p);
  const r1 = Math.max(r0, Math.min(a.size, (o1 - 1) * a.s - a.p + (a.k - 1) * a.d + 1));
  return { r0, r1, pad: a.p + r0 - o0 * a.s };
}
const spanOf = (a: Axis, o0: number, o1: number): number => {
  const r = inputRange(a, o0, o1);
  return r.r1 - r.r0;
};

export function splitDepthwise(q: DwPiece, limit: SplitLimit): Chunk<DwPiece>[] {
  const { g } = q;
  const words = limit.words;
  const taps = g.kh * g.kw;
  const hasBias = q.bias !== null;
  const perOut = taps + (hasBias ? 1 : 0);
  if (perOut > words) limit.tooBig(`one output channel's ${taps} weights${hasBias ? ' and bias' : ''}`, perOut);
  const m = g.multiplier;
  const xc = g.h * g.w;
  const yc = m * g.oh * g.ow;
  if (xc <= words && yc <= words && m * perOut <= words) return byChannels(q, words, xc, yc, perOut);
  return byTiles(q, limit);
}

/** Samples × input channels, whole planes. */
function byChannels(q: DwPiece, words: number, xc: number, yc: number, perOut: number): Chunk<DwPiece>[] {
  const { g } = q;
  const m = g.multiplier;
  const taps = g.kh * g.kw;
  const perC = Math.min(g.c, Math.floor(words / Math.max(1, xc)), Math.floor(words / Math.max(1, yc)), Math.floor(words / (m * perOut)));
  const perN = Math.min(g.n, Math.floor(words / Math.max(1, perC * xc)), Math.floor(words / Math.max(1, perC * yc)));
  return ranges(g.n, perN).flatMap(([n0, n1]) =>
    ranges(g.c, perC).map(([c0, c1]): Chunk<DwPiece> => {
      const sub: DepthwiseGeometry = { ...g, n: n1 - n0, c: c1 - c0, cout: (c1 - c0) * m };
      const inBox = boxOf([g.n, g.c, xc], { 0: [n0, n1], 1: [c0, c1] });
      return {
        size: dwSize(sub, q.bias !== null),
        make: () => ({
          g: sub,
          x: sliceBox(q.x, inBox),
          weight: q.weight.subarray(c0 * m * taps, c1 * m * taps),
          bias: q.bias?.subarray(c0 * m, c1 * m) ?? null,
          shape: [sub.n, sub.cout, g.oh, g.ow],
        }),
        out: boxOf([g.n, g.cout, g.oh * g.ow], { 0: [n0, n1], 1: [c0 * m, c1 * m] }),
      };
    }),
  );
}

/** One sample and output channel at a time, tiles of its output plane. */
function byTiles(q: DwPiece, limit: SplitLimit): Chunk<DwPiece>[] {
  const { g } = q;
  const words = limit.words;
  const taps = g.kh * g.kw;
  const rowsAxis: Axis = { size: g.h, k: g.kh, s: g.stride[0], p: g.padding[0], d: g.dilation[0] };
  const colsAxis: Axis = { size: g.w, k: g.kw, s: g.stride[1], p: g.padding[1], d: g.dilation[1] };
  // Column blocks that fit the most input rows one output row reads; then row blocks per column block.
  const tallest = Math.min(g.h, (g.kh - 1) * g.dilation[0] + 1);
  const colBlocks = blocks(g.ow, (a, b) => tallest * spanOf(colsAxis, a, b) <= words && b - a <= words);
  if (colBlocks === null) {
    const field = tallest * Math.min(g.w, (g.kw - 1) * g.dilation[1] + 1);
    limit.tooBig(`one output's receptive field of ${field} input elements`, field);
  }
  const tiles = colBlocks.flatMap(([j0, j1]) => {
    const width = spanOf(colsAxis, j0, j1);
    const rowBlocks = blocks(g.oh, (a, b) => spanOf(rowsAxis, a, b) * width <= words && (b - a) * (j1 - j0) <= words);
    // One row always fits: its input rows are at most `tallest`, which the column block allowed for.
    if (rowBlocks === null) throw new Error(`depthwiseConv2d: no row of output columns [${j0}, ${j1}) fits ${words} words`);
    return rowBlocks.map(([i0, i1]) => ({ rows: inputRange(rowsAxis, i0, i1), cols: inputRange(colsAxis, j0, j1), i0, i1, j0, j1 }));
  });
  const out: Chunk<DwPiece>[] = [];
  for (let n = 0; n < g.n; n++) {
    for (let oc = 0; oc < g.cout; oc++) {
      const ic = Math.floor(oc / g.multiplier);
      for (const t of tiles) {
        const sub: DepthwiseGeometry = {
          ...g, n: 1, c: 1, cout: 1, multiplier: 1,
          h: t.rows.r1 - t.rows.r0, w: t.cols.r1 - t.cols.r0, padding: [t.rows.pad, t.cols.pad], oh: t.i1 - t.i0, ow: t.j1 - t.j0,
        };
        const inBox = boxOf([g.n, g.c, g.h, g.w], { 0: [n, n + 1], 1: [ic, ic + 1], 2: [t.rows.r0, t.rows.r1], 3: [t.cols.r0, t.cols.r1] });
        out.push({
          size: dwSize(sub, q.bias !== null),
          make: () => ({
            g: sub,
            x: sliceBox(q.x, inBox),
            weight: q.weight.subarray(oc * taps, (oc + 1) * taps),
            bias: q.bias?.subarray(oc, oc + 1) ?? null,
            shape: [1, 1, sub.oh, sub.ow],
          }),
          out: boxOf([g.n, g.cout, g.oh, g.ow], { 0: [n, n + 1], 1: [oc, oc + 1], 2: [t.i0, t.i1], 3: [t.j0, t.j1] }),
        });
      }
    }
  }
  return out;
}
