import { describe } from 'vitest';
import { adaptiveAvgPool2dSpec } from '../../src/ops/specs/adaptiveAvgPool2d.ts';
import { poolCase } from '../support/gpuCases.ts';
import { differentialTests, sparse, specSources } from './helpers.ts';

describe('adaptiveAvgPool2d fast path', () => {
  differentialTests(adaptiveAvgPool2dSpec, [
    ...specSources(adaptiveAvgPool2dSpec, 4096, 60),
    { label: 'GPU-suite cases (output larger and smaller than the input)', arb: poolCase({ specials: false }), runs: 40 },
    { label: 'GPU-suite cases with specials', arb: poolCase({ specials: true }), runs: 40 },
    { label: 'GPU-suite cases, sparse', arb: sparse(poolCase({ specials: false })), runs: 20 },
  ]);
});
