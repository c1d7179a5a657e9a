/**
 * Setup file of every vitest project (vitest.config.ts): pins fast-check's global settings to the
 * run's seed (test/support/seed.ts), so an fc.assert, fc.check or fc.sample that names no seed of its
 * own is reproducible too. Calls with a seed of their own (fixed, or fcParams') keep it.
 */
import { pinGlobalSeed, pinnedSeed } from './seed.ts';

pinGlobalSeed(pinnedSeed);
