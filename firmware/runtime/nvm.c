/* nvm.c: the commit API (see nvm.h and firmware/README.md "Commit protocol"). */
#include <string.h>
#include "nvm.h"
#include "crc32.h"
#include "../hal/hal.h"

/*
 * INAS_PROGRESS_CRC (default 1): progress records carry a CRC32 that boot checks. Building with
 * -DINAS_PROGRESS_CRC=0 accepts records without checking it: the unprotected variant fault campaigns compare
 * against (a torn or corrupted record is then used silently). Never deploy it.
 */
#ifndef INAS_PROGRESS_CRC
#define INAS_PROGRESS_CRC 1
#endif

static void put32(uint8_t *b, uint32_t v)
{
    b[0] = (uint8_t)v;
    b[1] = (uint8_t)(v >> 8);
    b[2] = (uint8_t)(v >> 16);
    b[3] = (uint8_t)(v >> 24);
}

static void put16(uint8_t *b, uint16_t v)
{
    b[0] = (uint8_t)v;
    b[1] = (uint8_t)(v >> 8);
}

static uint32_t get32(const uint8_t *b)
{
    return (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) | ((uint32_t)b[3] << 24);
}

static uint16_t get16(const uint8_t *b)
{
    return (uint16_t)((uint16_t)b[0] | (uint16_t)((uint16_t)b[1] << 8));
}

inas_status_t inas_nvm_read(inas_nvm_addr_t addr, void *dst, uint32_t len)
{
    return inas_hal_nvm_read(addr, dst, len);
}

/* Writes issued through this API (counted before the write: one cut by a power failure counts too). Persistent, so
 * a board's per-inference count adds up over power cycles; a torn increment only skews a statistic. */
static INAS_PERSISTENT uint32_t nvm_write_count;

uint32_t inas_nvm_write_count(void)
{
    return nvm_write_count;
}

inas_status_t inas_nvm_write(inas_nvm_addr_t addr, const void *src, uint32_t len)
{
    nvm_write_count++;
    return inas_hal_nvm_write(addr, src, len);
}

void inas_progress_encode(const inas_progress_t *p, uint8_t out[32])
{
    put32(out + 0, p->seq);
    put32(out + 4, p->inference);
    put32(out + 8, p->model_id);
    put32(out + 12, p->tiles_done);
    put16(out + 16, p->layer);
    put16(out + 18, p->r);
    put16(out + 20, p->c);
    put16(out + 22, p->m);
    put16(out + 24, p->n);
    put16(out + 26, p->reserved);
    put32(out + 28, inas_crc32(0u, out, 28u));
}

int inas_progress_decode(const uint8_t in[32], inas_progress_t *p)
{
#if INAS_PROGRESS_CRC
    if (inas_crc32(0u, in, 28u) != get32(in + 28)) return 0;
#endif
    p->seq = get32(in + 0);
    p->inference = get32(in + 4);
    p->model_id = get32(in + 8);
    p->tiles_done = get32(in + 12);
    p->layer = get16(in + 16);
    p->r = get16(in + 18);
    p->c = get16(in + 20);
    p->m = get16(in + 22);
    p->n = get16(in + 24);
    p->reserved = get16(in + 26);
    p->check = get32(in + 28);
    return 1;
}

inas_status_t inas_nvm_commit_progress(inas_progress_t *p, uint32_t last_seq)
{
    uint8_t rec[32];
    p->seq = last_seq + 1u;
    p->reserved = 0u;
    inas_progress_encode(p, rec);
    p->check = get32(rec + 28);
    nvm_write_count++;
    return inas_hal_nvm_write(INAS_NVM_SLOT_ADDR(p->seq & 1u), rec, 32u);
}

inas_status_t inas_nvm_load_progress(inas_progress_t *p, uint32_t model_id)
{
    uint8_t rec[32];
    inas_progress_t cand;
    int found = 0;
    uint8_t slot;
    for (slot = 0; slot < 2u; slot++) {
        const inas_status_t st = inas_hal_nvm_read(INAS_NVM_SLOT_ADDR(slot), rec, 32u);
        if (st != INAS_OK) return st;
        /* A record is usable when its check matches, it belongs to this model and it sits in its own slot. */
        if (!inas_progress_decode(rec, &cand) || cand.model_id != model_id || (cand.seq & 1u) != slot) continue;
        /* Serial-number comparison: cand is newer when (cand.seq - p->seq) mod 2^32 is in (0, 2^31). */
        if (!found || (uint32_t)(cand.seq - p->seq) - 1u < 0x7FFFFFFFu) {
            *p = cand;
            found = 1;
        }
    }
    return found ? INAS_OK : INAS_E_NVM_IMAGE;
}

int inas_nvm_header_valid(uint32_t model_id, uint32_t weights_crc)
{
    uint8_t h[20];
    if (inas_hal_nvm_read(INAS_NVM_HEADER_ADDR, h, 20u) != INAS_OK) return 0;
    return get32(h) == INAS_NVM_MAGIC && get32(h + 4) == INAS_NVM_FORMAT && get32(h + 8) == model_id &&
           get32(h + 12) == weights_crc && get32(h + 16) == inas_crc32(0u, h, 16u);
}

inas_status_t inas_nvm_write_header(uint32_t model_id, uint32_t weights_crc)
{
    uint8_t h[20];
    put32(h, INAS_NVM_MAGIC);
    put32(h + 4, INAS_NVM_FORMAT);
    put32(h + 8, model_id);
    put32(h + 12, weights_crc);
    put32(h + 16, inas_crc32(0u, h, 16u));
    nvm_write_count++;
    return inas_hal_nvm_write(INAS_NVM_HEADER_ADDR, h, 20u);
}
