/**
 * Problems bigger than one storage buffer (docs/gpu-limits.md). Every op's kernel describes a case
 * as a piece (its geometry and input arrays) with the words it needs in each buffer it binds; a
 * piece that does not fit `storageLimit` is split by the op into chunks (by batch, channels,
 * groups, rows, columns or output tiles), each a piece of the same kernel with its inputs cut out
 * of the case's tensors and a box saying where its output goes. Chunks run in batches that fit,
 * one GPU round trip each, and their outputs are put together on the host. A split never changes
 * an output's arithmetic: each output is computed by the same kernel from the same inputs in the
 * same order, only next to other outputs. A part that cannot be split (one reduction, one weight
 * row, one output's receptive field) is a GpuLimitError before anything is allocated.
 */
import type { OpCase, OpKernel, OpName } from '../ops/types.ts';
import { numel, type Tensor } from '../reference/tensor.ts';
import { type Box, placeBox } from './box.ts';
import { GpuLimitError, type GpuWhere } from './errors.ts';
import { checkBatchInputs, type PreparedBatch, runPrepared } from './kernel.ts';
import { type StorageLimit, storageLimit } from './limits.ts';
import type { GpuContext } from './types.ts';

/** Words (4-byte float32 or u32 elements) a piece needs in each storage buffer it binds. */
export interface PieceSize {
  /** Packed inputs (binding X). */
  readonly x: number;
  /** Packed parameters (binding P). */
  readonly p: number;
  /** The largest output or intermediate buffer. */
  readonly y: number;
  /** Its table record and extra data. */
  readonly table: number;
}

export const fits = (s: PieceSize, words: number): boolean => s.x <= words && s.p <= words && s.y <= words && s.table <= words;

const largest = (s: PieceSize): number => Math.max(s.x, s.p, s.y, s.table);

/** Part of a case: a piece of the op's kernel and where its output goes in the case's output. */
export interface Chunk<P> {
  readonly size: PieceSize;
  /** The piece, its inputs cut out of the case's tensors (called just before it is packed). */
  make(): P;
  /** The piece's output, a box of the case's output. */
  readonly out: Box;
}

/** What a split may use: the words one buffer holds, and the error for a part that cannot be split. */
export interface SplitLimit {
  readonly words: number;
  /** Throws GpuLimitError: `what` cannot be split and needs `words` words in one buffer. */
  tooBig(what: string, words: number): never;
}

/** An op's kernel in pieces. */
export interface ChunkedKernel<P> {
  readonly name: OpName;
  /** The case as one piece (validated: the op's typed errors), its sizes and its output shape. */
  whole(c: OpCase): { readonly piece: P; readonly size: PieceSize; readonly shape: readonly number[] };
  /** Chunks of a piece that does not fit, each fitting `limit`, their boxes covering its output once. */
  split(piece: P, limit: SplitLimit): Chunk<P>[];
  /** Uploads pieces as one batch (outputs in order, each its own slot). */
  pack(ctx: GpuContext, pieces: readonly P[]): Promise<PreparedBatch>;
}

function splitLimit(limit: StorageLimit, where: GpuWhere): SplitLimit {
  return {
    words: limit.words,
    tooBig(what, words) {
      throw new GpuLimitError(where, limit.name, limit.value, what, words * 4);
    },
  };
}

/** The case's where: its index in the batch. */
const whereCase = (op: string, caseIndex: number): GpuWhere => ({ op, caseIndex });

/**
 * A whole batch as one prepared batch (the benchmark and stress runs time or repeat its
 * dispatches): `pack` of every case's whole piece, or GpuLimitError when a buffer would exceed the
 * device's limit (runBatch splits such batches).
 */
