/*
 * na_dpdk_bench.c - packet loop through libna_dpdk, the same na_dpdk_* calls Java makes (one call
 * per burst into the shared library), as the C baseline for the Java data path.
 *
 * Usage: na_dpdk_bench [--sizes 64,128,512,1518] [--bursts 32] [--seconds 2] [--touch] [--json]
 *                      [-- EAL arguments]
 * Default EAL arguments: --no-huge --no-pci --no-shconf -m 512 --vdev=net_ring0 -l 0
 *
 * Per case (size x burst), on port 0 queue 0 from the main lcore: alloc_bulk a burst from a pool,
 * set lengths (prepare_tx), tx_burst, free what tx did not take, rx_burst, free what came back.
 * On net_ring0 the tx ring is the rx ring, so every packet sent comes back; other ports measure
 * whatever their rx gives. With --touch, each packet also gets an Ethernet/IPv4/UDP header with
 * software IPv4 and UDP checksums before tx (the UDP one reads the whole payload), and after rx
 * both checksums are verified (reading the whole payload again); failures are counted.
 *
 * Reported: received packets per second (Mpps) and Gbit/s of frame bits = received data bytes * 8
 * (the frame as the port sees it: no preamble/SFD, no inter-frame gap, no FCS; on a wire add
 * 24 bytes per frame for those).
 */
#define _GNU_SOURCE

#include "na_dpdk.h"
#include "na_bench_checksum.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_CASES 32
#define MAX_BURST 1024
#define POOL_SIZE 16383
#define POOL_CACHE 256
#define DATA_ROOM (2048 + 128)
#define HDR_LEN 42 /* Ethernet 14 + IPv4 20 + UDP 8 */

static const char *const DEFAULT_EAL[] = {"--no-huge", "--no-pci", "--no-shconf", "-m", "512",
                                          "--vdev=net_ring0", "-l", "0"};

static void die(const char *what, int32_t err) {
    char msg[256];
    if (err < 0) {
        na_dpdk_strerror(err, msg, sizeof msg);
        fprintf(stderr, "na_dpdk_bench: %s: %s (%d)\n", what, msg, err);
    } else {
        fprintf(stderr, "na_dpdk_bench: %s\n", what);
    }
    exit(1);
}

static void usage(void) {
    fprintf(stderr,
            "usage: na_dpdk_bench [--sizes 64,128,512,1518] [--bursts 32] [--seconds 2] [--touch] [--json]\n"
            "                     [-- EAL arguments]\n"
            "  sizes: frame bytes (%d..%d, as given to the port: no FCS); bursts: 1..%d; seconds per case\n"
            "  default EAL arguments: --no-huge --no-pci --no-shconf -m 512 --vdev=net_ring0 -l 0\n",
            HDR_LEN, DATA_ROOM - 128, MAX_BURST);
    exit(2);
}

