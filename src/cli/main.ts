/** `inas` command-line entry: declares the global options and every command, then parses argv. */
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { COMMANDS } from './commands.ts';
import { EXIT } from './exit_codes.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command();
program
  .name('inas')
  .description('Intermittent-aware neural architecture search and deployment for the TI MSP430FR5994')
  .version(pkg.version, '-V, --version')
  .showHelpAfterError()
  .exitOverride();

for (const load of COMMANDS) (await load()).define(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exit(e.exitCode === 0 ? EXIT.ok : EXIT.usage);
  }
  throw e;
}
