// STYLE §1: modules import each other only through index.ts, and only upward in ARCHITECTURE.md's list.
import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ORDER = ['settings', 'platform', 'network', 'costmodel', 'explorer', 'data', 'train', 'quant', 'nas', 'faults',
  'dumper', 'firmware', 'device', 'report', 'cli'];
const SRC = path.resolve('src');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('architecture', () => {
  it('every module import goes through index.ts and points up the module list', () => {
    const problems: string[] = [];
    for (const file of walk(SRC)) {
      const mod = path.relative(SRC, file).split(path.sep)[0] ?? '';
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
        const target = path.resolve(path.dirname(file), m[1] ?? '');
        const rel = path.relative(SRC, target).split(path.sep);
        const tmod = rel[0] ?? '';
        if (tmod === mod || !ORDER.includes(tmod)) continue;
        if (!(rel.length === 2 && rel[1] === 'index.ts')) problems.push(`${path.relative(SRC, file)} imports ${m[1]} (not its index.ts)`);
        if (ORDER.indexOf(tmod) > ORDER.indexOf(mod)) problems.push(`${path.relative(SRC, file)} imports ${tmod}, which is below ${mod}`);
      }
    }
    expect(problems).to.deep.equal([]);
  });
});
