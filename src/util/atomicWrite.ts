/** Writing a file so that a reader never sees it half-written. */
import { mkdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { RefsimError } from '../errors.ts';

/**
 * Writes `data` to `file` atomically (a temp file beside it, then rename), creating missing
 * parent directories; throws RefsimError('E_WRITE') naming the file, leaving no temp file behind.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was written
    }
    throw new RefsimError('E_WRITE', `cannot write ${file}: ${(e as Error).message}`);
  }
}
