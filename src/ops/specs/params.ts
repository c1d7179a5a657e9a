/** Reading an OpCase's JSON params and inputs with typed errors (src/errors.ts). */
import { InputRangeError } from '../../errors.ts';
import type { JsonValue, OpCase } from '../types.ts';
import type { Tensor } from '../../reference/tensor.ts';

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

/** A number or [number, number] param (passed on to the op, which validates the values). */
export function pairParam(c: OpCase, name: string, fallback: number): number | [number, number] {
  const v: JsonValue | undefined = paramsOf(c)[name];
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'number') return v;
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number') return [v[0], v[1]];
  throw new InputRangeError(`params.${name}`, 'a number or a pair [h, w] of numbers', v);
}

/** A number param. */
export function numberParam(c: OpCase, name: string, fallback?: number): number {
  const v = paramsOf(c)[name];
  if ((v === undefined || v === null) && fallback !== undefined) return fallback;
  if (typeof v !== 'number') throw new InputRangeError(`params.${name}`, 'a number', v);
  return v;
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

/** Row-major strides of a shape. */
export function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!;
  return s;
}
