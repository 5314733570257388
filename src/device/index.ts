/** Public face of the device module: the serial protocol, transports, boards, loader, monitor and profiler. */
/** Protocol table (the single definition the C header is generated from). */
export { DEVICE_MESSAGES, HOST_MESSAGES, PROTO, PROTO_STATUS, FIELD_TYPES } from './proto_spec.ts';
export type { FieldType, FieldSpec, MessageSpec, DeviceTag, HostTag } from './proto_spec.ts';
/** Line codec: CRCs, encoder, streaming decoder that drops and counts garbage/partial/corrupt lines. */
export {
  crc16,
  crc32,
  encodeLine,
  encodeCommand,
  parseDeviceLine,
  parseHostLine,
  createLineDecoder,
  describeStatus,
  bytesToHex,
  DROP_REASONS,
} from './protocol.ts';
export type { DeviceEvent, HostCommand, Decoded, DropReason, DropStats, LineDecoder, FieldValue } from './protocol.ts';
/** Renders the generated C header / README table from the protocol table. */
export { renderProtoHeader, renderProtoTable, spliceProtoTable } from './proto_gen.ts';
