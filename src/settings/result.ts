/**
 * Typed failures shared by every module (STYLE §5): a function that can fail returns `Result<T>`.
 * Issue codes form one closed union; add new codes here (and to `issueExitClass` below) in the same change.
 */

/** Every issue code, as a const array so the union type derives from it. */
export const ISSUE_CODES = [
  // settings / input
  'invalid_settings',
  'invalid_value',
  'invalid_unit',
  'file_not_found',
  'file_unreadable',
  'file_unwritable',
  'invalid_json',
  'invalid_file',
  'invalid_argument',
  // architecture / network
  'invalid_arch',
  'kernel_too_large',
  'unknown_layer_type',
  'nvm_overflow',
  // cost model / explorer
  'infeasible_c0',
  'infeasible_c1',
  'infeasible_layer',
  'latency_requirement',
  'capacitor',
  // data
  'dataset_missing',
  'checksum_mismatch',
  'download_failed',
  // training / tools
  'backend_unavailable',
  'toolchain_missing',
  'build_failed',
  'model_too_large',
  'unsupported_design',
  // device / transport
  'port_unavailable',
  'transport_closed',
  'io_timeout',
  'protocol_error',
  'device_error',
  'mismatch',
  // other
  'interrupted',
  'internal',
] as const;

/** A closed union of issue codes. */
export type IssueCode = (typeof ISSUE_CODES)[number];

/** One failure: what failed, where (`path`), the numbers involved, and a message a user can act on. */
export interface InasIssue {
  readonly code: IssueCode;
  /** Where: a file and/or a JSON pointer or dotted path, e.g. `settings/x.json: /platform/capacitance_f`. */
  readonly path: string;
  readonly message: string;
  /** Relevant numbers or values (limit, actual, …). */
  readonly data?: Readonly<Record<string, unknown>>;
}

/** Success-or-failure union (zod's safeParse style). */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly InasIssue[] };

/** Wraps a value as a success. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** Builds a failure from one or more issues. */
export function fail<T = never>(...issues: InasIssue[]): Result<T> {
  return { ok: false, issues };
}

/** Builds one issue. */
export function issue(code: IssueCode, path: string, message: string, data?: Record<string, unknown>): InasIssue {
  return data === undefined ? { code, path, message } : { code, path, message, data };
}

/** Renders issues one per line: `<path>: <message>`. */
export function formatIssues(issues: readonly InasIssue[]): string {
  return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('\n');
}

/** Exhaustiveness helper for switches over closed unions. */
export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}

/** Which exit-code class an issue belongs to (the CLI maps classes to codes). */
export type ExitClass = 'usage' | 'infeasible' | 'device' | 'failure' | 'bug';

/** Maps each issue code to its exit class (exhaustive). */
export function issueExitClass(code: IssueCode): ExitClass {
  switch (code) {
    case 'invalid_settings':
    case 'invalid_value':
    case 'invalid_unit':
    case 'file_not_found':
    case 'file_unreadable':
    case 'file_unwritable':
    case 'invalid_json':
    case 'invalid_file':
    case 'invalid_argument':
    case 'invalid_arch':
    case 'kernel_too_large':
    case 'unknown_layer_type':
    case 'dataset_missing':
    case 'checksum_mismatch':
    case 'unsupported_design':
      return 'usage';
    case 'nvm_overflow':
    case 'infeasible_c0':
    case 'infeasible_c1':
    case 'infeasible_layer':
    case 'latency_requirement':
    case 'capacitor':
    case 'model_too_large':
      return 'infeasible';
    case 'port_unavailable':
    case 'transport_closed':
    case 'io_timeout':
    case 'protocol_error':
    case 'device_error':
      return 'device';
    case 'download_failed':
    case 'backend_unavailable':
    case 'toolchain_missing':
    case 'build_failed':
    case 'mismatch':
    case 'interrupted':
      return 'failure';
    case 'internal':
      return 'bug';
    default:
      return assertNever(code);
  }
}
