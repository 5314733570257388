/**
 * Loading settings files: inas files (our schema, quantities with units allowed) and the original iNAS files
 * (PLATFORM_SETTINGS / NAS_SETTINGS / …), defaults, validation with ajv against the generated schema, CLI overrides.
 * Every failure is an issue naming where the bad value came from, the rule and the value received: the file and its
 * JSON pointer (for an original iNAS file, the original key, e.g. `/PLATFORM_SETTINGS/CCAP`), or the flag that set it
 * (`--ccap`), or `<file> (overrides)` for overrides passed without an origin.
 */
import { Ajv, type ErrorObject } from 'ajv';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DEFAULT_SETTINGS } from './defaults.ts';
import { fail, issue, ok, type InasIssue, type Result } from './result.ts';
import schemaJson from './schema.json' with { type: 'json' };
import type { InasSettings } from './types.ts';
import { parseQuantity, type QuantityUnit } from './units.ts';

/** A settings object where any leaf may be missing and quantities may be strings with units. */
export type SettingsOverrides = { readonly [K in keyof InasSettings]?: InasSettings[K] extends object
  ? { readonly [P in keyof InasSettings[K]]?: InasSettings[K][P] | string }
  : InasSettings[K] };

/** What `loadSettings` returns. */
export interface LoadedSettings {
  readonly settings: InasSettings;
  /** sha256 of the canonical JSON of `settings`. */
  readonly digest: string;
  readonly path: string;
  /** `inas-legacy` when the file was an original iNAS settings file. */
  readonly format: 'inas' | 'inas-legacy';
  /** Remarks about the conversion (e.g. original keys that inas ignores). */
  readonly notes: readonly string[];
}

/** Options of `loadSettings` / `resolveSettings`. */
export interface LoadOptions {
  /**
   * Where each override came from, by JSON pointer, e.g. `{ "/platform/capacitance_f": "--ccap" }` (see
   * `flagOrigins`): an error on that pointer (or below it) is reported with this label instead of the file's name.
   * An override without an origin is reported as `<file> (overrides): <pointer>`.
   */
  readonly origins?: Readonly<Record<string, string>>;
}

/** Maps the JSON pointer of a resolved settings value to the issue path that names where the value came from. */
type Locate = (pointer: string) => string;

/** The entry of `table` for `pointer` or its nearest ancestor, with the rest of the pointer appended. */
function lookupPointer(table: Readonly<Record<string, string>>, pointer: string): string | undefined {
  for (let p = pointer; p !== ''; p = p.slice(0, p.lastIndexOf('/'))) {
    const hit = table[p];
    if (hit !== undefined) return hit + pointer.slice(p.length);
  }
  return undefined;
}

/** The JSON pointers of the leaves (non-object values) of an overrides object. */
function leafPointers(v: unknown, pointer: string, out: Set<string>): Set<string> {
  if (isObj(v)) for (const [k, x] of Object.entries(v)) { if (x !== undefined) leafPointers(x, `${pointer}/${k}`, out); }
  else if (pointer) out.add(pointer);
  return out;
}

type Obj = { [k: string]: unknown };
type SchemaNode = { type?: string | string[]; properties?: Record<string, SchemaNode>; 'x-unit'?: QuantityUnit; enum?: string[] };

/** The JSON Schema of settings files (generated from types.ts). */
export const SETTINGS_SCHEMA = schemaJson as unknown as SchemaNode & Obj;

const ajv = new Ajv({ allErrors: true, strict: false });
const validateSchema = ajv.compile(SETTINGS_SCHEMA as object);

const LEGACY_BLOCKS = ['GLOBAL_SETTINGS', 'CUDA_SETTINGS', 'PLATFORM_SETTINGS', 'NAS_SETTINGS', 'DUMPER_SETTINGS', 'LOG_SETTINGS'] as const;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Canonical JSON (sorted keys) for digests. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isObj(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/** sha256 (hex) of the canonical JSON of resolved settings. */
export function settingsDigest(s: InasSettings): string {
  return createHash('sha256').update(canonicalJson(s)).digest('hex');
}

/** Drops `$comment` / `$schema` annotation keys (allowed anywhere in a settings file). */
function stripAnnotations(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripAnnotations);
  if (!isObj(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) if (k !== '$comment' && k !== '$schema') out[k] = stripAnnotations(x);
  return out;
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (!isObj(base) || !isObj(over)) return over === undefined ? base : over;
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    out[k] = k in base ? deepMerge(base[k], v) : v;
  }
  return out;
}

