/*
 * inas_test.h: a header-only test harness (no allocation; output through INAS_TEST_PUTS, stdout by default, so the
 * same test can print over a board's UART). Usage:
 *   INAS_TEST_MAIN_BEGIN
 *   INAS_TEST(name) { INAS_EXPECT_EQ(a, b); }   ... then in main: INAS_RUN(name);
 *   INAS_TEST_MAIN_END   prints "inas-test: <file>: N checks, F failed" and "ALL TESTS PASSED" when F == 0.
 */
#ifndef INAS_TEST_H
#define INAS_TEST_H

#include <stdint.h>

#ifndef INAS_TEST_PUTS
#include <stdio.h>
#define INAS_TEST_PUTS(s) fputs((s), stdout)
#endif

static uint32_t inas_test_checks;
static uint32_t inas_test_failures;

static inline void inas_test_put_i64(int64_t v)
{
    char buf[24];
    uint8_t i = (uint8_t)sizeof buf;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    buf[--i] = '\0';
    do {
        buf[--i] = (char)('0' + (char)(u % 10u));
        u /= 10u;
    } while (u != 0u);
    if (v < 0) buf[--i] = '-';
    INAS_TEST_PUTS(&buf[i]);
}

static inline void inas_test_fail(const char *file, int64_t line, const char *expr, int64_t got, int64_t want)
{
    inas_test_failures++;
    INAS_TEST_PUTS("FAIL ");
    INAS_TEST_PUTS(file);
    INAS_TEST_PUTS(":");
    inas_test_put_i64(line);
    INAS_TEST_PUTS(": ");
    INAS_TEST_PUTS(expr);
    INAS_TEST_PUTS(": got ");
    inas_test_put_i64(got);
    INAS_TEST_PUTS(", want ");
    inas_test_put_i64(want);
    INAS_TEST_PUTS("\n");
}

/** Compares two integers; on mismatch prints file:line, the expression and both values. */
#define INAS_EXPECT_EQ(got, want) \
    do { \
        const int64_t inas_g_ = (int64_t)(got), inas_w_ = (int64_t)(want); \
        inas_test_checks++; \
        if (inas_g_ != inas_w_) inas_test_fail(__FILE__, (int64_t)__LINE__, #got " == " #want, inas_g_, inas_w_); \
    } while (0)

#define INAS_EXPECT_TRUE(cond) INAS_EXPECT_EQ((cond) ? 1 : 0, 1)

#define INAS_TEST(name) static void name(void)
#define INAS_RUN(name) name()
#define INAS_TEST_MAIN_BEGIN int main(void) {
#define INAS_TEST_MAIN_END \
    INAS_TEST_PUTS("inas-test: " __FILE__ ": "); \
    inas_test_put_i64((int64_t)inas_test_checks); \
    INAS_TEST_PUTS(" checks, "); \
    inas_test_put_i64((int64_t)inas_test_failures); \
    INAS_TEST_PUTS(" failed\n"); \
    if (inas_test_failures == 0u) INAS_TEST_PUTS("ALL TESTS PASSED\n"); \
    return inas_test_failures == 0u ? 0 : 1; \
    }

/** A tiny deterministic generator for test data (xorshift32). */
static uint32_t inas_test_rng = 2463534242u;
static inline int16_t inas_test_rand16(int16_t lo, int16_t hi)
{
    inas_test_rng ^= inas_test_rng << 13;
    inas_test_rng ^= inas_test_rng >> 17;
    inas_test_rng ^= inas_test_rng << 5;
    return (int16_t)(lo + (int32_t)(inas_test_rng % (uint32_t)((int32_t)hi - lo + 1)));
}

#endif /* INAS_TEST_H */
