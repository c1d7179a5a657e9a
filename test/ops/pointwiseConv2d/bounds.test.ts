import { standardBoundSuite } from '../../support/bounds/gen.ts';

standardBoundSuite('pointwiseConv2d');
