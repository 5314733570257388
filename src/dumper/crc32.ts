/** CRC-32 (IEEE, reflected 0xEDB88320): the shared implementation of src/settings, equal to firmware/runtime/crc32.c. */
export { crc32 } from '../settings/index.ts';

/** 0x-prefixed 8-digit hex. */
export function hex32(v: number): string {
  return `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
}
