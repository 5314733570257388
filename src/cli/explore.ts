/**
 * `inas explore`: best execution + preservation design per layer for one or more architectures (iNAS-Exp), with the
 * network latency, power cycles, energy per cycle against the budget, VM, and why a layer is infeasible.
 * Exit codes: 0 all feasible, 3 some architecture infeasible (output still printed), 2 bad input.
 * With --json, stdout holds only the JSON; the platform notes (compat mode, …) and network issues go to stderr.
 */
import type { Command } from 'commander';
import type { InasIssue } from '../settings/index.ts';
import type { NetworkExploration } from '../explorer/index.ts';
import { action, addSettingsFlags, exitWithIssues, loadSettingsOrExit, printJson, unwrapOrExit } from './common.ts';
import { EXIT } from './exit_codes.ts';

const FLAGS = ['power', 'ccap', 'rehm', 'vm-capacity', 'nvm-capacity', 'margin', 'latreq', 'compat', 'profile'] as const;

/** The `--json` record of one architecture (issue 2's contract). */
function jsonRecord(r: NetworkExploration): Record<string, unknown> {
  return {
    feasible: r.feasible,
    latency_s: r.latency_s,
    candidates: r.candidates,
    elapsed_ms: r.elapsed_ms,
    layers: r.layers.map((l) => ({
      name: l.name,
      type: l.type,
      feasible: l.feasible,
      design: l.design,
      latency_s: l.latency_s,
      power_cycles: l.power_cycles,
      energy_per_cycle_j: l.energy_per_cycle_j,
      vm_bytes: l.vm_bytes,
      ...(l.reason !== undefined ? { reason: l.reason } : {}),
    })),
  };
}

function fmt(v: number | null, digits: number): string {
  return v === null ? '-' : v.toFixed(digits);
}

function si(v: number, unit: string): string {
  const a = Math.abs(v);
  const [scale, prefix] = a >= 1 ? [1, ''] : a >= 1e-3 ? [1e3, 'm'] : a >= 1e-6 ? [1e6, 'µ'] : [1e9, 'n'];
  return `${Number((v * scale).toPrecision(4))} ${prefix}${unit}`;
}

function table(rows: string[][], right: boolean[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (right[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd()).join('\n');
}

function human(arch: string, r: NetworkExploration, budgetJ: number): string {
  const out: string[] = [];
  const head = r.feasible
    ? `feasible, latency ${r.latency_s!.toFixed(3)} s`
    : r.layers_feasible ? `INFEASIBLE (network check), latency ${r.latency_s?.toFixed(3)} s` : 'INFEASIBLE';
  const cycles = r.power_cycles !== null ? `, ${r.power_cycles} power cycles` : '';
  const energy = r.energy_j !== null ? `, ${si(r.energy_j, 'J')}` : '';
  out.push(`arch ${arch}: ${head}${cycles}${energy}; ${r.candidates} candidates explored in ${r.elapsed_ms.toFixed(2)} ms`);
  const int = r.power === 'int';
  const rows: string[][] = [[
    'layer', 'design', 'latency [s]', ...(int ? ['cycles', 'E/cycle [µJ]', 'budget %'] : ['energy [mJ]']), 'VM [B]', 'candidates',
  ]];
  for (const l of r.layers) {
    rows.push([
      l.name, l.design ?? '(none)', fmt(l.latency_s, 4),
      ...(int
        ? [l.power_cycles === null ? '-' : String(l.power_cycles), fmt(l.energy_per_cycle_j === null ? null : l.energy_per_cycle_j * 1e6, 2),
          fmt(l.energy_per_cycle_j === null ? null : (100 * l.energy_per_cycle_j) / budgetJ, 1)]
        : [fmt(l.energy_j === null ? null : l.energy_j * 1e3, 3)]),
      l.vm_bytes === null ? '-' : String(l.vm_bytes), String(l.candidates),
    ]);
  }
  out.push(table(rows, rows[0]!.map((_, i) => i >= 2)));
  for (const l of r.layers) if (l.reason) out.push(`  ${l.name}: ${l.reason}`);
  for (const i of r.issues) if (i.code === 'nvm_overflow' || i.code === 'latency_requirement') out.push(`  ${i.message}`);
  return out.join('\n');
}

export function define(program: Command): void {
  const cmd = program
    .command('explore')
    .description('find the best execution and preservation design per layer (iNAS-Exp) and the end-to-end latency')
    .requiredOption('--settings <file>', 'settings JSON file (inas or original iNAS format)')
    .requiredOption('--arch <vector>', 'action vector, e.g. 5,4,3,16,7,16,7,24,7,24 (repeat for several)', (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .option('--json', 'print JSON: an object for one --arch, an array for several');
  addSettingsFlags(cmd, FLAGS);
  cmd.action(action(async (opts: Record<string, unknown>) => {
    const json = Boolean(opts['json']);
    const loaded = loadSettingsOrExit(String(opts['settings']), opts, FLAGS, json);
    const { createPlatform } = await import('../platform/index.ts');
    const { buildNetwork, parseArch, archToString } = await import('../network/index.ts');
    const { exploreNetwork } = await import('../explorer/index.ts');
    const platform = unwrapOrExit(createPlatform(loaded.settings.platform), json);
    const archTexts = opts['arch'] as string[];
    // Validate every architecture before exploring any (nothing half-printed on bad input).
    const nets = archTexts.map((text, i) => {
      const where = archTexts.length > 1 ? `--arch #${i + 1}` : '--arch';
      const a = parseArch(text, where);
      if (!a.ok) exitWithIssues(a.issues, json);
      const n = buildNetwork(a.value, loaded.settings.search_space, { strictChoices: false });
      if (!n.ok) exitWithIssues(n.issues.map((x): InasIssue => ({ ...x, path: x.path.replace(/^arch/, where) })), json);
      return n.value;
    });
    const results = nets.map((n) => exploreNetwork(n, platform));
    const anyInfeasible = results.some((r) => !r.feasible);
    if (json) {
      const records = results.map(jsonRecord);
      printJson(records.length === 1 ? records[0] : records);
      // The JSON shape is a fixed contract, so the notes (the compat mode above all) go to stderr, as in the human output.
      for (const n of platform.notes) process.stderr.write(`inas: note: ${n}\n`);
      for (const [i, r] of results.entries()) {
        for (const x of r.issues) process.stderr.write(`inas: ${archTexts.length > 1 ? `arch ${archToString(nets[i]!.arch)}: ` : ''}${x.path}: ${x.message}\n`);
      }
    } else {
      const p = loaded.settings.platform;
      const budget = platform.capacitor.usable_energy_j;
      const lines: string[] = [
        `settings ${loaded.path} (digest ${loaded.digest.slice(0, 12)}), profile ${platform.profile.name}, power ${p.power}` +
        (p.power === 'int'
          ? `, C ${si(p.capacitance_f, 'F')}, R ${p.harvester_resistance_ohm} Ω, margin ${p.energy_margin}, budget ${si(budget, 'J')}/cycle`
          : '') + `, VM ${p.vm_capacity_bytes} B` +
        (platform.latency_requirement_s !== null ? `, latency requirement ${platform.latency_requirement_s} s` : ''),
        ...platform.notes.map((n) => `note: ${n}`),
      ];
      for (const [i, r] of results.entries()) lines.push('', human(archToString(nets[i]!.arch), r, budget));
      process.stdout.write(lines.join('\n') + '\n');
    }
    if (anyInfeasible) process.exitCode = EXIT.infeasible;
  }));
}
