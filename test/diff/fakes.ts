/**
 * Small stand-ins for the real op registry and GPU, so the checker's own logic is tested without
 * depending on any kernel: a fake relu (exact, zero sign defined) and a fake linear (a real
 * float32 dot product with a crude but honest relative bound), and a fake GPU that computes the
 * reference and can perturb chosen elements.
 */
import fc from 'fast-check';
import type { AdapterReport } from '../../src/gpu/types.ts';
import type { Accuracy, CaseGenOptions, InputTap, OpCase, OpName, OpSpec } from '../../src/ops/types.ts';
import type { Profile, Tensor } from '../../src/reference/tensor.ts';
import type { DiffGpu } from '../../src/diff/gpuRunner.ts';

const f32 = (opts: CaseGenOptions) =>
  opts.specialValues
    ? fc.oneof(fc.float({ noDefaultInfinity: false, noNaN: false }), fc.constantFrom(-0, 1e-40, -1e-40))
    : fc.float({ min: -8, max: 8, noNaN: true, noDefaultInfinity: true });

const tensorArb = (shape: number[], opts: CaseGenOptions): fc.Arbitrary<Tensor> =>
  fc.array(f32(opts), { minLength: shape.reduce((a, b) => a * b, 1), maxLength: shape.reduce((a, b) => a * b, 1) })
    .map((v) => ({ shape, data: Float32Array.from(v) }));

export const fakeRelu: OpSpec = {
  name: 'relu',
  inputNames: ['x'],
  paramNames: [],
  outputShape: (c) => [...c.inputs['x']!.shape],
  reference(c: OpCase): Tensor {
    const x = c.inputs['x']!;
    return { shape: [...x.shape], data: x.data.map((v) => (v < 0 ? 0 : v)) };
  },
  bound: (c) => new Float64Array(c.inputs['x']!.data.length),
  arbitrary: (opts) =>
    fc
      .tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }))
      .filter(([n, c, h, w]) => n * c * h * w <= opts.maxElements)
      .chain((shape) => tensorArb(shape, opts))
      .map((x): OpCase => ({ op: 'relu', params: {}, inputs: { x } })),
  receptiveField: (_c, i): InputTap[] => [{ input: 'x', index: i }],
};

/** y[n,o] = Σ_i x[n,i]·w[o,i] in float32, strict order; bound = (in + 1)·2^-24·Σ|x·w| per element. */
export const fakeLinear: OpSpec = {
  name: 'linear',
  inputNames: ['x', 'weight'],
  paramNames: [],
  outputShape: (c) => [c.inputs['x']!.shape[0]!, c.inputs['weight']!.shape[0]!],
  reference(c: OpCase, _p: Profile): Tensor {
    const x = c.inputs['x']!;
    const w = c.inputs['weight']!;
    const [n, k] = x.shape as [number, number];
    const o = w.shape[0]!;
    const y = new Float32Array(n * o);
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < o; b++) {
        let acc = 0;
        for (let i = 0; i < k; i++) acc = Math.fround(acc + Math.fround(x.data[a * k + i]! * w.data[b * k + i]!));
        y[a * o + b] = acc;
      }
    }
    return { shape: [n, o], data: y };
  },
  bound(c: OpCase, acc: Accuracy): Float64Array {
    const x = c.inputs['x']!;
    const w = c.inputs['weight']!;
    const [n, k] = x.shape as [number, number];
    const o = w.shape[0]!;
    const out = new Float64Array(n * o);
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < o; b++) {
        let s = 0;
        for (let i = 0; i < k; i++) s += Math.abs(x.data[a * k + i]! * w.data[b * k + i]!);
        out[a * o + b] = (k + 1 + acc.divUlp) * 2 ** -24 * s;
      }
    }
    return out;
  },
  arbitrary: (opts) =>
    fc
      .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 4 }))
      .filter(([n, k, o]) => n * k <= opts.maxElements && o * k <= opts.maxElements)
      .chain(([n, k, o]) => fc.tuple(tensorArb([n, k], opts), tensorArb([o, k], opts)))
      .map(([x, weight]): OpCase => ({ op: 'linear', params: {}, inputs: { x, weight } })),
  receptiveField(c, i): InputTap[] {
    const k = c.inputs['x']!.shape[1]!;
    const o = c.inputs['weight']!.shape[0]!;
    const a = Math.floor(i / o);
    const b = i % o;
    return Array.from({ length: k }, (_, j) => [{ input: 'x', index: a * k + j }, { input: 'weight', index: b * k + j }]).flat();
  },
};

export const fakeAdapter: AdapterReport = {
  vendor: 'fake', architecture: 'test', device: 'fake-device', description: 'fake GPU (tests)', backend: 'vulkan', featureLevel: 'core',
};

export interface FakeGpu extends DiffGpu {
  /** Number of run() calls and the batch sizes seen. */
  readonly submits: number[];
}

/**
 * A GPU that computes `specs[op].reference` under `profile`, then lets `perturb` rewrite the
 * output (e.g. add ULPs to chosen elements). `perturb` sees the case and its position in the batch.
 */
export function fakeGpu(
  specs: Partial<Record<OpName, OpSpec>>,
  perturb: (out: Tensor, c: OpCase, positionInBatch: number, batchSize: number) => void = () => {},
  profile: Profile = 'strict',
): FakeGpu {
  const submits: number[] = [];
  return {
    adapter: fakeAdapter,
    backend: 'vulkan',
    submits,
    async run(op, cases) {
      submits.push(cases.length);
      const spec = specs[op];
      if (spec === undefined) throw new Error(`fake GPU has no ${op}`);
      return cases.map((c, j) => {
        const out = spec.reference(c, profile);
        perturb(out, c, j, cases.length);
        return out;
      });
    },
    close() {},
  };
}

/** Adds `ulps` to the bit pattern of element `i` (toward larger magnitude). */
export function addUlps(t: Tensor, i: number, ulps: number): void {
  const u = new Uint32Array(t.data.buffer, t.data.byteOffset, t.data.length);
  u[i] = (u[i]! + ulps) >>> 0;
}
