/** CRC-32 (IEEE): the shared implementation of src/settings. */
export { crc32 } from '../settings/index.ts';
