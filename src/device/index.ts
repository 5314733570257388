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
/** Transport: a byte pipe with timeouts; serial implementation (serialport, lazy), logging wrapper, port lookup. */
export { openSerialTransport, createLoggingTransport, listSerialPorts, resolvePort, transportClosed, ioTimeout } from './transport.ts';
export type { Transport, SerialOptions, PortInfo } from './transport.ts';
/** Protocol link over a transport (commands out, timed events in, drop counters). */
export { createDeviceLink } from './link.ts';
export type { DeviceLink, TimedEvent, LinkOptions } from './link.ts';
/** Model loader (chunks, ACK/NAK, retries, resume). */
export { loadImage } from './loader.ts';
export type { LoadOptions, LoadReport } from './loader.ts';
/** Boards: build / flash / openTransport for msp430 and virtual. */
export { BOARD_KINDS, createMsp430Board, createVirtualBoard, boardForPort, isVirtualPort, writeVirtualMarker, VIRTUAL_MARKER } from './board.ts';
export type { Board, BoardKind, BoardBuild, VirtualMarker, Msp430BoardOptions } from './board.ts';
/** Programmers (mspdebug, MSP430Flasher, DSLite). */
export { PROGRAMMERS, detectProgrammers, programElf, defaultCcxml, writeDefaultCcxml } from './programmers.ts';
export type { ProgrammerName, FlashStep, ProgramOptions } from './programmers.ts';
/** Dump folder files used on the device side. */
export { readDumpInfo, readWeightsImage, readGolden, findElf } from './dump_files.ts';
export type { DumpInfo, DumpLayerInfo, GoldenVectors } from './dump_files.ts';
/** The virtual LaunchPad. */
export { startVirtualBoard, rechargeTimeS } from './virtual_board.ts';
export type { VirtualBoard, VirtualBoardOptions } from './virtual_board.ts';
export { serveVirtualBoard, buildBoardProgram, POWER_FAIL_EXIT } from './serve.ts';
export type { ServeOptions } from './serve.ts';
/** flash (program + load + verify) and port opening. */
export { flashDump, openPort } from './deploy.ts';
export type { FlashOptions, FlashReport } from './deploy.ts';
/** Live monitor. */
export { monitorPort } from './monitor.ts';
export type { MonitorOptions, MonitorSummary } from './monitor.ts';
/** Profiling: measured vs predicted, golden-vector check, calibration. */
export { runProfile, profileJson, profileMarkdown, calibrateProfile } from './profile.ts';
export type { ProfileOptions, ProfileReport, MeasuredLayer, PredictedLayer, Calibration } from './profile.ts';
export { portTimeScale } from './board.ts';
export { loadProfileTarget } from './profile_input.ts';
export type { ProfileTarget } from './profile_input.ts';
