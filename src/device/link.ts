/**
 * A protocol link over a Transport: sends host commands, decodes device lines, and keeps what was dropped.
 * Every event carries the host clock (`host_s`, seconds since the link opened) so recharge times can be measured.
 */
import { fail, ok, type Result } from '../settings/index.ts';
import { createLineDecoder, encodeCommand, type Decoded, type DeviceEvent, type DropStats, type HostCommand } from './protocol.ts';
import type { Transport } from './transport.ts';

/** A decoded event with the host time it arrived at. */
export interface TimedEvent {
  readonly event: DeviceEvent;
  readonly host_s: number;
}

export interface LinkOptions {
  /** Called for every decoded item (events and drops), e.g. by `inas monitor`. */
  readonly onDecoded?: (d: Decoded, hostS: number) => void;
}

export interface DeviceLink {
  readonly transport: Transport;
  /** Sends one command line. */
  send(cmd: HostCommand, timeoutS?: number): Promise<Result<void>>;
  /** Next decoded event (queued or new); `io_timeout` / `transport_closed` otherwise. */
  next(timeoutS: number): Promise<Result<TimedEvent>>;
  /** Waits for an event matching `pred`, passing the others to `onOther`. */
  waitFor(pred: (e: DeviceEvent) => boolean, timeoutS: number, onOther?: (e: TimedEvent) => void): Promise<Result<TimedEvent>>;
  /** Host seconds since the link opened. */
  now(): number;
  readonly stats: Readonly<DropStats>;
  close(): Promise<void>;
}

/** Creates a link; the sequence of `next()` calls sees every event once, in order. */
export function createDeviceLink(transport: Transport, opts: LinkOptions = {}): DeviceLink {
  const decoder = createLineDecoder();
  const queue: TimedEvent[] = [];
  const t0 = process.hrtime.bigint();
  const now = () => Number(process.hrtime.bigint() - t0) / 1e9;

  const absorb = (items: Decoded[]) => {
    const t = now();
    for (const d of items) {
      opts.onDecoded?.(d, t);
      if (d.kind === 'event') queue.push({ event: d.event, host_s: t });
    }
  };

  const next = async (timeoutS: number): Promise<Result<TimedEvent>> => {
    const deadline = now() + timeoutS;
    for (;;) {
      const q = queue.shift();
      if (q) return ok(q);
      const left = deadline - now();
      if (left <= 0) return fail({ code: 'io_timeout', path: transport.name, message: `${transport.name}: no valid line from the board within ${timeoutS} s (is it powered and running the inas firmware?)`, data: { timeout_s: timeoutS } });
      const r = await transport.read(4096, left);
      if (!r.ok) {
        if (r.issues[0]?.code === 'transport_closed') absorb(decoder.reset());
        if (r.issues[0]?.code === 'io_timeout') continue;
        return r;
      }
      absorb(decoder.push(r.value));
    }
  };

  return {
    transport,
    stats: decoder.stats,
    now,
    send: (cmd, timeoutS = 2) => transport.write(new TextEncoder().encode(encodeCommand(cmd)), timeoutS),
    next,
    async waitFor(pred, timeoutS, onOther) {
      const deadline = now() + timeoutS;
      for (;;) {
        const r = await next(Math.max(0, deadline - now()));
        if (!r.ok) return r;
        if (pred(r.value.event)) return r;
        onOther?.(r.value);
      }
    },
    close: () => transport.close(),
  };
}
