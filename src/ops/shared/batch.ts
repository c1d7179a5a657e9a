/**
 * Packing a batch for a table kernel (src/gpu/table.ts): every case's (or piece's, src/gpu/chunk.ts)
 * inputs appended to the packed inputs (`xs`) and params (`ps`), its output placed after the
 * previous one's.
 */
import { numel } from '../../reference/tensor.ts';
import { type OutputSlot, Packer } from '../../gpu/kernel.ts';

export interface PackedBatch<D> {
  readonly xs: Packer;
  readonly ps: Packer;
  /** Each case's record for the op's encoder. */
  readonly descs: readonly D[];
  readonly slots: readonly OutputSlot[];
  readonly outputElements: number;
}

/**
 * Packs `cases`: `describe` adds one case's inputs to the packers and returns its record (given
 * `yOff`, where its output starts) and its output shape.
 */
export function packBatch<C, D>(cases: readonly C[], describe: (c: C, packers: { xs: Packer; ps: Packer }, yOff: number) => { desc: D; shape: number[] }): PackedBatch<D> {
  const packers = { xs: new Packer(), ps: new Packer() };
  const descs: D[] = [];
  const slots: OutputSlot[] = [];
  let yEnd = 0;
  for (const c of cases) {
    const { desc, shape } = describe(c, packers, yEnd);
    descs.push(desc);
    slots.push({ offset: yEnd, shape });
    yEnd += numel(shape);
  }
  return { ...packers, descs, slots, outputElements: yEnd };
}
