import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  BACKENDS, COMPAT_MODES, CONTROLLERS, convertLegacySettings, DEFAULT_SETTINGS, EVALUATORS, flagOrigins, formatIssues, loadSettings,
  overridesFromFlags, parseQuantity, PLATFORM_PROFILES, POWER_TYPES, resolveSettings, REWARDS, SETTINGS_FLAGS, type InasSettings,
} from '../../src/settings/index.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'inas-settings-'));
function file(name: string, value: unknown): string {
  const p = path.join(tmp, name);
  writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value));
  return p;
}

// The original iNAS settings (reference §4.1, §4.3), written out, and a key-by-key comparison with inas settings.
type Blocks = Record<string, Record<string, unknown>>;

/** The original `Settings` class defaults, every key (reference §4.1). */
const ORIGINAL_CLASS_DEFAULTS: Blocks = {
  GLOBAL_SETTINGS: { EXP_SUFFIX: '' },
  CUDA_SETTINGS: { GPUID: '0' },
  PLATFORM_SETTINGS: {
    MCU_TYPE: 'MSP430', CCAP: 0.005, REHM: 300.0, VON: 2.99, VOFF: 2.8, VSUP: 3.0, EAV_SAFE_MARGIN: 0.55, VM_CAPACITY: 2048,
    NVM_CAPACITY: 1000000, DATA_SZ: 2, CPU_CLOCK: 16000000, LAT_E2E_REQ: 100000, POW_TYPE: 'INT',
  },
  NAS_SETTINGS: {
    SEED: 1, DETERMINISTIC_FLOW: false, CONV_NUM_FILTERS: [4, 8, 16, 24], CONV_KERNEL_SIZES: [1, 3, 5, 7], NUM_LAYERS: 5, NUM_CLASS: 10,
    EPOCH: 25, TRIALS: 100, CHILD_BATCHSIZE: 256, EXPLORATION: 0.1, REGULARIZATION: 1e-3, CONTROLLER_CELLS: 32, EMBEDDING_DIM: 20,
    ACCURACY_BETA: 0.8, CLIP_REWARDS: 0.0, RESTORE_CONTROLLER: false, DATASET: 'CIFAR10', IMG_CHANNEL: 3, IMG_SIZE: 32,
    MODEL_FN_TYPE: 'MODEL_FN_CONV2D',
  },
  DUMPER_SETTINGS: { DUMP_DIR: '' },
  LOG_SETTINGS: { TRIAL_LOG_DIR: 'trial_log', TRIAL_LOG_FNAME: 'trial_info.csv', LOG_LEVEL: 1 },
};

/** Original keys inas ignores (the importer lists them as notes); every other key is compared. */
const IGNORED_ORIGINAL_KEYS = [
  'CUDA_SETTINGS.GPUID', 'PLATFORM_SETTINGS.MCU_TYPE', 'NAS_SETTINGS.DETERMINISTIC_FLOW', 'NAS_SETTINGS.REGULARIZATION',
  'NAS_SETTINGS.CLIP_REWARDS', 'NAS_SETTINGS.RESTORE_CONTROLLER', 'DUMPER_SETTINGS.DUMP_DIR', 'LOG_SETTINGS.TRIAL_LOG_FNAME',
  'LOG_SETTINGS.LOG_LEVEL',
];

/** The eval configs of reference §4.3, only the keys they set. */
const EVAL_CONFIGS: Record<string, Blocks> = (() => {
  const conf = (pow: string, nas: Record<string, unknown>, log: string, margin: boolean): Blocks => ({
    PLATFORM_SETTINGS: margin ? { POW_TYPE: pow, EAV_SAFE_MARGIN: 0.55 } : { POW_TYPE: pow },
    NAS_SETTINGS: nas,
    LOG_SETTINGS: { TRIAL_LOG_DIR: log },
  });
  const cifar = (trials: number) => ({
    CONV_NUM_FILTERS: [4, 8, 16, 24], CONV_KERNEL_SIZES: [1, 3, 5, 7], NUM_LAYERS: 5, NUM_CLASS: 10, EPOCH: 25, TRIALS: trials,
    CHILD_BATCHSIZE: 256, DATASET: 'CIFAR10', IMG_CHANNEL: 3, IMG_SIZE: 32, MODEL_FN_TYPE: 'MODEL_FN_CONV2D',
  });
  const har = {
    CONV_NUM_FILTERS: [4, 8, 16, 24], CONV_KERNEL_SIZES: [1, 3, 5, 7], NUM_LAYERS: 3, NUM_CLASS: 6, EPOCH: 25, TRIALS: 100,
    CHILD_BATCHSIZE: 512, DATASET: 'HAR', IMG_CHANNEL: 9, IMG_SIZE: 128, MODEL_FN_TYPE: 'MODEL_FN_CONV1D',
  };
  const kws = {
    CONV_NUM_FILTERS: [48, 64, 96, 128], CONV_KERNEL_SIZES: [], NUM_LAYERS: 4, NUM_CLASS: 12, EPOCH: 25, TRIALS: 100,
    CHILD_BATCHSIZE: 100, DATASET: 'KWS', IMG_CHANNEL: 1, IMG_SIZE: 250, MODEL_FN_TYPE: 'MODEL_FN_FC',
  };
  return {
    cifar_INT: conf('INT', cifar(5), 'trial_log/cifar/', true), // TRIALS 5: a leftover test value of the original
    cifar_CONT: conf('CONT', cifar(100), 'trial_log/cifar/', false),
    har_INT: conf('INT', har, 'trial_log/har/', false),
    har_CONT: conf('CONT', har, 'trial_log/har/', false),
    kws_INT: conf('INT', kws, 'trial_log/kws/', false),
    kws_CONT: conf('CONT', kws, 'trial_log/kws/', false),
  };
})();

