/**
 * What the checker needs from a GPU: run a batch of cases of one op, and say where it ran. The real
 * one wraps src/gpu (openGpu + gpuOps); tests pass fakes.
 */
import type { OpCase, OpName } from '../ops/types.ts';
import type { AdapterReport } from '../gpu/types.ts';
import type { Tensor } from '../reference/tensor.ts';

export interface DiffGpu {
  readonly adapter: AdapterReport;
  /** The Dawn backend that ran the work, e.g. 'vulkan'. */
  readonly backend: string;
  /** Runs the cases of one op (one or a few dispatches) and returns one output per case. */
  run(op: OpName, cases: readonly OpCase[]): Promise<Tensor[]>;
  close(): void | Promise<void>;
}

/** Bit 20 of the mantissa: flipping it changes a value by 2^20 ULP (about 12%), finite stays finite. */
const BREAK_MASK = 1 << 20;

/**
 * The deliberate bug of REFSIM_TEST_BREAK_KERNEL (src/testHooks.ts): every finite non-zero output element at an even flat index gets mantissa
 * bit 20 flipped. Value-dependent on purpose, so fast-check has something to shrink (the minimal
 * case is one whose element 0 is non-zero).
 */
export function breakOutput(t: Tensor): Tensor {
  const data = new Float32Array(t.data);
  const bits = new Uint32Array(data.buffer);
  for (let i = 0; i < data.length; i += 2) {
    const v = data[i]!;
    if (v !== 0 && Number.isFinite(v)) bits[i] = bits[i]! ^ BREAK_MASK;
  }
  return { shape: [...t.shape], data };
}

/** Wraps `gpu` so that `op`'s results are broken (null: `gpu` unchanged). */
export function withBrokenKernel(gpu: DiffGpu, op: OpName | null): DiffGpu {
  if (op === null) return gpu;
  return {
    adapter: gpu.adapter,
    backend: gpu.backend,
    async run(name, cases) {
      const out = await gpu.run(name, cases);
      return name === op ? out.map(breakOutput) : out;
    },
    close: () => gpu.close(),
  };
}
