/** Atomic file writes (temp file + rename, so a kill at any moment leaves either the old or the new file). */
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';

let counter = 0;

/** Writes `data` to `file` atomically. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}-${counter++}`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
