/**
 * The order vitest starts test files in (vitest.config.ts): the `process` project's files first,
 * then `gpu`, then `unit`; within `process`, `gpu` and `timing`, the order of their lists in
 * test/support/projects.ts (longest first), and within `unit` vitest's own order (longest last run
 * first, else largest file first). The process files are the long ones; started last, one of them
 * would run alone at the end while the other core idles. A fresh clone (CI) has no timings from a
 * last run, so the lists carry that knowledge. The `timing` project runs after all of these (its
 * sequence.groupOrder).
 */
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { GPU, listRank, PROCESS, TIMING } from './projects.ts';

const PROJECT_ORDER = ['process', 'gpu', 'unit', 'timing'];
const LISTS: Record<string, readonly string[]> = { process: PROCESS, gpu: GPU, timing: TIMING };

const projectRank = (s: TestSpecification): number => {
  const i = PROJECT_ORDER.indexOf(s.project.name);
  return i < 0 ? PROJECT_ORDER.length : i;
};

export default class SlowProjectsFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const root = this.ctx.config.root;
    const fileRank = (s: TestSpecification): number => {
      const list = LISTS[s.project.name];
      return list === undefined ? 0 : listRank(list, relative(root, s.moduleId).split('\\').join('/'));
    };
    // Array.prototype.sort is stable: vitest's order is kept where the ranks tie (the unit project).
    return sorted.sort(
      (a, b) => a.project.config.sequence.groupOrder - b.project.config.sequence.groupOrder || projectRank(a) - projectRank(b) || fileRank(a) - fileRank(b),
    );
  }
}
