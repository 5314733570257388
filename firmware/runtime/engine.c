/*
 * engine.c: the intermittent inference engine (see engine.h, firmware/README.md "Commit protocol").
 *
 * Partial sums: a CONV/FC/GAP output tile receives its reduction in G "steps" (CONV/FC reuse_I and reuse_W: one
 * step per input-channel tile, G = N/Tn; reuse_O: one step per batch of S input-channel tiles, G = N/(Tn*S); GAP:
 * one step per batch of S spatial tiles). After step g the 32-bit partial sums of the tile are stored in psum
 * buffer g & 1; step g reads buffer (g - 1) & 1; the last step writes the requantised Q15 output instead. So no
 * batch ever writes a location it (or a re-execution of it) reads, and re-running any batch from its start
 * rewrites exactly the same bytes.
 */
#include <string.h>
#include "engine.h"
#include "nvm.h"
#include "events.h"
#include "input.h"
#include "check.h"
#include "crc32.h"
#include "../hal/hal.h"
#include "../kernels/conv.h"
#include "../kernels/fc.h"
#include "../kernels/gap.h"
#include "../kernels/pool.h"
#include "../kernels/relu.h"
#include "model.h"

INAS_STATIC_ASSERT(INAS_SRAM_IFM_ELEMS >= 1 && INAS_SRAM_W_ELEMS >= 1 && INAS_SRAM_ACC_ELEMS >= 1 &&
                       INAS_SRAM_OUT_ELEMS >= 1,
                   sram_buffers_nonempty);
INAS_STATIC_ASSERT(2u * (INAS_SRAM_IFM_ELEMS + INAS_SRAM_W_ELEMS + INAS_SRAM_OUT_ELEMS) + 4u * INAS_SRAM_ACC_ELEMS <=
                       INAS_SRAM_BUDGET_BYTES,
                   sram_buffers_fit_budget);
INAS_STATIC_ASSERT(INAS_SRAM_OUT_ELEMS >= INAS_MODEL_CLASSES, logits_fit_out_buffer);

/*
 * INAS_BOOT_WEIGHTS_CRC (default 0): every boot re-reads the weights region and checks its CRC32 against the
 * model's, refusing to run (INAS_E_NVM_IMAGE) on a corrupted image (fault campaigns: --protect crc).
 */
#ifndef INAS_BOOT_WEIGHTS_CRC
#define INAS_BOOT_WEIGHTS_CRC 0
#endif

#define INAS_KEY_NONE 0xFFFFFFFFu
#define INAS_NO_LAYER 0xFFFFu

/* All volatile state: rebuilt by inas_engine_boot(), never trusted across a power failure. */
static struct {
    int16_t ifm[INAS_SRAM_IFM_ELEMS];
    int16_t w[INAS_SRAM_W_ELEMS];
    uint32_t acc[INAS_SRAM_ACC_ELEMS];
    int16_t out[INAS_SRAM_OUT_ELEMS];
    inas_progress_t prog; /* the newest committed record */
    uint32_t ifm_key;     /* which input tile g.ifm holds (INAS_KEY_NONE: none) */
    uint32_t w_key;       /* which weight tile g.w holds */
    uint8_t booted;
} g;

static const inas_sram_limits_t k_limits = {INAS_SRAM_IFM_ELEMS, INAS_SRAM_W_ELEMS, INAS_SRAM_ACC_ELEMS,
                                            INAS_SRAM_OUT_ELEMS};

const inas_model_t *inas_engine_model(void)
{
    return &inas_model;
}

uint32_t inas_engine_inference(void)
{
    return g.prog.inference;
}

uint32_t inas_engine_schedule_tiles(void)
{
    uint32_t t = 0;
    uint16_t i;
    for (i = 0; i < inas_model.num_layers; i++) t += inas_model.layers[i].tiles;
    return t;
}

/* ---- commits ------------------------------------------------------------------------------------------------ */

static inas_status_t commit(uint32_t inference, uint16_t layer, uint32_t tiles_done, uint16_t r, uint16_t c,
                            uint16_t m, uint16_t n)
{
    inas_progress_t p;
    inas_status_t st;
    p.inference = inference;
    p.model_id = inas_model.model_id;
    p.tiles_done = tiles_done;
    p.layer = layer;
    p.r = r;
    p.c = c;
    p.m = m;
    p.n = n;
    st = inas_nvm_commit_progress(&p, g.prog.seq);
    if (st != INAS_OK) return st;
    g.prog = p;
    inas_hal_on_commit();
    return INAS_OK;
}

