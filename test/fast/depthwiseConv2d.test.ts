import { describe } from 'vitest';
import { depthwiseConv2dSpec } from '../../src/ops/specs/depthwiseConv2d.ts';
import { depthwiseCase } from '../support/gpuCases.ts';
import { differentialTests, sparse, specSources } from './helpers.ts';

describe('depthwiseConv2d fast path', () => {
  differentialTests(depthwiseConv2dSpec, [
    ...specSources(depthwiseConv2dSpec, 4096, 60),
    { label: 'GPU-suite cases (strides, dilations, padding)', arb: depthwiseCase({ specials: false }), runs: 40 },
    { label: 'GPU-suite 3×3 stride-1 cases (the unrolled kernel)', arb: depthwiseCase({ specials: false, row4: true }), runs: 40 },
    { label: 'GPU-suite 3×3 stride-1 cases with specials', arb: depthwiseCase({ specials: true, row4: true }), runs: 40 },
    { label: 'GPU-suite cases, sparse', arb: sparse(depthwiseCase({ specials: false })), runs: 20 },
  ]);
});
