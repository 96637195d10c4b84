/*
 * na_dpdk_smoke.c - smoke test of libna_dpdk through na_dpdk.h alone (as Java sees it): EAL on a
 * net_ring0 vdev (its tx ring is its rx ring, so packets loop back; no NIC, no hugepages),
 * a port's life cycle, 1000 packets through with payload checksums, and the bad-input paths.
 *
 * Usage: na_dpdk_smoke [-- EAL arguments]   (default: see DEFAULT_EAL below)
 * Exits 0 only when every check passed; bounded by alarm(60).
 */
#define _GNU_SOURCE

#include "na_dpdk.h"

#include <errno.h>
#include <stddef.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const DEFAULT_EAL[] = {"--no-huge", "--no-pci", "--no-shconf", "-m", "256",
                                          "--vdev=net_ring0", "-l", "0", "--no-telemetry"};

static int failures;
static int checks;

#define CHECK(cond, ...)                                                                       \
    do {                                                                                       \
        checks++;                                                                              \
        if (!(cond)) {                                                                         \
            failures++;                                                                        \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);                    \
            fprintf(stderr, __VA_ARGS__);                                                      \
            fputc('\n', stderr);                                                               \
        }                                                                                      \
    } while (0)

/* CHECK that an int call returns want; prints what it returned and its text otherwise. */
#define CHECK_RC(call, want)                                                                   \
    do {                                                                                       \
        int64_t rc_ = (int64_t)(call);                                                         \
        char msg_[128];                                                                        \
        msg_[0] = '\0';                                                                        \
        if (rc_ < 0) na_dpdk_strerror((int32_t)rc_, msg_, sizeof msg_);                        \
        CHECK(rc_ == (int64_t)(want), "returned %" PRId64 " (%s), want %" PRId64, rc_, msg_,    \
              (int64_t)(want));                                                                \
    } while (0)

#define FATAL(...)                                                                             \
    do {                                                                                       \
        fprintf(stderr, "FATAL: " __VA_ARGS__);                                                \
        fputc('\n', stderr);                                                                   \
        exit(2);                                                                               \
    } while (0)

