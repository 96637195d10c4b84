/*
 * na_dpdk.c - DPDK shim (Linux, DPDK 22.11): EAL, mempools, ethdev ports and the burst data path.
 * The contract is native/include/na_dpdk.h; this file adds only what the header leaves open.
 *
 * Safety: DPDK trusts its callers (a bad port id indexes past rte_eth_devices, an rx burst on a
 * queue that was never set up hands NULL to the driver), so every function checks its arguments
 * before calling DPDK: an invalid port gives -ENODEV, a NULL pointer -EINVAL. What cannot be
 * checked is the validity of pointers the caller got from this library (pools after
 * na_dpdk_mempool_free or na_dpdk_eal_cleanup, mbufs already freed or sent).
 *
 * EAL state: this library tracks it itself (DPDK cannot initialise twice in a process, even after
 * rte_eal_cleanup, and most of its functions crash when called before rte_eal_init). Functions
 * that need EAL return -ENODEV (port functions: no port is valid then) or -E_RTE_NO_CONFIG (the
 * others; na_dpdk_strerror knows it) while it is not initialised.
 *
 * Ports: the data path uses a port's queues only while this library has started the port, and
 * only queues set up since the last configure: each port has a count of usable rx/tx queues,
 * non-zero only between a successful na_dpdk_port_start and na_dpdk_port_stop/close. One compare
 * against it per burst keeps a burst on a stopped port, an unknown queue or port id harmless
 * (it returns 0). The control functions that change that state run under one mutex; DPDK's own
 * control path is not thread-safe per port. Stopping a port while another thread is inside a
 * burst on it is still a race in DPDK itself: stop the data path first.
 *
 * Data path (rx_burst, tx_burst, alloc_bulk, free_bulk, prepare_tx): one combined argument check
 * per call, then DPDK's inline burst functions and a loop over the burst. Nothing per packet
 * beyond the driver's own work.
 */
#define _GNU_SOURCE

#include "na_dpdk.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_version.h>

#define NA_API __attribute__((visibility("default")))
#define NA_HOT __attribute__((hot))

/* The struct fields the header fixes must hold what DPDK gives. */
_Static_assert(NA_DPDK_NAME_MAX >= RTE_ETH_NAME_MAX_LEN, "port name field too small");
_Static_assert(NA_DPDK_NAME_MAX >= RTE_ETH_XSTATS_NAME_SIZE, "xstat name field too small");
_Static_assert(RTE_MAX_QUEUES_PER_PORT <= 65536 && RTE_MAX_QUEUES_PER_PORT % 64 == 0, "queue bitmap");

/* Returned by functions other than the port ones while EAL is not initialised. */
#define NA_ENOEAL (-E_RTE_NO_CONFIG)

/* ------------------------------------------------------------------ state */

enum { EAL_NEVER = 0, EAL_UP = 1, EAL_DONE = 2 };

/* EAL_NEVER -> EAL_UP (na_dpdk_eal_init) -> EAL_DONE (na_dpdk_eal_cleanup); read without the lock. */
static int eal_state = EAL_NEVER;

/* Serialises EAL init/cleanup and the port functions that change the state below. */
static pthread_mutex_t ctl_lock = PTHREAD_MUTEX_INITIALIZER;

/* Per port, read by the data path: queues usable by bursts (0 unless this library started the
 * port). Written under ctl_lock, read with relaxed atomics (one load per burst). */
typedef struct port_dp {
    uint16_t rxq;
    uint16_t txq;
} port_dp;
static port_dp dp[RTE_MAX_ETHPORTS];

/* Per port, control path only: queues set up since the last configure (bit per queue) and the
 * configured counts. A port starts only with all its configured queues set up. */
#define QWORDS (RTE_MAX_QUEUES_PER_PORT / 64)
static uint64_t rxq_set[RTE_MAX_ETHPORTS][QWORDS];
static uint64_t txq_set[RTE_MAX_ETHPORTS][QWORDS];
static uint16_t nrxq_cfg[RTE_MAX_ETHPORTS];
static uint16_t ntxq_cfg[RTE_MAX_ETHPORTS];

static inline int eal_up(void) { return __atomic_load_n(&eal_state, __ATOMIC_ACQUIRE) == EAL_UP; }

/* A port id DPDK can be asked about: EAL running and the id in use. */
static inline int port_ok(uint16_t port) { return eal_up() && rte_eth_dev_is_valid_port(port); }

static inline int rte_err(void) { return rte_errno > 0 ? -rte_errno : -EIO; }

static void dp_set(uint16_t port, uint16_t rxq, uint16_t txq) {
    __atomic_store_n(&dp[port].rxq, rxq, __ATOMIC_RELEASE);
    __atomic_store_n(&dp[port].txq, txq, __ATOMIC_RELEASE);
}

static void bits_clear_from(uint64_t *bits, uint32_t from) {
    for (uint32_t q = from; q < RTE_MAX_QUEUES_PER_PORT; q++) bits[q / 64] &= ~(1ULL << (q % 64));
}

