/**
 * What the checker needs from a GPU: run a batch of cases of one op, and say where it ran. The real
 * one wraps src/gpu (openGpu + gpuOps); tests pass fakes.
 */
import { RefsimError } from '../errors.ts';
import { OP_NAMES, type OpCase, type OpName } from '../ops/types.ts';
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

/** Test-only switch: REFSIM_TEST_BREAK_KERNEL=<op> makes the GPU results of that op wrong. */
export const BREAK_KERNEL_ENV = 'REFSIM_TEST_BREAK_KERNEL';

/** The op named by REFSIM_TEST_BREAK_KERNEL, or null; an unknown name is a user error. */
export function brokenKernelFromEnv(env: NodeJS.ProcessEnv = process.env): OpName | null {
  const v = env[BREAK_KERNEL_ENV];
  if (v === undefined || v === '') return null;
  if (!(OP_NAMES as readonly string[]).includes(v)) {
    throw new RefsimError('E_BREAK_KERNEL', `${BREAK_KERNEL_ENV} must be one of ${OP_NAMES.join(', ')}; got ${JSON.stringify(v)}`);
  }
  return v as OpName;
}

/** Bit 20 of the mantissa: flipping it changes a value by 2^20 ULP (about 12%), finite stays finite. */
const BREAK_MASK = 1 << 20;

/**
 * The deliberate bug: every finite non-zero output element at an even flat index gets mantissa
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
