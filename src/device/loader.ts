/**
 * Model loader, host side: streams a weights image into the board's NVM in CRC-checked chunks with ACK/NAK,
 * retries, and resume after a reset (firmware/proto/README.md "Model loader"), then has the board verify the
 * CRC-32 over the stored image.
 */
import { fail, issue, ok, type InasIssue, type Result } from '../settings/index.ts';
import type { DeviceLink, TimedEvent } from './link.ts';
import { crc32, describeStatus, type DeviceEvent } from './protocol.ts';
import { PROTO } from './proto_spec.ts';

export interface LoadOptions {
  /** Seconds to wait for each reply. @default 2 */
  readonly replyTimeoutS?: number;
  /** Tries per chunk before re-synchronising with LDQ. @default 3 */
  readonly triesPerChunk?: number;
  /** Give up after this many failed exchanges in total. @default 50 */
  readonly maxFailures?: number;
  /** Upload even when the board already holds this image. */
  readonly force?: boolean;
  /** Progress: bytes committed on the board. */
  readonly onProgress?: (committedBytes: number, totalBytes: number) => void;
  /** Events that are not loader replies (BOOT, LOG, ...). */
  readonly onEvent?: (e: TimedEvent) => void;
}

export interface LoadReport {
  readonly size_bytes: number;
  readonly crc32: number;
  /** `uploaded`, or `already_loaded` when the board held this image with a valid CRC. */
  readonly action: 'uploaded' | 'already_loaded';
  readonly chunks_sent: number;
  readonly retries: number;
  /** Times the transfer resumed after a board reset (or after an interrupted earlier transfer). */
  readonly resumes: number;
  readonly resumed_from_bytes: number;
  readonly board_resets: number;
  readonly elapsed_s: number;
}

type LdSt = Extract<DeviceEvent, { tag: 'LDST' }>;

