import { describe } from 'vitest';
import { pointwiseConv2dSpec } from '../../src/ops/specs/pointwiseConv2d.ts';
import { pointwiseCase } from '../support/gpuCases.ts';
import { differentialTests, sparse, specSources } from './helpers.ts';

describe('pointwiseConv2d fast path', () => {
  differentialTests(pointwiseConv2dSpec, [
    ...specSources(pointwiseConv2dSpec, 4096, 60),
    { label: 'GPU-suite large cases (many channel blocks, pixel tails)', arb: pointwiseCase({ specials: false, size: 'large' }), runs: 10 },
    { label: 'GPU-suite medium cases with specials', arb: pointwiseCase({ specials: true, size: 'medium' }), runs: 15 },
    { label: 'GPU-suite wide cases, sparse', arb: sparse(pointwiseCase({ specials: false, size: 'wide' })), runs: 10 },
  ]);
});
