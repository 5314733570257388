/**
 * RIFF/WAVE parsing and writing. Reads PCM 8/16/24/32-bit integer and 32/64-bit float (format 1, 3, or
 * WAVE_FORMAT_EXTENSIBLE with either), any channel count (the first channel is kept), into floats in [-1, 1).
 */
import { fail, issue, ok, type Result } from '../settings/index.ts';

/** A decoded mono clip. */
export interface WavClip {
  readonly sample_rate_hz: number;
  readonly samples: Float32Array;
}

/** Parses the bytes of a .wav file. */
export function parseWav(buf: Buffer, file: string): Result<WavClip> {
  if (buf.length < 12 || buf.toString('latin1', 0, 4) !== 'RIFF' || buf.toString('latin1', 8, 12) !== 'WAVE') {
    return fail(issue('invalid_file', file, 'not a RIFF/WAVE file (expected "RIFF....WAVE" at the start)'));
  }
  let off = 12;
  let fmt: { format: number; channels: number; rate: number; bits: number } | null = null;
  let data: Buffer | null = null;
  while (off + 8 <= buf.length) {
    const id = buf.toString('latin1', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    const body = buf.subarray(off + 8, Math.min(buf.length, off + 8 + size));
    if (id === 'fmt ') {
      if (body.length < 16) return fail(issue('invalid_file', file, `fmt chunk is ${body.length} bytes, expected at least 16`));
      let format = body.readUInt16LE(0);
      if (format === 0xfffe && body.length >= 26) format = body.readUInt16LE(24);
      fmt = { format, channels: body.readUInt16LE(2), rate: body.readUInt32LE(4), bits: body.readUInt16LE(14) };
    } else if (id === 'data') {
      data = body;
    }
    off += 8 + size + (size & 1);
  }
  if (fmt === null) return fail(issue('invalid_file', file, 'no fmt chunk'));
  if (data === null) return fail(issue('invalid_file', file, 'no data chunk'));
  const { format, channels, rate, bits } = fmt;
  const bytes = bits / 8;
  const okFormat = (format === 1 && [8, 16, 24, 32].includes(bits)) || (format === 3 && (bits === 32 || bits === 64));
  if (!okFormat || channels < 1) {
    return fail(issue('invalid_file', file, `unsupported WAVE encoding: format ${format}, ${bits} bits, ${channels} channels (expected PCM integer or float)`,
      { format, bits, channels }));
  }
  const frame = bytes * channels;
  const n = Math.floor(data.length / frame);
  const samples = new Float32Array(n);
  if (format === 1 && bits === 16 && channels === 1) {
    // Fast path (Speech Commands): an aligned little-endian int16 view.
    const aligned = new Int16Array(Uint8Array.from(data.subarray(0, 2 * n)).buffer);
    for (let i = 0; i < n; i++) samples[i] = (aligned[i] ?? 0) / 32768;
    return ok({ sample_rate_hz: rate, samples });
  }
  for (let i = 0; i < n; i++) {
    const p = i * frame;
    let v: number;
    if (format === 3) v = bits === 32 ? data.readFloatLE(p) : data.readDoubleLE(p);
    else if (bits === 8) v = ((data[p] ?? 128) - 128) / 128;
    else if (bits === 16) v = data.readInt16LE(p) / 32768;
    else if (bits === 24) v = data.readIntLE(p, 3) / 8388608;
    else v = data.readInt32LE(p) / 2147483648;
    samples[i] = v;
  }
  return ok({ sample_rate_hz: rate, samples });
}

/** Encodes a mono 16-bit PCM .wav file (values clipped to [-1, 1)). */
export function encodeWav16(samples: Float32Array | readonly number[], sampleRateHz: number): Buffer {
  const n = samples.length;
  const buf = Buffer.alloc(44 + 2 * n);
  buf.write('RIFF', 0, 'latin1');
  buf.writeUInt32LE(36 + 2 * n, 4);
  buf.write('WAVE', 8, 'latin1');
  buf.write('fmt ', 12, 'latin1');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(sampleRateHz, 24);
  buf.writeUInt32LE(sampleRateHz * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'latin1');
  buf.writeUInt32LE(2 * n, 40);
  for (let i = 0; i < n; i++) {
    const v = Math.max(-32768, Math.min(32767, Math.round((samples[i] ?? 0) * 32768)));
    buf.writeInt16LE(v, 44 + 2 * i);
  }
  return buf;
}
