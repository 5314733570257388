/**
 * The serial line protocol, defined once. The C encoder/decoder header `firmware/proto/inas_proto_gen.h` is rendered
 * from this table by `templates/proto_gen.h.hbs` (`npx tsx scripts/gen_proto.ts`), the message table in
 * `firmware/proto/README.md` is rendered from it too, and `test/device/proto_gen.test.ts` fails when either drifts.
 * The TS parser (`protocol.ts`) decodes lines with this same table.
 *
 * Line: `$TAG,field,field,...*CCCC\r\n`, where CCCC is the CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) in
 * upper-case hex of every byte between `$` and `*` (exclusive). Fields are printable ASCII without `$ , * \r \n`.
 */

/** Field encodings. */
export const FIELD_TYPES = ['u32', 'i32', 'x16', 'x32', 'str', 'i16list', 'hex'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  readonly doc: string;
}

export interface MessageSpec {
  /** The line tag, upper-case letters only. */
  readonly tag: string;
  /** C identifier suffix (`inas_evt_<c>` / `INAS_CMD_<C>`). */
  readonly c: string;
  readonly doc: string;
  readonly fields: readonly FieldSpec[];
}

/** Protocol constants shared by both sides. */
export const PROTO = {
  /** Protocol version, printed in the boot banner. */
  version: 1,
  baud: 115200,
  /** Longest line either side may send, including `$`, `*CCCC` and CR LF. */
  max_line_bytes: 300,
  /** Bytes of image data per loader chunk (hex-encoded on the line, so 2× on the wire). */
  chunk_bytes: 64,
} as const;

const f = <N extends string, T extends FieldType>(name: N, type: T, doc: string): { readonly name: N; readonly type: T; readonly doc: string } => ({ name, type, doc });

/** Lines the device sends. */
export const DEVICE_MESSAGES = [
  {
    tag: 'BOOT', c: 'boot',
    doc: 'Printed at every boot (each one after the first of a session is a power cycle).',
    fields: [
      f('proto', 'u32', 'protocol version'),
      f('boot', 'u32', 'boot counter kept in NVM (power cycles since the NVM was initialised)'),
      f('fw_crc', 'x32', 'CRC-32 build identifier of the firmware (INAS_FW_CRC, set by the build)'),
      f('model_crc', 'x32', 'CRC-32 of the model image recorded in NVM (0 when none)'),
      f('model_state', 'str', 'empty | partial | corrupt | ok: result of the CRC check over the image at this boot'),
      f('tick_hz', 'u32', 'frequency of the timer that stamps events (ticks per second)'),
      f('version', 'str', 'inas version that generated the firmware'),
      f('digest', 'str', 'settings digest (sha256 hex) of the deployed solution'),
    ],
  },
  {
    tag: 'OFF', c: 'off',
    doc: 'The device powers itself down (energy-driven checkpoint) or detected a brown-out.',
    fields: [
      f('t', 'u32', 'timer ticks since this boot'),
      f('layer', 'u32', 'layer being executed'),
      f('reason', 'str', 'checkpoint | brownout | idle'),
    ],
  },
  {
    tag: 'INF', c: 'inf',
    doc: 'An inference starts.',
    fields: [
      f('inf', 'u32', 'inference number (persistent counter)'),
      f('sample', 'u32', 'index of the built-in input sample'),
    ],
  },
  {
    tag: 'RESUME', c: 'resume',
    doc: 'The engine booted and resumes from its committed progress.',
    fields: [
      f('inf', 'u32', 'inference number'),
      f('layer', 'u32', 'layer index (= number of layers when the inference is complete)'),
      f('tiles', 'u32', 'tiles of the layer already committed'),
    ],
  },
  {
    tag: 'LS', c: 'ls',
    doc: 'A layer starts, or resumes after a power cycle.',
    fields: [
      f('inf', 'u32', 'inference number'),
      f('layer', 'u32', 'layer index'),
      f('tiles', 'u32', 'tiles already committed'),
      f('t', 'u32', 'timer ticks since this boot (stamp)'),
    ],
  },
  {
    tag: 'LAYER', c: 'layer',
    doc: 'A layer completed (accumulated over all the power cycles it spanned).',
    fields: [
      f('inf', 'u32', 'inference number'),
      f('layer', 'u32', 'layer index'),
      f('t', 'u32', 'timer ticks since this boot (stamp)'),
      f('ticks', 'u32', 'active timer ticks spent on the layer, summed over its power cycles'),
      f('cycles', 'u32', 'power cycles the layer spanned'),
    ],
  },
  {
    tag: 'RESULT', c: 'result',
    doc: 'Output of an inference.',
    fields: [
      f('inf', 'u32', 'inference number'),
      f('sample', 'u32', 'input sample index'),
      f('class', 'u32', 'predicted class (index of the first maximum)'),
      f('logits', 'i16list', 'Q15 logits, space-separated decimal'),
    ],
  },
  {
    tag: 'TOTAL', c: 'total',
    doc: 'Per-inference totals (after RESULT).',
    fields: [
      f('inf', 'u32', 'inference number'),
      f('ticks', 'u32', 'active timer ticks of the inference'),
      f('cycles', 'u32', 'power cycles of the inference'),
      f('nvm_writes', 'u32', 'NVM write operations of the inference'),
    ],
  },
  {
    tag: 'IDLE', c: 'idle',
    doc: 'No inference requested: the device waits for commands.',
    fields: [f('inf', 'u32', 'inferences completed so far')],
  },
  {
    tag: 'ERR', c: 'err',
    doc: 'An error: inas_status_t (category byte << 8 | code byte) and a detail value.',
    fields: [
      f('status', 'x16', 'inas_status_t'),
      f('arg', 'u32', 'detail (offset, layer, value)'),
      f('what', 'str', 'short description'),
    ],
  },
  {
    tag: 'LOG', c: 'log',
    doc: 'Free text (INAS_LOG).',
    fields: [f('text', 'str', 'message')],
  },
  {
    tag: 'ACK', c: 'ack',
    doc: 'A command was accepted.',
    fields: [
      f('seq', 'u32', 'sequence number of the command'),
      f('next', 'u32', 'loader: next image offset expected; RUN: inferences queued'),
    ],
  },
  {
    tag: 'NAK', c: 'nak',
    doc: 'A command was refused (bad line CRC, out-of-order chunk, bad image CRC, ...).',
    fields: [
      f('seq', 'u32', 'sequence number of the command (0 when the line could not be read)'),
      f('status', 'x16', 'inas_status_t of the refusal'),
      f('next', 'u32', 'next image offset expected (resume point)'),
    ],
  },
  {
    tag: 'LDST', c: 'ldst',
    doc: 'Loader state (reply to LDQ).',
    fields: [
      f('state', 'str', 'empty | partial | corrupt | ok'),
      f('size', 'u32', 'image size in bytes (announced by LDB)'),
      f('crc', 'x32', 'image CRC-32 (announced by LDB)'),
      f('next', 'u32', 'bytes received and committed so far (resume offset)'),
      f('capacity', 'u32', 'bytes available for the image'),
      f('chunk', 'u32', 'largest chunk the device accepts (bytes)'),
    ],
  },
  {
    tag: 'PONG', c: 'pong',
    doc: 'Reply to PING: who the board is (as in BOOT) without rebooting it.',
    fields: [
      f('seq', 'u32', 'echoed sequence number'),
      f('boot', 'u32', 'boot counter'),
      f('fw_crc', 'x32', 'firmware build identifier'),
      f('model_crc', 'x32', 'CRC-32 of the stored model image (0 when none)'),
      f('model_state', 'str', 'empty | partial | corrupt | ok'),
      f('tick_hz', 'u32', 'timer frequency'),
      f('version', 'str', 'inas version'),
      f('digest', 'str', 'settings digest'),
    ],
  },
] as const satisfies readonly MessageSpec[];

