/**
 * MFCC features of 1-second 16 kHz clips for keyword spotting (reference §4.6): 40 ms window (640 samples),
 * 40 ms stride → 25 frames; periodic Hann window; 1024-point FFT (zero-padded); magnitude spectrum; 40 triangular
 * mel filters between 20 Hz and 4 kHz (mel = 1127·ln(1 + f/700)); natural log of (energy + 1e-6); DCT-II with
 * scale sqrt(2/40); the first 10 coefficients per frame. Output: frame-major, 25 × 10 = 250 values.
 */

export interface MfccConfig {
  readonly sample_rate_hz: number;
  readonly window_samples: number;
  readonly stride_samples: number;
  readonly fft_size: number;
  readonly mel_channels: number;
  readonly lower_hz: number;
  readonly upper_hz: number;
  readonly coefficients: number;
  readonly clip_samples: number;
}

/** The KWS feature configuration (16 kHz, 40 ms / 40 ms, 10 MFCC over 1 s). */
export const KWS_MFCC: MfccConfig = {
  sample_rate_hz: 16000, window_samples: 640, stride_samples: 640, fft_size: 1024,
  mel_channels: 40, lower_hz: 20, upper_hz: 4000, coefficients: 10, clip_samples: 16000,
};

/** Number of frames of a clip. */
export function frameCount(cfg: MfccConfig): number {
  return 1 + Math.floor((cfg.clip_samples - cfg.window_samples) / cfg.stride_samples);
}

const TWIDDLES = new Map<number, { cos: Float64Array; sin: Float64Array }>();
function twiddles(n: number): { cos: Float64Array; sin: Float64Array } {
  let t = TWIDDLES.get(n);
  if (!t) {
    t = { cos: new Float64Array(n / 2), sin: new Float64Array(n / 2) };
    for (let k = 0; k < n / 2; k++) { t.cos[k] = Math.cos((-2 * Math.PI * k) / n); t.sin[k] = Math.sin((-2 * Math.PI * k) / n); }
    TWIDDLES.set(n, t);
  }
  return t;
}

/** In-place iterative radix-2 complex FFT (re, im of length n = power of two), X[k] = Σ x[t]·e^(−2πikt/n). */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  if ((n & (n - 1)) !== 0) throw new Error(`fft size ${n} is not a power of two`);
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const tr = re[i]!; re[i] = re[j]!; re[j] = tr;
      const ti = im[i]!; im[i] = im[j]!; im[j] = ti;
    }
  }
  const tw = twiddles(n);
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1;
    const step = n / len;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < half; k++) {
        const cr = tw.cos[k * step]!, ci = tw.sin[k * step]!;
        const a = i + k, b = a + half;
        const xr = re[b]! * cr - im[b]! * ci;
        const xi = re[b]! * ci + im[b]! * cr;
        re[b] = re[a]! - xr; im[b] = im[a]! - xi;
        re[a] = re[a]! + xr; im[a] = im[a]! + xi;
      }
    }
  }
}

/**
 * Magnitudes |X[k]|, k = 0..n/2, of the DFT of a real signal `x` (length n), through one complex FFT of size n/2
 * (even samples as real part, odd samples as imaginary part). `work` holds two arrays of n/2 values.
 */
export function realMagnitudes(x: Float64Array, out: Float64Array, work: { re: Float64Array; im: Float64Array }): void {
  const n = x.length, h = n / 2;
  const { re, im } = work;
  for (let i = 0; i < h; i++) { re[i] = x[2 * i]!; im[i] = x[2 * i + 1]!; }
  fft(re, im);
  const tw = twiddles(n);
  for (let k = 0; k <= h; k++) {
    const k1 = k % h, k2 = (h - k) % h;
    const zr = re[k1]!, zi = im[k1]!, wr = re[k2]!, wi = -im[k2]!; // w = conj(Z[h-k])
    const er = 0.5 * (zr + wr), ei = 0.5 * (zi + wi); // even part E[k]
    const or = 0.5 * (zi - wi), oi = -0.5 * (zr - wr); // odd part O[k] = (Z - conj)/(2i)
    const c = k < h ? tw.cos[k]! : -1, s = k < h ? tw.sin[k]! : 0;
    const xr = er + c * or - s * oi, xi = ei + c * oi + s * or;
    out[k] = Math.sqrt(xr * xr + xi * xi);
  }
}

