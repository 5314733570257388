/**
 * Runs the host firmware binary (the power-failure simulator) and parses what it prints: the event lines of
 * runtime/events_text.c and the final `INAS SUMMARY {json}` line of hal/host/main_host.c.
 */
import { spawn } from 'node:child_process';
import { fail, issue, ok, type Result } from '../settings/index.ts';

/** Failure schedules of the host binary (`--failures`). */
export type HostFailures =
  | { readonly kind: 'none' }
  | { readonly kind: 'every'; readonly writes: number }
  | { readonly kind: 'every-cycles'; readonly cycles: number }
  | { readonly kind: 'random'; readonly seed: number; readonly mean_points?: number }
  | { readonly kind: 'at'; readonly write: number }
  | { readonly kind: 'energy' }
  | { readonly kind: 'exhaustive' };

export interface HostRunOptions {
  readonly failures: HostFailures;
  readonly runs?: number;
  readonly inferences?: number;
  readonly torn?: boolean;
  readonly policy?: 'greedy' | 'batch';
  readonly trace?: string;
  readonly nvm?: string;
  /** Keep event lines (default true; thousands of runs may set false: `--uart none`). */
  readonly events?: boolean;
  readonly maxStall?: number;
  /** Exit (code 75) at the first power failure, leaving the NVM file for the next process. */
  readonly exitOnFailure?: boolean;
  readonly timeoutMs?: number;
}

/** The summary line of main_host.c. */
export interface HostSummary {
  readonly status: number;
  readonly runs: number;
  readonly results: number;
  readonly mismatches: number;
  readonly duplicates: number;
  readonly reboots: number;
  readonly power_failures: number;
  readonly shutdowns: number;
  readonly no_progress: boolean;
  readonly tiles_executed: number;
  readonly tiles_per_inference: number;
  readonly commits: number;
  readonly nvm_reads: number;
  readonly nvm_read_bytes: number;
  readonly nvm_writes: number;
  readonly nvm_write_bytes: number;
  readonly torn_writes: number;
  readonly failure_points: number;
  readonly cycles: number;
  readonly on_time_s: number;
  readonly off_time_s: number;
  readonly energy_j: number;
  /** Simulated time from each run's start (after provisioning) to its results, summed over results. */
  readonly inference_time_s: number;
  readonly layer_power_cycles: readonly number[];
}

/** One `INAS RES` line. */
export interface HostResult {
  readonly inference: number;
  readonly class: number;
  readonly logits: readonly number[];
}

export interface HostRunReport {
  readonly summary: HostSummary;
  readonly results: readonly HostResult[];
  readonly boots: number;
  readonly errors: readonly string[];
  readonly exit_code: number;
  readonly args: readonly string[];
}

/** Parses a `--failures` value: none | every:N | every-cycles:N | random:SEED[:MEAN] | at:K | energy | exhaustive. */
export function parseFailures(text: string): Result<HostFailures> {
  const bad = (): Result<HostFailures> => fail(issue('invalid_argument', '--failures',
    `"${text}" is not a failure schedule (expected none, every:N, every-cycles:N, random:SEED[:MEAN], at:K, energy or exhaustive; N, K ≥ 1)`));
  const int = (v: string | undefined): number | null => (v !== undefined && /^\d+$/.test(v) && Number(v) >= 1 ? Number(v) : null);
  const [kind, a, b, ...rest] = text.trim().split(':');
  if (rest.length) return bad();
  switch (kind) {
    case 'none': case 'energy': case 'exhaustive':
      return a === undefined ? ok({ kind }) : bad();
    case 'every': { const n = int(a); return n !== null && b === undefined ? ok({ kind: 'every', writes: n }) : bad(); }
    case 'every-cycles': { const n = int(a); return n !== null && b === undefined ? ok({ kind: 'every-cycles', cycles: n }) : bad(); }
    case 'at': { const n = int(a); return n !== null && b === undefined ? ok({ kind: 'at', write: n }) : bad(); }
    case 'random': {
      const seed = a !== undefined && /^\d+$/.test(a) ? Number(a) : null;
      const mean = b === undefined ? undefined : int(b);
      if (seed === null || mean === null) return bad();
      return ok(mean === undefined ? { kind: 'random', seed } : { kind: 'random', seed, mean_points: mean });
    }
    default:
      return bad();
  }
}

/** Command-line arguments for a run (firmware/README.md "Host binary"). */
export function hostArgs(o: HostRunOptions): string[] {
  const f = o.failures;
  const spec = f.kind === 'none' ? 'none' : f.kind === 'every' ? `every:${f.writes}` : f.kind === 'every-cycles' ? `every-cycles:${f.cycles}`
    : f.kind === 'random' ? `random:${f.seed}${f.mean_points !== undefined ? `:${f.mean_points}` : ''}` : f.kind === 'at' ? `at:${f.write}` : f.kind;
  const args = ['--failures', spec, '--runs', String(o.runs ?? 1), '--inferences', String(o.inferences ?? 1)];
  if (o.torn) args.push('--torn');
  if (o.policy) args.push('--policy', o.policy);
  if (o.trace) args.push('--trace', o.trace);
  if (o.nvm) args.push('--nvm', o.nvm);
  if (o.maxStall !== undefined) args.push('--max-stall', String(o.maxStall));
  if (o.events === false) args.push('--uart', 'none');
  if (o.exitOnFailure) args.push('--exit-on-failure');
  return args;
}

const RES = /^INAS RES inf=(\d+) class=(\d+) logits=(-?\d+(?:,-?\d+)*) ticks=\d+/;

/** Parses the output of the host binary. */
export function parseHostOutput(stdout: string): { summary: HostSummary | null; results: HostResult[]; boots: number; errors: string[] } {
  let summary: HostSummary | null = null;
  const results: HostResult[] = [];
  const errors: string[] = [];
  let boots = 0;
  for (const raw of stdout.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.startsWith('INAS SUMMARY ')) summary = JSON.parse(line.slice('INAS SUMMARY '.length)) as HostSummary;
    else if (line.startsWith('INAS BOOT ')) boots++;
    else if (line.startsWith('INAS ERR ')) errors.push(line);
    else {
      const m = RES.exec(line);
      if (m) results.push({ inference: Number(m[1]), class: Number(m[2]), logits: m[3]!.split(',').map(Number) });
    }
  }
  return { summary, results, boots, errors };
}

/** Runs the binary; fails with `build_failed`-class issues only when it crashes or prints no summary. */
export function runHost(binary: string, o: HostRunOptions): Promise<Result<HostRunReport>> {
  const args = hostArgs(o);
  return new Promise((resolve) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [], err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = o.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), o.timeoutMs) : null;
    child.on('error', (e) => resolve(fail(issue('build_failed', binary, `cannot run the host firmware: ${e.message}`))));
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      const parsed = parseHostOutput(stdout);
      if (!parsed.summary) {
        resolve(fail(issue('internal', binary, `host firmware ${signal ? `killed by ${signal}` : `exited ${code}`} without a summary (args ${args.join(' ')}):\n${stderr.slice(-3000)}`)));
        return;
      }
      resolve(ok({ summary: parsed.summary, results: parsed.results, boots: parsed.boots, errors: parsed.errors, exit_code: code ?? -1, args }));
    });
  });
}
