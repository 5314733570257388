/*
 * main_host.c: the host firmware binary (the power-failure simulator). Command line: firmware/README.md
 * "Host binary". Power failure = longjmp back to boot: every volatile byte of the engine is rebuilt from NVM.
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hal_host.h"
#include "../hal.h"
#include "../../runtime/engine.h"
#include "../../runtime/nvm.h"
#include "model.h"
#include "golden.h"
#include "costs.h"

#define MAX_LAYERS 64u
#define MAX_FAULTS 8192u      /* faults per injected run */
#define MAX_RUN_RESULTS 4096u /* results kept per injected run */

static jmp_buf g_boot;
static struct {
    uint64_t results, mismatches, duplicates, reboots, stalls, runs, max_stall;
    uint64_t commits_at_fail;
    int64_t last_result;
    int no_progress;
    int exit_on_failure;
    const char *nvm_path;
    uint64_t layer_cycles[MAX_LAYERS];
    int32_t boot_layer;       /* layer at the start of this power-on period (-1: none) */
    uint32_t boot_inference;
    FILE *mismatch_log;
    double t_mark_s;          /* simulated time of the run start / the previous new result */
    double infer_time_s;      /* sum of simulated time from run start (after provisioning) to each new result */
    int quiet_provision;
} g_sim;

/* Fault campaigns (--inject): the faults of the current run and the results it produced. */
static struct {
    inas_host_fault_t faults[MAX_FAULTS];
    uint32_t n;
    int collect;
    uint32_t res_n;
    uint32_t res_inf[MAX_RUN_RESULTS];
    uint16_t res_cls[MAX_RUN_RESULTS];
    int16_t res_logits[MAX_RUN_RESULTS * (uint32_t)INAS_MODEL_CLASSES];
    jmp_buf hang;
} g_fi;

static void usage(void)
{
    fprintf(stderr,
            "usage: inas_host [--nvm FILE] [--uart FILE|-|none] [--failures none|every:N|every-cycles:N|"
            "random:SEED[:MEAN]|at:K|energy|exhaustive]\n"
            "                 [--torn[=byte|cut|cut:K|stale|stale:K]] [--policy greedy|batch] [--trace FILE] [--runs N] [--inferences N]\n"
            "                 [--max-stall N] [--exit-on-failure] [--inject FILE [--max-ops N]]\n");
    exit(2);
}

static void on_result(uint32_t inference, uint16_t cls, const int16_t *logits, uint16_t n)
{
    const uint32_t k = inference % (uint32_t)INAS_GOLDEN_COUNT;
    const int16_t *want = &inas_golden_logits[k * (uint32_t)INAS_MODEL_CLASSES];
    int bad = cls != inas_golden_classes[k] || n != INAS_MODEL_CLASSES;
    uint16_t i;
    for (i = 0; !bad && i < n; i++) bad = logits[i] != want[i];
    if ((int64_t)inference == g_sim.last_result) {
        g_sim.duplicates++;
    } else {
        if (g_fi.collect && g_fi.res_n < MAX_RUN_RESULTS && n == INAS_MODEL_CLASSES) {
            g_fi.res_inf[g_fi.res_n] = inference;
            g_fi.res_cls[g_fi.res_n] = cls;
            memcpy(&g_fi.res_logits[g_fi.res_n * (uint32_t)INAS_MODEL_CLASSES], logits, (size_t)n * sizeof *logits);
            g_fi.res_n++;
        }
        const inas_host_stats_t *s = inas_host_stats();
        const double now = s->on_time_s + s->off_time_s;
        g_sim.results++;
        g_sim.last_result = (int64_t)inference;
        g_sim.infer_time_s += now - g_sim.t_mark_s;
        g_sim.t_mark_s = now;
    }
    if (bad) {
        g_sim.mismatches++;
        if (g_sim.mismatch_log) {
            fprintf(g_sim.mismatch_log, "INAS MISMATCH run=%llu inf=%u class=%u want=%u\n",
                    (unsigned long long)g_sim.runs, (unsigned)inference, (unsigned)cls, (unsigned)inas_golden_classes[k]);
        }
    }
}