/* ---- NVM <-> SRAM tile movement ------------------------------------------------------------------------------ */

/* Reads n weights (int16, or int8 sign-extended in place) starting at weight index `index` of layer l. */
static inas_status_t read_weights(const inas_layer_t *l, uint32_t index, int16_t *dst, uint16_t n)
{
    if (l->weight_bits == 16u) return inas_nvm_read(l->w_addr + 2u * index, dst, 2u * (uint32_t)n);
    {
        uint8_t *bytes = (uint8_t *)dst;
        const inas_status_t st = inas_nvm_read(l->w_addr + index, bytes, n);
        uint16_t i;
        if (st != INAS_OK) return st;
        /* Backwards, so byte i is read before dst[i] (bytes 2i, 2i+1) overwrites anything not yet read. */
        for (i = n; i-- > 0u;) {
            const uint8_t b = bytes[i];
            dst[i] = (int16_t)(b < 128u ? (int16_t)b : (int16_t)((int16_t)b - 256));
        }
        return INAS_OK;
    }
}

/* Input tile of rows [y0, y0+rows) x cols [x0, x0+cols) x channels [ch0, ch0+nch) of an HWC map into dst. */
static inas_status_t fetch_fm_tile(inas_nvm_addr_t base, uint16_t map_w, uint16_t map_c, uint32_t y0, uint32_t x0,
                                   uint32_t ch0, uint16_t rows, uint16_t cols, uint16_t nch, int16_t *dst)
{
    uint16_t i, j;
    for (i = 0; i < rows; i++) {
        for (j = 0; j < cols; j++) {
            const uint32_t e = ((y0 + i) * map_w + (x0 + j)) * map_c + ch0;
            const inas_status_t st =
                inas_nvm_read(base + 2u * e, dst + ((uint32_t)i * cols + j) * nch, 2u * (uint32_t)nch);
            if (st != INAS_OK) return st;
        }
    }
    inas_hal_account(INAS_OP_FD_I, (uint32_t)rows * cols, 0u);
    return INAS_OK;
}

/* Weight tile [k_h][k_w][tm][tn] of output-channel tile m and input-channel tile n. */
static inas_status_t fetch_weights(const inas_layer_t *l, uint16_t m, uint16_t n)
{
    uint16_t kh, kw, mm;
    for (kh = 0; kh < l->k_h; kh++) {
        for (kw = 0; kw < l->k_w; kw++) {
            for (mm = 0; mm < l->tm; mm++) {
                const uint32_t index =
                    (((uint32_t)kh * l->k_w + kw) * l->out_c + (uint32_t)m * l->tm + mm) * l->in_c + (uint32_t)n * l->tn;
                const inas_status_t st =
                    read_weights(l, index, g.w + (((uint32_t)kh * l->k_w + kw) * l->tm + mm) * l->tn, l->tn);
                if (st != INAS_OK) return st;
            }
        }
    }
    inas_hal_account(INAS_OP_FD_W, (uint32_t)l->k_h * l->k_w * l->tm, 0u);
    return INAS_OK;
}

/* Partial sums (int32, HWC over the layer's output) of output tile (r, c, m) from / to psum buffer v. */
static inas_status_t move_psums(const inas_layer_t *l, uint8_t v, uint16_t r, uint16_t c, uint16_t m, int write)
{
    uint16_t i, j;
    for (i = 0; i < l->tr; i++) {
        for (j = 0; j < l->tc; j++) {
            const uint32_t e = (((uint32_t)r * l->tr + i) * l->out_w + (uint32_t)c * l->tc + j) * l->out_c + (uint32_t)m * l->tm;
            uint32_t *a = g.acc + ((uint32_t)i * l->tc + j) * l->tm;
            const inas_status_t st = write ? inas_nvm_write(inas_model.psum_addr[v] + 4u * e, a, 4u * (uint32_t)l->tm)
                                           : inas_nvm_read(inas_model.psum_addr[v] + 4u * e, a, 4u * (uint32_t)l->tm);
            if (st != INAS_OK) return st;
        }
    }
    inas_hal_account(write ? INAS_OP_BD_O : INAS_OP_FD_O, (uint32_t)l->tr * l->tc, l->order);
    return INAS_OK;
}

