/** The stress supervisor's failure paths in separate mode (test/stress/orchestrationSuite.ts). */
import { orchestrationSuite } from './orchestrationSuite.ts';

orchestrationSuite('separate');
