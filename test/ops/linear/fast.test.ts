import { describe } from 'vitest';
import { differentialTests, sparse, specSources, tsSpecs } from '../../fast/helpers.ts';
import { linearCases } from '../../../src/ops/linear/cases.ts';

const linearSpec = tsSpecs.linear;

describe('linear fast path', () => {
  differentialTests(linearSpec, [
    ...specSources(linearSpec, 4096, 60),
    { label: 'GPU-suite wide cases (many row blocks, output tails)', arb: linearCases({ size: 'wide', specialValues: false }), runs: 15 },
    { label: 'GPU-suite medium cases with specials', arb: linearCases({ size: 'medium', specialValues: true }), runs: 15 },
    { label: 'GPU-suite wide cases, sparse', arb: sparse(linearCases({ size: 'wide', specialValues: false })), runs: 10 },
  ]);
});
