/**
 * pointwiseConv2d on the GPU: per sample a GEMM Y[co, p] = Σ_ci W[co, ci] · X[ci, p] + bias[co],
 * each output accumulated `acc + x·w` over ci = 0..Cin-1 in order (docs/evaluation-order.md),
 * through the tiled kernel of src/gpu/gemm.ts. A case too big for one buffer runs in chunks of
 * samples × output channels × pixels (src/gpu/chunk.ts); the sum over ci is never split.
 */
import type { OpCase, OpKernel } from '../types.ts';
import { pointwiseConv2dGeometry } from './reference.ts';
import { boxOf, ranges, sliceBox } from '../../gpu/box.ts';
import { type Chunk, chunkedKernel, type ChunkedKernel, type PieceSize, prepareWhole, type SplitLimit } from '../../gpu/chunk.ts';
import { GEMM_RECORD, type GemmProblem, gemmEncoder, type TileConfig } from '../../gpu/gemm.ts';
import { input, optionalInput, preparedFrom, type PreparedBatch, whereBatch } from '../../gpu/kernel.ts';
import { packBatch } from '../shared/batch.ts';
import type { Encoder } from '../../gpu/table.ts';
import type { GpuContext } from '../../gpu/types.ts';

export const POINTWISE_LAYOUT = { a: 'P', b: 'X', bContiguous: 'n' } as const;

export interface PointwiseDesc {
  readonly n: number;
  readonly cin: number;
  readonly hw: number;
  readonly cout: number;
  readonly xOff: number;
  readonly wOff: number;
  readonly bOff: number;
  readonly yOff: number;
}

export const pointwiseProblem = (d: PointwiseDesc): GemmProblem => ({
  aOff: d.wOff, aRow: d.cin,
  bOff: d.xOff, bK: d.hw, bN: 1,
  cOff: d.yOff, cRow: d.hw,
  M: d.cout, N: d.hw, K: d.cin,
  biasOff: d.bOff, biasOnM: true,
  batch: d.n, aBatch: 0, bBatch: d.cin * d.hw, cBatch: d.cout * d.hw,
});

export function pointwiseEncoder(ctx: GpuContext, descs: readonly PointwiseDesc[], buffers: { x: GPUBuffer; p: GPUBuffer; y: GPUBuffer }, tiles?: TileConfig): Promise<Encoder> {
  return gemmEncoder(ctx, whereBatch('pointwiseConv2d', descs), POINTWISE_LAYOUT, descs.map(pointwiseProblem), buffers, tiles);
}

/** A case, or samples × output channels × pixels of one (its pixels one row: hw = h·w). */
interface PointwisePiece {
  readonly n: number;
  readonly cin: number;
  readonly hw: number;
  readonly cout: number;
  readonly x: Float32Array;
  readonly weight: Float32Array;
  readonly bias: Float32Array | null;
  readonly shape: readonly number[];
}

const pointwiseSize = (n: number, cin: number, hw: number, cout: number, hasBias: boolean): PieceSize => ({
  x: n * cin * hw, p: cout * (cin + (hasBias ? 1 : 0)), y: n * cout * hw, table: GEMM_RECORD.stride,
});

function packPointwise(ctx: GpuContext, pieces: readonly PointwisePiece[], tiles?: TileConfig): Promise<PreparedBatch> {
  const b = packBatch(pieces, (q, { xs, ps }, yOff): { desc: PointwiseDesc; shape: number[] } => ({
    desc: { n: q.n, cin: q.cin, hw: q.hw, cout: q.cout, xOff: xs.add(q.x), wOff: ps.add(q.weight), bOff: ps.addOptional(q.bias), yOff },
    shape: [...q.shape],
  }));
  return preparedFrom(ctx, 'pw', { x: b.xs, p: b.ps, outputElements: b.outputElements, slots: b.slots }, (buffers) => pointwiseEncoder(ctx, b.descs, buffers, tiles));
}

function whole(c: OpCase): { piece: PointwisePiece; size: PieceSize; shape: number[] } {
  const x = input(c, 'x');
  const bias = optionalInput(c, 'bias');
  const [n, cin, h, w, cout] = pointwiseConv2dGeometry(x, input(c, 'weight'), bias);
  const shape = [n, cout, h, w];
  return { piece: { n, cin, hw: h * w, cout, x: x.data, weight: input(c, 'weight').data, bias: bias?.data ?? null, shape }, size: pointwiseSize(n, cin, h * w, cout, bias !== null), shape };
}

/** Samples × output channels × pixels: the input viewed as [n, cin, h·w], the output as [n, cout, h·w]. */
function split(q: PointwisePiece, limit: SplitLimit): Chunk<PointwisePiece>[] {
  const { n, cin, hw, cout } = q;
  const words = limit.words;
  const hasBias = q.bias !== null;
  const perChannel = cin + (hasBias ? 1 : 0);
  if (cin > words) limit.tooBig(`one pixel's ${cin} input channels (one output's sum)`, cin);
  if (perChannel > words) limit.tooBig(`one output channel's ${cin} weights and bias`, perChannel);
  const perCout = Math.min(cout, Math.floor(words / Math.max(1, perChannel)));
  const wholePixels = cin * hw <= words && perCout * hw <= words;
  const perPixels = wholePixels ? hw : Math.min(hw, Math.floor(words / Math.max(1, cin)), Math.floor(words / Math.max(1, perCout)));
  const perN = wholePixels ? Math.min(n, Math.floor(words / Math.max(1, cin * hw)), Math.floor(words / Math.max(1, perCout * hw))) : 1;
  return ranges(n, perN).flatMap(([n0, n1]) =>
    ranges(cout, perCout).flatMap(([c0, c1]) =>
      ranges(hw, perPixels).map(([p0, p1]): Chunk<PointwisePiece> => {
        const inBox = boxOf([n, cin, hw], { 0: [n0, n1], 2: [p0, p1] });
        return {
          size: pointwiseSize(n1 - n0, cin, p1 - p0, c1 - c0, hasBias),
          make: () => ({
            n: n1 - n0, cin, hw: p1 - p0, cout: c1 - c0,
            x: sliceBox(q.x, inBox),
            weight: q.weight.subarray(c0 * cin, c1 * cin),
            bias: q.bias?.subarray(c0, c1) ?? null,
            shape: [n1 - n0, c1 - c0, 1, p1 - p0],
          }),
          out: boxOf([n, cout, hw], { 0: [n0, n1], 1: [c0, c1], 2: [p0, p1] }),
        };
      }),
    ),
  );
}

const parts: ChunkedKernel<PointwisePiece> = { name: 'pointwiseConv2d', whole, split, pack: (ctx, pieces) => packPointwise(ctx, pieces) };

/** The whole batch prepared with `tiles` (default: pickTiles). */
export function preparePointwiseConv2d(ctx: GpuContext, cases: readonly OpCase[], tiles?: TileConfig): Promise<PreparedBatch> {
  return prepareWhole(ctx, parts, cases, (pieces) => packPointwise(ctx, pieces, tiles));
}

export const pointwiseConv2dKernel: OpKernel = chunkedKernel(parts);
