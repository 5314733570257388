/**
 * `npm run bench`: runs every benchmark in scripts/bench/*.ts (each exports `run(): Promise<void>` and prints its
 * own figures: min/median of repeated runs, and ratios measured in the same run). `npm run bench -- <name>` runs one.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bench');
const only = process.argv.slice(2);
const files = readdirSync(dir).filter((f) => f.endsWith('.ts')).sort()
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)));
for (const f of files) {
  console.log(`\n== bench: ${f.replace(/\.ts$/, '')} ==`);
  const mod = (await import(pathToFileURL(path.join(dir, f)).href)) as { run: () => Promise<void> };
  await mod.run();
}
