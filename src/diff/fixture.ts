/**
 * Mismatch fixtures: one minimal failing case, saved so `refsim repro FILE` can replay it bit for
 * bit on any machine. Inputs are stored as float32 bit patterns (8 hex digits each), never as
 * decimal text, so NaN payloads, −0 and subnormals survive. Validated with zod on read; a bad file
 * becomes one RefsimError line, never a stack trace.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { RefsimError } from '../errors.ts';
import { readJsonCapped } from '../util/readJson.ts';
import { opSpecs } from '../ops/registry.ts';
import { caseKeyProblems, type Accuracy, type OpCase, type OpName } from '../ops/types.ts';
import { OP_NAMES } from '../ops/index.ts';
import { numel, PROFILES, type Profile, type Tensor } from '../reference/tensor.ts';
import { type AdapterReport, adapterReportSchema } from '../gpu/types.ts';
import { hexBitsSchema, tensorFromHexBits, tensorHexBits } from '../ops/shared/hexBits.ts';
import { version } from '../version.ts';
import { writeFileAtomic } from '../util/atomicWrite.ts';

export const FIXTURE_FORMAT = 'refsim-mismatch/1';

const tensorSchema = z
  .strictObject({
    shape: z.array(z.number().int().nonnegative()).max(8),
    bits: z.array(hexBitsSchema),
  })
  .refine((t) => numel(t.shape) === t.bits.length, { message: 'bits.length must equal the product of shape' });

const accuracySchema = z.strictObject({
  divUlp: z.number().nonnegative(),
  sqrtUlp: z.number().nonnegative(),
  inverseSqrtUlp: z.number().nonnegative(),
  flushSubnormals: z.boolean(),
});

const elementSchema = z.strictObject({
  index: z.number().int().nonnegative(),
  gotBits: hexBitsSchema,
  expectedBits: hexBitsSchema,
  ulp: z.number().nullable(),
  bound: z.number().nullable(),
  reason: z.string(),
});

export const fixtureSchema = z.strictObject({
  format: z.literal(FIXTURE_FORMAT),
  refsimVersion: z.string(),
  createdAt: z.string(),
  op: z.enum(OP_NAMES),
  params: z.record(z.string(), z.json()),
  inputs: z.record(z.string(), tensorSchema.nullable()),
  backend: z.string(),
  adapter: adapterReportSchema,
  profile: z.enum(PROFILES as readonly [Profile, ...Profile[]]),
  accuracy: accuracySchema,
  generator: z.strictObject({
    seed: z.number().int(),
    /** fast-check path of the shrunk counterexample ("17:0:3"). */
    path: z.string().regex(/^\d+(:\d+)*$/),
    maxElements: z.number().int().positive(),
    specialValues: z.boolean(),
  }),
  /** What the run saw: violation count and the first violating elements. */
  observed: z.strictObject({
    violations: z.number().int().nonnegative(),
    first: z.array(elementSchema),
  }),
});

export type Fixture = z.infer<typeof fixtureSchema>;
export type FixtureElement = z.infer<typeof elementSchema>;

export function tensorToBits(t: Tensor): { shape: number[]; bits: string[] } {
  return { shape: [...t.shape], bits: tensorHexBits(t) };
}

export function bitsToTensor(t: { shape: number[]; bits: string[] }): Tensor {
  return tensorFromHexBits(t.shape, t.bits);
}

/** The case a fixture describes, bit for bit. */
export function fixtureCase(f: Fixture): OpCase {
  const inputs: Record<string, Tensor | null> = {};
  for (const [name, t] of Object.entries(f.inputs)) inputs[name] = t === null ? null : bitsToTensor(t);
  return { op: f.op, params: f.params as OpCase['params'], inputs };
}

export interface FixtureMeta {
  readonly backend: string;
  readonly adapter: AdapterReport;
  readonly profile: Profile;
  readonly accuracy: Accuracy;
  readonly generator: Fixture['generator'];
  readonly observed: Fixture['observed'];
}

export function makeFixture(c: OpCase, meta: FixtureMeta): Fixture {
  const inputs: Fixture['inputs'] = {};
  for (const [name, t] of Object.entries(c.inputs)) inputs[name] = t === null ? null : tensorToBits(t);
  return {
    format: FIXTURE_FORMAT,
    refsimVersion: version,
    createdAt: new Date().toISOString(),
    op: c.op,
    params: c.params as Fixture['params'],
    inputs,
    backend: meta.backend,
    adapter: { ...meta.adapter },
    profile: meta.profile,
    accuracy: { ...meta.accuracy },
    generator: { ...meta.generator },
    observed: meta.observed,
  };
}

/** Content hash of the case alone (op, params, input bits): same case, same file name. */
export function caseHash(f: Pick<Fixture, 'op' | 'params' | 'inputs'>): string {
  const canonical = JSON.stringify([f.op, sortKeys(f.params), sortKeys(f.inputs)]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 12);
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  }
  return v;
}

export function fixtureFileName(op: OpName, hash: string): string {
  return `mismatch-${op}-${hash}.json`;
}

/** Writes the fixture into `dir` atomically (temp file + rename); returns its path. */
export function writeFixture(dir: string, f: Fixture): string {
  const file = join(dir, fixtureFileName(f.op, caseHash(f)));
  try {
    writeFileAtomic(file, `${JSON.stringify(f, null, 1)}\n`);
  } catch (e) {
    throw new RefsimError('E_FIXTURE_WRITE', `cannot write fixture ${file}: ${(e as Error).message.replace(/^cannot write [^:]*: /, '')}`);
  }
  return file;
}

/**
 * Largest fixture `refsim repro` reads: a shrunk mismatch is a few kilobytes; an unshrunk case at
 * the generator's largest size (--max-elements 2^24 per input) fits.
 */
export const MAX_FIXTURE_BYTES = 256 * 2 ** 20;

/** Reads and validates a fixture; every failure is one RefsimError('E_FIXTURE') line. */
export function readFixture(file: string, maxBytes = MAX_FIXTURE_BYTES): Fixture {
  return parseFixture(readJsonCapped(file, maxBytes, 'E_FIXTURE', 'fixture'), `fixture ${file}`);
}

/**
 * Validates a fixture document: the schema (strict: unknown keys are errors), then the case's keys
 * against its op (every param it needs, no param or input it does not take).
 */
export function parseFixture(json: unknown, source = 'fixture'): Fixture {
  const parsed = fixtureSchema.safeParse(json);
  const issues = parsed.success
    ? caseKeyProblems(opSpecs[parsed.data.op], parsed.data.params, parsed.data.inputs)
    : parsed.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`);
  if (!parsed.success || issues.length > 0) {
    const more = issues.length > 3 ? ` (+${issues.length - 3} more)` : '';
    throw new RefsimError('E_FIXTURE', `${source} does not match the ${FIXTURE_FORMAT} schema: ${issues.slice(0, 3).join('; ')}${more}`);
  }
  return parsed.data;
}
