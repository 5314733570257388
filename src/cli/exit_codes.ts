/** The one table of exit codes (STYLE §8). */
import { issueExitClass, type ExitClass, type InasIssue } from '../settings/index.ts';

export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  infeasible: 3,
  device: 4,
  bug: 70,
  /** Stopped by Ctrl-C (SIGINT) after saving its state. */
  interrupted: 130,
} as const;

const CLASS_TO_EXIT: Record<ExitClass, number> = {
  usage: EXIT.usage,
  infeasible: EXIT.infeasible,
  device: EXIT.device,
  failure: EXIT.failure,
  bug: EXIT.bug,
};

/** The exit code for a list of issues: the first issue decides. */
export function exitCodeFor(issues: readonly InasIssue[]): number {
  const first = issues[0];
  return first ? CLASS_TO_EXIT[issueExitClass(first.code)] : EXIT.failure;
}
