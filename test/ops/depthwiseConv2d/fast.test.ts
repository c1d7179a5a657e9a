import { describe } from 'vitest';
import { differentialTests, sparse, specSources, tsSpecs } from '../../fast/helpers.ts';
import { depthwiseConv2dCases } from '../../../src/ops/depthwiseConv2d/cases.ts';

const depthwiseConv2dSpec = tsSpecs.depthwiseConv2d;

describe('depthwiseConv2d fast path', () => {
  differentialTests(depthwiseConv2dSpec, [
    ...specSources(depthwiseConv2dSpec, 4096, 60),
    { label: 'GPU-suite cases (strides, dilations, padding)', arb: depthwiseConv2dCases({ size: 'small', specialValues: false }), runs: 40 },
    { label: 'GPU-suite 3×3 stride-1 cases (the unrolled kernel)', arb: depthwiseConv2dCases({ size: 'small', specialValues: false, row4: true }), runs: 40 },
    { label: 'GPU-suite 3×3 stride-1 cases with specials', arb: depthwiseConv2dCases({ size: 'small', specialValues: true, row4: true }), runs: 40 },
    { label: 'GPU-suite cases, sparse', arb: sparse(depthwiseConv2dCases({ size: 'small', specialValues: false })), runs: 20 },
  ]);
});
