/**
 * The virtual LaunchPad: a board program (the host firmware build, or any program that speaks the protocol on
 * stdin/stdout) behind a socat pseudo-terminal pair, so `flash`, `monitor` and `profile` talk to it through a real
 * serial device exactly as to a board. The board program's exit with the power-failure status is a power failure:
 * the board stays off for the recharge time of the energy model (scaled by `time_scale`), then boots it again with
 * its NVM file. Bytes sent while it is off are lost, as on a real board.
 * Faults for tests: `reset()` (the reset button), `freeze()` (the board stops answering), and a bit-flip rate on the
 * line in both directions (a noisy cable).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fail, issue, ok, type Result } from '../settings/index.ts';
import { openSerialTransport, type Transport } from './transport.ts';

export interface VirtualBoardOptions {
  /** The board program and its arguments; it speaks the protocol on stdin/stdout. */
  readonly command: string;
  readonly args: readonly string[];
  /** Folder for the pty links (`port` is what clients open). */
  readonly dir: string;
  /** Exit status of the board program that means "power failure" (others are treated as a crash + reboot). */
  readonly powerFailExitCode: number;
  /** Seconds the board stays off after a power failure (recharge time, already scaled). */
  readonly offTimeS: number;
  /** Probability that a byte on the line has one bit flipped (each direction). @default 0 */
  readonly flipRate?: number;
  /** Seed of the bit flips. @default 1 */
  readonly seed?: number;
  /** Board-side log (boots, exits, stderr of the board program). */
  readonly log?: (line: string) => void;
}

export interface VirtualBoard {
  /** The serial device clients open. */
  readonly port: string;
  /** Power cycles so far (board program restarts). */
  readonly boots: () => number;
  /** Presses reset: the board program is killed and booted again at once. */
  reset(): void;
  /** Stops (true) or resumes (false) the board program: a board that stops answering. */
  freeze(on: boolean): void;
  /** Shuts everything down. */
  stop(): Promise<void>;
}

async function waitForFile(file: string, timeoutS: number): Promise<boolean> {
  const end = Date.now() + timeoutS * 1000;
  while (Date.now() < end) {
    if (existsSync(file)) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return existsSync(file);
}

/** Starts a virtual board; resolves once the port can be opened. */
export async function startVirtualBoard(opts: VirtualBoardOptions): Promise<Result<VirtualBoard>> {
  const log = opts.log ?? (() => undefined);
  const port = path.join(opts.dir, 'port');
  const boardSide = path.join(opts.dir, 'board');
  const socat = spawn('socat', [`pty,raw,echo=0,link=${port}`, `pty,raw,echo=0,link=${boardSide}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let socatErr = '';
  socat.stderr?.on('data', (d: Buffer) => (socatErr += d.toString()));
  const spawnFailed = new Promise<string>((resolve) => socat.on('error', (e) => resolve(e.message)));
  const ready = await Promise.race([
    (async () => (await waitForFile(port, 5)) && (await waitForFile(boardSide, 5)))(),
    spawnFailed.then(() => false),
  ]);
  if (!ready) {
    socat.kill();
    return fail(issue('toolchain_missing', 'socat', `cannot start socat for the virtual board (${socatErr.trim() || 'socat not found'}); install it: apt-get install socat`));
  }
  const tr = await openSerialTransport(boardSide);
  if (!tr.ok) {
    socat.kill();
    return tr;
  }
  const line: Transport = tr.value;

  let rngState = (opts.seed ?? 1) >>> 0 || 1;
  const rnd = () => {
    // xorshift32
    rngState ^= rngState << 13;
    rngState >>>= 0;
    rngState ^= rngState >>> 17;
    rngState ^= rngState << 5;
    rngState >>>= 0;
    return rngState / 2 ** 32;
  };
  const flipRate = opts.flipRate ?? 0;
  const noisy = (b: Uint8Array): Uint8Array => {
    if (flipRate <= 0) return b;
    const out = Uint8Array.from(b);
    for (let i = 0; i < out.length; i++) if (rnd() < flipRate) out[i] = out[i]! ^ (1 << Math.floor(rnd() * 8));
    return out;
  };

  let child: ChildProcess | null = null;
  let stopping = false;
  let boots = 0;
  let restartTimer: NodeJS.Timeout | null = null;
  let writeChain: Promise<unknown> = Promise.resolve();

  const boot = () => {
    restartTimer = null;
    if (stopping) return;
    boots++;
    const c = spawn(opts.command, [...opts.args], { stdio: ['pipe', 'pipe', 'pipe'] });
    child = c;
    log(`board: boot ${boots} (${opts.command})`);
    c.stdout?.on('data', (d: Buffer) => {
      const bytes = noisy(new Uint8Array(d));
      writeChain = writeChain.then(() => line.write(bytes, 5));
    });
    c.stderr?.on('data', (d: Buffer) => log(`board stderr: ${d.toString().trimEnd()}`));
    c.stdin?.on('error', () => undefined); // writes after a power failure are lost
    c.on('error', (e) => log(`board: cannot run ${opts.command}: ${e.message}`));
    c.on('exit', (code, signal) => {
      if (child === c) child = null;
      if (stopping) return;
      const power = code === opts.powerFailExitCode;
      log(`board: ${power ? 'power failure' : `program exited (${signal ?? code})`}; off for ${opts.offTimeS.toFixed(3)} s`);
      restartTimer = setTimeout(boot, (power ? opts.offTimeS : Math.max(opts.offTimeS, 0.05)) * 1000);
    });
  };

  // Host → board relay: bytes are lost while the board is off or frozen-killed.
  const pump = async () => {
    while (!stopping) {
      const r = await line.read(4096, 1);
      if (!r.ok) {
        if (r.issues[0]?.code === 'io_timeout') continue;
        return;
      }
      const c = child;
      if (c?.stdin && !c.stdin.destroyed) c.stdin.write(noisy(r.value));
    }
  };

  boot();
  void pump();

  return ok({
    port,
    boots: () => boots,
    reset() {
      const c = child;
      if (restartTimer) {
        clearTimeout(restartTimer);
        restartTimer = null;
        boot();
        return;
      }
      if (c) {
        child = null;
        c.removeAllListeners('exit');
        c.kill('SIGKILL');
        log('board: reset');
        boot();
      }
    },
    freeze(on) {
      child?.kill(on ? 'SIGSTOP' : 'SIGCONT');
      log(on ? 'board: frozen' : 'board: running');
    },
    async stop() {
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      const c = child;
      if (c) {
        c.kill('SIGCONT');
        c.kill('SIGKILL');
      }
      await line.close();
      socat.kill();
    },
  });
}

/**
 * Recharge time of the energy buffer from Voff to Von through the harvester's resistance (RC charging from Vsup):
 * t = R·C·ln((Vsup − Voff) / (Vsup − Von)).
 */
export function rechargeTimeS(p: { capacitance_f: number; harvester_resistance_ohm: number; vsup_v: number; von_v: number; voff_v: number }): number {
  if (!(p.vsup_v > p.von_v && p.von_v > p.voff_v)) return 0;
  return p.harvester_resistance_ohm * p.capacitance_f * Math.log((p.vsup_v - p.voff_v) / (p.vsup_v - p.von_v));
}
