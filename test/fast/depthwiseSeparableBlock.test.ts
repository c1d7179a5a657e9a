import { describe } from 'vitest';
import { depthwiseSeparableBlockSpec } from '../../src/ops/specs/depthwiseSeparableBlock.ts';
import { blockCase } from '../support/gpuCases.ts';
import { differentialTests, sparse, specSources } from './helpers.ts';

describe('depthwiseSeparableBlock fast path (stages chained in wasm memory)', () => {
  differentialTests(depthwiseSeparableBlockSpec, [
    ...specSources(depthwiseSeparableBlockSpec, 2048, 40),
    { label: 'GPU-suite cases', arb: blockCase({ specials: false }), runs: 30 },
    { label: 'GPU-suite cases with specials', arb: blockCase({ specials: true }), runs: 30 },
    { label: 'GPU-suite cases, sparse', arb: sparse(blockCase({ specials: false })), runs: 20 },
  ]);
});
