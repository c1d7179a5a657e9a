/**
 * Strict inputs: fixtures reject unknown keys and missing params, files are stat'ed and capped
 * before they are read, a replay says when the recorded reference bits are not today's, an
 * Accuracy with a missing or NaN field is a typed error (never an Infinity bound that accepts
 * anything), and the GPU batch entry rejects a tensor whose data disagrees with its shape.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { makeFixture, parseFixture, readFixture, type FixtureMeta } from '../../src/diff/fixture.ts';
import { formatRepro, reproduce, reproJson } from '../../src/diff/repro.ts';
import { runOpDiff } from '../../src/diff/run.ts';
import { InputRangeError, RefsimError } from '../../src/errors.ts';
import { checkBatchInputs } from '../../src/gpu/kernel.ts';
import { gpuOps, gpuPrepare } from '../../src/gpu/registry.ts';
import type { GpuContext } from '../../src/gpu/types.ts';
import { anyOrderBounds, getOpSpec, opSpecs } from '../../src/ops/registry.ts';
import { loadPytorchFixture, parsePytorchFixture } from '../../src/ops/pytorchFixture.ts';
import { EXACT_ACCURACY, type OpCase, validateAccuracy } from '../../src/ops/types.ts';
import { OP_NAMES } from '../../src/ops/index.ts';
import { groupNormBound, reluBound } from '../../src/reference/bounds/index.ts';
import { fcParams } from '../support/seed.ts';
import { runMain } from '../cli/inProcess.ts';
import { fakeAdapter, fakeGpu } from './fakes.ts';

const dir = mkdtempSync(join(tmpdir(), 'refsim-strict-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const meta: FixtureMeta = {
  backend: 'vulkan', adapter: fakeAdapter, profile: 'strict', accuracy: EXACT_ACCURACY,
  generator: { seed: 1, path: '0', maxElements: 16, specialValues: false },
  observed: { violations: 1, first: [{ index: 1, gotBits: '3f800001', expectedBits: '3f800000', ulp: 1, bound: 0, reason: 'bound' }] },
};
const x = { shape: [1, 1, 1, 2], data: Float32Array.from([-2, 1]) };
const gn: OpCase = { op: 'groupNorm', params: { numGroups: 1, eps: 1e-5 }, inputs: { x, weight: null, bias: null } };
const reluCase: OpCase = { op: 'relu', params: {}, inputs: { x } };
const doc = (c: OpCase) => JSON.parse(JSON.stringify(makeFixture(c, meta))) as Record<string, unknown> & { params: Record<string, unknown>; inputs: Record<string, unknown> };

function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('mismatch fixtures are strict', () => {
  it.each([
    ['an unknown top-level key', () => ({ ...doc(gn), bogus: 1 }), /\(root\): Unrecognized key: "bogus"/],
    ['an unknown key in a tensor', () => { const d = doc(gn); (d.inputs['x'] as Record<string, unknown>)['dtype'] = 'f32'; return d; }, /inputs\.x: Unrecognized key: "dtype"/],
    ['an unknown key in the accuracy', () => ({ ...doc(gn), accuracy: { ...EXACT_ACCURACY, fmaUlp: 0 } }), /accuracy: Unrecognized key: "fmaUlp"/],
    ['a missing eps (groupNorm)', () => { const d = doc(gn); delete d.params['eps']; return d; }, /params\.eps: missing \(groupNorm needs numGroups, eps\)/],
    ['a param the op does not read', () => { const d = doc(reluCase); d.params['alpha'] = 0.1; return d; }, /params\.alpha: relu takes no such param \(it takes none\)/],
    ['an input the op does not take', () => { const d = doc(gn); d.inputs['zzz'] = { shape: [1], bits: ['00000000'] }; return d; }, /inputs\.zzz: groupNorm takes no such input \(its inputs: x, weight, bias\)/],
  ])('rejects %s with one E_FIXTURE line', (_name, make, re) => {
    const e = errorOf(() => parseFixture(make(), 'fixture f.json'));
    expect(e).toBeInstanceOf(RefsimError);
    expect((e as RefsimError).code).toBe('E_FIXTURE');
    expect(e.message).toMatch(re);
    expect(e.message).not.toMatch(/\n/);
  });

  it('paramNames is what every op generator writes (the list cannot drift from the generators)', () => {
    for (const op of OP_NAMES) {
      const spec = opSpecs[op];
      for (const c of fc.sample(spec.arbitrary({ maxElements: 64, specialValues: false }), { numRuns: 20, seed: 5 })) {
        expect(Object.keys(c.params).sort(), op).toEqual([...getOpSpec(op).paramNames].sort());
        for (const k of Object.keys(c.inputs)) expect(spec.inputNames, op).toContain(k);
      }
    }
  });
});

describe('files are stat-ed and capped before they are read', () => {
  it('/dev/zero and a directory: "not a regular file", at once', () => {
    const t0 = performance.now();
    expect(errorOf(() => readFixture('/dev/zero')).message).toBe('fixture /dev/zero is not a regular file');
    expect(errorOf(() => readFixture(dir)).message).toBe(`fixture ${dir} is not a regular file`);
    expect(errorOf(() => loadPytorchFixture('/dev/zero')).message).toBe('PyTorch fixture /dev/zero is not a regular file');
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('a 3 GB file is refused by its size, without reading it', () => {
    const big = join(dir, 'big.json');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, 3 * 2 ** 30); // sparse: no disk space used
    closeSync(fd);
    const t0 = performance.now();
    const e = errorOf(() => readFixture(big));
    expect(e.message).toBe(`fixture ${big} is ${3 * 2 ** 30} bytes; at most ${256 * 2 ** 20} are read`);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('refsim repro /dev/zero: exit 2, one line, before any GPU work', async () => {
    const r = await runMain(['repro', '/dev/zero']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('refsim: fixture /dev/zero is not a regular file\n');
  });
});

describe('PyTorch fixtures are strict', () => {
  const pt = {
    format: 1, op: 'groupNorm', torchVersion: '2.5.1', generator: 'test',
    cases: [{ params: { numGroups: 1, eps: 1e-5 }, inputs: { x: { shape: [1, 2], hex: ['3f800000', '40000000'] }, weight: null, bias: null }, output: { shape: [1, 2], hex: ['bf800000', '3f800000'] } }],
  };
  it.each([
    ['an unknown case key', { ...pt, cases: [{ ...pt.cases[0], note: 'x' }] }, /cases\.0: Unrecognized key: "note"|Unrecognized key/],
    ['a missing eps', { ...pt, cases: [{ ...pt.cases[0], params: { numGroups: 1 } }] }, /cases\.0\.params\.eps: missing \(groupNorm needs numGroups, eps\)/],
    ['an input the op does not take', { ...pt, cases: [{ ...pt.cases[0], inputs: { ...pt.cases[0]!.inputs, mask: null } }] }, /cases\.0\.inputs\.mask: groupNorm takes no such input/],
    ['an unknown top-level key', { ...pt, extra: true }, /Unrecognized key: "extra"/],
  ])('rejects %s', (_name, d, re) => {
    expect(() => parsePytorchFixture(pt)).not.toThrow();
    const e = errorOf(() => parsePytorchFixture(d, 'groupNorm.json'));
    expect((e as RefsimError).code).toBe('E_FIXTURE');
    expect(e.message).toMatch(re);
  });
});

describe('refsim repro: recorded versus current reference bits', () => {
  it('reports elements whose recorded expected bits the reference no longer computes', async () => {
    const spec = opSpecs.relu;
    const expected = spec.reference(reluCase, 'strict');
    const bits = new Uint32Array(expected.data.buffer);
    const honest = makeFixture(reluCase, { ...meta, observed: { violations: 1, first: [{ index: 1, gotBits: '3f800001', expectedBits: bits[1]!.toString(16).padStart(8, '0'), ulp: 1, bound: 0, reason: 'bound' }] } });
    const gpu = fakeGpu({ relu: spec });
    expect((await reproduce(honest, spec, gpu)).expectedChanged).toEqual([]);

    const edited = { ...honest, observed: { violations: 1, first: [{ ...honest.observed.first[0]!, expectedBits: '40490fdb' }, { ...honest.observed.first[0]!, index: 7 }] } };
    const o = await reproduce(edited, spec, gpu);
    expect(o.expectedChanged).toEqual([{ index: 1, recordedBits: 0x40490fdb, currentBits: bits[1] }, { index: 7, recordedBits: bits[1], currentBits: null }]);
    const text = formatRepro(spec, o, { file: 'f.json' });
    expect(text).toMatch(/WARNING: the recorded reference bits differ from the current reference at 2 elements \(the fixture was edited or the reference changed\):\n {2}output\[n=0 c=0 h=0 w=1\] recorded 3\.14159\S* \(0x40490fdb\), now 1 \(0x3f800000\)\n {2}output index 7 recorded, but the output has 2 elements/);
    expect(reproJson(o, 'f.json', 5)).toMatchObject({ expectedChanged: [{ index: 1, recordedBits: '40490fdb', currentBits: '3f800000' }, { index: 7, currentBits: null }] });
  });
});

describe('Accuracy is validated by every entry point that takes one', () => {
  const bad: Array<[string, unknown, RegExp]> = [
    ['NaN divUlp', { ...EXACT_ACCURACY, divUlp: NaN }, /accuracy\.divUlp must be a finite number ≥ 0 \(ULPs\); got NaN/],
    ['missing sqrtUlp', { divUlp: 0, inverseSqrtUlp: 0, flushSubnormals: false }, /accuracy\.sqrtUlp must be a finite number ≥ 0 \(ULPs\); got undefined/],
    ['Infinity inverseSqrtUlp', { ...EXACT_ACCURACY, inverseSqrtUlp: Infinity }, /accuracy\.inverseSqrtUlp must be/],
    ['negative divUlp', { ...EXACT_ACCURACY, divUlp: -1 }, /accuracy\.divUlp must be/],
    ['missing flushSubnormals', { divUlp: 0, sqrtUlp: 0, inverseSqrtUlp: 0 }, /accuracy\.flushSubnormals must be true or false; got undefined/],
    ['not an object', 'exact', /accuracy must be \{ divUlp/],
  ];

  it.each(bad)('%s: InputRangeError from validateAccuracy, the bounds, the registry and runOpDiff', async (_name, acc, re) => {
    expect(() => validateAccuracy(acc)).toThrow(re);
    const calls: Array<() => unknown> = [
      () => groupNormBound(gn.inputs['x']!, 1, null, null, 1e-5, { accuracy: acc as never }),
      () => reluBound(x, { accuracy: acc as never }),
      () => opSpecs.groupNorm.bound(gn, acc as never),
      () => anyOrderBounds.groupNorm(gn, acc as never),
    ];
    for (const f of calls) {
      const e = errorOf(f);
      expect(e).toBeInstanceOf(InputRangeError);
      expect(e.message).toMatch(re);
    }
    await expect(runOpDiff(opSpecs.relu, fakeGpu({ relu: opSpecs.relu }), {
      cases: 1, seed: 1, shard: { index: 1, count: 1 }, batch: 1, profile: 'strict', accuracy: acc as never,
      gen: { maxElements: 4, specialValues: false }, fixturesDir: null,
    })).rejects.toThrow(InputRangeError);
  });

  it('random garbage in any field is a typed error, and a valid accuracy passes', () => {
    fc.assert(
      fc.property(fc.record({ divUlp: fc.anything(), sqrtUlp: fc.anything(), inverseSqrtUlp: fc.anything(), flushSubnormals: fc.anything() }, { requiredKeys: [] }), (a) => {
        const ok = ['divUlp', 'sqrtUlp', 'inverseSqrtUlp'].every((k) => { const v = (a as Record<string, unknown>)[k]; return typeof v === 'number' && Number.isFinite(v) && v >= 0; })
          && typeof (a as Record<string, unknown>)['flushSubnormals'] === 'boolean';
        if (ok) expect(validateAccuracy(a)).toBe(a);
        else expect(() => validateAccuracy(a)).toThrow(InputRangeError);
      }),
      fcParams(300),
    );
  });
});

describe('the GPU batch entry checks tensors against their shapes', () => {
  const noCtx = {} as GpuContext; // never reached: the check comes first
  it.each([
    ['shorter data', { shape: [4], data: Float32Array.from([1, 2]) }, /relu cases\[0\]\.inputs\.x\.data\.length must be 4 \(the product of shape \[4\]\); got 2/],
    ['longer data', { shape: [1, 1], data: Float32Array.from([1, 2]) }, /data\.length must be 1 \(the product of shape \[1, 1\]\); got 2/],
    ['a float64 array', { shape: [1], data: Float64Array.from([1]) }, /relu cases\[0\]\.inputs\.x\.data must be a Float32Array/],
    ['a bad shape', { shape: [2, -1], data: new Float32Array(0) }, /relu cases\[0\]\.inputs\.x\.shape must be an array of non-negative integers/],
  ])('rejects %s naming the input', async (_name, t, re) => {
    const c = { op: 'relu', params: {}, inputs: { x: t } } as unknown as OpCase;
    expect(() => checkBatchInputs('relu', [c])).toThrow(re);
    await expect(gpuOps.relu.runBatch(noCtx, [c])).rejects.toThrow(InputRangeError);
  });

  it("rejects a case of another op, and a case its op rejects, before anything reaches the device", async () => {
    const x = { shape: [1, 2, 2], data: new Float32Array(4) };
    await expect(gpuOps.relu.runBatch(noCtx, [{ op: 'linear', params: {}, inputs: { x } } as unknown as OpCase])).rejects.toThrow(/relu cases\[0\]\.op must be 'relu' \(a batch holds one op's cases\); got "linear"/);
    await expect(gpuOps.adaptiveAvgPool2d.runBatch(noCtx, [{ op: 'adaptiveAvgPool2d', params: { outputSize: 50000 }, inputs: { x } }])).rejects.toThrow(/outputSize must be such that the output holds at most 1073741824/);
    await expect(gpuPrepare.pointwiseConv2d(noCtx, [{ op: 'pointwiseConv2d', params: { padding: 1 }, inputs: { x, weight: { shape: [1, 1, 1, 1], data: new Float32Array(1) }, bias: null } }])).rejects.toThrow(/pointwiseConv2d cases\[0\] must be a case whose output is its canonical output reshaped/);
  });
});

describe('refsim diff: op lists and unused options', () => {
  it.each([
    [['--op', ''], /^refsim: --op must be one or more of depthwiseConv2d, .*; got ""$/],
    [['--op', ','], /^refsim: --op must be one or more of /],
    [['--op', 'relu,,linear'], /^refsim: --op must be one of .*; got ""$/],
    [['--op', 'relu,relu'], /^refsim: --op must be a list naming each op once; got "relu,relu"$/],
    [['--op', 'relu', '--no-shrink', '--fixtures-dir', 'fx'], /^refsim: --fixtures-dir has no effect with --no-shrink \(nothing is shrunk or saved\); leave it out$/],
  ])('%j: exit 2, one line, nothing checked', async (args, re) => {
    const r = await runMain(['diff', ...args]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toMatch(re);
  });
});

it('reads a fixture file written by makeFixture unchanged (the strict schema accepts what refsim writes)', () => {
  const file = join(dir, 'ok.json');
  writeFileSync(file, JSON.stringify(makeFixture(gn, meta)));
  expect(readFixture(file).params).toEqual({ numGroups: 1, eps: 1e-5 });
  expect(readFileSync(file, 'utf8').length).toBeGreaterThan(0);
});