/* Final Q15 outputs g.out ([tr][tc][tm]) of output tile (r, c, m) to the layer's output map. */
static inas_status_t write_outputs(const inas_layer_t *l, uint16_t r, uint16_t c, uint16_t m, uint16_t tr, uint16_t tc)
{
    uint16_t i, j;
    for (i = 0; i < tr; i++) {
        for (j = 0; j < tc; j++) {
            const uint32_t e = (((uint32_t)r * tr + i) * l->out_w + (uint32_t)c * tc + j) * l->out_c + (uint32_t)m * l->tm;
            const inas_status_t st =
                inas_nvm_write(l->ofm_addr + 2u * e, g.out + ((uint32_t)i * tc + j) * l->tm, 2u * (uint32_t)l->tm);
            if (st != INAS_OK) return st;
        }
    }
    inas_hal_account(INAS_OP_BD_O, (uint32_t)tr * tc, l->order);
    return INAS_OK;
}

/* ---- layers ------------------------------------------------------------------------------------------------- */

typedef struct {
    uint16_t r, c, m, n;
} tile_pos_t;

/* Decodes tile number t of a CONV/FC layer along its loop nest. */
static tile_pos_t conv_tile_pos(const inas_layer_t *l, uint32_t t)
{
    const uint32_t rt = l->out_h / l->tr, ct = l->out_w / l->tc, mt = l->out_c / l->tm, nt = l->in_c / l->tn;
    tile_pos_t p;
    switch (l->order) {
    case INAS_ORDER_REUSE_I: /* r, c, n, m */
        p.m = (uint16_t)(t % mt);
        p.n = (uint16_t)((t / mt) % nt);
        p.c = (uint16_t)((t / (mt * nt)) % ct);
        p.r = (uint16_t)(t / (mt * nt * ct));
        break;
    case INAS_ORDER_REUSE_W: /* m, n, r, c */
        p.c = (uint16_t)(t % ct);
        p.r = (uint16_t)((t / ct) % rt);
        p.n = (uint16_t)((t / (ct * rt)) % nt);
        p.m = (uint16_t)(t / (ct * rt * nt));
        break;
    default: /* reuse_O: r, c, m, n */
        p.n = (uint16_t)(t % nt);
        p.m = (uint16_t)((t / nt) % mt);
        p.c = (uint16_t)((t / (nt * mt)) % ct);
        p.r = (uint16_t)(t / (nt * mt * ct));
        break;
    }
    return p;
}

/* GAP tiles: m outer, then input rows r, cols c. */
static tile_pos_t gap_tile_pos(const inas_layer_t *l, uint32_t t)
{
    const uint32_t ht = l->in_h / l->tr, wt = l->in_w / l->tc;
    tile_pos_t p;
    p.m = (uint16_t)(t / (ht * wt));
    p.r = (uint16_t)((t % (ht * wt)) / wt);
    p.c = (uint16_t)(t % wt);
    p.n = 0u;
    return p;
}

/* POOL tiles: r, c, m. */
static tile_pos_t pool_tile_pos(const inas_layer_t *l, uint32_t t)
{
    const uint32_t ct = l->out_w / l->tc, mt = l->out_c / l->tm;
    tile_pos_t p;
    p.m = (uint16_t)(t % mt);
    p.c = (uint16_t)((t / mt) % ct);
    p.r = (uint16_t)(t / (mt * ct));
    p.n = 0u;
    return p;
}

static tile_pos_t tile_pos(const inas_layer_t *l, uint32_t t)
{
    if (l->type == INAS_LAYER_GAP) return gap_tile_pos(l, t);
    if (l->type == INAS_LAYER_POOL) return pool_tile_pos(l, t);
    return conv_tile_pos(l, t);
}

