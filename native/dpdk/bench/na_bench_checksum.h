/*
 * na_bench_checksum.h - Internet checksum helpers shared by the DPDK C benchmark programs
 * (na_dpdk_bench.c, na_dpdk_pingpong.c). Private to them: not part of any shim, not bound.
 */
#ifndef NA_BENCH_CHECKSUM_H
#define NA_BENCH_CHECKSUM_H

#include <stdint.h>
#include <string.h>

/* Ones-complement sum of n bytes (RFC 1071), 8 bytes at a time; network byte order in memory,
 * summed as little-endian words: the folded sum is the byte-swapped network-order one (and
 * 0xffff either way), so it is stored back with memcpy and no swap. */
static inline uint64_t sum_bytes(const uint8_t *p, uint32_t n, uint64_t acc) {
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        acc += w;
        acc += acc < w; /* end-around carry */
        p += 8;
        n -= 8;
    }
    if (n >= 4) {
        uint32_t w;
        memcpy(&w, p, 4);
        acc += w;
        acc += acc < w;
        p += 4;
        n -= 4;
    }
    if (n >= 2) {
        uint16_t w;
        memcpy(&w, p, 2);
        acc += w;
        acc += acc < w;
        p += 2;
        n -= 2;
    }
    if (n) {
        uint64_t w = *p; /* the odd last byte is the high byte of a big-endian word: low in LE */
        acc += w;
        acc += acc < w;
    }
    return acc;
}

/* Folds a sum to 16 bits with end-around carry. */
static inline uint16_t fold(uint64_t acc) {
    acc = (acc & 0xffffffffu) + (acc >> 32);
    acc = (acc & 0xffffffffu) + (acc >> 32);
    acc = (acc & 0xffffu) + (acc >> 16);
    acc = (acc & 0xffffu) + (acc >> 16);
    return (uint16_t)acc;
}

#endif /* NA_BENCH_CHECKSUM_H */
