import { describe } from 'vitest';
import { differentialTests, sparse, specSources, tsSpecs } from '../../fast/helpers.ts';
import { pointwiseConv2dCases } from '../../../src/ops/pointwiseConv2d/cases.ts';

const pointwiseConv2dSpec = tsSpecs.pointwiseConv2d;

describe('pointwiseConv2d fast path', () => {
  differentialTests(pointwiseConv2dSpec, [
    ...specSources(pointwiseConv2dSpec, 4096, 60),
    { label: 'GPU-suite large cases (many channel blocks, pixel tails)', arb: pointwiseConv2dCases({ size: 'large', specialValues: false }), runs: 10 },
    { label: 'GPU-suite medium cases with specials', arb: pointwiseConv2dCases({ size: 'medium', specialValues: true }), runs: 15 },
    { label: 'GPU-suite wide cases, sparse', arb: sparse(pointwiseConv2dCases({ size: 'wide', specialValues: false })), runs: 10 },
  ]);
});
