import { pointwiseConv2d } from '../../src/reference/pointwiseConv2d.ts';
import { gemmOpSuite } from '../support/gemmSuite.ts';
import { pointwiseCase } from '../support/gpuCases.ts';

gemmOpSuite('pointwiseConv2d', (c, profile) => pointwiseConv2d(c.inputs['x']!, c.inputs['weight']!, c.inputs['bias'] ?? null, { profile }), (o) => pointwiseCase({ specials: o.specialValues, size: o.size }));
