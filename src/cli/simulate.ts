/**
 * `inas simulate <dump>`: runs the firmware under power failures, checks every output against the golden vectors
 * and prints simulated latency / power cycles beside the cost model's prediction.
 */
import type { Command } from 'commander';
import { action, exitWithIssues, printJson, unwrapOrExit, usageError } from './common.ts';
import { EXIT } from './exit_codes.ts';

const fmt = (v: number | null, digits = 4): string => (v === null ? '—' : Number.isInteger(v) ? String(v) : v.toPrecision(digits));

export function define(program: Command): void {
  program
    .command('simulate')
    .description('run a dump\'s firmware under power failures and compare with the golden vectors and the cost model')
    .argument('<dump>', 'dump folder (inas dump output)')
    .option('--failures <mode>', 'none | every:N | every-cycles:N | random:SEED[:MEAN] | at:K | energy | exhaustive (engine mspdebug: none, at:K, every:N, random:SEED[:MEAN], counted in MSP430 instructions)', 'none')
    .option('--runs <n>', 'independent runs, each from a fresh NVM image', '1')
    .option('--inferences <n>', 'inferences per run (default: one per golden vector)')
    .option('--engine <engine>', 'host | mspdebug', 'host')
    .option('--torn', 'failures tear the NVM write they hit')
    .option('--policy <policy>', 'energy mode: greedy (run until empty) | batch (power down after each commit, as iNAS)', 'greedy')
    .option('--trace <file>', 'energy mode: harvested power trace (lines "time_s power_w")')
    .option('--toolchain <name>', 'host compiler: gcc | clang')
    .option('--json', 'print the report as JSON')
    .action(action(async (dump: string, opts: { failures: string; runs: string; inferences?: string; engine: string; torn?: boolean; policy: string; trace?: string; toolchain?: string; json?: boolean }) => {
      const json = Boolean(opts.json);
      const { simulate, parseFailures } = await import('../firmware/index.ts');
      const failures = unwrapOrExit(parseFailures(opts.failures), json);
      const int = (v: string, flag: string): number => {
        if (!/^\d+$/.test(v) || Number(v) < 1) usageError(`${flag}: expected a positive integer (got "${v}")`);
        return Number(v);
      };
      if (opts.policy !== 'greedy' && opts.policy !== 'batch') usageError(`--policy: expected greedy or batch (got "${opts.policy}")`);
      const r = unwrapOrExit(await simulate(dump, {
        failures, runs: int(opts.runs, '--runs'), engine: opts.engine, policy: opts.policy,
        ...(opts.inferences !== undefined ? { inferences: int(opts.inferences, '--inferences') } : {}),
        ...(opts.torn ? { torn: true } : {}), ...(opts.trace ? { trace: opts.trace } : {}), ...(opts.toolchain ? { toolchain: opts.toolchain } : {}),
      }), json);
      if (json) {
        const { engine, runs, mismatches, reboots, reexecuted_tiles, simulated_latency_s, predicted_latency_s, power_cycles, ...rest } = r;
        printJson({ engine, runs, mismatches, reboots, reexecuted_tiles, simulated_latency_s, predicted_latency_s, power_cycles, ...rest });
      } else {
        const lines = [
          `engine ${r.engine}, failures ${r.failures}, ${r.runs} run(s), ${r.inferences} inference(s), ${r.checked_results} checked against the golden vectors`,
          `mismatches ${r.mismatches}, reboots ${r.reboots}, re-executed tiles ${r.reexecuted_tiles}${r.no_progress ? ', NO FORWARD PROGRESS' : ''}`,
          `latency per inference: simulated ${fmt(r.simulated_latency_s)} s, predicted ${fmt(r.predicted_latency_s)} s`,
          `power cycles per inference: simulated ${fmt(r.power_cycles.simulated)}, predicted ${fmt(r.power_cycles.predicted)}`,
          `energy per inference: simulated ${fmt(r.simulated_energy_j)} J, predicted ${fmt(r.predicted_energy_j)} J`,
          '',
          `${'layer'.padEnd(12)} ${'design'.padEnd(24)} ${'cycles sim'.padStart(10)} ${'predicted'.padStart(10)}`,
          ...r.layers.map((l) => `${l.name.padEnd(12)} ${l.design.padEnd(24)} ${fmt(l.power_cycles.simulated).padStart(10)} ${fmt(l.power_cycles.predicted).padStart(10)}`),
        ];
        // mspdebug engine: MSP430 cycles per layer (failure-free reference run) beside the cost model's on-time cycles
        // of the same design (like for like: active time, no recharge) and its end-to-end latency (recharge included).
        if ('mspdebug' in r) {
          const round = (v: number | null | undefined): string => fmt(v === null || v === undefined ? null : Math.round(v));
          lines.push('', `${'layer'.padEnd(12)} ${'MSP430 cycles'.padStart(14)} ${'model cycles'.padStart(14)} ${'sim/model'.padStart(9)} ${'at 16 MHz (s)'.padStart(14)} ${'predicted (s)'.padStart(14)}`);
          type Row = { name: string; cycles?: { simulated: number | null; simulated_s: number | null; predicted_s: number | null }; predicted_cycles?: number | null; ratio?: number | null };
          for (const l of r.layers as readonly Row[]) {
            lines.push(`${l.name.padEnd(12)} ${round(l.cycles?.simulated).padStart(14)} ${round(l.predicted_cycles).padStart(14)} ${(l.ratio === null || l.ratio === undefined ? '—' : l.ratio.toFixed(2)).padStart(9)} ${fmt(l.cycles?.simulated_s ?? null).padStart(14)} ${fmt(l.cycles?.predicted_s ?? null).padStart(14)}`);
          }
          lines.push('model cycles: the cost model\'s on-time of the design (msp430fr5994-fram profile, corrected constants, no recharge);',
            'predicted (s): the solution\'s end-to-end latency of the layer, recharge time included (not comparable with the cycles)');
        }
        process.stdout.write(lines.join('\n') + '\n');
      }
      if (r.no_progress) {
        exitWithIssues([{ code: 'infeasible_c1', path: dump, message: 'no forward progress: a batch never completed within one power cycle' }], false);
      }
      if (r.mismatches > 0) {
        process.stderr.write(`inas: ${r.mismatches} output(s) differ from the golden vectors\n`);
        process.exit(EXIT.failure);
      }
    }));
}