export async function prepareWhole<P>(ctx: GpuContext, k: Pick<ChunkedKernel<P>, 'name' | 'whole'>, cases: readonly OpCase[], pack: (pieces: readonly P[]) => Promise<PreparedBatch>): Promise<PreparedBatch> {
  checkBatchInputs(k.name, cases);
  const limit = storageLimit(ctx);
  const wholes = cases.map((c) => k.whole(c));
  const total = wholes.reduce<PieceSize>((t, w) => addSizes(t, w.size), NO_SIZE);
  if (!fits(total, limit.words)) {
    const where = { op: k.name, caseIndex: cases.length === 1 ? 0 : null };
    throw new GpuLimitError(where, limit.name, limit.value, `a batch of ${cases.length} case${cases.length === 1 ? '' : 's'} prepared whole (run it with runBatch, which splits it)`, largest(total) * 4);
  }
  return pack(wholes.map((w) => w.piece));
}

const NO_SIZE: PieceSize = { x: 0, p: 0, y: 0, table: 0 };
const addSizes = (a: PieceSize, b: PieceSize): PieceSize => ({ x: a.x + b.x, p: a.p + b.p, y: a.y + b.y, table: a.table + b.table });

interface Item<P> {
  readonly caseIndex: number;
  readonly size: PieceSize;
  make(): P;
  /** null: the piece is the whole case. */
  readonly out: Box | null;
}

/** Consecutive items in batches whose buffers each fit `words`. */
function batches<P>(items: readonly Item<P>[], words: number): Item<P>[][] {
  const out: Item<P>[][] = [];
  let cur: Item<P>[] = [];
  let sum = NO_SIZE;
  for (const it of items) {
    const next = addSizes(sum, it.size);
    if (cur.length > 0 && !fits(next, words)) {
      out.push(cur);
      cur = [];
      sum = it.size;
    } else {
      sum = next;
    }
    cur.push(it);
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

/** Every case's pieces: whole where it fits, else the op's chunks (checked to fit). */
function plan<P>(k: ChunkedKernel<P>, cases: readonly OpCase[], limit: StorageLimit): { items: Item<P>[]; shapes: (readonly number[])[] } {
  const items: Item<P>[] = [];
  const shapes = cases.map((c, caseIndex) => {
    const w = k.whole(c);
    if (fits(w.size, limit.words)) {
      items.push({ caseIndex, size: w.size, make: () => w.piece, out: null });
      return w.shape;
    }
    for (const ch of k.split(w.piece, splitLimit(limit, whereCase(k.name, caseIndex)))) {
      if (!fits(ch.size, limit.words)) throw new Error(`${k.name} case ${caseIndex}: a chunk needs ${largest(ch.size)} words, above the ${limit.words} it was split for`);
      items.push({ caseIndex, size: ch.size, make: ch.make, out: ch.out });
    }
    return w.shape;
  });
  return { items, shapes };
}

/**
 * The op's kernel: runBatch splits what does not fit into chunks and batches them; prepare packs
 * the batch whole.
 */
export function chunkedKernel<P>(k: ChunkedKernel<P>): OpKernel {
  return {
    run: {
      name: k.name,
      async runBatch(ctx, cases) {
        checkBatchInputs(k.name, cases);
        if (cases.length === 0) return [];
        const { items, shapes } = plan(k, cases, storageLimit(ctx));
        const results: (Tensor | null)[] = shapes.map(() => null);
        for (const it of items) {
          if (it.out !== null && results[it.caseIndex] === null) {
            const shape = [...shapes[it.caseIndex]!];
            results[it.caseIndex] = { shape, data: new Float32Array(numel(shape)) };
          }
        }
        for (const group of batches(items, storageLimit(ctx).words)) {
          const first = group[0]!.caseIndex;
          const where = group.every((it) => it.caseIndex === first) ? whereCase(k.name, first) : { op: k.name, caseIndex: null };
          const batch = await k.pack(ctx, group.map((it) => it.make()));
          let outs: Tensor[];
          try {
            outs = await runPrepared(ctx, where, batch);
          } finally {
            batch.destroy();
          }
          group.forEach((it, j) => {
            const o = outs[j]!;
            if (it.out === null) results[it.caseIndex] = o;
            else placeBox(results[it.caseIndex]!.data, it.out, o.data);
          });
        }
        return results as Tensor[];
      },
    },
    prepare: (ctx, cases) => prepareWhole(ctx, k, cases, (pieces) => k.pack(ctx, pieces)),
  };
}
