import fc from 'fast-check';
import { expect, it } from 'vitest';
import { ALIGN_STATUS, type AlignUpGpuResult } from '../../src/gpu/alignUp.ts';
import { ALIGN_VARIANTS, AlignmentAssertError, traceAlignUp } from '../../src/mps/alignUp.ts';
import { edgyUint, pow2Alignment } from '../support/arbitraries.ts';
import { describeGpu } from '../support/gpu.ts';
import { fcParams } from '../support/seed.ts';

const pair = fc.tuple(edgyUint(32), fc.oneof(pow2Alignment(32), edgyUint(32), fc.constantFrom(0n, 3n, 6n, 2n ** 31n + 1n)));

describeGpu('gpu alignUp on a 32-bit size_t', (gpu) => {
  for (const variant of ALIGN_VARIANTS) {
    it(`matches the 32-bit reference model on edge cases (${variant}): value or assert/overflow status, wrapped intermediates`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(pair, { minLength: 1, maxLength: 400 }), async (pairs) => {
          const sizes = Uint32Array.from(pairs, ([s]) => Number(s));
          const alignments = Uint32Array.from(pairs, ([, a]) => Number(a));
          const got = await gpu().job<AlignUpGpuResult>('alignUp32', { variant, sizes, alignments });
          const bad: string[] = [];
          pairs.forEach(([size, alignment], i) => {
            const t = traceAlignUp(size, alignment, 32, variant);
            const status = t.outcome.ok ? ALIGN_STATUS.ok : t.outcome.error instanceof AlignmentAssertError ? ALIGN_STATUS.assert : ALIGN_STATUS.overflow;
            const value = t.outcome.ok ? Number(t.outcome.value) : 0;
            const g = [got.status[i], got.value[i], got.assertOperand[i], got.sum[i]];
            const w = [status, value, Number(t.assertOperand), Number(t.sum)];
            if (g.join() !== w.join()) bad.push(`alignUp(${size}, ${alignment}) [${variant}]: got status/value/assertOperand/sum ${g.join(' ')} want ${w.join(' ')}`);
          });
          expect(bad, bad.join('\n')).toEqual([]);
        }),
        fcParams(6),
      );
    });
  }

  it('reproduces the named edge cases', async () => {
    const max = 0xffffffff;
    const sizes = Uint32Array.from([100, max, 5, 1, 0, max - 15]);
    const alignments = Uint32Array.from([16, 16, 0, 3, 0, 16]);
    const seed = await gpu().job<AlignUpGpuResult>('alignUp32', { variant: 'seed', sizes, alignments });
    const upstream = await gpu().job<AlignUpGpuResult>('alignUp32', { variant: 'upstream', sizes, alignments });
    // seed: 112; SIZE_MAX rejected by the overflow check; alignment 0 passes the assert but the wrapped limit 0 rejects 5;
    // 3 fails the power-of-two assert; size 0 with alignment 0 returns 0; SIZE_MAX-15 is exactly the largest accepted.
    expect(Array.from(seed.status)).toEqual([0, 2, 2, 1, 0, 0]);
    expect(Array.from(seed.value)).toEqual([112, 0, 0, 0, 0, max - 15]);
    // upstream release build: SIZE_MAX wraps to 0, alignment 0 gives 0, alignment 3 returns a non-multiple (1).
    expect(Array.from(upstream.status)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(upstream.value)).toEqual([112, 0, 0, 1, 0, max - 15]);
  });
});
