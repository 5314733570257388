/*
 * engine.h: the intermittent inference engine. It walks each layer's execution design (tiles Tr/Tc/Tm/Tn, loop
 * order, preservation batch S), moves tiles between NVM and static SRAM buffers, calls the kernels, and commits
 * progress every S tiles (firmware/README.md "Commit protocol"). All volatile state lives in one static struct
 * that inas_engine_boot() rebuilds from NVM, so a power failure at any instruction is survived by booting again.
 */
#ifndef INAS_ENGINE_H
#define INAS_ENGINE_H

#include <stdint.h>
#include "status.h"
#include "layer.h"

/**
 * Boot: forget all volatile state, provision the NVM image when its header does not match the model (weights
 * image, cleared progress slots, then the header), check every layer descriptor, load the newest valid progress
 * record, emit the boot event.
 */
inas_status_t inas_engine_boot(void);

/**
 * Prepares NVM without running anything: checks the model and provisions the image when its header does not match
 * (what flashing does on a board). inas_engine_boot() does the same first; a simulator calls this to provision
 * with failures disabled.
 */
inas_status_t inas_engine_prepare(void);

/** Runs from the committed progress until the committed inference counter reaches `until_inference`. */
inas_status_t inas_engine_run(uint32_t until_inference);

/** The committed inference counter (valid after boot). */
uint32_t inas_engine_inference(void);

/** Tiles one uninterrupted inference computes (sum over layers). */
uint32_t inas_engine_schedule_tiles(void);

/** The model compiled into this firmware. */
const inas_model_t *inas_engine_model(void);

#endif /* INAS_ENGINE_H */
