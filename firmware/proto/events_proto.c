/*
 * events_proto.c: the engine's events (runtime/events.h) as checksummed protocol lines (inas_proto.h) instead of the
 * plain-text default. Per-layer and per-inference accumulators (on-time ticks, power cycles, NVM writes) must
 * survive power failures: on the host board they live in static memory, which the simulator keeps across its
 * simulated outages; MSP430 builds place them in FRAM that crt0 never touches (INAS_PERSISTENT, hal.h).
 */
#include "inas_proto.h"
#include "events.h"
#include "events_proto.h"
#include "golden.h"
#include "hal.h"
#include "nvm.h"

static INAS_PERSISTENT struct {
  uint32_t inference;    /* inference being run */
  uint16_t layer;        /* layer being accumulated (valid while `cur` is set) */
  uint16_t cur;          /* 1: layer_ticks/layer_cycles belong to `layer` (0 in zeroed FRAM: none) */
  uint16_t open;         /* 1: a segment of `layer` is running since seg_start (in this power cycle) */
  uint32_t seg_start;    /* ticks at the start of the open segment */
  uint32_t layer_ticks;  /* on-time of the current layer so far */
  uint32_t layer_cycles; /* power cycles the current layer ran in */
  uint32_t inf_ticks, inf_cycles;
  uint32_t last_result;  /* inference whose RESULT was printed last (+1; 0 = none) */
  uint32_t last_total;   /* inference whose TOTAL was printed last (+1; 0 = none) */
  uint32_t acc_inf;      /* inference the accumulators belong to (+1; 0 = none) */
  uint32_t nvm_base;     /* runtime NVM write count when that inference began */
  uint32_t boot_ticks;   /* ticks at this boot */
} ev;

void inas_proto_events_begin(uint32_t inference)
{
  if (ev.acc_inf == inference + 1u) return; /* resumed after a power failure: keep counting */
  ev.inference = inference;
  ev.inf_ticks = 0;
  ev.inf_cycles = 0;
  ev.nvm_base = inas_nvm_write_count();
  ev.acc_inf = inference + 1u;
}

void inas_proto_events_total(uint32_t inference)
{
  uint32_t writes;
  if (ev.last_total == inference + 1u) return; /* already printed before a power failure */
  writes = ev.acc_inf == inference + 1u ? inas_nvm_write_count() - ev.nvm_base : 0u;
  inas_evt_total(inference, ev.inf_ticks, ev.inf_cycles, writes);
  ev.last_total = inference + 1u;
}

void inas_proto_events_boot(uint32_t ticks_now)
{
  ev.boot_ticks = ticks_now;
  ev.open = 0; /* a segment of the previous power cycle ended with it (banked up to its last commit) */
}

/* Adds the open segment's on-time up to now to the layer. */
static void bank(uint32_t ticks_now)
{
  if (ev.open != 0u && ev.cur != 0u) {
    ev.layer_ticks += ticks_now - ev.seg_start;
    ev.seg_start = ticks_now;
  }
}

void inas_proto_events_commit(uint32_t ticks_now)
{
  bank(ticks_now);
}

void inas_proto_events_power_lost(uint32_t ticks_now, const char *reason)
{
  bank(ticks_now);
  ev.open = 0;
  inas_evt_off(ticks_now - ev.boot_ticks, ev.cur != 0u ? ev.layer : 0u, reason);
}

void inas_event_boot(const char *version, const char *settings_digest, uint32_t inference, uint16_t layer,
                     uint32_t tiles_done)
{
  (void)version;
  (void)settings_digest;
  ev.inference = inference;
  inas_evt_resume(inference, layer, tiles_done);
}

void inas_event_layer_start(uint16_t layer, uint32_t tiles_done, uint32_t ticks)
{
  if (ev.cur == 0u || layer != ev.layer) {
    /* A new layer. `cur` goes last, so a reset in between never pairs the old counts with the new layer. */
    ev.cur = 0;
    ev.layer = layer;
    ev.layer_ticks = 0;
    ev.layer_cycles = 0;
    ev.cur = 1;
  }
  ev.layer_cycles++;
  inas_evt_ls(ev.inference, layer, tiles_done, ticks - ev.boot_ticks);
  /* The segment starts after the LS line: on a board, sending it (~3 ms at 115200 baud) is not the layer's work. */
  ev.seg_start = inas_hal_ticks();
  ev.open = 1;
}

void inas_event_layer_end(uint16_t layer, uint32_t ticks)
{
  if (ev.cur != 0u && layer == ev.layer) {
    bank(ticks);
  } else { /* no record of this layer's start: report one cycle, no on-time */
    ev.layer_ticks = 0;
    ev.layer_cycles = 1;
  }
  ev.inf_ticks += ev.layer_ticks;
  ev.inf_cycles += ev.layer_cycles;
  inas_evt_layer(ev.inference, layer, ticks - ev.boot_ticks, ev.layer_ticks, ev.layer_cycles);
  ev.open = 0;
  ev.cur = 0;
}

void inas_event_result(uint32_t inference, uint16_t cls, const int16_t *logits, uint16_t n, uint32_t ticks)
{
  (void)ticks;
  if (ev.last_result == inference + 1u) return; /* re-emitted after a power failure: already printed */
  ev.last_result = inference + 1u;
  inas_evt_result(inference, inference % (uint32_t)INAS_GOLDEN_COUNT, cls, logits, n);
}

void inas_event_error(inas_status_t status, uint16_t layer)
{
  inas_evt_err(status, layer, "engine");
}
