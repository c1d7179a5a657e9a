/**
 * PyTorch parity: the reference agrees with PyTorch CPU float32 (fixtures/pytorch/<op>.json from
 * scripts/gen_pytorch_fixtures.py) within the derived bounds. PyTorch evaluates the same maths in
 * another order (BLAS dot products, vectorised reductions, its own groupNorm structure), so each
 * element must satisfy |reference − torch| ≤ bound(EXACT) + anyOrderBound(EXACT): the first
 * bounds the reference's distance from the exact result, the second torch's (docs/error-bounds.md
 * §PyTorch). Missing fixtures fail this test: it never passes vacuously.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { anyOrderBounds, getOpSpec } from '../../src/ops/registry.ts';
import { type PytorchFixture, loadPytorchFixture } from '../../src/ops/pytorchFixture.ts';
import { EXACT_ACCURACY } from '../../src/ops/types.ts';
import { OP_NAMES } from '../../src/ops/index.ts';
import { hexBits } from '../../src/reference/float32.ts';

const dir = fileURLToPath(new URL('../../fixtures/pytorch/', import.meta.url));
const HOWTO = 'generate them on a machine with torch: python3 scripts/gen_pytorch_fixtures.py fixtures/pytorch, then commit fixtures/pytorch/*.json';

test('fixtures/pytorch holds exactly one fixture file per op', () => {
  expect(existsSync(dir), `fixtures/pytorch/ is missing: ${HOWTO}`).toBe(true);
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  expect(files, `fixture files: ${HOWTO}`).toEqual(OP_NAMES.map((op) => `${op}.json`).sort());
});

const fixtures: PytorchFixture[] = existsSync(dir)
  ? OP_NAMES.filter((op) => existsSync(join(dir, `${op}.json`))).map((op) => loadPytorchFixture(join(dir, `${op}.json`)))
  : [];

describe.each(fixtures.map((f) => [f.op, f] as const))('%s agrees with PyTorch', (op, fixture) => {
  test(`within bound(EXACT) + anyOrderBound (torch ${fixture.torchVersion})`, () => {
    expect(fixture.op).toBe(op);
    const spec = getOpSpec(op);
    const problems: string[] = [];
    let worst = 0;
    fixture.cases.forEach(({ case: c, expected }, k) => {
      expect(spec.outputShape(c), `case ${k} shape`).toEqual(expected.shape);
      const ref = spec.reference(c, 'strict').data;
      const bRef = spec.bound(c, EXACT_ACCURACY);
      const bTorch = anyOrderBounds[op](c, EXACT_ACCURACY);
      for (let i = 0; i < ref.length; i++) {
        const r = ref[i]!;
        const t = expected.data[i]!;
        const tag = `case ${k} [${i}]: reference ${r} (${hexBits(r)}) torch ${t} (${hexBits(t)})`;
        if (Number.isNaN(r) || Number.isNaN(t)) {
          if (Number.isNaN(r) !== Number.isNaN(t)) problems.push(`${tag}: NaN on one side only`);
        } else if (!Number.isFinite(r) || !Number.isFinite(t)) {
          if (r !== t) problems.push(`${tag}: infinities differ`);
        } else {
          const bound = bRef[i]! + bTorch[i]!;
          const err = Math.abs(r - t);
          if (!(err <= bound)) problems.push(`${tag}: |diff| ${err.toExponential(3)} > bound ${bound.toExponential(3)}`);
          else if (bound > 0) worst = Math.max(worst, err / bound);
        }
      }
    });
    expect(problems, problems.slice(0, 30).join('\n')).toEqual([]);
    console.log(`${op}: ${fixture.cases.length} PyTorch cases within bound; largest |diff| / bound ${worst.toFixed(3)}`);
  });
});

test.runIf(fixtures.some((f) => f.op === 'relu'))('relu: bit-identical to PyTorch (−0 and NaN kept)', () => {
  const fixture = fixtures.find((f) => f.op === 'relu')!;
  for (const { case: c, expected } of fixture.cases) {
    const ref = getOpSpec('relu').reference(c, 'strict').data;
    const got = [...ref].map((v, i) => (Number.isNaN(v) && Number.isNaN(expected.data[i]!) ? 'NaN' : hexBits(v)));
    const want = [...expected.data].map((v) => (Number.isNaN(v) ? 'NaN' : hexBits(v)));
    expect(got).toEqual(want);
  }
});
