// Regenerates firmware/proto/inas_proto_gen.h and the message table of firmware/proto/README.md from
// src/device/proto_spec.ts. Run: npx tsx scripts/gen_proto.ts
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { PROTO_GEN_HEADER, PROTO_README, renderProtoHeader, spliceProtoTable } from '../src/device/proto_gen.ts';

function writeAtomic(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

writeAtomic(PROTO_GEN_HEADER, renderProtoHeader());
const readme = spliceProtoTable(readFileSync(PROTO_README, 'utf8'));
if (readme === null) throw new Error(`${PROTO_README}: generated-table markers missing`);
writeAtomic(PROTO_README, readme);
console.log(`wrote ${PROTO_GEN_HEADER} and the table in ${PROTO_README}`);
