import { describe } from 'vitest';
import { reluSpec } from '../../src/ops/specs/relu.ts';
import { differentialTests, specSources } from './helpers.ts';

describe('relu fast path', () => {
  differentialTests(reluSpec, specSources(reluSpec, 4096, 60));
});
