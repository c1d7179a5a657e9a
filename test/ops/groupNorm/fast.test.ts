import { describe } from 'vitest';
import { differentialTests, sparse, specSources, tsSpecs } from '../../fast/helpers.ts';
import { groupNormCases } from '../../../src/ops/groupNorm/cases.ts';

const groupNormSpec = tsSpecs.groupNorm;

describe('groupNorm fast path', () => {
  differentialTests(groupNormSpec, [
    ...specSources(groupNormSpec, 4096, 60),
    { label: 'GPU-suite cases (every affine combination)', arb: groupNormCases({ size: 'small', specialValues: false }), runs: 40 },
    { label: 'GPU-suite cases with specials', arb: groupNormCases({ size: 'small', specialValues: true }), runs: 40 },
    { label: 'GPU-suite cases, sparse', arb: sparse(groupNormCases({ size: 'small', specialValues: false })), runs: 20 },
  ]);
});
