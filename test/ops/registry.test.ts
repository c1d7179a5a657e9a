import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FAST_OPS } from '../../src/fast/index.ts';
import { FAST_MIN_WORK } from '../../src/fast/select.ts';
import { gpuOps, gpuPrepare } from '../../src/gpu/registry.ts';
import { UnknownOpError, anyOrderBounds, getOpSpec, opSpecs } from '../../src/ops/registry.ts';
import { EXACT_ACCURACY, type OpCase } from '../../src/ops/types.ts';
import { OP_NAMES, OPS } from '../../src/ops/index.ts';
import { PROFILES, numel } from '../../src/reference/tensor.ts';
import { EXACT_EVALUATORS } from '../support/exact.ts';
import { LOOSE_EVALUATORS } from '../support/perturbed.ts';
import { fcParams } from '../support/seed.ts';
import { tsSpecs } from '../fast/helpers.ts';

test('getOpSpec returns each registered spec and rejects unknown names with the valid list', () => {
  for (const name of OP_NAMES) expect(getOpSpec(name).name).toBe(name);
  expect(Object.keys(opSpecs).sort()).toEqual([...OP_NAMES].sort());
  expect(() => getOpSpec('conv3d')).toThrow(UnknownOpError);
  try {
    getOpSpec('conv3d');
  } catch (e) {
    expect((e as UnknownOpError).code).toBe('E_UNKNOWN_OP');
    for (const name of OP_NAMES) expect((e as Error).message).toContain(name);
  }
});

/** Key of one input element. */
const key = (input: string, index: number) => `${input}[${index}]`;

describe.each(OP_NAMES)('%s spec', (name) => {
  const spec = getOpSpec(name);

  test('arbitrary cases are valid: reference runs under both profiles, shapes and sizes match, bounds are ≥ 0', () => {
    for (const specialValues of [false, true]) {
      const maxElements = specialValues ? 64 : 300;
      fc.assert(
        fc.property(spec.arbitrary({ maxElements, specialValues }), (c) => {
          expect(c.op).toBe(name);
          expect(JSON.parse(JSON.stringify(c.params))).toEqual(c.params);
          for (const [input, t] of Object.entries(c.inputs)) {
            expect(spec.inputNames).toContain(input);
            if (t !== null) expect(numel(t.shape), input).toBeLessThanOrEqual(maxElements);
          }
          const shape = spec.outputShape(c);
          for (const profile of PROFILES) {
            const y = spec.reference(c, profile);
            expect(y.shape).toEqual(shape);
            expect(y.data.length).toBe(numel(shape));
          }
          const b = spec.bound(c, EXACT_ACCURACY);
          expect(b.length).toBe(numel(shape));
          for (const v of b) expect(v >= 0).toBe(true);
        }),
        fcParams(25),
      );
    }
  });

  test('receptiveField lists exactly the input elements whose change (to NaN) reaches the output', () => {
    fc.assert(
      fc.property(spec.arbitrary({ maxElements: 40, specialValues: false }), (c: OpCase) => {
        const base = spec.reference(c, 'strict').data;
        fc.pre(base.every((v) => Number.isFinite(v)));
        // affects[o] = the set of input elements that turn output o into NaN.
        const affects: Set<string>[] = Array.from({ length: base.length }, () => new Set<string>());
        for (const [input, t] of Object.entries(c.inputs)) {
          if (t === null) continue;
          for (let i = 0; i < t.data.length; i++) {
            const data = t.data.slice();
            data[i] = NaN;
            const y = spec.reference({ ...c, inputs: { ...c.inputs, [input]: { shape: t.shape, data } } }, 'strict').data;
            y.forEach((v, o) => {
              if (Number.isNaN(v)) affects[o]!.add(key(input, i));
            });
          }
        }
        affects.forEach((want, o) => {
          const got = spec.receptiveField(c, o).map((tap) => key(tap.input, tap.index));
          expect(new Set(got).size, `duplicate taps for output ${o}`).toBe(got.length);
          expect(new Set(got), `output ${o}`).toEqual(want);
        });
      }),
      fcParams(name === 'depthwiseSeparableBlock' ? 8 : 15),
    );
  });
});

describe('the op list (src/ops/index.ts) is the one source of every registry', () => {
  const names = OPS.map((op) => op.name);
  const listed = (what: string, keys: readonly string[]) => expect([...keys].sort(), `${what}: exactly the listed ops`).toEqual([...names].sort());

  test('every registry holds exactly the listed ops, each built from its definition', () => {
    expect(new Set(names).size, 'op names are unique').toBe(names.length);
    expect([...OP_NAMES]).toEqual(names);
    listed('opSpecs', Object.keys(opSpecs));
    listed('anyOrderBounds', Object.keys(anyOrderBounds));
    listed('gpuOps', Object.keys(gpuOps));
    listed('gpuPrepare', Object.keys(gpuPrepare));
    listed('FAST_MIN_WORK', Object.keys(FAST_MIN_WORK));
    listed('test tsSpecs', Object.keys(tsSpecs));
    listed('test exact evaluators', Object.keys(EXACT_EVALUATORS));
    listed('test loose evaluators', Object.keys(LOOSE_EVALUATORS));
    expect(Object.keys(FAST_OPS).sort(), 'FAST_OPS: the listed ops with a fast path').toEqual(OPS.filter((op) => op.fast !== undefined).map((op) => op.name).sort());
    for (const op of OPS) {
      const spec = getOpSpec(op.name);
      expect(spec.name).toBe(op.name);
      expect(spec.inputNames, op.name).toEqual(op.inputNames);
      expect(spec.paramNames, op.name).toEqual(op.params.names);
      expect(gpuOps[op.name].name, op.name).toBe(op.name);
      expect(FAST_OPS[op.name], op.name).toBe(op.fast);
      if (op.fast !== undefined) expect(FAST_MIN_WORK[op.name], op.name).toBe(op.fast.minWork);
    }
  });

  test('every folder under src/ops and test/ops is a listed op, with its files', () => {
    const src = fileURLToPath(new URL('../../src/ops/', import.meta.url));
    const tests = fileURLToPath(new URL('./', import.meta.url));
    const folders = (dir: string) => readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== 'shared').map((d) => d.name);
    listed('src/ops folders', folders(src));
    listed('test/ops folders', folders(tests));
    const missing: string[] = [];
    for (const op of OPS) {
      const fast = op.fast === undefined ? [] : ['fast'];
      for (const f of ['index', 'reference', 'bounds', 'params', 'canonical', 'cases', 'kernel', ...fast]) if (!existsSync(`${src}${op.name}/${f}.ts`)) missing.push(`src/ops/${op.name}/${f}.ts`);
      for (const f of ['reference.test', 'bounds.test', 'kernel.test', 'exact', 'loose', ...fast.map((x) => `${x}.test`)]) if (!existsSync(`${tests}${op.name}/${f}.ts`)) missing.push(`test/ops/${op.name}/${f}.ts`);
    }
    expect(missing).toEqual([]);
  });

  test("every op's GPU kernel module loads and names its op", async () => {
    for (const op of OPS) {
      const kernel = await op.kernel();
      expect(kernel.run.name).toBe(op.name);
      expect(typeof kernel.prepare).toBe('function');
    }
  });
});
