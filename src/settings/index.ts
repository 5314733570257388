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
} from './types.ts';
/** Default settings (original iNAS class defaults, §4.1). */
export { DEFAULT_SETTINGS } from './defaults.ts';
/** Seeded PRNG with saveable state. */
export type { Rng } from './rng.ts';
export { createRng } from './rng.ts';
