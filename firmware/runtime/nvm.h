/*
 * nvm.h: the one commit API (STYLE rule 20). Data goes through inas_nvm_write, progress through
 * inas_nvm_commit_progress; nothing writes NVM any other way. Layout of the reserved area (bytes 0..127):
 *   0..31   image header: magic "INAS", format, model_id, weights CRC32, check (CRC32 of bytes 0..15)
 *   32..63  progress slot 0   64..95  progress slot 1   (32 bytes each, see inas_progress_t)
 *   96..127 reserved
 * The commit protocol (firmware/README.md "Commit protocol"): a progress record carries a sequence number and a
 * CRC32 check value; record k is written to slot k & 1, i.e. never over the newest valid record. On boot the
 * valid record (check matches, model_id matches) with the highest sequence number wins.
 */
#ifndef INAS_NVM_H
#define INAS_NVM_H

#include <stdint.h>
#include "layer.h"
#include "status.h"

#define INAS_NVM_HEADER_ADDR 0u
#define INAS_NVM_SLOT_ADDR(i) ((inas_nvm_addr_t)(32u + 32u * (uint32_t)(i)))
#define INAS_NVM_RESERVED_BYTES 128u
#define INAS_NVM_MAGIC 0x53414E49u /* "INAS" little-endian */
#define INAS_NVM_FORMAT 1u

/* Special layer values of a progress record. */
#define INAS_STAGE_LOAD 0xFFFFu /* load the input of `inference` into layer 0's input buffer */
/* layer == num_layers: the inference is complete; its result may be (re)emitted. */

/** A progress record (serialised little-endian to 32 bytes; field order = byte order). */
typedef struct {
    uint32_t seq;        /* 0..3   sequence number, +1 per commit */
    uint32_t inference;  /* 4..7   inference counter */
    uint32_t model_id;   /* 8..11  model the record belongs to */
    uint32_t tiles_done; /* 12..15 tiles of `layer` completed and committed */
    uint16_t layer;      /* 16..17 current layer, num_layers = done, INAS_STAGE_LOAD = loading input */
    uint16_t r, c, m, n; /* 18..25 tile indices of the next tile (informative; tiles_done is authoritative) */
    uint16_t reserved;   /* 26..27 */
    uint32_t check;      /* 28..31 CRC32 of bytes 0..27 */
} inas_progress_t;

/** Reads len bytes of NVM at addr. */
inas_status_t inas_nvm_read(inas_nvm_addr_t addr, void *dst, uint32_t len);
/** Writes len bytes of data (feature maps, partial sums, weights image) at addr. */
inas_status_t inas_nvm_write(inas_nvm_addr_t addr, const void *src, uint32_t len);

/** NVM writes issued through this API since the counter was created (data, progress records, header). */
uint32_t inas_nvm_write_count(void);

/**
 * Commits p: sets p->seq = last_seq + 1 and p->check, writes the record to slot p->seq & 1 (the slot NOT holding
 * the newest record), in one write. Everything written before this call is part of the committed state.
 */
inas_status_t inas_nvm_commit_progress(inas_progress_t *p, uint32_t last_seq);

/**
 * Loads the newest valid progress record of model_id into *p. Returns INAS_OK when one was found, INAS_E_NVM_IMAGE
 * when neither slot is valid (fresh NVM: start from scratch), or an I/O status.
 */
inas_status_t inas_nvm_load_progress(inas_progress_t *p, uint32_t model_id);

/** Encodes/decodes a record (exposed for tests). */
void inas_progress_encode(const inas_progress_t *p, uint8_t out[32]);
int inas_progress_decode(const uint8_t in[32], inas_progress_t *p);

/** Image header: written last by provisioning. Returns 1 when the header is valid for model_id / weights_crc. */
int inas_nvm_header_valid(uint32_t model_id, uint32_t weights_crc);
/** Writes the header (after the weights image and the cleared progress slots). */
inas_status_t inas_nvm_write_header(uint32_t model_id, uint32_t weights_crc);

#endif /* INAS_NVM_H */
