/** Helpers every CLI command shares: rendering issues, exiting, JSON output. Only cli/ prints or exits. */
import { flagOrigins, formatIssues, loadSettings, overridesFromFlags, SETTINGS_FLAGS, type InasIssue, type LoadedSettings, type Result } from '../settings/index.ts';
import { EXIT, exitCodeFor } from './exit_codes.ts';

/** Prints issues to stderr (one line each, never a stack trace) and exits with the code of the first issue. */
export function exitWithIssues(issues: readonly InasIssue[], json = false): never {
  if (json) process.stdout.write(JSON.stringify({ ok: false, issues }, null, 2) + '\n');
  process.stderr.write(`inas: ${formatIssues(issues).split('\n').join('\ninas: ')}\n`);
  process.exit(exitCodeFor(issues));
}

/** Returns the value of a Result or exits with its issues. */
export function unwrapOrExit<T>(r: Result<T>, json = false): T {
  if (!r.ok) exitWithIssues(r.issues, json);
  return r.value;
}

/** Prints a value as pretty JSON on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** Exits for a usage error (bad flag value). */
export function usageError(message: string): never {
  process.stderr.write(`inas: ${message}\n`);
  process.exit(EXIT.usage);
}

/** Wraps a command action: unexpected exceptions are bugs (exit 70), with the stack only under INAS_DEBUG. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      const err = e as Error;
      process.stderr.write(`inas: internal error: ${err?.message ?? String(e)}\n`);
      if (process.env['INAS_DEBUG']) process.stderr.write(`${err?.stack ?? ''}\n`);
      process.exit(EXIT.bug);
    }
  };
}

/** Declares settings-override flags (from the settings module's SETTINGS_FLAGS table) on a command. */
export function addSettingsFlags(cmd: import('commander').Command, names: readonly string[]): import('commander').Command {
  for (const name of names) {
    const f = SETTINGS_FLAGS.find((x) => x.flag === name);
    if (!f) throw new Error(`unknown settings flag ${name}`);
    cmd.option(`--${f.flag} <value>`, f.help);
  }
  return cmd;
}

/** Collects the settings-override flags of a parsed command (commander camel-cases names) for overridesFromFlags. */
export function settingsFlagValues(opts: Record<string, unknown>, names: readonly string[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const name of names) {
    const key = name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const v = opts[key];
    out[name] = v === undefined ? undefined : String(v);
  }
  return out;
}

/** Loads a settings file with flag overrides, or exits with exit code 2 and the issues (a bad flag value names the flag). */
export function loadSettingsOrExit(file: string, opts: Record<string, unknown>, names: readonly string[], json = false): LoadedSettings {
  const values = settingsFlagValues(opts, names);
  const ov = overridesFromFlags(values);
  if (!ov.ok) exitWithIssues(ov.issues, json);
  return unwrapOrExit(loadSettings(file, ov.value, { origins: flagOrigins(values) }), json);
}
