/**
 * Worker threads split a call's outputs into jobs, each computed by the same code: the result
 * must not depend on the number of threads or jobs (NaNs as a class: payloads may differ between
 * V8's tiers).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { evaluateReference, runFast, startThreads, stopThreads, threadStats } from '../../src/fast/index.ts';
import { THREAD_MIN_WORK } from '../../src/fast/select.ts';
import { type OpCase } from '../../src/ops/types.ts';
import { OP_NAMES } from '../../src/ops/index.ts';
import { PROFILES } from '../../src/reference/tensor.ts';
import { fcParams } from '../support/seed.ts';
import { expectBitExact, randomTensor } from '../support/tensorArb.ts';
import { tsSpecs } from './helpers.ts';
import { linearCases } from '../../src/ops/linear/cases.ts';
import { pointwiseConv2dCases } from '../../src/ops/pointwiseConv2d/cases.ts';
import { depthwiseSeparableBlockCases } from '../../src/ops/depthwiseSeparableBlock/cases.ts';

const linearSpec = tsSpecs.linear;

const THREADS = 4;

beforeAll(() => {
  expect(startThreads(THREADS), 'workers ready').toBe(THREADS - 1);
});
afterAll(async () => {
  await stopThreads();
});

function expectSameOnThreads(c: OpCase): void {
  const spec = tsSpecs[c.op];
  for (const profile of PROFILES) {
    const one = runFast(c.op, c, profile, 1);
    const many = runFast(c.op, c, profile, THREADS);
    // more jobs than threads: waves of jobs on the workers, and several jobs on one thread
    const waves = runFast(c.op, c, profile, THREADS, 3 * THREADS - 1);
    const parts = runFast(c.op, c, profile, 1, 5);
    expect(one).not.toBeNull();
    expectBitExact(many!, one!, `${c.op} (${profile}): ${THREADS} threads vs 1`);
    expectBitExact(waves!, one!, `${c.op} (${profile}): ${THREADS} threads, ${3 * THREADS - 1} jobs vs 1`);
    expectBitExact(parts!, one!, `${c.op} (${profile}): 1 thread, 5 jobs vs 1`);
    expectBitExact(one!, spec.reference(c, profile), `${c.op} (${profile}): fast vs TypeScript`);
  }
}

describe.each(OP_NAMES)('%s on 1 and 4 threads', (op) => {
  test('generated cases (normal and special values) give the same bits', () => {
    const before = threadStats().jobsRun;
    for (const specialValues of [false, true]) {
      fc.assert(
        fc.property(tsSpecs[op].arbitrary({ maxElements: 4096, specialValues }), expectSameOnThreads),
        fcParams(op === 'depthwiseSeparableBlock' ? 10 : 20),
      );
    }
    expect(threadStats().jobsRun, 'jobs ran on worker threads').toBeGreaterThan(before);
  });
});

test('larger GEMM-shaped and block cases give the same bits', () => {
  fc.assert(fc.property(linearCases({ size: 'wide', specialValues: true }), expectSameOnThreads), fcParams(8));
  fc.assert(fc.property(pointwiseConv2dCases({ size: 'wide', specialValues: true }), expectSameOnThreads), fcParams(8));
  fc.assert(fc.property(depthwiseSeparableBlockCases({ size: 'small', specialValues: true }), expectSameOnThreads), fcParams(8));
});

test('evaluateReference splits a call of at least THREAD_MIN_WORK multiply-adds over the threads', () => {
  const inF = 256;
  const outF = 128;
  const n = Math.ceil(THREAD_MIN_WORK / (inF * outF));
  const c: OpCase = { op: 'linear', params: {}, inputs: { x: randomTensor([n, inF], 1), weight: randomTensor([outF, inF], 2), bias: randomTensor([outF], 3) } };
  const before = threadStats().jobsRun;
  const got = evaluateReference(linearSpec, c, 'strict', { mode: 'auto', threads: THREADS });
  expect(threadStats().jobsRun - before, 'one job per worker (a call of THREAD_MIN_WORK is a single wave)').toBe(THREADS - 1);
  expectBitExact(got, linearSpec.reference(c, 'strict'), 'linear, auto mode, 4 threads');
});
