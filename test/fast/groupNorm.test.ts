import { describe } from 'vitest';
import { groupNormSpec } from '../../src/ops/specs/groupNorm.ts';
import { groupNormCase } from '../support/gpuCases.ts';
import { differentialTests, sparse, specSources } from './helpers.ts';

describe('groupNorm fast path', () => {
  differentialTests(groupNormSpec, [
    ...specSources(groupNormSpec, 4096, 60),
    { label: 'GPU-suite cases (every affine combination)', arb: groupNormCase({ specials: false }), runs: 40 },
    { label: 'GPU-suite cases with specials', arb: groupNormCase({ specials: true }), runs: 40 },
    { label: 'GPU-suite cases, sparse', arb: sparse(groupNormCase({ specials: false })), runs: 20 },
  ]);
});
