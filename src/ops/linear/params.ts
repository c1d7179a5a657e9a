/** linear takes no params. */
import { opParams } from '../shared/params.ts';

export const linearParams = opParams('linear', {});
