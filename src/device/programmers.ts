/**
 * Flash drivers for the MSP430FR5994 LaunchPad: mspdebug (tilib, then rf2500), TI MSP430Flasher, TI DSLite
 * (UniFlash). Whichever is installed is used; when none is, the message names what to install. A programmer that
 * exits non-zero, or prints an error while exiting 0 (mspdebug does), is a failure: there is no silent success.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
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

function onPath(bin: string, env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env['PATH'] ?? '').split(path.delimiter)) {
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
function findDslite(env: NodeJS.ProcessEnv): string | null {
  const direct = onPath('dslite.sh', env) ?? onPath('DSLite', env);
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
export function detectProgrammers(env: NodeJS.ProcessEnv = process.env): Record<ProgrammerName, string | null> {
  return {
    mspdebug: onPath('mspdebug', env),
    msp430flasher: onPath('MSP430Flasher', env) ?? onPath('msp430flasher', env),
    dslite: findDslite(env),
  };
}

/**
 * A DSLite/UniFlash target configuration for the MSP-EXP430FR5994 LaunchPad: the eZ-FET ("TI MSP430 USB1"
 * connection, MSP430 emulation driver) and the MSP430FR5994 device, in the layout Code Composer Studio writes to
 * targetConfigs/*.ccxml.
 */
export function defaultCcxml(device = 'MSP430FR5994'): string {
  return [
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
    '<configurations XML_version="1.2" id="configurations_0">',
    '  <configuration XML_version="1.2" id="configuration_0">',
    '    <instance XML_version="1.2" desc="TI MSP430 USB1" href="connections/TIMSP430-USB.xml" id="TI MSP430 USB1" xml="TIMSP430-USB.xml" xmlpath="connections"/>',
    '    <connection XML_version="1.2" id="TI MSP430 USB1">',
    '      <instance XML_version="1.2" href="drivers/msp430_emu.xml" id="drivers" xml="msp430_emu.xml" xmlpath="drivers"/>',
    '      <platform XML_version="1.2" id="platform_0">',
    `        <instance XML_version="1.2" desc="${device}" href="devices/${device}.xml" id="${device}" xml="${device}.xml" xmlpath="devices"/>`,
    '      </platform>',
    '    </connection>',
    '  </configuration>',
    '</configurations>',
    '',
  ].join('\n');
}

/** Writes the default MSP430FR5994 target configuration into `dir` (atomically) and returns its path. */
export function writeDefaultCcxml(dir: string): string {
  const file = path.join(dir, 'MSP430FR5994.ccxml');
  writeFileSync(`${file}.tmp`, defaultCcxml());
  renameSync(`${file}.tmp`, file);
  return file;
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
  /** DSLite target configuration (.ccxml); default: a generated MSP430FR5994 + eZ-FET one (defaultCcxml). */
  readonly ccxml?: string;
  readonly timeoutS?: number;
  /** Environment to find the programmers in (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
}

/** Programs an ELF into the board with the chosen (or the first installed) programmer. */
export async function programElf(elf: string, opts: ProgramOptions = {}): Promise<Result<FlashStep>> {
  if (!existsSync(elf)) return fail(issue('file_not_found', elf, `firmware ELF ${elf} does not exist; build it with \`inas build <dump dir> --target msp430\``));
  const env = opts.env ?? process.env;
  const found = detectProgrammers(env);
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
      const objcopy = onPath('llvm-objcopy', env) ?? onPath('msp430-elf-objcopy', env);
      if (!objcopy) return fail(issue('toolchain_missing', 'llvm-objcopy', 'MSP430Flasher needs Intel hex; install llvm (llvm-objcopy) to convert the ELF'));
      const c = await run(objcopy, ['-O', 'ihex', elf, hex], 30);
      if (c.code !== 0) return fail(issue('build_failed', elf, `cannot convert ${elf} to Intel hex: ${c.output.trim() || c.error}`));
      attempts.push({ args: ['-n', 'MSP430FR5994', '-w', hex, '-v', '-g', '-z', '[VCC]'], label: 'MSP430Flasher' });
      break;
    }
    case 'dslite': {
      if (opts.ccxml !== undefined && !existsSync(opts.ccxml)) return fail(issue('file_not_found', '--ccxml', `target configuration ${opts.ccxml} does not exist (omit --ccxml to use the generated MSP430FR5994 one)`));
      const ccxml = opts.ccxml ?? writeDefaultCcxml(mkdtempSync(path.join(tmpdir(), 'inas-ccxml-')));
      attempts.push({ args: [`--config=${ccxml}`, '-f', '-v', elf], label: `dslite (${opts.ccxml === undefined ? 'generated MSP430FR5994 target configuration; pass --ccxml <file> for another' : ccxml})` });
      break;
    }
  }
  const outputs: string[] = [];
  for (const a of attempts) {
    const r = await run(exe, a.args, timeoutS);
    const text = r.output.trim();
    const failed = r.code !== 0 || r.error !== undefined || (name === 'mspdebug' && (MSPDEBUG_ERRORS.test(text) && !/Done, \d+ bytes total/i.test(text)));
    if (!failed) return ok({ programmer: name, command: `${exe} ${a.args.join(' ')}`, elapsed_s: (Date.now() - t0) / 1000, output: text });
    // mspdebug's banner (version, copyright, warranty) says nothing about the failure.
    const BANNER = /^MSPDebug version|Copyright \(C\)|free software; see the source|warranty; not even for|^Chip info database/;
    const last = text.split('\n').filter((l) => l.trim() && !BANNER.test(l)).slice(-2).join(' / ');
    outputs.push(`${a.label}: ${r.error ?? (last || `exit status ${r.code}`)}`);
  }
  const hint = name === 'mspdebug'
    ? ' The MSP-EXP430FR5994\'s eZ-FET needs the tilib driver, i.e. TI\'s libmsp430.so (MSP Debug Stack) on the library path; rf2500 only finds the older eZ430/FET debuggers (USB 0451:f432). The programmer uses the debug interface, not the serial port given with --port.'
    : ' Is the LaunchPad plugged in (USB), and is no other program using its debug interface?';
  return fail(issue('device_error', 'programmer', `programming ${path.basename(elf)} with ${name} failed (${outputs.join('; ')}).${hint}`, { programmer: name, attempts: outputs }));
}
