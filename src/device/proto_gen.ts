/**
 * Renders the C header of the serial protocol (`firmware/proto/inas_proto_gen.h`) and the message table of
 * `firmware/proto/README.md` from `proto_spec.ts`. The view model holds every computed string; the template only
 * loops and substitutes (STYLE rule 11).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { DEVICE_MESSAGES, HOST_MESSAGES, PROTO, PROTO_STATUS, type FieldSpec, type FieldType, type MessageSpec } from './proto_spec.ts';

/** Repository paths of the generated artefacts. */
export const PROTO_GEN_HEADER = fileURLToPath(new URL('../../firmware/proto/inas_proto_gen.h', import.meta.url));
export const PROTO_README = fileURLToPath(new URL('../../firmware/proto/README.md', import.meta.url));
const TEMPLATE = fileURLToPath(new URL('../../templates/proto_gen.h.hbs', import.meta.url));

const TABLE_BEGIN = '<!-- BEGIN GENERATED MESSAGE TABLE (src/device/proto_spec.ts) -->';
const TABLE_END = '<!-- END GENERATED MESSAGE TABLE -->';

const C_PARAM: Record<FieldType, (n: string) => string> = {
  u32: (n) => `uint32_t ${n}`,
  i32: (n) => `int32_t ${n}`,
  x16: (n) => `uint16_t ${n}`,
  x32: (n) => `uint32_t ${n}`,
  str: (n) => `const char *${n}`,
  i16list: (n) => `const int16_t *${n}, uint16_t ${n}_count`,
  hex: (n) => `const uint8_t *${n}, uint16_t ${n}_len`,
};
const C_CALL: Record<FieldType, (n: string) => string> = {
  u32: (n) => `inas_pw_u32(${n})`,
  i32: (n) => `inas_pw_i32(${n})`,
  x16: (n) => `inas_pw_x16(${n})`,
  x32: (n) => `inas_pw_x32(${n})`,
  str: (n) => `inas_pw_str(${n})`,
  i16list: (n) => `inas_pw_i16list(${n}, ${n}_count)`,
  hex: (n) => `inas_pw_hex(${n}, ${n}_len)`,
};

function cName(f: FieldSpec): string {
  // `class` is fine in C, but keep names safe for C++ includes too.
  return f.name === 'class' ? 'class_idx' : f.name;
}

function deviceView(m: MessageSpec) {
  return {
    tag: m.tag,
    c: m.c,
    doc: m.doc,
    params: m.fields.length === 0 ? 'void' : m.fields.map((f) => C_PARAM[f.type](cName(f))).join(', '),
    calls: m.fields.map((f) => C_CALL[f.type](cName(f))),
  };
}

function hostView(m: MessageSpec, id: number) {
  let u = 0;
  return {
    tag: m.tag,
    C: m.c.toUpperCase(),
    id,
    doc: m.doc,
    typeList: m.fields.length === 0 ? '0u' : m.fields.map((f) => `INAS_PF_${f.type.toUpperCase()}`).join(', '),
    fields: m.fields.map((f) => ({
      NAME: f.name.toUpperCase(),
      doc: f.doc,
      access: f.type === 'hex' ? '((cmd)->hex)' : `((cmd)->u[${u++}])`,
    })),
  };
}

/** Renders `firmware/proto/inas_proto_gen.h`. */
export function renderProtoHeader(): string {
  const template = Handlebars.compile(readFileSync(TEMPLATE, 'utf8'), { noEscape: true });
  return template({
    proto: PROTO,
    status: PROTO_STATUS.map((s) => ({ upper: s.name.toUpperCase(), hex: s.code.toString(16).toUpperCase().padStart(4, '0'), doc: s.doc })),
    host: HOST_MESSAGES.map((m, i) => hostView(m, i + 1)),
    hostCount: HOST_MESSAGES.length,
    maxHostFields: Math.max(1, ...HOST_MESSAGES.map((m) => m.fields.length)),
    device: DEVICE_MESSAGES.map(deviceView),
  });
}

function mdTable(title: string, msgs: readonly MessageSpec[]): string {
  const rows = msgs.map((m) => {
    const fields = m.fields.map((f) => `\`${f.name}\` (${f.type}): ${f.doc}`).join('<br>') || '(none)';
    return `| \`${m.tag}\` | ${m.doc} | ${fields} |`;
  });
  return [`### ${title}`, '', '| tag | meaning | fields, in order |', '|---|---|---|', ...rows].join('\n');
}

/** Renders the generated message table of the README (between its markers). */
export function renderProtoTable(): string {
  const status = ['### Protocol status codes', '', '| code | name | meaning |', '|---|---|---|',
    ...PROTO_STATUS.map((s) => `| 0x${s.code.toString(16).toUpperCase().padStart(4, '0')} | ${s.name} | ${s.doc} |`)].join('\n');
  return [TABLE_BEGIN, '', mdTable('Device → host', DEVICE_MESSAGES), '', mdTable('Host → device', HOST_MESSAGES), '', status, '', TABLE_END].join('\n');
}

/** Replaces the generated table inside a README text (which must contain both markers). */
export function spliceProtoTable(readme: string): string | null {
  const a = readme.indexOf(TABLE_BEGIN), b = readme.indexOf(TABLE_END);
  if (a < 0 || b < a) return null;
  return readme.slice(0, a) + renderProtoTable() + readme.slice(b + TABLE_END.length);
}