const SHIPPED = { cifar: 'cifar10', har: 'har', kws: 'kws' } as const;

/** The three settings where inas's defaults (and the shipped files) differ from the original's behaviour on purpose. */
const INAS_OWN_DEFAULTS = [
  '/search/evaluator (original behaviour): inas "supernet", original "train"',
  '/search/reward (original behaviour): inas "corrected", original "tecs21"',
  '/training/patience (original behaviour): inas 5, original 0',
];

/** Key-wise overwrite per block, as the original merged a settings file over its class defaults (§4.4). */
function withBlocks(base: Blocks, over: Blocks): Blocks {
  const out: Blocks = {};
  for (const [b, body] of Object.entries(base)) out[b] = { ...body, ...(over[b] ?? {}) };
  return out;
}

function at(root: unknown, pointer: string): unknown {
  return pointer.split('/').slice(1).reduce<unknown>((cur, k) => (cur as Record<string, unknown> | undefined)?.[k], root);
}

/**
 * Where `settings` differs from a complete original settings object (sorted), over every original key (each either compared
 * through the importer's key mapping or listed in IGNORED_ORIGINAL_KEYS) and the original behaviour the importer sets.
 */
function originalDiff(settings: InasSettings, original: Blocks): string[] {
  const conv = convertLegacySettings(original, 'original');
  if (!conv.ok) throw new Error(formatIssues(conv.issues));
  const imported = resolveSettings(original, 'original');
  if (!imported.ok) throw new Error(formatIssues(imported.issues));
  const origins = conv.value.origins;
  const mapped = new Set(Object.values(origins).map((p) => p.slice(1).replace('/', '.')));
  const keys = Object.entries(original).flatMap(([b, body]) => Object.keys(body).map((k) => `${b}.${k}`));
  expect(keys.filter((k) => !mapped.has(k) && !IGNORED_ORIGINAL_KEYS.includes(k)), 'original keys neither compared nor ignored').to.deep.equal([]);
  const pointers: [string, string][] = [
    ...Object.entries(origins).map(([p, from]): [string, string] => [p, from.slice(1).replace('/', '.')]),
    ...['/search/evaluator', '/search/reward', '/training/patience'].map((p): [string, string] => [p, 'original behaviour']),
  ];
  const out: string[] = [];
  for (const [p, from] of pointers) {
    const mine = at(settings, p);
    const theirs = at(imported.value.settings, p);
    if (JSON.stringify(mine) !== JSON.stringify(theirs)) out.push(`${p} (${from}): inas ${JSON.stringify(mine)}, original ${JSON.stringify(theirs)}`);
  }
  return out.sort();
}

