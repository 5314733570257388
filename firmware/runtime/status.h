/*
 * status.h: inas_status_t = (category << 8) | code, 0 = ok (STYLE rule 22). The TS side decodes these from the
 * table in firmware/README.md ("Status codes").
 */
#ifndef INAS_STATUS_H
#define INAS_STATUS_H

#include <stdint.h>

typedef uint16_t inas_status_t;

#define INAS_OK ((inas_status_t)0)

/* Categories. */
#define INAS_CAT_MODEL 0x01u /* layer descriptor / model table rejected at boot */
#define INAS_CAT_NVM 0x02u   /* NVM access or image problem */
#define INAS_CAT_HAL 0x03u   /* platform problem */
#define INAS_CAT_INPUT 0x04u /* input source problem */

#define INAS_STATUS(cat, code) ((inas_status_t)((((uint16_t)(cat)) << 8) | (uint16_t)(code)))
#define INAS_STATUS_CATEGORY(st) ((uint8_t)((st) >> 8))

/* Model (layer descriptor) checks. */
#define INAS_E_LAYER_TYPE INAS_STATUS(INAS_CAT_MODEL, 1)     /* unknown layer type */
#define INAS_E_SHAPE INAS_STATUS(INAS_CAT_MODEL, 2)          /* shapes inconsistent (kernel/ifm/ofm) */
#define INAS_E_TILE_DIVIDE INAS_STATUS(INAS_CAT_MODEL, 3)    /* a tile size does not divide its dimension */
#define INAS_E_S_DIVIDE INAS_STATUS(INAS_CAT_MODEL, 4)       /* S does not divide the batched loop */
#define INAS_E_SRAM INAS_STATUS(INAS_CAT_MODEL, 5)           /* a tile does not fit the SRAM buffers */
#define INAS_E_SHIFT INAS_STATUS(INAS_CAT_MODEL, 6)          /* requantisation shift out of [-15, 31] */
#define INAS_E_ORDER INAS_STATUS(INAS_CAT_MODEL, 7)          /* loop order not allowed for this layer type */
#define INAS_E_WEIGHT_BITS INAS_STATUS(INAS_CAT_MODEL, 8)    /* weight width not 8 or 16 */
#define INAS_E_WINDOW INAS_STATUS(INAS_CAT_MODEL, 9)         /* pooling window too large (> 65535 elements) */
#define INAS_E_MODEL_TABLE INAS_STATUS(INAS_CAT_MODEL, 10)   /* layer chain inconsistent */
/* NVM. */
#define INAS_E_NVM_RANGE INAS_STATUS(INAS_CAT_NVM, 1)        /* access outside the NVM */
#define INAS_E_NVM_IMAGE INAS_STATUS(INAS_CAT_NVM, 2)        /* weights image CRC mismatch */
#define INAS_E_NVM_IO INAS_STATUS(INAS_CAT_NVM, 3)           /* the backend reported an error */
/* HAL. */
#define INAS_E_HAL INAS_STATUS(INAS_CAT_HAL, 1)
/* Input. */
#define INAS_E_INPUT INAS_STATUS(INAS_CAT_INPUT, 1)          /* the input source has no input for this inference */

#endif /* INAS_STATUS_H */
