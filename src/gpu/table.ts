/**
 * Batched execution of many independent cases in one dispatch. Every case gets a record of `stride`
 * u32 words in a storage table: word 0 is the index of its first work unit (an invocation or a
 * workgroup, per kernel), the rest are its offsets into the bound buffers and its shape. A kernel
 * finds its case by binary search over word 0. Bindings, the same for every table kernel:
 *   0 uniform Batch { numCases, totalWork, zero (+0.0, read at run time so no compiler folds `0 + x`) }
 *   1 the table, 2 X (activations, read), 3 P (parameters, read), 4 Y (output, read_write).
 */
import { dispatch, type Grid } from './dispatch.ts';
import type { GpuWhere } from './errors.ts';
import type { AnyRecordLayout, Fields, RecordLayout, RecordValues } from './record.ts';
import { bindGroup, getPipeline, release, storageFrom, uniformFrom } from './runtime.ts';
import type { GpuContext } from './types.ts';

/** Table value for "this optional input is absent". */
export const NONE = 0xffffffff;

/** Encodes dispatches into a compute pass; `destroy` releases what the encoder created. */
export interface Encoder {
  encode(pass: GPUComputePassEncoder): void;
  destroy(): void;
}

/** WGSL shared by table kernels: bindings, `findCase(work)`, `rec(k, field)` for records of `layout`. */
export function tablePrelude(layout: AnyRecordLayout): string {
  const stride = layout.stride;
  return /* wgsl */ `
struct Batch { numCases: u32, totalWork: u32, zero: f32, pad: u32 }
@group(0) @binding(0) var<uniform> batch: Batch;
@group(0) @binding(1) var<storage, read> T: array<u32>;
@group(0) @binding(2) var<storage, read> X: array<f32>;
@group(0) @binding(3) var<storage, read> P: array<f32>;
@group(0) @binding(4) var<storage, read_write> Y: array<f32>;
const NONE = 0xffffffffu;
const STRIDE = ${stride}u;

fn rec(k: u32, field: u32) -> u32 { return T[k * STRIDE + field]; }
// Variable-length per-case data lives after the records (TableBuilder.addExtra).
fn extra(at: u32) -> u32 { return T[batch.numCases * STRIDE + at]; }

// The case whose work range holds work unit w (word 0 = first unit, ascending).
fn findCase(w: u32) -> u32 {
  var lo = 0u;
  var hi = batch.numCases - 1u;
  while (lo < hi) {
    let mid = (lo + hi + 1u) / 2u;
    if (T[mid * STRIDE] <= w) { lo = mid; } else { hi = mid - 1u; }
  }
  return lo;
}
`;
}

/** A built table, as the encoder binds it. */
export interface BuiltTable {
  readonly numCases: number;
  readonly totalWork: number;
  words32(): Uint32Array;
}

/** Builds case records of `layout`: one record per case, its word 0 the case's first work unit. */
export class TableBuilder<F extends Fields> implements BuiltTable {
  private readonly words: number[] = [];
  private readonly extra: number[] = [];
  private work = 0;
  private cases = 0;
  constructor(readonly layout: RecordLayout<F>) {
    if (layout.first !== 1) throw new Error(`${layout.label}: a table record's fields start at word 1`);
  }
  /** Adds a case taking `workUnits` work units, its record's fields from `values`. */
  add(workUnits: number, values: RecordValues<F>): void {
    this.words.push(this.work, ...this.layout.pack(values));
    this.work += workUnits;
    if (this.work > 0xffffffff) throw new RangeError('batch too large: more than 2^32 work units');
    this.cases++;
  }
  /**
   * Appends variable-length data after all records; returns its offset relative to the end of the
   * records (a kernel adds `batch.numCases * STRIDE`, see `extraBase` in the prelude).
   */
  addExtra(words: readonly number[]): number {
    const at = this.extra.length;
    for (const w of words) this.extra.push(w);
    return at;
  }
  get totalWork(): number {
    return this.work;
  }
  get numCases(): number {
    return this.cases;
  }
  words32(): Uint32Array {
    const all = [...this.words, ...this.extra];
    return new Uint32Array(all.length === 0 ? [0] : all);
  }
}

const layouts = new WeakMap<GPUDevice, { group: GPUBindGroupLayout; pipeline: GPUPipelineLayout }>();

/** The bind group layout every table kernel shares (explicit, so a kernel may leave P unused). */
export function tableLayout(ctx: GpuContext): { group: GPUBindGroupLayout; pipeline: GPUPipelineLayout } {
  let l = layouts.get(ctx.device);
  if (l === undefined) {
    const compute = GPUShaderStage.COMPUTE;
    const group = ctx.device.createBindGroupLayout({
      label: 'table kernels',
      entries: [
        { binding: 0, visibility: compute, buffer: { type: 'uniform' } },
        { binding: 1, visibility: compute, buffer: { type: 'read-only-storage' } },
        { binding: 2, visibility: compute, buffer: { type: 'read-only-storage' } },
        { binding: 3, visibility: compute, buffer: { type: 'read-only-storage' } },
        { binding: 4, visibility: compute, buffer: { type: 'storage' } },
      ],
    });
    l = { group, pipeline: ctx.device.createPipelineLayout({ label: 'table kernels', bindGroupLayouts: [group] }) };
    layouts.set(ctx.device, l);
  }
  return l;
}

/** A table kernel's encoder: pipeline for `key`, uniforms, table and the X/P/Y buffers bound. */
export async function tableEncoder(
  ctx: GpuContext,
  where: GpuWhere,
  key: string,
  wgsl: () => string,
  table: BuiltTable,
  buffers: { readonly x: GPUBuffer; readonly p: GPUBuffer; readonly y: GPUBuffer },
  grid: Grid,
): Promise<Encoder> {
  const layout = tableLayout(ctx);
  const pipeline = await getPipeline(ctx, key, wgsl, where, layout.pipeline);
  const u = new Uint32Array([table.numCases, table.totalWork, 0, 0]); // word 2: +0.0f
  const uniforms = uniformFrom(ctx, u, `${key} batch`);
  const records = storageFrom(ctx, table.words32(), `${key} table`);
  const group = bindGroup(ctx, layout.group, [uniforms, records, buffers.x, buffers.p, buffers.y], key);
  return {
    encode(pass) {
      if (table.numCases === 0 || table.totalWork === 0) return;
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, group);
      dispatch(pass, grid);
    },
    destroy: () => release(uniforms, records),
  };
}
