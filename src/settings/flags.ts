/**
 * Command-line flags that override settings, declared once (microTVM's ProjectOption idea): each names its settings
 * path, its unit and its help text. CLI commands pick the flags they accept; values keep their units until
 * `loadSettings` converts them, and errors name the flag: `overridesFromFlags` checks numbers, quantities and
 * enumerations itself, and `flagOrigins` tells `loadSettings` which settings a flag set, so that a schema rule broken
 * by a flag's value (`--ccap -1`) is reported as `--ccap: must be > 0 (got -1)` rather than against the file.
 */
import { fail, issue, ok, type InasIssue, type Result } from './result.ts';
import { SETTINGS_SCHEMA, type SettingsOverrides } from './load.ts';
import { parseQuantity, type QuantityUnit } from './units.ts';

export interface SettingsFlag {
  /** Flag name without dashes, e.g. "ccap" for --ccap. */
  readonly flag: string;
  /** Settings path: [section, key]. */
  readonly path: readonly [string, string];
  /** Quantity unit (values may carry units), 'integer', 'number' or 'string' (validated by the schema). */
  readonly kind: QuantityUnit | 'integer' | 'number' | 'string';
  readonly help: string;
  /** The allowed values when the settings key is an enumeration (taken from the schema's `enum`, so they cannot drift). */
  readonly values?: readonly (string | number)[];
}

type FlagDecl = Omit<SettingsFlag, 'values'>;

/** The schema's `enum` of a settings path, if it has one. */
function schemaEnum(path: readonly [string, string]): readonly (string | number)[] | undefined {
  type Node = { properties?: Record<string, Node>; enum?: (string | number)[] };
  const node = (SETTINGS_SCHEMA as Node).properties?.[path[0]]?.properties?.[path[1]];
  return node?.enum;
}

/** Completes a declaration with the allowed values from the schema; a string enumeration's help lists them. */
function withValues(f: FlagDecl): SettingsFlag {
  const values = schemaEnum(f.path);
  if (!values) return f;
  return { ...f, values, help: f.kind === 'string' ? `${f.help}: ${values.join(' | ')}` : f.help };
}

const DECLARED: readonly FlagDecl[] = [
  { flag: 'ccap', path: ['platform', 'capacitance_f'], kind: 'F', help: 'capacitor, e.g. 0.01 or "470uF"' },
  { flag: 'rehm', path: ['platform', 'harvester_resistance_ohm'], kind: 'ohm', help: 'harvester equivalent resistance, e.g. "22 ohm"' },
  { flag: 'vm-capacity', path: ['platform', 'vm_capacity_bytes'], kind: 'B', help: 'SRAM for tile buffers, e.g. 2048 or "2 KiB"' },
  { flag: 'nvm-capacity', path: ['platform', 'nvm_capacity_bytes'], kind: 'B', help: 'NVM capacity, e.g. "1 MB"' },
  { flag: 'margin', path: ['platform', 'energy_margin'], kind: 'number', help: 'usable fraction of the capacitor energy (0..1]' },
  { flag: 'latreq', path: ['platform', 'latency_requirement_s'], kind: 's', help: 'latency requirement, seconds ("500 s") or a percentile ("p50")' },
  { flag: 'compat', path: ['platform', 'compat'], kind: 'string', help: 'cost-model constants' },
  { flag: 'power', path: ['platform', 'power'], kind: 'string', help: 'power type' },
  { flag: 'profile', path: ['platform', 'profile'], kind: 'string', help: 'platform profile' },
  { flag: 'trials', path: ['search', 'trials'], kind: 'integer', help: 'number of trials' },
  { flag: 'controller', path: ['search', 'controller'], kind: 'string', help: 'controller' },
  { flag: 'evaluator', path: ['search', 'evaluator'], kind: 'string', help: 'child evaluator' },
  { flag: 'reward', path: ['search', 'reward'], kind: 'string', help: 'reward' },
  { flag: 'fault-alpha', path: ['search', 'fault_alpha'], kind: 'number', help: 'weight of accuracy under faults in the reward (0 = off)' },
  { flag: 'fault-ber', path: ['search', 'fault_ber'], kind: 'number', help: 'bit error rate of the fault-tolerant reward' },
  { flag: 'seed', path: ['search', 'seed'], kind: 'integer', help: 'random seed' },
  { flag: 'epochs', path: ['training', 'epochs'], kind: 'integer', help: 'training epochs per child' },
  { flag: 'batch-size', path: ['training', 'batch_size'], kind: 'integer', help: 'training batch size' },
  { flag: 'backend', path: ['training', 'backend'], kind: 'string', help: 'compute backend' },
  { flag: 'bit-error-rate', path: ['training', 'bit_error_rate'], kind: 'number', help: 'random bit error training: per-bit error rate of the deployed weight words (Q15, or int8 with --weight-bits 8; 0 = off)' },
  { flag: 'bit-error-ramp', path: ['training', 'bit_error_ramp_epochs'], kind: 'integer', help: 'ramp the bit error rate up linearly over N epochs (0 = full rate from the start)' },
  { flag: 'weight-bits', path: ['training', 'weight_bits'], kind: 'integer', help: 'deployed weight width: 16 (Q15) or 8 (int8 weights); bit-error training and packaging use it' },
  { flag: 'weight-clip', path: ['training', 'weight_clip'], kind: 'number', help: 'clip weights to [-w, w] while training (0 = off)' },
  { flag: 'data-dir', path: ['dataset', 'dir'], kind: 'string', help: 'dataset folder' },
  { flag: 'train-subset', path: ['dataset', 'train_subset'], kind: 'integer', help: 'use at most N training samples (0 = all)' },
];