static int parse_list(const char *s, uint32_t *out, int max, uint32_t lo, uint32_t hi) {
    int n = 0;
    const char *p = s;
    while (*p) {
        char *end;
        errno = 0;
        unsigned long v = strtoul(p, &end, 10);
        if (end == p || errno || v < lo || v > hi || n == max || (*end != ',' && *end != '\0')) return -1;
        out[n++] = (uint32_t)v;
        p = *end == ',' ? end + 1 : end;
    }
    return n;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---------------------------------------------------------------- checksums (--touch) */

/* sum_bytes and fold: na_bench_checksum.h */

static inline uint16_t be16(uint16_t v) { return (uint16_t)((v >> 8) | (v << 8)); }

/* Ethernet/IPv4/UDP header for a frame of len bytes at p; checksums in software. The sums are
 * taken over memory in network order as little-endian words, so the folded sums are already in
 * the byte order they are stored in. */
static inline void build_udp(uint8_t *p, uint32_t len, uint16_t id) {
    static const uint8_t eth[14] = {0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00};
    memcpy(p, eth, 14);
    uint8_t *ip = p + 14;
    uint16_t iplen = (uint16_t)(len - 14), udplen = (uint16_t)(len - 34);
    ip[0] = 0x45;
    ip[1] = 0;
    ip[2] = (uint8_t)(iplen >> 8);
    ip[3] = (uint8_t)iplen;
    ip[4] = (uint8_t)(id >> 8);
    ip[5] = (uint8_t)id;
    ip[6] = 0x40; /* DF */
    ip[7] = 0;
    ip[8] = 64;
    ip[9] = 17;
    ip[10] = ip[11] = 0;
    static const uint8_t addrs[8] = {10, 0, 0, 1, 10, 0, 0, 2};
    memcpy(ip + 12, addrs, 8);
    uint16_t c = (uint16_t)~fold(sum_bytes(ip, 20, 0));
    memcpy(ip + 10, &c, 2);
    uint8_t *udp = ip + 20;
    udp[0] = 0x04; /* 1234 */
    udp[1] = 0xd2;
    udp[2] = 0x16; /* 5678 */
    udp[3] = 0x2e;
    udp[4] = (uint8_t)(udplen >> 8);
    udp[5] = (uint8_t)udplen;
    udp[6] = udp[7] = 0;
    /* pseudo header: addresses, protocol, UDP length */
    uint64_t acc = sum_bytes(addrs, 8, 0) + be16(17) + be16(udplen);
    c = (uint16_t)~fold(sum_bytes(udp, udplen, acc));
    if (c == 0) c = 0xffff;
    memcpy(udp + 6, &c, 2);
}

/* 1 when both checksums of a frame built by build_udp verify. */
static inline int check_udp(const uint8_t *p, uint32_t len) {
    if (len < HDR_LEN) return 0;
    const uint8_t *ip = p + 14;
    if (fold(sum_bytes(ip, 20, 0)) != 0xffff) return 0;
    uint16_t udplen = (uint16_t)((ip[24] << 8) | ip[25]);
    if (udplen != len - 34) return 0;
    uint64_t acc = sum_bytes(ip + 12, 8, 0) + be16(17) + be16(udplen);
    return fold(sum_bytes(ip + 20, udplen, acc)) == 0xffff;
}

/* A JSON string literal of s (quotes, backslashes and control characters escaped). */
static void json_str(const char *s) {
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') printf("\\%c", *p);
        else if (*p < 0x20) printf("\\u%04x", *p);
        else putchar(*p);
    }
    putchar('"');
}

/* ---------------------------------------------------------------- loop */

typedef struct result {
    uint32_t size, burst;
    double seconds;
    uint64_t packets, bytes, not_taken, alloc_failures, bad;
} result;

static void *tx[MAX_BURST], *rx[MAX_BURST];
static uint64_t txa[MAX_BURST], rxa[MAX_BURST];
static uint32_t rooms[MAX_BURST], lens[MAX_BURST], rlens[MAX_BURST];

static void drain(void) {
    uint16_t got;
    while ((got = na_dpdk_rx_burst(0, 0, rx, rxa, rlens, MAX_BURST)) > 0) na_dpdk_free_bulk(rx, got);
}