/* Committed (inference, layer, tiles done) without counting or failing: layer -1 = loading the input. */
static void peek_progress_tiles(uint32_t *inference, int32_t *layer, uint32_t *tiles)
{
    inas_progress_t p;
    inas_host_quiet(1);
    if (inas_nvm_header_valid(inas_model.model_id, inas_model.weights_crc32) &&
        inas_nvm_load_progress(&p, inas_model.model_id) == INAS_OK) {
        *inference = p.inference;
        *layer = p.layer == INAS_STAGE_LOAD ? -1 : (int32_t)p.layer;
        *tiles = p.tiles_done;
    } else {
        *inference = 0;
        *layer = -1;
        *tiles = 0;
    }
    inas_host_quiet(0);
}

static void peek_progress(uint32_t *inference, int32_t *layer)
{
    uint32_t tiles;
    peek_progress_tiles(inference, layer, &tiles);
}

/* Counts one power-on period for every layer that computed in it. */
static void close_period(void)
{
    uint32_t inf, tiles;
    int32_t layer, l;
    int32_t from = g_sim.boot_layer < 0 ? 0 : g_sim.boot_layer;
    peek_progress_tiles(&inf, &layer, &tiles);
    /* A layer whose first batch has not committed yet, entered in this period, ran no committed tile here: the
       period ended at its start (a commit at a layer boundary) or inside its first batch (counted on its retry). */
    if (layer >= 0 && tiles == 0u && (layer != g_sim.boot_layer || inf != g_sim.boot_inference)) layer--;
    if (inf != g_sim.boot_inference) {
        for (l = from; l < (int32_t)inas_model.num_layers; l++) g_sim.layer_cycles[l]++;
        from = 0;
        if (layer < 0) return;
    }
    if (layer < 0) return;
    for (l = from; l <= layer && l < (int32_t)inas_model.num_layers; l++) g_sim.layer_cycles[l]++;
}

static void save_nvm(void)
{
    if (g_sim.nvm_path) {
        char tmp[4096];
        FILE *f;
        snprintf(tmp, sizeof tmp, "%s.tmp", g_sim.nvm_path);
        f = fopen(tmp, "wb");
        if (!f || fwrite(inas_host_nvm(), 1u, inas_hal_nvm_size(), f) != inas_hal_nvm_size() || fclose(f) != 0 ||
            rename(tmp, g_sim.nvm_path) != 0) {
            fprintf(stderr, "inas_host: cannot write NVM file %s\n", g_sim.nvm_path);
            exit(1);
        }
    }
}

static uint64_t g_points;
/* Exhaustive mode: NVM writes of the failure-free reference inference (provisioning included), 0 otherwise. */
static uint64_t g_reference_writes;


/* The last line of every run: `INAS SUMMARY {json}` (firmware/README.md "Host binary"). */
static void print_summary(inas_status_t st)
{
    const inas_host_stats_t *s;
    uint32_t i;
    uint64_t points = g_points;
    s = inas_host_stats();
    printf("INAS SUMMARY {\"status\":%u,\"runs\":%llu,\"results\":%llu,\"mismatches\":%llu,\"duplicates\":%llu,"
           "\"reboots\":%llu,\"power_failures\":%llu,\"shutdowns\":%llu,\"no_progress\":%s,"
           "\"tiles_executed\":%llu,\"tiles_per_inference\":%u,\"commits\":%llu,\"nvm_reads\":%llu,"
           "\"nvm_read_bytes\":%llu,\"nvm_writes\":%llu,\"nvm_write_bytes\":%llu,\"torn_writes\":%llu,"
           "\"failure_points\":%llu,\"cycles\":%llu,\"on_time_s\":%.9g,\"off_time_s\":%.9g,\"energy_j\":%.9g,"
           "\"inference_time_s\":%.9g,\"provision_writes\":%llu,\"reference_writes\":%llu,"
           "\"layer_power_cycles\":[",
           (unsigned)st, (unsigned long long)g_sim.runs, (unsigned long long)g_sim.results,
           (unsigned long long)g_sim.mismatches, (unsigned long long)g_sim.duplicates,
           (unsigned long long)g_sim.reboots, (unsigned long long)s->power_failures,
           (unsigned long long)s->shutdowns, g_sim.no_progress ? "true" : "false", (unsigned long long)s->tiles,
           (unsigned)inas_engine_schedule_tiles(), (unsigned long long)s->commits, (unsigned long long)s->nvm_reads,
           (unsigned long long)s->nvm_read_bytes, (unsigned long long)s->nvm_writes,
           (unsigned long long)s->nvm_write_bytes, (unsigned long long)s->torn_writes,
           (unsigned long long)points, (unsigned long long)s->cycles, s->on_time_s, s->off_time_s, s->energy_j,
           g_sim.infer_time_s, (unsigned long long)s->quiet_nvm_writes, (unsigned long long)g_reference_writes);
    for (i = 0; i < inas_model.num_layers && i < MAX_LAYERS; i++) {
        printf("%s%llu", i ? "," : "", (unsigned long long)g_sim.layer_cycles[i]);
    }
    printf("]}\n");
    fflush(stdout);
}