/* Commits the end of a batch: tiles_done = t, or the next layer when t is the end of the layer. */
static inas_status_t commit_batch(uint16_t li, const inas_layer_t *l, uint32_t t)
{
    if (t >= l->tiles) return commit(g.prog.inference, (uint16_t)(li + 1u), 0u, 0u, 0u, 0u, 0u);
    {
        const tile_pos_t p = tile_pos(l, t);
        return commit(g.prog.inference, li, t, p.r, p.c, p.m, p.n);
    }
}

static inas_status_t run_conv_batch(const inas_layer_t *l, uint32_t t0)
{
    const uint32_t nt = l->in_c / l->tn;
    const uint8_t reuse_o = l->order == INAS_ORDER_REUSE_O;
    const uint32_t steps = reuse_o ? nt / l->s : nt;
    const uint32_t acc_n = (uint32_t)l->tr * l->tc * l->tm;
    const uint32_t ct = l->out_w / l->tc;
    uint32_t step = 0;
    uint16_t i;
    inas_status_t st;
    for (i = 0; i < l->s; i++) {
        const tile_pos_t p = conv_tile_pos(l, t0 + i);
        const uint32_t ifm_key = ((uint32_t)p.r * ct + p.c) * nt + p.n;
        const uint32_t w_key = (uint32_t)p.m * nt + p.n;
        const uint8_t first = !reuse_o || i == 0u;
        const uint8_t last = !reuse_o || i + 1u == l->s;
        if (ifm_key != g.ifm_key) {
            g.ifm_key = INAS_KEY_NONE;
            st = fetch_fm_tile(l->ifm_addr, l->in_w, l->in_c, (uint32_t)p.r * l->tr, (uint32_t)p.c * l->tc,
                               (uint32_t)p.n * l->tn, (uint16_t)(l->tr + l->k_h - 1u), (uint16_t)(l->tc + l->k_w - 1u),
                               l->tn, g.ifm);
            if (st != INAS_OK) return st;
            g.ifm_key = ifm_key;
        }
        if (w_key != g.w_key) {
            g.w_key = INAS_KEY_NONE;
            st = fetch_weights(l, p.m, p.n);
            if (st != INAS_OK) return st;
            g.w_key = w_key;
        }
        if (first) {
            step = reuse_o ? p.n / l->s : p.n;
            if (step == 0u) {
                memset(g.acc, 0, (size_t)acc_n * sizeof g.acc[0]);
            } else {
                st = move_psums(l, (uint8_t)((step - 1u) & 1u), p.r, p.c, p.m, 0);
                if (st != INAS_OK) return st;
            }
        }
        if (l->type == INAS_LAYER_FC) {
            inas_fc_tile(g.ifm, g.w, g.acc, l->tm, l->tn, l->k_h, l->k_w);
        } else {
            inas_conv_tile(g.ifm, g.w, g.acc, l->tr, l->tc, l->tm, l->tn, l->k_h, l->k_w);
        }
        inas_hal_account(INAS_OP_VMAC, acc_n * l->k_h * l->k_w, l->tn);
        inas_hal_account(INAS_OP_MAC_OVHD, acc_n * l->k_h * l->k_w, 0u);
        inas_hal_on_tiles(1u);
        if (last) {
            if (step + 1u == steps) {
                inas_conv_requant(g.acc, g.out, acc_n, l->shift);
                if (l->relu) inas_relu_tile(g.out, acc_n);
                st = write_outputs(l, p.r, p.c, p.m, l->tr, l->tc);
            } else {
                st = move_psums(l, (uint8_t)(step & 1u), p.r, p.c, p.m, 1);
            }
            if (st != INAS_OK) return st;
        }
    }
    return INAS_OK;
}

