import { linearCases } from '../../../src/ops/linear/cases.ts';
import { linear } from '../../../src/ops/linear/reference.ts';
import { gemmOpSuite } from '../../support/gemmSuite.ts';

gemmOpSuite('linear', (c, profile) => linear(c.inputs['x']!, c.inputs['weight']!, c.inputs['bias'] ?? null, { profile }), linearCases);
