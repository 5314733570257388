/* board_loop.c: the protocol main loop shared by every board build; see board_loop.h and README.md. */
#include "board_loop.h"
#include "events_proto.h"
#include "engine.h"
#include "hal.h"
#include "nvm.h"
#include "model.h"

#ifndef INAS_FW_CRC
#define INAS_FW_CRC 0u
#endif

/* ---- the NVM and image parts of the proto port (the same on every platform) ---- */
/* The protocol's own record and image chunks go straight to the HAL: the runtime's NVM write count (TOTAL) is the
 * engine's work only. */
void inas_proto_port_nvm_write(uint32_t addr, const uint8_t *data, uint16_t len)
{
  (void)inas_hal_nvm_write(addr, data, len);
}

void inas_proto_port_nvm_read(uint32_t addr, uint8_t *data, uint16_t len)
{
  uint16_t i;
  if (inas_hal_nvm_read(addr, data, len) != INAS_OK) {
    for (i = 0; i < len; i++) data[i] = 0xFFu;
  }
}

uint16_t inas_proto_port_image_committed(uint32_t size, uint32_t crc32)
{
  if (size != INAS_WEIGHTS_SIZE_BYTES || crc32 != INAS_WEIGHTS_CRC32) return INAS_E_NVM_IMAGE; /* not this model's image */
  return inas_nvm_write_header(INAS_MODEL_ID, crc32);
}

void inas_proto_port_image_invalidated(void)
{
  static const uint8_t zeros[32] = {0};
  (void)inas_hal_nvm_write(INAS_NVM_HEADER_ADDR, zeros, sizeof zeros);
}

/* Highest NVM byte the model's plan uses; the protocol record lies above it. */
static uint32_t plan_end(void)
{
  uint32_t e = INAS_NVM_WEIGHTS_ADDR + INAS_WEIGHTS_SIZE_BYTES, x;
  x = INAS_NVM_BUF0_ADDR + INAS_NVM_FM_BUFFER_BYTES;
  if (x > e) e = x;
  x = INAS_NVM_BUF1_ADDR + INAS_NVM_FM_BUFFER_BYTES;
  if (x > e) e = x;
  x = INAS_NVM_PSUM0_ADDR + 4u * INAS_NVM_PSUM_ELEMS;
  if (x > e) e = x;
  x = INAS_NVM_PSUM1_ADDR + 4u * INAS_NVM_PSUM_ELEMS;
  if (x > e) e = x;
  return e;
}

void inas_board_cfg(inas_proto_cfg_t *cfg, uint32_t tick_hz)
{
  cfg->record_addr = INAS_NVM_SIZE_BYTES;
  cfg->image_addr = INAS_NVM_WEIGHTS_ADDR;
  cfg->image_capacity_bytes = INAS_WEIGHTS_SIZE_BYTES;
  cfg->fw_crc = INAS_FW_CRC;
  cfg->tick_hz = tick_hz;
  cfg->version = INAS_VERSION;
  cfg->digest = INAS_SETTINGS_DIGEST;
}

uint8_t inas_board_charge_boot;

static void stop_runs(void)
{
  inas_cmd_t stop = {INAS_CMD_STOP, {0}, NULL, 0};
  inas_proto_handle(&stop);
}

inas_status_t inas_board_run(const inas_proto_cfg_t *cfg)
{
  uint8_t engine_booted = 0u;
  inas_proto_events_boot(inas_hal_ticks());
  if (cfg->record_addr < plan_end() || cfg->record_addr > inas_hal_nvm_size() ||
      inas_hal_nvm_size() - cfg->record_addr < INAS_PROTO_RECORD_BYTES) {
    inas_evt_err(INAS_E_NVM_RANGE, cfg->record_addr, "no NVM left for the protocol record");
    return INAS_E_NVM_RANGE;
  }
  inas_board_port_quiet(1u);
  inas_proto_boot_begin(cfg);
  /* The image check (verification after a load, or one scrub chunk) is charged to the simulated power only when
   * asked (the cost model does not include it); it makes progress across power failures either way. */
  if (inas_board_charge_boot != 0u) inas_board_port_quiet(0u);
  (void)inas_proto_boot_check();
  inas_board_port_quiet(0u);
  while (inas_board_port_stop() == 0u) {
    uint32_t e, mark, inf;
    inas_status_t st;
    inas_proto_service();
    if (inas_proto_runs_pending() == 0u) {
      inas_board_port_idle();
      continue;
    }
    if (engine_booted == 0u) {
      st = inas_engine_boot();
      if (st != INAS_OK) {
        inas_evt_err(st, 0u, "engine boot");
        stop_runs();
        continue;
      }
      engine_booted = 1u;
    }
    e = inas_engine_inference();
    mark = inas_proto_run_mark();
    if (mark != 0u && e == mark) {
      /* The engine committed this inference, then power failed before the record counted it: count it now. */
      inf = mark - 1u;
    } else {
      inf = e;
      if (mark != e + 1u) inas_proto_set_run_mark(e + 1u);
      inas_proto_events_begin(inf);
      st = inas_engine_run(e + 1u);
      if (st != INAS_OK) {
        inas_evt_err(st, 0u, "engine run");
        stop_runs();
        continue;
      }
    }
    inas_proto_events_total(inf);
    inas_proto_run_done_mark(inf + 2u);
    if (inas_proto_runs_pending() == 0u) inas_evt_idle(inas_proto_inferences_done());
  }
  return INAS_OK;
}
