/**
 * Flash drivers for the MSP430FR5994 LaunchPad: mspdebug (tilib, then rf2500), TI MSP430Flasher, TI DSLite
 * (UniFlash). Whichever is installed is used; when none is, the message names what to install. A programmer that
 * exits non-zero, or prints an error while exiting 0 (mspdebug does), is a failure: there is no silent success.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { fail, issue, ok, type Result } from '../settings/index.ts';

export const PROGRAMMERS = ['mspdebug', 'msp430flasher', 'dslite'] as const;
export type ProgrammerName = (typeof PROGRAMMERS)[number];

export interface FlashStep {
  readonly programmer: ProgrammerName;
  readonly command: string;
  readonly elapsed_s: number;
  readonly output: string;
}

function onPath(bin: string): string | null {
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, bin);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* not here */
    }
  }
  return null;
}

/** DSLite ships inside UniFlash (~/ti/uniflash_<version>/dslite.sh) or CCS. */
function findDslite(): string | null {
  const direct = onPath('dslite.sh') ?? onPath('DSLite');
  if (direct) return direct;
  for (const root of [path.join(homedir(), 'ti'), '/opt/ti']) {
    if (!existsSync(root)) continue;
    for (const d of readdirSync(root).filter((n) => n.startsWith('uniflash')).sort().reverse()) {
      const p = path.join(root, d, 'dslite.sh');
      if (existsSync(p)) return p;
    }
  }
  return null;
}

/** Finds each programmer's executable (null when not installed). */
export function detectProgrammers(): Record<ProgrammerName, string | null> {
  return {
    mspdebug: onPath('mspdebug'),
    msp430flasher: onPath('MSP430Flasher') ?? onPath('msp430flasher'),
    dslite: findDslite(),
  };
}

const INSTALL_HINT =
  'install one of: mspdebug (apt-get install mspdebug; for the eZ-FET of the MSP-EXP430FR5994 it also needs TI\'s ' +
  'libmsp430.so from the MSP Debug Stack), TI MSP430Flasher (www.ti.com/tool/MSP430-FLASHER), or TI UniFlash (dslite.sh)';

function run(cmd: string, args: readonly string[], timeoutS: number): Promise<{ code: number | null; output: string; error?: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    p.stdout.on('data', (d: Buffer) => (output += d.toString()));
    p.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const t = setTimeout(() => p.kill('SIGKILL'), timeoutS * 1000);
    p.on('error', (e) => {
      clearTimeout(t);
      resolve({ code: null, output, error: e.message });
    });
    p.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, output });
    });
  });
}

/** mspdebug prints errors but may still exit 0 (e.g. when the driver cannot open the device). */
const MSPDEBUG_ERRORS = /can't find|could not|couldn't|failed|error|no device|not found|unable/i;

export interface ProgramOptions {
  readonly programmer?: ProgrammerName;
  /** DSLite target configuration (.ccxml, made with UniFlash for the MSP430FR5994). */
  readonly ccxml?: string;
  readonly timeoutS?: number;
}

/** Programs an ELF into the board with the chosen (or the first installed) programmer. */
export async function programElf(elf: string, opts: ProgramOptions = {}): Promise<Result<FlashStep>> {
  if (!existsSync(elf)) return fail(issue('file_not_found', elf, `firmware ELF ${elf} does not exist; build it with \`inas build <dump dir> --target msp430\``));
  const found = detectProgrammers();
  const name = opts.programmer ?? PROGRAMMERS.find((p) => found[p] !== null);
  if (name === undefined) return fail(issue('toolchain_missing', 'programmer', `no MSP430 programmer is installed; ${INSTALL_HINT}`));
  const exe = found[name];
  if (exe === null) return fail(issue('toolchain_missing', 'programmer', `--programmer ${name}: ${name} is not installed; ${INSTALL_HINT}`));
  const timeoutS = opts.timeoutS ?? 120;
  const t0 = Date.now();
  const attempts: { args: string[]; label: string }[] = [];
  switch (name) {
    case 'mspdebug':
      attempts.push({ args: ['tilib', '--allow-fw-update', `prog ${elf}`], label: 'mspdebug tilib' });
      attempts.push({ args: ['rf2500', `prog ${elf}`], label: 'mspdebug rf2500' });
      break;
    case 'msp430flasher': {
      // MSP430Flasher takes Intel hex: convert with llvm-objcopy.
      const hex = path.join(mkdtempSync(path.join(tmpdir(), 'inas-flash-')), 'firmware.hex');
      const objcopy = onPath('llvm-objcopy') ?? onPath('msp430-elf-objcopy');
      if (!objcopy) return fail(issue('toolchain_missing', 'llvm-objcopy', 'MSP430Flasher needs Intel hex; install llvm (llvm-objcopy) to convert the ELF'));
      const c = await run(objcopy, ['-O', 'ihex', elf, hex], 30);
      if (c.code !== 0) return fail(issue('build_failed', elf, `cannot convert ${elf} to Intel hex: ${c.output.trim() || c.error}`));
      attempts.push({ args: ['-n', 'MSP430FR5994', '-w', hex, '-v', '-g', '-z', '[VCC]'], label: 'MSP430Flasher' });
      break;
    }
    case 'dslite':
      if (!opts.ccxml) return fail(issue('invalid_argument', '--ccxml', 'DSLite needs a target configuration: create one for the MSP430FR5994 in UniFlash and pass --ccxml <file>'));
      attempts.push({ args: [`--config=${opts.ccxml}`, '-f', '-v', elf], label: 'dslite' });
      break;
  }
  const outputs: string[] = [];
  for (const a of attempts) {
    const r = await run(exe, a.args, timeoutS);
    const text = r.output.trim();
    const failed = r.code !== 0 || r.error !== undefined || (name === 'mspdebug' && (MSPDEBUG_ERRORS.test(text) && !/Done, \d+ bytes total/i.test(text)));
    if (!failed) return ok({ programmer: name, command: `${exe} ${a.args.join(' ')}`, elapsed_s: (Date.now() - t0) / 1000, output: text });
    const last = text.split('\n').filter((l) => l.trim()).slice(-2).join(' / ');
    outputs.push(`${a.label}: ${r.error ?? (last || `exit status ${r.code}`)}`);
  }
  return fail(issue('device_error', 'programmer', `programming ${path.basename(elf)} failed (${outputs.join('; ')}). Is the LaunchPad plugged in? For mspdebug tilib, TI's libmsp430.so must be installed.`));
}
