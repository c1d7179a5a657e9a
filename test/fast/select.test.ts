/** Path selection: REFSIM_REFERENCE / options, size thresholds, fallbacks, and the registry hook. */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { Arena, ArenaFullError } from '../../src/fast/arena.ts';
import { evaluateReference, FAST_OPS } from '../../src/fast/index.ts';
import { linearFast } from '../../src/ops/linear/fast.ts';
import { loadKernels, MAX_PAGES } from '../../src/fast/module.ts';
import { FAST_MIN_WORK, resolveOptions, wantsFast } from '../../src/fast/select.ts';
import { opSpecs } from '../../src/ops/registry.ts';
import { type OpCase } from '../../src/ops/types.ts';
import { OP_NAMES } from '../../src/ops/index.ts';
import { tensor } from '../../src/reference/tensor.ts';
import { expectInputRangeError } from '../support/inputErrors.ts';
import { expectBitExact, randomTensor } from '../support/tensorArb.ts';
import { tsSpecs } from './helpers.ts';
import { linearCases } from '../../src/ops/linear/cases.ts';

const linearSpec = tsSpecs.linear;

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

const linearCase = (n: number, inF: number, outF: number): OpCase => ({
  op: 'linear',
  params: {},
  inputs: { x: randomTensor([n, inF], 11), weight: randomTensor([outF, inF], 12), bias: randomTensor([outF], 13) },
});

describe('options and environment', () => {
  test("default 'auto'; REFSIM_REFERENCE selects; options override it", () => {
    vi.stubEnv('REFSIM_REFERENCE', '');
    expect(resolveOptions().mode).toBe('auto');
    for (const mode of ['ts', 'fast', 'auto'] as const) {
      vi.stubEnv('REFSIM_REFERENCE', mode);
      expect(resolveOptions().mode).toBe(mode);
      expect(resolveOptions({ mode: 'ts' }).mode).toBe('ts');
    }
    vi.stubEnv('REFSIM_REFERENCE_THREADS', '3');
    expect(resolveOptions().threads).toBe(3);
    expect(resolveOptions({ threads: 2 }).threads).toBe(2);
  });

  test('bad values are typed errors naming the variable or option and the allowed values', () => {
    vi.stubEnv('REFSIM_REFERENCE', 'wasm');
    expectInputRangeError(() => resolveOptions(), 'REFSIM_REFERENCE');
    vi.stubEnv('REFSIM_REFERENCE', 'auto');
    vi.stubEnv('REFSIM_REFERENCE_THREADS', '0');
    expectInputRangeError(() => resolveOptions(), 'REFSIM_REFERENCE_THREADS');
    vi.stubEnv('REFSIM_REFERENCE_THREADS', '2.5');
    expectInputRangeError(() => resolveOptions(), 'REFSIM_REFERENCE_THREADS');
    vi.stubEnv('REFSIM_REFERENCE_THREADS', '');
    expectInputRangeError(() => resolveOptions({ mode: 'gpu' as never }), 'options.mode');
    expectInputRangeError(() => resolveOptions({ threads: 65 }), 'options.threads');
  });

  test('every op has a fast path and a threshold', () => {
    for (const op of OP_NAMES) {
      expect(FAST_OPS[op], op).toBeDefined();
      expect(FAST_MIN_WORK[op], op).toBeGreaterThan(0);
      expect(wantsFast(op, FAST_MIN_WORK[op] - 1, 'auto')).toBe(false);
      expect(wantsFast(op, FAST_MIN_WORK[op], 'auto')).toBe(true);
      expect(wantsFast(op, 1, 'fast')).toBe(true);
      expect(wantsFast(op, 1e12, 'ts')).toBe(false);
    }
  });
});

describe('evaluateReference', () => {
  const small = linearCase(2, 3, 5); // 30 multiply-adds
  const large = linearCase(8, 64, 16); // 8192

  test("'ts' never runs the fast path, 'fast' always does, 'auto' from the threshold on", () => {
    const run = vi.spyOn(linearFast, 'run');
    expect(small.inputs['x']!.data.length * 5).toBeLessThan(FAST_MIN_WORK.linear);
    expect(8 * 64 * 16).toBeGreaterThanOrEqual(FAST_MIN_WORK.linear);
    const calls = (mode: 'ts' | 'fast' | 'auto', c: OpCase): number => {
      run.mockClear();
      expectBitExact(evaluateReference(linearSpec, c, 'strict', { mode }), linearSpec.reference(c, 'strict'), mode);
      return run.mock.calls.length;
    };
    expect(calls('ts', large)).toBe(0);
    expect(calls('fast', small)).toBe(1);
    expect(calls('auto', small)).toBe(0);
    expect(calls('auto', large)).toBe(1);
  });

  test('a case the fast path does not cover (invalid) falls back to TypeScript, which reports it', () => {
    const bad: OpCase = { op: 'linear', params: {}, inputs: { x: tensor([2, 3]), weight: tensor([4, 5]), bias: null } };
    expectInputRangeError(() => evaluateReference(linearSpec, bad, 'strict', { mode: 'fast' }), 'weight.shape[1]');
    expectInputRangeError(() => evaluateReference(linearSpec, linearCase(1, 2, 3), 'float64' as never, { mode: 'fast' }), 'options.profile');
  });

  test('the registry routes spec.reference through it (REFSIM_REFERENCE applies)', () => {
    const run = vi.spyOn(linearFast, 'run');
    vi.stubEnv('REFSIM_REFERENCE', 'fast');
    const got = opSpecs.linear.reference(small, 'fma');
    expect(run).toHaveBeenCalledTimes(1);
    expectBitExact(got, linearSpec.reference(small, 'fma'), 'registry, fast');
    vi.stubEnv('REFSIM_REFERENCE', 'ts');
    opSpecs.linear.reference(large, 'fma');
    expect(run).toHaveBeenCalledTimes(1);
  });

  test('a call larger than wasm memory is left to TypeScript (the arena refuses before growing)', () => {
    const kernels = loadKernels()!;
    const arena = new Arena(kernels.memory);
    const before = kernels.memory.buffer.byteLength;
    expect(() => arena.alloc(MAX_PAGES * 65536)).toThrow(ArenaFullError);
    expect(kernels.memory.buffer.byteLength).toBe(before);
  });
});
