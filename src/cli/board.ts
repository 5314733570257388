/**
 * `inas board --virtual <dump dir>`: the virtual LaunchPad. Prints the serial port path as its first output line,
 * then serves until killed (SIGINT/SIGTERM). SIGUSR1 presses reset; SIGUSR2 freezes/unfreezes the board.
 */
import type { Command } from 'commander';
import { action, exitWithIssues, usageError } from './common.ts';

interface BoardFlags {
  virtual?: string | boolean;
  program?: string;
  programArg?: string[];
  nvm?: string;
  failures?: string;
  timeScale?: string;
  offTime?: string;
  flipRate?: string;
  seed?: string;
  json?: boolean;
  quiet?: boolean;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function define(program: Command): void {
  program
    .command('board')
    .description('serve a virtual LaunchPad (host firmware behind a pty) for flash, monitor and profile')
    .option('--virtual [dump dir]', 'run the host firmware build of this dump folder as a virtual board')
    .option('--program <exe>', 'run this program as the board instead (it speaks the protocol on stdin/stdout)')
    .option('--program-arg <arg>', 'argument for --program (repeatable)', collect)
    .option('--nvm <file>', 'NVM file of the board (default: a fresh one per session)')
    .option('--failures <mode>', 'power failures of the host firmware: energy (capacitor model), none, every-cycles:N, at:K (once, at the K-th NVM write)', 'energy')
    .option('--time-scale <x>', 'real seconds per simulated second of recharge time', '0.01')
    .option('--off-time <s>', 'seconds off after each power failure (overrides the energy model)')
    .option('--flip-rate <p>', 'probability of a bit flip per byte on the line (noisy cable)', '0')
    .option('--seed <n>', 'seed of the bit flips', '1')
    .option('--json', 'log board events as JSON lines (the first line is still the port path)')
    .option('--quiet', 'print only the port path')
    .action(action(async (flags: BoardFlags) => {
      if (flags.virtual === undefined) usageError('board: only virtual boards can be served: use --virtual <dump dir>');
      const dumpDir = typeof flags.virtual === 'string' ? flags.virtual : null;
      if (dumpDir === null && flags.program === undefined) usageError('board --virtual: give a dump folder, or --program <exe>');
      const num = (name: string, v: string | undefined, min: number, max: number): number | undefined => {
        if (v === undefined) return undefined;
        const n = Number(v);
        if (!Number.isFinite(n) || n < min || n > max) usageError(`--${name} ${v}: expected a number in [${min}, ${max}]`);
        return n;
      };
      const failures = flags.failures ?? 'energy';
      if (!/^(?:energy|none|every-cycles:[1-9]\d*|at:[1-9]\d*)$/.test(failures)) {
        usageError(`--failures ${failures}: expected energy, none, every-cycles:N or at:K (N, K positive integers)`);
      }
      const timeScale = num('time-scale', flags.timeScale, 0, 1e6)!;
      const flipRate = num('flip-rate', flags.flipRate, 0, 1)!;
      const seed = num('seed', flags.seed, 0, 2 ** 32 - 1)!;
      const offTime = num('off-time', flags.offTime, 0, 3600);
      const { DEFAULT_SETTINGS } = await import('../settings/index.ts');
      const { serveVirtualBoard, rechargeTimeS } = await import('../device/index.ts');
      const offTimeS = offTime ?? rechargeTimeS(DEFAULT_SETTINGS.platform) * timeScale;
      const log = (line: string) => {
        if (flags.quiet) return;
        process.stderr.write(flags.json ? `${JSON.stringify({ t: Date.now() / 1000, board: line })}\n` : `${line}\n`);
      };
      const r = await serveVirtualBoard(dumpDir, {
        offTimeS, flipRate, seed, log, timeScale: flags.program === undefined || offTime === undefined ? (timeScale > 0 ? timeScale : 1) : 1,
        firmwareArgs: ['--failures', failures, '--time-scale', String(timeScale)],
        ...(flags.program === undefined ? {} : { program: flags.program, programArgs: flags.programArg ?? [] }),
        ...(flags.nvm === undefined ? {} : { nvm: flags.nvm }),
      });
      if (!r.ok) exitWithIssues(r.issues, flags.json);
      const board = r.value;
      process.stdout.write(`${board.port}\n`);
      let frozen = false;
      process.on('SIGUSR1', () => board.reset());
      process.on('SIGUSR2', () => board.freeze((frozen = !frozen)));
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await board.stop();
      process.exit(0);
    }));
}
