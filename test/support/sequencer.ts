/**
 * The order vitest starts test files in (vitest.config.ts): the `process` project's files first,
 * then `gpu`, then `unit`, each in vitest's own order (longest last run first, else largest file
 * first). The process files are the long ones (seconds to tens of seconds each); started last, one
 * of them would run alone at the end while the other cores idle. The `timing` project runs after
 * all of these (its sequence.groupOrder).
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const PROJECT_ORDER = ['process', 'gpu', 'unit', 'timing'];
const rank = (s: TestSpecification): number => {
  const i = PROJECT_ORDER.indexOf(s.project.name);
  return i < 0 ? PROJECT_ORDER.length : i;
};

export default class SlowProjectsFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    // Array.prototype.sort is stable: vitest's order is kept within a project.
    return sorted.sort((a, b) => a.project.config.sequence.groupOrder - b.project.config.sequence.groupOrder || rank(a) - rank(b));
  }
}
