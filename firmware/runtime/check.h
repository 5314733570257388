/*
 * check.h: INAS_CHECK (boot/check paths: return a status), INAS_DCHECK (hot paths: compiled out unless
 * INAS_DEBUG), INAS_STATIC_ASSERT (C99-compatible compile-time check).
 */
#ifndef INAS_CHECK_H
#define INAS_CHECK_H

#include "status.h"

/** Returns `status` from the enclosing function when `cond` is false. */
#define INAS_CHECK(cond, status) \
    do { \
        if (!(cond)) return (status); \
    } while (0)

#if defined(INAS_DEBUG)
void inas_dcheck_failed(const char *file, uint16_t line);
#define INAS_DCHECK(cond) \
    do { \
        if (!(cond)) inas_dcheck_failed(__FILE__, (uint16_t)__LINE__); \
    } while (0)
#else
#define INAS_DCHECK(cond) ((void)0)
#endif

#define INAS_STATIC_ASSERT_CAT2(a, b) a##b
#define INAS_STATIC_ASSERT_CAT(a, b) INAS_STATIC_ASSERT_CAT2(a, b)
/** Compile-time assertion (a negative array size fails the build). */
#define INAS_STATIC_ASSERT(cond, name) \
    typedef char INAS_STATIC_ASSERT_CAT(inas_static_assert_##name##_, __LINE__)[(cond) ? 1 : -1]

#endif /* INAS_CHECK_H */
