/**
 * Argument checks shared by the CNN ops. Every failure is an InputRangeError naming the
 * parameter (as the caller spelled it, e.g. 'weight.shape[2]') and the allowed range, so the CLI
 * and the registry can report bad cases as one clear line.
 */
import { InputRangeError } from '../errors.ts';
import { MAX_TENSOR_ELEMENTS, MAX_TENSOR_ELEMENTS_TEXT, type OpOptions, type Profile, type Tensor } from './tensor.ts';

/** A safe integer ≥ 1 (sizes, strides: arithmetic on them stays exact). */
export function isPositiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 1;
}

/** Names the range of an integer param: a huge integer such as 1e30 is not one (not safe). */
const intRange = (min: number, v: unknown): string =>
  typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v) ? `a safe integer ≥ ${min} (at most 2^53 − 1)` : `an integer ≥ ${min}`;

export function positiveInt(v: unknown, param: string): number {
  if (!isPositiveInt(v)) throw new InputRangeError(param, intRange(1, v), v);
  return v;
}

export function nonNegativeInt(v: unknown, param: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new InputRangeError(param, intRange(0, v), v);
  return v;
}

/**
 * Rejects an output of more than MAX_TENSOR_ELEMENTS elements before anything is allocated, naming
 * `param`, the parameter that makes it that large (e.g. 'outputSize'), and its value `got`.
 */
export function checkOutputElements(outputShape: readonly number[], param: string, got: unknown): void {
  let n = 1;
  for (const d of outputShape) n *= d;
  if (n > MAX_TENSOR_ELEMENTS) {
    throw new InputRangeError(param, `such that the output holds at most ${MAX_TENSOR_ELEMENTS} (${MAX_TENSOR_ELEMENTS_TEXT}) elements (output [${outputShape.join(', ')}] would hold ${n})`, got);
  }
}

/**
 * `number | [number, number]` → a pair, each checked by `check` ('x' → 'x[0]', 'x[1]'). With
 * `single`, a one-element list [n] is n on both axes too (PyTorch's conv2d params).
 */
export function intPair(v: unknown, param: string, check: (v: unknown, param: string) => number, single = false): [number, number] {
  if (Array.isArray(v)) {
    if (single && v.length === 1) {
      const n = check(v[0], `${param}[0]`);
      return [n, n];
    }
    if (v.length !== 2) throw new InputRangeError(param, single ? 'a number, [n] or a pair [h, w]' : 'a number or a pair [h, w]', v);
    return [check(v[0], `${param}[0]`), check(v[1], `${param}[1]`)];
  }
  const n = check(v, param);
  return [n, n];
}

export function finiteNumber(v: unknown, param: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputRangeError(param, 'a finite number', v);
  return v;
}

/** The profile of an op's options object (default 'strict'). */
export function profileOf(options: OpOptions | undefined, param = 'options.profile'): Profile {
  if (options === undefined || options === null) return 'strict';
  if (typeof options !== 'object') throw new InputRangeError('options', "an object { profile?: 'strict' | 'fma' }", options);
  const p = options.profile;
  if (p === undefined) return 'strict';
  if (p !== 'strict' && p !== 'fma') throw new InputRangeError(param, "'strict' or 'fma'", p);
  return p;
}

/**
 * Checks a tensor: a shape of `rank` positive integers (zero-sized and negative dims are
 * rejected) and a Float32Array holding exactly numel(shape) elements.
 */
export function checkTensor(t: unknown, paramName: string, rank: number): Tensor {
  const param = typeof paramName === 'string' ? paramName : 'tensor';
  if (!Number.isSafeInteger(rank) || rank < 0) throw new InputRangeError('rank', 'an integer ≥ 0', rank);
  if (typeof t !== 'object' || t === null) throw new InputRangeError(param, `a tensor of rank ${rank}`, t);
  const { shape, data } = t as Partial<Tensor>;
  if (!Array.isArray(shape)) throw new InputRangeError(`${param}.shape`, `an array of ${rank} dims`, shape);
  if (shape.length !== rank) throw new InputRangeError(`${param}.shape`, `rank ${rank}`, shape);
  let n = 1;
  shape.forEach((d, i) => {
    positiveInt(d, `${param}.shape[${i}]`);
    n *= d;
  });
  if (n > MAX_TENSOR_ELEMENTS) throw new InputRangeError(`${param}.shape`, `at most ${MAX_TENSOR_ELEMENTS} (${MAX_TENSOR_ELEMENTS_TEXT}) elements in all`, shape);
  if (!(data instanceof Float32Array)) throw new InputRangeError(`${param}.data`, 'a Float32Array', data);
  if (data.length !== n) throw new InputRangeError(`${param}.data.length`, `${n} (the product of ${param}.shape)`, data.length);
  return t as Tensor;
}

/** An optional tensor argument: undefined/null → null, else checked to be exactly `shape`. */
export function optionalTensorOfShape(t: unknown, param: string, shape: readonly number[]): Tensor | null {
  if (t === undefined || t === null) return null;
  const checked = checkTensor(t, param, shape.length);
  shape.forEach((d, i) => {
    if (checked.shape[i] !== d) throw new InputRangeError(`${param}.shape[${i}]`, `${d} (expected shape [${shape.join(', ')}])`, checked.shape[i]);
  });
  return checked;
}

/** Requires `t.shape[dim] === want`, naming why. */
export function requireDim(t: Tensor, param: string, dim: number, want: number, why: string): void {
  if (t.shape[dim] !== want) throw new InputRangeError(`${param}.shape[${dim}]`, `${want} (${why})`, t.shape[dim]);
}
