/**
 * The campaign log: JSON lines, a header then one record per run with every injected fault (layer, index, bits,
 * old and new word), so any run can be replayed from (model, spec, seed, run). Written to a temp file and renamed.
 */
import { closeSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { fail, issue, ok, type Result } from '../settings/index.ts';
import type { RunOutcome } from './engine_ts.ts';
import type { FaultSpec } from './spec.ts';

export interface LogHeader {
  readonly kind: 'inas-faults-log';
  readonly version: 1;
  readonly inas_version: string;
  readonly engine: 'ts' | 'firmware';
  readonly solution: string;
  readonly spec: FaultSpec;
  readonly seed: number;
  readonly protect: string;
  readonly samples: number;
  readonly runs: number;
  /** Firmware engine: the dump folder, the build variant and the power-failure schedule of the campaign. */
  readonly firmware?: { readonly dump: string; readonly progress_check: 'crc' | 'none'; readonly failures: string; readonly torn: boolean | string; readonly act_load?: number; readonly psum_step?: number };
}

/** Writes a log atomically. */
export function writeLog(file: string, header: LogHeader, outcomes: readonly RunOutcome[]): Result<string> {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    const fd = openSync(tmp, 'w');
    writeSync(fd, JSON.stringify(header) + '\n');
    let buf = '';
    for (const o of outcomes) {
      buf += JSON.stringify(o) + '\n';
      if (buf.length > 1 << 20) { writeSync(fd, buf); buf = ''; }
    }
    writeSync(fd, buf);
    closeSync(fd);
    renameSync(tmp, file);
    return ok(file);
  } catch (e) {
    return fail(issue('file_unreadable', file, `cannot write the fault log: ${(e as Error).message}`));
  }
}

/** Reads a log: its header and the record of one run (or all runs). */
export function readLog(file: string): Result<{ header: LogHeader; outcomes: RunOutcome[] }> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return fail(issue('file_not_found', file, 'no such fault log'));
  }
  const lines = text.split('\n').filter((l) => l.length > 0);
  try {
    const header = JSON.parse(lines[0] ?? '') as LogHeader;
    if (header.kind !== 'inas-faults-log') return fail(issue('invalid_file', file, 'not an inas fault log (first line has no kind "inas-faults-log")'));
    return ok({ header, outcomes: lines.slice(1).map((l) => JSON.parse(l) as RunOutcome) });
  } catch (e) {
    return fail(issue('invalid_file', file, `corrupt fault log: ${(e as Error).message}`));
  }
}
