/*
 * Firmware entry for the MSP430FR5994 LaunchPad speaking the serial protocol (`inas flash` / `monitor` /
 * `profile`): bring up clocks, the UART (115200 8N1, interrupt-driven receive), the cycle timer, the NVM (external
 * SPI FRAM unless INAS_BOARD_NVM_FRAM) and the voltage monitor, then run the shared protocol loop
 * (firmware/proto/board_loop.c): BOOT, the model loader, RUN/STOP, and the engine, which resumes from its committed
 * progress after every power failure (a reset brings the firmware back here).
 */
#include <stdint.h>

#include "board.h"
#include "board_loop.h"
#include "inas_proto.h"
#include "platform.h"

#ifndef INAS_BOARD_NVM_FRAM
#define INAS_BOARD_NVM_FRAM 0
#endif
#ifndef INAS_BOARD_SHUTDOWN_TAP
#define INAS_BOARD_SHUTDOWN_TAP 0u
#endif
#define BOARD_TICK_HZ 16000000ul

int main(void) {
  inas_proto_cfg_t cfg;
  inas_platform_init();
  inas_board_cfg(&cfg, BOARD_TICK_HZ);
#if !INAS_BOARD_NVM_FRAM
  if (inas_extfram_init() != 0u) {
    inas_evt_err(INAS_E_NVM_IO, 0u, "external SPI FRAM does not answer");
    return (int)INAS_E_NVM_IO;
  }
#endif
  inas_vmon_init((uint16_t)INAS_BOARD_SHUTDOWN_TAP, (void (*)(void))0);
  inas_board_dot_init();
  return (int)inas_board_run(&cfg);
}
