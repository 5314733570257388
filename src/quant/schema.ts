/**
 * The JSON Schema of solution files (STYLE §9), and
 * `parseSolution(unknown)`, the only place that turns parsed JSON into a `Solution`. The embedded settings are
 * validated by the settings module's own schema (`resolveSettings`).
 */
import { Ajv, type ErrorObject } from 'ajv';
import { LAYER_TYPES } from '../network/index.ts';
import {
  COMPAT_MODES, fail, FAMILIES, issue, ok, POWER_TYPES, resolveSettings, settingsDigest,
  type InasSettings, type Result,
} from '../settings/index.ts';
import { POOL_KINDS, type QuantLayer, type Solution, type SolutionLayer } from './solution.ts';

/** A solution whose settings are not yet validated (the schema checks them only as an object). */
type SolutionShape = Omit<Solution, 'settings'> & { readonly settings: Record<string, unknown> };

/**
 * ajv's JSONSchemaType cannot express our required-but-nullable fields under this compiler, so the schema is tied
 * to the type another way: each `properties` map is typed `Record<keyof T, …>` (the compiler rejects a missing or
 * extra field) and `required` lists exactly the non-optional keys (checked by `requiredKeys`).
 */
type Props<T> = { readonly [K in keyof Required<T>]: object };
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
function requiredKeys<T>(keys: { readonly [K in RequiredKeys<T>]: true }): string[] {
  return Object.keys(keys);
}

const nullableNumber = { type: 'number', nullable: true } as const;

const LAYER_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: requiredKeys<SolutionLayer>({ name: true, type: true, design: true, latency_s: true, energy_per_cycle_j: true, power_cycles: true, vm_bytes: true }),
  properties: {
    name: { type: 'string', minLength: 1 },
    type: { type: 'string', enum: [...LAYER_TYPES] },
    design: { type: 'string', nullable: true, pattern: '^\\d+_\\d+_\\d+_\\d+_reuse_[IWO]_S\\d+$' },
    latency_s: { ...nullableNumber, minimum: 0 },
    energy_per_cycle_j: { ...nullableNumber, minimum: 0 },
    power_cycles: { ...nullableNumber, minimum: 0 },
    vm_bytes: { ...nullableNumber, minimum: 0 },
  } satisfies Props<SolutionLayer>,
};

const QUANT_LAYER_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: requiredKeys<QuantLayer>({ name: true, type: true, relu: true, in_frac: true, w_frac: true, out_frac: true, shift: true,
    weight_bits: true, weights_offset_bytes: true, weights_count: true }),
  properties: {
    name: { type: 'string', minLength: 1 },
    type: { type: 'string', enum: [...LAYER_TYPES] },
    relu: { type: 'boolean' },
    in_frac: { type: 'integer', minimum: -64, maximum: 64 },
    w_frac: { type: 'integer', minimum: -64, maximum: 64 },
    out_frac: { type: 'integer', minimum: -64, maximum: 64 },
    shift: { type: 'integer', minimum: -15, maximum: 31 },
    weight_bits: { type: 'integer', enum: [16, 8] },
    weights_offset_bytes: { type: 'integer', minimum: 0, multipleOf: 2 },
    weights_count: { type: 'integer', minimum: 0 },
    pool: { type: 'string', enum: [...POOL_KINDS] },
  } satisfies Props<QuantLayer>,
};

const SHA256 = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;