static void power_fail(void)
{
    const uint64_t commits = inas_host_stats()->commits;
    close_period();
    g_sim.reboots++;
    if (commits == g_sim.commits_at_fail) {
        if (++g_sim.stalls > g_sim.max_stall) g_sim.no_progress = 1;
    } else {
        g_sim.stalls = 0;
    }
    g_sim.commits_at_fail = commits;
    if (g_sim.exit_on_failure) {
        save_nvm();
        print_summary(INAS_OK);
        exit(75);
    }
    longjmp(g_boot, 1);
}

static int load_trace(const char *path, double **t, double **p, uint32_t *n)
{
    FILE *f = fopen(path, "r");
    double a, b;
    uint32_t cap = 0;
    if (!f) return -1;
    *n = 0;
    while (fscanf(f, "%lf %lf", &a, &b) == 2) {
        if (*n == cap) {
            cap = cap ? 2u * cap : 256u;
            *t = (double *)realloc(*t, cap * sizeof **t);
            *p = (double *)realloc(*p, cap * sizeof **p);
            if (!*t || !*p) return -1;
        }
        (*t)[*n] = a;
        (*p)[*n] = b;
        (*n)++;
    }
    fclose(f);
    return *n >= 2u ? 0 : -1;
}

/* One run: boot (again after every failure) and run until `inferences` more inferences are committed. */
static inas_status_t run_once(uint32_t inferences)
{
    volatile int first = 1;
    volatile uint32_t target = 0;
    inas_status_t st;
    uint32_t inf0;
    int32_t layer0;
    if (g_sim.quiet_provision) {
        /* Flashing: provision the NVM image with costs and failures off. */
        inas_host_quiet(1);
        st = inas_engine_prepare();
        inas_host_quiet(0);
        if (st != INAS_OK) return st;
    }
    peek_progress(&inf0, &layer0);
    target = inf0 + inferences;
    /* Fault campaigns: the armed at-boot / permanent faults hit the provisioned image now. */
    inas_host_inject_boot();
    {
        const inas_host_stats_t *s = inas_host_stats();
        g_sim.t_mark_s = s->on_time_s + s->off_time_s;
    }
    g_sim.last_result = -1;
    g_sim.stalls = 0;
    g_sim.commits_at_fail = inas_host_stats()->commits;
    if (setjmp(g_boot) != 0) {
        if (g_sim.no_progress) return INAS_OK;
        first = 0;
    }
    inas_host_power_up(!first);
    peek_progress((uint32_t *)&g_sim.boot_inference, (int32_t *)&g_sim.boot_layer);
    st = inas_engine_boot();
    if (st == INAS_OK) st = inas_engine_run(target);
    close_period();
    return st;
}

static void on_hang(void)
{
    longjmp(g_fi.hang, 1);
}

/* The committed stage for ON_READ faults: (inference, layer), -1 = loading the input, L = the result stage. */
static void stage_of(uint32_t *inference, int32_t *stage)
{
    peek_progress(inference, stage);
}

