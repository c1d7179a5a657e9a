import type { Command } from 'commander';
import { registerAlign } from './align.ts';
import { registerAlloc } from './alloc.ts';
import { registerCheck } from './check.ts';
import { registerCounter } from './counter.ts';
import { registerDiff } from './diff.ts';
import { registerExplore } from './explore.ts';
import { registerPool } from './pool.ts';
import { registerProbe } from './probe.ts';
import { registerRepro } from './repro.ts';
import { registerStress } from './stress.ts';

/** Every subcommand's registration, in the order `refsim --help` lists them. */
export const commands: ReadonlyArray<(program: Command) => void> = [registerAlign, registerAlloc, registerCounter, registerPool, registerProbe, registerExplore, registerStress, registerDiff, registerCheck, registerRepro];
