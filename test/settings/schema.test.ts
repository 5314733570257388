// The settings JSON Schema is generated from src/settings/types.ts; the committed copy must not be stale.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { renderSettingsSchema, SCHEMA_PATH } from '../../scripts/gen_settings_schema.ts';
import { DEFAULT_SETTINGS } from '../../src/settings/index.ts';

type Node = { properties?: Record<string, Node>; default?: unknown };

describe('settings/schema', () => {
  it('the committed schema.json equals a fresh generation from types.ts (run `npm run gen:schema`)', () => {
    expect(readFileSync(SCHEMA_PATH, 'utf8')).to.equal(renderSettingsSchema());
  });
  it('every @default in the schema equals DEFAULT_SETTINGS', () => {
    const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Node;
    const mismatches: string[] = [];
    const walk = (node: Node, value: unknown, p: string): void => {
      for (const [k, child] of Object.entries(node.properties ?? {})) {
        const v = (value as Record<string, unknown>)[k];
        if (child.properties) walk(child, v, `${p}/${k}`);
        else if (JSON.stringify(child.default) !== JSON.stringify(v)) mismatches.push(`${p}/${k}: schema ${JSON.stringify(child.default)} vs ${JSON.stringify(v)}`);
      }
    };
    walk(schema, DEFAULT_SETTINGS, '');
    expect(mismatches).to.deep.equal([]);
  });
});
