/**
 * `monitor`: decoded events from a port, live. Survives board resets (the decoder drops the cut line) and port
 * disconnects (it reopens the port for a while), and reports what it dropped.
 */
import { fail, issue, ok, type Result } from '../settings/index.ts';
import { openPort } from './deploy.ts';
import { createDeviceLink } from './link.ts';
import type { Decoded, DropStats, HostCommand } from './protocol.ts';

export interface MonitorOptions {
  readonly port: string;
  /** Stop after this many seconds (default: until `signal` aborts). */
  readonly durationS?: number;
  /** Commands to send once the port is open (e.g. RUN). */
  readonly send?: readonly HostCommand[];
  /** Seconds to keep trying to reopen a port that went away. @default 10 */
  readonly reconnectS?: number;
  readonly signal?: AbortSignal;
  readonly onDecoded: (d: Decoded, hostS: number) => void;
  /** Notes about the port (reconnects). */
  readonly onNote?: (text: string) => void;
  readonly trace?: (line: string) => void;
}

export interface MonitorSummary {
  readonly duration_s: number;
  readonly events: number;
  readonly reconnects: number;
  readonly dropped: DropStats;
}

/** Runs the monitor until the duration elapses or the signal aborts. */
export async function monitorPort(opts: MonitorOptions): Promise<Result<MonitorSummary>> {
  const t0 = Date.now();
  const elapsed = () => (Date.now() - t0) / 1000;
  const total: DropStats = { garbage: 0, partial: 0, overlong: 0, bad_crc: 0, unknown_tag: 0, malformed: 0, lines_ok: 0 };
  let events = 0, reconnects = 0;
  const done = () => opts.signal?.aborted === true || (opts.durationS !== undefined && elapsed() >= opts.durationS);
  let first = true;
  while (!done()) {
    let tr = await openPort(opts.port, opts.trace);
    if (!tr.ok) {
      if (first) return tr;
      const until = Date.now() + (opts.reconnectS ?? 10) * 1000;
      while (!tr.ok && Date.now() < until && !done()) {
        await new Promise((r) => setTimeout(r, 250));
        tr = await openPort(opts.port, opts.trace);
      }
      if (!tr.ok) {
        if (done()) break;
        return fail(issue('transport_closed', opts.port, `${opts.port} went away and did not come back within ${opts.reconnectS ?? 10} s (unplugged?)`));
      }
      reconnects++;
      opts.onNote?.(`reconnected to ${opts.port}`);
    }
    const link = createDeviceLink(tr.value, {
      onDecoded: (d) => {
        if (d.kind === 'event') events++;
        opts.onDecoded(d, elapsed());
      },
    });
    if (first) for (const c of opts.send ?? []) {
      const s = await link.send(c);
      if (!s.ok) return s;
    }
    first = false;
    let closed = false;
    while (!done()) {
      const left = opts.durationS === undefined ? 0.25 : Math.min(0.25, Math.max(0.01, opts.durationS - elapsed()));
      const r = await link.next(left);
      if (r.ok || r.issues[0]?.code === 'io_timeout') continue;
      closed = true;
      break;
    }
    for (const k of Object.keys(total) as (keyof DropStats)[]) total[k] += link.stats[k];
    await link.close();
    if (closed) opts.onNote?.(`${opts.port} closed; reconnecting`);
  }
  return ok({ duration_s: elapsed(), events, reconnects, dropped: total });
}
