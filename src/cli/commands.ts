/**
 * The list of CLI commands. Each file `src/cli/<command>.ts` exports `define(program)`, which declares the command's
 * flags and an action that imports the heavy modules lazily. Add one line here per command.
 */
import type { Command } from 'commander';

export type DefineCommand = (program: Command) => void;

export const COMMANDS: ReadonlyArray<() => Promise<{ define: DefineCommand }>> = [
  () => import('./settings.ts'),
  () => import('./data.ts'),
  () => import('./faults.ts'),
  () => import('./train.ts'),
  () => import('./board.ts'),
  () => import('./flash.ts'),
  () => import('./monitor.ts'),
  () => import('./explore.ts'),
  () => import('./search.ts'),
  () => import('./compare.ts'),
  () => import('./dump.ts'),
  () => import('./build.ts'),
  () => import('./simulate.ts'),
  () => import('./profile.ts'),
];
