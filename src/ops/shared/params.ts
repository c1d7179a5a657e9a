/**
 * Reading an OpCase: its params through the op's zod schema (src/ops/<op>/params.ts: the names,
 * the accepted forms, the defaults; unknown keys rejected) and its input tensors by name, with
 * typed errors (src/errors.ts). The op itself then validates the values (a stride of 0, a
 * numGroups that does not divide the channels), naming them in its own terms.
 */
import { z } from 'zod';
import { InputRangeError } from '../../errors.ts';
import type { Tensor } from '../../reference/tensor.ts';
import type { OpCase } from '../types.ts';

/** Any JavaScript number, NaN and ±Infinity included: the op's own checks name those precisely. */
export const anyNumber = (allowed: string) => z.custom<number>((v) => typeof v === 'number', { error: allowed });

/** A number param; absent or null is `fallback` when one is given, else an error. */
export function numberParam(fallback?: number): z.ZodType<number, unknown> {
  if (fallback === undefined) return anyNumber('a number');
  return anyNumber('a number').nullish().transform((v) => v ?? fallback);
}

const PAIR = 'a number, [n] or a pair [h, w] of numbers';

/**
 * A convolution's per-axis param as PyTorch's conv2d takes it: a number, a one-element list (the
 * same for both axes) or a pair [h, w]; absent or null is `fallback`.
 */
export function pairParam(fallback: number): z.ZodType<number | [number] | [number, number], unknown> {
  return z
    .union([anyNumber(PAIR), z.tuple([anyNumber(PAIR)]), z.tuple([anyNumber(PAIR), anyNumber(PAIR)])], { error: PAIR })
    .nullish()
    .transform((v) => v ?? fallback);
}

/** The strings conv2d takes as padding. */
export const PADDING_STRINGS = ['valid', 'same'] as const;
export type PaddingString = (typeof PADDING_STRINGS)[number];
export type Padding = number | [number] | [number, number] | PaddingString;

const PADDING = `a number, [n], a pair [h, w] of numbers, 'valid' or 'same'`;

/** A conv2d padding param: pairParam's forms or 'valid' / 'same'; absent or null is 0. */
export function paddingParam(): z.ZodType<Padding, unknown> {
  return z
    .union([anyNumber(PADDING), z.tuple([anyNumber(PADDING)]), z.tuple([anyNumber(PADDING), anyNumber(PADDING)]), z.enum(PADDING_STRINGS)], { error: PADDING })
    .nullish()
    .transform((v) => v ?? 0);
}

/** An op's params: the schema, the names it takes, and the reader every consumer goes through. */
export interface OpParams<T> {
  readonly schema: z.ZodType<T, unknown>;
  /** Every key the op takes (a saved case must carry all of them; others are rejected). */
  readonly names: readonly string[];
  /** The case's params, checked and with defaults filled in; throws InputRangeError naming the param. */
  read(c: OpCase): T;
}

/** The OpParams of `op` from the zod shape of its params. */
export function opParams<S extends Record<string, z.ZodType<unknown, unknown>>>(op: string, shape: S): OpParams<z.output<z.ZodObject<S>>> {
  const schema = z.strictObject(shape);
  const names = Object.keys(shape);
  return {
    schema,
    names,
    read(c) {
      const params = paramsOf(c);
      const r = schema.safeParse(params);
      if (r.success) return r.data;
      const issue = r.error.issues[0]!;
      if (issue.code === 'unrecognized_keys') {
        const key = issue.keys[0]!;
        throw new InputRangeError(`params.${key}`, `absent (${op} takes ${names.length === 0 ? 'no params' : names.join(', ')})`, params[key]);
      }
      const key = String(issue.path[0]);
      throw new InputRangeError(`params.${key}`, issue.message, params[key]);
    },
  };
}

/** The case's params object (a JavaScript caller may pass anything as the case). */
function paramsOf(c: OpCase): OpCase['params'] {
  if (typeof c !== 'object' || c === null) throw new InputRangeError('case', 'an OpCase { op, params, inputs }', c);
  const p: unknown = c.params;
  if (p === undefined) return {};
  if (typeof p !== 'object' || p === null || Array.isArray(p)) throw new InputRangeError('case.params', 'an object of JSON params', p);
  return p as OpCase['params'];
}

function inputsOf(c: OpCase): OpCase['inputs'] {
  if (typeof c !== 'object' || c === null) throw new InputRangeError('case', 'an OpCase { op, params, inputs }', c);
  const i: unknown = c.inputs;
  if (typeof i !== 'object' || i === null || Array.isArray(i)) throw new InputRangeError('case.inputs', 'an object of named tensors', i);
  return i as OpCase['inputs'];
}

/** A required input tensor. */
export function input(c: OpCase, name: string): Tensor {
  const t = inputsOf(c)[name];
  if (t === undefined || t === null) throw new InputRangeError(`inputs.${name}`, 'a tensor', t);
  return t;
}

/** An optional input tensor (absent or null → null). */
export function optionalInput(c: OpCase, name: string): Tensor | null {
  return inputsOf(c)[name] ?? null;
}
