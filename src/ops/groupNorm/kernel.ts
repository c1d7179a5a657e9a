/**
 * groupNorm on the GPU (WGSL and order: ./wgsl.ts), one workgroup of 256 per (case, sample,
 * group). n and eps are passed as float32 (the record's f32 fields; no integer-to-float
 * conversion on the GPU). A case too big for one buffer runs in chunks of samples and whole
 * groups; one group (one reduction) is never split.
 */
import { boxOf, ranges, sliceBox } from '../../gpu/box.ts';
import { type Chunk, chunkedKernel, type PieceSize, type SplitLimit } from '../../gpu/chunk.ts';
import { maxPerDim, workgroupGrid } from '../../gpu/dispatch.ts';
import { input, optionalInput, preparedFrom, type PreparedBatch, whereBatch } from '../../gpu/kernel.ts';
import { type Encoder, TableBuilder, tableEncoder } from '../../gpu/table.ts';
import type { GpuContext } from '../../gpu/types.ts';
import { packBatch } from '../shared/batch.ts';
import type { OpCase, OpKernel } from '../types.ts';
import { groupNormParams } from './params.ts';
import { groupNormGeometry, type GroupNormGeometry } from './reference.ts';
import { GROUP_NORM_RECORD, groupNormWgsl } from './wgsl.ts';

export interface GroupNormDesc {
  readonly g: GroupNormGeometry;
  readonly eps: number;
  readonly xOff: number;
  readonly gammaOff: number;
  readonly betaOff: number;
  readonly yOff: number;
}

export function groupNormEncoder(ctx: GpuContext, descs: readonly GroupNormDesc[], buffers: { x: GPUBuffer; p: GPUBuffer; y: GPUBuffer }): Promise<Encoder> {
  const table = new TableBuilder(GROUP_NORM_RECORD);
  for (const { g, eps, xOff, gammaOff, betaOff, yOff } of descs) {
    const nF = (g.c / g.groups) * g.spatial;
    table.add(g.n * g.groups, { xOff, gOff: gammaOff, bOff: betaOff, yOff, C: g.c, spatial: g.spatial, G: g.groups, nF, eps });
  }
  return tableEncoder(ctx, whereBatch('groupNorm', descs), 'groupNorm', groupNormWgsl, table, buffers, workgroupGrid(table.totalWork, maxPerDim(ctx)));
}

/** A case, or samples × groups of one (γ and β the groups' channels). */
interface GroupNormPiece {
  readonly g: GroupNormGeometry;
  readonly eps: number;
  readonly x: Float32Array;
  readonly gamma: Float32Array | null;
  readonly beta: Float32Array | null;
  readonly shape: readonly number[];
}

const sizeOf = (g: GroupNormGeometry, perChannel: number): PieceSize => ({ x: g.n * g.c * g.spatial, p: perChannel * g.c, y: g.n * g.c * g.spatial, table: GROUP_NORM_RECORD.stride });
const perChannelOf = (q: Pick<GroupNormPiece, 'gamma' | 'beta'>): number => (q.gamma === null ? 0 : 1) + (q.beta === null ? 0 : 1);

function packGroupNorm(ctx: GpuContext, pieces: readonly GroupNormPiece[]): Promise<PreparedBatch> {
  const b = packBatch(pieces, (q, { xs, ps }, yOff): { desc: GroupNormDesc; shape: number[] } => ({
    desc: { g: q.g, eps: q.eps, xOff: xs.add(q.x), gammaOff: ps.addOptional(q.gamma), betaOff: ps.addOptional(q.beta), yOff },
    shape: [...q.shape],
  }));
  return preparedFrom(ctx, 'gn', { x: b.xs, p: b.ps, outputElements: b.outputElements, slots: b.slots }, (buffers) => groupNormEncoder(ctx, b.descs, buffers));
}

function whole(c: OpCase): { piece: GroupNormPiece; size: PieceSize; shape: number[] } {
  const x = input(c, 'x');
  const gamma = optionalInput(c, 'weight');
  const beta = optionalInput(c, 'bias');
  const { numGroups, eps } = groupNormParams.read(c);
  const g = groupNormGeometry(x, numGroups, gamma, beta, eps);
  const piece = { g, eps, x: x.data, gamma: gamma?.data ?? null, beta: beta?.data ?? null, shape: x.shape };
  return { piece, size: sizeOf(g, perChannelOf(piece)), shape: [...x.shape] };
}

/** Samples × groups: the input and output viewed as [N, G, one group's elements]. */
function split(q: GroupNormPiece, limit: SplitLimit): Chunk<GroupNormPiece>[] {
  const { n, c, spatial, groups } = q.g;
  const cg = c / groups;
  const unit = cg * spatial;
  const perChannel = perChannelOf(q);
  if (unit > limit.words) limit.tooBig(`one group of ${cg} channel${cg === 1 ? '' : 's'} × ${spatial} elements (one reduction)`, unit);
  if (perChannel * cg > limit.words) limit.tooBig(`one group's weight and bias (${perChannel} × ${cg} elements)`, perChannel * cg);
  const perGroups = Math.min(groups, Math.floor(limit.words / unit), perChannel === 0 ? groups : Math.floor(limit.words / (perChannel * cg)));
  const perSamples = Math.min(n, Math.floor(limit.words / (perGroups * unit)));
  const dims = [n, groups, unit];
  return ranges(n, perSamples).flatMap(([n0, n1]) =>
    ranges(groups, perGroups).map(([g0, g1]): Chunk<GroupNormPiece> => {
      const out = boxOf(dims, { 0: [n0, n1], 1: [g0, g1] });
      const g = { n: n1 - n0, c: (g1 - g0) * cg, spatial, groups: g1 - g0 };
      const channels = (t: Float32Array | null) => t?.subarray(g0 * cg, g1 * cg) ?? null;
      return {
        size: sizeOf(g, perChannel),
        make: () => ({ g, eps: q.eps, x: sliceBox(q.x, out), gamma: channels(q.gamma), beta: channels(q.beta), shape: [g.n, g.c, spatial] }),
        out,
      };
    }),
  );
}

export const groupNormKernel: OpKernel = chunkedKernel({ name: 'groupNorm', whole, split, pack: packGroupNorm });