static inas_status_t run_gap_batch(const inas_layer_t *l, uint32_t t0)
{
    const uint32_t spatial = (uint32_t)(l->in_h / l->tr) * (uint32_t)(l->in_w / l->tc);
    const uint32_t steps = spatial / l->s;
    const tile_pos_t p0 = gap_tile_pos(l, t0);
    const uint32_t step = (t0 % spatial) / l->s;
    const inas_nvm_addr_t psum_off = 4u * (uint32_t)p0.m * l->tm;
    uint16_t i;
    inas_status_t st;
    if (step == 0u) {
        memset(g.acc, 0, (size_t)l->tm * sizeof g.acc[0]);
    } else {
        st = inas_nvm_read(inas_model.psum_addr[(step - 1u) & 1u] + psum_off, g.acc, 4u * (uint32_t)l->tm);
        if (st != INAS_OK) return st;
        inas_hal_account(INAS_OP_FD_O, 1u, l->order);
    }
    for (i = 0; i < l->s; i++) {
        const tile_pos_t p = gap_tile_pos(l, t0 + i);
        st = fetch_fm_tile(l->ifm_addr, l->in_w, l->in_c, (uint32_t)p.r * l->tr, (uint32_t)p.c * l->tc,
                           (uint32_t)p.m * l->tm, l->tr, l->tc, l->tm, g.ifm);
        if (st != INAS_OK) return st;
        inas_gap_tile(g.ifm, g.acc, l->tr, l->tc, l->tm);
        inas_hal_account(INAS_OP_POOL, (uint32_t)l->tr * l->tc * l->tm, 0u);
        inas_hal_on_tiles(1u);
    }
    if (step + 1u == steps) {
        inas_gap_finish(g.acc, g.out, l->tm, (uint32_t)l->in_h * l->in_w);
        if (l->relu) inas_relu_tile(g.out, l->tm);
        inas_hal_account(INAS_OP_DIV, l->tm, 0u);
        st = inas_nvm_write(l->ofm_addr + 2u * (uint32_t)p0.m * l->tm, g.out, 2u * (uint32_t)l->tm);
    } else {
        st = inas_nvm_write(inas_model.psum_addr[step & 1u] + psum_off, g.acc, 4u * (uint32_t)l->tm);
    }
    inas_hal_account(INAS_OP_BD_O, 1u, l->order);
    return st;
}

static inas_status_t run_pool_batch(const inas_layer_t *l, uint32_t t0)
{
    uint16_t i;
    inas_status_t st;
    for (i = 0; i < l->s; i++) {
        const tile_pos_t p = pool_tile_pos(l, t0 + i);
        st = fetch_fm_tile(l->ifm_addr, l->in_w, l->in_c, (uint32_t)p.r * l->tr * l->k_h,
                           (uint32_t)p.c * l->tc * l->k_w, (uint32_t)p.m * l->tm, (uint16_t)(l->tr * l->k_h),
                           (uint16_t)(l->tc * l->k_w), l->tm, g.ifm);
        if (st != INAS_OK) return st;
        inas_pool_tile(g.ifm, g.out, l->tr, l->tc, l->tm, l->k_h, l->k_w, l->pool_kind);
        if (l->relu) inas_relu_tile(g.out, (uint32_t)l->tr * l->tc * l->tm);
        inas_hal_account(INAS_OP_POOL, (uint32_t)l->tr * l->tc * l->tm * l->k_h * l->k_w, 0u);
        if (l->pool_kind == INAS_POOL_AVG) inas_hal_account(INAS_OP_DIV, (uint32_t)l->tr * l->tc * l->tm, 0u);
        inas_hal_on_tiles(1u);
        st = write_outputs(l, p.r, p.c, p.m, l->tr, l->tc);
        if (st != INAS_OK) return st;
    }
    return INAS_OK;
}

static inas_status_t run_layer(uint16_t li)
{
    const inas_layer_t *l = &inas_model.layers[li];
    uint32_t t = g.prog.tiles_done;
    inas_status_t st;
    g.ifm_key = INAS_KEY_NONE;
    g.w_key = INAS_KEY_NONE;
    inas_event_layer_start(li, t, inas_hal_ticks());
    while (t < l->tiles) {
        switch (l->type) {
        case INAS_LAYER_GAP: st = run_gap_batch(l, t); break;
        case INAS_LAYER_POOL: st = run_pool_batch(l, t); break;
        default: st = run_conv_batch(l, t); break;
        }
        if (st != INAS_OK) return st;
        t += l->s;
        st = commit_batch(li, l, t);
        if (st != INAS_OK) return st;
    }
    inas_event_layer_end(li, inas_hal_ticks());
    return INAS_OK;
}