static int bits_all_set(const uint64_t *bits, uint32_t n) {
    for (uint32_t q = 0; q < n; q++)
        if (!(bits[q / 64] & (1ULL << (q % 64)))) return 0;
    return 1;
}

static void port_forget(uint16_t port) {
    dp_set(port, 0, 0);
    memset(rxq_set[port], 0, sizeof rxq_set[port]);
    memset(txq_set[port], 0, sizeof txq_set[port]);
    nrxq_cfg[port] = 0;
    ntxq_cfg[port] = 0;
}

/* Length of the prefix of set-up queues: DPDK's queue info query answers -EINVAL for a queue
 * that was not set up (before -ENOTSUP for a driver without the query). */
static uint16_t setup_prefix(uint16_t port, uint16_t n, int rx) {
    for (uint16_t q = 0; q < n; q++) {
        struct rte_eth_rxq_info ri;
        struct rte_eth_txq_info ti;
        int r = rx ? rte_eth_rx_queue_info_get(port, q, &ri) : rte_eth_tx_queue_info_get(port, q, &ti);
        if (r == -EINVAL) return q;
    }
    return n;
}

/* Before a port is closed (na_dpdk_port_close, or rte_eal_cleanup, which closes every port):
 * net_ring in 22.11 frees the ring of every configured rx queue on close without checking that
 * the queue was set up, so a port configured with more queues than were set up crashes there.
 * When this library's view shows such a gap, shrink the configuration to the queues DPDK has
 * (a closing port loses its configuration anyway). Left alone: a port with no queue set up at
 * all (DPDK would turn a 0/0 configuration into 1/1); it takes a failed queue setup to get one. */
static void trim_unset_queues(uint16_t port) {
    if (bits_all_set(rxq_set[port], nrxq_cfg[port]) && bits_all_set(txq_set[port], ntxq_cfg[port])) return;
    struct rte_eth_dev_info di;
    if (rte_eth_dev_info_get(port, &di) != 0) return;
    uint16_t krx = setup_prefix(port, di.nb_rx_queues, 1), ktx = setup_prefix(port, di.nb_tx_queues, 0);
    if ((krx < di.nb_rx_queues || ktx < di.nb_tx_queues) && krx + ktx > 0) {
        struct rte_eth_conf conf;
        memset(&conf, 0, sizeof conf);
        (void)rte_eth_dev_configure(port, krx, ktx, &conf);
    }
}

/* Copies a NUL-terminated string into buf (cap bytes), truncating; returns the copied length. */
static int32_t copy_str(const char *s, char *buf, size_t cap) {
    size_t len = s ? strlen(s) : 0;
    if (len >= cap) len = cap - 1;
    if (len) memcpy(buf, s, len);
    buf[len] = '\0';
    return (int32_t)len;
}

/* ------------------------------------------------------------------ library */

NA_API int32_t na_dpdk_abi_version(void) { return NA_DPDK_ABI_VERSION; }

NA_API int64_t na_dpdk_layout(int32_t query) {
    switch (query) {
    case NA_DPDK_LAYOUT_PORT_INFO_SIZE: return (int64_t)sizeof(na_dpdk_port_info);
    case NA_DPDK_LAYOUT_STATS_SIZE: return (int64_t)sizeof(na_dpdk_stats);
    case NA_DPDK_LAYOUT_PORT_INFO_RX_OFFLOAD_CAPA_OFFSET: return (int64_t)offsetof(na_dpdk_port_info, rx_offload_capa);
    case NA_DPDK_LAYOUT_PORT_INFO_LINK_SPEED_OFFSET: return (int64_t)offsetof(na_dpdk_port_info, link_speed);
    case NA_DPDK_LAYOUT_STATS_RX_NOMBUF_OFFSET: return (int64_t)offsetof(na_dpdk_stats, rx_nombuf);
    default: return -EINVAL;
    }
}

