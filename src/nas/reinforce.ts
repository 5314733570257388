/**
 * REINFORCE controller with a small LSTM policy (reference §3.3, with the §8 item 11 problems fixed):
 * one LSTM cell (default 32 units) unrolled over the positions of the action vector, one embedding table per state
 * type (index 0 = start token, index c+1 = choice c), one softmax head per position. Actions are sampled from the
 * policy (not argmax); with probability ε a uniformly random architecture is proposed instead. The policy gradient
 * uses the advantage reward − b, b a moving average of rewards; the label is a true one-hot (the original wrote
 * index+1 into it). Adam with global-norm clipping. Forward and backward pass are written out here with
 * Float64Arrays: tiny, deterministic, and its whole state serialises to JSON for resume.
 */
import type { Rng } from '../settings/index.ts';
import { randomIndices, type ActionSpace } from './space.ts';

/** Options of the REINFORCE controller. */
export interface ReinforceOptions {
  readonly cells: number;
  readonly embeddingDim: number;
  /** Probability of a uniformly random architecture. */
  readonly exploration: number;
  readonly learningRate: number;
  /** Decay of the moving-average reward baseline. */
  readonly baselineDecay: number;
  /** L2 regularisation on the weights. */
  readonly l2: number;
  /** Entropy bonus (keeps the policy from collapsing too early). */
  readonly entropy: number;
  /** Global gradient-norm clip. */
  readonly clipNorm: number;
}

export const DEFAULT_REINFORCE_OPTIONS: ReinforceOptions = {
  cells: 32, embeddingDim: 20, exploration: 0.1, learningRate: 0.005, baselineDecay: 0.9, l2: 1e-4, entropy: 1e-3, clipNorm: 5,
};

/** Serialisable state (plain arrays of doubles: JSON round-trips them exactly). */
export interface ReinforceState {
  readonly kind: 'reinforce';
  readonly options: ReinforceOptions;
  readonly params: Record<string, number[]>;
  readonly adam_m: Record<string, number[]>;
  readonly adam_v: Record<string, number[]>;
  readonly step: number;
  readonly baseline: number | null;
}

interface StepCache {
  x: Float64Array; hPrev: Float64Array; cPrev: Float64Array;
  i: Float64Array; f: Float64Array; o: Float64Array; g: Float64Array;
  c: Float64Array; h: Float64Array; tc: Float64Array; p: Float64Array;
  embTable: number; embRow: number;
}

