/*
 * na_strerror.h - private helper shared by the shims' .c files (not a public shim header, not
 * bound by jextract): strerror into a caller's buffer, the same on glibc and BSD/macOS.
 */
#ifndef NA_STRERROR_H
#define NA_STRERROR_H

#include <stdint.h>
#include <string.h>

static int32_t na_copy_strerror(int32_t errnum, char *buf, int32_t cap) {
    if (buf == NULL || cap <= 0) return -22; /* EINVAL */
    char tmp[256];
    const char *msg = tmp;
    tmp[0] = '\0';
#if defined(__GLIBC__) && defined(_GNU_SOURCE)
    msg = strerror_r(errnum, tmp, sizeof tmp); /* GNU variant returns the message */
#else
    if (strerror_r(errnum, tmp, sizeof tmp) != 0) tmp[0] = '\0';
#endif
    size_t len = strlen(msg);
    if (len >= (size_t)cap) len = (size_t)cap - 1;
    memcpy(buf, msg, len);
    buf[len] = '\0';
    return (int32_t)len;
}

#endif /* NA_STRERROR_H */
