/**
 * Transport: a byte pipe to a board with explicit timeouts and two kinds of failure (STYLE rule 12, microTVM's
 * transport): `transport_closed` (the port went away, was closed, or the device was unplugged) and `io_timeout`.
 * The serial implementation uses `serialport` (imported lazily). Logging is a Transport that wraps another.
 */
import { fail, issue, ok, type InasIssue, type Result } from '../settings/index.ts';

/** A byte pipe. `read` resolves with 1..n bytes as soon as any are available. */
export interface Transport {
  /** What it is connected to (a port path). */
  readonly name: string;
  read(n: number, timeoutS: number): Promise<Result<Uint8Array>>;
  write(bytes: Uint8Array, timeoutS: number): Promise<Result<void>>;
  close(): Promise<void>;
}

/** The two transport failures. */
export function transportClosed(name: string, why: string): InasIssue {
  return issue('transport_closed', name, `the connection to ${name} is closed: ${why}`);
}
export function ioTimeout(name: string, what: string, timeoutS: number): InasIssue {
  return issue('io_timeout', name, `${name}: no ${what} within ${timeoutS} s (is the board powered and running the inas firmware?)`, { timeout_s: timeoutS });
}

/** Options of a serial port. */
export interface SerialOptions {
  readonly baudRate?: number;
}

/** Minimal shape of serialport's SerialPort we use (kept local so serialport stays a lazy import). */
interface SerialPortLike {
  on(ev: 'data', fn: (d: Buffer) => void): void;
  on(ev: 'close' | 'error', fn: (e?: Error | null) => void): void;
  write(data: Buffer, cb: (e: Error | null | undefined) => void): boolean;
  drain(cb: (e: Error | null) => void): void;
  close(cb: (e: Error | null) => void): void;
  readonly isOpen: boolean;
}

/** Turns an open error into one clear message (wrong port, busy port, permissions). */
function openIssue(path: string, e: Error): InasIssue {
  const msg = e.message;
  let hint = '';
  if (/No such file|ENOENT|cannot open/i.test(msg)) hint = 'no such device: check the path, or that the board is plugged in (see `--port auto`)';
  else if (/lock|busy|temporarily unavailable|EBUSY/i.test(msg)) hint = 'the port is busy: another program (a serial monitor, another inas) has it open';
  else if (/permission|EACCES/i.test(msg)) hint = 'permission denied: add your user to the dialout (or uucp) group';
  else if (/ENOTTY|Inappropriate ioctl/i.test(msg)) hint = 'not a serial port';
  return issue('port_unavailable', path, `cannot open serial port ${path}: ${hint || msg}`, { error: msg });
}

class SerialTransport implements Transport {
  private chunks: Buffer[] = [];
  private closedWhy: string | null = null;
  private waiter: (() => void) | null = null;

  constructor(readonly name: string, private readonly port: SerialPortLike) {
    port.on('data', (d: Buffer) => {
      this.chunks.push(d);
      this.wake();
    });
    port.on('close', (e) => {
      this.closedWhy ??= e ? e.message : 'closed';
      this.wake();
    });
    port.on('error', (e) => {
      this.closedWhy ??= e ? e.message : 'error';
      this.wake();
    });
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  async read(n: number, timeoutS: number): Promise<Result<Uint8Array>> {
    const deadline = Date.now() + timeoutS * 1000;
    for (;;) {
      if (this.chunks.length > 0) {
        const all = Buffer.concat(this.chunks);
        const take = all.subarray(0, n);
        this.chunks = all.length > n ? [all.subarray(n)] : [];
        return ok(new Uint8Array(take));
      }
      if (this.closedWhy !== null) return fail(transportClosed(this.name, this.closedWhy));
      const left = deadline - Date.now();
      if (left <= 0) return fail(ioTimeout(this.name, 'data', timeoutS));
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          if (this.waiter === done) this.waiter = null;
          resolve();
        }, left);
        const done = () => {
          clearTimeout(t);
          resolve();
        };
        this.waiter = done;
      });
    }
  }

  async write(bytes: Uint8Array, timeoutS: number): Promise<Result<void>> {
    if (this.closedWhy !== null) return fail(transportClosed(this.name, this.closedWhy));
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(fail(ioTimeout(this.name, 'write completion', timeoutS))), timeoutS * 1000);
      this.port.write(Buffer.from(bytes), (e) => {
        if (e) {
          clearTimeout(t);
          resolve(fail(transportClosed(this.name, e.message)));
          return;
        }
        this.port.drain((e2) => {
          clearTimeout(t);
          resolve(e2 ? fail(transportClosed(this.name, e2.message)) : ok(undefined));
        });
      });
    });
  }

  async close(): Promise<void> {
    if (this.closedWhy === null) this.closedWhy = 'closed by the host';
    this.wake();
    if (!this.port.isOpen) return;
    await new Promise<void>((resolve) => this.port.close(() => resolve()));
  }
}

