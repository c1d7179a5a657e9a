import { linear } from '../../src/reference/linear.ts';
import { gemmOpSuite } from '../support/gemmSuite.ts';
import { linearCase } from '../support/gpuCases.ts';

gemmOpSuite('linear', (c, profile) => linear(c.inputs['x']!, c.inputs['weight']!, c.inputs['bias'] ?? null, { profile }), linearCase);
