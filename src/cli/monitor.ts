/** `inas monitor --port <dev>`: live decoded events of a board (or of a virtual board). */
import type { Command } from 'commander';
import { action, exitWithIssues, usageError } from './common.ts';

interface MonitorFlags {
  port: string;
  duration?: string;
  run?: string;
  trace?: boolean;
  json?: boolean;
}

export function define(program: Command): void {
  program
    .command('monitor')
    .description('show the decoded serial events of a board, live (Ctrl-C to stop)')
    .requiredOption('--port <dev>', 'serial port (e.g. /dev/ttyACM0, the path printed by `inas board --virtual`, or auto)')
    .option('--duration <s>', 'stop after this many seconds')
    .option('--run <n>', 'ask the board to run n inferences first')
    .option('--trace', 'hex-dump the serial traffic on stderr')
    .option('--json', 'one JSON object per line: {"host_s", "event"} or {"host_s", "dropped", "text"}')
    .action(action(async (flags: MonitorFlags) => {
      const durationS = flags.duration === undefined ? undefined : Number(flags.duration);
      if (durationS !== undefined && !(durationS > 0)) usageError(`--duration ${flags.duration}: expected a positive number of seconds`);
      const runs = flags.run === undefined ? undefined : Number(flags.run);
      if (runs !== undefined && !(Number.isInteger(runs) && runs > 0)) usageError(`--run ${flags.run}: expected a positive integer`);
      const { monitorPort, resolvePort, describeStatus } = await import('../device/index.ts');
      const port = await resolvePort(flags.port);
      if (!port.ok) exitWithIssues(port.issues, flags.json);
      const ac = new AbortController();
      process.once('SIGINT', () => ac.abort());
      process.once('SIGTERM', () => ac.abort());
      const out = (s: string) => process.stdout.write(`${s}\n`);
      const r = await monitorPort({
        port: port.value,
        signal: ac.signal,
        ...(durationS === undefined ? {} : { durationS }),
        ...(runs === undefined ? {} : { send: [{ tag: 'RUN' as const, seq: 1, count: runs }] }),
        ...(flags.trace ? { trace: (l: string) => process.stderr.write(`${l}\n`) } : {}),
        onNote: (t) => process.stderr.write(`monitor: ${t}\n`),
        onDecoded: (d, hostS) => {
          if (flags.json) {
            out(JSON.stringify(d.kind === 'event' ? { host_s: hostS, event: d.event } : { host_s: hostS, dropped: d.reason, text: d.text }));
            return;
          }
          const stamp = `[${hostS.toFixed(3).padStart(9)}]`;
          if (d.kind === 'dropped') {
            out(`${stamp} dropped (${d.reason}): ${d.text.slice(0, 80)}`);
            return;
          }
          const e = d.event;
          const fields = Object.entries(e).filter(([k]) => k !== 'tag').map(([k, v]) => {
            if (e.tag === 'ERR' && k === 'status') return `status=${describeStatus(v as number)}`;
            return `${k}=${Array.isArray(v) ? `[${v.join(' ')}]` : typeof v === 'number' && (k.endsWith('crc')) ? `0x${v.toString(16).padStart(8, '0')}` : String(v)}`;
          });
          out(`${stamp} ${e.tag.padEnd(6)} ${fields.join(' ')}`);
        },
      });
      if (!r.ok) exitWithIssues(r.issues, flags.json);
      const s = r.value;
      const d = s.dropped;
      const summary = `monitor: ${s.events} events in ${s.duration_s.toFixed(1)} s; dropped ${d.bad_crc} bad-CRC, ${d.partial} partial, ${d.overlong} overlong, ${d.malformed + d.unknown_tag} malformed lines and ${d.garbage} garbage bytes; ${s.reconnects} reconnects`;
      if (flags.json) out(JSON.stringify({ summary: s }));
      else process.stderr.write(`${summary}\n`);
    }));
}