/** Loads `image` onto the board behind `link`. */
export async function loadImage(link: DeviceLink, image: Uint8Array, opts: LoadOptions = {}): Promise<Result<LoadReport>> {
  const replyS = opts.replyTimeoutS ?? 2;
  const tries = opts.triesPerChunk ?? 3;
  const maxFailures = opts.maxFailures ?? 50;
  const crc = crc32(image);
  const t0 = link.now();
  let seq = 1;
  let failures = 0, retries = 0, chunks = 0, resumes = 0, resets = 0;
  let resumedFrom = 0;
  let lastIssue: InasIssue | null = null;
  let sawBoot = false;

  const other = (e: TimedEvent) => {
    if (e.event.tag === 'BOOT') {
      sawBoot = true;
      resets++;
    }
    opts.onEvent?.(e);
  };

  /** Sends a command and waits for the reply matching pred; null on timeout/NAK (counted), error on closed port. */
  const exchange = async (cmd: Parameters<DeviceLink['send']>[0], pred: (e: DeviceEvent) => boolean): Promise<Result<DeviceEvent | null>> => {
    const s = await link.send(cmd, replyS);
    if (!s.ok) return s;
    const r = await link.waitFor((e) => pred(e) || e.tag === 'NAK' || e.tag === 'BOOT', replyS, other);
    if (!r.ok) {
      if (r.issues[0]?.code !== 'io_timeout') return r;
      lastIssue = r.issues[0];
      failures++;
      return ok(null);
    }
    if (r.value.event.tag === 'BOOT') {
      other(r.value);
      failures++;
      return ok(null);
    }
    if (r.value.event.tag === 'NAK' && !pred(r.value.event)) {
      lastIssue = issue('protocol_error', link.transport.name, `board refused a command: ${describeStatus(r.value.event.status)}`);
      failures++;
      return ok(r.value.event);
    }
    return ok(r.value.event);
  };

  const query = async (): Promise<Result<LdSt>> => {
    for (;;) {
      if (failures > maxFailures) return fail(gaveUp());
      const r = await exchange({ tag: 'LDQ' }, (e) => e.tag === 'LDST');
      if (!r.ok) return r;
      if (r.value?.tag === 'LDST') return ok(r.value);
    }
  };

  const gaveUp = (): InasIssue =>
    issue(lastIssue?.code === 'io_timeout' ? 'io_timeout' : 'protocol_error', link.transport.name,
      `model transfer failed after ${failures} failed exchanges${lastIssue ? ` (last: ${lastIssue.message})` : ''}`);

  let st = await query();
  if (!st.ok) return st;
  if (image.length > st.value.capacity) {
    return fail(issue('model_too_large', link.transport.name, `the weights image is ${image.length} bytes; the board's NVM region holds ${st.value.capacity} bytes`, { size_bytes: image.length, capacity_bytes: st.value.capacity }));
  }
  if (!opts.force && st.value.state === 'ok' && st.value.size === image.length && st.value.crc === crc) {
    return ok({ size_bytes: image.length, crc32: crc, action: 'already_loaded', chunks_sent: 0, retries: 0, resumes: 0, resumed_from_bytes: 0, board_resets: resets, elapsed_s: link.now() - t0 });
  }

  const chunkBytes = Math.min(st.value.chunk, PROTO.chunk_bytes);
  let next: number;
  const sameImage = (s: LdSt) => s.state === 'partial' && s.size === image.length && s.crc === crc;
  const begin = async (): Promise<Result<void>> => {
    for (;;) {
      if (failures > maxFailures) return fail(gaveUp());
      const mySeq = seq++;
      const r = await exchange({ tag: 'LDB', seq: mySeq, size: image.length, crc }, (e) => e.tag === 'ACK' && e.seq === mySeq);
      if (!r.ok) return r;
      if (r.value?.tag === 'ACK') return ok(undefined);
    }
  };
  if (sameImage(st.value) && st.value.next > 0) {
    next = st.value.next;
    resumes++;
    resumedFrom = next;
  } else {
    const b = await begin();
    if (!b.ok) return b;
    next = 0;
  }

  for (;;) {
    // Chunks.
    while (next < image.length) {
      if (failures > maxFailures) return fail(gaveUp());
      const len = Math.min(chunkBytes, image.length - next);
      let accepted = false;
      for (let attempt = 0; attempt < tries && !accepted; attempt++) {
        if (attempt > 0) retries++;
        const mySeq = seq++;
        sawBoot = false;
        const r = await exchange({ tag: 'LDC', seq: mySeq, offset: next, len, data: image.subarray(next, next + len) },
          (e) => e.tag === 'ACK' && e.seq === mySeq);
        chunks++;
        if (!r.ok) return r;
        const e = r.value;
        if (e?.tag === 'ACK') {
          next = e.next;
          accepted = true;
        } else if (e?.tag === 'NAK') {
          if (e.status === 0x5005 /* no_image */) break; // the board lost the begun image: resynchronise
          if (e.next <= image.length && e.next !== next && e.seq !== 0) {
            next = e.next;
            accepted = true; // resume where the board says
          }
        }
        if (sawBoot) break; // the board reset: ask it where it stands
      }
      if (!accepted) {
        st = await query();
        if (!st.ok) return st;
        if (sameImage(st.value)) {
          if (st.value.next > 0) {
            resumes++;
            resumedFrom = st.value.next;
          }
          next = st.value.next;
        } else {
          const b = await begin();
          if (!b.ok) return b;
          next = 0;
        }
      }
      opts.onProgress?.(next, image.length);
    }
    // End: the board checks the CRC over the stored image.
    const mySeq = seq++;
    const r = await exchange({ tag: 'LDE', seq: mySeq }, (e) => (e.tag === 'ACK' || e.tag === 'NAK') && e.seq === mySeq);
    if (!r.ok) return r;
    if (r.value?.tag === 'ACK') break;
    if (r.value?.tag === 'NAK' && r.value.status === 0x5006 /* image_crc */) {
      return fail(issue('checksum_mismatch', link.transport.name, `the board computed a different CRC-32 over the stored image than 0x${crc.toString(16).padStart(8, '0')} (NVM write error?); run flash again`));
    }
    if (failures > maxFailures) return fail(gaveUp());
    // Timeout, reset or "incomplete": ask where the board stands and continue.
    st = await query();
    if (!st.ok) return st;
    if (st.value.state === 'ok' && st.value.size === image.length && st.value.crc === crc) break;
    if (sameImage(st.value)) next = st.value.next;
    else {
      const b = await begin();
      if (!b.ok) return b;
      next = 0;
    }
  }
  return ok({ size_bytes: image.length, crc32: crc, action: 'uploaded', chunks_sent: chunks, retries, resumes, resumed_from_bytes: resumedFrom, board_resets: resets, elapsed_s: link.now() - t0 });
}
