import { pointwiseConv2dCases } from '../../../src/ops/pointwiseConv2d/cases.ts';
import { pointwiseConv2d } from '../../../src/ops/pointwiseConv2d/reference.ts';
import { gemmOpSuite } from '../../support/gemmSuite.ts';
import type { Padding } from '../../../src/ops/shared/params.ts';

gemmOpSuite('pointwiseConv2d', (c, profile) => pointwiseConv2d(c.inputs['x']!, c.inputs['weight']!, c.inputs['bias'] ?? null, { profile, padding: c.params['padding'] as Padding }), pointwiseConv2dCases);
