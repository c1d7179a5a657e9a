import { describe } from 'vitest';
import { differentialTests, sparse, specSources, tsSpecs } from '../../fast/helpers.ts';
import { depthwiseSeparableBlockCases } from '../../../src/ops/depthwiseSeparableBlock/cases.ts';

const depthwiseSeparableBlockSpec = tsSpecs.depthwiseSeparableBlock;

describe('depthwiseSeparableBlock fast path (stages chained in wasm memory)', () => {
  differentialTests(depthwiseSeparableBlockSpec, [
    ...specSources(depthwiseSeparableBlockSpec, 2048, 40),
    { label: 'GPU-suite cases', arb: depthwiseSeparableBlockCases({ size: 'small', specialValues: false }), runs: 30 },
    { label: 'GPU-suite cases with specials', arb: depthwiseSeparableBlockCases({ size: 'small', specialValues: true }), runs: 30 },
    { label: 'GPU-suite cases, sparse', arb: sparse(depthwiseSeparableBlockCases({ size: 'small', specialValues: false })), runs: 20 },
  ]);
});
