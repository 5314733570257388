/*
 * nvm_test.c: the progress-record commit protocol on the host NVM, with power cut at every byte of a commit:
 * after any torn commit, loading returns either the previous record or the new one, never garbage.
 */
#include <setjmp.h>
#include <string.h>
#include "inas_test.h"
#include "nvm.h"
#include "host/hal_host.h"

static jmp_buf g_jb;
static void on_fail(void) { longjmp(g_jb, 1); }

static inas_progress_t rec(uint32_t inference, uint16_t layer, uint32_t tiles)
{
    inas_progress_t p;
    memset(&p, 0, sizeof p);
    p.inference = inference;
    p.layer = layer;
    p.tiles_done = tiles;
    p.model_id = 0xABCD1234u;
    return p;
}

INAS_TEST(test_commit_and_load)
{
    inas_progress_t p = rec(3, 2, 40), q;
    INAS_EXPECT_EQ(inas_nvm_load_progress(&q, 0xABCD1234u), INAS_E_NVM_IMAGE); /* fresh: nothing valid */
    INAS_EXPECT_EQ(inas_nvm_commit_progress(&p, 0), INAS_OK);
    INAS_EXPECT_EQ(inas_nvm_load_progress(&q, 0xABCD1234u), INAS_OK);
    INAS_EXPECT_EQ(q.seq, 1);
    INAS_EXPECT_EQ(q.tiles_done, 40);
    p = rec(3, 2, 48);
    INAS_EXPECT_EQ(inas_nvm_commit_progress(&p, 1), INAS_OK);
    INAS_EXPECT_EQ(inas_nvm_load_progress(&q, 0xABCD1234u), INAS_OK);
    INAS_EXPECT_EQ(q.seq, 2);
    INAS_EXPECT_EQ(q.tiles_done, 48);
    INAS_EXPECT_EQ(inas_nvm_load_progress(&q, 0x1u), INAS_E_NVM_IMAGE); /* another model's records are ignored */
}

INAS_TEST(test_torn_commit_at_every_byte)
{
    uint32_t cut;
    for (cut = 0; cut <= 32u; cut++) {
        volatile int failed = 0;
        inas_progress_t p = rec(7, 1, 8), q;
        inas_host_failures_t f;
        memset(inas_host_nvm(), 0, 4096);
        INAS_EXPECT_EQ(inas_nvm_commit_progress(&p, 0), INAS_OK);  /* seq 1, slot 1 */
        p = rec(7, 1, 16);
        INAS_EXPECT_EQ(inas_nvm_commit_progress(&p, 1), INAS_OK);  /* seq 2, slot 0 */
        /* Commit seq 3 (slot 1, over seq 1) and cut it after `cut` bytes. */
        memset(&f, 0, sizeof f);
        f.mode = INAS_FAIL_AT_WRITE;
        f.n = inas_host_stats()->nvm_writes + 1u;
        f.torn = 1;
        inas_host_set_failures(&f);
        if (setjmp(g_jb) == 0) {
            inas_host_quiet(1);
            {
                /* Write the record by hand to control the cut point exactly. */
                uint8_t bytes[32];
                inas_progress_t n = rec(7, 1, 24);
                n.seq = 3;
                inas_progress_encode(&n, bytes);
                memcpy(inas_host_nvm() + INAS_NVM_SLOT_ADDR(1), bytes, cut);
            }
            inas_host_quiet(0);
            failed = 1;
        }
        f.mode = INAS_FAIL_NONE;
        inas_host_set_failures(&f);
        INAS_EXPECT_EQ(failed, 1);
        INAS_EXPECT_EQ(inas_nvm_load_progress(&q, 0xABCD1234u), INAS_OK);
        /* Only the complete record (cut = 32) may win; any shorter prefix leaves seq 2 the newest valid one. */
        INAS_EXPECT_EQ(q.tiles_done, cut == 32u ? 24u : 16u);
    }
}

INAS_TEST(test_torn_write_through_hal)
{
    volatile int failed = 0;
    inas_progress_t p = rec(1, 0, 4), q;
    inas_host_failures_t f;
    memset(inas_host_nvm(), 0, 4096);
    INAS_EXPECT_EQ(inas_nvm_commit_progress(&p, 0), INAS_OK);
    memset(&f, 0, sizeof f);
    f.mode = INAS_FAIL_AT_WRITE;
    f.n = inas_host_stats()->nvm_writes + 1u;
    f.torn = 1; /* cut in the middle: 16 of 32 bytes */
    inas_host_set_failures(&f);
    if (setjmp(g_jb) == 0) {
        p = rec(1, 0, 8);
        (void)inas_nvm_commit_progress(&p, 1);
    } else {
        failed = 1;
    }
    f.mode = INAS_FAIL_NONE;
    inas_host_set_failures(&f);
    INAS_EXPECT_EQ(failed, 1);
    INAS_EXPECT_EQ(inas_host_stats()->torn_writes, 1);
    INAS_EXPECT_EQ(inas_nvm_load_progress(&q, 0xABCD1234u), INAS_OK);
    INAS_EXPECT_EQ(q.tiles_done, 4);
}

INAS_TEST(test_header)
{
    INAS_EXPECT_EQ(inas_nvm_header_valid(5u, 6u), 0);
    INAS_EXPECT_EQ(inas_nvm_write_header(5u, 6u), INAS_OK);
    INAS_EXPECT_EQ(inas_nvm_header_valid(5u, 6u), 1);
    INAS_EXPECT_EQ(inas_nvm_header_valid(5u, 7u), 0);
}

INAS_TEST_MAIN_BEGIN
{
    inas_host_profile_t prof;
    memset(&prof, 0, sizeof prof);
    prof.clock_hz = 16e6;
    prof.capacitance_f = 1e-3;
    prof.von_v = 3.0;
    prof.voff_v = 2.0;
    prof.vsup_v = 3.1;
    prof.harvester_resistance_ohm = 100.0;
    inas_host_init(4096, NULL, &prof);
    inas_host_on_power_fail(on_fail);
}
INAS_RUN(test_commit_and_load);
INAS_RUN(test_torn_commit_at_every_byte);
INAS_RUN(test_torn_write_through_hal);
INAS_RUN(test_header);
INAS_TEST_MAIN_END
