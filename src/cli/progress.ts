/**
 * Progress bar with rate and ETA, drawn on stderr. Library code reports progress through callbacks; only the CLI
 * draws. On a TTY the bar redraws in place; otherwise a line is printed at most every 5 s (and at the end).
 */

export interface Progress {
  /** Sets the amount done (0..total) and an optional status text (e.g. "loss 0.42"). */
  update(done: number, status?: string): void;
  /** Ends the bar (prints a final line). */
  finish(status?: string): void;
}

export interface ProgressOptions {
  readonly label: string;
  readonly total: number;
  /** Unit for the rate, e.g. "samples" → "1234 samples/s". */
  readonly unit?: string;
  /** Silence it (e.g. under --json when stderr is not wanted, or --quiet). */
  readonly quiet?: boolean;
  readonly stream?: NodeJS.WriteStream;
}

/** Formats seconds as 1h02m, 3m04s or 12.3s. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--';
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const m = Math.floor(seconds / 60), s = Math.floor(seconds % 60);
  if (m < 60) return `${m}m${String(s).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** Creates a progress bar. */
export function createProgress(opts: ProgressOptions): Progress {
  const stream = opts.stream ?? process.stderr;
  const tty = Boolean(stream.isTTY);
  const start = Date.now();
  let lastPrint = 0;
  let lastLine = '';
  const render = (done: number, status: string | undefined, final: boolean): void => {
    if (opts.quiet) return;
    const now = Date.now();
    const elapsedS = (now - start) / 1000;
    const frac = opts.total > 0 ? Math.min(1, done / opts.total) : 0;
    const rate = elapsedS > 0 ? done / elapsedS : 0;
    const etaS = rate > 0 ? (opts.total - done) / rate : NaN;
    const width = 24;
    const filled = Math.round(frac * width);
    const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
    const rateText = opts.unit ? ` ${rate >= 100 ? rate.toFixed(0) : rate.toFixed(1)} ${opts.unit}/s` : '';
    const line = `${opts.label} [${bar}] ${done}/${opts.total} ${(100 * frac).toFixed(0)}%${rateText} ` +
      `${final ? `in ${formatDuration(elapsedS)}` : `ETA ${formatDuration(etaS)}`}${status ? ` ${status}` : ''}`;
    if (tty) {
      stream.write(`\r${line}${' '.repeat(Math.max(0, lastLine.length - line.length))}${final ? '\n' : ''}`);
      lastLine = line;
    } else if (final || now - lastPrint >= 5000) {
      stream.write(line + '\n');
      lastPrint = now;
    }
  };
  let current = 0;
  return {
    update(done, status) {
      current = done;
      render(done, status, false);
    },
    finish(status) {
      render(current, status, true);
    },
  };
}