/** Converts quantity strings ("5 mF") to SI numbers wherever the schema has an x-unit. */
function convertUnits(value: unknown, node: SchemaNode, pointer: string, locate: Locate, issues: InasIssue[]): unknown {
  if (isObj(value) && node.properties) {
    const out: Obj = {};
    for (const [k, v] of Object.entries(value)) {
      const child = node.properties[k];
      out[k] = child ? convertUnits(v, child, `${pointer}/${k}`, locate, issues) : v;
    }
    return out;
  }
  const unit = node['x-unit'];
  if (unit && typeof value === 'string') {
    if (pointer.endsWith('latency_requirement_s') && /^p(\d{1,2}(\.\d+)?|100)$/.test(value.trim())) return value.trim();
    const r = parseQuantity(value, unit, locate(pointer));
    if (!r.ok) {
      issues.push(...r.issues);
      return value;
    }
    return r.value;
  }
  return value;
}

function describe(v: unknown): string {
  return typeof v === 'string' ? `"${v}"` : JSON.stringify(v);
}

function valueAt(root: unknown, pointer: string): unknown {
  let cur: unknown = root;
  for (const part of pointer.split('/').slice(1)) {
    if (isObj(cur)) cur = cur[part];
    else if (Array.isArray(cur)) cur = cur[Number(part)];
    else return undefined;
  }
  return cur;
}

function ajvIssue(e: ErrorObject, data: unknown, locate: Locate): InasIssue {
  const p = e.instancePath || '';
  const got = valueAt(data, p);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      return issue('invalid_settings', locate(`${p}/${key}`), `unknown key (expected one of ${Object.keys(isObj(got) ? schemaAt(p)?.properties ?? {} : {}).join(', ')})`, { key });
    }
    case 'exclusiveMinimum':
      return issue('invalid_settings', locate(p), `must be > ${String(params['limit'])} (got ${describe(got)})`, { limit: params['limit'], actual: got });
    case 'minimum':
      return issue('invalid_settings', locate(p), `must be >= ${String(params['limit'])} (got ${describe(got)})`, { limit: params['limit'], actual: got });
    case 'maximum':
      return issue('invalid_settings', locate(p), `must be <= ${String(params['limit'])} (got ${describe(got)})`, { limit: params['limit'], actual: got });
    case 'enum':
      return issue('invalid_settings', locate(p), `must be one of ${(params['allowedValues'] as unknown[]).map(describe).join(', ')} (got ${describe(got)})`, { actual: got });
    case 'type':
      return issue('invalid_settings', locate(p), `must be ${String(params['type']).replace(',', ' or ')} (got ${describe(got)})`, { actual: got });
    default:
      return issue('invalid_settings', locate(p), `${e.message ?? e.keyword} (got ${describe(got)})`, { actual: got });
  }
}

function schemaAt(pointer: string): SchemaNode | undefined {
  let node: SchemaNode | undefined = SETTINGS_SCHEMA;
  for (const part of pointer.split('/').slice(1)) node = node?.properties?.[part];
  return node;
}

/** Cross-field rules the schema cannot say. */
function semanticIssues(s: InasSettings, locate: Locate): InasIssue[] {
  const out: InasIssue[] = [];
  const p = s.platform;
  if (!(p.voff_v < p.von_v)) out.push(issue('invalid_settings', locate('/platform/voff_v'), `must be below von_v = ${p.von_v} V (got ${p.voff_v} V)`, { limit: p.von_v, actual: p.voff_v }));
  if (!(p.vsup_v >= p.von_v)) out.push(issue('invalid_settings', locate('/platform/vsup_v'), `must be at least von_v = ${p.von_v} V, or the capacitor never reaches the turn-on voltage (got ${p.vsup_v} V)`, { limit: p.von_v, actual: p.vsup_v }));
  if (typeof p.latency_requirement_s === 'string' && !/^p(\d{1,2}(\.\d+)?|100)$/.test(p.latency_requirement_s)) {
    out.push(issue('invalid_settings', locate('/platform/latency_requirement_s'), `must be seconds or a percentile such as "p50" (got "${p.latency_requirement_s}")`));
  } else if (typeof p.latency_requirement_s === 'number' && !(p.latency_requirement_s > 0)) {
    out.push(issue('invalid_settings', locate('/platform/latency_requirement_s'), `must be > 0 (got ${p.latency_requirement_s})`));
  }
  const sp = s.search_space;
  if (sp.input_shape.length !== 3) out.push(issue('invalid_settings', locate('/search_space/input_shape'), `must be [H, W, C] (got ${JSON.stringify(sp.input_shape)})`));
  if (sp.family === 'fc' && sp.kernel_sizes.length > 0) out.push(issue('invalid_settings', locate('/search_space/kernel_sizes'), `must be empty for the fc family (got ${JSON.stringify(sp.kernel_sizes)})`));
  if (sp.family !== 'fc' && sp.kernel_sizes.length === 0) out.push(issue('invalid_settings', locate('/search_space/kernel_sizes'), `needs at least one kernel size for the ${sp.family} family`));
  if (sp.filters.length === 0) out.push(issue('invalid_settings', locate('/search_space/filters'), 'needs at least one choice'));
  if (sp.family === 'conv1d' && sp.input_shape[1] !== 1) out.push(issue('invalid_settings', locate('/search_space/input_shape'), `conv1d inputs are [steps, 1, channels] (got ${JSON.stringify(sp.input_shape)})`));
  if (sp.family === 'conv2d' && sp.input_shape[0] !== sp.input_shape[1]) out.push(issue('invalid_settings', locate('/search_space/input_shape'), `conv2d inputs must be square, as the cost model assumes (got ${JSON.stringify(sp.input_shape)})`));
  return out;
}

