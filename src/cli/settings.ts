/** `inas settings <file>`: validates a settings file (inas or original iNAS format) and prints the resolved settings. */
import type { Command } from 'commander';
import { SETTINGS_FLAGS } from '../settings/index.ts';
import { action, addSettingsFlags, loadSettingsOrExit, printJson } from './common.ts';

export function define(program: Command): void {
  const names = SETTINGS_FLAGS.map((f) => f.flag);
  const cmd = program
    .command('settings')
    .description('validate a settings file (inas or original iNAS format) and print the resolved settings with defaults')
    .argument('<file>', 'settings JSON file')
    .option('--json', 'print the resolved settings as JSON');
  addSettingsFlags(cmd, names);
  cmd.action(action((file: string, opts: Record<string, unknown>) => {
    const json = Boolean(opts['json']);
    const loaded = loadSettingsOrExit(file, opts, names, json);
    if (json) {
      printJson({ path: loaded.path, format: loaded.format, digest: loaded.digest, notes: loaded.notes, settings: loaded.settings });
      return;
    }
    const s = loaded.settings;
    const lines: string[] = [
      `${loaded.path} (${loaded.format === 'inas-legacy' ? 'original iNAS format, converted' : 'inas format'}) — digest ${loaded.digest.slice(0, 12)}`,
    ];
    for (const [section, body] of Object.entries(s)) {
      if (typeof body !== 'object' || body === null) {
        lines.push(`${section.padEnd(28)} ${JSON.stringify(body)}`);
        continue;
      }
      lines.push(`${section}:`);
      for (const [k, v] of Object.entries(body as Record<string, unknown>)) lines.push(`  ${k.padEnd(26)} ${JSON.stringify(v)}`);
    }
    for (const n of loaded.notes) lines.push(`note: ${n}`);
    process.stdout.write(lines.join('\n') + '\n');
  }));
}
