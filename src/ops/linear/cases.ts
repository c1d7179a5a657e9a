/**
 * linear's one case generator: every accepted form (./canonical.ts) — x (*, in) of rank 1 to 4,
 * weight (out, in) or (in), bias (out), () or none — with rows, in and out features within
 * maxElements; in the GPU suite, size classes that steer which GEMM tile configuration runs (the
 * 'small' class draws every form, the others x [rows, in] with weight [out, in]).
 */
import fc from 'fast-check';
import type { OpCase, SuiteCaseOptions } from '../types.ts';
import type { Tensor } from '../../reference/tensor.ts';
import { fitDims, tensorArb } from '../shared/values.ts';
import { caseGenerator, dimsRecord, optionalSuiteTensor, suiteTensor } from '../shared/suiteValues.ts';

const SUITE_SIZES = {
  small: { n: [1, 5], inF: [1, 40], outF: [1, 9] },
  medium: { n: [48, 60], inF: [1, 40], outF: [48, 60] },
  large: { n: [128, 132], inF: [1, 12], outF: [128, 132] },
  wide: { n: [64, 70], inF: [1, 20], outF: [128, 135] },
  'v4-64x64': { n: [60, 70], inF: [17, 40], outF: [60, 70] },
  'v4-128x64': { n: [120, 136], inF: [17, 40], outF: [60, 70] },
  'v4-128x128': { n: [120, 136], inF: [9, 26], outF: [120, 136] },
} as const;

/** How a case writes its shapes: x's leading dims (rows = their product), a 1-D weight, a scalar bias. */
interface Form {
  readonly lead: readonly number[];
  readonly weight1d: boolean;
  readonly bias: 'vector' | 'scalar' | 'none';
}

/** Mostly x [rows, in] with a weight [out, in]; also 1-D x, 3-D and 4-D x, 1-D weights, scalar biases. */
const formArb = (rows: fc.Arbitrary<number>): fc.Arbitrary<Form> =>
  fc
    .record({
      lead: fc.oneof(
        { weight: 4, arbitrary: rows.map((n) => [n]) },
        { weight: 1, arbitrary: fc.constant([]) },
        { weight: 2, arbitrary: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 2, maxLength: 3 }) },
      ),
      weight1d: fc.constantFrom(false, false, false, true),
      bias: fc.constantFrom('vector', 'vector', 'scalar', 'none'),
    })
    .map((f): Form => ({ ...f, bias: f.weight1d && f.bias === 'vector' ? 'scalar' : f.bias }));

/** The case of `form` with in and out features; `tensor` makes each input. */
function formCase(form: Form, inF: number, outF: number, tensor: (shape: number[], role: 'x' | 'weight' | 'bias') => fc.Arbitrary<Tensor>): fc.Arbitrary<OpCase> {
  const biasShape = form.bias === 'scalar' ? [] : [outF];
  return fc
    .record({
      x: tensor([...form.lead, inF], 'x'),
      weight: tensor(form.weight1d ? [inF] : [outF, inF], 'weight'),
      bias: form.bias === 'none' ? fc.constant(null) : tensor(biasShape, 'bias'),
    })
    .map((inputs): OpCase => ({ op: 'linear', params: {}, inputs }));
}

const suiteCases = (opts: SuiteCaseOptions): fc.Arbitrary<OpCase> => {
  if (opts.size === 'small') {
    const s = SUITE_SIZES.small;
    return fc
      .tuple(formArb(fc.integer({ min: s.n[0], max: s.n[1] })), fc.integer({ min: s.inF[0], max: s.inF[1] }), fc.integer({ min: s.outF[0], max: s.outF[1] }))
      .chain(([form, inF, outF]) => formCase(form, inF, outF, (shape) => suiteTensor(shape, opts.specialValues)));
  }
  return dimsRecord(SUITE_SIZES[opts.size]).chain(({ n, inF, outF }) =>
    fc
      .record({ x: suiteTensor([n, inF], opts.specialValues), weight: suiteTensor([outF, inF], opts.specialValues), bias: optionalSuiteTensor([outF], opts.specialValues) })
      .map((inputs): OpCase => ({ op: 'linear', params: {}, inputs })),
  );
};

export const linearCases = caseGenerator(
  'linear',
  (opts) =>
    fc
      .tuple(formArb(fc.integer({ min: 1, max: 4 })), fc.integer({ min: 1, max: 80 }), fc.integer({ min: 1, max: 12 }))
      .chain(([form, inF0, outF0]) => {
        // rows·in and out·in within maxElements: the lead dims, in and out shrunk together.
        const k = form.lead.length;
        const dims = fitDims([...form.lead, inF0, outF0], [[...form.lead.keys(), k], [k + 1, k]], opts.maxElements);
        const [inF, outF] = [dims[k]!, dims[k + 1]!];
        const fitted = { ...form, lead: dims.slice(0, k) };
        return formCase(fitted, inF, outF, (shape, role) => tensorArb(shape, opts, role === 'weight' ? { scale: 1 / Math.sqrt(inF) } : {}));
      }),
  suiteCases,
  'all',
);
