import { standardBoundSuite } from './gen.ts';

standardBoundSuite('pointwiseConv2d');
