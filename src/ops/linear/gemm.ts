/**
 * linear on the GPU: Y[n, o] = Σ_i X[n, i] · W[o, i] + bias[o], each output accumulated
 * `acc + x·w` over i = 0..in-1 in order (docs/evaluation-order.md), through src/gpu/gemm.ts
 * (A = X rows, B(k, n) = W[n, k], k-contiguous). A case too big for one buffer runs in output
 * tiles of rows × output features (src/gpu/chunk.ts); the sum over i is never split.
 */
import type { OpCase, OpKernel } from '../types.ts';
import { linearGeometry } from './reference.ts';
import { boxOf, ranges } from '../../gpu/box.ts';
import { type Chunk, chunkedKernel, type ChunkedKernel, type PieceSize, prepareWhole, type SplitLimit } from '../../gpu/chunk.ts';
import { GEMM_RECORD, type GemmProblem, gemmEncoder, type TileConfig } from '../../gpu/gemm.ts';
import { input, optionalInput, preparedFrom, type PreparedBatch, whereBatch } from '../../gpu/kernel.ts';
import { packBatch } from '../shared/batch.ts';
import type { Encoder } from '../../gpu/table.ts';
import type { GpuContext } from '../../gpu/types.ts';

export const LINEAR_LAYOUT = { a: 'X', b: 'P', bContiguous: 'k' } as const;

export interface LinearDesc {
  readonly n: number;
  readonly inF: number;
  readonly outF: number;
  readonly xOff: number;
  readonly wOff: number;
  readonly bOff: number;
  readonly yOff: number;
}

export const linearProblem = (d: LinearDesc): GemmProblem => ({
  aOff: d.xOff, aRow: d.inF,
  bOff: d.wOff, bK: 1, bN: d.inF,
  cOff: d.yOff, cRow: d.outF,
  M: d.n, N: d.outF, K: d.inF,
  biasOff: d.bOff, biasOnM: false,
  batch: 1, aBatch: 0, bBatch: 0, cBatch: 0,
});

export function linearEncoder(ctx: GpuContext, descs: readonly LinearDesc[], buffers: { x: GPUBuffer; p: GPUBuffer; y: GPUBuffer }, tiles?: TileConfig): Promise<Encoder> {
  return gemmEncoder(ctx, whereBatch('linear', descs), LINEAR_LAYOUT, descs.map(linearProblem), buffers, tiles);
}

/** A case, or a tile of its rows × output features. */
interface LinearPiece {
  readonly n: number;
  readonly inF: number;
  readonly outF: number;
  readonly x: Float32Array;
  readonly weight: Float32Array;
  readonly bias: Float32Array | null;
  readonly shape: readonly number[];
}

const linearSize = (n: number, inF: number, outF: number, hasBias: boolean): PieceSize => ({
  x: n * inF, p: outF * (inF + (hasBias ? 1 : 0)), y: n * outF, table: GEMM_RECORD.stride,
});

function packLinear(ctx: GpuContext, pieces: readonly LinearPiece[], tiles?: TileConfig): Promise<PreparedBatch> {
  const b = packBatch(pieces, (q, { xs, ps }, yOff): { desc: LinearDesc; shape: number[] } => ({
    desc: { n: q.n, inF: q.inF, outF: q.outF, xOff: xs.add(q.x), wOff: ps.add(q.weight), bOff: ps.addOptional(q.bias), yOff },
    shape: [...q.shape],
  }));
  return preparedFrom(ctx, 'linear', { x: b.xs, p: b.ps, outputElements: b.outputElements, slots: b.slots }, (buffers) => linearEncoder(ctx, b.descs, buffers, tiles));
}

function whole(c: OpCase): { piece: LinearPiece; size: PieceSize; shape: number[] } {
  const x = input(c, 'x');
  const bias = optionalInput(c, 'bias');
  const [n, inF, outF] = linearGeometry(x, input(c, 'weight'), bias);
  const shape = [n, outF];
  return { piece: { n, inF, outF, x: x.data, weight: input(c, 'weight').data, bias: bias?.data ?? null, shape }, size: linearSize(n, inF, outF, bias !== null), shape };
}

/** Output tiles: rows × output features, the input viewed as [n, in], the output as [n, out]. */
function split(q: LinearPiece, limit: SplitLimit): Chunk<LinearPiece>[] {
  const { n, inF, outF } = q;
  const words = limit.words;
  const hasBias = q.bias !== null;
  const perFeature = inF + (hasBias ? 1 : 0);
  if (inF > words) limit.tooBig(`one row of ${inF} input features (one output's sum)`, inF);
  if (perFeature > words) limit.tooBig(`one output feature's ${inF} weights and bias`, perFeature);
  const perOut = Math.min(outF, Math.floor(words / Math.max(1, perFeature)));
  const perRows = Math.min(n, Math.floor(words / Math.max(1, inF)), Math.floor(words / Math.max(1, perOut)));
  return ranges(n, perRows).flatMap(([m0, m1]) =>
    ranges(outF, perOut).map(([o0, o1]): Chunk<LinearPiece> => ({
      size: linearSize(m1 - m0, inF, o1 - o0, hasBias),
      make: () => ({
        n: m1 - m0, inF, outF: o1 - o0,
        x: q.x.subarray(m0 * inF, m1 * inF),
        weight: q.weight.subarray(o0 * inF, o1 * inF),
        bias: q.bias?.subarray(o0, o1) ?? null,
        shape: [m1 - m0, o1 - o0],
      }),
      out: boxOf([n, outF], { 0: [m0, m1], 1: [o0, o1] }),
    })),
  );
}

const parts: ChunkedKernel<LinearPiece> = { name: 'linear', whole, split, pack: (ctx, pieces) => packLinear(ctx, pieces) };

/** The whole batch prepared with `tiles` (default: pickTiles). */
export function prepareLinear(ctx: GpuContext, cases: readonly OpCase[], tiles?: TileConfig): Promise<PreparedBatch> {
  return prepareWhole(ctx, parts, cases, (pieces) => packLinear(ctx, pieces, tiles));
}

export const linearKernel: OpKernel = chunkedKernel(parts);
