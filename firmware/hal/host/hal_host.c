/* hal_host.c: the host simulator HAL (see hal_host.h and firmware/README.md "Host HAL"). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "hal_host.h"
#include "../hal.h"

static struct {
    uint8_t *nvm;
    uint32_t size;
    FILE *uart;
    inas_host_profile_t prof;
    inas_host_failures_t f;
    inas_host_stats_t st;
    int quiet;
    uint64_t next_point; /* RANDOM: fail when st.points reaches this */
    uint64_t next_cycle; /* EVERY_CYCLES: fail when st.cycles reaches this */
    uint64_t rng;
    double e_j;          /* ENERGY: energy stored in the capacitor */
    void (*fail)(void);
    void (*result)(uint32_t, uint16_t, const int16_t *, uint16_t);
    inas_host_fault_t *inj;    /* armed faults (fault campaigns) */
    uint32_t inj_n;
    uint64_t run_writes0;      /* st.nvm_writes at the start of the run */
    uint64_t run_ops;          /* NVM reads + writes in the run */
    uint64_t max_ops;          /* hang budget (0: none) */
    void (*exhausted)(void);
    void (*stage)(uint32_t *, int32_t *);
    uint64_t run_torn0;        /* st.torn_writes at the start of the run */
} h;

/* splitmix64: seeded, reproducible. */
static uint64_t rng_next(void)
{
    uint64_t z = (h.rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint64_t random_gap(void)
{
    const uint64_t span = (uint64_t)(2.0 * h.f.mean_points);
    return 1u + (span > 1u ? rng_next() % span : 0u);
}

static double e_level(double v)
{
    return 0.5 * h.prof.capacitance_f * v * v;
}

static double volts(void)
{
    return sqrt(2.0 * h.e_j / h.prof.capacitance_f);
}

static double sim_time_s(void)
{
    return h.st.on_time_s + h.st.off_time_s;
}

/* Harvested power (W) right now: from the trace (piecewise constant, looping), or the RC harvester. */
static double harvest_w(void)
{
    if (h.f.trace_len > 0u) {
        const double period = h.f.trace_t_s[h.f.trace_len - 1u];
        double t = period > 0.0 ? fmod(sim_time_s(), period) : 0.0;
        uint32_t i = 0;
        while (i + 1u < h.f.trace_len && h.f.trace_t_s[i + 1u] <= t) i++;
        return h.f.trace_p_w[i];
    }
    {
        const double v = volts();
        return h.prof.vsup_v > v ? (h.prof.vsup_v - v) / h.prof.harvester_resistance_ohm * v : 0.0;
    }
}

static void power_fail(void)
{
    h.st.power_failures++;
    h.fail();
}

/*
 * Spends e joules over dt seconds. Returns the fraction of the operation that completed before the supply fell
 * below Voff (1.0 = all of it); the caller fails the power when it is < 1.
 */
static double charge(double e, double dt)
{
    double frac = 1.0;
    if (h.f.mode == INAS_FAIL_ENERGY) {
        const double avail = h.e_j - e_level(h.prof.voff_v);
        const double net = e - harvest_w() * dt;
        if (net > avail) {
            frac = avail > 0.0 && net > 0.0 ? avail / net : 0.0;
            h.e_j = e_level(h.prof.voff_v);
        } else {
            h.e_j -= net;
            if (h.e_j > e_level(h.prof.vsup_v)) h.e_j = e_level(h.prof.vsup_v);
        }
    }
    h.st.energy_j += e * frac;
    h.st.on_time_s += dt * frac;
    h.st.cycles += (uint64_t)(dt * frac * h.prof.clock_hz + 0.5);
    return frac;
}

static double cost_e(const inas_host_cost_t *c, double x)
{
    return c->energy_j + c->per_elem_j * x;
}

static double cost_l(const inas_host_cost_t *c, double x)
{
    return c->latency_s + c->per_elem_s * x;
}

/* One instrumentation point (a place where a failure may be injected without touching NVM). */
static void point(void)
{
    if (h.quiet) return;
    h.st.points++;
    if (h.f.mode == INAS_FAIL_RANDOM && h.st.points >= h.next_point) {
        h.next_point = h.st.points + random_gap();
        power_fail();
    }
    if (h.f.mode == INAS_FAIL_EVERY_CYCLES && h.st.cycles >= h.next_cycle) {
        h.next_cycle = (h.st.cycles / h.f.n + 1u) * h.f.n;
        power_fail();
    }
}

int inas_host_init(uint32_t nvm_size_bytes, FILE *uart, const inas_host_profile_t *profile)
{
    memset(&h, 0, sizeof h);
    h.nvm = (uint8_t *)calloc(nvm_size_bytes ? nvm_size_bytes : 1u, 1u);
    if (!h.nvm) return -1;
    h.size = nvm_size_bytes;
    h.uart = uart;
    h.prof = *profile;
    h.e_j = e_level(profile->von_v);
    return 0;
}

uint8_t *inas_host_nvm(void)
{
    return h.nvm;
}

void inas_host_set_failures(const inas_host_failures_t *f)
{
    h.f = *f;
    h.rng = f->seed;
    h.next_point = f->mode == INAS_FAIL_RANDOM ? h.st.points + random_gap() : 0u;
    h.next_cycle = f->mode == INAS_FAIL_EVERY_CYCLES && f->n > 0u ? (h.st.cycles / f->n + 1u) * f->n : 0u;
    h.e_j = e_level(h.prof.von_v);
}

void inas_host_on_power_fail(void (*handler)(void))
{
    h.fail = handler;
}

void inas_host_on_result(void (*cb)(uint32_t, uint16_t, const int16_t *, uint16_t))
{
    h.result = cb;
}

void inas_host_quiet(int quiet)
{
    h.quiet = quiet;
}

const inas_host_stats_t *inas_host_stats(void)
{
    return &h.st;
}

double inas_host_voltage_v(void)
{
    return h.f.mode == INAS_FAIL_ENERGY ? volts() : h.prof.von_v;
}

void inas_host_power_up(int after_outage)
{
    if (h.f.mode == INAS_FAIL_ENERGY && after_outage) {
        const double e_on = e_level(h.prof.von_v);
        if (h.f.trace_len > 0u) {
            /* Integrate the trace until the capacitor is back at Von (bounded: 1e7 steps). */
            uint32_t guard = 0;
            while (h.e_j < e_on && guard++ < 10000000u) {
                const double p = harvest_w();
                const double dt = 1e-3;
                h.e_j += p * dt;
                h.st.off_time_s += dt;
            }
        } else if (h.prof.vsup_v > h.prof.von_v) {
            const double v = volts();
            if (v < h.prof.von_v) {
                h.st.off_time_s += h.prof.harvester_resistance_ohm * h.prof.capacitance_f *
                                   log((h.prof.vsup_v - v) / (h.prof.vsup_v - h.prof.von_v));
            }
        }
        h.e_j = e_on;
    }
    (void)charge(h.prof.reboot.energy_j, h.prof.reboot.latency_s);
}

/* ---- fault injection ---------------------------------------------------------------------------------------- */

static uint8_t corrupt(const inas_host_fault_t *f, uint8_t old);

static void inject_apply(inas_host_fault_t *f)
{
    const uint8_t old = h.nvm[f->addr];
    const uint8_t now = corrupt(f, old);
    h.nvm[f->addr] = now;
    if (!f->applied) {
        f->applied = 1u;
        f->old = old;
        f->now = now;
    }
}

void inas_host_inject(inas_host_fault_t *faults, uint32_t n)
{
    h.inj = n ? faults : NULL;
    h.inj_n = n;
    h.run_writes0 = h.st.nvm_writes;
    h.run_torn0 = h.st.torn_writes;
    h.run_ops = 0;
}

void inas_host_on_stage(void (*fn)(uint32_t *inference, int32_t *stage))
{
    h.stage = fn;
}

uint64_t inas_host_run_torn(void)
{
    return h.st.torn_writes - h.run_torn0;
}

/* Corrupts one byte of a value by a fault's kind and mask. */
static uint8_t corrupt(const inas_host_fault_t *f, uint8_t old)
{
    switch (f->kind) {
    case INAS_INJ_SA0: return (uint8_t)(old & (uint8_t)~f->mask);
    case INAS_INJ_SA1: return (uint8_t)(old | f->mask);
    default: return (uint8_t)(old ^ f->mask);
    }
}

/*
 * After a read of [addr, addr + len) into dst (SRAM): ON_READ faults on a byte it loaded corrupt the copy (volatile:
 * NVM keeps the right value, the next load of the byte is clean unless the fault matches again).
 */
static void inject_on_read(inas_nvm_addr_t addr, uint8_t *dst, uint32_t len)
{
    uint32_t i, inference = 0;
    int32_t stage = -2;
    for (i = 0; i < h.inj_n; i++) {
        inas_host_fault_t *f = &h.inj[i];
        if (f->when != INAS_INJ_ON_READ || f->addr < addr || f->addr - addr >= len) continue;
        if (stage == -2) {
            if (!h.stage) return;
            h.stage(&inference, &stage);
        }
        if ((int64_t)stage != (int64_t)f->stage) continue;
        if (f->inference != INAS_INJ_ANY_INFERENCE && f->inference != inference) continue;
        f->seen++;
        if (f->nth != 0u && f->seen != f->nth) continue;
        {
            uint8_t *b = dst + (f->addr - addr);
            const uint8_t old = *b;
            *b = corrupt(f, old);
            if (!f->applied) {
                f->applied = 1u;
                f->old = old;
                f->now = *b;
            }
        }
    }
}

void inas_host_inject_boot(void)
{
    uint32_t i;
    for (i = 0; i < h.inj_n; i++) {
        inas_host_fault_t *f = &h.inj[i];
        if ((f->when == INAS_INJ_AT_BOOT || f->when == INAS_INJ_PERMANENT) && f->addr < h.size) inject_apply(f);
    }
}

void inas_host_set_budget(uint64_t max_ops, void (*on_exhausted)(void))
{
    h.max_ops = max_ops;
    h.exhausted = on_exhausted;
}

uint64_t inas_host_run_writes(void)
{
    return h.st.nvm_writes - h.run_writes0;
}

/* After a (possibly torn) write of [addr, addr + len): AFTER_WRITE faults due now, PERMANENT faults it touched. */
static void inject_after_write(inas_nvm_addr_t addr, uint32_t len)
{
    const uint64_t k = h.st.nvm_writes - h.run_writes0;
    uint32_t i;
    for (i = 0; i < h.inj_n; i++) {
        inas_host_fault_t *f = &h.inj[i];
        if (f->addr >= h.size) continue;
        if ((f->when == INAS_INJ_AFTER_WRITE && f->write == k) ||
            (f->when == INAS_INJ_PERMANENT && f->addr >= addr && f->addr - addr < len)) {
            inject_apply(f);
        }
    }
}

/* Counts one NVM operation of the run against the hang budget. */
static void budget(void)
{
    if (++h.run_ops > h.max_ops && h.max_ops > 0u && h.exhausted) h.exhausted();
}

/* ---- hal.h --------------------------------------------------------------------------------------------------- */

inas_status_t inas_hal_nvm_read(inas_nvm_addr_t addr, void *dst, uint32_t len)
{
    if ((uint64_t)addr + len > h.size) return INAS_E_NVM_RANGE;
    if (!h.quiet) budget();
    memcpy(dst, h.nvm + addr, len);
    if (h.inj_n && !h.quiet) inject_on_read(addr, (uint8_t *)dst, len);
    if (!h.quiet) {
        const double x = (len + 1u) / 2u;
        h.st.nvm_reads++;
        h.st.nvm_read_bytes += len;
        if (charge(cost_e(&h.prof.nvm_read, x), cost_l(&h.prof.nvm_read, x)) < 1.0) power_fail();
        point();
    }
    return INAS_OK;
}

inas_status_t inas_hal_nvm_write(inas_nvm_addr_t addr, const void *src, uint32_t len)
{
    uint32_t cut = len;
    int32_t stale = -1;
    double frac = 1.0;
    int fail = 0;
    if ((uint64_t)addr + len > h.size) return INAS_E_NVM_RANGE;
    if (h.quiet) h.st.quiet_nvm_writes++;
    else {
        const double x = (len + 1u) / 2u;
        budget();
        h.st.nvm_writes++;
        h.st.points++;
        switch (h.f.mode) {
        case INAS_FAIL_EVERY_WRITES: fail = h.f.n > 0u && h.st.nvm_writes % h.f.n == 0u; break;
        case INAS_FAIL_AT_WRITE: fail = h.st.nvm_writes == h.f.n; break;
        case INAS_FAIL_RANDOM:
            if (h.st.points >= h.next_point) {
                fail = 1;
                h.next_point = h.st.points + random_gap();
            }
            break;
        default: break;
        }
        if (fail) {
            if (!h.f.torn) cut = 0;
            else if (h.f.torn_shape == INAS_TORN_CUT) {
                const uint32_t words = (len + 1u) / 2u;
                uint32_t k = h.f.torn_k;
                if (k == INAS_TORN_RANDOM_K) k = words > 1u ? (uint32_t)(1u + rng_next() % (words - 1u)) : 0u;
                cut = k >= words ? len : 2u * k;
            } else if (h.f.torn_shape == INAS_TORN_STALE) {
                const uint32_t words = (len + 1u) / 2u;
                uint32_t k = h.f.torn_k;
                if (k == INAS_TORN_RANDOM_K) k = (uint32_t)(rng_next() % words);
                if (k >= words) k = words - 1u;
                stale = (int32_t)k;
                cut = len;
            } else if (h.f.mode == INAS_FAIL_RANDOM) cut = len > 1u ? (uint32_t)(1u + rng_next() % (len - 1u)) : 0u;
            else cut = len / 2u;
        }
        frac = charge(cost_e(&h.prof.nvm_write, x), cost_l(&h.prof.nvm_write, x));
        if (frac < 1.0) {
            const uint32_t c = (uint32_t)(frac * len);
            fail = 1;
            stale = -1; /* energy mode: the capacitor cut the write short (a prefix landed) */
            if (c < cut) cut = c;
        }
        h.st.nvm_write_bytes += cut;
    }
    if (stale >= 0) {
        /* Every word lands but word `stale` (bytes 2k, 2k+1 within the write), which keeps its old value. */
        const uint32_t b0 = 2u * (uint32_t)stale, b1 = b0 + 2u < len ? b0 + 2u : len;
        memcpy(h.nvm + addr, src, b0);
        memcpy(h.nvm + addr + b1, (const uint8_t *)src + b1, len - b1);
    } else {
        memcpy(h.nvm + addr, src, cut);
    }
    if (h.inj_n && !h.quiet) inject_after_write(addr, cut);
    if (fail) {
        if (cut > 0u && (cut < len || stale >= 0)) h.st.torn_writes++;
        power_fail();
    }
    return INAS_OK;
}

uint32_t inas_hal_nvm_size(void)
{
    return h.size;
}

void inas_hal_uart_write(const uint8_t *buf, uint16_t len)
{
    if (h.uart) fwrite(buf, 1u, len, h.uart);
}

uint32_t inas_hal_ticks(void)
{
    return (uint32_t)h.st.cycles;
}

uint16_t inas_hal_voltage_mv(void)
{
    return (uint16_t)(inas_host_voltage_v() * 1000.0 + 0.5);
}

void inas_hal_account(uint8_t op, uint32_t count, uint16_t arg)
{
    const inas_host_cost_t *c;
    double x = 0.0;
    if (h.quiet) return;
    switch (op) {
    case INAS_OP_VMAC: c = &h.prof.vmac; x = arg; break;
    case INAS_OP_MAC_OVHD: c = &h.prof.mac_ovhd; break;
    case INAS_OP_POOL: c = &h.prof.pool; break;
    case INAS_OP_DIV: c = &h.prof.div; break;
    case INAS_OP_FD_I: c = &h.prof.fd_i; break;
    case INAS_OP_FD_W: c = &h.prof.fd_w; break;
    case INAS_OP_FD_O: c = &h.prof.fd_o[arg < 3u ? arg : 0u]; break;
    default: c = &h.prof.bd_o[arg < 3u ? arg : 0u]; break;
    }
    if (charge(count * cost_e(c, x), count * cost_l(c, x)) < 1.0) power_fail();
    point();
}

void inas_hal_on_tiles(uint32_t tiles)
{
    if (h.quiet) return;
    h.st.tiles += tiles;
}

void inas_hal_on_commit(void)
{
    if (h.quiet) return;
    h.st.commits++;
    if (h.f.mode == INAS_FAIL_ENERGY && h.f.policy == INAS_POLICY_BATCH) {
        h.st.shutdowns++;
        h.fail();
    }
}

void inas_hal_on_result(uint32_t inference, uint16_t cls, const int16_t *logits, uint16_t n)
{
    if (h.result) h.result(inference, cls, logits, n);
}
