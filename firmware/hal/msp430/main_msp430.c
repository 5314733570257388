/*
 * Firmware entry for the MSP430FR5994 board: bring up clocks, console, timer, the NVM (external SPI FRAM unless
 * INAS_BOARD_NVM_FRAM) and the Comparator_E voltage monitor, boot the engine (which resumes from the committed
 * progress after every power failure) and run inferences: INAS_BOARD_INFERENCES of them, or forever when 0.
 */
#include <stdint.h>

#include "board.h"
#include "engine.h"
#include "events.h"
#include "platform.h"

#ifndef INAS_BOARD_NVM_FRAM
#define INAS_BOARD_NVM_FRAM 0
#endif
#ifndef INAS_BOARD_INFERENCES
#define INAS_BOARD_INFERENCES 0u
#endif
#ifndef INAS_BOARD_SHUTDOWN_TAP
#define INAS_BOARD_SHUTDOWN_TAP 0u
#endif

int main(void) {
  inas_status_t st;
  inas_platform_init();
#if !INAS_BOARD_NVM_FRAM
  if (inas_extfram_init() != 0u) {
    inas_event_error(INAS_E_NVM_IO, 0xFFFFu);
    return (int)INAS_E_NVM_IO;
  }
#endif
  inas_vmon_init((uint16_t)INAS_BOARD_SHUTDOWN_TAP, (void (*)(void))0);
  inas_board_dot_init();
  st = inas_engine_boot();
  while (st == INAS_OK) {
    const uint32_t done = inas_engine_inference();
    if ((uint32_t)INAS_BOARD_INFERENCES != 0u && done >= (uint32_t)INAS_BOARD_INFERENCES) {
      break;
    }
    st = inas_engine_run(done + 1u);
  }
  return (int)st;
}
