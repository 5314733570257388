/**
 * Network-level exploration: per-layer optimum (the objective is separable, so per-layer greedy = global optimum
 * for a fixed architecture, §2.2), plus the network checks of §1.13: NVM capacity and the latency requirement (C2).
 */
import { checkNvm, nvmBytes, type Network } from '../network/index.ts';
import type { Platform } from '../platform/index.ts';
import { issue, type InasIssue, type PowerType } from '../settings/index.ts';
import { costLayerCont, costLayerInt, parseDesign } from '../costmodel/index.ts';
import { createScratch, exploreLayer } from './explore_layer.ts';
import type { ExploreOptions, LayerExploration, NetworkExploration } from './types.ts';

function layerIssue(l: LayerExploration, index: number): InasIssue {
  const c = l.explanation?.constraint;
  const code = c === 'C0' ? 'infeasible_c0' : c === 'C1' ? 'infeasible_c1' : c === 'invalid' ? (l.explanation?.invalid_code ?? 'invalid_arch') : 'infeasible_layer';
  return issue(code, `layers[${index}] (${l.name})`, l.reason ?? 'no feasible design', { layer: l.name, ...(l.explanation ? { explanation: l.explanation } : {}) });
}

function finish(net: Network, platform: Platform, power: PowerType, layers: LayerExploration[], issues: InasIssue[], candidates: number,
  elapsedMs: number, latencyRequirementS: number | null): NetworkExploration {
  const layersFeasible = layers.length === net.layers.length && layers.every((l) => l.feasible);
  let latency: number | null = null, energy: number | null = null, cycles: number | null = null;
  if (layersFeasible) {
    latency = 0; energy = 0;
    for (const l of layers) { latency += l.latency_s ?? 0; energy += l.energy_j ?? 0; }
    if (power === 'int') { cycles = 0; for (const l of layers) cycles += l.power_cycles ?? 0; }
  }
  const nvm = checkNvm(net, platform.data_size_bytes, platform.nvm_capacity_bytes);
  if (!nvm.ok) issues.push(...nvm.issues);
  let meets: boolean | null = null;
  if (latency !== null && latencyRequirementS !== null) {
    meets = latency <= latencyRequirementS;
    if (!meets) {
      issues.push(issue('latency_requirement', 'latency_s',
        `the end-to-end latency ${latency.toPrecision(6)} s exceeds the requirement of ${latencyRequirementS} s (C2)`,
        { latency_s: latency, requirement_s: latencyRequirementS }));
    }
  }
  return {
    feasible: layersFeasible && nvm.ok && meets !== false,
    latency_s: latency, energy_j: energy, power_cycles: cycles, candidates, elapsed_ms: elapsedMs, layers, issues,
    power, compat: platform.compat, layers_feasible: layersFeasible,
    nvm_bytes: nvmBytes(net, platform.data_size_bytes), nvm_ok: nvm.ok,
    latency_requirement_s: latencyRequirementS, meets_latency_requirement: meets,
  };
}

/**
 * Explores every layer of a network and returns the best design per layer, the network latency/energy and the
 * reasons for any infeasibility. `elapsed_ms` is the only machine-dependent field (wall time of the exploration).
 */
export function exploreNetwork(net: Network, platform: Platform, opts: ExploreOptions = {}): NetworkExploration {
  const t0 = performance.now();
  const power = opts.power ?? platform.power;
  const latReq = opts.latencyRequirementS === undefined ? platform.latency_requirement_s : opts.latencyRequirementS;
  const scratch = createScratch();
  const layers: LayerExploration[] = [];
  const issues: InasIssue[] = [];
  let candidates = 0;
  for (const layer of net.layers) {
    const l = exploreLayer(layer, platform, power, scratch);
    layers.push(l);
    candidates += l.candidates;
    if (!l.feasible) {
      issues.push(layerIssue(l, layer.index));
      if (opts.stopAtFirstInfeasible) break;
    }
  }
  return finish(net, platform, power, layers, issues, candidates, performance.now() - t0, latReq);
}

/** Options of costFixedDesigns. */
export interface FixedDesignOptions {
  readonly power: PowerType;
  /** Cost every design with S = 1 (how the HW-NAS designs were deployed under intermittent power, §2.3). */
  readonly forceS1?: boolean;
  readonly latencyRequirementS?: number | null;
}

/**
 * Costs given design strings (one per layer) instead of searching: e.g. continuous-power designs deployed under
 * intermittent power with S = 1 (`handler.find_layer_cost_fixed_solution`). A layer whose design breaks C0 or C1
 * is reported infeasible with its numbers (energy per cycle, VM) and the reason.
 */
