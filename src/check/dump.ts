/**
 * The dump format of `refsim check` (docs/check.md): one safetensors file per op invocation.
 * Tensors are named by the op's input names exactly as the reference signature names them
 * (`x`, `weight`, `bias`, …; an absent optional input is simply missing), plus the backend's
 * result as `output`. `__metadata__` holds `op` (the refsim op name), `params` (the op's parameters
 * as a JSON object in refsim's names) and free-form strings such as `device`, `source`, `torch`.
 */
import { z } from 'zod';
import { InputRangeError, RefsimError } from '../errors.ts';
import { getOpSpec, isOpName } from '../ops/registry.ts';
import { type JsonValue, type OpCase, type OpName, type OpSpec } from '../ops/types.ts';
import { OP_NAMES } from '../ops/index.ts';
import type { Tensor } from '../reference/tensor.ts';
import { type Dtype, type SafetensorsHeader, SafetensorsError, readSafetensorsHeader, readTensorF32 } from './safetensors.ts';

const OUTPUT_TENSOR = 'output';

const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.number(), z.string(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

/** The `__metadata__` keys refsim reads; any other string key is kept as free-form information. */
const dumpMetadataSchema = z.looseObject({
  op: z.string().min(1),
  params: z.string().default('{}'),
  device: z.string().optional(),
  source: z.string().optional(),
});

export interface Dump {
  readonly file: string;
  readonly op: OpName;
  readonly case: OpCase;
  readonly output: Tensor;
  /** Every `__metadata__` entry as written. */
  readonly metadata: Readonly<Record<string, string>>;
  readonly device: string | null;
  /** Tensors stored as F16/BF16 and widened exactly to float32, with their dtype. */
  readonly widened: ReadonlyArray<{ readonly name: string; readonly dtype: Dtype }>;
}

function parseParams(file: string, op: OpName, spec: OpSpec, text: string): OpCase['params'] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new SafetensorsError(file, `__metadata__.params is not JSON: ${(e as Error).message}`);
  }
  const r = z.record(z.string(), jsonValue).safeParse(raw);
  if (!r.success || Array.isArray(raw)) throw new SafetensorsError(file, `__metadata__.params must be a JSON object, e.g. {"numGroups": 8, "eps": 1e-05}`);
  const unknown = Object.keys(r.data).filter((k) => !spec.paramNames.includes(k));
  if (unknown.length > 0) {
    const allowed = spec.paramNames.length === 0 ? 'none' : spec.paramNames.join(', ');
    throw new SafetensorsError(file, `${op} has no parameter ${unknown.map((k) => JSON.stringify(k)).join(', ')} (its parameters: ${allowed})`);
  }
  return r.data;
}

/** A dump's validated header: op, params and tensor names checked, no tensor data read yet. */
export interface DumpHeader {
  readonly file: string;
  readonly op: OpName;
  readonly params: OpCase['params'];
  readonly header: SafetensorsHeader;
  readonly metadata: Readonly<Record<string, string>>;
  readonly device: string | null;
}

/** Reads and validates a dump's header only (cheap: a few hundred bytes). */
export function inspectDump(file: string): DumpHeader {
  const header = readSafetensorsHeader(file);
  const meta = dumpMetadataSchema.safeParse(header.metadata);
  if (!meta.success) {
    const i = meta.error.issues[0]!;
    throw new SafetensorsError(file, `__metadata__.${i.path.join('.') || '(root)'}: ${i.message} (a dump names its op, e.g. "op": "groupNorm")`);
  }
  const opName = meta.data.op;
  if (!isOpName(opName)) throw new SafetensorsError(file, `unknown op ${JSON.stringify(opName)}; valid ops: ${OP_NAMES.join(', ')}`);
  const spec = getOpSpec(opName);
  const params = parseParams(file, opName, spec, meta.data.params);
  const names = header.tensors.map((t) => t.name);
  if (!names.includes(OUTPUT_TENSOR)) throw new SafetensorsError(file, `no tensor named "${OUTPUT_TENSOR}" (the backend's result)`);
  for (const name of names) {
    if (name !== OUTPUT_TENSOR && !spec.inputNames.includes(name)) {
      throw new SafetensorsError(file, `tensor ${JSON.stringify(name)} is neither an input of ${opName} (${spec.inputNames.join(', ')}) nor "${OUTPUT_TENSOR}"`);
    }
  }
  return { file, op: opName, params, header, metadata: header.metadata, device: meta.data.device ?? null };
}

/** Reads a dump's tensors and checks them against the op (a SafetensorsError naming the file when it rejects them). */
export function loadDump(h: DumpHeader): Dump {
  const spec = getOpSpec(h.op);
  const entries = new Map(h.header.tensors.map((t) => [t.name, t]));
  const inputs: Record<string, Tensor | null> = {};
  for (const name of spec.inputNames) {
    const e = entries.get(name);
    inputs[name] = e === undefined ? null : { shape: [...e.shape], data: readTensorF32(h.header, e) };
  }
  const c: OpCase = { op: h.op, params: h.params, inputs };
  try {
    spec.outputShape(c);
  } catch (e) {
    if (e instanceof InputRangeError || e instanceof RefsimError) throw new SafetensorsError(h.file, `${h.op} rejects the dump: ${e.message}`);
    throw e;
  }
  const outEntry = entries.get(OUTPUT_TENSOR)!;
  const output = { shape: [...outEntry.shape], data: readTensorF32(h.header, outEntry) };
  const widened = h.header.tensors.filter((t) => t.dtype !== 'F32').map((t) => ({ name: t.name, dtype: t.dtype }));
  return { file: h.file, op: h.op, case: c, output, metadata: h.metadata, device: h.device, widened };
}

/** inspectDump then loadDump. */
export function readDump(file: string): Dump {
  return loadDump(inspectDump(file));
}