/** Lines the host sends. */
export const HOST_MESSAGES = [
  {
    tag: 'PING', c: 'ping', doc: 'Liveness check; the device answers PONG.',
    fields: [f('seq', 'u32', 'sequence number')],
  },
  {
    tag: 'LDQ', c: 'ldq', doc: 'Query the loader state; the device answers LDST.',
    fields: [],
  },
  {
    tag: 'LDB', c: 'ldb', doc: 'Begin a new image (invalidates the stored one); ACK next=0.',
    fields: [
      f('seq', 'u32', 'sequence number'),
      f('size', 'u32', 'image size in bytes'),
      f('crc', 'x32', 'CRC-32 of the whole image'),
    ],
  },
  {
    tag: 'LDC', c: 'ldc', doc: 'One chunk of image data at an offset; accepted when offset <= next (re-sends are harmless).',
    fields: [
      f('seq', 'u32', 'sequence number'),
      f('offset', 'u32', 'byte offset in the image'),
      f('len', 'u32', 'number of data bytes'),
      f('data', 'hex', 'the bytes, upper-case hex'),
    ],
  },
  {
    tag: 'LDE', c: 'lde', doc: 'End of image: the device checks the CRC-32 over the stored image and marks it valid (ACK) or corrupt (NAK).',
    fields: [f('seq', 'u32', 'sequence number')],
  },
  {
    tag: 'RUN', c: 'run', doc: 'Run inferences over the built-in samples (persistent across power cycles); ACK next=count.',
    fields: [
      f('seq', 'u32', 'sequence number'),
      f('count', 'u32', 'number of inferences'),
    ],
  },
  {
    tag: 'STOP', c: 'stop', doc: 'Cancel queued inferences after the current one.',
    fields: [f('seq', 'u32', 'sequence number')],
  },
] as const satisfies readonly MessageSpec[];

/** Status categories and codes the protocol itself reports (category byte 0x50 = 'P'). */
export const PROTO_STATUS = [
  { name: 'line_crc', code: 0x5001, doc: 'the line CRC did not match' },
  { name: 'bad_line', code: 0x5002, doc: 'unknown tag or malformed field' },
  { name: 'out_of_order', code: 0x5003, doc: 'chunk offset beyond the next expected offset' },
  { name: 'too_large', code: 0x5004, doc: 'image larger than the NVM region, or chunk larger than the maximum' },
  { name: 'no_image', code: 0x5005, doc: 'chunk or end without a begun image' },
  { name: 'image_crc', code: 0x5006, doc: 'CRC-32 over the stored image does not match' },
  { name: 'incomplete', code: 0x5007, doc: 'end of image before all bytes were received' },
  { name: 'model_invalid', code: 0x5008, doc: 'inference refused: no valid model image' },
  { name: 'busy', code: 0x5009, doc: 'command refused while inferences run' },
] as const;

export type DeviceTag = (typeof DEVICE_MESSAGES)[number]['tag'];
export type HostTag = (typeof HOST_MESSAGES)[number]['tag'];
