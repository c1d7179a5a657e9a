/** relu takes no params. */
import { opParams } from '../shared/params.ts';

export const reluParams = opParams('relu', {});
