import { describe } from 'vitest';
import { differentialTests, sparse, specSources, tsSpecs } from '../../fast/helpers.ts';
import { adaptiveAvgPool2dCases } from '../../../src/ops/adaptiveAvgPool2d/cases.ts';

const adaptiveAvgPool2dSpec = tsSpecs.adaptiveAvgPool2d;

describe('adaptiveAvgPool2d fast path', () => {
  differentialTests(adaptiveAvgPool2dSpec, [
    ...specSources(adaptiveAvgPool2dSpec, 4096, 60),
    { label: 'GPU-suite cases (output larger and smaller than the input)', arb: adaptiveAvgPool2dCases({ size: 'small', specialValues: false }), runs: 40 },
    { label: 'GPU-suite cases with specials', arb: adaptiveAvgPool2dCases({ size: 'small', specialValues: true }), runs: 40 },
    { label: 'GPU-suite cases, sparse', arb: sparse(adaptiveAvgPool2dCases({ size: 'small', specialValues: false })), runs: 20 },
  ]);
});