/** Opens a serial port (115200 8N1 unless told otherwise); `port_unavailable` with a clear reason when it cannot. */
export async function openSerialTransport(path: string, opts: SerialOptions = {}): Promise<Result<Transport>> {
  let mod: typeof import('serialport');
  try {
    mod = await import('serialport');
  } catch (e) {
    return fail(issue('port_unavailable', path, `the serialport package cannot be loaded (${(e as Error).message}); run npm ci`));
  }
  return new Promise((resolve) => {
    const port = new mod.SerialPort({ path, baudRate: opts.baudRate ?? 115200, dataBits: 8, parity: 'none', stopBits: 1, autoOpen: false });
    port.open((e) => {
      if (e) resolve(fail(openIssue(path, e)));
      else resolve(ok(new SerialTransport(path, port as unknown as SerialPortLike)));
    });
  });
}

/** A serial port found by listing. */
export interface PortInfo {
  readonly path: string;
  readonly manufacturer: string | null;
  readonly vendor_id: string | null;
  readonly product_id: string | null;
}

/** TI's USB vendor id (the LaunchPad's eZ-FET back-channel UART). */
const TI_VENDOR_ID = '0451';

/** Lists serial ports; fails with a clear message where listing is not available (no udevadm, containers). */
export async function listSerialPorts(): Promise<Result<PortInfo[]>> {
  try {
    const { SerialPort } = await import('serialport');
    const ports = await SerialPort.list();
    return ok(ports.map((p) => ({ path: p.path, manufacturer: p.manufacturer ?? null, vendor_id: p.vendorId ?? null, product_id: p.productId ?? null })));
  } catch (e) {
    return fail(issue('port_unavailable', 'auto', `listing serial ports is not available here (${(e as Error).message}); pass the port explicitly, e.g. --port /dev/ttyACM0 (LaunchPad back-channel UART on Linux) or the path printed by \`inas board --virtual\``));
  }
}

/**
 * Resolves `--port auto`: the LaunchPad's back-channel UART is the first TI port (the eZ-FET exposes two; the UART
 * is the one with the lower interface number on Linux, usually /dev/ttyACM0).
 */
export async function resolvePort(port: string): Promise<Result<string>> {
  if (port !== 'auto') return ok(port);
  const listed = await listSerialPorts();
  if (!listed.ok) return listed;
  const ti = listed.value.filter((p) => p.vendor_id?.toLowerCase() === TI_VENDOR_ID).map((p) => p.path).sort();
  if (ti[0] !== undefined) return ok(ti[0]);
  const seen = listed.value.map((p) => p.path).join(', ') || 'none';
  return fail(issue('port_unavailable', 'auto', `no TI LaunchPad found among the serial ports (${seen}); pass --port <device>`));
}

/** Formats bytes as a hex dump line: `tx 0010  24 50 49 4e 47  $PING`. */
function hexdump(dir: 'tx' | 'rx', bytes: Uint8Array): string[] {
  const lines: string[] = [];
  for (let off = 0; off < bytes.length; off += 16) {
    const row = bytes.subarray(off, off + 16);
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const asc = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${dir} ${off.toString(16).padStart(4, '0')}  ${hex.padEnd(47)}  ${asc}`);
  }
  return lines;
}

/** Wraps a transport and hex-dumps all traffic (and failures) to `log`. */
export function createLoggingTransport(inner: Transport, log: (line: string) => void): Transport {
  return {
    name: inner.name,
    async read(n, timeoutS) {
      const r = await inner.read(n, timeoutS);
      if (r.ok) for (const l of hexdump('rx', r.value)) log(l);
      else log(`rx error: ${r.issues[0]?.code}: ${r.issues[0]?.message}`);
      return r;
    },
    async write(bytes, timeoutS) {
      for (const l of hexdump('tx', bytes)) log(l);
      const r = await inner.write(bytes, timeoutS);
      if (!r.ok) log(`tx error: ${r.issues[0]?.code}: ${r.issues[0]?.message}`);
      return r;
    },
    async close() {
      log('close');
      await inner.close();
    },
  };
}