static void run_case(void *pool, uint32_t size, uint32_t burst, double seconds, int touch, result *res) {
    memset(res, 0, sizeof *res);
    res->size = size;
    res->burst = burst;
    for (uint32_t i = 0; i < burst; i++) lens[i] = size;
    uint16_t id = 0;
    /* a short warm-up (caches, branch predictors), then the measured run */
    for (int phase = 0; phase < 2; phase++) {
        double limit = phase == 0 ? (seconds / 10 < 0.2 ? seconds / 10 : 0.2) : seconds;
        uint64_t packets = 0, bytes = 0, not_taken = 0, alloc_failures = 0, bad = 0;
        double t0 = now_s(), t = t0;
        for (uint32_t iter = 1;; iter++) {
            int32_t r = na_dpdk_alloc_bulk(pool, tx, txa, rooms, burst);
            if (r == 0) {
                if (touch)
                    for (uint32_t i = 0; i < burst; i++) build_udp((uint8_t *)(uintptr_t)txa[i], size, id++);
                r = na_dpdk_tx_burst_prepared(0, 0, tx, lens, (uint16_t)burst, 0, 0, 0); /* as TxQueue.send */
                if (r < 0) die("prepare_tx: frame longer than the mbuf room", r);
                uint16_t took = (uint16_t)r;
                if (took < burst) {
                    not_taken += burst - took;
                    na_dpdk_free_bulk(tx + took, burst - took);
                }
            } else {
                alloc_failures++;
            }
            uint16_t got = na_dpdk_rx_burst(0, 0, rx, rxa, rlens, (uint16_t)burst);
            if (touch)
                for (uint16_t i = 0; i < got; i++) bad += !check_udp((const uint8_t *)(uintptr_t)rxa[i], rlens[i]);
            for (uint16_t i = 0; i < got; i++) bytes += rlens[i];
            packets += got;
            na_dpdk_free_bulk(rx, got);
            if ((iter & 63) == 0) {
                t = now_s();
                if (t - t0 >= limit) break;
            }
        }
        if (phase == 1) {
            res->seconds = t - t0;
            res->packets = packets;
            res->bytes = bytes;
            res->not_taken = not_taken;
            res->alloc_failures = alloc_failures;
            res->bad = bad;
        }
    }
    drain();
    uint32_t in_use = na_dpdk_mempool_in_use(pool);
    if (in_use != 0) {
        fprintf(stderr, "na_dpdk_bench: %u mbufs still in use after size %u burst %u\n", in_use, size, burst);
        exit(1);
    }
}

