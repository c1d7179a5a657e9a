import { describe } from 'vitest';
import { differentialTests, specSources, tsSpecs } from '../../fast/helpers.ts';

const reluSpec = tsSpecs.relu;

describe('relu fast path', () => {
  differentialTests(reluSpec, specSources(reluSpec, 4096, 60));
});
