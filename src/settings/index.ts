/** Public face of the settings module: settings types, defaults, loading, and the shared Result/issue types. */
export type { InasIssue, IssueCode, Result, ExitClass } from './result.ts';
/** Issue helpers (see result.ts). */
export { ISSUE_CODES, ok, fail, issue, formatIssues, assertNever, issueExitClass } from './result.ts';
export type {
  InasSettings,
  PlatformSettings,
  SearchSpaceSettings,
  DatasetSettings,
  SearchSettings,
  TrainingSettings,
  OutputSettings,
  PlatformProfileName,
  PowerType,
  CompatMode,
  Family,
  DatasetName,
  ControllerName,
  EvaluatorName,
  RewardName,
  BackendName,
  SupernetSettings,
  SupernetSampling,
  KernelSharing,
} from './types.ts';
/** Enumerations of the settings file, as const arrays. */
export {
  PLATFORM_PROFILES,
  POWER_TYPES,
  COMPAT_MODES,
  FAMILIES,
  DATASETS,
  CONTROLLERS,
  EVALUATORS,
  REWARDS,
  BACKENDS,
  SUPERNET_SAMPLINGS,
  KERNEL_SHARINGS,
} from './types.ts';
/** Default settings (the original iNAS class defaults of §4.1, but inas's own evaluator, reward, patience and output folder). */
export { DEFAULT_SETTINGS } from './defaults.ts';
/** Seeded PRNG with saveable state. */
export type { Rng } from './rng.ts';
export { createRng } from './rng.ts';
/** Loading and validating settings files (inas and original iNAS formats), digests, overrides. */
export type { LoadedSettings, LoadOptions, SettingsOverrides } from './load.ts';
export { loadSettings, resolveSettings, settingsDigest, canonicalJson, isLegacySettings, convertLegacySettings, SETTINGS_SCHEMA } from './load.ts';
/** Quantities with units ("5 mF", "22 ohm", "2 KiB"). */
export type { QuantityUnit } from './units.ts';
export { parseQuantity, QUANTITY_UNITS } from './units.ts';
/** The table of CLI flags that override settings. */
export type { SettingsFlag } from './flags.ts';
export { SETTINGS_FLAGS, settingsFlag, overridesFromFlags, flagOrigins } from './flags.ts';
/** CRC-32 (zlib), shared by data, dumper, device and faults. */
export { crc32 } from './checksum.ts';
