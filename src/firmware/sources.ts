/** The portable firmware sources every target compiles, and the include folders, relative to firmware/. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** firmware/ of this checkout. */
export const FIRMWARE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'firmware');

/** Kernels + engine + commit API + default events + golden input source (portable C99). */
export const PORTABLE_SOURCES = [
  'kernels/conv.c', 'kernels/fc.c', 'kernels/gap.c', 'kernels/pool.c', 'kernels/relu.c',
  'runtime/engine.c', 'runtime/nvm.c', 'runtime/crc32.c', 'runtime/events_text.c', 'runtime/input_golden.c',
] as const;

/** The generated files of a dump that are compiled. */
export const GENERATED_SOURCES = ['model.c', 'weights.c', 'golden.c'] as const;

/** Include folders (firmware-relative) in addition to the dump folder. */
export const INCLUDE_DIRS = ['runtime', 'hal'] as const;

/** Host HAL sources. */
export const HOST_SOURCES = ['hal/host/hal_host.c', 'hal/host/main_host.c'] as const;

/** C flags every target uses (STYLE rule 14). */
export const STRICT_CFLAGS = ['-std=c99', '-Wall', '-Wextra', '-Werror', '-pedantic'] as const;