/* 64-bit FNV-1a over a payload: what the receiver recomputes. */
static uint64_t fnv(const uint8_t *p, uint32_t n) {
    uint64_t h = 1469598103934665603ULL;
    for (uint32_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ULL;
    return h;
}

/* Packet seq: length 60..1514, bytes from a per-packet pattern; the first 8 bytes hold seq, the
 * next 8 the FNV hash of the rest. */
static uint32_t pkt_len(uint32_t seq) { return 60 + (seq * 97) % (1514 - 60 + 1); }

static void fill(uint8_t *p, uint32_t seq, uint32_t len) {
    uint64_t s = seq;
    memcpy(p, &s, 8);
    for (uint32_t i = 16; i < len; i++) p[i] = (uint8_t)(seq * 31 + i * 7);
    uint64_t h = fnv(p + 16, len - 16);
    memcpy(p + 8, &h, 8);
}

static int verify(const uint8_t *p, uint32_t len, uint32_t want_seq) {
    uint64_t s, h;
    memcpy(&s, p, 8);
    memcpy(&h, p + 8, 8);
    return s == want_seq && len == pkt_len(want_seq) && h == fnv(p + 16, len - 16);
}

static void *thread_main(void *arg) {
    int32_t *out = arg;
    out[0] = na_dpdk_lcore_id();
    out[1] = na_dpdk_thread_register();
    out[2] = na_dpdk_lcore_id();
    out[3] = na_dpdk_thread_register(); /* again: keeps its id */
    out[4] = na_dpdk_lcore_id();
    na_dpdk_thread_unregister();
    out[5] = na_dpdk_lcore_id();
    return NULL;
}

#define BURST 32
#define NPKT 1000

int main(int argc, char **argv) {
    alarm(60);
    setvbuf(stdout, NULL, _IOLBF, 0);

    /* ---- before EAL */
    char buf[256];
    CHECK_RC(na_dpdk_abi_version(), NA_DPDK_ABI_VERSION);
    CHECK_RC(na_dpdk_check_constants(), 0);
    CHECK_RC(na_dpdk_layout(NA_DPDK_LAYOUT_PORT_INFO_SIZE), sizeof(na_dpdk_port_info));
    CHECK_RC(na_dpdk_layout(NA_DPDK_LAYOUT_STATS_SIZE), sizeof(na_dpdk_stats));
    CHECK_RC(na_dpdk_layout(NA_DPDK_LAYOUT_PORT_INFO_RX_OFFLOAD_CAPA_OFFSET),
             offsetof(na_dpdk_port_info, rx_offload_capa));
    CHECK_RC(na_dpdk_layout(NA_DPDK_LAYOUT_PORT_INFO_LINK_SPEED_OFFSET), offsetof(na_dpdk_port_info, link_speed));
    CHECK_RC(na_dpdk_layout(NA_DPDK_LAYOUT_STATS_RX_NOMBUF_OFFSET), offsetof(na_dpdk_stats, rx_nombuf));
    CHECK_RC(na_dpdk_layout(99), -EINVAL);
    CHECK_RC(na_dpdk_layout(-1), -EINVAL);
    int32_t vlen = na_dpdk_version(buf, sizeof buf);
    CHECK(vlen > 0 && strncmp(buf, "DPDK", 4) == 0, "version '%s'", buf);
    printf("smoke: %s\n", buf);
    CHECK_RC(na_dpdk_version(NULL, 10), -EINVAL);
    CHECK_RC(na_dpdk_version(buf, 0), -EINVAL);
    CHECK_RC(na_dpdk_version(buf, 5), 4);
    CHECK(strcmp(buf, "DPDK") == 0, "truncated version '%s'", buf);
    CHECK(na_dpdk_strerror(-ENODEV, buf, sizeof buf) > 0 && strstr(buf, "device") != NULL, "'%s'", buf);
    CHECK(na_dpdk_strerror(ENODEV, buf, sizeof buf) > 0, "positive errno");
    CHECK(na_dpdk_strerror(INT32_MIN, buf, sizeof buf) >= 0, "INT32_MIN");
    CHECK_RC(na_dpdk_strerror(-EINVAL, NULL, 10), -EINVAL);
    CHECK_RC(na_dpdk_strerror(-EINVAL, buf, -1), -EINVAL);
    CHECK_RC(na_dpdk_eal_initialized(), 0);
    CHECK_RC(na_dpdk_port_count(), 0);
    CHECK_RC(na_dpdk_port_valid(0), 0);
    CHECK_RC(na_dpdk_port_next(0), -ENODEV);
    CHECK_RC(na_dpdk_lcore_id(), -1);
    CHECK_RC(na_dpdk_lcore_count(), 0);
    na_dpdk_port_info info;
    CHECK_RC(na_dpdk_port_info_get(0, &info), -ENODEV);
    CHECK_RC(na_dpdk_port_start(0), -ENODEV);
    CHECK(na_dpdk_thread_register() < 0, "thread_register before EAL");
    CHECK(na_dpdk_eal_cleanup() < 0, "eal_cleanup before init");
    int32_t err = 0;
    CHECK(na_dpdk_pktmbuf_pool_create("early", 511, 0, 2176, -1, &err) == NULL && err < 0, "pool before EAL: %d", err);
    CHECK(na_dpdk_mempool_lookup("early") == NULL, "lookup before EAL");
    CHECK_RC(na_dpdk_eal_init(0, NULL), -EINVAL);
    char *nullargv[] = {"x", NULL};
    CHECK_RC(na_dpdk_eal_init(2, nullargv), -EINVAL);
    CHECK_RC(na_dpdk_eal_initialized(), 0);

    /* ---- EAL */
    int dd = 1;
    while (dd < argc && strcmp(argv[dd], "--") != 0) dd++;
    char *eal[64];
    int neal = 0;
    eal[neal++] = argv[0];
    if (dd < argc) {
        for (int i = dd + 1; i < argc && neal < 63; i++) eal[neal++] = argv[i];
    } else {
        for (size_t i = 0; i < sizeof DEFAULT_EAL / sizeof DEFAULT_EAL[0]; i++) eal[neal++] = (char *)DEFAULT_EAL[i];
    }
    eal[neal] = NULL;
    printf("smoke: EAL args:");
    for (int i = 1; i < neal; i++) printf(" %s", eal[i]);
    printf("\n");
    int32_t r = na_dpdk_eal_init(neal, eal);
    if (r < 0) {
        na_dpdk_strerror(r, buf, sizeof buf);
        FATAL("na_dpdk_eal_init: %d (%s)", r, buf);
    }
    CHECK(r == neal - 1, "eal_init parsed %d of %d", r, neal - 1);
    CHECK_RC(na_dpdk_eal_initialized(), 1);
    CHECK_RC(na_dpdk_eal_init(neal, eal), -EALREADY);
    CHECK(na_dpdk_lcore_count() >= 1, "lcore_count %d", na_dpdk_lcore_count());
    CHECK_RC(na_dpdk_lcore_id(), 0);
    CHECK(na_dpdk_socket_id() >= -1, "socket %d", na_dpdk_socket_id());
    CHECK_RC(na_dpdk_thread_register(), 0); /* the main lcore: keeps id 0 */
    CHECK_RC(na_dpdk_lcore_id(), 0);
    na_dpdk_thread_unregister(); /* not for EAL threads: no effect */
    CHECK_RC(na_dpdk_lcore_id(), 0);

    pthread_t th;
    int32_t tres[6] = {0};
    if (pthread_create(&th, NULL, thread_main, tres) != 0) FATAL("pthread_create");
    pthread_join(th, NULL);
    CHECK(tres[0] == -1 && tres[1] == 0 && tres[2] > 0 && tres[3] == 0 && tres[4] == tres[2] && tres[5] == -1,
          "foreign thread lcore ids: %d %d %d %d %d %d", tres[0], tres[1], tres[2], tres[3], tres[4], tres[5]);

    /* ---- ports */
    CHECK_RC(na_dpdk_port_count(), 1);
    CHECK_RC(na_dpdk_port_next(0), 0);
    CHECK_RC(na_dpdk_port_next(1), -ENODEV);
    CHECK_RC(na_dpdk_port_next(-1), -EINVAL);
    CHECK_RC(na_dpdk_port_next(100000), -ENODEV);
    CHECK_RC(na_dpdk_port_valid(0), 1);
    CHECK_RC(na_dpdk_port_valid(999), 0);
    CHECK_RC(na_dpdk_port_valid(-1), 0);
    CHECK_RC(na_dpdk_port_by_name("net_ring0"), 0);
    CHECK_RC(na_dpdk_port_by_name("net_nothing9"), -ENODEV);
    CHECK_RC(na_dpdk_port_by_name(NULL), -EINVAL);
    CHECK_RC(na_dpdk_port_info_get(999, &info), -ENODEV);
    CHECK_RC(na_dpdk_port_info_get(0, NULL), -EINVAL);
    memset(&info, 0xAB, sizeof info);
    CHECK_RC(na_dpdk_port_info_get(0, &info), 0);
    CHECK(strcmp(info.name, "net_ring0") == 0, "name '%s'", info.name);
    CHECK(strcmp(info.driver, "net_ring") == 0, "driver '%s'", info.driver);
    /* (net_ring reports its 16 ring-backed queues as configured already, before any configure) */
    CHECK(info.started == 0 && info.reserved == 0 && info.mac[6] == 0 && info.mac[7] == 0, "started %u", info.started);
    CHECK(info.max_rx_queues >= 1 && info.max_tx_queues >= 1, "max queues %u/%u", info.max_rx_queues,
          info.max_tx_queues);
    printf("smoke: port 0 %s driver %s mac %02x:%02x:%02x:%02x:%02x:%02x mtu %u max_rx_pktlen %u queues %u/%u "
           "desc rx %u..%u tx %u..%u link %u Mbit/s %s, socket %d, offloads rx %#" PRIx64 " tx %#" PRIx64 "\n",
           info.name, info.driver, info.mac[0], info.mac[1], info.mac[2], info.mac[3], info.mac[4], info.mac[5],
           info.mtu, info.max_rx_pktlen, info.max_rx_queues, info.max_tx_queues, info.rx_desc_min, info.rx_desc_max,
           info.tx_desc_min, info.tx_desc_max, info.link_speed, info.link_status ? "up" : "down", info.socket_id,
           info.rx_offload_capa, info.tx_offload_capa);

    /* ---- mempool */
    void *pool = na_dpdk_pktmbuf_pool_create("smoke_pool", 2047, 64, 2048 + 128, -1, &err);
    if (pool == NULL) {
        na_dpdk_strerror(err, buf, sizeof buf);
        FATAL("pool create: %d (%s)", err, buf);
    }
    CHECK_RC(err, 0);
    err = 0;
    CHECK(na_dpdk_pktmbuf_pool_create("smoke_pool", 511, 0, 2176, -1, &err) == NULL && err == -EEXIST,
          "duplicate pool: %d", err);
    CHECK(na_dpdk_pktmbuf_pool_create(NULL, 511, 0, 2176, -1, &err) == NULL && err == -EINVAL, "NULL name: %d", err);
    CHECK(na_dpdk_pktmbuf_pool_create("smoke_bad", 511, 100000, 2176, -1, &err) == NULL && err < 0,
          "huge cache: %d", err);
    CHECK(na_dpdk_pktmbuf_pool_create("smoke_bad2", 511, 0, 2176, -7, NULL) == NULL, "bad socket");
    CHECK(na_dpdk_mempool_lookup("smoke_pool") == pool, "lookup");
    CHECK(na_dpdk_mempool_lookup("smoke_none") == NULL, "lookup missing");
    CHECK(na_dpdk_mempool_lookup(NULL) == NULL, "lookup NULL");
    CHECK_RC(na_dpdk_mempool_size(pool), 2047);
    CHECK_RC(na_dpdk_mempool_avail(pool), 2047);
    CHECK_RC(na_dpdk_mempool_in_use(pool), 0);
    CHECK_RC(na_dpdk_mempool_data_room(pool), 2176);
    CHECK_RC(na_dpdk_pktmbuf_headroom_default(), 128);
    CHECK_RC(na_dpdk_mempool_size(NULL), 0);
    CHECK_RC(na_dpdk_mempool_in_use(NULL), 0);
    CHECK_RC(na_dpdk_mempool_data_room(NULL), 0);
    na_dpdk_mempool_free(NULL);
    uint64_t span_start = 0, span_len = 0;
    CHECK_RC(na_dpdk_mempool_span(pool, &span_start, &span_len), 0);
    CHECK(span_start != 0 && span_len >= 2047ULL * 2176, "span %#" PRIx64 " + %" PRIu64, span_start, span_len);
    CHECK_RC(na_dpdk_mempool_span(NULL, &span_start, &span_len), -EINVAL);
    CHECK_RC(na_dpdk_mempool_span(pool, NULL, &span_len), -EINVAL);

    /* ---- configure, queues, start */
    uint16_t nb_rxd = 1024, nb_txd = 1024;
    CHECK_RC(na_dpdk_port_start(0), -EINVAL); /* not configured */
    CHECK_RC(na_dpdk_port_configure(999, 1, 1, 0, 0, &nb_rxd, &nb_txd), -ENODEV);
    CHECK(na_dpdk_port_configure(0, 1, 1, 1ULL << 62, 0, NULL, NULL) < 0, "unsupported rx offload accepted");
    CHECK_RC(na_dpdk_port_configure(0, 1, 1, 0, 0, &nb_rxd, &nb_txd), 0);
    CHECK(nb_rxd > 0 && nb_txd > 0, "descriptors %u/%u", nb_rxd, nb_txd);
    CHECK_RC(na_dpdk_port_start(0), -EINVAL); /* queues not set up */
    CHECK_RC(na_dpdk_rx_queue_setup(0, 1, nb_rxd, -1, pool), -EINVAL);
    CHECK_RC(na_dpdk_rx_queue_setup(0, 0, nb_rxd, -1, NULL), -EINVAL);
    CHECK_RC(na_dpdk_rx_queue_setup(999, 0, nb_rxd, -1, pool), -ENODEV);
    CHECK_RC(na_dpdk_tx_queue_setup(0, 1, nb_txd, -1), -EINVAL);
    CHECK_RC(na_dpdk_tx_queue_setup(999, 0, nb_txd, -1), -ENODEV);
    CHECK_RC(na_dpdk_rx_queue_setup(0, 0, nb_rxd, -1, pool), 0);
    CHECK_RC(na_dpdk_port_start(0), -EINVAL); /* tx queue still missing */
    CHECK_RC(na_dpdk_tx_queue_setup(0, 0, nb_txd, -1), 0);
    CHECK_RC(na_dpdk_port_start(999), -ENODEV);
    CHECK_RC(na_dpdk_port_start(0), 0);
    CHECK_RC(na_dpdk_port_info_get(0, &info), 0);
    CHECK(info.started == 1 && info.nb_rx_queues == 1 && info.nb_tx_queues == 1, "started %u queues %u/%u",
          info.started, info.nb_rx_queues, info.nb_tx_queues);
    CHECK_RC(na_dpdk_port_close(0), -EBUSY); /* started */
    int32_t pr = na_dpdk_port_promiscuous(0, 1);
    CHECK(pr == 0 || pr == -ENOTSUP, "promiscuous on: %d", pr);
    CHECK_RC(na_dpdk_port_promiscuous(0, 2), -EINVAL);
    CHECK_RC(na_dpdk_port_promiscuous(999, 1), -ENODEV);
    CHECK_RC(na_dpdk_stats_reset(0), 0);
    CHECK_RC(na_dpdk_stats_reset(999), -ENODEV);

    /* ---- 1000 packets through the ring */
    void *tx[BURST], *rx[BURST];
    uint64_t addrs[BURST], raddrs[BURST];
    uint32_t rooms[BURST], lens[BURST], rlens[BURST];
    uint32_t sent = 0, received = 0, bad = 0, rejected = 0, spins = 0;
    uint64_t sent_bytes = 0;
    while (received < NPKT && spins < 1000000) {
        spins++;
        uint32_t n = NPKT - sent < BURST ? NPKT - sent : BURST;
        if (n > 0) {
            r = na_dpdk_alloc_bulk(pool, tx, addrs, rooms, n);
            if (r != 0) FATAL("alloc_bulk: %d", r);
            for (uint32_t i = 0; i < n; i++) {
                lens[i] = pkt_len(sent + i);
                if (rooms[i] != 2048) FATAL("room %u", rooms[i]);
                fill((uint8_t *)(uintptr_t)addrs[i], sent + i, lens[i]);
            }
            r = na_dpdk_prepare_tx(tx, lens, n, 0, 0, 0);
            if (r != 0) FATAL("prepare_tx: %d", r);
            uint16_t took = na_dpdk_tx_burst(0, 0, tx, (uint16_t)n);
            for (uint32_t i = 0; i < took; i++) sent_bytes += lens[i];
            rejected += n - took;
            na_dpdk_free_bulk(tx + took, n - took); /* resent next round with the same seqs */
            sent += took;
        }
        uint16_t got = na_dpdk_rx_burst(0, 0, rx, raddrs, rlens, BURST);
        for (uint16_t i = 0; i < got; i++) {
            if (!verify((const uint8_t *)(uintptr_t)raddrs[i], rlens[i], received + i)) bad++;
        }
        received += got;
        na_dpdk_free_bulk(rx, got);
    }
    printf("smoke: %u packets sent (%" PRIu64 " bytes), %u received, %u bad, %u not taken by tx\n", sent, sent_bytes,
           received, bad, rejected);
    CHECK(sent == NPKT && received == NPKT && bad == 0, "sent %u received %u bad %u", sent, received, bad);
    CHECK_RC(na_dpdk_mempool_in_use(pool), 0);

    na_dpdk_stats st;
    CHECK_RC(na_dpdk_stats_get(0, &st), 0);
    CHECK(st.ipackets == NPKT && st.opackets == NPKT, "stats ipackets %" PRIu64 " opackets %" PRIu64, st.ipackets,
          st.opackets);
    CHECK_RC(na_dpdk_stats_get(0, NULL), -EINVAL);
    CHECK_RC(na_dpdk_stats_get(999, &st), -ENODEV);

    int32_t nx = na_dpdk_xstats_count(0);
    CHECK(nx > 0, "xstats count %d", nx);
    if (nx > 0) {
        char *names = calloc((size_t)nx, NA_DPDK_NAME_MAX);
        uint64_t *vals = calloc((size_t)nx, sizeof *vals);
        CHECK_RC(na_dpdk_xstats_names(0, names, nx), nx);
        CHECK_RC(na_dpdk_xstats_values(0, vals, nx), nx);
        int found = 0;
        for (int32_t i = 0; i < nx; i++)
            if (strcmp(names + (size_t)i * NA_DPDK_NAME_MAX, "rx_good_packets") == 0) {
                found = 1;
                CHECK(vals[i] == NPKT, "rx_good_packets %" PRIu64, vals[i]);
            }
        CHECK(found, "no rx_good_packets xstat");
        CHECK_RC(na_dpdk_xstats_names(0, names, 1), 1);
        CHECK_RC(na_dpdk_xstats_values(0, vals, 2), nx >= 2 ? 2 : nx);
        CHECK_RC(na_dpdk_xstats_names(0, NULL, 5), -EINVAL);
        CHECK_RC(na_dpdk_xstats_values(0, vals, -1), -EINVAL);
        CHECK_RC(na_dpdk_xstats_names(0, NULL, 0), 0);
        CHECK_RC(na_dpdk_xstats_count(999), -ENODEV);
        free(names);
        free(vals);
    }

    /* ---- data-path bad input: no crash, nothing taken */
    CHECK_RC(na_dpdk_rx_burst(999, 0, rx, raddrs, rlens, BURST), 0);
    CHECK_RC(na_dpdk_rx_burst(0, 7, rx, raddrs, rlens, BURST), 0);
    CHECK_RC(na_dpdk_rx_burst(0, 0, NULL, raddrs, rlens, BURST), 0);
    CHECK_RC(na_dpdk_rx_burst(0, 0, rx, NULL, rlens, BURST), 0);
    CHECK_RC(na_dpdk_rx_burst(0, 0, rx, raddrs, NULL, BURST), 0);
    CHECK_RC(na_dpdk_rx_burst_wait(999, 0, rx, raddrs, rlens, BURST, 10), 0);
    CHECK_RC(na_dpdk_rx_burst_wait(0, 7, rx, raddrs, rlens, BURST, 10), 0);
    CHECK_RC(na_dpdk_rx_burst_wait(0, 0, NULL, raddrs, rlens, BURST, 10), 0);
    CHECK_RC(na_dpdk_rx_burst_wait(0, 0, rx, NULL, rlens, BURST, 10), 0);
    CHECK_RC(na_dpdk_rx_burst_wait(0, 0, rx, raddrs, NULL, BURST, 10), 0);
    /* nothing in the ring: 1000 more tries, then 0 */
    CHECK_RC(na_dpdk_rx_burst_wait(0, 0, rx, raddrs, rlens, BURST, 1000), 0);
    CHECK_RC(na_dpdk_tx_burst(999, 0, tx, 1), 0);
    CHECK_RC(na_dpdk_tx_burst(0, 3, tx, 1), 0);
    CHECK_RC(na_dpdk_tx_burst(0, 0, NULL, 1), 0);
    CHECK_RC(na_dpdk_alloc_bulk(NULL, tx, addrs, rooms, 1), -EINVAL);
    CHECK_RC(na_dpdk_alloc_bulk(pool, NULL, addrs, rooms, 1), -EINVAL);
    CHECK_RC(na_dpdk_alloc_bulk(pool, tx, addrs, NULL, 1), -EINVAL);
    void **many = calloc(4096, sizeof *many);
    uint64_t *maddrs = calloc(4096, sizeof *maddrs);
    uint32_t *mrooms = calloc(4096, sizeof *mrooms);
    CHECK(na_dpdk_alloc_bulk(pool, many, maddrs, mrooms, 4096) < 0, "more than the pool holds");
    CHECK_RC(na_dpdk_mempool_in_use(pool), 0);
    free(many);
    free(maddrs);
    free(mrooms);
    na_dpdk_free_bulk(NULL, 5);
    void *nulls[3] = {NULL, NULL, NULL};
    na_dpdk_free_bulk(nulls, 3);

    CHECK_RC(na_dpdk_alloc_bulk(pool, tx, addrs, rooms, 3), 0);
    CHECK_RC(na_dpdk_mempool_in_use(pool), 3);
    uint32_t l3[3] = {100, 5000, 60}; /* the second is longer than its room (2048) */
    CHECK_RC(na_dpdk_prepare_tx(tx, l3, 3, NA_DPDK_TX_IPV4 | NA_DPDK_TX_IP_CKSUM, 14, 20), -2);
    uint32_t hr = 0, dl = 0, tr = 0;
    CHECK(na_dpdk_mbuf_adjust(tx[0], 0, &hr, &dl, &tr) == addrs[0] && dl == 100 && hr == 128 && tr == 1948,
          "first mbuf prepared: headroom %u len %u tailroom %u", hr, dl, tr);
    CHECK(na_dpdk_mbuf_adjust(tx[1], 0, &hr, &dl, &tr) == addrs[1] && dl == 0, "second mbuf untouched: len %u", dl);
    uint32_t okl[3] = {2048, 0, 60};
    CHECK_RC(na_dpdk_prepare_tx(tx, okl, 3, 0, 0, 0), 0);
    CHECK_RC(na_dpdk_prepare_tx(tx, okl, 3, 0x80, 0, 0), -EINVAL);
    CHECK_RC(na_dpdk_prepare_tx(tx, okl, 3, 0, 128, 0), -EINVAL);
    CHECK_RC(na_dpdk_prepare_tx(tx, okl, 3, 0, 0, 512), -EINVAL);
    CHECK_RC(na_dpdk_prepare_tx(NULL, okl, 3, 0, 0, 0), -EINVAL);
    CHECK_RC(na_dpdk_prepare_tx(tx, NULL, 3, 0, 0, 0), -EINVAL);
    CHECK_RC(na_dpdk_prepare_tx(NULL, NULL, 0, 0, 0, 0), 0);
    /* prepare and send in one call: prepare_tx's refusals send nothing */
    CHECK_RC(na_dpdk_tx_burst_prepared(0, 0, tx, l3, 3, 0, 0, 0), -2);
    CHECK_RC(na_dpdk_tx_burst_prepared(0, 0, tx, okl, 3, 0x80, 0, 0), -EINVAL);
    CHECK_RC(na_dpdk_tx_burst_prepared(0, 0, NULL, okl, 3, 0, 0, 0), -EINVAL);
    CHECK_RC(na_dpdk_mempool_in_use(pool), 3);
    /* mbuf_adjust on tx[2] (60 bytes at headroom 128) */
    CHECK(na_dpdk_mbuf_adjust(tx[2], -14, &hr, &dl, &tr) == addrs[2] - 14 && hr == 114 && dl == 74,
          "prepend 14: headroom %u len %u", hr, dl);
    CHECK(na_dpdk_mbuf_adjust(tx[2], -200, &hr, &dl, &tr) == 0 && hr == 114 && dl == 74, "prepend 200 fits?");
    CHECK(na_dpdk_mbuf_adjust(tx[2], 14, &hr, &dl, &tr) == addrs[2] && hr == 128 && dl == 60, "trim 14");
    CHECK(na_dpdk_mbuf_adjust(tx[2], 61, &hr, &dl, &tr) == 0 && dl == 60, "trim past the data");
    CHECK(na_dpdk_mbuf_adjust(tx[2], INT32_MIN, NULL, NULL, NULL) == 0, "INT32_MIN");
    CHECK(na_dpdk_mbuf_adjust(tx[2], INT32_MAX, NULL, NULL, NULL) == 0, "INT32_MAX");
    CHECK(na_dpdk_mbuf_adjust(NULL, 0, &hr, &dl, &tr) == 0, "NULL mbuf");
    void *mixed[4] = {tx[0], NULL, tx[1], tx[2]};
    na_dpdk_free_bulk(mixed, 4);
    CHECK_RC(na_dpdk_mempool_in_use(pool), 0);
    /* ...and when they pass, the lengths are set and the burst is sent */
    CHECK_RC(na_dpdk_alloc_bulk(pool, tx, addrs, rooms, 2), 0);
    uint32_t two[2] = {60, 100};
    CHECK_RC(na_dpdk_tx_burst_prepared(0, 0, tx, two, 2, 0, 0, 0), 2);
    uint32_t back = 0, backlen[2] = {0, 0};
    for (int spin = 0; spin < 1000000 && back < 2; spin++) {
        uint16_t got = na_dpdk_rx_burst(0, 0, rx, raddrs, rlens, BURST);
        for (uint16_t i = 0; i < got; i++) {
            if (back < 2) backlen[back] = rlens[i];
            back++;
        }
        na_dpdk_free_bulk(rx, got);
    }
    CHECK(back == 2 && backlen[0] == 60 && backlen[1] == 100, "tx_burst_prepared looped back %u frames of %u and %u bytes",
          back, backlen[0], backlen[1]);
    CHECK_RC(na_dpdk_mempool_in_use(pool), 0);
    /* rx_burst_wait: returns what is in, with addresses and lengths, without waiting further */
    CHECK_RC(na_dpdk_alloc_bulk(pool, tx, addrs, rooms, 1), 0);
    uint32_t one[1] = {77};
    memset((void *)(uintptr_t)addrs[0], 0x5a, 77);
    CHECK_RC(na_dpdk_tx_burst_prepared(0, 0, tx, one, 1, 0, 0, 0), 1);
    uint16_t waited = na_dpdk_rx_burst_wait(0, 0, rx, raddrs, rlens, BURST, 1000000);
    CHECK(waited == 1 && rlens[0] == 77 && ((const uint8_t *)(uintptr_t)raddrs[0])[76] == 0x5a,
          "rx_burst_wait got %u frames, the first of %u bytes", waited, waited > 0 ? rlens[0] : 0);
    na_dpdk_free_bulk(rx, waited);
    CHECK_RC(na_dpdk_mempool_in_use(pool), 0);

    /* ---- stop, close */
    CHECK_RC(na_dpdk_port_stop(999), -ENODEV);
    CHECK_RC(na_dpdk_port_stop(0), 0);
    CHECK_RC(na_dpdk_port_info_get(0, &info), 0);
    CHECK(info.started == 0, "started after stop: %u", info.started);
    CHECK_RC(na_dpdk_alloc_bulk(pool, tx, addrs, rooms, 2), 0);
    CHECK_RC(na_dpdk_prepare_tx(tx, okl + 2, 1, 0, 0, 0), 0);
    CHECK_RC(na_dpdk_tx_burst(0, 0, tx, 2), 0); /* stopped: the mbufs stay ours */
    CHECK_RC(na_dpdk_tx_burst_prepared(0, 0, tx, okl + 1, 2, 0, 0, 0), 0);
    CHECK_RC(na_dpdk_rx_burst(0, 0, rx, raddrs, rlens, BURST), 0);
    CHECK_RC(na_dpdk_rx_burst_wait(0, 0, rx, raddrs, rlens, BURST, 5), 0);
    na_dpdk_free_bulk(tx, 2);
    CHECK_RC(na_dpdk_mempool_in_use(pool), 0);
    CHECK_RC(na_dpdk_port_close(999), -ENODEV);
    /* more queues configured than set up: net_ring's close would free a NULL queue's ring */
    CHECK_RC(na_dpdk_port_configure(0, 2, 2, 0, 0, NULL, NULL), 0);
    CHECK_RC(na_dpdk_port_start(0), -EINVAL);
    CHECK_RC(na_dpdk_port_close(0), 0);
    CHECK_RC(na_dpdk_port_valid(0), 0);
    CHECK_RC(na_dpdk_port_info_get(0, &info), -ENODEV);
    CHECK_RC(na_dpdk_port_start(0), -ENODEV);
    CHECK_RC(na_dpdk_port_count(), 0);
    CHECK_RC(na_dpdk_tx_burst(0, 0, tx, 1), 0);

    na_dpdk_mempool_free(pool);
    CHECK(na_dpdk_mempool_lookup("smoke_pool") == NULL, "pool still there after free");

    /* ---- cleanup */
    CHECK_RC(na_dpdk_eal_cleanup(), 0);
    CHECK_RC(na_dpdk_eal_initialized(), 0);
    CHECK_RC(na_dpdk_eal_cleanup(), -EALREADY);
    CHECK_RC(na_dpdk_eal_init(neal, eal), -EALREADY);
    CHECK_RC(na_dpdk_port_count(), 0);
    CHECK_RC(na_dpdk_port_valid(0), 0);
    CHECK(na_dpdk_pktmbuf_pool_create("late", 511, 0, 2176, -1, &err) == NULL && err < 0, "pool after cleanup");
    CHECK(na_dpdk_thread_register() < 0, "thread_register after cleanup");

    if (failures) {
        fprintf(stderr, "smoke: FAILED: %d of %d checks\n", failures, checks);
        return 1;
    }
    printf("smoke: OK (%d checks)\n", checks);
    return 0;
}
