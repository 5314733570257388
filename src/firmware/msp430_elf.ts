/**
 * Reads what the MSP430 build needs from an ELF32 little-endian file: the section headers (name, type, flags,
 * address, size) and the symbol table. Used for the size report (text/data/bss against the part's FRAM and SRAM)
 * without depending on llvm-size or binutils.
 */
import { readFileSync } from 'node:fs';
import { fail, issue, ok, type Result } from '../settings/index.ts';

/** One section header. */
export interface ElfSection {
  readonly name: string;
  readonly type: number;
  readonly flags: number;
  readonly addr: number;
  readonly size_bytes: number;
  /** Where the section's bytes are in the file (meaningless for SHT_NOBITS). */
  readonly file_offset: number;
}

/** One symbol of .symtab. */
export interface ElfSymbol {
  readonly name: string;
  readonly value: number;
  readonly size_bytes: number;
}

/** The parts of an ELF file the MSP430 build uses. */
export interface ElfInfo {
  readonly machine: number;
  readonly entry: number;
  readonly sections: readonly ElfSection[];
  readonly symbols: readonly ElfSymbol[];
}

/** ELF machine number of the MSP430. */
export const EM_MSP430 = 105;
/** Section types and flags used by the size report. */
export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_NOBITS = 8;
export const SHF_WRITE = 1;
export const SHF_ALLOC = 2;
export const SHF_EXECINSTR = 4;

function cstring(buf: Buffer, offset: number): string {
  let end = offset;
  while (end < buf.length && buf[end] !== 0) end++;
  return buf.toString('latin1', offset, end);
}

/** Parses an ELF32 little-endian image. */
export function parseElf32(buf: Buffer, source: string): Result<ElfInfo> {
  const bad = (why: string): Result<ElfInfo> => fail(issue('invalid_file', source, `not a usable ELF32 file: ${why}`));
  if (buf.length < 52 || buf.readUInt32BE(0) !== 0x7f454c46) return bad('missing the ELF magic');
  if (buf[4] !== 1) return bad(`ELF class ${String(buf[4])}, expected 1 (32-bit)`);
  if (buf[5] !== 1) return bad(`data encoding ${String(buf[5])}, expected 1 (little-endian)`);
  const machine = buf.readUInt16LE(18);
  const entry = buf.readUInt32LE(24);
  const shoff = buf.readUInt32LE(32);
  const shentsize = buf.readUInt16LE(46);
  const shnum = buf.readUInt16LE(48);
  const shstrndx = buf.readUInt16LE(50);
  if (shentsize < 40 || shoff + shnum * shentsize > buf.length || shstrndx >= shnum) return bad('section header table out of range');
  const raw = Array.from({ length: shnum }, (_, i) => {
    const o = shoff + i * shentsize;
    return {
      nameOff: buf.readUInt32LE(o),
      type: buf.readUInt32LE(o + 4),
      flags: buf.readUInt32LE(o + 8),
      addr: buf.readUInt32LE(o + 12),
      offset: buf.readUInt32LE(o + 16),
      size: buf.readUInt32LE(o + 20),
      link: buf.readUInt32LE(o + 24),
      entsize: buf.readUInt32LE(o + 36),
    };
  });
  const strtab = raw[shstrndx];
  if (strtab === undefined) return bad('no section name table');
  const sections: ElfSection[] = raw.map((s) => ({
    name: cstring(buf, strtab.offset + s.nameOff),
    type: s.type,
    flags: s.flags,
    addr: s.addr,
    size_bytes: s.size,
    file_offset: s.offset,
  }));
  const symbols: ElfSymbol[] = [];
  for (const s of raw) {
    if (s.type !== SHT_SYMTAB || s.entsize < 16) continue;
    const names = raw[s.link];
    if (names === undefined) continue;
    for (let o = s.offset; o + 16 <= s.offset + s.size && o + 16 <= buf.length; o += s.entsize) {
      const name = cstring(buf, names.offset + buf.readUInt32LE(o));
      if (name !== '') symbols.push({ name, value: buf.readUInt32LE(o + 4), size_bytes: buf.readUInt32LE(o + 8) });
    }
  }
  return ok({ machine, entry, sections, symbols });
}

/** Reads and parses an ELF file. */
export function readElf(file: string): Result<ElfInfo> {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    return fail(issue('file_unreadable', file, `cannot read the ELF file: ${(e as Error).message}`));
  }
  return parseElf32(buf, file);
}
