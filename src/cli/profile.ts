/**
 * `inas profile <solution.json | dump dir> --port <dev>`: run N inferences on the board, measure per-layer and
 * end-to-end latency, power cycles and recharge time, check the outputs against the golden vectors, and write a
 * report comparing measured with predicted. `--calibrate` fits the platform constants and writes a new profile.
 */
import type { Command } from 'commander';
import { action, exitWithIssues, printJson, usageError } from './common.ts';
import { createProgress } from './progress.ts';

interface ProfileFlags {
  port: string;
  dump?: string;
  inferences: string;
  calibrate?: boolean;
  out?: string;
  timeout: string;
  trace?: boolean;
  json?: boolean;
}

export function define(program: Command): void {
  program
    .command('profile')
    .description('run inferences on a board and compare measured latency and power cycles with the predictions')
    .argument('<solution>', 'solution.json (predictions) or a dump folder (predictions + golden vectors)')
    .requiredOption('--port <dev>', 'serial port of the board (or the path printed by `inas board --virtual`, or auto)')
    .option('--dump <dir>', 'dump folder with the golden vectors (when <solution> is a solution.json)')
    .option('--inferences <n>', 'number of inferences', '5')
    .option('--calibrate', 'fit the platform constants from the measurements and write a new profile file')
    .option('--out <dir>', 'where to write profile_report.{json,md} (and platform.calibrated.json); default: beside the solution')
    .option('--timeout <s>', 'seconds without a line from the board before giving up', '30')
    .option('--trace', 'hex-dump the serial traffic on stderr')
    .option('--json', 'print { inferences, outputs_match, latency_s, layers } as JSON')
    .action(action(async (target: string, flags: ProfileFlags) => {
      const n = Number(flags.inferences);
      if (!Number.isInteger(n) || n < 1 || n > 100000) usageError(`--inferences ${flags.inferences}: expected an integer in [1, 100000]`);
      const idle = Number(flags.timeout);
      if (!(idle > 0)) usageError(`--timeout ${flags.timeout}: expected a positive number of seconds`);
      const fs = await import('node:fs');
      const path = await import('node:path');
      const dev = await import('../device/index.ts');
      const t = dev.loadProfileTarget(target, flags.dump);
      if (!t.ok) exitWithIssues(t.issues, flags.json);
      const port = await dev.resolvePort(flags.port);
      if (!port.ok) exitWithIssues(port.issues, flags.json);
      const tr = await dev.openPort(port.value, flags.trace ? (l: string) => process.stderr.write(`${l}\n`) : undefined);
      if (!tr.ok) exitWithIssues(tr.issues, flags.json);
      const link = dev.createDeviceLink(tr.value);
      const bar = createProgress({ label: 'profiling', total: n, unit: 'inferences', quiet: !!flags.json });
      const r = await dev.runProfile(link, {
        inferences: n, layers: t.value.layers, predictedLatencyS: t.value.predictedLatencyS, golden: t.value.golden,
        expectDigest: t.value.digest || null, timeScale: dev.portTimeScale(port.value), idleTimeoutS: idle,
        onProgress: (d) => bar.update(d),
      });
      await link.close();
      bar.finish();
      if (!r.ok) exitWithIssues(r.issues, flags.json);
      const rep = r.value;
      const outDir = flags.out ?? t.value.dir;
      fs.mkdirSync(outDir, { recursive: true });
      const writeAtomic = (file: string, text: string) => {
        fs.writeFileSync(`${file}.tmp`, text);
        fs.renameSync(`${file}.tmp`, file);
      };
      writeAtomic(path.join(outDir, 'profile_report.json'), JSON.stringify({ schema_version: 1, kind: 'inas-profile', created_utc: new Date().toISOString(), target: path.resolve(target), port: port.value, ...rep }, null, 2) + '\n');
      writeAtomic(path.join(outDir, 'profile_report.md'), dev.profileMarkdown(rep, t.value.title));
      let calibratedFile: string | null = null;
      if (flags.calibrate) {
        const { DEFAULT_SETTINGS } = await import('../settings/index.ts');
        const plat = await import('../platform/index.ts');
        const p = t.value.platform ?? DEFAULT_SETTINGS.platform;
        const cap = plat.createCapacitor(p.capacitance_f, p.von_v, p.voff_v, p.energy_margin);
        const perOhm = (e: number) => plat.rechargeTimeS(cap, plat.createHarvester(p.vsup_v, 1), e);
        const predicted = (e: number) => plat.rechargeTimeS(cap, plat.createHarvester(p.vsup_v, p.harvester_resistance_ohm), e);
        const fit = dev.calibrateProfile(rep, t.value.layers, perOhm, predicted);
        const base = plat.COST_PROFILES[p.profile];
        const scale = fit.cycle_scale;
        const scaleLinear = (x: { energy_per_element_j: number; energy_fixed_j: number; cycles_per_element: number; cycles_fixed: number }) =>
          scale === null ? x : { ...x, cycles_per_element: x.cycles_per_element * scale, cycles_fixed: x.cycles_fixed * scale };
        const scaleScalar = (x: { energy_j: number; cycles: number }) => (scale === null ? x : { ...x, cycles: x.cycles * scale });
        const profileOut = {
          schema_version: 1,
          kind: 'inas-platform-calibration',
          created_utc: new Date().toISOString(),
          measured_on: { port: port.value, inferences: rep.inferences, board: rep.board },
          fit,
          platform: { ...p, ...(fit.harvester_resistance_ohm === null ? {} : { harvester_resistance_ohm: fit.harvester_resistance_ohm }) },
          cost_profile: {
            ...base,
            provenance: `${base.provenance}; cycle counts scaled by ${scale === null ? 'nothing (no fit)' : scale.toFixed(4)} by inas profile --calibrate (${rep.inferences} inferences)`,
            nvm_read: scaleLinear(base.nvm_read), nvm_write: scaleLinear(base.nvm_write), vector_mac: scaleLinear(base.vector_mac),
            add: scaleScalar(base.add), multiply: scaleScalar(base.multiply), divide: scaleScalar(base.divide), modulo: scaleScalar(base.modulo), max: scaleScalar(base.max),
          },
        };
        calibratedFile = path.join(outDir, 'platform.calibrated.json');
        writeAtomic(calibratedFile, JSON.stringify(profileOut, null, 2) + '\n');
      }
      if (flags.json) {
        printJson(dev.profileJson(rep));
      } else {
        process.stdout.write(dev.profileMarkdown(rep, t.value.title));
        process.stdout.write(`report: ${path.join(outDir, 'profile_report.md')} (and .json)\n`);
        if (calibratedFile) process.stdout.write(`calibrated platform profile: ${calibratedFile}\n`);
      }
      if (rep.outputs_match === false) process.exitCode = 1;
    }));
}