/* Loads the input of the current inference into layer 0's input buffer, in SRAM-sized chunks. */
static inas_status_t load_input(void)
{
    uint32_t off = 0;
    while (off < inas_model.input_elems) {
        uint32_t n = inas_model.input_elems - off;
        inas_status_t st;
        if (n > INAS_SRAM_IFM_ELEMS) n = INAS_SRAM_IFM_ELEMS;
        st = inas_input_read(g.prog.inference, off, g.ifm, n);
        if (st != INAS_OK) return st;
        st = inas_nvm_write(inas_model.input_addr + 2u * off, g.ifm, 2u * n);
        if (st != INAS_OK) return st;
        off += n;
    }
    return commit(g.prog.inference, 0u, 0u, 0u, 0u, 0u, 0u);
}

/* Reads the logits, reports the result (again, if a failure hit before the next commit), starts the next one. */
static inas_status_t finish_inference(void)
{
    const uint16_t n = inas_model.classes;
    uint16_t i, best = 0;
    const inas_status_t st = inas_nvm_read(inas_model.output_addr, g.out, 2u * (uint32_t)n);
    if (st != INAS_OK) return st;
    for (i = 1; i < n; i++) {
        if (g.out[i] > g.out[best]) best = i;
    }
    inas_event_result(g.prog.inference, best, g.out, n, inas_hal_ticks());
    inas_hal_on_result(g.prog.inference, best, g.out, n);
    return commit(g.prog.inference + 1u, INAS_STAGE_LOAD, 0u, 0u, 0u, 0u, 0u);
}

/* ---- boot and run -------------------------------------------------------------------------------------------- */

static inas_status_t check_model(void)
{
    uint16_t i;
    INAS_CHECK(inas_model.num_layers >= 1u && inas_model.classes >= 1u, INAS_E_MODEL_TABLE);
    INAS_CHECK(inas_model.layers[inas_model.num_layers - 1u].out_c == inas_model.classes, INAS_E_MODEL_TABLE);
    INAS_CHECK(inas_model.nvm_size_bytes <= inas_hal_nvm_size(), INAS_E_NVM_RANGE);
    for (i = 0; i < inas_model.num_layers; i++) {
        const inas_layer_t *l = &inas_model.layers[i];
        inas_status_t st;
        if (i > 0u) INAS_CHECK(l->ifm_addr == inas_model.layers[i - 1u].ofm_addr, INAS_E_MODEL_TABLE);
        INAS_CHECK(l->ifm_addr != l->ofm_addr, INAS_E_MODEL_TABLE);
        switch (l->type) {
        case INAS_LAYER_CONV: st = inas_conv_check(l, &k_limits); break;
        case INAS_LAYER_FC: st = inas_fc_check(l, &k_limits); break;
        case INAS_LAYER_GAP: st = inas_gap_check(l, &k_limits); break;
        case INAS_LAYER_POOL: st = inas_pool_check(l, &k_limits); break;
        default: st = INAS_E_LAYER_TYPE; break;
        }
        if (st == INAS_OK) st = inas_relu_check(l);
        if (st != INAS_OK) {
            inas_event_error(st, i);
            return st;
        }
    }
    return INAS_OK;
}

/*
 * INAS_ENGINE_PROVISION 0: the firmware never writes the weights image itself (it arrives over the serial loader,
 * firmware/proto, which writes the header once the image's CRC checks), so the image need not be linked in: without
 * a valid header the engine refuses to boot with INAS_E_NVM_IMAGE. Default 1: provision from inas_weights_image.
 */
#ifndef INAS_ENGINE_PROVISION
#define INAS_ENGINE_PROVISION 1
#endif

#if INAS_ENGINE_PROVISION || INAS_BOOT_WEIGHTS_CRC
/* Checks the CRC-32 of the weights region as NVM holds it now (after provisioning; at boot with INAS_BOOT_WEIGHTS_CRC). */
static inas_status_t verify_weights(void)
{
    uint32_t off = 0, crc = 0;
    while (off < inas_model.weights_size_bytes) {
        uint32_t n = inas_model.weights_size_bytes - off;
        inas_status_t st;
        if (n > 2u * INAS_SRAM_IFM_ELEMS) n = 2u * INAS_SRAM_IFM_ELEMS;
        st = inas_nvm_read(inas_model.weights_addr + off, g.ifm, n);
        if (st != INAS_OK) return st;
        crc = inas_crc32(crc, (const uint8_t *)g.ifm, n);
        off += n;
    }
    INAS_CHECK(crc == inas_model.weights_crc32, INAS_E_NVM_IMAGE);
    return INAS_OK;
}
#endif

