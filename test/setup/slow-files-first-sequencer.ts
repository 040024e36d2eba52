/**
 * Test file order: the files known to take longest start first, then vitest's own order.
 *
 * Vitest orders files it has timings for longest first, but a fresh clone (CI) has no timings,
 * and then it orders by file size, largest first. The eval gate is a small file that runs for
 * about 20 minutes; ordered by size it would start after every other file and run alone at the
 * end. Started first, its result is known ~20 minutes into a run, not at its end; on a machine
 * with more than two cores the other files run beside it.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Test files, relative to the project root, that start before all others, in this order. */
export const SLOW_FILES_FIRST: readonly string[] = ['test/eval.gate.test.ts'];

/**
 * Puts the files named in `first` (paths relative to `root`, in that order) before the others,
 * keeping the others' order as given.
 */
export function startFirst<T extends { moduleId: string }>(files: readonly T[], first: readonly string[], root: string): T[] {
  const rank = (file: T): number => {
    const index = first.indexOf(relativePath(file.moduleId, root));
    return index === -1 ? first.length : index;
  };
  return files
    .map((file, position) => ({ file, position, rank: rank(file) }))
    .sort((a, b) => a.rank - b.rank || a.position - b.position)
    .map(({ file }) => file);
}

function relativePath(moduleId: string, root: string): string {
  const slashed = moduleId.replaceAll('\\', '/');
  const prefix = root.replaceAll('\\', '/').replace(/\/?$/, '/');
  return slashed.startsWith(prefix) ? slashed.slice(prefix.length) : slashed;
}

export default class SlowFilesFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return startFirst(await super.sort(files), SLOW_FILES_FIRST, this.ctx.config.root);
  }
}