/** The JSON Schema of a solution file. */
export const SOLUTION_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: requiredKeys<Solution>({ schema_version: true, kind: true, inas_version: true, created_utc: true, settings_digest: true,
    settings: true, family: true, arch: true, input_shape: true, classes: true, power: true, compat: true, feasible: true, layers: true,
    predicted: true, accuracy: true, quant: true, weights: true, samples: true }),
  properties: {
    schema_version: { type: 'integer', const: 1 },
    kind: { type: 'string', const: 'inas-solution' },
    inas_version: { type: 'string' },
    created_utc: { type: 'string' },
    settings_digest: SHA256,
    settings: { type: 'object', required: [] },
    family: { type: 'string', enum: [...FAMILIES] },
    arch: { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 1 },
    input_shape: { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 3, maxItems: 3 },
    classes: { type: 'integer', minimum: 2 },
    power: { type: 'string', enum: [...POWER_TYPES] },
    compat: { type: 'string', enum: [...COMPAT_MODES] },
    feasible: { type: 'boolean' },
    layers: { type: 'array', items: LAYER_SCHEMA },
    predicted: {
      type: 'object', additionalProperties: false, required: ['latency_s', 'energy_j', 'power_cycles'],
      properties: { latency_s: { ...nullableNumber, minimum: 0 }, energy_j: { ...nullableNumber, minimum: 0 }, power_cycles: { ...nullableNumber, minimum: 0 } },
    },
    accuracy: {
      type: 'object', additionalProperties: false, required: ['float', 'q15'],
      properties: { float: { ...nullableNumber, minimum: 0, maximum: 1 }, q15: { ...nullableNumber, minimum: 0, maximum: 1 } },
    },
    quant: {
      type: 'object', nullable: true, additionalProperties: false, required: ['input_frac', 'layers'],
      properties: { input_frac: { type: 'integer', minimum: -64, maximum: 64 }, layers: { type: 'array', items: QUANT_LAYER_SCHEMA } },
    },
    weights: {
      type: 'object', nullable: true, additionalProperties: false, required: ['file', 'format', 'sha256', 'size_bytes'],
      properties: { file: { type: 'string', minLength: 1 }, format: { type: 'string', const: 'inas-q-v1' }, sha256: SHA256, size_bytes: { type: 'integer', minimum: 0 } },
    },
    samples: {
      type: 'object', nullable: true, additionalProperties: false, required: ['file', 'count'],
      properties: {
        file: { type: 'string', minLength: 1 }, count: { type: 'integer', minimum: 0 },
        sha256: SHA256, size_bytes: { type: 'integer', minimum: 0 },
      },
    },
  } satisfies Props<Solution>,
};

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(SOLUTION_SCHEMA);

function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': return `missing required field "${String(p['missingProperty'])}"`;
    case 'additionalProperties': return `unknown field "${String(p['additionalProperty'])}"`;
    case 'enum': return `${e.message ?? 'invalid'}: ${JSON.stringify(p['allowedValues'])}`;
    default: return e.message ?? 'invalid';
  }
}

/** Validates parsed JSON as a solution (schema, embedded settings, digest, per-layer consistency). */
export function parseSolution(value: unknown, source = 'solution'): Result<Solution> {
  if (!validate(value)) {
    return fail(...(validate.errors ?? []).slice(0, 10).map((e) => {
      const where = e.instancePath || '/';
      return issue('invalid_file', `${source}: ${where}`, `${describe(e)} (got ${JSON.stringify(e.data)?.slice(0, 80)})`);
    }));
  }
  const shape = value as SolutionShape;
  const s = resolveSettings(shape.settings, `${source}: /settings`);
  if (!s.ok) return s;
  const digest = settingsDigest(shape.settings as unknown as InasSettings);
  if (digest !== shape.settings_digest) {
    return fail(issue('invalid_file', `${source}: /settings_digest`,
      `does not match the embedded settings (sha256 of their canonical JSON is ${digest}, the file says ${shape.settings_digest})`));
  }
  if (shape.quant && shape.quant.layers.length !== shape.layers.length) {
    return fail(issue('invalid_file', `${source}: /quant/layers`, `has ${shape.quant.layers.length} layers, /layers has ${shape.layers.length}`));
  }
  const bad = shape.quant?.layers.findIndex((q, i) => q.name !== shape.layers[i]?.name || q.type !== shape.layers[i]?.type) ?? -1;
  if (bad >= 0) {
    return fail(issue('invalid_file', `${source}: /quant/layers/${bad}`, `layer ${shape.quant?.layers[bad]?.name} does not match /layers/${bad} (${shape.layers[bad]?.name})`));
  }
  if (shape.quant && !shape.weights) return fail(issue('invalid_file', `${source}: /weights`, 'is null but /quant is set: a quantized solution needs its weights file'));
  return ok({ ...shape, settings: shape.settings as unknown as InasSettings });
}
