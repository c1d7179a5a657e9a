import { describe, expect, it } from 'vitest';
import { InputRangeError } from '../../src/errors.ts';
import { ProgressBoard } from '../../src/stress/board.ts';
import { makeBlockCase, parseBlockShape } from '../../src/stress/blockCase.ts';
import { faultAt, parseFaults } from '../../src/stress/fault.ts';
import { idCheck, splitOps, validateStressOptions } from '../../src/stress/run.ts';
import type { StressOptions } from '../../src/stress/types.ts';
import { blockSpec, classifyCase } from '../../src/stress/deps.ts';
import { failureMessage, verifyOp } from '../../src/stress/verify.ts';
import { EXACT_ACCURACY } from '../../src/ops/types.ts';

const bitsOf = (t: { data: Float32Array } | null | undefined): number[] => Array.from(new Uint32Array(t!.data.buffer));

describe('stress units', () => {
  it('splits ops evenly, lower threads taking the remainder', () => {
    expect(splitOps(120, 4)).toEqual([30, 30, 30, 30]);
    expect(splitOps(10, 4)).toEqual([3, 3, 2, 2]);
    expect(splitOps(3, 4)).toEqual([1, 1, 1, 0]);
  });

  it('builds the same case from (seed, thread, op) anywhere, and different cases otherwise', () => {
    const s = parseBlockShape('1x4x5x6');
    const a = makeBlockCase(s, 42, 1, 7);
    const b = makeBlockCase(s, 42, 1, 7);
    expect(bitsOf(a.inputs['x'])).toEqual(bitsOf(b.inputs['x']));
    expect(bitsOf(a.inputs['pwWeight'])).toEqual(bitsOf(b.inputs['pwWeight']));
    expect(a.inputs['x']!.shape).toEqual([1, 4, 5, 6]);
    for (const other of [makeBlockCase(s, 43, 1, 7), makeBlockCase(s, 42, 2, 7), makeBlockCase(s, 42, 1, 8)]) {
      expect(bitsOf(other.inputs['x'])).not.toEqual(bitsOf(a.inputs['x']));
    }
  });

  it('rejects a malformed shape naming --shape', () => {
    expect(parseBlockShape(' 2x3X4×5 ')).toEqual({ n: 2, c: 3, h: 4, w: 5 });
    for (const bad of ['1x16x16', '0x16x16x16', '1x16x16x-1', 'axbxcxd', '1x4096x4096x4096']) {
      expect(() => parseBlockShape(bad)).toThrow(InputRangeError);
      expect(() => parseBlockShape(bad)).toThrow(/--shape must be NxCxHxW/);
    }
  });

  it('parses REFSIM_STRESS_FAULT and rejects anything else', () => {
    const f = parseFaults('crash:1:3, hang:0:0,wrong:2:10,lost:3:1');
    expect(f).toEqual([
      { kind: 'crash', thread: 1, op: 3 }, { kind: 'hang', thread: 0, op: 0 },
      { kind: 'wrong', thread: 2, op: 10 }, { kind: 'lost', thread: 3, op: 1 },
    ]);
    expect(faultAt(f, 2, 10)).toBe('wrong');
    expect(faultAt(f, 2, 9)).toBeNull();
    expect(parseFaults(undefined)).toEqual([]);
    for (const bad of ['explode:1:1', 'crash:1', 'crash:a:1', 'crash:1:1:1']) {
      expect(() => parseFaults(bad)).toThrow(/REFSIM_STRESS_FAULT must be/);
    }
  });

  it('validates options with the parameter name', () => {
    const base: StressOptions = {
      threads: 4, ops: 8, mode: 'separate', shape: parseBlockShape('1x2x3x3'), seed: 1, timeoutMs: 1000,
      engine: 'fake', fixtureDir: 'fixtures', faults: [], batch: 1, distinct: null, depth: 1,
    };
    expect(() => validateStressOptions({ ...base, threads: 0 })).toThrow(/threads must be an integer in \[1, 64\]/);
    expect(() => validateStressOptions({ ...base, depth: 0.5 })).toThrow(/depth must be/);
    expect(() => validateStressOptions({ ...base, faults: [{ kind: 'crash', thread: 4, op: 0 }] })).toThrow(/thread must be below --threads/);
  });

  it('the board keeps ids, progress and verdicts per thread; the id check flags duplicates and zero', () => {
    const b = new ProgressBoard(2, 3);
    const view = new ProgressBoard(2, 3, b.buffer); // what another thread sees
    b.start(0, 0, 1n);
    b.finish(0, 0, { exact: 5, withinBound: 1, violation: 0 });
    b.start(0, 1, 3n);
    b.start(1, 0, 2n);
    b.finish(1, 0, { exact: 4, withinBound: 0, violation: 2 });
    expect(view.started(0)).toBe(2);
    expect(view.finished(0)).toBe(1);
    expect(view.active(0)).toBe(1);
    expect(view.active(1)).toBe(0);
    expect(view.passed(0)).toBe(1);
    expect(view.passed(1)).toBe(0);
    expect(view.verdicts(1)).toEqual({ exact: 4, withinBound: 0, violation: 2 });
    expect([...view.threadIds(0)]).toEqual([1n, 3n]);
    expect([...view.threadIds(1)]).toEqual([2n]);
    expect(idCheck(view)).toMatchObject({ taken: 3, unique: 3, ok: true, min: '1', max: '3' });
    b.start(1, 1, 3n); // a second op got id 3: duplicate, and id 4 never handed out
    expect(idCheck(view)).toMatchObject({ taken: 4, unique: 3, duplicates: ['3'], missing: 1, ok: false });
    b.start(1, 1, 1n); // thread 1's ids go 2, 1: out of order within the thread
    expect(idCheck(view)).toMatchObject({ duplicates: ['1'], orderViolations: 1, ok: false });
  });
});

describe('stress verification', () => {
  const shape = parseBlockShape('1x4x6x6');
  it('an element that differs where the bound is infinite fails the op: no verdict is not a pass', () => {
    const c = makeBlockCase(shape, 5, 0, 0);
    const expected = blockSpec().reference(c, 'strict');
    const got = { shape: expected.shape, data: Float32Array.from(expected.data, (x, i) => (i === 0 ? x + 1 : x)) };
    // The classifier the worker uses, with the bound the block has for non-finite inputs: infinite.
    const v = classifyCase({ spec: { bound: () => new Float64Array(expected.data.length).fill(Infinity) }, case: c, got, expected, accuracy: EXACT_ACCURACY });
    expect(v).toMatchObject({ unbounded: 1, violations: 0 });
    expect(failureMessage(v)).toBe('1 element(s) differ where the bound is infinite (no verdict, not a pass)');
  });

  it('an exact result passes; a violation fails with its count', () => {
    const c = makeBlockCase(shape, 6, 1, 2);
    const expected = blockSpec().reference(c, 'strict');
    expect(failureMessage(verifyOp(c, { shape: expected.shape, data: expected.data.slice() }, expected, EXACT_ACCURACY))).toBeNull();
    expect(failureMessage({ violations: 3, unbounded: 0 })).toBe('3 element(s) violate the verdict rules');
    expect(failureMessage({ violations: 1, unbounded: 2 })).toBe('1 element(s) violate the verdict rules; 2 element(s) differ where the bound is infinite (no verdict, not a pass)');
  });
});
