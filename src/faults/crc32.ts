/** CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320) over bytes or typed arrays. */
const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 of the bytes of `data` (typed arrays are read in platform (little-endian) byte order). */
export function crc32(data: ArrayBufferView, seed = 0): number {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  let c = (seed ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) c = (TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8)) >>> 0;
  return (c ^ 0xffffffff) >>> 0;
}
