/**
 * The serial line protocol on the host side: CRCs, line encoding, and a streaming decoder that turns the bytes of a
 * serial port into typed events. The decoder never throws: garbage between lines, partial lines (a reset or a
 * disconnect in the middle of a line), bad checksums, unknown tags and malformed fields are dropped and counted.
 * The message table is `proto_spec.ts` (the same table generates the C header).
 */
import { crc32 } from '../settings/index.ts';
import {
  DEVICE_MESSAGES,
  HOST_MESSAGES,
  PROTO,
  PROTO_STATUS,
  type FieldType,
  type MessageSpec,
} from './proto_spec.ts';

/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor); check("123456789") = 0x29B1. */
export function crc16(bytes: Uint8Array, init = 0xffff): number {
  let crc = init;
  for (const b of bytes) {
    crc ^= b << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** CRC-32/ISO-HDLC (zlib's crc32): the shared implementation of src/settings. */
export { crc32 };

/** The value a field decodes to. */
export type FieldValue<T extends FieldType> = T extends 'str' ? string : T extends 'hex' ? Uint8Array : T extends 'i16list' ? number[] : number;

type Fields<M extends MessageSpec> = { -readonly [F in M['fields'][number] as F['name']]: FieldValue<F['type']> };
type MessageOf<M extends MessageSpec> = M extends MessageSpec ? { readonly tag: M['tag'] } & Fields<M> : never;

/** A decoded device line (tagged union over `DEVICE_MESSAGES`). */
export type DeviceEvent = MessageOf<(typeof DEVICE_MESSAGES)[number]>;
/** A host command (tagged union over `HOST_MESSAGES`). */
export type HostCommand = MessageOf<(typeof HOST_MESSAGES)[number]>;

/** Why a piece of input was dropped. */
export const DROP_REASONS = ['garbage', 'partial', 'overlong', 'bad_crc', 'unknown_tag', 'malformed'] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/** Counters of what the decoder dropped (bytes for garbage, lines otherwise). */
export type DropStats = { -readonly [K in DropReason]: number } & { lines_ok: number };

/** One decoder output: an event, or a dropped piece of input with the reason. */
export type Decoded =
  | { readonly kind: 'event'; readonly event: DeviceEvent; readonly line: string }
  | { readonly kind: 'dropped'; readonly reason: DropReason; readonly text: string };

const DEVICE_BY_TAG = new Map<string, MessageSpec>(DEVICE_MESSAGES.map((m) => [m.tag, m]));
const HOST_BY_TAG = new Map<string, MessageSpec>(HOST_MESSAGES.map((m) => [m.tag, m]));

const DOLLAR = 0x24, STAR = 0x2a, CR = 0x0d, LF = 0x0a;
const HEX4 = /^[0-9A-F]{4}$/;
const FIELD_OK = /^[\x20-\x7e]*$/;

function printable(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  return s;
}

function hexToBytes(s: string): Uint8Array | null {
  if (s.length % 2 !== 0 || !/^[0-9A-Fa-f]*$/.test(s)) return null;
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Upper-case hex of bytes. */
export function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).toUpperCase().padStart(2, '0');
  return s;
}

function parseField(type: FieldType, s: string): unknown {
  switch (type) {
    case 'u32': {
      if (!/^\d{1,10}$/.test(s)) return undefined;
      const v = Number(s);
      return v <= 0xffffffff ? v : undefined;
    }
    case 'i32': {
      if (!/^-?\d{1,10}$/.test(s)) return undefined;
      const v = Number(s);
      return v >= -0x80000000 && v <= 0x7fffffff ? v : undefined;
    }
    case 'x16':
      return /^[0-9A-F]{4}$/.test(s) ? parseInt(s, 16) : undefined;
    case 'x32':
      return /^[0-9A-F]{8}$/.test(s) ? parseInt(s, 16) : undefined;
    case 'str':
      return s;
    case 'hex':
      return hexToBytes(s) ?? undefined;
    case 'i16list': {
      if (s === '') return [];
      const parts = s.split(' ');
      const out: number[] = [];
      for (const p of parts) {
        if (!/^-?\d{1,5}$/.test(p)) return undefined;
        const v = Number(p);
        if (v < -32768 || v > 32767) return undefined;
        out.push(v);
      }
      return out;
    }
  }
}

function formatField(type: FieldType, v: unknown): string {
  switch (type) {
    case 'u32':
    case 'i32':
      return String(v as number);
    case 'x16':
      return (v as number).toString(16).toUpperCase().padStart(4, '0');
    case 'x32':
      return ((v as number) >>> 0).toString(16).toUpperCase().padStart(8, '0');
    case 'str':
      return v as string;
    case 'hex':
      return bytesToHex(v as Uint8Array);
    case 'i16list':
      return (v as number[]).join(' ');
  }
}

/** Parses the body of a line (between `$` and `*`) against a message table; null when malformed. */
function parseBody(body: string, table: Map<string, MessageSpec>): { tag: string; value: Record<string, unknown> } | 'unknown_tag' | 'malformed' {
  const parts = body.split(',');
  const tag = parts[0] ?? '';
  const spec = table.get(tag);
  if (!spec) return 'unknown_tag';
  if (parts.length !== spec.fields.length + 1) return 'malformed';
  const value: Record<string, unknown> = { tag };
  for (let i = 0; i < spec.fields.length; i++) {
    const fs = spec.fields[i]!;
    const v = parseField(fs.type, parts[i + 1]!);
    if (v === undefined) return 'malformed';
    value[fs.name] = v;
  }
  return { tag, value };
}

/** Encodes one line (`$TAG,f,...*CCCC\r\n`) from a message of either table. */
export function encodeLine(tag: string, values: Readonly<Record<string, unknown>>): string {
  const spec = DEVICE_BY_TAG.get(tag) ?? HOST_BY_TAG.get(tag);
  if (!spec) throw new Error(`encodeLine: unknown tag ${tag}`);
  const parts = [tag];
  for (const fs of spec.fields) {
    const v = values[fs.name];
    if (v === undefined) throw new Error(`encodeLine: ${tag}.${fs.name} missing`);
    const s = formatField(fs.type, v);
    if (!FIELD_OK.test(s) || /[$,*]/.test(s)) throw new Error(`encodeLine: ${tag}.${fs.name} has a reserved character`);
    parts.push(s);
  }
  const body = parts.join(',');
  const crc = crc16(new TextEncoder().encode(body)).toString(16).toUpperCase().padStart(4, '0');
  return `$${body}*${crc}\r\n`;
}

/** Encodes a host command. */
export function encodeCommand(cmd: HostCommand): string {
  return encodeLine(cmd.tag, cmd as unknown as Record<string, unknown>);
}

/** Parses one complete device line (with or without CR LF); used by tests and by the C round-trip test. */
export function parseDeviceLine(line: string): DeviceEvent | DropReason {
  return parseLineWith(line, DEVICE_BY_TAG) as DeviceEvent | DropReason;
}

/** Parses one complete host line (the direction the firmware reads). */
export function parseHostLine(line: string): HostCommand | DropReason {
  return parseLineWith(line, HOST_BY_TAG) as HostCommand | DropReason;
}

function parseLineWith(line: string, table: Map<string, MessageSpec>): Record<string, unknown> | DropReason {
  const s = line.replace(/\r?\n$/, '');
  if (!s.startsWith('$')) return 'garbage';
  const star = s.lastIndexOf('*');
  if (star < 0) return 'partial';
  const body = s.slice(1, star), crcText = s.slice(star + 1);
  if (!HEX4.test(crcText) || !FIELD_OK.test(body)) return 'bad_crc';
  if (crc16(new TextEncoder().encode(body)) !== parseInt(crcText, 16)) return 'bad_crc';
  const r = parseBody(body, table);
  return typeof r === 'string' ? r : r.value;
}

/** A streaming decoder: feed it bytes as they arrive. */
export interface LineDecoder {
  /** Feeds bytes; returns what became complete (events and drops, in order). */
  push(chunk: Uint8Array): Decoded[];
  /** The port was reset or reconnected: a line in progress is dropped as partial. */
  reset(): Decoded[];
  /** What was dropped so far. */
  readonly stats: Readonly<DropStats>;
}

/** Creates a decoder for device lines. */
export function createLineDecoder(): LineDecoder {
  const stats: DropStats = { garbage: 0, partial: 0, overlong: 0, bad_crc: 0, unknown_tag: 0, malformed: 0, lines_ok: 0 };
  let buf = new Uint8Array(PROTO.max_line_bytes + 2);
  let len = 0;
  let inLine = false;
  let overlong = false;
  let garbage: number[] = [];

  const flushGarbage = (out: Decoded[]) => {
    // CR/LF between lines is not garbage.
    const real = garbage.filter((b) => b !== CR && b !== LF);
    if (real.length > 0) {
      stats.garbage += real.length;
      out.push({ kind: 'dropped', reason: 'garbage', text: printable(Uint8Array.from(real)) });
    }
    garbage = [];
  };

  const endLine = (out: Decoded[]) => {
    const bytes = buf.subarray(0, len);
    inLine = false;
    len = 0;
    if (overlong) {
      overlong = false;
      stats.overlong++;
      out.push({ kind: 'dropped', reason: 'overlong', text: printable(bytes) });
      return;
    }
    const text = printable(bytes);
    const r = parseLineWith(text, DEVICE_BY_TAG);
    if (typeof r === 'string') {
      stats[r]++;
      out.push({ kind: 'dropped', reason: r, text });
    } else {
      stats.lines_ok++;
      out.push({ kind: 'event', event: r as unknown as DeviceEvent, line: text });
    }
  };

  return {
    stats,
    push(chunk) {
      const out: Decoded[] = [];
      for (const b of chunk) {
        if (b === DOLLAR) {
          if (inLine) {
            stats.partial++;
            out.push({ kind: 'dropped', reason: 'partial', text: printable(buf.subarray(0, len)) });
          } else flushGarbage(out);
          inLine = true;
          overlong = false;
          len = 0;
          buf[len++] = b;
          continue;
        }
        if (!inLine) {
          garbage.push(b);
          if (garbage.length >= PROTO.max_line_bytes) flushGarbage(out);
          continue;
        }
        if (b === LF || b === CR) {
          endLine(out);
          continue;
        }
        if (len < buf.length) buf[len++] = b;
        else overlong = true;
      }
      flushGarbage(out);
      return out;
    },
    reset() {
      const out: Decoded[] = [];
      flushGarbage(out);
      if (inLine && len > 0) {
        stats.partial++;
        out.push({ kind: 'dropped', reason: 'partial', text: printable(buf.subarray(0, len)) });
      }
      inLine = false;
      len = 0;
      overlong = false;
      buf = new Uint8Array(PROTO.max_line_bytes + 2);
      return out;
    },
  };
}

/** Names a status (`inas_status_t`): the protocol's own codes by name, others as category/code bytes. */
export function describeStatus(status: number): string {
  const known = PROTO_STATUS.find((s) => s.code === status);
  if (known) return `${known.name} (0x${status.toString(16).padStart(4, '0')}): ${known.doc}`;
  return `category 0x${((status >> 8) & 0xff).toString(16).padStart(2, '0')} code 0x${(status & 0xff).toString(16).padStart(2, '0')}`;
}