/*
 * Parses one fault line `ADDR MASK flip|sa0|sa1 boot|perm|write K` or `ADDR MASK flip|sa0|sa1 read INF|* STAGE [N]`
 * into *f. Returns 0 on success.
 */
static int parse_fault(const char *line, inas_host_fault_t *f)
{
    unsigned long addr, mask;
    unsigned long long k = 0;
    char kind[8], when[8];
    const int got = sscanf(line, "%lu %lx %7s %7s %llu", &addr, &mask, kind, when, &k);
    if (got >= 4 && !strcmp(when, "read")) {
        char inf[16];
        unsigned long stage, nth = 0;
        char extra;
        const int r = sscanf(line, "%lu %lx %7s %7s %15s %lu %lu %c", &addr, &mask, kind, when, inf, &stage, &nth, &extra);
        if (r < 6 || r > 7 || mask > 0xFFul || stage > 0xFFFFul) return -1;
        memset(f, 0, sizeof *f);
        f->addr = (uint32_t)addr;
        f->mask = (uint8_t)mask;
        f->when = INAS_INJ_ON_READ;
        f->stage = (uint32_t)stage;
        f->nth = (uint32_t)nth;
        if (!strcmp(inf, "*")) f->inference = INAS_INJ_ANY_INFERENCE;
        else {
            char *end;
            const unsigned long v = strtoul(inf, &end, 10);
            if (*end != '\0' || end == inf || v >= 0xFFFFFFFFul) return -1;
            f->inference = (uint32_t)v;
        }
        if (!strcmp(kind, "flip")) f->kind = INAS_INJ_FLIP;
        else if (!strcmp(kind, "sa0")) f->kind = INAS_INJ_SA0;
        else if (!strcmp(kind, "sa1")) f->kind = INAS_INJ_SA1;
        else return -1;
        return addr < INAS_NVM_SIZE_BYTES ? 0 : -1;
    }
    if (got < 4 || mask > 0xFFul) return -1; /* mask 0: no change, only reports the byte */
    memset(f, 0, sizeof *f);
    f->addr = (uint32_t)addr;
    f->mask = (uint8_t)mask;
    if (!strcmp(kind, "flip")) f->kind = INAS_INJ_FLIP;
    else if (!strcmp(kind, "sa0")) f->kind = INAS_INJ_SA0;
    else if (!strcmp(kind, "sa1")) f->kind = INAS_INJ_SA1;
    else return -1;
    if (!strcmp(when, "boot")) f->when = INAS_INJ_AT_BOOT;
    else if (!strcmp(when, "perm")) f->when = INAS_INJ_PERMANENT;
    else if (!strcmp(when, "write") && got == 5 && k >= 1u) f->when = INAS_INJ_AFTER_WRITE, f->write = k;
    else return -1;
    return addr < INAS_NVM_SIZE_BYTES ? 0 : -1;
}

/*
 * Fault campaign (firmware/README.md "Fault injection"): FILE holds runs `run ID SEED`, fault lines, `end`. Every
 * run starts from the freshly provisioned image with its own failure schedule (seed SEED), applies its faults,
 * runs `inferences` inferences and prints one `INAS FI` line.
 */
