/**
 * Runs an msp430-sim ELF in mspdebug's simulator (`mspdebug sim`): loads it, adds the console device (bytes written
 * to 0x00FF), a tracer (instruction and MCLK cycle counters), the 16x16 hardware multiplier (0x0130) and Timer_A
 * (0x0160, overflow interrupt on vector 0xFFE8), breaks on `inas_sim_halt`, and runs. Power failures are injected
 * by stepping N instructions and issuing `reset`: the simulator's memory survives a reset, so this is a power
 * failure with FRAM intact (and SRAM too, which the firmware must not rely on: crt0 re-initialises .data/.bss).
 * Reports the console output, cycle and instruction counts, the exit status, and per-segment counts.
 */
import { spawn } from 'node:child_process';
import { fail, issue, ok, type Result } from '../settings/index.ts';
import { findOnPath } from './msp430_build.ts';

/** Options of one simulator run. */
export interface MspdebugRunOptions {
  readonly elf: string;
  /**
   * Power failures: instructions to execute before each reset, in order (each counted from the previous boot).
   * After the last reset the program runs until it halts.
   */
  readonly resetsAfterInstructions?: readonly number[];
  /**
   * Instead of `resetsAfterInstructions`: resets placed by breakpoints, in order. Each one stops at the `hits`-th
   * call of `symbol` (counted from the previous reset), then executes `thenSteps` more instructions (0: none) and
   * resets. Its segment's counters are read at the reset.
   */
  readonly resetsAtBreaks?: readonly MspdebugBreakReset[];
  /** Wall-clock limit for the whole simulator process (default 60 s). */
  readonly timeout_s?: number;
  /** mspdebug binary (default: `mspdebug` on PATH). */
  readonly mspdebug?: string;
}

/**
 * A reset placed by breakpoints (see MspdebugRunOptions.resetsAtBreaks): run to the `hits`-th call of `symbol`
 * (counted from the previous reset), then, if given, on to the `then.hits`-th call of `then.symbol` after that, then
 * execute `thenSteps` more instructions (0: none) and reset.
 */
export interface MspdebugBreakReset {
  readonly symbol: string;
  readonly hits: number;
  readonly then?: { readonly symbol: string; readonly hits: number };
  readonly thenSteps: number;
}

/** Counters read from mspdebug's tracer at the end of a segment (cumulative since load). */
export interface MspdebugCounters {
  readonly instructions: number;
  readonly mclk_cycles: number;
}

/** Outcome of one simulator run. */
export interface MspdebugRunReport {
  /** Everything the firmware wrote to the console device. */
  readonly console: string;
  /** True when the program reached inas_sim_halt (exit status in R12). */
  readonly halted: boolean;
  readonly exit_status: number | null;
  /** Total instructions and MCLK cycles executed, resets included. */
  readonly instructions: number;
  readonly mclk_cycles: number;
  /** Counters at the end of each segment (one per reset, then the final run). */
  readonly segments: readonly MspdebugCounters[];
  /** Per reset: true when the program had already reached inas_sim_halt when the reset hit (the PC was there). */
  readonly halted_before_reset: readonly boolean[];
  readonly resets: number;
  /** The mspdebug command list that was run. */
  readonly commands: readonly string[];
  readonly elapsed_ms: number;
}

/** mspdebug command list for a run (exported for tests and for `--verbose` printing). */
export function mspdebugCommands(elf: string, resetsAfterInstructions: readonly number[] = [], resetsAtBreaks: readonly MspdebugBreakReset[] = []): string[] {
  const cmds = [
    'simio add console con',
    'simio add tracer tr',
    'simio add hwmult mul',
    'simio add timer t0',
    'simio config t0 irq1 4',
    `prog ${elf}`,
    'setbreak inas_sim_halt',
  ];
  for (const n of resetsAfterInstructions) {
    cmds.push(`step ${Math.max(1, Math.floor(n))}`, 'simio info tr', 'reset');
  }
  for (const b of resetsAtBreaks) {
    // Breakpoint slot 0 is inas_sim_halt; this one takes slot 1 until it is deleted again.
    cmds.push(`setbreak ${b.symbol}`, ...Array<string>(Math.max(1, Math.floor(b.hits))).fill('run'), 'delbreak 1');
    if (b.then !== undefined) cmds.push(`setbreak ${b.then.symbol}`, ...Array<string>(Math.max(1, Math.floor(b.then.hits))).fill('run'), 'delbreak 1');
    if (b.thenSteps > 0) cmds.push(`step ${Math.floor(b.thenSteps)}`);
    cmds.push('simio info tr', 'reset');
  }
  cmds.push('run', 'simio info tr', 'regs');
  return cmds;
}

