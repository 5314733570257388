/*
 * Firmware entry of the protocol build for mspdebug's simulator: the shared protocol loop
 * (firmware/proto/board_loop.c) with the simulator's port (proto_port_sim.c), which loads the compiled-in image
 * through the loader and queues INAS_SIM_INFERENCES inferences. Output: protocol lines on the console device. A
 * reset (`step N` + `reset`) is a power failure: the next boot resumes from NVM. Stops at inas_sim_halt (R12 =
 * status) when the inferences are done.
 */
#include <stdint.h>

#include "board_loop.h"
#include "hal_sim.h"
#include "inas_proto.h"
#include "platform.h"

/* The simulator's MCLK is nominal: stamps are cycles of the 16 MHz part. */
#define SIM_TICK_HZ 16000000ul

int main(void) {
  inas_proto_cfg_t cfg;
  inas_platform_init();
  inas_sim_stats_boot();
  inas_board_cfg(&cfg, SIM_TICK_HZ);
  return (int)inas_board_run(&cfg);
}