static int run_campaign(const char *path, inas_host_failures_t *fail, uint64_t every, uint64_t at, double mean,
                        uint32_t inferences, uint64_t max_ops)
{
    static char line[512];
    FILE *in = fopen(path, "r");
    uint8_t *clean;
    inas_status_t st;
    if (!in) {
        fprintf(stderr, "inas_host: cannot read the fault list %s\n", path);
        return 2;
    }
    clean = (uint8_t *)malloc(INAS_NVM_SIZE_BYTES);
    if (!clean) return 1;
    memset(inas_host_nvm(), 0, INAS_NVM_SIZE_BYTES);
    inas_host_quiet(1);
    st = inas_engine_prepare();
    inas_host_quiet(0);
    if (st != INAS_OK) {
        free(clean);
        print_summary(st);
        return 1;
    }
    memcpy(clean, inas_host_nvm(), INAS_NVM_SIZE_BYTES);
    g_sim.quiet_provision = 1;
    g_sim.mismatch_log = NULL; /* wrong results are the campaign's data (INAS FI lines), not errors */
    inas_host_set_budget(max_ops, on_hang);
    inas_host_on_stage(stage_of);
    while (fgets(line, sizeof line, in)) {
        unsigned long run;
        unsigned long long seed;
        volatile int hang = 0;
        uint64_t reboots0, ops0;
        uint32_t i, k;
        if (line[0] == '\n' || line[0] == '#') continue;
        if (sscanf(line, "run %lu %llu", &run, &seed) != 2) {
            fprintf(stderr, "inas_host: %s: expected 'run ID SEED', got: %s", path, line);
            free(clean);
            fclose(in);
            return 2;
        }
        g_fi.n = 0;
        while (fgets(line, sizeof line, in) && strncmp(line, "end", 3) != 0) {
            if (g_fi.n >= MAX_FAULTS || parse_fault(line, &g_fi.faults[g_fi.n]) != 0) {
                fprintf(stderr, "inas_host: %s: run %lu: bad or too many fault lines (max %u; 'ADDR MASK flip|sa0|sa1 "
                                "boot|perm|write K|read INF|* STAGE [N]', ADDR < %lu): %s", path, run, MAX_FAULTS,
                        (unsigned long)INAS_NVM_SIZE_BYTES, line);
                free(clean);
                fclose(in);
                return 2;
            }
            g_fi.n++;
        }
        memcpy(inas_host_nvm(), clean, INAS_NVM_SIZE_BYTES);
        fail->seed = seed;
        fail->n = fail->mode == INAS_FAIL_AT_WRITE ? inas_host_stats()->nvm_writes + at : every;
        fail->mean_points = mean;
        inas_host_set_failures(fail);
        inas_host_inject(g_fi.faults, g_fi.n);
        g_fi.res_n = 0;
        g_fi.collect = 1;
        g_sim.no_progress = 0;
        reboots0 = g_sim.reboots;
        ops0 = inas_host_stats()->nvm_reads + inas_host_stats()->nvm_writes;
        st = INAS_OK;
        if (setjmp(g_fi.hang) == 0) st = run_once(inferences);
        else hang = 1;
        g_fi.collect = 0;
        printf("INAS FI run=%lu status=%u hang=%d no_progress=%d reboots=%llu writes=%llu ops=%llu torn=%llu res=", run,
               (unsigned)st, hang, g_sim.no_progress, (unsigned long long)(g_sim.reboots - reboots0),
               (unsigned long long)inas_host_run_writes(),
               (unsigned long long)(inas_host_stats()->nvm_reads + inas_host_stats()->nvm_writes - ops0),
               (unsigned long long)inas_host_run_torn());
        for (i = 0; i < g_fi.res_n; i++) {
            printf("%s%u:%u:", i ? ";" : "", (unsigned)g_fi.res_inf[i], (unsigned)g_fi.res_cls[i]);
            for (k = 0; k < (uint32_t)INAS_MODEL_CLASSES; k++) {
                printf("%s%d", k ? "/" : "", (int)g_fi.res_logits[i * (uint32_t)INAS_MODEL_CLASSES + k]);
            }
        }
        printf(" inj=");
        for (i = 0, k = 0; i < g_fi.n; i++) {
            const inas_host_fault_t *f = &g_fi.faults[i];
            if (!f->applied) continue;
            printf("%s%u:%u:%u", k++ ? ";" : "", (unsigned)i, (unsigned)f->old, (unsigned)f->now);
        }
        printf("\n");
        inas_host_inject(NULL, 0u);
        g_sim.runs++;
    }
    fflush(stdout);
    free(clean);
    fclose(in);
    print_summary(INAS_OK);
    return 0;
}