export function costFixedDesigns(net: Network, platform: Platform, designs: readonly string[], opts: FixedDesignOptions): NetworkExploration {
  const t0 = performance.now();
  const power = opts.power;
  const latReq = opts.latencyRequirementS === undefined ? platform.latency_requirement_s : opts.latencyRequirementS;
  const layers: LayerExploration[] = [];
  const issues: InasIssue[] = [];
  if (designs.length !== net.layers.length) {
    issues.push(issue('invalid_argument', 'designs', `expected ${net.layers.length} designs (one per layer: ${net.layers.map((l) => l.name).join(', ')}), got ${designs.length}`,
      { expected: net.layers.length, actual: designs.length }));
  }
  const budget = platform.capacitor.usable_energy_j;
  const cap = platform.vm_capacity_bytes;
  net.layers.forEach((layer, i) => {
    const text = designs[i];
    const base = { name: layer.name, type: layer.type, candidates: 1 };
    const infeasible = (reason: string, extra: Partial<LayerExploration> = {}): LayerExploration => ({
      ...base, feasible: false, design: null, latency_s: null, power_cycles: null, energy_per_cycle_j: null, vm_bytes: null,
      energy_j: null, energy_utilisation: null, passes: 0, failed_c0: 0, failed_c1: 0, reason, ...extra,
    });
    if (text === undefined) { layers.push(infeasible('no design given')); return; }
    const pd = parseDesign(text, `designs[${i}]`);
    if (!pd.ok) { issues.push(...pd.issues); layers.push(infeasible(pd.issues[0]?.message ?? 'bad design')); return; }
    const design = opts.forceS1 ? { ...pd.value, s: 1 } : pd.value;
    if (power === 'int') {
      // tecs21: the original's fixed-design costing sized GAVGPOOL IFM tiles with the convolution formula.
      const r = costLayerInt(layer, design, platform, { legacyGapTile: platform.compat === 'tecs21' });
      if (!r.ok) { issues.push(...r.issues); layers.push(infeasible(r.issues[0]?.message ?? 'design does not fit')); return; }
      const v = r.value;
      const near = { design: v.design, vm_bytes: v.vm_bytes, energy_per_cycle_j: v.energy_per_cycle_max_j };
      const nums = { design: v.design, power_cycles: v.power_cycles, energy_per_cycle_j: v.energy_per_cycle_max_j, vm_bytes: v.vm_bytes, energy_j: v.energy_j, energy_utilisation: v.energy_utilisation };
      if (!v.feasible) {
        const reason = !v.c0_ok
          ? `C0: ${v.design} needs ${v.vm_bytes} bytes of VM; the platform has ${cap}`
          : `C1: ${v.design} needs ${v.energy_per_cycle_max_j.toExponential(3)} J in one power cycle (${(100 * v.energy_utilisation).toFixed(0)} % of the ${budget.toExponential(3)} J budget)`;
        const l = infeasible(reason, { ...nums, failed_c0: v.c0_ok ? 0 : 1, failed_c1: v.c0_ok ? 1 : 0,
          explanation: { constraint: v.c0_ok ? 'C1' : 'C0', vm_capacity_bytes: cap, budget_j: budget, least_vm: near, least_energy: v.c0_ok ? near : null } });
        layers.push(l);
        issues.push(layerIssue(l, i));
        return;
      }
      layers.push({ ...base, feasible: true, ...nums, latency_s: v.latency_s, passes: 1, failed_c0: 0, failed_c1: 0 });
    } else {
      const r = costLayerCont(layer, design, platform);
      if (!r.ok) { issues.push(...r.issues); layers.push(infeasible(r.issues[0]?.message ?? 'design does not fit')); return; }
      const v = r.value;
      if (!v.feasible) {
        const l = infeasible(`C0: ${v.design} needs ${v.vm_bytes} bytes of VM; the platform has ${cap}`, { design: v.design, vm_bytes: v.vm_bytes, failed_c0: 1,
          explanation: { constraint: 'C0', vm_capacity_bytes: cap, budget_j: null, least_vm: { design: v.design, vm_bytes: v.vm_bytes, energy_per_cycle_j: null }, least_energy: null } });
        layers.push(l);
        issues.push(layerIssue(l, i));
        return;
      }
      layers.push({ ...base, feasible: true, design: v.design, latency_s: v.latency_s, power_cycles: null, energy_per_cycle_j: null, vm_bytes: v.vm_bytes,
        energy_j: v.energy_j, energy_utilisation: null, passes: 1, failed_c0: 0, failed_c1: 0 });
    }
  });
  return finish(net, platform, power, layers, issues, layers.length, performance.now() - t0, latReq);
}