/** Every settings flag a command may accept. */
export const SETTINGS_FLAGS: readonly SettingsFlag[] = DECLARED.map(withValues);

/** Looks a flag up by name. */
export function settingsFlag(name: string): SettingsFlag | undefined {
  return SETTINGS_FLAGS.find((f) => f.flag === name);
}

/**
 * Turns flag values (keyed by flag name, e.g. { ccap: "470uF", "vm-capacity": "2 KiB" }) into settings overrides.
 * Undefined values are skipped. Quantities are checked here so that errors name the flag.
 */
export function overridesFromFlags(values: Readonly<Record<string, string | number | undefined>>): Result<SettingsOverrides> {
  const out: Record<string, Record<string, unknown>> = {};
  const issues: InasIssue[] = [];
  for (const [name, raw] of Object.entries(values)) {
    if (raw === undefined) continue;
    const f = settingsFlag(name);
    if (!f) {
      issues.push(issue('invalid_argument', `--${name}`, 'is not a settings flag'));
      continue;
    }
    let v: unknown = raw;
    if (f.kind === 'integer' || f.kind === 'number') {
      const n = typeof raw === 'number' ? raw : Number(String(raw).trim());
      if (!Number.isFinite(n) || String(raw).trim() === '' || (f.kind === 'integer' && !Number.isInteger(n))) {
        issues.push(issue('invalid_argument', `--${name}`, `expected ${f.kind === 'integer' ? 'an integer' : 'a number'} (got "${raw}")`));
        continue;
      }
      v = n;
    } else if (f.kind !== 'string') {
      if (!(f.flag === 'latreq' && typeof raw === 'string' && /^p\d/.test(raw.trim()))) {
        const q = parseQuantity(raw, f.kind, `--${name}`);
        if (!q.ok) {
          issues.push(...q.issues);
          continue;
        }
        v = q.value;
      }
    }
    if (f.values && !f.values.includes(v as string | number)) {
      // Same wording as a bad value in a file.
      const message = `must be one of ${f.values.map((x) => JSON.stringify(x)).join(', ')} (got ${JSON.stringify(raw)})`;
      issues.push(issue('invalid_argument', `--${name}`, message, { actual: v, expected: f.values }));
      continue;
    }
    const [section, key] = f.path;
    (out[section] ??= {})[key] = v;
  }
  return issues.length ? fail(...issues) : ok(out as SettingsOverrides);
}

/**
 * Which settings the given flags set, as `loadSettings` origins: JSON pointer → flag, e.g.
 * `{ "/platform/capacitance_f": "--ccap" }` for `{ ccap: "-1" }`. Undefined values are skipped.
 */
export function flagOrigins(values: Readonly<Record<string, string | number | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(values)) {
    const f = settingsFlag(name);
    if (raw !== undefined && f) out[`/${f.path[0]}/${f.path[1]}`] = `--${f.flag}`;
  }
  return out;
}