/** Original keys (§4.1) that map one-to-one onto an inas setting, by block: key → inas JSON pointer. */
const LEGACY_DIRECT: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  GLOBAL_SETTINGS: { EXP_SUFFIX: '/name' },
  PLATFORM_SETTINGS: {
    CCAP: '/platform/capacitance_f',
    REHM: '/platform/harvester_resistance_ohm',
    VON: '/platform/von_v',
    VOFF: '/platform/voff_v',
    VSUP: '/platform/vsup_v',
    EAV_SAFE_MARGIN: '/platform/energy_margin',
    VM_CAPACITY: '/platform/vm_capacity_bytes',
    NVM_CAPACITY: '/platform/nvm_capacity_bytes',
    DATA_SZ: '/platform/data_size_bytes',
    CPU_CLOCK: '/platform/clock_hz',
    LAT_E2E_REQ: '/platform/latency_requirement_s',
  },
  NAS_SETTINGS: {
    SEED: '/search/seed',
    CONV_NUM_FILTERS: '/search_space/filters',
    CONV_KERNEL_SIZES: '/search_space/kernel_sizes',
    NUM_LAYERS: '/search_space/layers',
    NUM_CLASS: '/search_space/classes',
    EPOCH: '/training/epochs',
    TRIALS: '/search/trials',
    CHILD_BATCHSIZE: '/training/batch_size',
    EXPLORATION: '/search/exploration',
    CONTROLLER_CELLS: '/search/controller_cells',
    EMBEDDING_DIM: '/search/embedding_dim',
    ACCURACY_BETA: '/search/accuracy_beta',
  },
  LOG_SETTINGS: { TRIAL_LOG_DIR: '/output/dir' },
};

/**
 * Converts an original iNAS settings object (§4) into an inas partial, merged over the original class defaults (§4.1).
 * `origins` maps every inas JSON pointer that an original key sets to that key's pointer (e.g. `/platform/capacitance_f`
 * → `/PLATFORM_SETTINGS/CCAP`), also when the file leaves the key at its class default: errors name the key the user
 * writes, and a cross-field rule (VOFF < VON) may fail on a key the file does not set.
 */