/** The REINFORCE controller (a resource with state: parameters, Adam moments, baseline). */
export interface ReinforceController {
  /** Proposes choice indices (sampled, or uniformly random with probability ε). */
  propose(rng: Rng): number[];
  /** One policy-gradient step on an observed (action, reward). */
  observe(indices: readonly number[], reward: number): void;
  /** Probability of each choice at each position when the previous choices are `indices` (teacher forcing). */
  probabilities(indices: readonly number[]): number[][];
  save(): ReinforceState;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Creates a fresh controller (weights initialised from `rng`) or restores one from a saved state. */
export function createReinforce(space: ActionSpace, rng: Rng, options: Partial<ReinforceOptions> = {}, saved?: ReinforceState): ReinforceController {
  const opt: ReinforceOptions = saved ? saved.options : { ...DEFAULT_REINFORCE_OPTIONS, ...options };
  const H = opt.cells, E = opt.embeddingDim, T = space.choices.length;
  const nTypes = Math.max(...space.stateTypes) + 1;
  const typeChoices: number[] = [];
  space.stateTypes.forEach((s, t) => { typeChoices[s] = Math.max(typeChoices[s] ?? 0, space.choices[t]?.length ?? 0); });

  const params = new Map<string, Float64Array>();
  const uni = (n: number, a: number): Float64Array => Float64Array.from({ length: n }, () => (2 * rng.next() - 1) * a);
  if (saved) {
    for (const [k, v] of Object.entries(saved.params)) params.set(k, Float64Array.from(v));
  } else {
    for (let s = 0; s < nTypes; s++) params.set(`emb${s}`, uni(((typeChoices[s] ?? 0) + 1) * E, 1));
    const lim = Math.sqrt(6 / (E + H + 4 * H));
    params.set('W', uni(4 * H * (E + H), lim));
    const b = new Float64Array(4 * H);
    for (let j = H; j < 2 * H; j++) b[j] = 1; // forget-gate bias
    params.set('b', b);
    for (let t = 0; t < T; t++) {
      const C = space.choices[t]?.length ?? 0;
      params.set(`V${t}`, uni(C * H, Math.sqrt(6 / (H + C))));
      params.set(`c${t}`, new Float64Array(C));
    }
  }
  const m = new Map<string, Float64Array>(), v = new Map<string, Float64Array>();
  for (const [k, p] of params) {
    m.set(k, saved?.adam_m[k] ? Float64Array.from(saved.adam_m[k]) : new Float64Array(p.length));
    v.set(k, saved?.adam_v[k] ? Float64Array.from(saved.adam_v[k]) : new Float64Array(p.length));
  }
  let step = saved?.step ?? 0;
  let baseline: number | null = saved?.baseline ?? null;
  const P = (k: string): Float64Array => {
    const p = params.get(k);
    if (!p) throw new Error(`missing controller parameter ${k}`);
    return p;
  };

  /** Runs the LSTM over the positions; `choose(t, p)` returns the action at step t given its probabilities. */
  const forward = (choose: (t: number, p: Float64Array) => number): { caches: StepCache[]; actions: number[] } => {
    const W = P('W'), b = P('b');
    let h = new Float64Array(H), c = new Float64Array(H);
    const caches: StepCache[] = [];
    const actions: number[] = [];
    for (let t = 0; t < T; t++) {
      const embTable = t === 0 ? (space.stateTypes[0] ?? 0) : (space.stateTypes[t - 1] ?? 0);
      const embRow = t === 0 ? 0 : (actions[t - 1] ?? 0) + 1;
      const emb = P(`emb${embTable}`);
      const x = emb.slice(embRow * E, embRow * E + E);
      const z = new Float64Array(4 * H);
      for (let r = 0; r < 4 * H; r++) {
        let s = b[r] ?? 0;
        const row = r * (E + H);
        for (let j = 0; j < E; j++) s += (W[row + j] ?? 0) * (x[j] ?? 0);
        for (let j = 0; j < H; j++) s += (W[row + E + j] ?? 0) * (h[j] ?? 0);
        z[r] = s;
      }
      const i = new Float64Array(H), f = new Float64Array(H), o = new Float64Array(H), g = new Float64Array(H);
      const cn = new Float64Array(H), hn = new Float64Array(H), tc = new Float64Array(H);
      for (let j = 0; j < H; j++) {
        i[j] = sigmoid(z[j] ?? 0); f[j] = sigmoid(z[H + j] ?? 0); o[j] = sigmoid(z[2 * H + j] ?? 0); g[j] = Math.tanh(z[3 * H + j] ?? 0);
        cn[j] = (f[j] ?? 0) * (c[j] ?? 0) + (i[j] ?? 0) * (g[j] ?? 0);
        tc[j] = Math.tanh(cn[j] ?? 0);
        hn[j] = (o[j] ?? 0) * (tc[j] ?? 0);
      }
      const V = P(`V${t}`), cb = P(`c${t}`);
      const C = cb.length;
      const logits = new Float64Array(C);
      let mx = -Infinity;
      for (let k = 0; k < C; k++) {
        let s = cb[k] ?? 0;
        for (let j = 0; j < H; j++) s += (V[k * H + j] ?? 0) * (hn[j] ?? 0);
        logits[k] = s;
        mx = Math.max(mx, s);
      }
      const p = new Float64Array(C);
      let sum = 0;
      for (let k = 0; k < C; k++) { p[k] = Math.exp((logits[k] ?? 0) - mx); sum += p[k] ?? 0; }
      for (let k = 0; k < C; k++) p[k] = (p[k] ?? 0) / sum;
      caches.push({ x, hPrev: h, cPrev: c, i, f, o, g, c: cn, h: hn, tc, p, embTable, embRow });
      actions.push(choose(t, p));
      h = hn; c = cn;
    }
    return { caches, actions };
  };

  const sample = (p: Float64Array, rng: Rng): number => {
    const u = rng.next();
    let acc = 0;
    for (let k = 0; k < p.length; k++) { acc += p[k] ?? 0; if (u < acc) return k; }
    return p.length - 1;
  };

  return {
    propose(r) {
      // The ε draw comes first so the number of RNG draws per proposal does not depend on the weights' values.
      if (r.next() < opt.exploration) return randomIndices(space, r);
      return forward((_t, p) => sample(p, r)).actions;
    },
    probabilities(indices) {
      return forward((t) => indices[t] ?? 0).caches.map((cc) => [...cc.p]);
    },
    observe(indices, reward) {
      const adv = baseline === null ? 0 : reward - baseline;
      baseline = baseline === null ? reward : opt.baselineDecay * baseline + (1 - opt.baselineDecay) * reward;
      const { caches } = forward((t) => indices[t] ?? 0);
      const grads = new Map<string, Float64Array>();
      for (const [k, p] of params) grads.set(k, new Float64Array(p.length));
      const G = (k: string): Float64Array => grads.get(k) as Float64Array;
      const W = P('W');
      let dhNext = new Float64Array(H), dcNext = new Float64Array(H);
      for (let t = T - 1; t >= 0; t--) {
        const cc = caches[t] as StepCache;
        const a = indices[t] ?? 0;
        const C = cc.p.length;
        // loss = −adv·log p(a) − β·H(p): dL/dz_k = −adv(1[k=a] − p_k) + β·p_k(log p_k + H)
        let ent = 0;
        for (let k = 0; k < C; k++) { const pk = cc.p[k] ?? 0; if (pk > 0) ent -= pk * Math.log(pk); }
        const dz = new Float64Array(C);
        for (let k = 0; k < C; k++) {
          const pk = cc.p[k] ?? 0;
          dz[k] = -adv * ((k === a ? 1 : 0) - pk) + opt.entropy * pk * ((pk > 0 ? Math.log(pk) : 0) + ent);
        }
        const V = P(`V${t}`), dV = G(`V${t}`), dcb = G(`c${t}`);
        const dh = Float64Array.from(dhNext);
        for (let k = 0; k < C; k++) {
          const d = dz[k] ?? 0;
          dcb[k] = (dcb[k] ?? 0) + d;
          for (let j = 0; j < H; j++) {
            dV[k * H + j] = (dV[k * H + j] ?? 0) + d * (cc.h[j] ?? 0);
            dh[j] = (dh[j] ?? 0) + (V[k * H + j] ?? 0) * d;
          }
        }
        const dpre = new Float64Array(4 * H);
        const dcPrev = new Float64Array(H);
        for (let j = 0; j < H; j++) {
          const o = cc.o[j] ?? 0, tc = cc.tc[j] ?? 0, i = cc.i[j] ?? 0, f = cc.f[j] ?? 0, g = cc.g[j] ?? 0;
          const dcell = (dh[j] ?? 0) * o * (1 - tc * tc) + (dcNext[j] ?? 0);
          const dO = (dh[j] ?? 0) * tc;
          dpre[j] = dcell * g * i * (1 - i);
          dpre[H + j] = dcell * (cc.cPrev[j] ?? 0) * f * (1 - f);
          dpre[2 * H + j] = dO * o * (1 - o);
          dpre[3 * H + j] = dcell * i * (1 - g * g);
          dcPrev[j] = dcell * f;
        }
        const dW = G('W'), db = G('b');
        const dx = new Float64Array(E), dhPrev = new Float64Array(H);
        for (let r = 0; r < 4 * H; r++) {
          const d = dpre[r] ?? 0;
          if (d === 0) continue;
          db[r] = (db[r] ?? 0) + d;
          const row = r * (E + H);
          for (let j = 0; j < E; j++) { dW[row + j] = (dW[row + j] ?? 0) + d * (cc.x[j] ?? 0); dx[j] = (dx[j] ?? 0) + (W[row + j] ?? 0) * d; }
          for (let j = 0; j < H; j++) { dW[row + E + j] = (dW[row + E + j] ?? 0) + d * (cc.hPrev[j] ?? 0); dhPrev[j] = (dhPrev[j] ?? 0) + (W[row + E + j] ?? 0) * d; }
        }
        const dEmb = G(`emb${cc.embTable}`);
        for (let j = 0; j < E; j++) dEmb[cc.embRow * E + j] = (dEmb[cc.embRow * E + j] ?? 0) + (dx[j] ?? 0);
        dhNext = dhPrev; dcNext = dcPrev;
      }
      // L2 on weight matrices, global-norm clip, Adam.
      let norm2 = 0;
      for (const [k, g] of grads) {
        const p = P(k);
        if (opt.l2 > 0 && !k.startsWith('c') && k !== 'b') for (let j = 0; j < g.length; j++) g[j] = (g[j] ?? 0) + opt.l2 * (p[j] ?? 0);
        for (let j = 0; j < g.length; j++) norm2 += (g[j] ?? 0) ** 2;
      }
      const scale = opt.clipNorm > 0 && Math.sqrt(norm2) > opt.clipNorm ? opt.clipNorm / Math.sqrt(norm2) : 1;
      step += 1;
      const b1 = 0.9, b2 = 0.999, eps = 1e-8;
      const lrT = opt.learningRate * Math.sqrt(1 - b2 ** step) / (1 - b1 ** step);
      for (const [k, g] of grads) {
        const p = P(k), mk = m.get(k) as Float64Array, vk = v.get(k) as Float64Array;
        for (let j = 0; j < p.length; j++) {
          const gj = (g[j] ?? 0) * scale;
          mk[j] = b1 * (mk[j] ?? 0) + (1 - b1) * gj;
          vk[j] = b2 * (vk[j] ?? 0) + (1 - b2) * gj * gj;
          p[j] = (p[j] ?? 0) - lrT * (mk[j] ?? 0) / (Math.sqrt(vk[j] ?? 0) + eps);
        }
      }
    },
    save() {
      const toObj = (mp: Map<string, Float64Array>): Record<string, number[]> => Object.fromEntries([...mp].map(([k, a]) => [k, Array.from(a)]));
      return { kind: 'reinforce', options: opt, params: toObj(params), adam_m: toObj(m), adam_v: toObj(v), step, baseline };
    },
  };
}
