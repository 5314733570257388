/**
 * CRC-32 (IEEE 802.3 / zlib / gzip: reflected polynomial 0xEDB88320), the one TypeScript implementation shared by
 * the data fetcher (archive checks), the dumper (weights image), the device link (model loader) and the fault
 * campaigns; it equals firmware/runtime/crc32.c. check("123456789") = 0xCBF43926.
 */
const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 of the bytes of `data` (typed arrays in platform byte order), continuing from `prev` (0 to start). */
export function crc32(data: ArrayBufferView, prev = 0): number {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  let c = (prev ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