export function convertLegacySettings(raw: Obj, where: string): Result<{ partial: Obj; notes: string[]; origins: Record<string, string> }> {
  const issues: InasIssue[] = [];
  const notes: string[] = [];
  // The original's behaviour that no key states: its reward, full training of every child, no early stopping.
  const partial: Obj = { platform: {}, search_space: {}, dataset: {}, search: { reward: 'tecs21', evaluator: 'train' }, training: { patience: 0 } };
  const put = (pointer: string, v: unknown): void => {
    const parts = pointer.split('/').slice(1);
    let cur = partial;
    for (const part of parts.slice(0, -1)) cur = (cur[part] ??= {}) as Obj;
    cur[parts.at(-1)!] = v;
  };
  const origins: Record<string, string> = {
    '/platform/power': '/PLATFORM_SETTINGS/POW_TYPE',
    '/dataset/name': '/NAS_SETTINGS/DATASET',
    '/search_space/family': '/NAS_SETTINGS/MODEL_FN_TYPE',
  };
  const known: Record<string, Record<string, (v: unknown, from: string) => void>> = {
    GLOBAL_SETTINGS: {},
    CUDA_SETTINGS: { GPUID: () => notes.push('CUDA_SETTINGS.GPUID ignored (inas trains on the CPU)') },
    PLATFORM_SETTINGS: {
      MCU_TYPE: (v, from) => { if (v !== 'MSP430') issues.push(issue('invalid_settings', `${where}: ${from}`, `only "MSP430" has a cost profile (got ${describe(v)})`)); },
      POW_TYPE: (v, from) => {
        if (v === 'INT' || v === 'CONT') put('/platform/power', v.toLowerCase());
        else issues.push(issue('invalid_settings', `${where}: ${from}`, `must be "INT" or "CONT" (got ${describe(v)})`));
      },
    },
    NAS_SETTINGS: {
      DETERMINISTIC_FLOW: () => notes.push('NAS_SETTINGS.DETERMINISTIC_FLOW ignored (inas is always seeded; it never zero-initialises kernels)'),
      REGULARIZATION: () => notes.push('NAS_SETTINGS.REGULARIZATION ignored (controller regularisation is fixed)'),
      CLIP_REWARDS: () => notes.push('NAS_SETTINGS.CLIP_REWARDS ignored'),
      RESTORE_CONTROLLER: () => notes.push('NAS_SETTINGS.RESTORE_CONTROLLER ignored (use inas search --resume)'),
      DATASET: (v, from) => {
        const map: Record<string, string> = { CIFAR10: 'cifar10', MNIST: 'mnist', HAR: 'har', KWS: 'kws' };
        if (typeof v === 'string' && map[v]) put('/dataset/name', map[v]);
        else issues.push(issue('invalid_settings', `${where}: ${from}`, `must be one of "CIFAR10", "MNIST", "HAR", "KWS" (got ${describe(v)})`));
      },
      IMG_CHANNEL: () => undefined,
      IMG_SIZE: () => undefined,
      MODEL_FN_TYPE: () => undefined,
    },
    DUMPER_SETTINGS: { DUMP_DIR: () => notes.push('DUMPER_SETTINGS.DUMP_DIR ignored (never read by the original either)') },
    // The original merged LOG_SETTINGS only when DUMPER_SETTINGS was present too (§4.4); inas always merges it.
    LOG_SETTINGS: {
      TRIAL_LOG_FNAME: () => notes.push('LOG_SETTINGS.TRIAL_LOG_FNAME ignored (inas writes trials.csv and trials.jsonl in the run folder)'),
      LOG_LEVEL: () => undefined,
    },
  };
  for (const [block, keys] of Object.entries(LEGACY_DIRECT)) {
    for (const [key, pointer] of Object.entries(keys)) {
      known[block]![key] = (v) => put(pointer, v);
      origins[pointer] = `/${block}/${key}`;
    }
  }
  for (const [block, body] of Object.entries(raw)) {
    const handlers = known[block];
    if (!handlers) {
      issues.push(issue('invalid_settings', `${where}: /${block}`, `unknown block of an original iNAS settings file (expected ${LEGACY_BLOCKS.join(', ')})`));
      continue;
    }
    if (!isObj(body)) {
      issues.push(issue('invalid_settings', `${where}: /${block}`, `must be an object (got ${describe(body)})`));
      continue;
    }
    for (const [key, v] of Object.entries(body)) {
      const h = handlers[key];
      if (!h) issues.push(issue('invalid_settings', `${where}: /${block}/${key}`, `unknown key of the original iNAS ${block} (expected one of ${Object.keys(handlers).join(', ')})`));
      else h(v, `/${block}/${key}`);
    }
  }
  // Input shape and family from MODEL_FN_TYPE / IMG_SIZE / IMG_CHANNEL (class defaults: CONV2D, 32, 3). The values are
  // kept as written (not coerced), so that a bad IMG_SIZE fails validation under its own name.
  const nas = isObj(raw['NAS_SETTINGS']) ? raw['NAS_SETTINGS'] : {};
  const fn = nas['MODEL_FN_TYPE'] ?? 'MODEL_FN_CONV2D';
  const size = nas['IMG_SIZE'] ?? 32;
  const ch = nas['IMG_CHANNEL'] ?? 3;
  const families: Record<string, string> = { MODEL_FN_CONV2D: 'conv2d', MODEL_FN_CONV1D: 'conv1d', MODEL_FN_FC: 'fc' };
  const family = typeof fn === 'string' ? families[fn] : undefined;
  if (family === undefined) {
    issues.push(issue('invalid_settings', `${where}: /NAS_SETTINGS/MODEL_FN_TYPE`,
      `must be one of ${Object.keys(families).map(describe).join(', ')} (got ${describe(fn)})`, { actual: fn, expected: Object.keys(families) }));
  } else {
    put('/search_space/family', family);
    put('/search_space/input_shape', family === 'conv2d' ? [size, size, ch] : [size, 1, ch]);
    origins['/search_space/input_shape/0'] = '/NAS_SETTINGS/IMG_SIZE';
    if (family === 'conv2d') origins['/search_space/input_shape/1'] = '/NAS_SETTINGS/IMG_SIZE';
    origins['/search_space/input_shape/2'] = '/NAS_SETTINGS/IMG_CHANNEL';
  }
  if (issues.length) return fail(...issues);
  return ok({ partial, notes, origins });
}

