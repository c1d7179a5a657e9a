/**
 * The shape every op's kernel family takes: `prepare` packs a batch of cases into GPU buffers and
 * returns a PreparedBatch whose `encode` records the dispatches (so the block can chain stages and
 * the benchmark can time dispatches alone); `runPrepared` submits, reads back and splits outputs
 * in one GPU round trip (the dispatches and the copy to the CPU in one submission). Each op's
 * GpuOp comes from src/gpu/chunk.ts, which splits what does not fit the device's buffers.
 */
import type { OpCase, OpName } from '../ops/types.ts';
import { numel, type Tensor } from '../reference/tensor.ts';
import { InputRangeError } from '../errors.ts';
import { type GpuWhere } from './errors.ts';
import { readBackSerial, release, storageEmpty, storageFrom, submitAndRead, submitGuarded } from './runtime.ts';
import { type Encoder, NONE } from './table.ts';
import type { GpuContext } from './types.ts';

export interface OutputSlot {
  /** Element offset of the case's output in the output buffer. */
  readonly offset: number;
  readonly shape: number[];
}

export interface PreparedBatch {
  /** Records this batch's dispatches into an open compute pass. */
  encode(pass: GPUComputePassEncoder): void;
  /** Holds every case's output as float32 at its slot. */
  readonly output: GPUBuffer;
  readonly slots: readonly OutputSlot[];
  /** Releases every buffer the batch created (not buffers passed in). */
  destroy(): void;
}

/**
 * The tail every op's prepare shares: uploads the packed inputs (`x`) and parameters (`p`; an empty
 * placeholder when the op has none), allocates the float32 output, builds the op's encoder over the
 * three buffers, and ties their release to the batch's `destroy`.
 */
export async function preparedFrom(
  ctx: GpuContext,
  label: string,
  packed: { x: Packer; p: Packer | null; outputElements: number; slots: readonly OutputSlot[] },
  makeEncoder: (buffers: { x: GPUBuffer; p: GPUBuffer; y: GPUBuffer }) => Promise<Encoder>,
): Promise<PreparedBatch> {
  const x = storageFrom(ctx, packed.x.finish(), `${label} x`);
  const p = packed.p === null ? storageEmpty(ctx, 16, `${label} (no params)`) : storageFrom(ctx, packed.p.finish(), `${label} params`);
  const output = storageEmpty(ctx, packed.outputElements * 4, `${label} y`);
  const enc = await makeEncoder({ x, p, y: output });
  return {
    encode: enc.encode,
    output,
    slots: packed.slots,
    destroy() {
      enc.destroy();
      release(x, p, output);
    },
  };
}

export const whereBatch = (op: string, cases: readonly unknown[]): GpuWhere => ({ op, caseIndex: cases.length === 1 ? 0 : null });

/**
 * Bench-only: REFSIM_BENCH_SERIAL_WAITS=1 runs batches with the former five serial waits (the
 * dispatches' scopes and queue, then a second submission for the copy with its scopes, queue and
 * map), so bench:gpu can time the seed's stress form both ways in one run.
 */
const serialWaits = (): boolean => process.env['REFSIM_BENCH_SERIAL_WAITS'] === '1';

/** Runs a prepared batch in one compute pass and returns the outputs split per case. */
export async function runPrepared(ctx: GpuContext, where: GpuWhere, batch: PreparedBatch): Promise<Tensor[]> {
  const encode = (enc: GPUCommandEncoder): void => {
    const pass = enc.beginComputePass({ label: where.op });
    batch.encode(pass);
    pass.end();
  };
  let end = 0;
  for (const s of batch.slots) end = Math.max(end, s.offset + numel(s.shape));
  let bytes: ArrayBuffer;
  if (serialWaits()) {
    await submitGuarded(ctx, where, encode);
    bytes = await readBackSerial(ctx, where, batch.output, end * 4);
  } else {
    bytes = await submitAndRead(ctx, where, encode, batch.output, end * 4);
  }
  const all = new Float32Array(bytes);
  return batch.slots.map((s) => ({ shape: [...s.shape], data: all.slice(s.offset, s.offset + numel(s.shape)) }));
}

/**
 * Checks that every input tensor of every case is well formed before anything is packed: a shape
 * of non-negative integers and a Float32Array holding exactly that many elements. The kernels pack
 * `data` and size outputs from `shape`, so a short array would silently read a neighbour's inputs.
 */
export function checkBatchInputs(name: OpName, cases: readonly OpCase[]): void {
  if (!Array.isArray(cases)) throw new InputRangeError(`${name} cases`, 'an array of OpCases', cases);
  cases.forEach((c, i) => {
    if (typeof c !== 'object' || c === null || typeof c.inputs !== 'object' || c.inputs === null) {
      throw new InputRangeError(`${name} cases[${i}]`, 'an OpCase { op, params, inputs }', c);
    }
    for (const [k, t] of Object.entries(c.inputs)) {
      if (t === null || t === undefined) continue;
      const where = `${name} cases[${i}].inputs.${k}`;
      const { shape, data } = t as Partial<Record<'shape' | 'data', unknown>>;
      if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
        throw new InputRangeError(`${where}.shape`, 'an array of non-negative integers', shape);
      }
      if (!(data instanceof Float32Array)) throw new InputRangeError(`${where}.data`, 'a Float32Array', data);
      const n = numel(shape as number[]);
      if (data.length !== n) throw new InputRangeError(`${where}.data.length`, `${n} (the product of shape [${shape.join(', ')}])`, data.length);
    }
  });
}

/** The named input tensor of a case; throws a clear error when it is missing. */
export function input(c: OpCase, name: string): Tensor {
  const t = c.inputs[name];
  if (t === undefined || t === null) throw new RangeError(`${c.op}: input ${name} is required`);
  return t;
}

/** The named optional input (null when absent). */
export function optionalInput(c: OpCase, name: string): Tensor | null {
  return c.inputs[name] ?? null;
}

/** Concatenates float32 chunks, returning the packed array and each chunk's element offset. */
export class Packer {
  private readonly chunks: Float32Array[] = [];
  private length = 0;
  /** Appends `data` and returns its element offset. */
  add(data: Float32Array): number {
    const offset = this.length;
    this.chunks.push(data);
    this.length += data.length;
    return offset;
  }
  /** Offset for an optional input: NONE when absent. */
  addOptional(data: Float32Array | null | undefined): number {
    return data === null || data === undefined ? NONE : this.add(data);
  }
  get size(): number {
    return this.length;
  }
  finish(): Float32Array {
    const out = new Float32Array(Math.max(4, Math.ceil(this.length / 4) * 4));
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}
