/**
 * PyTorch parity fixtures (fixtures/pytorch/<op>.json, written by scripts/gen_pytorch_fixtures.py
 * on a machine with torch): each case's inputs and PyTorch CPU's float32 output as exact bit
 * patterns, with the op's params in the registry's JSON form. This module is the file's schema
 * and loader; test/reference/pytorchParity.test.ts checks the reference against it.
 */
import { z } from 'zod';
import { describeValue, RefsimError } from '../errors.ts';
import { numel, type Tensor } from '../reference/tensor.ts';
import { readJsonCapped } from '../util/readJson.ts';
import { hexBitsSchema, tensorFromHexBits } from './shared/hexBits.ts';
import { opSpecs } from './registry.ts';
import { OP_NAMES } from './index.ts';
import { caseKeyProblems, type JsonValue, type OpCase, type OpName } from './types.ts';

export const PYTORCH_FIXTURE_FORMAT = 1;

const tensorSchema = z
  .strictObject({ shape: z.array(z.number().int().positive()).min(1).max(8), hex: z.array(hexBitsSchema) })
  .refine((t) => numel(t.shape) === t.hex.length, { message: 'hex.length must equal the product of shape' });

const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.number(), z.string(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

const caseSchema = z.strictObject({
  params: z.record(z.string(), jsonValue),
  inputs: z.record(z.string(), tensorSchema.nullable()),
  output: tensorSchema,
});

export const pytorchFixtureSchema = z.strictObject({
  format: z.literal(PYTORCH_FIXTURE_FORMAT),
  op: z.enum(OP_NAMES),
  torchVersion: z.string().min(1),
  generator: z.string(),
  settings: z.record(z.string(), jsonValue).optional(),
  cases: z.array(caseSchema).min(1),
});

export type PytorchFixtureFile = z.infer<typeof pytorchFixtureSchema>;

export interface PytorchParityCase {
  readonly case: OpCase;
  /** PyTorch's output. */
  readonly expected: Tensor;
}

export interface PytorchFixture {
  readonly op: OpName;
  readonly torchVersion: string;
  readonly cases: readonly PytorchParityCase[];
}

/** Float32 tensor from the fixture's hex bit patterns (bit-exact, NaN payloads included). */
export function tensorFromHex(t: { shape: number[]; hex: string[] }): Tensor {
  return tensorFromHexBits(t.shape, t.hex);
}

/** Parses and validates a fixture document (throws RefsimError E_FIXTURE naming the problem). */
export function parsePytorchFixture(doc: unknown, sourceName = 'fixture'): PytorchFixture {
  const source = typeof sourceName === 'string' ? sourceName : describeValue(sourceName);
  const r = pytorchFixtureSchema.safeParse(doc);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new RefsimError('E_FIXTURE', `${source}: invalid PyTorch fixture at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const f = r.data;
  const spec = opSpecs[f.op];
  f.cases.forEach((c, i) => {
    const problem = caseKeyProblems(spec, c.params, c.inputs)[0];
    if (problem !== undefined) throw new RefsimError('E_FIXTURE', `${source}: invalid PyTorch fixture at cases.${i}.${problem}`);
  });
  return {
    op: f.op,
    torchVersion: f.torchVersion,
    cases: f.cases.map((c) => ({
      case: {
        op: f.op,
        params: c.params,
        inputs: Object.fromEntries(Object.entries(c.inputs).map(([k, t]) => [k, t === null ? null : tensorFromHex(t)])),
      },
      expected: tensorFromHex(c.output),
    })),
  };
}

/** Largest PyTorch fixture file read (the generated ones are tens of kilobytes). */
export const MAX_PYTORCH_FIXTURE_BYTES = 64 * 2 ** 20;

/** Reads and validates fixtures/pytorch/<op>.json (or any path). */
export function loadPytorchFixture(path: string): PytorchFixture {
  return parsePytorchFixture(readJsonCapped(path, MAX_PYTORCH_FIXTURE_BYTES, 'E_FIXTURE', 'PyTorch fixture'), path);
}