/** Whether a parsed JSON object is an original iNAS settings file. */
export function isLegacySettings(raw: unknown): boolean {
  return isObj(raw) && Object.keys(raw).some((k) => (LEGACY_BLOCKS as readonly string[]).includes(k));
}

/** Drops issues that render identically (e.g. both elements of a conv2d input shape from one IMG_SIZE). */
function uniqueIssues(issues: readonly InasIssue[]): InasIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.path}\u0000${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function validateFull(merged: unknown, locate: Locate): Result<InasSettings> {
  if (!validateSchema(merged)) {
    const errs = (validateSchema.errors ?? []).filter((e) => e.keyword !== 'if');
    return fail(...uniqueIssues(errs.map((e) => ajvIssue(e, merged, locate))));
  }
  const s = merged as InasSettings;
  const sem = uniqueIssues(semanticIssues(s, locate));
  return sem.length ? fail(...sem) : ok(s);
}

/**
 * Resolves an in-memory settings object (inas or original format) to complete, validated settings: `source` names it
 * in errors; `overrides` (e.g. from CLI flags) win over its values, and `options.origins` names where they came from.
 */
export function resolveSettings(value: unknown, source: string, overrides?: SettingsOverrides, options: LoadOptions = {}): Result<{ settings: InasSettings; format: 'inas' | 'inas-legacy'; notes: string[] }> {
  if (!isObj(value)) return fail(issue('invalid_settings', source, `must be a JSON object (got ${describe(value)})`));
  const clean = stripAnnotations(value) as Obj;
  let partial: unknown = clean;
  let format: 'inas' | 'inas-legacy' = 'inas';
  let notes: string[] = [];
  let legacyOrigins: Record<string, string> = {};
  if (isLegacySettings(clean)) {
    const conv = convertLegacySettings(clean, source);
    if (!conv.ok) return conv;
    partial = conv.value.partial;
    notes = conv.value.notes;
    legacyOrigins = conv.value.origins;
    format = 'inas-legacy';
  }
  // A value is reported where it came from: its flag, the overrides, or the file (under the original key for an
  // original iNAS file).
  const inFile: Locate = (pointer) => `${source}: ${lookupPointer(legacyOrigins, pointer) ?? pointer}`;
  const overridden = leafPointers(overrides, '', new Set());
  const flagged = options.origins ?? {};
  const locate: Locate = (pointer) => {
    const flag = lookupPointer(flagged, pointer);
    if (flag !== undefined) return flag;
    for (let p = pointer; p !== ''; p = p.slice(0, p.lastIndexOf('/'))) if (overridden.has(p)) return `${source} (overrides): ${pointer}`;
    return inFile(pointer);
  };
  const unitIssues: InasIssue[] = [];
  const converted = convertUnits(partial, SETTINGS_SCHEMA, '', inFile, unitIssues);
  if (unitIssues.length) return fail(...uniqueIssues(unitIssues));
  let merged = deepMerge(structuredClone(DEFAULT_SETTINGS), converted);
  // When a file names a dataset but no search space, nothing is inferred: the file's search_space (or defaults) rule.
  if (overrides) {
    const ov = convertUnits(overrides, SETTINGS_SCHEMA, '', locate, unitIssues);
    if (unitIssues.length) return fail(...unitIssues);
    merged = deepMerge(merged, ov);
  }
  const v = validateFull(merged, locate);
  if (!v.ok) return v;
  return ok({ settings: v.value, format, notes });
}

/** Reads, converts, validates a settings file and applies overrides (e.g. from CLI flags). */
export function loadSettings(file: string, overrides?: SettingsOverrides, options: LoadOptions = {}): Result<LoadedSettings> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail(issue(code === 'ENOENT' ? 'file_not_found' : 'file_unreadable', file,
      code === 'ENOENT' ? 'settings file not found' : `cannot read the settings file (${code ?? String(e)})`));
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return fail(issue('invalid_json', file, `not valid JSON: ${(e as Error).message}`));
  }
  const r = resolveSettings(raw, file, overrides, options);
  if (!r.ok) return r;
  return ok({ settings: r.value.settings, digest: settingsDigest(r.value.settings), path: file, format: r.value.format, notes: r.value.notes });
}