NA_API int32_t na_dpdk_check_constants(void) {
    static const uint64_t pairs[][2] = {
        {NA_DPDK_RX_OFFLOAD_IPV4_CKSUM, RTE_ETH_RX_OFFLOAD_IPV4_CKSUM},
        {NA_DPDK_RX_OFFLOAD_UDP_CKSUM, RTE_ETH_RX_OFFLOAD_UDP_CKSUM},
        {NA_DPDK_RX_OFFLOAD_TCP_CKSUM, RTE_ETH_RX_OFFLOAD_TCP_CKSUM},
        {NA_DPDK_TX_OFFLOAD_IPV4_CKSUM, RTE_ETH_TX_OFFLOAD_IPV4_CKSUM},
        {NA_DPDK_TX_OFFLOAD_UDP_CKSUM, RTE_ETH_TX_OFFLOAD_UDP_CKSUM},
        {NA_DPDK_TX_OFFLOAD_TCP_CKSUM, RTE_ETH_TX_OFFLOAD_TCP_CKSUM},
        {NA_DPDK_TX_OFFLOAD_MBUF_FAST_FREE, RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        if (pairs[i][0] != pairs[i][1]) return (int32_t)i + 1;
    return 0;
}

NA_API int32_t na_dpdk_version(char *buf, int32_t cap) {
    if (buf == NULL || cap <= 0) return -EINVAL;
    return copy_str(rte_version(), buf, (size_t)cap);
}

NA_API int32_t na_dpdk_strerror(int32_t err, char *buf, int32_t cap) {
    if (buf == NULL || cap <= 0) return -EINVAL;
    int64_t e = err < 0 ? -(int64_t)err : (int64_t)err;
    if (e > INT_MAX) e = INT_MAX; /* -INT32_MIN: rte_strerror says "Unknown error" */
    return copy_str(rte_strerror((int)e), buf, (size_t)cap);
}

/* ------------------------------------------------------------------ EAL */

/* What rte_eal_init does to its caller (DPDK 22.11; worth knowing from a JVM):
 *  - the calling thread becomes the main lcore and is pinned to that lcore's CPUs (-l 0: CPU 0);
 *    threads it creates afterwards inherit that affinity;
 *  - it starts a thread per further lcore, an interrupt thread and (without --no-telemetry) a
 *    telemetry thread with a socket under /var/run/dpdk/<prefix>/;
 *  - on a bad option it prints its usage text to stdout. A failed call can be retried only when
 *    it failed while parsing options, and the options of the failed call stay in effect (DPDK does
 *    not reset its flags: --in-memory once given stays set); otherwise DPDK answers -EALREADY. */
NA_API int32_t na_dpdk_eal_init(int32_t argc, char **argv) {
    if (argc < 1 || argv == NULL) return -EINVAL;
    for (int32_t i = 0; i < argc; i++)
        if (argv[i] == NULL) return -EINVAL;
    pthread_mutex_lock(&ctl_lock);
    if (eal_state != EAL_NEVER) {
        pthread_mutex_unlock(&ctl_lock);
        return -EALREADY;
    }
    /* EAL's getopt permutes argv, and some options may keep pointers into it: hand it a private
     * copy that lives as long as the process (a few hundred bytes, once). */
    char **copy = calloc((size_t)argc + 1, sizeof *copy);
    int32_t ret = copy ? 0 : -ENOMEM;
    for (int32_t i = 0; ret == 0 && i < argc; i++)
        if ((copy[i] = strdup(argv[i])) == NULL) ret = -ENOMEM;
    if (ret == 0) {
        ret = rte_eal_init(argc, copy);
        if (ret < 0) {
            ret = rte_err();
        } else {
            for (uint16_t p = 0; p < RTE_MAX_ETHPORTS; p++) port_forget(p);
            __atomic_store_n(&eal_state, EAL_UP, __ATOMIC_RELEASE);
        }
    } else if (copy) {
        for (int32_t i = 0; i < argc; i++) free(copy[i]);
        free(copy);
    }
    pthread_mutex_unlock(&ctl_lock);
    return ret;
}

NA_API int32_t na_dpdk_eal_initialized(void) { return eal_up(); }

NA_API int32_t na_dpdk_eal_cleanup(void) {
    pthread_mutex_lock(&ctl_lock);
    int32_t ret;
    if (eal_state == EAL_UP) {
        /* Bursts see no usable queue from here on; rte_eal_cleanup closes the ports (bus cleanup)
         * and releases all DPDK memory, pools included. */
        for (uint16_t p = 0; p < RTE_MAX_ETHPORTS; p++) {
            dp_set(p, 0, 0);
            if (rte_eth_dev_is_valid_port(p)) {
                (void)rte_eth_dev_stop(p); /* closing needs a stopped port (drivers stop anyway) */
                trim_unset_queues(p);
            }
        }
        __atomic_store_n(&eal_state, EAL_DONE, __ATOMIC_RELEASE);
        ret = rte_eal_cleanup() == 0 ? 0 : rte_err();
        for (uint16_t p = 0; p < RTE_MAX_ETHPORTS; p++) port_forget(p);
    } else {
        ret = eal_state == EAL_DONE ? -EALREADY : NA_ENOEAL;
    }
    pthread_mutex_unlock(&ctl_lock);
    return ret;
}

NA_API int32_t na_dpdk_lcore_count(void) { return eal_up() ? (int32_t)rte_lcore_count() : 0; }

NA_API int32_t na_dpdk_lcore_id(void) {
    unsigned id = rte_lcore_id(); /* a thread-local variable; LCORE_ID_ANY before any init */
    return id == LCORE_ID_ANY ? -1 : (int32_t)id;
}

NA_API int32_t na_dpdk_thread_register(void) {
    if (!eal_up()) return NA_ENOEAL;
    /* A thread that has an lcore id (EAL's own, or registered before) keeps it: registering again
     * would leak the first id. */
    if (rte_lcore_id() != LCORE_ID_ANY) return 0;
    return rte_thread_register() == 0 ? 0 : rte_err();
}

NA_API void na_dpdk_thread_unregister(void) {
    /* Only threads that rte_thread_register gave an lcore (role NON_EAL) give it back; EAL's own
     * threads, the main lcore's included, keep theirs. A registered thread that exits without
     * this keeps its lcore id taken (RTE_MAX_LCORE = 128 in all). */
    if (eal_up() && rte_lcore_id() != LCORE_ID_ANY && rte_eal_lcore_role(rte_lcore_id()) == ROLE_NON_EAL)
        rte_thread_unregister();
}

NA_API int32_t na_dpdk_socket_id(void) {
    unsigned s = rte_socket_id(); /* thread-local; SOCKET_ID_ANY (-1) when unknown */
    return (int32_t)s < 0 ? -1 : (int32_t)s;
}

/* ------------------------------------------------------------------ mempools */

NA_API void *na_dpdk_pktmbuf_pool_create(const char *name, uint32_t n, uint32_t cache, uint16_t data_room,
                                         int32_t socket, int32_t *err) {
    int32_t e = 0;
    struct rte_mempool *mp = NULL;
    if (name == NULL || n == 0) e = -EINVAL;
    else if (!eal_up()) e = NA_ENOEAL;
    else if (socket < 0 && socket != SOCKET_ID_ANY) e = -EINVAL;
    else if ((mp = rte_pktmbuf_pool_create(name, n, cache, 0, data_room, socket)) == NULL) e = rte_err();
    if (err) *err = e;
    return mp;
}

NA_API void *na_dpdk_mempool_lookup(const char *name) {
    if (name == NULL || !eal_up()) return NULL;
    return rte_mempool_lookup(name);
}

NA_API void na_dpdk_mempool_free(void *pool) {
    if (pool != NULL && eal_up()) rte_mempool_free(pool);
}

NA_API uint32_t na_dpdk_mempool_avail(void *pool) {
    return pool != NULL && eal_up() ? rte_mempool_avail_count(pool) : 0;
}

NA_API uint32_t na_dpdk_mempool_in_use(void *pool) {
    return pool != NULL && eal_up() ? rte_mempool_in_use_count(pool) : 0;
}

NA_API uint32_t na_dpdk_mempool_size(void *pool) {
    return pool != NULL && eal_up() ? ((struct rte_mempool *)pool)->size : 0;
}

typedef struct span_acc {
    uintptr_t lo;
    uintptr_t hi;
} span_acc;

static void span_chunk(struct rte_mempool *mp, void *opaque, struct rte_mempool_memhdr *memhdr, unsigned idx) {
    (void)mp;
    (void)idx;
    span_acc *a = opaque;
    uintptr_t lo = (uintptr_t)memhdr->addr, hi = lo + memhdr->len;
    if (memhdr->addr == NULL || memhdr->len == 0) return;
    if (lo < a->lo) a->lo = lo;
    if (hi > a->hi) a->hi = hi;
}

NA_API int32_t na_dpdk_mempool_span(void *pool, uint64_t *start, uint64_t *len) {
    if (pool == NULL || start == NULL || len == NULL) return -EINVAL;
    if (!eal_up()) return NA_ENOEAL;
    span_acc a = {UINTPTR_MAX, 0};
    rte_mempool_mem_iter(pool, span_chunk, &a);
    if (a.hi <= a.lo) return -EINVAL; /* no memory populated */
    *start = (uint64_t)a.lo;
    *len = (uint64_t)(a.hi - a.lo);
    return 0;
}

NA_API uint32_t na_dpdk_mempool_data_room(void *pool) {
    return pool != NULL && eal_up() ? rte_pktmbuf_data_room_size(pool) : 0;
}

NA_API uint32_t na_dpdk_pktmbuf_headroom_default(void) { return RTE_PKTMBUF_HEADROOM; }

/* ------------------------------------------------------------------ ports */

NA_API int32_t na_dpdk_port_count(void) { return eal_up() ? (int32_t)rte_eth_dev_count_avail() : 0; }

NA_API int32_t na_dpdk_port_next(int32_t from) {
    if (from < 0) return -EINVAL;
    if (!eal_up() || from >= RTE_MAX_ETHPORTS) return -ENODEV;
    uint16_t p = rte_eth_find_next((uint16_t)from);
    return p < RTE_MAX_ETHPORTS ? (int32_t)p : -ENODEV;
}

NA_API int32_t na_dpdk_port_valid(int32_t port) {
    return port >= 0 && port < RTE_MAX_ETHPORTS && port_ok((uint16_t)port);
}

NA_API int32_t na_dpdk_port_by_name(const char *name) {
    if (name == NULL) return -EINVAL;
    if (!eal_up()) return -ENODEV;
    uint16_t p;
    int r = rte_eth_dev_get_port_by_name(name, &p);
    if (r != 0) return r == -EINVAL ? -EINVAL : -ENODEV;
    return (int32_t)p;
}

NA_API int32_t na_dpdk_port_info_get(uint16_t port, na_dpdk_port_info *info) {
    if (info == NULL) return -EINVAL;
    if (!port_ok(port)) return -ENODEV;
    memset(info, 0, sizeof *info);

    struct rte_eth_dev_info di;
    int r = rte_eth_dev_info_get(port, &di);
    if (r != 0) return r;
    char name[RTE_ETH_NAME_MAX_LEN];
    if (rte_eth_dev_get_name_by_port(port, name) == 0) copy_str(name, info->name, sizeof info->name);
    copy_str(di.driver_name, info->driver, sizeof info->driver);

    struct rte_ether_addr mac;
    if (rte_eth_macaddr_get(port, &mac) == 0) memcpy(info->mac, mac.addr_bytes, RTE_ETHER_ADDR_LEN);

    info->rx_offload_capa = di.rx_offload_capa;
    info->tx_offload_capa = di.tx_offload_capa;
    info->max_rx_pktlen = di.max_rx_pktlen;
    info->max_rx_queues = di.max_rx_queues;
    info->max_tx_queues = di.max_tx_queues;
    info->rx_desc_max = di.rx_desc_lim.nb_max;
    info->rx_desc_min = di.rx_desc_lim.nb_min;
    info->rx_desc_align = di.rx_desc_lim.nb_align;
    info->tx_desc_max = di.tx_desc_lim.nb_max;
    info->tx_desc_min = di.tx_desc_lim.nb_min;
    info->tx_desc_align = di.tx_desc_lim.nb_align;
    uint16_t mtu = 0;
    if (rte_eth_dev_get_mtu(port, &mtu) == 0) info->mtu = mtu;
    info->nb_rx_queues = di.nb_rx_queues;
    info->nb_tx_queues = di.nb_tx_queues;
    int sock = rte_eth_dev_socket_id(port);
    info->socket_id = sock >= 0 ? sock : -1;

    struct rte_eth_link link;
    memset(&link, 0, sizeof link);
    if (rte_eth_link_get_nowait(port, &link) == 0) {
        info->link_speed = link.link_speed == RTE_ETH_SPEED_NUM_UNKNOWN ? 0 : link.link_speed;
        info->link_duplex = link.link_duplex == RTE_ETH_LINK_FULL_DUPLEX ? NA_DPDK_LINK_FULL_DUPLEX
                                                                        : NA_DPDK_LINK_HALF_DUPLEX;
        info->link_autoneg = link.link_autoneg ? 1 : 0;
        info->link_status = link.link_status ? NA_DPDK_LINK_UP : NA_DPDK_LINK_DOWN;
    }
    info->promiscuous = rte_eth_promiscuous_get(port) == 1 ? 1 : 0;
    info->started = __atomic_load_n(&dp[port].rxq, __ATOMIC_RELAXED) != 0 ||
                    __atomic_load_n(&dp[port].txq, __ATOMIC_RELAXED) != 0;
    return 0;
}

NA_API int32_t na_dpdk_port_configure(uint16_t port, uint16_t nrxq, uint16_t ntxq, uint64_t rx_offloads,
                                      uint64_t tx_offloads, uint16_t *nb_rxd, uint16_t *nb_txd) {
    pthread_mutex_lock(&ctl_lock);
    int32_t r = -ENODEV;
    if (port_ok(port)) {
        struct rte_eth_conf conf;
        memset(&conf, 0, sizeof conf);
        conf.rxmode.offloads = rx_offloads;
        conf.txmode.offloads = tx_offloads;
        r = rte_eth_dev_configure(port, nrxq, ntxq, &conf);
        if (r == 0) {
            /* DPDK keeps queues below the new counts set up and releases the others (with 0 it
             * may pick driver defaults: take the counts it settled on). */
            struct rte_eth_dev_info di;
            if (rte_eth_dev_info_get(port, &di) == 0) {
                nrxq = di.nb_rx_queues;
                ntxq = di.nb_tx_queues;
            }
            nrxq_cfg[port] = nrxq;
            ntxq_cfg[port] = ntxq;
            bits_clear_from(rxq_set[port], nrxq);
            bits_clear_from(txq_set[port], ntxq);
            uint16_t rxd = nb_rxd ? *nb_rxd : 0, txd = nb_txd ? *nb_txd : 0;
            if (nb_rxd || nb_txd) {
                r = rte_eth_dev_adjust_nb_rx_tx_desc(port, &rxd, &txd);
                if (r == 0) {
                    if (nb_rxd) *nb_rxd = rxd;
                    if (nb_txd) *nb_txd = txd;
                }
            }
        } else if (r != -EBUSY) {
            /* A failed configure may have released every queue: trust none of them. */
            bits_clear_from(rxq_set[port], 0);
            bits_clear_from(txq_set[port], 0);
        }
    }
    pthread_mutex_unlock(&ctl_lock);
    return r;
}

NA_API int32_t na_dpdk_rx_queue_setup(uint16_t port, uint16_t queue, uint16_t nb_desc, int32_t socket, void *pool) {
    if (pool == NULL) return -EINVAL;
    if (socket < 0 && socket != SOCKET_ID_ANY) return -EINVAL;
    pthread_mutex_lock(&ctl_lock);
    int32_t r = -ENODEV;
    if (port_ok(port)) {
        if (queue >= nrxq_cfg[port]) r = -EINVAL; /* DPDK says so too, after logging */
        else if ((r = rte_eth_rx_queue_setup(port, queue, nb_desc, (unsigned)socket, NULL, pool)) == 0)
            rxq_set[port][queue / 64] |= 1ULL << (queue % 64);
    }
    pthread_mutex_unlock(&ctl_lock);
    return r;
}

NA_API int32_t na_dpdk_tx_queue_setup(uint16_t port, uint16_t queue, uint16_t nb_desc, int32_t socket) {
    if (socket < 0 && socket != SOCKET_ID_ANY) return -EINVAL;
    pthread_mutex_lock(&ctl_lock);
    int32_t r = -ENODEV;
    if (port_ok(port)) {
        if (queue >= ntxq_cfg[port]) r = -EINVAL;
        else if ((r = rte_eth_tx_queue_setup(port, queue, nb_desc, (unsigned)socket, NULL)) == 0)
            txq_set[port][queue / 64] |= 1ULL << (queue % 64);
    }
    pthread_mutex_unlock(&ctl_lock);
    return r;
}

NA_API int32_t na_dpdk_port_start(uint16_t port) {
    pthread_mutex_lock(&ctl_lock);
    int32_t r = -ENODEV;
    if (port_ok(port)) {
        /* rte_eth_dev_start does not check that the queues were set up; a burst on one that was
         * not would pass NULL to the driver. */
        if (nrxq_cfg[port] + ntxq_cfg[port] == 0 || !bits_all_set(rxq_set[port], nrxq_cfg[port]) ||
            !bits_all_set(txq_set[port], ntxq_cfg[port]))
            r = -EINVAL;
        else if ((r = rte_eth_dev_start(port)) == 0)
            dp_set(port, nrxq_cfg[port], ntxq_cfg[port]);
    }
    pthread_mutex_unlock(&ctl_lock);
    return r;
}

NA_API int32_t na_dpdk_port_stop(uint16_t port) {
    pthread_mutex_lock(&ctl_lock);
    int32_t r = -ENODEV;
    if (port_ok(port)) {
        port_dp was = dp[port];
        dp_set(port, 0, 0);
        r = rte_eth_dev_stop(port);
        if (r != 0) dp_set(port, was.rxq, was.txq); /* DPDK left it started */
    }
    pthread_mutex_unlock(&ctl_lock);
    return r;
}

NA_API int32_t na_dpdk_port_close(uint16_t port) {
    pthread_mutex_lock(&ctl_lock);
    int32_t r = -ENODEV;
    if (port_ok(port)) {
        if (dp[port].rxq || dp[port].txq) r = -EBUSY; /* DPDK refuses to close a started port */
        else {
            trim_unset_queues(port);
            if ((r = rte_eth_dev_close(port)) == 0) port_forget(port);
        }
    }
    pthread_mutex_unlock(&ctl_lock);
    return r;
}

NA_API int32_t na_dpdk_port_promiscuous(uint16_t port, int32_t on) {
    if (on != 0 && on != 1) return -EINVAL;
    if (!port_ok(port)) return -ENODEV;
    return on ? rte_eth_promiscuous_enable(port) : rte_eth_promiscuous_disable(port);
}

NA_API int32_t na_dpdk_stats_get(uint16_t port, na_dpdk_stats *stats) {
    if (stats == NULL) return -EINVAL;
    if (!port_ok(port)) return -ENODEV;
    struct rte_eth_stats s;
    int r = rte_eth_stats_get(port, &s);
    if (r != 0) return r;
    stats->ipackets = s.ipackets;
    stats->opackets = s.opackets;
    stats->ibytes = s.ibytes;
    stats->obytes = s.obytes;
    stats->imissed = s.imissed;
    stats->ierrors = s.ierrors;
    stats->oerrors = s.oerrors;
    stats->rx_nombuf = s.rx_nombuf;
    return 0;
}

NA_API int32_t na_dpdk_stats_reset(uint16_t port) {
    if (!port_ok(port)) return -ENODEV;
    return rte_eth_stats_reset(port);
}

NA_API int32_t na_dpdk_xstats_count(uint16_t port) {
    if (!port_ok(port)) return -ENODEV;
    return rte_eth_xstats_get_names(port, NULL, 0);
}

/* DPDK fills xstats arrays only when they hold all of them: fetch all, copy the first n. */
NA_API int32_t na_dpdk_xstats_names(uint16_t port, char *names, int32_t n) {
    if (n < 0 || (names == NULL && n > 0)) return -EINVAL;
    if (!port_ok(port)) return -ENODEV;
    int total = rte_eth_xstats_get_names(port, NULL, 0);
    if (total < 0) return total;
    if (n == 0 || total == 0) return 0;
    struct rte_eth_xstat_name *all = calloc((size_t)total, sizeof *all);
    if (all == NULL) return -ENOMEM;
    int got = rte_eth_xstats_get_names(port, all, (unsigned)total);
    if (got > total) got = -EAGAIN; /* grew in between: the caller asks again */
    if (got > 0) {
        if (got > n) got = n;
        for (int i = 0; i < got; i++)
            copy_str(all[i].name, names + (size_t)i * NA_DPDK_NAME_MAX, NA_DPDK_NAME_MAX);
    }
    free(all);
    return got;
}

NA_API int32_t na_dpdk_xstats_values(uint16_t port, uint64_t *values, int32_t n) {
    if (n < 0 || (values == NULL && n > 0)) return -EINVAL;
    if (!port_ok(port)) return -ENODEV;
    int total = rte_eth_xstats_get(port, NULL, 0);
    if (total < 0) return total;
    if (n == 0 || total == 0) return 0;
    struct rte_eth_xstat *all = calloc((size_t)total, sizeof *all);
    if (all == NULL) return -ENOMEM;
    int got = rte_eth_xstats_get(port, all, (unsigned)total);
    if (got > total) got = -EAGAIN;
    if (got > 0) {
        if (got > n) got = n;
        for (int i = 0; i < got; i++) values[i] = all[i].value;
    }
    free(all);
    return got;
}

/* ------------------------------------------------------------------ data path */

/* rx_burst, then up to spins more tries while nothing has arrived; addresses and lengths of what did. */
static inline uint16_t rx_burst_wait(uint16_t port, uint16_t queue, void **mbufs, uint64_t *addrs, uint32_t *lens,
                                     uint16_t n, uint32_t spins) {
    /* One check: a started port with this queue (covers invalid ids and a stopped port), arrays. */
    if (unlikely((port >= RTE_MAX_ETHPORTS) | (mbufs == NULL) | (addrs == NULL) | (lens == NULL) ||
                 queue >= __atomic_load_n(&dp[port].rxq, __ATOMIC_RELAXED)))
        return 0;
    struct rte_mbuf **m = (struct rte_mbuf **)mbufs;
    uint16_t got = rte_eth_rx_burst(port, queue, m, n);
    for (uint32_t i = 0; got == 0 && i < spins; i++)
        got = rte_eth_rx_burst(port, queue, m, n);
    for (uint16_t i = 0; i < got; i++) {
        addrs[i] = (uint64_t)(uintptr_t)rte_pktmbuf_mtod(m[i], char *);
        lens[i] = m[i]->data_len;
    }
    return got;
}

NA_API NA_HOT uint16_t na_dpdk_rx_burst(uint16_t port, uint16_t queue, void **mbufs, uint64_t *addrs, uint32_t *lens,
                                        uint16_t n) {
    return rx_burst_wait(port, queue, mbufs, addrs, lens, n, 0);
}

NA_API NA_HOT uint16_t na_dpdk_rx_burst_wait(uint16_t port, uint16_t queue, void **mbufs, uint64_t *addrs, uint32_t *lens,
                                             uint16_t n, uint32_t spins) {
    return rx_burst_wait(port, queue, mbufs, addrs, lens, n, spins);
}

static inline uint16_t tx_burst(uint16_t port, uint16_t queue, void **mbufs, uint16_t n) {
    if (unlikely((port >= RTE_MAX_ETHPORTS) | (mbufs == NULL) ||
                 queue >= __atomic_load_n(&dp[port].txq, __ATOMIC_RELAXED)))
        return 0;
    return rte_eth_tx_burst(port, queue, (struct rte_mbuf **)mbufs, n);
}

NA_API NA_HOT uint16_t na_dpdk_tx_burst(uint16_t port, uint16_t queue, void **mbufs, uint16_t n) {
    return tx_burst(port, queue, mbufs, n);
}

NA_API NA_HOT int32_t na_dpdk_alloc_bulk(void *pool, void **mbufs, uint64_t *addrs, uint32_t *rooms, uint32_t n) {
    if (unlikely((pool == NULL) | (mbufs == NULL) | (addrs == NULL) | (rooms == NULL) | !eal_up()))
        return pool == NULL || mbufs == NULL || addrs == NULL || rooms == NULL ? -EINVAL : NA_ENOEAL;
    struct rte_mbuf **m = (struct rte_mbuf **)mbufs;
    int r = rte_pktmbuf_alloc_bulk(pool, m, n);
    if (unlikely(r != 0)) return r < 0 ? r : -ENOMEM;
    /* rte_pktmbuf_alloc_bulk reset each mbuf (data_off = default headroom, lengths 0) and so
     * already holds the cache line read here. */
    for (uint32_t i = 0; i < n; i++) {
        addrs[i] = (uint64_t)(uintptr_t)m[i]->buf_addr + m[i]->data_off;
        rooms[i] = (uint32_t)m[i]->buf_len - m[i]->data_off;
    }
    return 0;
}

NA_API NA_HOT void na_dpdk_free_bulk(void **mbufs, uint32_t n) {
    if (unlikely((mbufs == NULL) | !eal_up())) return; /* after cleanup the mbufs' memory is gone */
    rte_pktmbuf_free_bulk((struct rte_mbuf **)mbufs, n); /* skips NULL entries */
}

/* The mbuf flags prepare_tx keeps: they say how the buffer is attached, not what to offload. */
#define KEEP_OL_FLAGS (RTE_MBUF_F_EXTERNAL | RTE_MBUF_F_INDIRECT)
#define NA_DPDK_TX_ALL (NA_DPDK_TX_IPV4 | NA_DPDK_TX_IP_CKSUM | NA_DPDK_TX_UDP_CKSUM)

static inline int32_t prepare_tx(void **mbufs, const uint32_t *lens, uint32_t n, uint32_t flags, uint16_t l2_len,
                                  uint16_t l3_len) {
    /* Arguments that are wrong for every mbuf (or EAL gone): -EINVAL, nothing changed. The field
     * widths are those of DPDK's l2_len (7 bits) and l3_len (9 bits) bitfields. */
    if (unlikely(((n > 0) & ((mbufs == NULL) | (lens == NULL))) | (n > INT32_MAX) | ((flags & ~NA_DPDK_TX_ALL) != 0) |
                 (l2_len > 127) | (l3_len > 511) | !eal_up()))
        return -EINVAL;
    uint64_t ol = 0;
    if (flags & NA_DPDK_TX_IPV4) ol |= RTE_MBUF_F_TX_IPV4;
    if (flags & NA_DPDK_TX_IP_CKSUM) ol |= RTE_MBUF_F_TX_IP_CKSUM;
    if (flags & NA_DPDK_TX_UDP_CKSUM) ol |= RTE_MBUF_F_TX_UDP_CKSUM;
    struct rte_mbuf **m = (struct rte_mbuf **)mbufs;
    if (ol == 0) {
        /* No offload: drivers read l2_len/l3_len only for offloads, so the mbuf's second cache
         * line is left alone (writing it costs about a fifth of a 64-byte loop's rate). */
        for (uint32_t i = 0; i < n; i++) {
            struct rte_mbuf *b = m[i];
            uint32_t len = lens[i];
            if (unlikely(len > (uint32_t)b->buf_len - b->data_off)) return -(int32_t)i - 1;
            b->data_len = (uint16_t)len;
            b->pkt_len = len;
            b->ol_flags &= KEEP_OL_FLAGS;
        }
        return 0;
    }
    for (uint32_t i = 0; i < n; i++) {
        struct rte_mbuf *b = m[i];
        uint32_t len = lens[i];
        if (unlikely(len > (uint32_t)b->buf_len - b->data_off)) return -(int32_t)i - 1;
        b->data_len = (uint16_t)len;
        b->pkt_len = len;
        b->ol_flags = (b->ol_flags & KEEP_OL_FLAGS) | ol;
        b->l2_len = l2_len;
        b->l3_len = l3_len;
    }
    return 0;
}

NA_API NA_HOT int32_t na_dpdk_prepare_tx(void **mbufs, const uint32_t *lens, uint32_t n, uint32_t flags,
                                         uint16_t l2_len, uint16_t l3_len) {
    return prepare_tx(mbufs, lens, n, flags, l2_len, l3_len);
}

NA_API NA_HOT int32_t na_dpdk_tx_burst_prepared(uint16_t port, uint16_t queue, void **mbufs, const uint32_t *lens, uint16_t n,
                                                uint32_t flags, uint16_t l2_len, uint16_t l3_len) {
    int32_t r = prepare_tx(mbufs, lens, n, flags, l2_len, l3_len);
    return unlikely(r != 0) ? r : tx_burst(port, queue, mbufs, n);
}

NA_API uint64_t na_dpdk_mbuf_adjust(void *mbuf, int32_t delta, uint32_t *headroom, uint32_t *data_len,
                                    uint32_t *tailroom) {
    if (mbuf == NULL || !eal_up()) return 0;
    struct rte_mbuf *m = mbuf;
    char *data;
    if (delta < 0) {
        int64_t by = -(int64_t)delta;
        data = by <= UINT16_MAX ? rte_pktmbuf_prepend(m, (uint16_t)by) : NULL;
    } else if (delta > 0) {
        data = delta <= UINT16_MAX ? rte_pktmbuf_adj(m, (uint16_t)delta) : NULL;
    } else {
        data = rte_pktmbuf_mtod(m, char *);
    }
    /* Reported after the move, or as they are when it did not fit. */
    if (headroom) *headroom = rte_pktmbuf_headroom(m);
    if (data_len) *data_len = m->data_len;
    if (tailroom) *tailroom = rte_pktmbuf_tailroom(m);
    return (uint64_t)(uintptr_t)data;
}
