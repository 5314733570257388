/**
 * Generates src/settings/schema.json from the TypeScript declarations in src/settings/types.ts (ts-morph), so the
 * settings type and its JSON Schema cannot drift. `npm run gen:schema` writes the file; test/settings/schema.test.ts
 * fails when the committed file differs from a fresh generation.
 *
 * Mapping: interface → object (all properties required after defaults are applied; additionalProperties false);
 * number → number (integer when the @default is an integer and the name ends in _bytes/_hz or is a count);
 * string-literal unions → enum; number[] → array of numbers; JSDoc text → description; @default → default;
 * @minimum/@maximum/@exclusiveMinimum → bounds. Names ending in a unit suffix get `x-unit` (F, ohm, V, B, s, Hz):
 * such values may also be written as strings with units in files and flags.
 */
import { Project, type InterfaceDeclaration, type PropertySignature, type Type } from 'ts-morph';
import { writeFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const SCHEMA_PATH = path.join(ROOT, 'src', 'settings', 'schema.json');
const TYPES_PATH = path.join(ROOT, 'src', 'settings', 'types.ts');

const UNIT_SUFFIXES: ReadonlyArray<[string, string]> = [
  ['_f', 'F'], ['_ohm', 'ohm'], ['_v', 'V'], ['_bytes', 'B'], ['_s', 's'], ['_hz', 'Hz'],
];
const INTEGER_NAMES = new Set(['layers', 'classes', 'trials', 'seed', 'controller_cells', 'embedding_dim', 'epochs',
  'batch_size', 'patience', 'train_subset', 'warmup_epochs', 'paths_per_batch', 'head_refit_samples', 'schema_version', 'vm_capacity_bytes', 'nvm_capacity_bytes', 'data_size_bytes', 'clock_hz']);

function unitOf(name: string): string | undefined {
  return UNIT_SUFFIXES.find(([suffix]) => name.endsWith(suffix))?.[1];
}

function typeSchema(t: Type, name: string): { [k: string]: Json } {
  if (t.isUnion() && !t.isBoolean()) {
    const parts = t.getUnionTypes();
    if (parts.every((p) => p.isStringLiteral())) return { type: 'string', enum: parts.map((p) => p.getLiteralValue() as string) };
    if (parts.every((p) => p.isNumberLiteral())) {
      const values = parts.map((p) => p.getLiteralValue() as number);
      return { type: values.every(Number.isInteger) ? 'integer' : 'number', enum: values };
    }
    const types = [...new Set(parts.map((p) => (p.isNumber() ? 'number' : p.isString() ? 'string' : p.getText())))];
    return { type: types.length === 1 ? (types[0] ?? 'string') : types };
  }
  if (t.isNumber()) return { type: INTEGER_NAMES.has(name) ? 'integer' : 'number' };
  if (t.isString()) return { type: 'string' };
  if (t.isBoolean()) return { type: 'boolean' };
  if (t.isArray()) {
    const el = t.getArrayElementTypeOrThrow();
    return { type: 'array', items: typeSchema(el, INTEGER_NAMES.has(name) ? name : `${name}[]`.replace('[]', '')) };
  }
  throw new Error(`gen_settings_schema: unsupported type ${t.getText()} for ${name}`);
}

function propSchema(p: PropertySignature, iface: (n: string) => InterfaceDeclaration | undefined): { [k: string]: Json } {
  const name = p.getName();
  const t = p.getType();
  const sym = t.getSymbol()?.getName();
  const nested = sym ? iface(sym) : undefined;
  const out: { [k: string]: Json } = nested ? interfaceSchema(nested, iface) : typeSchema(t, name);
  if (!nested && (name === 'kernel_sizes' || name === 'filters' || name === 'input_shape')) out['items'] = { type: 'integer', minimum: 1 };
  const docs = p.getJsDocs();
  const description = docs.map((d) => d.getDescription().trim()).join(' ').trim();
  if (description) out['description'] = description;
  for (const doc of docs) {
    for (const tag of doc.getTags()) {
      const text = (tag.getCommentText() ?? '').trim();
      const tn = tag.getTagName();
      if (tn === 'default') out['default'] = JSON.parse(text) as Json;
      else if (tn === 'minimum' || tn === 'maximum' || tn === 'exclusiveMinimum') out[tn] = Number(text);
    }
  }
  const unit = unitOf(name);
  if (unit) {
    out['x-unit'] = unit;
    // Values with units ("5 mF") are converted before validation; the schema also documents that strings are allowed.
    if (out['type'] === 'number' || out['type'] === 'integer') out['x-accepts-unit-string'] = true;
  }
  return out;
}

function interfaceSchema(decl: InterfaceDeclaration, iface: (n: string) => InterfaceDeclaration | undefined): { [k: string]: Json } {
  const properties: { [k: string]: Json } = {};
  const required: Json[] = [];
  for (const p of decl.getProperties()) {
    properties[p.getName()] = propSchema(p, iface);
    required.push(p.getName());
  }
  const description = decl.getJsDocs().map((d) => d.getDescription().trim()).join(' ').trim();
  return { type: 'object', ...(description ? { description } : {}), properties, required, additionalProperties: false };
}

/** Generates the schema object from src/settings/types.ts. */
export function generateSettingsSchema(): { [k: string]: Json } {
  const project = new Project({ skipAddingFilesFromTsConfig: true, compilerOptions: { strict: true } });
  const file = project.addSourceFileAtPath(TYPES_PATH);
  const iface = (n: string): InterfaceDeclaration | undefined => file.getInterface(n);
  const root = iface('InasSettings');
  if (!root) throw new Error('InasSettings not found');
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://inas.dev/schema/settings.json',
    title: 'inas settings',
    ...interfaceSchema(root, iface),
  };
}

/** Renders the schema as the committed text. */
export function renderSettingsSchema(): string {
  return JSON.stringify(generateSettingsSchema(), null, 2) + '\n';
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const tmp = `${SCHEMA_PATH}.tmp`;
  writeFileSync(tmp, renderSettingsSchema());
  renameSync(tmp, SCHEMA_PATH);
  console.log(`wrote ${path.relative(process.cwd(), SCHEMA_PATH)}`);
}