int main(int argc, char **argv) {
    uint32_t sizes[MAX_CASES] = {64, 128, 512, 1518}, bursts[MAX_CASES] = {32};
    int nsizes = 4, nbursts = 1, touch = 0, json = 0;
    double seconds = 2;
    int dd = argc;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            dd = i;
            break;
        } else if (strcmp(a, "--touch") == 0) {
            touch = 1;
        } else if (strcmp(a, "--json") == 0) {
            json = 1;
        } else if (strcmp(a, "--sizes") == 0 && i + 1 < argc) {
            if ((nsizes = parse_list(argv[++i], sizes, MAX_CASES, HDR_LEN, DATA_ROOM - 128)) <= 0) usage();
        } else if (strcmp(a, "--bursts") == 0 && i + 1 < argc) {
            if ((nbursts = parse_list(argv[++i], bursts, MAX_CASES, 1, MAX_BURST)) <= 0) usage();
        } else if (strcmp(a, "--seconds") == 0 && i + 1 < argc) {
            char *end;
            seconds = strtod(argv[++i], &end);
            if (*end != '\0' || !(seconds > 0 && seconds <= 3600)) usage();
        } else {
            usage();
        }
    }

    char *eal[128];
    int neal = 0;
    eal[neal++] = argv[0];
    if (dd < argc) {
        for (int i = dd + 1; i < argc && neal < 127; i++) eal[neal++] = argv[i];
    } else {
        for (size_t i = 0; i < sizeof DEFAULT_EAL / sizeof DEFAULT_EAL[0]; i++) eal[neal++] = (char *)DEFAULT_EAL[i];
    }
    eal[neal] = NULL;
    char *eal_copy[128]; /* EAL may permute its argv: keep ours for the report */
    memcpy(eal_copy, eal, sizeof(char *) * (size_t)(neal + 1));

    int32_t r = na_dpdk_eal_init(neal, eal_copy);
    if (r < 0) die("EAL initialisation failed (na_dpdk_eal_init)", r);
    if (na_dpdk_port_count() < 1 || !na_dpdk_port_valid(0))
        die("no port 0: give EAL a device, e.g. --vdev=net_ring0", 0);
    na_dpdk_port_info info;
    if ((r = na_dpdk_port_info_get(0, &info)) != 0) die("port 0 info", r);
    int32_t err = 0;
    void *pool = na_dpdk_pktmbuf_pool_create("na_bench_pool", POOL_SIZE, POOL_CACHE, DATA_ROOM, na_dpdk_socket_id(), &err);
    if (pool == NULL) die("mbuf pool (na_dpdk_pktmbuf_pool_create)", err);
    uint16_t nb_rxd = 1024, nb_txd = 1024;
    if ((r = na_dpdk_port_configure(0, 1, 1, 0, 0, &nb_rxd, &nb_txd)) != 0) die("port 0 configure", r);
    if ((r = na_dpdk_rx_queue_setup(0, 0, nb_rxd, info.socket_id, pool)) != 0) die("port 0 rx queue setup", r);
    if ((r = na_dpdk_tx_queue_setup(0, 0, nb_txd, info.socket_id)) != 0) die("port 0 tx queue setup", r);
    if ((r = na_dpdk_port_start(0)) != 0) die("port 0 start", r);
    drain();

    char version[64];
    na_dpdk_version(version, sizeof version);
    result res[MAX_CASES * MAX_CASES];
    int nres = 0;
    if (!json) {
        printf("# %s, port 0 = %s (%s), lcore %d, touch=%s, %.1f s per case\n", version, info.name, info.driver,
               na_dpdk_lcore_id(), touch ? "yes" : "no", seconds);
        printf("# EAL:");
        for (int i = 1; i < neal; i++) printf(" %s", eal[i]);
        printf("\n# Gbit/s = received frame bytes * 8 (no preamble/SFD, IFG or FCS)\n");
        printf("%6s %6s %10s %14s %9s %9s %10s %8s%s\n", "size", "burst", "seconds", "packets", "Mpps", "Gbit/s",
               "not_taken", "no_mbuf", touch ? " bad_csum" : "");
        fflush(stdout);
    }
    for (int s = 0; s < nsizes; s++) {
        for (int b = 0; b < nbursts; b++) {
            result *x = &res[nres++];
            run_case(pool, sizes[s], bursts[b], seconds, touch, x);
            if (!json) {
                printf("%6u %6u %10.3f %14" PRIu64 " %9.3f %9.3f %10" PRIu64 " %8" PRIu64, x->size, x->burst, x->seconds,
                       x->packets, x->packets / x->seconds / 1e6, x->bytes * 8 / x->seconds / 1e9, x->not_taken,
                       x->alloc_failures);
                if (touch) printf(" %8" PRIu64, x->bad);
                printf("\n");
                fflush(stdout);
            }
        }
    }
    if (json) {
        printf("{\"bench\":\"na_dpdk_bench\",\"dpdk\":\"%s\",\"port\":0,\"device\":\"%s\",\"driver\":\"%s\","
               "\"lcore\":%d,\"touch\":%s,\"seconds_per_case\":%g,"
               "\"gbps_definition\":\"received frame bytes * 8; no preamble/SFD, inter-frame gap or FCS\",\"eal_args\":[",
               version, info.name, info.driver, na_dpdk_lcore_id(), touch ? "true" : "false", seconds);
        for (int i = 1; i < neal; i++) {
            if (i > 1) putchar(',');
            json_str(eal[i]);
        }
        printf("],\"cases\":[");
        for (int i = 0; i < nres; i++) {
            result *x = &res[i];
            printf("%s{\"size\":%u,\"burst\":%u,\"seconds\":%.6f,\"packets\":%" PRIu64 ",\"bytes\":%" PRIu64
                   ",\"mpps\":%.4f,\"gbps\":%.4f,\"not_taken\":%" PRIu64 ",\"no_mbuf\":%" PRIu64,
                   i ? "," : "", x->size, x->burst, x->seconds, x->packets, x->bytes, x->packets / x->seconds / 1e6,
                   x->bytes * 8 / x->seconds / 1e9, x->not_taken, x->alloc_failures);
            if (touch) printf(",\"bad_checksums\":%" PRIu64, x->bad);
            printf("}");
        }
        printf("]}\n");
    }

    int bad = 0;
    for (int i = 0; i < nres; i++) bad |= res[i].packets == 0 || res[i].bad != 0;
    if ((r = na_dpdk_port_stop(0)) != 0) die("port 0 stop", r);
    if ((r = na_dpdk_port_close(0)) != 0) die("port 0 close", r);
    na_dpdk_mempool_free(pool);
    na_dpdk_eal_cleanup();
    if (bad) {
        fprintf(stderr, "na_dpdk_bench: a case received no packets or had checksum errors\n");
        return 1;
    }
    return 0;
}
