/*
 * hal_host.h: the host simulator behind hal.h. NVM is a memory block (optionally loaded from / saved to a file),
 * the UART writes to a FILE, and power failures are injected:
 *   - every N-th NVM write, or every N simulated CPU cycles,
 *   - at random instrumentation points (NVM reads/writes, accounted operations) drawn from a seed,
 *   - at a single chosen NVM write (exhaustive sweeps),
 *   - from an energy model: a capacitor drained by the cost-model energy of every operation and recharged by an
 *     RC harvester (or a power trace); power fails when its voltage drops below Voff.
 * A failure can tear the write it hits (only a prefix of the bytes reaches NVM). A failure calls the registered
 * power-fail handler (main_host.c longjmps back to boot, discarding all volatile state). Host-only code: uses
 * stdio, doubles and malloc, which the portable runtime never does.
 */
#ifndef INAS_HAL_HOST_H
#define INAS_HAL_HOST_H

#include <stdint.h>
#include <stdio.h>

/** Cost of one primitive: energy_j + per_elem_j * x, latency_s + per_elem_s * x (x = elements or length). */
typedef struct {
    double energy_j, per_elem_j, latency_s, per_elem_s;
} inas_host_cost_t;

/** Platform cost profile (reference §1.5, generated into costs.h by the dumper from the TS platform model). */
typedef struct {
    double clock_hz;
    inas_host_cost_t nvm_read, nvm_write, vmac;      /* per call, x = elements (Q15 words) */
    inas_host_cost_t mac_ovhd, pool, div;            /* per operation */
    inas_host_cost_t fd_i, fd_w, fd_o[3], bd_o[3];   /* per transfer set-up; [INAS_ORDER_*] */
    inas_host_cost_t reboot;                         /* per power-up */
    double capacitance_f, von_v, voff_v, vsup_v, harvester_resistance_ohm;
} inas_host_profile_t;

#define INAS_FAIL_NONE 0
#define INAS_FAIL_EVERY_WRITES 1
#define INAS_FAIL_EVERY_CYCLES 2
#define INAS_FAIL_RANDOM 3
#define INAS_FAIL_AT_WRITE 4
#define INAS_FAIL_ENERGY 5

/* Shapes of a torn write (a power failure during a multi-word NVM write). Words are 16-bit, from the write's start. */
#define INAS_TORN_BYTE 0  /* a prefix of the bytes lands: random length (RANDOM schedules), else half the write */
#define INAS_TORN_CUT 1   /* the first k words land, the rest keep their old values (a write of <= k words lands whole) */
#define INAS_TORN_STALE 2 /* every word lands except word k, which keeps its old value (k >= words: the last word) */
#define INAS_TORN_RANDOM_K 0xFFFFFFFFu /* torn_k: drawn per torn write from the schedule's seed (CUT: 1..words-1) */

#define INAS_POLICY_GREEDY 0 /* run until the capacitor is empty */
#define INAS_POLICY_BATCH 1  /* power down after every commit and wait for a full capacitor (as the original iNAS) */

typedef struct {
    int mode;
    uint64_t n;           /* EVERY_WRITES / EVERY_CYCLES period; AT_WRITE: the 1-based write index */
    uint64_t seed;        /* RANDOM */
    double mean_points;   /* RANDOM: mean instrumentation points between failures */
    int torn;             /* tear the write a failure hits (EVERY_WRITES / AT_WRITE / RANDOM) */
    int torn_shape;       /* INAS_TORN_*: how a torn write lands */
    uint32_t torn_k;      /* CUT: words that land; STALE: the word that keeps its old value (INAS_TORN_RANDOM_K: seeded) */
    int policy;           /* ENERGY: INAS_POLICY_* */
    const double *trace_t_s, *trace_p_w; /* ENERGY: harvested power trace (NULL: RC harvester) */
    uint32_t trace_len;
} inas_host_failures_t;

typedef struct {
    uint64_t nvm_reads, nvm_read_bytes, nvm_writes, nvm_write_bytes, torn_writes;
    uint64_t quiet_nvm_writes; /* NVM writes made while quiet (not counted above): the simulator's provisioning */
    uint64_t points;      /* instrumentation points passed (failure candidates) */
    uint64_t cycles;      /* CPU cycles while powered */
    uint64_t tiles, commits, power_failures, shutdowns;
    double on_time_s, off_time_s, energy_j;
} inas_host_stats_t;

