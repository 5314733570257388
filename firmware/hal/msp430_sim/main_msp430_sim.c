/*
 * Firmware entry for mspdebug's simulator: boot the engine (it rebuilds its state from NVM, so this is also the
 * recovery path after an injected reset), run until INAS_SIM_INFERENCES inferences are committed, then stop at
 * inas_sim_halt with the status in R12. Once finished, later resets stop again at once (the committed counter
 * already reached the target).
 */
#include <stdint.h>

#include "engine.h"
#include "platform.h"

#ifndef INAS_SIM_INFERENCES
#define INAS_SIM_INFERENCES 1u
#endif

int main(void) {
  inas_status_t st;
  inas_platform_init();
  st = inas_engine_boot();
  if (st == INAS_OK) {
    st = inas_engine_run((uint32_t)INAS_SIM_INFERENCES);
  }
  return (int)st;
}
