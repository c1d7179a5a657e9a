/** The stress supervisor's failure paths in shared mode (test/stress/orchestrationSuite.ts). */
import { orchestrationSuite } from './orchestrationSuite.ts';

orchestrationSuite('shared');