int main(int argc, char **argv)
{
    inas_host_profile_t prof = INAS_HOST_PROFILE;
    inas_host_failures_t fail;
    const char *uart_path = "-", *trace_path = NULL, *failures = "none", *inject_path = NULL;
    uint64_t max_ops = 0;
    uint32_t runs = 1, inferences = 1, i;
    int torn = 0, torn_shape = INAS_TORN_BYTE, policy = INAS_POLICY_GREEDY, exhaustive = 0;
    uint32_t torn_k = INAS_TORN_RANDOM_K;
    uint64_t every = 0, seed = 1, at = 0;
    double mean = 2000.0;
    double *trace_t = NULL, *trace_p = NULL;
    uint32_t trace_n = 0;
    FILE *uart;
    inas_status_t st = INAS_OK;

    memset(&fail, 0, sizeof fail);
    g_sim.max_stall = 10000;
    for (i = 1; i < (uint32_t)argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1u < (uint32_t)argc ? argv[i + 1u] : NULL;
        if (!strcmp(a, "--nvm") && v) g_sim.nvm_path = v, i++;
        else if (!strcmp(a, "--uart") && v) uart_path = v, i++;
        else if (!strcmp(a, "--failures") && v) failures = v, i++;
        else if (!strcmp(a, "--trace") && v) trace_path = v, i++;
        else if (!strcmp(a, "--runs") && v) runs = (uint32_t)strtoul(v, NULL, 10), i++;
        else if (!strcmp(a, "--inferences") && v) inferences = (uint32_t)strtoul(v, NULL, 10), i++;
        else if (!strcmp(a, "--max-stall") && v) g_sim.max_stall = strtoull(v, NULL, 10), i++;
        else if (!strcmp(a, "--inject") && v) inject_path = v, i++;
        else if (!strcmp(a, "--max-ops") && v) max_ops = strtoull(v, NULL, 10), i++;
        else if (!strcmp(a, "--policy") && v) {
            if (!strcmp(v, "greedy")) policy = INAS_POLICY_GREEDY;
            else if (!strcmp(v, "batch")) policy = INAS_POLICY_BATCH;
            else usage();
            i++;
        } else if (!strcmp(a, "--torn")) torn = 1;
        else if (!strncmp(a, "--torn=", 7)) {
            const char *shape = a + 7;
            char *end = NULL;
            torn = 1;
            if (!strcmp(shape, "byte")) torn_shape = INAS_TORN_BYTE;
            else if (!strncmp(shape, "cut", 3)) torn_shape = INAS_TORN_CUT, shape += 3;
            else if (!strncmp(shape, "stale", 5)) torn_shape = INAS_TORN_STALE, shape += 5;
            else usage();
            if (torn_shape != INAS_TORN_BYTE && *shape == ':') {
                const unsigned long k = strtoul(shape + 1, &end, 10);
                if (end == shape + 1 || *end != '\0' || k >= 0xFFFFFFFFul || (torn_shape == INAS_TORN_CUT && k == 0u)) usage();
                torn_k = (uint32_t)k;
            } else if (torn_shape != INAS_TORN_BYTE && *shape != '\0') usage();
        }
        else if (!strcmp(a, "--exit-on-failure")) g_sim.exit_on_failure = 1;
        else usage();
    }
    fail.torn = torn;
    fail.torn_shape = torn_shape;
    fail.torn_k = torn_k;
    fail.policy = policy;
    if (!strcmp(failures, "none")) fail.mode = INAS_FAIL_NONE;
    else if (!strncmp(failures, "every:", 6)) fail.mode = INAS_FAIL_EVERY_WRITES, every = strtoull(failures + 6, NULL, 10);
    else if (!strncmp(failures, "every-cycles:", 13)) fail.mode = INAS_FAIL_EVERY_CYCLES, every = strtoull(failures + 13, NULL, 10);
    else if (!strncmp(failures, "at:", 3)) fail.mode = INAS_FAIL_AT_WRITE, at = strtoull(failures + 3, NULL, 10);
    else if (!strncmp(failures, "random:", 7)) {
        char *end;
        fail.mode = INAS_FAIL_RANDOM;
        seed = strtoull(failures + 7, &end, 10);
        if (*end == ':') mean = strtod(end + 1, NULL);
        if (mean < 1.0) usage();
    } else if (!strcmp(failures, "energy")) fail.mode = INAS_FAIL_ENERGY;
    else if (!strcmp(failures, "exhaustive")) exhaustive = 1;
    else usage();
    if ((fail.mode == INAS_FAIL_EVERY_WRITES || fail.mode == INAS_FAIL_EVERY_CYCLES) && every == 0u) usage();
    if (trace_path) {
        if (load_trace(trace_path, &trace_t, &trace_p, &trace_n) != 0) {
            fprintf(stderr, "inas_host: cannot read power trace %s (want lines 'time_s power_w', >= 2)\n", trace_path);
            return 2;
        }
        fail.trace_t_s = trace_t;
        fail.trace_p_w = trace_p;
        fail.trace_len = trace_n;
    }

    if (!strcmp(uart_path, "-")) uart = stdout;
    else if (!strcmp(uart_path, "none")) uart = NULL;
    else if (!(uart = fopen(uart_path, "w"))) {
        fprintf(stderr, "inas_host: cannot open UART output %s\n", uart_path);
        return 2;
    }
    g_sim.mismatch_log = stderr;
    if (inas_host_init(INAS_NVM_SIZE_BYTES, uart, &prof) != 0) return 1;
    inas_host_on_power_fail(power_fail);
    inas_host_on_result(on_result);
    if (g_sim.nvm_path) {
        FILE *f = fopen(g_sim.nvm_path, "rb");
        if (f) {
            size_t got = fread(inas_host_nvm(), 1u, INAS_NVM_SIZE_BYTES, f);
            fclose(f);
            if (got != INAS_NVM_SIZE_BYTES) memset(inas_host_nvm(), 0, INAS_NVM_SIZE_BYTES);
        }
    }

    g_sim.quiet_provision = !exhaustive;
    if (inject_path) {
        int rc;
        if (exhaustive || g_sim.exit_on_failure || g_sim.nvm_path) {
            fprintf(stderr, "inas_host: --inject runs its own runs: not with --failures exhaustive, --nvm or --exit-on-failure\n");
            return 2;
        }
        rc = run_campaign(inject_path, &fail, every, at, mean, inferences, max_ops);
        if (uart && uart != stdout) fclose(uart);
        free(trace_t);
        free(trace_p);
        return rc;
    }
    if (exhaustive) {
        /* Reference run: how many NVM writes does one inference from a fresh image take? */
        uint64_t w0, total, k;
        int variant;
        fail.mode = INAS_FAIL_NONE;
        inas_host_set_failures(&fail);
        memset(inas_host_nvm(), 0, INAS_NVM_SIZE_BYTES);
        w0 = inas_host_stats()->nvm_writes;
        st = run_once(inferences);
        total = inas_host_stats()->nvm_writes - w0;
        g_reference_writes = total;
        g_sim.runs = 1;
        for (k = 1; st == INAS_OK && k <= total; k++) {
            for (variant = 0; variant <= torn && st == INAS_OK; variant++) {
                memset(inas_host_nvm(), 0, INAS_NVM_SIZE_BYTES);
                fail.mode = INAS_FAIL_AT_WRITE;
                fail.torn = variant;
                fail.n = inas_host_stats()->nvm_writes + k;
                inas_host_set_failures(&fail);
                st = run_once(inferences);
                g_sim.runs++;
                g_points++;
            }
        }
    } else {
        for (i = 0; i < runs && st == INAS_OK && !g_sim.no_progress; i++) {
            if (runs > 1u) memset(inas_host_nvm(), 0, INAS_NVM_SIZE_BYTES);
            fail.seed = seed + i;
            fail.n = fail.mode == INAS_FAIL_AT_WRITE ? inas_host_stats()->nvm_writes + at : every;
            fail.mean_points = mean;
            inas_host_set_failures(&fail);
            st = run_once(inferences);
            g_sim.runs++;
        }
    }
    save_nvm();
    if (uart && uart != stdout) fclose(uart);
    print_summary(st);
    free(trace_t);
    free(trace_p);
    if (st != INAS_OK) return 1;
    if (g_sim.no_progress) return 3;
    return g_sim.mismatches ? 4 : 0;
}