const hzToMel = (hz: number): number => 1127 * Math.log(1 + hz / 700);
const melToHz = (mel: number): number => 700 * (Math.exp(mel / 1127) - 1);

/** The triangular mel filterbank: weights[channel][bin] over the fft_size/2+1 magnitude bins. */
export function melFilterbank(cfg: MfccConfig): Float64Array[] {
  const bins = cfg.fft_size / 2 + 1;
  const lo = hzToMel(cfg.lower_hz), hi = hzToMel(cfg.upper_hz);
  const centers: number[] = [];
  for (let i = 0; i < cfg.mel_channels + 2; i++) centers.push(melToHz(lo + ((hi - lo) * i) / (cfg.mel_channels + 1)));
  const out: Float64Array[] = [];
  for (let m = 0; m < cfg.mel_channels; m++) {
    const l = centers[m]!, c = centers[m + 1]!, r = centers[m + 2]!;
    const w = new Float64Array(bins);
    for (let b = 0; b < bins; b++) {
      const f = (b * cfg.sample_rate_hz) / cfg.fft_size;
      if (f > l && f <= c) w[b] = (f - l) / (c - l);
      else if (f > c && f < r) w[b] = (r - f) / (r - c);
    }
    out.push(w);
  }
  return out;
}

/** A reusable MFCC extractor (precomputed window, filterbank, DCT basis). */
export interface MfccExtractor {
  readonly config: MfccConfig;
  readonly frames: number;
  /** Features of one clip (shorter clips are zero-padded, longer ones truncated): frames × coefficients values. */
  compute(samples: Float32Array, out?: Float32Array): Float32Array;
  /** Magnitude spectrum of one frame starting at `start` (for tests). */
  spectrum(samples: Float32Array, start: number): Float64Array;
}

/** Creates an MFCC extractor. */
export function createMfcc(cfg: MfccConfig = KWS_MFCC): MfccExtractor {
  const frames = frameCount(cfg);
  const win = new Float64Array(cfg.window_samples);
  for (let i = 0; i < win.length; i++) win[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / cfg.window_samples);
  const bank = melFilterbank(cfg);
  const dct: Float64Array[] = [];
  const M = cfg.mel_channels;
  for (let k = 0; k < cfg.coefficients; k++) {
    const row = new Float64Array(M);
    for (let m = 0; m < M; m++) row[m] = Math.sqrt(2 / M) * Math.cos((Math.PI * k * (m + 0.5)) / M);
    dct.push(row);
  }
  const frameBuf = new Float64Array(cfg.fft_size);
  const work = { re: new Float64Array(cfg.fft_size / 2), im: new Float64Array(cfg.fft_size / 2) };
  const bins = cfg.fft_size / 2 + 1;
  const mag = new Float64Array(bins);
  const logmel = new Float64Array(M);
  // Sparse filterbank: each filter's first non-zero bin and weights.
  const sparse = bank.map((w) => {
    let lo = 0, hi = w.length - 1;
    while (lo < w.length && w[lo] === 0) lo++;
    while (hi > lo && w[hi] === 0) hi--;
    return { first: lo, weights: w.slice(lo, hi + 1) };
  });
  const spectrum = (samples: Float32Array, start: number): Float64Array => {
    frameBuf.fill(0);
    for (let i = 0; i < cfg.window_samples; i++) {
      const p = start + i;
      frameBuf[i] = (p < samples.length && p < cfg.clip_samples ? samples[p]! : 0) * win[i]!;
    }
    realMagnitudes(frameBuf, mag, work);
    return mag;
  };
  return {
    config: cfg,
    frames,
    spectrum: (s, start) => Float64Array.from(spectrum(s, start)),
    compute(samples, out = new Float32Array(frames * cfg.coefficients)) {
      for (let f = 0; f < frames; f++) {
        const spec = spectrum(samples, f * cfg.stride_samples);
        for (let m = 0; m < M; m++) {
          const { first, weights } = sparse[m]!;
          let e = 0;
          for (let b = 0; b < weights.length; b++) e += weights[b]! * spec[first + b]!;
          logmel[m] = Math.log(e + 1e-6);
        }
        for (let k = 0; k < cfg.coefficients; k++) {
          const row = dct[k]!;
          let s = 0;
          for (let m = 0; m < M; m++) s += row[m]! * logmel[m]!;
          out[f * cfg.coefficients + k] = s;
        }
      }
      return out;
    },
  };
}
