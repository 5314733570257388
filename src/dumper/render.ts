/** Renders the handlebars templates of templates/firmware/ (templates only loop and substitute). */
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Folder of the firmware templates. */
export const TEMPLATE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../templates/firmware');

/** The generated C files, each from `<name>.hbs`. */
export const C_FILES = ['model.h', 'model.c', 'weights.c', 'golden.h', 'golden.c', 'costs.h'] as const;
export type CFile = (typeof C_FILES)[number];

const cache = new Map<string, HandlebarsTemplateDelegate>();

/** Renders template `name` with `view` (strict: a missing field is a bug and throws). */
export function renderTemplate(name: CFile, view: unknown): string {
  let t = cache.get(name);
  if (!t) {
    const hb = Handlebars.create();
    t = hb.compile(readFileSync(path.join(TEMPLATE_DIR, `${name}.hbs`), 'utf8'), { noEscape: true, strict: true });
    cache.set(name, t);
  }
  return t(view);
}
