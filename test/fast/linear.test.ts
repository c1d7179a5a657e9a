import { describe } from 'vitest';
import { linearSpec } from '../../src/ops/specs/linear.ts';
import { linearCase } from '../support/gpuCases.ts';
import { differentialTests, sparse, specSources } from './helpers.ts';

describe('linear fast path', () => {
  differentialTests(linearSpec, [
    ...specSources(linearSpec, 4096, 60),
    { label: 'GPU-suite wide cases (many row blocks, output tails)', arb: linearCase({ specials: false, size: 'wide' }), runs: 15 },
    { label: 'GPU-suite medium cases with specials', arb: linearCase({ specials: true, size: 'medium' }), runs: 15 },
    { label: 'GPU-suite wide cases, sparse', arb: sparse(linearCase({ specials: false, size: 'wide' })), runs: 10 },
  ]);
});
