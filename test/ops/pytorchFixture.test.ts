import { describe, expect, test } from 'vitest';
import { parsePytorchFixture } from '../../src/ops/pytorchFixture.ts';
import { hexBits } from '../../src/reference/float32.ts';
import { RefsimError } from '../../src/errors.ts';

describe('PyTorch fixture schema', () => {
  const doc = {
    format: 1,
    op: 'linear',
    torchVersion: '2.5.1',
    generator: 'scripts/gen_pytorch_fixtures.py',
    cases: [
      {
        params: {},
        inputs: { x: { shape: [1, 2], hex: ['3f800000', '80000000'] }, weight: { shape: [1, 2], hex: ['40000000', '7fc00001'] }, bias: null },
        output: { shape: [1, 1], hex: ['7fc00000'] },
      },
    ],
  };

  test('parses bit patterns exactly (−0, NaN payloads) into OpCases', () => {
    const f = parsePytorchFixture(doc);
    const c = f.cases[0]!.case;
    expect(c.op).toBe('linear');
    expect(hexBits(c.inputs['x']!.data[1]!)).toBe('0x80000000');
    expect(new Uint32Array(c.inputs['weight']!.data.buffer)[1]).toBe(0x7fc00001);
    expect(c.inputs['bias']).toBeNull();
    expect(f.cases[0]!.expected.shape).toEqual([1, 1]);
  });

  test('rejects malformed files with E_FIXTURE naming the place', () => {
    const bad = [
      { ...doc, format: 2 },
      { ...doc, op: 'conv3d' },
      { ...doc, cases: [] },
      { ...doc, cases: [{ ...doc.cases[0]!, output: { shape: [1, 2], hex: ['3f800000'] } }] },
      { ...doc, cases: [{ ...doc.cases[0]!, output: { shape: [1, 1], hex: ['3F80000'] } }] },
    ];
    for (const d of bad) {
      expect(() => parsePytorchFixture(d)).toThrow(RefsimError);
      try {
        parsePytorchFixture(d);
      } catch (e) {
        expect((e as RefsimError).code).toBe('E_FIXTURE');
      }
    }
  });
});