describe('settings/load', () => {
  for (const name of ['cifar10', 'har', 'kws', 'mnist', 'fashion-mnist']) {
    it(`loads settings/${name}.json`, () => {
      const r = loadSettings(`settings/${name}.json`);
      if (!r.ok) throw new Error(formatIssues(r.issues));
      expect(r.value.settings.dataset.name).to.equal(name);
      expect(r.value.settings.platform.capacitance_f).to.equal(0.005);
      expect(r.value.settings.platform.vm_capacity_bytes).to.equal(2048);
      expect(r.value.digest).to.match(/^[0-9a-f]{64}$/);
    });
  }
  it('converts quantities with units', () => {
    const p = file('units.json', { platform: { capacitance_f: '470uF', harvester_resistance_ohm: '22 Ω', vm_capacity_bytes: '3 KiB', latency_requirement_s: '500 ms' } });
    const r = loadSettings(p);
    if (!r.ok) throw new Error(formatIssues(r.issues));
    expect(r.value.settings.platform.capacitance_f).to.be.closeTo(470e-6, 1e-15);
    expect(r.value.settings.platform.harvester_resistance_ohm).to.equal(22);
    expect(r.value.settings.platform.vm_capacity_bytes).to.equal(3072);
    expect(r.value.settings.platform.latency_requirement_s).to.equal(0.5);
    expect(parseQuantity('16 MHz', 'Hz', 'x')).to.deep.equal({ ok: true, value: 16e6 });
    const bad = parseQuantity('5 ohm', 'F', '/platform/capacitance_f');
    expect(!bad.ok && bad.issues[0]!.message).to.match(/expected a quantity in farads/);
  });
  it('reports bad values with file, JSON pointer, rule and value', () => {
    const p = file('neg.json', { platform: { capacitance_f: -1 } });
    const r = loadSettings(p);
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(formatIssues(r.issues)).to.equal(`${p}: /platform/capacitance_f: must be > 0 (got -1)`);
    const typo = loadSettings(file('typo.json', { platform: { capacitence_f: 1 } }));
    expect(!typo.ok && formatIssues(typo.issues)).to.match(/\/platform\/capacitence_f: unknown key \(expected one of profile, capacitance_f/);
    const en = loadSettings(file('enum.json', { search: { controller: 'genetic' } }));
    expect(!en.ok && formatIssues(en.issues)).to.match(/\/search\/controller: must be one of "reinforce", "evolution", "random" \(got "genetic"\)/);
    const volts = loadSettings(file('volts.json', { platform: { voff_v: 3.1 } }));
    expect(!volts.ok && formatIssues(volts.issues)).to.match(/\/platform\/voff_v: must be below von_v = 2.99 V \(got 3.1 V\)/);
    const json = loadSettings(file('broken.json', '{"platform": '));
    expect(!json.ok && json.issues[0]!.code).to.equal('invalid_json');
    const missing = loadSettings(path.join(tmp, 'nope.json'));
    expect(!missing.ok && missing.issues[0]!.code).to.equal('file_not_found');
  });
  it('imports original iNAS settings files over the class defaults, without the LOG_SETTINGS merge bug (§4.4)', () => {
    const r = loadSettings('test/fixtures/legacy/config_inas_cifar_INT_generic.json');
    if (!r.ok) throw new Error(formatIssues(r.issues));
    const s = r.value.settings;
    expect(r.value.format).to.equal('inas-legacy');
    expect(s.platform.power).to.equal('int');
    expect(s.platform.harvester_resistance_ohm).to.equal(300); // class default, not config_default.json's 1000
    expect(s.platform.energy_margin).to.equal(0.55);
    expect(s.search.trials).to.equal(5);
    expect(s.search.reward).to.equal('tecs21');
    expect(s.search_space.input_shape).to.deep.equal([32, 32, 3]);
    expect(s.output.dir).to.equal('trial_log/cifar/'); // merged although the file has no DUMPER_SETTINGS block
    const k = loadSettings('test/fixtures/legacy/config_inas_kws_CONT_generic.json');
    if (!k.ok) throw new Error(formatIssues(k.issues));
    expect(k.value.settings.platform.power).to.equal('cont');
    expect(k.value.settings.search_space.family).to.equal('fc');
    expect(k.value.settings.search_space.input_shape).to.deep.equal([250, 1, 1]);
    const bad = resolveSettings({ NAS_SETTINGS: { NUM_LAYRS: 3 } }, 'old.json');
    expect(!bad.ok && formatIssues(bad.issues)).to.match(/old.json: \/NAS_SETTINGS\/NUM_LAYRS: unknown key of the original iNAS NAS_SETTINGS/);
  });
  it('a bad value in an original iNAS file names the original key, not the converted one', () => {
    const errors = (v: unknown): string => {
      const r = resolveSettings(v, 'legacy.json');
      return r.ok ? '(ok)' : formatIssues(r.issues);
    };
    expect(errors({ PLATFORM_SETTINGS: { CCAP: -1 } })).to.equal('legacy.json: /PLATFORM_SETTINGS/CCAP: must be > 0 (got -1)');
    expect(errors({ PLATFORM_SETTINGS: { CCAP: '5 mF', REHM: 'lots' } })).to.equal('legacy.json: /PLATFORM_SETTINGS/REHM: expected a quantity in ohms such as "22 ohm" (got "lots")');
    expect(errors({ NAS_SETTINGS: { NUM_LAYERS: 0, CONV_KERNEL_SIZES: [1, 0], IMG_SIZE: 'big' } })).to.equal([
      'legacy.json: /NAS_SETTINGS/NUM_LAYERS: must be >= 1 (got 0)',
      'legacy.json: /NAS_SETTINGS/CONV_KERNEL_SIZES/1: must be >= 1 (got 0)',
      'legacy.json: /NAS_SETTINGS/IMG_SIZE: must be integer (got "big")', // once, although it sets both H and W
    ].join('\n'));
    // Cross-field rules name the original key too, also one the file leaves at its class default (VOFF 2.8).
    expect(errors({ PLATFORM_SETTINGS: { VON: 2.7 } })).to.equal('legacy.json: /PLATFORM_SETTINGS/VOFF: must be below von_v = 2.7 V (got 2.8 V)');
    expect(errors({ NAS_SETTINGS: { MODEL_FN_TYPE: 'MODEL_FN_FC', IMG_SIZE: 250, IMG_CHANNEL: 1 } }))
      .to.equal('legacy.json: /NAS_SETTINGS/CONV_KERNEL_SIZES: must be empty for the fc family (got [1,3,5,7])');
    expect(errors({ NAS_SETTINGS: { MODEL_FN_TYPE: 'MODEL_FN_LSTM' } }))
      .to.equal('legacy.json: /NAS_SETTINGS/MODEL_FN_TYPE: must be one of "MODEL_FN_CONV2D", "MODEL_FN_CONV1D", "MODEL_FN_FC" (got "MODEL_FN_LSTM")');
    // The same value in an inas file keeps the inas pointer.
    expect(errors({ platform: { capacitance_f: -1 } })).to.equal('legacy.json: /platform/capacitance_f: must be > 0 (got -1)');
  });
  it('applies flag overrides with units, naming the flag on errors', () => {
    const ov = overridesFromFlags({ ccap: '470uF', rehm: '22 ohm', 'vm-capacity': '4 KiB', latreq: 'p50', trials: '7', seed: undefined });
    if (!ov.ok) throw new Error(formatIssues(ov.issues));
    const r = loadSettings('settings/cifar10.json', ov.value);
    if (!r.ok) throw new Error(formatIssues(r.issues));
    expect(r.value.settings.platform.capacitance_f).to.be.closeTo(4.7e-4, 1e-15);
    expect(r.value.settings.platform.vm_capacity_bytes).to.equal(4096);
    expect(r.value.settings.platform.latency_requirement_s).to.equal('p50');
    expect(r.value.settings.search.trials).to.equal(7);
    const base = loadSettings('settings/cifar10.json');
    expect(base.ok && base.value.digest).to.not.equal(r.value.digest);
    const bad = overridesFromFlags({ ccap: 'lots' });
    expect(!bad.ok && formatIssues(bad.issues)).to.match(/^--ccap: expected a quantity in farads/);
  });
  it('a flag value that breaks a schema rule names the flag; a bad value in the file still names the file', () => {
    const load = (file: string, flags: Record<string, string>): string => {
      const ov = overridesFromFlags(flags);
      if (!ov.ok) return formatIssues(ov.issues);
      const r = loadSettings(file, ov.value, { origins: flagOrigins(flags) });
      return r.ok ? '(ok)' : formatIssues(r.issues);
    };
    expect(flagOrigins({ ccap: '-1', rehm: undefined, 'vm-capacity': '1 KiB' })).to.deep.equal({ '/platform/capacitance_f': '--ccap', '/platform/vm_capacity_bytes': '--vm-capacity' });
    expect(load('settings/cifar10.json', { ccap: '-1' })).to.equal('--ccap: must be > 0 (got -1)');
    expect(load('settings/cifar10.json', { ccap: '-1 mF' })).to.equal('--ccap: must be > 0 (got -0.001)');
    expect(load('settings/cifar10.json', { margin: '1.5', trials: '0' })).to.equal('--margin: must be <= 1 (got 1.5)\n--trials: must be >= 1 (got 0)');
    expect(load('settings/cifar10.json', { latreq: 'p200' })).to.equal('--latreq: expected a quantity in seconds such as "500 ms" (got "p200")');
    expect(load('settings/cifar10.json', { latreq: '0' })).to.equal('--latreq: must be > 0 (got 0)');
    const neg = file('neg-file.json', { platform: { capacitance_f: -1 } });
    expect(load(neg, { rehm: '22' })).to.equal(`${neg}: /platform/capacitance_f: must be > 0 (got -1)`);
    expect(load(neg, { ccap: '1 mF' })).to.equal('(ok)'); // the flag replaces the file's bad value
    // Overrides passed without origins (library callers) are not blamed on the file either.
    const lib = loadSettings('settings/cifar10.json', { platform: { capacitance_f: -1 } });
    expect(!lib.ok && formatIssues(lib.issues)).to.equal('settings/cifar10.json (overrides): /platform/capacitance_f: must be > 0 (got -1)');
  });
  it('enumeration flags take their values from the schema and name the flag', () => {
    const values = (flag: string): unknown => SETTINGS_FLAGS.find((f) => f.flag === flag)?.values;
    const cases: [string, readonly (string | number)[]][] = [
      ['power', POWER_TYPES], ['compat', COMPAT_MODES], ['profile', PLATFORM_PROFILES], ['controller', CONTROLLERS],
      ['evaluator', EVALUATORS], ['reward', REWARDS], ['backend', BACKENDS], ['weight-bits', [16, 8]],
    ];
    for (const [flag, expected] of cases) expect([...(values(flag) as unknown[])].sort(), flag).to.deep.equal([...expected].sort());
    expect(SETTINGS_FLAGS.filter((f) => f.values).map((f) => f.flag).sort()).to.deep.equal(cases.map(([f]) => f).sort());
    const r = overridesFromFlags({ power: 'foo' });
    expect(!r.ok && formatIssues(r.issues)).to.equal('--power: must be one of "int", "cont" (got "foo")');
    for (const [flag, expected] of cases.filter(([f]) => f !== 'weight-bits')) {
      const x = overridesFromFlags({ [flag]: 'foo' });
      expect(!x.ok && formatIssues(x.issues), flag).to.equal(`--${flag}: must be one of ${(values(flag) as string[]).map((v) => `"${v}"`).join(', ')} (got "foo")`);
      expect(expected.every((v) => overridesFromFlags({ [flag]: String(v) }).ok), flag).to.equal(true);
    }
    expect(SETTINGS_FLAGS.find((f) => f.flag === 'power')!.help).to.equal('power type: int | cont');
  });
  it('an empty file resolves to DEFAULT_SETTINGS', () => {
    const r = resolveSettings({}, 'empty');
    if (!r.ok) throw new Error('empty');
    expect(r.value.settings).to.deep.equal(DEFAULT_SETTINGS);
  });
  it('DEFAULT_SETTINGS: the original class defaults (§4.1) except inas\'s evaluator, reward, patience and output folder', () => {
    expect(originalDiff(DEFAULT_SETTINGS, ORIGINAL_CLASS_DEFAULTS)).to.deep.equal([
      ...INAS_OWN_DEFAULTS,
      '/output/dir (LOG_SETTINGS.TRIAL_LOG_DIR): inas "solution_dump", original "trial_log"',
    ].sort());
  });
  for (const ds of ['cifar', 'har', 'kws'] as const) {
    for (const pow of ['INT', 'CONT'] as const) {
      it(`settings/${SHIPPED[ds]}.json equals the original config_inas_${ds}_${pow}_generic.json for every original key, but for the listed differences`, () => {
        const loaded = loadSettings(`settings/${SHIPPED[ds]}.json`);
        if (!loaded.ok) throw new Error(formatIssues(loaded.issues));
        const original = withBlocks(ORIGINAL_CLASS_DEFAULTS, EVAL_CONFIGS[`${ds}_${pow}`]!);
        expect(originalDiff(loaded.value.settings, original)).to.deep.equal([
          `/name (GLOBAL_SETTINGS.EXP_SUFFIX): inas "${SHIPPED[ds]}", original ""`,
          ...(pow === 'CONT' ? ['/platform/power (PLATFORM_SETTINGS.POW_TYPE): inas "int", original "cont"'] : []),
          ...(ds === 'cifar' && pow === 'INT' ? ['/search/trials (NAS_SETTINGS.TRIALS): inas 100, original 5'] : []),
          ...INAS_OWN_DEFAULTS,
          `/output/dir (LOG_SETTINGS.TRIAL_LOG_DIR): inas "solution_dump", original "trial_log/${ds}/"`,
        ].sort());
      });
    }
  }
  it('the original files written out above equal the fixtures of test/fixtures/legacy', () => {
    for (const [name, key] of [['config_inas_cifar_INT_generic', 'cifar_INT'], ['config_inas_kws_CONT_generic', 'kws_CONT']] as const) {
      expect(JSON.parse(readFileSync(`test/fixtures/legacy/${name}.json`, 'utf8'))).to.deep.equal(EVAL_CONFIGS[key]);
    }
  });
});