/** Creates the NVM block (zero-filled) of `size` bytes. Returns 0 on success. */
int inas_host_init(uint32_t nvm_size_bytes, FILE *uart, const inas_host_profile_t *profile);
/** The NVM block (for loading/saving the file and for resetting it between runs). */
uint8_t *inas_host_nvm(void);
/** Arms a failure schedule (resets the per-schedule state, keeps the statistics). */
void inas_host_set_failures(const inas_host_failures_t *f);
/** Registers what a power failure does (never returns). */
void inas_host_on_power_fail(void (*handler)(void));
/** Called at every power-up: charges the reboot cost and, after an outage, advances time by the recharge. */
void inas_host_power_up(int after_outage);
/** Suspends (1) / resumes (0) counting and failure injection (for the simulator's own NVM peeks). */
void inas_host_quiet(int quiet);
/** Result callback (main_host.c checks results against the golden vectors). */
void inas_host_on_result(void (*cb)(uint32_t inference, uint16_t cls, const int16_t *logits, uint16_t n));
/** Statistics so far. */
const inas_host_stats_t *inas_host_stats(void);
/** Current capacitor voltage (energy mode) in volts. */
double inas_host_voltage_v(void);

/* ---- fault injection (src/faults, `inas faults --engine firmware`) ------------------------------------------ */

/* What a fault does to its NVM byte. */
#define INAS_INJ_FLIP 0 /* byte ^= mask */
#define INAS_INJ_SA0 1  /* byte &= ~mask (stuck at 0) */
#define INAS_INJ_SA1 2  /* byte |= mask (stuck at 1) */

/* When it does it. */
#define INAS_INJ_AT_BOOT 0     /* once, on the provisioned image, before the first boot of the run */
#define INAS_INJ_AFTER_WRITE 1 /* once, right after the run's `write`-th NVM write (1-based) reached NVM */
#define INAS_INJ_PERMANENT 2   /* at boot and again after every write touching the byte: the cell reads so always */
#define INAS_INJ_ON_READ 3     /* volatile: corrupts the SRAM copy of the byte when a read loads it (NVM unchanged) */

#define INAS_INJ_ANY_INFERENCE 0xFFFFFFFFu

/** One injected fault on one NVM byte. `applied`, `old`, `now` are filled at its first application. */
typedef struct {
    uint32_t addr;
    uint8_t mask;
    uint8_t kind;   /* INAS_INJ_FLIP / SA0 / SA1 */
    uint8_t when;   /* INAS_INJ_AT_BOOT / AFTER_WRITE / PERMANENT */
    uint8_t applied;
    uint8_t old, now;
    uint64_t write; /* AFTER_WRITE: 1-based index among the run's (non-quiet) NVM writes */
    /* ON_READ: only while the committed stage is (inference, stage) (stage: layer index; the number of layers = the
       result stage; inference INAS_INJ_ANY_INFERENCE: every inference); nth = 0: every such read, else only the
       nth such read of the run (a single upset tile copy). `seen` counts the matching reads. */
    uint32_t inference;
    uint32_t stage;
    uint32_t nth, seen;
} inas_host_fault_t;

/**
 * Arms `n` faults for the next run (the array stays owned by the caller and is updated in place) and restarts the
 * run's write and operation counters. n = 0 disarms.
 */
void inas_host_inject(inas_host_fault_t *faults, uint32_t n);
/** Applies the armed AT_BOOT and PERMANENT faults (call once per run, after provisioning, before booting). */
void inas_host_inject_boot(void);
/**
 * Hang detection: after `max_ops` NVM reads + writes in the current run (0 = no limit), calls `on_exhausted`
 * (never returns; main_host.c longjmps out of the run).
 */
void inas_host_set_budget(uint64_t max_ops, void (*on_exhausted)(void));
/**
 * ON_READ faults need the engine's committed stage: `fn` reports (inference, stage) without counting or failing
 * (main_host.c peeks the progress record; stage -1 = loading the input). Called only on reads of armed bytes.
 */
void inas_host_on_stage(void (*fn)(uint32_t *inference, int32_t *stage));
/** Torn writes in the current run (since the last inas_host_inject). */
uint64_t inas_host_run_torn(void);
/** NVM writes of the current run (since the last inas_host_inject). */
uint64_t inas_host_run_writes(void);

#endif /* INAS_HAL_HOST_H */
