import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { OpCase } from '../../../src/ops/types.ts';
import { reluCases } from '../../../src/ops/relu/cases.ts';
import { relu } from '../../../src/ops/relu/reference.ts';
import { tensor } from '../../../src/reference/tensor.ts';
import { describeGpu } from '../../support/gpu.ts';
import { fcParams } from '../../support/seed.ts';

const bits = (x: Float32Array): Uint32Array => new Uint32Array(x.buffer, x.byteOffset, x.length);

/** The reference relu's output bits (NaN payloads included). */
const expectedBits = (x: Float32Array): Uint32Array => bits(relu(tensor([x.length], x)).data);

const reluCase = reluCases({ size: 'small', specialValues: true });

describeGpu('gpu relu', (gpu) => {
  it('keeps -0, NaN payloads and subnormals bit for bit, batched', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(reluCase, { minLength: 1, maxLength: 40 }), async (cases) => {
        const got = await gpu().runBatch('relu', cases);
        expect(got.length).toBe(cases.length);
        const bad: string[] = [];
        cases.forEach((c, k) => {
          const x = (c.inputs['x'] ?? tensor([0])).data;
          const want = expectedBits(x);
          const g = got[k];
          expect(g?.shape).toEqual(c.inputs['x']?.shape);
          const gb = bits(g?.data ?? new Float32Array());
          for (let i = 0; i < want.length; i++) {
            if (gb[i] !== want[i]) bad.push(`case ${k} [${i}] x=${(bits(x)[i] ?? 0).toString(16)} got ${gb[i]?.toString(16)} want ${want[i]?.toString(16)}`);
          }
        });
        expect(bad, bad.join('\n')).toEqual([]);
      }),
      fcParams(15),
    );
  });

  it('covers many workgroups: a 2^20-element tensor next to a 1-element one', async () => {
    const n = 1 << 20;
    const x = new Float32Array(n);
    for (let i = 0; i < n; i++) x[i] = (i % 7) - 3 - (i % 2 === 0 ? 0 : 0.5);
    x[n - 1] = -0;
    const small = new Float32Array([-0]);
    const [y, z] = await gpu().runBatch('relu', [
      { op: 'relu', params: {}, inputs: { x: tensor([n], x) } },
      { op: 'relu', params: {}, inputs: { x: tensor([1], small) } },
    ]);
    const want = expectedBits(x);
    const gb = bits(y?.data ?? new Float32Array());
    let mismatches = 0;
    for (let i = 0; i < n; i++) if (gb[i] !== want[i]) mismatches++;
    expect(mismatches).toBe(0);
    expect(gb[n - 1]).toBe(0x80000000);
    expect(bits(z?.data ?? new Float32Array())[0]).toBe(0x80000000);
  });
});