#if INAS_ENGINE_PROVISION
/* Writes the weights image (then verifies it), clears both progress slots, and writes the header last. */
static inas_status_t provision(void)
{
    static const uint8_t zeros[32] = {0};
    uint32_t off = 0;
    inas_status_t st;
    while (off < inas_model.weights_size_bytes) {
        uint32_t n = inas_model.weights_size_bytes - off;
        if (n > 2u * INAS_SRAM_IFM_ELEMS) n = 2u * INAS_SRAM_IFM_ELEMS;
        memcpy(g.ifm, &inas_weights_image[off], (size_t)n);
        st = inas_nvm_write(inas_model.weights_addr + off, g.ifm, n);
        if (st != INAS_OK) return st;
        off += n;
    }
    st = verify_weights();
    if (st != INAS_OK) return st;
    st = inas_nvm_write(INAS_NVM_SLOT_ADDR(0), zeros, 32u);
    if (st != INAS_OK) return st;
    st = inas_nvm_write(INAS_NVM_SLOT_ADDR(1), zeros, 32u);
    if (st != INAS_OK) return st;
    return inas_nvm_write_header(inas_model.model_id, inas_model.weights_crc32);
}
#else
static inas_status_t provision(void)
{
    return INAS_E_NVM_IMAGE;
}
#endif

inas_status_t inas_engine_prepare(void)
{
    inas_status_t st;
    memset(&g, 0, sizeof g);
    g.ifm_key = INAS_KEY_NONE;
    g.w_key = INAS_KEY_NONE;
    st = check_model();
    if (st != INAS_OK) return st;
    if (!inas_nvm_header_valid(inas_model.model_id, inas_model.weights_crc32)) {
        st = provision();
        if (st != INAS_OK) {
            inas_event_error(st, INAS_NO_LAYER);
            return st;
        }
    }
    return INAS_OK;
}

inas_status_t inas_engine_boot(void)
{
    inas_status_t st = inas_engine_prepare();
    if (st != INAS_OK) return st;
#if INAS_BOOT_WEIGHTS_CRC
    st = verify_weights();
    if (st != INAS_OK) {
        inas_event_error(st, INAS_NO_LAYER);
        return st;
    }
#endif
    st = inas_nvm_load_progress(&g.prog, inas_model.model_id);
    if (st == INAS_E_NVM_IMAGE) {
        /* Fresh image: no record yet. seq 0 so the first commit (seq 1) goes to slot 1. */
        memset(&g.prog, 0, sizeof g.prog);
        g.prog.layer = INAS_STAGE_LOAD;
        g.prog.model_id = inas_model.model_id;
    } else if (st != INAS_OK) {
        inas_event_error(st, INAS_NO_LAYER);
        return st;
    }
    if (g.prog.layer != INAS_STAGE_LOAD &&
        (g.prog.layer > inas_model.num_layers ||
         (g.prog.layer < inas_model.num_layers && g.prog.tiles_done >= inas_model.layers[g.prog.layer].tiles))) {
        inas_event_error(INAS_E_MODEL_TABLE, g.prog.layer);
        return INAS_E_MODEL_TABLE;
    }
    g.booted = 1u;
    inas_event_boot(INAS_VERSION, INAS_SETTINGS_DIGEST, g.prog.inference, g.prog.layer, g.prog.tiles_done);
    return INAS_OK;
}

inas_status_t inas_engine_run(uint32_t until_inference)
{
    inas_status_t st = INAS_OK;
    INAS_CHECK(g.booted, INAS_E_HAL);
    while (st == INAS_OK && (uint32_t)(until_inference - g.prog.inference) - 1u < 0x7FFFFFFFu) {
        if (g.prog.layer == INAS_STAGE_LOAD) {
            st = load_input();
        } else if (g.prog.layer >= inas_model.num_layers) {
            st = finish_inference();
        } else {
            st = run_layer(g.prog.layer);
        }
    }
    if (st != INAS_OK) inas_event_error(st, g.prog.layer);
    return st;
}