// Lines mspdebug itself prints outside register dumps (everything else on stdout is the firmware's console).
const MSPDEBUG_LINE = [
  /^Erasing\.\.\.$/,
  /^Programming\.\.\.$/,
  /^Done, \d+ bytes total$/,
  /^Set breakpoint \d+$/,
  /^Running\. Press Ctrl\+C to interrupt\.\.\.$/,
  /^(?:MCLK|SMCLK|ACLK):?\s+\d+$/,
  /^No IRQ is pending$/,
  /^IRQ pending/,
];
// Lines of a register dump: the four register rows, the symbol label(s) of PC, and the disassembly after it.
const DUMP_LINE = [/^\s+\( (?:PC|SP|SR|R3):/, /^\s+[0-9a-f]{5}:\s/, /^[A-Za-z_.$][\w.$]*(?:\+0x[0-9a-f]+)?:$/, /^0x[0-9a-f]+:$/, /^$/];

interface ParsedOutput {
  readonly console: string;
  readonly segments: MspdebugCounters[];
  readonly pc: number | null;
  readonly r12: number | null;
  /** Symbol label of the last register dump (e.g. "inas_sim_halt"). */
  readonly label: string | null;
  /** Every register dump in order (one per `step`, then the final `regs`): PC and its symbol label. */
  readonly dumps: { pc: number; label: string | null }[];
}

/** Splits mspdebug's stdout into the firmware's console text and the simulator's reports. */
export function parseMspdebugOutput(stdout: string): ParsedOutput {
  const consoleParts: string[] = [];
  const segments: MspdebugCounters[] = [];
  let instructions: number | null = null;
  let pc: number | null = null;
  let r12: number | null = null;
  let label: string | null = null;
  const dumps: { pc: number; label: string | null }[] = [];
  let mode: 'console' | 'dump' | 'history' = 'console';
  // A register dump may start right after console text that had no final newline.
  const text = stdout.replace(/([^\n])( {4}\( PC:)/g, '$1\n$2');
  for (const line of text.split('\n')) {
    const ic = /^Instruction count:\s+(\d+)$/.exec(line);
    if (ic !== null) {
      instructions = Number(ic[1]);
      mode = 'console';
      continue;
    }
    const mclk = /^MCLK:\s+(\d+)$/.exec(line);
    if (mclk !== null && instructions !== null) {
      segments.push({ instructions, mclk_cycles: Number(mclk[1]) });
      instructions = null;
      continue;
    }
    const pcm = /\( PC: ([0-9a-f]+)\).*\(R12: ([0-9a-f]+)\)/.exec(line);
    if (pcm !== null) {
      pc = parseInt(pcm[1] ?? '0', 16);
      r12 = parseInt(pcm[2] ?? '0', 16);
      label = null;
      dumps.push({ pc, label: null });
      mode = 'dump';
      continue;
    }
    if (/^IO event history \(oldest first\):$/.test(line)) {
      mode = 'history';
      continue;
    }
    if (mode === 'history' && /^\s+\d+: /.test(line)) continue;
    if (mode === 'dump' && DUMP_LINE.some((re) => re.test(line))) {
      const lm = /^([A-Za-z_.$][\w.$]*(?:\+0x[0-9a-f]+)?):$/.exec(line);
      if (lm !== null && label === null) {
        label = lm[1] ?? null;
        const d = dumps[dumps.length - 1];
        if (d !== undefined) d.label = label;
      }
      continue;
    }
    mode = 'console';
    if (MSPDEBUG_LINE.some((re) => re.test(line))) continue;
    consoleParts.push(line);
  }
  // The split above leaves one empty element after the last newline.
  while (consoleParts.length > 0 && consoleParts[consoleParts.length - 1] === '') consoleParts.pop();
  return { console: consoleParts.length > 0 ? `${consoleParts.join('\n')}\n` : '', segments, pc, r12, label, dumps };
}

/** Runs the ELF in `mspdebug sim`; see the module comment. */
export async function runMspdebugSim(opts: MspdebugRunOptions): Promise<Result<MspdebugRunReport>> {
  const bin = opts.mspdebug ?? findOnPath('mspdebug');
  if (bin === null) {
    return fail(issue('toolchain_missing', 'mspdebug', 'mspdebug is not on PATH (apt-get install mspdebug)'));
  }
  const stepResets = opts.resetsAfterInstructions ?? [];
  const breaks = opts.resetsAtBreaks ?? [];
  const bad = stepResets.find((n) => !Number.isFinite(n) || n < 1);
  if (bad !== undefined) {
    return fail(issue('invalid_argument', 'resetsAfterInstructions', `each reset point must be a positive instruction count, got ${String(bad)}`));
  }
  const symbolOk = (x: { symbol: string; hits: number }) => /^[A-Za-z_][\w]*$/.test(x.symbol) && x.hits >= 1;
  const badBreak = breaks.find((b) => !symbolOk(b) || (b.then !== undefined && !symbolOk(b.then)) || !(b.thenSteps >= 0));
  if (badBreak !== undefined) {
    return fail(issue('invalid_argument', 'resetsAtBreaks', `each breakpoint reset needs a C symbol, hits ≥ 1 and thenSteps ≥ 0, got ${JSON.stringify(badBreak)}`));
  }
  if (stepResets.length > 0 && breaks.length > 0) {
    return fail(issue('invalid_argument', 'resetsAtBreaks', 'give resetsAfterInstructions or resetsAtBreaks, not both'));
  }
  const resets: readonly unknown[] = breaks.length > 0 ? breaks : stepResets;
  // Register dumps before each reset: one per `step`; a breakpoint reset prints one per hit plus one for its steps.
  const dumpIndex: number[] = [];
  {
    let d = 0;
    for (const _ of stepResets) dumpIndex.push(d++);
    for (const b of breaks) {
      d += Math.max(1, Math.floor(b.hits)) + (b.then !== undefined ? Math.max(1, Math.floor(b.then.hits)) : 0) + (b.thenSteps > 0 ? 1 : 0);
      dumpIndex.push(d - 1);
    }
  }
  const commands = mspdebugCommands(opts.elf, stepResets, breaks);
  const timeoutMs = (opts.timeout_s ?? 60) * 1000;
  const started = Date.now();
  const out = await new Promise<{ stdout: string; stderr: string; code: number | null; timedOut: boolean; error?: string }>((resolve) => {
    const child = spawn(bin, ['-n', '-q', 'sim', ...commands], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.setEncoding('latin1').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('latin1').on('data', (d: string) => (stderr += d));
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code: null, timedOut, error: e.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code, timedOut });
    });
  });
  const elapsed = Date.now() - started;
  if (out.error !== undefined) return fail(issue('device_error', bin, `cannot start mspdebug: ${out.error}`));
  const parsed = parseMspdebugOutput(out.stdout);
  if (out.timedOut) {
    return fail(
      issue('io_timeout', opts.elf, `the program did not reach inas_sim_halt within ${opts.timeout_s ?? 60} s of simulation`, {
        console_tail: parsed.console.slice(-400),
      }),
    );
  }
  const errorLine = /^(?:.*(?:can't|invalid|unknown command|bad address|error)[^\n]*)$/im.exec(out.stderr + out.stdout);
  const last = parsed.segments[parsed.segments.length - 1];
  if (out.code !== 0 || last === undefined || parsed.segments.length !== resets.length + 1) {
    return fail(
      issue('device_error', opts.elf, `mspdebug sim did not complete the run (exit ${String(out.code)})${errorLine !== null ? `: ${errorLine[0].trim()}` : ''}`, {
        stderr: out.stderr.slice(-400),
      }),
    );
  }
  const halted = parsed.label === 'inas_sim_halt';
  return ok({
    console: parsed.console,
    halted,
    exit_status: halted && parsed.r12 !== null ? (parsed.r12 >= 0x8000 ? parsed.r12 - 0x10000 : parsed.r12) : null,
    instructions: last.instructions,
    mclk_cycles: last.mclk_cycles,
    segments: parsed.segments,
    halted_before_reset: resets.map((_, i) => (parsed.dumps[dumpIndex[i] ?? i]?.label ?? '').replace(/\+0x[0-9a-f]+$/, '') === 'inas_sim_halt'),
    resets: resets.length,
    commands,
    elapsed_ms: elapsed,
  });
}
