/*
 * na_dpdk_pingpong.c - round-trip latency of transport frames between two processes over a memif
 * pair, through libna_dpdk (the same na_dpdk_* calls Java makes): the C counterpart of the Java
 * transport round-trip benchmark (DpdkMessageTransport between two JVMs); with --one-way, of its
 * one-way message rate.
 *
 * Usage: na_dpdk_pingpong --role ping|pong --socket PATH [--count N] [--warmup N] | [--one-way N]
 *                         [--size BYTES] [--cpu N] [--poll-spins N] [--json] [-- EAL arguments]
 *        na_dpdk_pingpong --loopback N [--warmup N] [--size BYTES] [--cpu N] [--poll-spins N] [--json]
 *                         [-- EAL arguments]
 *   --count   measured round trips (default 1000000); --warmup: round trips before them, not
 *             recorded (default 200000); --one-way: instead of round trips, N frames one way (give
 *             both sides the same N; not with --count or --warmup); --size: payload bytes, 16..1474
 *             (default 32); --cpu: the lcore (-l) of the default EAL arguments (default: ping 0,
 *             pong 1, loopback 0); --loopback: one process on net_ring0, N hops of one frame echoed
 *             to itself (see run_loopback), after --warmup hops (default 1000000) not timed;
 *             --poll-spins: round trips and loopback receive with na_dpdk_rx_burst_wait(..., N), which
 *             tries up to N more times while nothing has arrived, as Java's
 *             DpdkMessageTransport.poll(handler, N) (default 256, as `nautilus bench transport`; 0: one
 *             try per call, 1024 at most); the one-way receiver does not wait (as Java's).
 * Default EAL arguments:
 *   --no-huge --no-pci --no-shconf -m 256 --no-telemetry --log-level=warning -l CPU
 *   --file-prefix=na-pp-ROLE-PID --vdev=net_memif0,role=server|client,id=0,socket=PATH
 * ping is the memif server (it creates the socket), pong the client. Either may start first:
 * pong waits up to 30 s for ping's socket, both wait up to 30 s for the link. DPDK 22.11's memif
 * makes PATH an abstract socket name (no file; as in Java's tests) unless the vdev has
 * socket-abstract=no (give EAL arguments after --); then ping removes a stale socket file nobody
 * listens on before it starts, and the file it created at exit.
 *
 * Frames: the TransportFrame layout (src/main/java/dev/nautilus/accel/dpdk/TransportFrame.java),
 * big-endian fields: Ethernet dst MAC 0, src MAC 6, EtherType 0x88B5 12; magic 0x4E41 14,
 * version 1 16, flags 17, priority 18, reserved 19, source engine 20, destination engine 22,
 * type id 24, payload length 28, header checksum 30 (RFC 1071 over bytes 14..39, the field taken
 * as zero), sequence 32, payload 40. Frames under 60 bytes are sent as 60 (padding). Destination
 * MAC: broadcast, as DpdkMessageTransport sends. Priority 1 (normal); ping is engine 1, pong 2.
 *
 * ping, per round trip (one frame in flight): take t0 (CLOCK_MONOTONIC); allocate an mbuf, write
 * the header (type 1, its per-destination sequence number) and the payload (a copy of a
 * template with t0 at payload offset 0 and the sequence at 8, big-endian); tx_burst (retried
 * until taken); busy-poll rx_burst (bursts of 32) until the reply arrives; validate it as
 * TransportFrame.isValid does, check source 2, destination 1, type, payload length and the
 * echoed t0 and sequence; take t1. The round trip is t1 - t0, so it includes ping's allocation,
 * frame building, tx and rx, pong's whole turn and the memif copies both ways. After t1 the rest
 * of the payload is compared with the template (a mismatch counts as bad, not as a sample).
 * A reply that does not come within 1 s counts as lost (the next one is sent); a reply to an
 * earlier request that arrives later counts as late.
 *
 * pong: rx_burst (32); each frame is validated (bad ones counted and dropped), its source's
 * sequence numbers tracked per priority (gaps counted as lost); for each, a new mbuf with a
 * header written from scratch (source 2, destination = the request's source, same priority and
 * type, pong's own sequence number per destination and priority, header checksum computed) and
 * the payload copied; the burst's replies are sent together (tx_burst retried until taken); the
 * received mbufs are freed. It stops after count + warmup type-1 frames (then waits up to 2 s for
 * ping's end-of-run frame, so that its last reply is read before the link goes down), on ping's
 * end-of-run frame, when no frame came for 10 s, or when the link is down after 1 s without one.
 *
 * One way (--one-way N, both sides), the C counterpart of `nautilus bench transport --one-way N`
 * (TransportBenchCommand.oneWay and TransportBenchChild.sink), doing per frame what they do:
 *   ping, after the handshake, per burst of 32 (the last one shorter): one alloc_bulk (as
 *   DpdkMessageTransport.offer refills its stock of mbufs 32 at a time); per frame the 40 header
 *   bytes written as write_header does (type 1, priority 1, destination 2, its per-destination
 *   sequence number, the checksum from the field values; Java: TransportFrame.write, type 2,
 *   priority normal), the payload copied from the template and the sequence stored at payload
 *   offset 8 (Java stores its message index there in its payload, then offer copies it); then
 *   tx_burst_prepared, the part the port did not take retried until taken (Java: offer
 *   returns false when the batch of 32 is full, flush sends it, what the port did not take stays
 *   queued and is sent by the next flush); no clock read per frame. A port that takes nothing for
 *   1 s ends the run (the untaken mbufs freed). Then the end-of-run frame. ping reports frames
 *   sent, its send time and rate, and "tx_partial": bursts the port did not take whole at once
 *   (the ring was full: the receiver is the slower side).
 *   pong, per burst: rx_burst (32); per frame the checks of the round trips (check_frame, the
 *   destination, the source's sequence tracked per priority, gaps counted as lost; Java:
 *   DpdkMessageTransport.poll's TransportFrame.isValid, destination check and
 *   SequenceTracker.accept), then for a data frame one CLOCK_MONOTONIC read (System.nanoTime, per
 *   message, in the Java sink's handler; neither side reads the payload), no reply; the burst's
 *   mbufs freed with one free_bulk. It reports the data frames, the seconds from the first data
 *   frame's arrival to the last one's, messages / seconds in millions (as the Java side computes
 *   oneWayMpps), lost and bad frames. Differences that remain: Java runs round trips first in the
 *   same processes (its command has no one-way-only mode; they also warm up the JIT); its poll
 *   makes a second pass over each burst to group it by priority, and its offer checks its
 *   arguments per message; its mempools hold 8191 mbufs, ours 4095 (both far more than the
 *   1024-descriptor rings hold).
 *   The handshake's hellos are of type 4 instead of 2 in this mode, so a pong started in the other
 *   mode says so and exits (and ping's handshake ends on the link going down).
 *
 * Start-up: the Java cross-process test lost frames that a memif server sent while its client
 * was still setting up (not seen with this program so far: the first hello has always been
 * answered), so after link-up ping sends hello frames (type 2, answered by pong, not counted) every
 * 10 ms until one is answered, and only then starts the warm-up; "hellos" in the report says how
 * many it took, pong's "missed before the first" how many frames it never saw before its first. At the end ping sends one end-of-run
 * frame (type 3, not answered). Both sides give up (exit 1, with a message) when a wait runs out:
 * link 30 s, handshake 10 s, reply 1 s (ping: 10 lost in a row, or the link down, ends the run),
 * tx 1 s without progress, idle 10 s (pong); SIGINT/SIGTERM end the run early.
 *
 * Reported by ping: exact percentiles of all measured round trips (sorted; the value at rank
 * ceil(p/100 * n), as HdrHistogram's getValueAtPercentile), mean, min, max in microseconds, round
 * trips per second, lost, late and bad frames; a table, or with --json one JSON object whose
 * count/p50_us/p90_us/p99_us/p999_us/max_us/mean_us fields are those of the Java comparison's
 * RoundTrips. pong prints one summary line (or JSON object). One way: pong's table or JSON object
 * (messages, expected, seconds, mpps, lost, bad, ...) is the result; ping's says what it sent.
 * Exit status 0 only when every round trip of the run came back intact (one way: ping sent all N,
 * pong received all N, none lost or bad); 1 otherwise (results are still printed); 2 for usage
 * errors.
 *
 * With --no-shconf, memif logs "Failed to register mp action callback: Operation not supported"
 * at probe: harmless (only secondary processes need that callback).
 */
#define _GNU_SOURCE

#include "na_dpdk.h"
#include "na_bench_checksum.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define POOL_SIZE 4095
#define POOL_CACHE 256
#define DATA_ROOM (2048 + 128)
#define NB_DESC 1024
#define BURST 32

#define ETHER_TYPE 0x88B5
#define MAGIC 0x4E41
#define VERSION 1
#define HEADER_LEN 40
#define MIN_FRAME 60
#define MAX_PAYLOAD 1474
#define MIN_PAYLOAD 16 /* timestamp and sequence */
#define BROADCAST 0xFFFF
#define PRIORITIES 3
#define PRIORITY 1 /* normal */
#define ENGINE_PING 1
#define ENGINE_PONG 2
#define TYPE_DATA 1
#define TYPE_HELLO 2
#define TYPE_BYE 3
#define TYPE_HELLO_ONE_WAY 4 /* the hello of a --one-way run: pong must be in that mode too */

#define MS 1000000ULL
#define SEC 1000000000ULL
#define LINK_TIMEOUT (30 * SEC)
#define SOCKET_TIMEOUT (30 * SEC)
#define HANDSHAKE_TIMEOUT (10 * SEC)
#define HELLO_INTERVAL (10 * MS)
#define REPLY_TIMEOUT (1 * SEC)
#define TX_TIMEOUT (1 * SEC)
#define IDLE_TIMEOUT (10 * SEC)
#define LINGER (2 * SEC)
#define LINK_CHECK (1 * SEC) /* pong: after this long without frames, check the link each second */
#define MAX_LOST_IN_A_ROW 10

static const char *prog_role = "?";
static volatile sig_atomic_t stop_requested;

/* ping, socket-abstract=no: the socket file it found absent (or stale) before EAL created it,
 * removed at exit. */
static const char *socket_to_remove;

static void remove_socket(void) {
    if (socket_to_remove != NULL) {
        unlink(socket_to_remove); /* the driver may have removed it already */
        socket_to_remove = NULL;
    }
}

static void die(const char *what, int32_t err) {
    char msg[256];
    if (err < 0) {
        na_dpdk_strerror(err, msg, sizeof msg);
        fprintf(stderr, "na_dpdk_pingpong (%s): %s: %s (%d)\n", prog_role, what, msg, err);
    } else {
        fprintf(stderr, "na_dpdk_pingpong (%s): %s\n", prog_role, what);
    }
    exit(1); /* atexit: remove_socket */
}

static void on_signal(int sig) {
    (void)sig;
    stop_requested = 1;
}

static void usage(void) {
    fprintf(stderr,
            "usage: na_dpdk_pingpong --role ping|pong --socket PATH [--count N] [--warmup N] | [--one-way N]\n"
            "                        [--size BYTES] [--cpu N] [--poll-spins N] [--json] [-- EAL arguments]\n"
            "       na_dpdk_pingpong --loopback N [--warmup N] [--size BYTES] [--cpu N] [--poll-spins N] [--json]\n"
            "                        [-- EAL arguments]\n"
            "  ping (memif server, creates the socket) sends, pong (memif client) echoes; start both\n"
            "  --count N     measured round trips (default 1000000)\n"
            "  --warmup N    round trips before them, not recorded (default 200000)\n"
            "  --one-way N   instead of round trips: ping sends N frames as fast as the port takes them\n"
            "                (bursts of 32), pong counts and times them (give both sides the same N)\n"
            "  --size BYTES  payload bytes, %d..%d (default 32; frames under 60 bytes are padded)\n"
            "  --loopback N  one process, one frame echoed to itself on net_ring0: N hops timed after --warmup\n"
            "                (default 1000000) not timed; prints nanoseconds per hop\n"
            "  --cpu N       lcore of the default EAL arguments (default: ping 0, pong 1, loopback 0)\n"
            "  --poll-spins N  round trips and loopback receive with na_dpdk_rx_burst_wait(..., N): up to N more\n"
            "                tries in one call while nothing has arrived (default 256, as Java's bench transport;\n"
            "                0..1024; the one-way receiver does not wait)\n"
            "  default EAL arguments: --no-huge --no-pci --no-shconf -m 256 --no-telemetry --log-level=warning\n"
            "    -l CPU --file-prefix=na-pp-ROLE-PID --vdev=net_memif0,role=server|client,id=0,socket=PATH\n"
            "    (--loopback: --vdev=net_ring0)\n",
            MIN_PAYLOAD, MAX_PAYLOAD);
    exit(2);
}

static int parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out) {
    char *end;
    errno = 0;
    if (*s < '0' || *s > '9') return -1;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || *end != '\0' || errno || v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

static inline uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * SEC + (uint64_t)ts.tv_nsec;
}

static void sleep_ns(uint64_t ns) {
    struct timespec ts = {(time_t)(ns / SEC), (long)(ns % SEC)};
    nanosleep(&ts, NULL);
}

/* ---------------------------------------------------------------- frames */

static inline void put16(uint8_t *p, uint16_t v) {
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}
static inline void put32(uint8_t *p, uint32_t v) {
    v = __builtin_bswap32(v);
    memcpy(p, &v, 4);
}
static inline void put64(uint8_t *p, uint64_t v) {
    v = __builtin_bswap64(v);
    memcpy(p, &v, 8);
}
static inline uint16_t get16(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }
static inline uint32_t get32(const uint8_t *p) {
    uint32_t v;
    memcpy(&v, p, 4);
    return __builtin_bswap32(v);
}
static inline uint64_t get64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return __builtin_bswap64(v);
}

/* sum_bytes and fold: na_bench_checksum.h */

/* Writes the 40 header bytes (as TransportFrame.write: the checksum from the field values,
 * twelve 16-bit additions, no read-back); returns the frame length to send (at least 60). */
static inline uint32_t write_header(uint8_t *p, const uint8_t *src_mac, uint16_t src, uint16_t dst, uint8_t prio,
                                    uint32_t type, uint64_t seq, uint16_t plen) {
    static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    uint64_t sum = MAGIC + (VERSION << 8) + ((uint32_t)prio << 8) + src + dst + (type >> 16) + (type & 0xffff) + plen +
                   (seq >> 48) + ((seq >> 32) & 0xffff) + ((seq >> 16) & 0xffff) + (seq & 0xffff);
    memcpy(p, bcast, 6);
    memcpy(p + 6, src_mac, 6);
    put16(p + 12, ETHER_TYPE);
    put16(p + 14, MAGIC);
    p[16] = VERSION;
    p[17] = 0;
    p[18] = prio;
    p[19] = 0;
    put16(p + 20, src);
    put16(p + 22, dst);
    put32(p + 24, type);
    put16(p + 28, plen);
    put16(p + 30, (uint16_t)~fold(sum));
    put64(p + 32, seq);
    uint32_t len = HEADER_LEN + plen;
    return len < MIN_FRAME ? MIN_FRAME : len;
}

enum {
    FR_OK,
    FR_TOO_SHORT,
    FR_ETHER_TYPE,
    FR_MAGIC,
    FR_VERSION,
    FR_CHECKSUM,
    FR_PRIORITY,
    FR_SOURCE,
    FR_TYPE,
    FR_SEQUENCE,
    FR_PAYLOAD_TOO_LONG,
    FR_PAYLOAD_TRUNCATED,
    FR_UNEXPECTED, /* a valid frame, but not what the benchmark sends there */
    FR_COUNT
};
static const char *const FR_NAMES[FR_COUNT] = {
    "ok", "shorter than the 40-byte header", "not EtherType 0x88B5", "bad magic", "bad version", "bad header checksum",
    "priority above 2", "source engine 65535", "type id below 1", "sequence below 1", "payload length above 1474",
    "payload longer than the frame", "unexpected frame"};

/* TransportFrame.isValid's checks, in its order. */
static inline int check_frame(const uint8_t *p, uint32_t len) {
    if (len < HEADER_LEN) return FR_TOO_SHORT;
    if (get16(p + 12) != ETHER_TYPE) return FR_ETHER_TYPE;
    if (get16(p + 14) != MAGIC) return FR_MAGIC;
    if (p[16] != VERSION) return FR_VERSION;
    if (fold(sum_bytes(p + 14, HEADER_LEN - 14, 0)) != 0xffff) return FR_CHECKSUM;
    if (p[18] > 2) return FR_PRIORITY;
    if (get16(p + 20) == BROADCAST) return FR_SOURCE;
    if ((int32_t)get32(p + 24) < 1) return FR_TYPE;
    if ((int64_t)get64(p + 32) < 1) return FR_SEQUENCE;
    uint16_t plen = get16(p + 28);
    if (plen > MAX_PAYLOAD) return FR_PAYLOAD_TOO_LONG;
    if (HEADER_LEN + (uint32_t)plen > len) return FR_PAYLOAD_TRUNCATED;
    return FR_OK;
}

/* Counts a bad frame; reports the first of each kind on stderr. */
static uint64_t bad_kinds[FR_COUNT];
static void count_bad(int kind, const char *detail) {
    if (bad_kinds[kind]++ == 0)
        fprintf(stderr, "na_dpdk_pingpong (%s): bad frame: %s%s (further ones of this kind only counted)\n", prog_role,
                FR_NAMES[kind], detail);
}

/* ---------------------------------------------------------------- port */

static void *rx[BURST], *tx[BURST];
static uint64_t rxa[BURST], txa[BURST];
static uint32_t rlens[BURST], rooms[BURST], tlens[BURST];

typedef struct setup {
    void *pool;
    na_dpdk_port_info info;
    char version[64];
} setup;

static int link_up(void) {
    na_dpdk_port_info li;
    return na_dpdk_port_info_get(0, &li) == 0 && li.link_status == NA_DPDK_LINK_UP;
}

static void open_port(setup *s, int is_ping, const char *socket_path) {
    int32_t r;
    if (na_dpdk_port_count() < 1 || !na_dpdk_port_valid(0))
        die("no port 0: the EAL arguments must create one (--vdev=net_memif0,...)", 0);
    if ((r = na_dpdk_port_info_get(0, &s->info)) != 0) die("port 0 info", r);
    int32_t err = 0;
    s->pool = na_dpdk_pktmbuf_pool_create(is_ping ? "na_pp_ping" : "na_pp_pong", POOL_SIZE, POOL_CACHE, DATA_ROOM,
                                          na_dpdk_socket_id(), &err);
    if (s->pool == NULL) die("mbuf pool (na_dpdk_pktmbuf_pool_create)", err);
    uint16_t nb_rxd = NB_DESC, nb_txd = NB_DESC;
    if ((r = na_dpdk_port_configure(0, 1, 1, 0, 0, &nb_rxd, &nb_txd)) != 0) die("port 0 configure", r);
    if ((r = na_dpdk_rx_queue_setup(0, 0, nb_rxd, s->info.socket_id, s->pool)) != 0) die("port 0 rx queue setup", r);
    if ((r = na_dpdk_tx_queue_setup(0, 0, nb_txd, s->info.socket_id)) != 0) die("port 0 tx queue setup", r);
    /* a memif client's start connects to the socket; when the server is not listening (yet) it fails */
    uint64_t deadline = now_ns() + SOCKET_TIMEOUT;
    while ((r = na_dpdk_port_start(0)) != 0) {
        if (is_ping || now_ns() > deadline || stop_requested) die("port 0 start", r);
        sleep_ns(100 * MS);
    }
    na_dpdk_version(s->version, sizeof s->version);
    deadline = now_ns() + LINK_TIMEOUT;
    while (!link_up()) {
        if (stop_requested) die("interrupted while waiting for the link", 0);
        if (now_ns() > deadline) {
            char msg[512];
            snprintf(msg, sizeof msg,
                     "port 0 (%s) link still down after 30 s: is the %s side running on socket %s "
                     "(na_dpdk_pingpong --role %s --socket %s)?",
                     s->info.name, is_ping ? "pong" : "ping", socket_path, is_ping ? "pong" : "ping", socket_path);
            die(msg, 0);
        }
        sleep_ns(1 * MS);
    }
}

static void close_port(setup *s) {
    int32_t r;
    uint16_t got;
    while ((got = na_dpdk_rx_burst(0, 0, rx, rxa, rlens, BURST)) > 0) na_dpdk_free_bulk(rx, got);
    if ((r = na_dpdk_port_stop(0)) != 0) die("port 0 stop", r);
    if ((r = na_dpdk_port_close(0)) != 0) die("port 0 close", r);
    na_dpdk_mempool_free(s->pool);
    na_dpdk_eal_cleanup();
}

/* Bursts the port did not take whole at the first tx_burst (the rest was retried). */
static uint64_t tx_partial;

/* tx_burst_prepared of mbufs[0..n) (lens[i] bytes each), then tx_burst of the rest until all are
 * taken; returns how many were: n, or fewer when the port took none for TX_TIMEOUT (the rest are
 * freed, so nothing leaks). */
static uint16_t send_burst(void **mbufs, const uint32_t *lens, uint16_t n) {
    /* lengths into the mbufs and the burst sent in one call, as TxQueue.send does */
    int32_t r = na_dpdk_tx_burst_prepared(0, 0, mbufs, lens, n, 0, 0, 0);
    if (r < 0) die("prepare_tx: frame longer than the mbuf room", r);
    uint16_t done = (uint16_t)r;
    if (done == n) return n;
    tx_partial++;
    uint64_t deadline = now_ns() + TX_TIMEOUT;
    for (uint32_t spin = 1;; spin++) {
        uint16_t took = na_dpdk_tx_burst(0, 0, mbufs + done, (uint16_t)(n - done));
        done += took;
        if (done == n) return n;
        if (took) {
            deadline = now_ns() + TX_TIMEOUT; /* progress: the timeout counts from the last frame taken */
        } else if ((spin & 1023) == 0 && now_ns() > deadline) {
            na_dpdk_free_bulk(mbufs + done, n - done);
            return done;
        }
    }
}

/* send_burst of all of mbufs[0..n); returns 0, or -1 when the port stopped taking them (the rest freed). */
static int send_all(void **mbufs, const uint32_t *lens, uint16_t n) { return send_burst(mbufs, lens, n) == n ? 0 : -1; }

/* A JSON string literal of s. */
static void json_str(const char *s) {
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') printf("\\%c", *p);
        else if (*p < 0x20) printf("\\u%04x", *p);
        else putchar(*p);
    }
    putchar('"');
}

static void json_args(char **eal, int neal) {
    printf("\"eal_args\":[");
    for (int i = 1; i < neal; i++) {
        if (i > 1) putchar(',');
        json_str(eal[i]);
    }
    putchar(']');
}

/* ping's table header: DPDK version, port, lcore, EAL arguments (no newline after the last). */
static void print_ping_header(const setup *s, char **eal, int neal) {
    printf("# %s, port 0 = %s (%s), ping = memif server, lcore %d\n", s->version, s->info.name, s->info.driver,
           na_dpdk_lcore_id());
    printf("# EAL:");
    for (int i = 1; i < neal; i++) printf(" %s", eal[i]);
}

/* ---------------------------------------------------------------- ping */

typedef struct ping_stats {
    uint64_t sent, lost, warmup_lost, late, bad, bad_payload, other, reply_gaps, reply_dups, hellos, stale_hellos;
} ping_stats;

static uint64_t next_seq = 1;       /* ping -> pong, priority PRIORITY */
static uint64_t last_reply_seq = 0; /* pong -> ping */
static uint8_t template_payload[MAX_PAYLOAD];
static uint32_t hello_type = TYPE_HELLO; /* TYPE_HELLO_ONE_WAY with --one-way */
static uint32_t poll_spins = 256;       /* --poll-spins: the data path's na_dpdk_rx_burst_wait */

/* Sends one frame of type with the payload template, t0 at 0 and the sequence at 8; returns its
 * sequence, or 0 when the port did not take it within TX_TIMEOUT. */
static uint64_t send_request(setup *s, uint32_t type, uint16_t size, uint64_t t0) {
    int32_t r = na_dpdk_alloc_bulk(s->pool, tx, txa, rooms, 1);
    if (r != 0) die("mbuf allocation for a request (pool exhausted: mbufs leaked?)", r);
    uint8_t *p = (uint8_t *)(uintptr_t)txa[0];
    uint64_t seq = next_seq++;
    tlens[0] = write_header(p, s->info.mac, ENGINE_PING, ENGINE_PONG, PRIORITY, type, seq, size);
    memcpy(p + HEADER_LEN, template_payload, size);
    put64(p + HEADER_LEN, t0);
    put64(p + HEADER_LEN + 8, seq);
    return send_all(tx, tlens, 1) == 0 ? seq : 0;
}

enum { R_MATCH, R_HELLO, R_LATE, R_OTHER, R_BAD };

/* Classifies one received frame for the request (want_seq, want_t0, type); counts the anomalies. */
static int classify_reply(const uint8_t *p, uint32_t len, uint16_t size, uint32_t type, uint64_t want_seq,
                          uint64_t want_t0, ping_stats *st) {
    int f = check_frame(p, len);
    if (f != FR_OK) {
        count_bad(f, "");
        st->bad++;
        return R_BAD;
    }
    uint16_t dst = get16(p + 22);
    if (dst != ENGINE_PING && dst != BROADCAST) {
        st->other++; /* for another engine: dropped, as DpdkMessageTransport does */
        return R_OTHER;
    }
    uint64_t rseq = get64(p + 32);
    uint32_t rtype = get32(p + 24);
    if (get16(p + 20) != ENGINE_PONG || p[18] != PRIORITY || get16(p + 28) != size ||
        (rtype != TYPE_DATA && rtype != hello_type)) {
        count_bad(FR_UNEXPECTED, ": not a reply of pong (source 2, priority 1, data or this mode's hello type, this "
                                 "payload size)");
        st->bad++;
        return R_BAD;
    }
    if (rseq > last_reply_seq) {
        if (last_reply_seq != 0) st->reply_gaps += rseq - last_reply_seq - 1;
        last_reply_seq = rseq;
    } else {
        st->reply_dups++;
    }
    uint64_t pseq = get64(p + HEADER_LEN + 8);
    if (rtype != type) {
        if (rtype == hello_type) {
            st->stale_hellos++;
            return R_HELLO;
        }
        count_bad(FR_UNEXPECTED, ": a data reply during the handshake");
        st->bad++;
        return R_BAD;
    }
    if (pseq == want_seq && get64(p + HEADER_LEN) == want_t0) return R_MATCH;
    if (pseq < want_seq) {
        if (type == hello_type) st->stale_hellos++;
        else st->late++;
        return R_LATE;
    }
    count_bad(FR_UNEXPECTED, ": the payload does not echo the request's timestamp and sequence");
    st->bad++;
    return R_BAD;
}

/* ping's side of the handshake: hellos every HELLO_INTERVAL until pong answers one. */
static void handshake(setup *s, uint16_t size, ping_stats *st) {
    uint64_t deadline = now_ns() + HANDSHAKE_TIMEOUT;
    for (;;) {
        if (stop_requested) die("interrupted during the handshake", 0);
        if (now_ns() > deadline) die("no answer from pong to hello frames for 10 s after link-up", 0);
        if (!link_up())
            die("link went down during the handshake (pong exited? is it in the same mode: both sides --one-way N, "
                "or neither?)", 0);
        uint64_t t0 = now_ns();
        uint64_t seq = send_request(s, hello_type, size, t0);
        st->hellos++;
        if (seq == 0) { /* not taken: the client has no receive buffers posted yet */
            sleep_ns(HELLO_INTERVAL);
            continue;
        }
        while (now_ns() - t0 < HELLO_INTERVAL) {
            uint16_t got = na_dpdk_rx_burst(0, 0, rx, rxa, rlens, BURST);
            int answered = 0;
            for (uint16_t i = 0; i < got; i++)
                answered |= classify_reply((const uint8_t *)(uintptr_t)rxa[i], rlens[i], size, hello_type, seq, t0, st) ==
                            R_MATCH;
            na_dpdk_free_bulk(rx, got);
            if (answered) {
                st->stale_hellos = 0; /* hellos answered after this one are expected */
                st->reply_gaps = 0;   /* pong's replies to lost hellos are no concern */
                return;
            }
        }
    }
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Value at rank ceil(permille / 1000 * n) of sorted v (n > 0). */
static uint64_t pct(const uint64_t *v, uint64_t n, uint64_t permille) {
    uint64_t rank = (n * permille + 999) / 1000;
    if (rank < 1) rank = 1;
    return v[rank - 1];
}

static int run_ping(setup *s, uint64_t count, uint64_t warmup, uint16_t size, int json, char **eal, int neal) {
    for (uint32_t i = 0; i < MAX_PAYLOAD; i++) template_payload[i] = (uint8_t)(i * 7 + 1);
    uint64_t *samples = malloc((count ? count : 1) * sizeof *samples);
    if (samples == NULL) die("out of memory for the samples", 0);
    ping_stats st;
    memset(&st, 0, sizeof st);
    handshake(s, size, &st);

    uint64_t total = warmup + count, n = 0, lost_in_a_row = 0, sum = 0;
    uint64_t start = now_ns(), measure_start = warmup == 0 ? start : 0, end = start;
    int why = 0; /* 0 done, 1 stopped by a signal, 2 link down, 3 too many lost */
    for (uint64_t i = 0; i < total; i++) {
        if (i == warmup) measure_start = now_ns();
        if (stop_requested) {
            why = 1;
            break;
        }
        uint64_t t0 = now_ns();
        uint64_t seq = send_request(s, TYPE_DATA, size, t0);
        st.sent++;
        uint64_t t1 = 0;
        int matched = 0;
        if (seq != 0) {
            for (uint32_t spin = 1;; spin++) {
                uint16_t got = na_dpdk_rx_burst_wait(0, 0, rx, rxa, rlens, BURST, poll_spins);
                if (got) {
                    for (uint16_t k = 0; k < got; k++) {
                        const uint8_t *p = (const uint8_t *)(uintptr_t)rxa[k];
                        if (classify_reply(p, rlens[k], size, TYPE_DATA, seq, t0, &st) == R_MATCH) {
                            t1 = now_ns();
                            matched = 1;
                            if (memcmp(p + HEADER_LEN + 16, template_payload + 16, size - 16u) != 0) {
                                count_bad(FR_UNEXPECTED, ": payload bytes differ from what was sent");
                                st.bad_payload++;
                                matched = 2;
                            }
                        }
                    }
                    na_dpdk_free_bulk(rx, got);
                    if (matched) break;
                }
                if ((spin & 255) == 0 && now_ns() - t0 > REPLY_TIMEOUT) break;
            }
        }
        if (matched == 1) {
            lost_in_a_row = 0;
            if (i >= warmup) {
                samples[n++] = t1 - t0;
                sum += t1 - t0;
            }
            continue;
        }
        if (matched == 2) continue;
        st.lost++;
        if (i < warmup) st.warmup_lost++;
        if (!link_up()) {
            why = 2;
            break;
        }
        if (++lost_in_a_row >= MAX_LOST_IN_A_ROW) {
            why = 3;
            break;
        }
    }
    end = now_ns();
    if (measure_start == 0) measure_start = end;

    /* end of run: tell pong (best effort; it also stops on its count or after 10 s idle) */
    if (why != 2) send_request(s, TYPE_BYE, size, now_ns());

    qsort(samples, n, sizeof *samples, cmp_u64);
    double us = 1e-3;
    double p50 = n ? pct(samples, n, 500) * us : 0, p90 = n ? pct(samples, n, 900) * us : 0;
    double p99 = n ? pct(samples, n, 990) * us : 0, p999 = n ? pct(samples, n, 999) * us : 0;
    double mx = n ? samples[n - 1] * us : 0, mn = n ? samples[0] * us : 0, mean = n ? (double)sum / n * us : 0;
    double secs = (double)(end - measure_start) * 1e-9;
    double rate = secs > 0 ? n / secs : 0;
    uint32_t frame = HEADER_LEN + size < MIN_FRAME ? MIN_FRAME : HEADER_LEN + size;
    if (json) {
        printf("{\"bench\":\"na_dpdk_pingpong\",\"transport\":\"dpdk-c\",\"poll_spins\":%u,\"dpdk\":", poll_spins);
        json_str(s->version);
        printf(",\"device\":");
        json_str(s->info.name);
        printf(",\"driver\":");
        json_str(s->info.driver);
        printf(",\"lcore\":%d,\"payload_bytes\":%u,\"frame_bytes\":%u,\"warmup\":%" PRIu64 ",\"requested\":%" PRIu64
               ",\"count\":%" PRIu64 ",\"p50_us\":%.3f,\"p90_us\":%.3f,\"p99_us\":%.3f,\"p999_us\":%.3f,\"max_us\":%.3f,"
               "\"mean_us\":%.3f,\"min_us\":%.3f,\"seconds\":%.3f,\"round_trips_per_s\":%.0f,\"lost\":%" PRIu64
               ",\"warmup_lost\":%" PRIu64 ",\"late\":%" PRIu64 ",\"bad\":%" PRIu64 ",\"bad_payload\":%" PRIu64
               ",\"other_engine\":%" PRIu64 ",\"reply_gaps\":%" PRIu64 ",\"reply_dups\":%" PRIu64 ",\"hellos\":%" PRIu64
               ",\"complete\":%s,",
               na_dpdk_lcore_id(), size, frame, warmup, count, n, p50, p90, p99, p999, mx, mean, mn, secs, rate, st.lost,
               st.warmup_lost, st.late, st.bad, st.bad_payload, st.other, st.reply_gaps, st.reply_dups, st.hellos,
               why == 0 ? "true" : "false");
        json_args(eal, neal);
        printf("}\n");
    } else {
        print_ping_header(s, eal, neal);
        printf("\n# payload %u bytes (frame %u), one frame in flight, %" PRIu64 " warm-up round trips not recorded, "
               "%" PRIu64 " hello(s) before them\n",
               size, frame, warmup, st.hellos);
        printf("%12s %9s %9s %9s %9s %9s %9s %9s %12s %6s %6s %6s\n", "round_trips", "p50_us", "p90_us", "p99_us",
               "p99.9_us", "max_us", "mean_us", "min_us", "rt/s", "lost", "late", "bad");
        printf("%12" PRIu64 " %9.2f %9.2f %9.2f %9.2f %9.1f %9.2f %9.2f %12.0f %6" PRIu64 " %6" PRIu64 " %6" PRIu64 "\n",
               n, p50, p90, p99, p999, mx, mean, mn, rate, st.lost, st.late, st.bad + st.bad_payload);
        if (st.warmup_lost || st.reply_gaps || st.reply_dups || st.other)
            printf("# lost during warm-up %" PRIu64 ", gaps in pong's sequence %" PRIu64 ", repeated %" PRIu64
                   ", frames for other engines %" PRIu64 "\n",
                   st.warmup_lost, st.reply_gaps, st.reply_dups, st.other);
    }
    fflush(stdout);
    free(samples);
    switch (why) {
    case 1: fprintf(stderr, "na_dpdk_pingpong (ping): interrupted after %" PRIu64 " measured round trips\n", n); break;
    case 2: fprintf(stderr, "na_dpdk_pingpong (ping): the link went down (pong exited?) after %" PRIu64
                    " sent\n", st.sent); break;
    case 3: fprintf(stderr, "na_dpdk_pingpong (ping): %d replies in a row missing (1 s each): giving up\n",
                    MAX_LOST_IN_A_ROW); break;
    default: break;
    }
    int ok = why == 0 && n == count && st.lost == 0 && st.bad == 0 && st.bad_payload == 0 && st.reply_gaps == 0;
    if (why == 0 && !ok) fprintf(stderr, "na_dpdk_pingpong (ping): frames were lost or bad (see the counters)\n");
    return ok ? 0 : 1;
}

/* --one-way: n data frames as fast as the port takes them, in bursts of BURST, then the end-of-run
 * frame; pong times them. Per frame as DpdkMessageTransport.offer (one alloc_bulk per burst, as
 * its stock of mbufs is refilled; the header written with its checksum; the payload copied with
 * a sequence at 8) and per burst as its flush (tx_burst_prepared, the rest retried). */
static int run_ping_one_way(setup *s, uint64_t n, uint16_t size, int json, char **eal, int neal) {
    for (uint32_t i = 0; i < MAX_PAYLOAD; i++) template_payload[i] = (uint8_t)(i * 7 + 1);
    ping_stats st;
    memset(&st, 0, sizeof st);
    handshake(s, size, &st);
    tx_partial = 0; /* the handshake's hellos are not part of the run */

    uint64_t sent = 0;
    int why = 0; /* 0 done, 1 stopped by a signal, 2 link down, 4 the port took nothing for 1 s */
    uint64_t start = now_ns();
    while (sent < n) {
        if (stop_requested) {
            why = 1;
            break;
        }
        uint16_t b = n - sent < BURST ? (uint16_t)(n - sent) : BURST;
        int32_t r = na_dpdk_alloc_bulk(s->pool, tx, txa, rooms, b);
        if (r != 0) die("mbuf allocation for a burst (pool exhausted: mbufs leaked?)", r);
        for (uint16_t k = 0; k < b; k++) {
            uint8_t *p = (uint8_t *)(uintptr_t)txa[k];
            uint64_t seq = next_seq++;
            tlens[k] = write_header(p, s->info.mac, ENGINE_PING, ENGINE_PONG, PRIORITY, TYPE_DATA, seq, size);
            memcpy(p + HEADER_LEN, template_payload, size);
            put64(p + HEADER_LEN + 8, seq);
        }
        uint16_t took = send_burst(tx, tlens, b);
        sent += took;
        if (took < b) {
            why = link_up() ? 4 : 2;
            break;
        }
    }
    uint64_t end = now_ns();
    if (why != 2) send_request(s, TYPE_BYE, size, now_ns()); /* best effort: pong also stops on its count */

    double secs = (double)(end - start) * 1e-9;
    double mpps = secs > 0 ? sent / secs * 1e-6 : 0;
    uint32_t frame = HEADER_LEN + size < MIN_FRAME ? MIN_FRAME : HEADER_LEN + size;
    if (json) {
        printf("{\"bench\":\"na_dpdk_pingpong\",\"transport\":\"dpdk-c\",\"mode\":\"one-way\",\"role\":\"ping\",\"dpdk\":");
        json_str(s->version);
        printf(",\"device\":");
        json_str(s->info.name);
        printf(",\"driver\":");
        json_str(s->info.driver);
        printf(",\"lcore\":%d,\"payload_bytes\":%u,\"frame_bytes\":%u,\"burst\":%d,\"requested\":%" PRIu64
               ",\"sent\":%" PRIu64 ",\"seconds\":%.6f,\"sent_mpps\":%.3f,\"tx_partial\":%" PRIu64 ",\"hellos\":%" PRIu64
               ",\"complete\":%s,",
               na_dpdk_lcore_id(), size, frame, BURST, n, sent, secs, mpps, tx_partial, st.hellos,
               why == 0 ? "true" : "false");
        json_args(eal, neal);
        printf("}\n");
    } else {
        print_ping_header(s, eal, neal);
        printf("\n# one way: payload %u bytes (frame %u), bursts of %d, %" PRIu64 " hello(s) before; the rate that "
               "counts is pong's (arrivals)\n",
               size, frame, BURST, st.hellos);
        printf("%12s %10s %10s %12s\n", "sent", "seconds", "sent_Mpps", "tx_partial");
        printf("%12" PRIu64 " %10.3f %10.3f %12" PRIu64 "\n", sent, secs, mpps, tx_partial);
    }
    fflush(stdout);
    switch (why) {
    case 1: fprintf(stderr, "na_dpdk_pingpong (ping): interrupted after %" PRIu64 " frames sent\n", sent); break;
    case 2: fprintf(stderr, "na_dpdk_pingpong (ping): the link went down (pong exited?) after %" PRIu64
                    " frames sent\n", sent); break;
    case 4: fprintf(stderr, "na_dpdk_pingpong (ping): the port took no frame for 1 s (pong not reading?) after %"
                    PRIu64 " sent\n", sent); break;
    default: break;
    }
    return why == 0 && sent == n ? 0 : 1;
}

/* ---------------------------------------------------------------- pong */

/* Next sequence number to send per priority and destination, and expected per priority and source. */
static uint64_t tx_next[PRIORITIES][BROADCAST + 1];
static uint64_t rx_next[PRIORITIES][BROADCAST + 1];

/* A received frame for engine me: 1 when it is to be handled, else 0 and counted: bad (check_frame
 * failed; the first of each kind reported), for another engine (*other), or older than its
 * source's next sequence number for its priority (*late: a duplicate, or late after its gap was
 * counted as lost). Gaps add to *lost; a source's first frame adds the numbers before it to
 * *missed (lost at start-up) and sets where its sequence starts. */
static int take_frame(const uint8_t *p, uint32_t len, uint16_t me, uint64_t *bad, uint64_t *other, uint64_t *late,
                      uint64_t *lost, uint64_t *missed) {
    int f = check_frame(p, len);
    if (f != FR_OK) {
        count_bad(f, "");
        ++*bad;
        return 0;
    }
    uint16_t dst = get16(p + 22), src = get16(p + 20);
    if (dst != me && dst != BROADCAST) {
        ++*other;
        return 0;
    }
    uint8_t prio = p[18];
    uint64_t seq = get64(p + 32), *want = &rx_next[prio][src];
    if (*want == 0) {
        *missed += seq - 1;
        *want = seq;
    }
    if (seq < *want) {
        ++*late;
        return 0;
    }
    *lost += seq - *want;
    *want = seq + 1;
    return 1;
}

/* Replies to the frames rx[idx[0..n)] from engine me: for each, a new mbuf with a header written
 * from scratch (destination the frame's source, same priority and type, me's next sequence number
 * for that destination and priority, header checksum computed) and the payload copied; the n
 * replies are sent together (send_all). Returns send_all's result. */
static int send_echoes(setup *s, uint16_t me, const uint16_t *idx, uint16_t n) {
    int32_t r = na_dpdk_alloc_bulk(s->pool, tx, txa, rooms, n);
    if (r != 0) die("mbuf allocation for replies (pool exhausted: mbufs leaked?)", r);
    for (uint16_t k = 0; k < n; k++) {
        const uint8_t *q = (const uint8_t *)(uintptr_t)rxa[idx[k]];
        uint8_t *p = (uint8_t *)(uintptr_t)txa[k];
        uint8_t prio = q[18];
        uint16_t dst = get16(q + 20), plen = get16(q + 28);
        tlens[k] = write_header(p, s->info.mac, me, dst, prio, get32(q + 24), ++tx_next[prio][dst], plen);
        memcpy(p + HEADER_LEN, q + HEADER_LEN, plen);
    }
    return send_all(tx, tlens, n);
}

/* expected: data frames (count + warmup, or --one-way's N); one_way: count and time them, no replies. */
static int run_pong(setup *s, uint64_t expected, int one_way, int json) {
    uint64_t received = 0, replied = 0, data = 0, hellos = 0, bad = 0, other = 0, lost = 0, late = 0, startup_missed = 0;
    uint64_t first_arrival = 0, last_arrival = 0; /* one way: of the data frames, as the Java sink */
    uint32_t my_hello = one_way ? TYPE_HELLO_ONE_WAY : TYPE_HELLO, their_hello = one_way ? TYPE_HELLO : TYPE_HELLO_ONE_WAY;
    uint32_t spin = 0;
    int bye = 0, idle = 0, link_down = 0;
    uint64_t last_rx = now_ns(), done_at = 0, last_link_check = 0;
    uint16_t idx[BURST];
    /* one way: no wait in C (it takes frames as they come, in small bursts: 5.6 against 8.5 M/s for
     * Java's receiver at 03:15 UTC), as Java's sink */
    uint32_t spins = one_way ? 0 : poll_spins;
    while (!bye && !stop_requested) {
        uint16_t got = na_dpdk_rx_burst_wait(0, 0, rx, rxa, rlens, BURST, spins);
        if (got == 0) {
            /* a clock read on every empty poll would slow the loop; every 1024th is enough */
            if ((++spin & 1023) == 0) {
                uint64_t t = now_ns();
                if (done_at != 0 && t - done_at > LINGER) break;
                if (t - last_rx > IDLE_TIMEOUT) {
                    idle = 1;
                    break;
                }
                if (t - last_rx > LINK_CHECK && t - last_link_check > LINK_CHECK) { /* ping gone? */
                    last_link_check = t;
                    if (!link_up()) {
                        link_down = 1;
                        break;
                    }
                }
            }
            continue;
        }
        received += got;
        uint16_t nrep = 0;
        uint64_t timed = 0; /* one way: the clock read of this burst's last data frame */
        for (uint16_t i = 0; i < got; i++) {
            const uint8_t *p = (const uint8_t *)(uintptr_t)rxa[i];
            if (!take_frame(p, rlens[i], ENGINE_PONG, &bad, &other, &late, &lost, &startup_missed)) continue;
            uint32_t type = get32(p + 24);
            if (type == TYPE_BYE) {
                bye = 1;
                continue;
            }
            if (type == TYPE_DATA) {
                data++;
                if (one_way) { /* a clock read per frame, as TransportBenchChild.sink's handler */
                    timed = now_ns();
                    if (first_arrival == 0) first_arrival = timed;
                    last_arrival = timed;
                    continue;
                }
            } else if (type == my_hello) {
                hellos++;
            } else if (type == their_hello) {
                die(one_way ? "ping runs round trips: start pong without --one-way"
                            : "ping runs --one-way: start pong with the same --one-way N", 0);
            }
            idx[nrep++] = i;
        }
        if (nrep) {
            if (send_echoes(s, ENGINE_PONG, idx, nrep) != 0)
                die(link_up() ? "port 0 took no reply for 1 s (ping not reading?)" : "link went down (ping exited?)", 0);
            replied += nrep;
        }
        na_dpdk_free_bulk(rx, got);
        last_rx = timed ? timed : now_ns();
        if (data >= expected && done_at == 0) done_at = last_rx;
    }
    int ok = (bye || done_at != 0) && data == expected && bad == 0 && lost == 0;
    const char *end = bye ? "end-of-run frame" : idle ? "idle 10 s" : link_down ? "link down" : stop_requested ? "signal"
                                                                                                    : "count reached";
    double secs = (double)(last_arrival - first_arrival) * 1e-9;
    double mpps = secs > 0 ? data / secs * 1e-6 : 0; /* as the Java side: messages / (last - first) */
    if (one_way && json) {
        printf("{\"bench\":\"na_dpdk_pingpong\",\"transport\":\"dpdk-c\",\"mode\":\"one-way\",\"role\":\"pong\","
               "\"lcore\":%d,\"messages\":%" PRIu64 ",\"expected\":%" PRIu64 ",\"seconds\":%.6f,\"mpps\":%.3f,"
               "\"lost\":%" PRIu64 ",\"bad\":%" PRIu64 ",\"late\":%" PRIu64 ",\"other_engine\":%" PRIu64
               ",\"received\":%" PRIu64 ",\"hellos\":%" PRIu64 ",\"missed_before_first\":%" PRIu64 ",\"end\":\"%s\"}\n",
               na_dpdk_lcore_id(), data, expected, secs, mpps, lost, bad, late, other, received, hellos, startup_missed,
               end);
    } else if (one_way) {
        printf("# pong, one way: lcore %d, the data frames timed from the first arrival to the last; received %" PRIu64
               " frames (%" PRIu64 " hello), late %" PRIu64 ", for other engines %" PRIu64 ", missed before the first %"
               PRIu64 "; end: %s\n",
               na_dpdk_lcore_id(), received, hellos, late, other, startup_missed, end);
        printf("%12s %12s %10s %10s %6s %6s\n", "messages", "expected", "seconds", "Mpps", "lost", "bad");
        printf("%12" PRIu64 " %12" PRIu64 " %10.3f %10.3f %6" PRIu64 " %6" PRIu64 "\n", data, expected, secs, mpps, lost,
               bad);
    } else if (json) {
        printf("{\"bench\":\"na_dpdk_pingpong\",\"role\":\"pong\",\"received\":%" PRIu64 ",\"replied\":%" PRIu64
               ",\"data\":%" PRIu64 ",\"expected\":%" PRIu64 ",\"hellos\":%" PRIu64 ",\"bad\":%" PRIu64
               ",\"other_engine\":%" PRIu64 ",\"lost\":%" PRIu64 ",\"late\":%" PRIu64 ",\"missed_before_first\":%" PRIu64
               ",\"end\":\"%s\"}\n",
               received, replied, data, expected, hellos, bad, other, lost, late, startup_missed, end);
    } else {
        printf("# pong: received %" PRIu64 ", replied %" PRIu64 " (%" PRIu64 " of %" PRIu64 " data, %" PRIu64
               " hello), bad %" PRIu64 ", for other engines %" PRIu64 ", lost %" PRIu64 ", late %" PRIu64
               ", missed before the first %" PRIu64 "; end: %s\n",
               received, replied, data, expected, hellos, bad, other, lost, late, startup_missed, end);
    }
    fflush(stdout);
    if (idle) fprintf(stderr, "na_dpdk_pingpong (pong): no frame from ping for 10 s: giving up\n");
    else if (link_down && !ok) fprintf(stderr, "na_dpdk_pingpong (pong): the link went down (ping exited?)\n");
    else if (!ok && !stop_requested)
        fprintf(stderr, "na_dpdk_pingpong (pong): %" PRIu64 " data frames of %" PRIu64 " expected, %" PRIu64
                " bad, %" PRIu64 " lost\n", data, expected, bad, lost);
    return ok ? 0 : 1;
}

/* ---------------------------------------------------------------- main */

/* Socket names. DPDK 22.11's memif puts its socket in Linux's abstract namespace unless the vdev
 * says socket-abstract=no (the default EAL arguments do not, nor does Java's EalOptions): then
 * no file is created, and the name disappears with the process. With socket-abstract=no it is a
 * file, which a crashed server leaves behind (and a new server cannot bind over). Both kinds show
 * in /proc/net/unix (abstract ones with a leading '@'); reading it touches no one's socket. */

/* 1 when a unix socket listens on path, as a file (file_mode) or as an abstract name. */
static int listening(const char *path, int file_mode) {
    FILE *f = fopen("/proc/net/unix", "r");
    if (f == NULL) return 0;
    char line[512];
    int found = 0;
    size_t n = strlen(path);
    while (!found && fgets(line, sizeof line, f) != NULL) {
        unsigned long flags = 0;
        char name[256];
        name[0] = '\0';
        /* Num RefCount Protocol Flags Type St Inode Path */
        if (sscanf(line, "%*s %*s %*s %lx %*s %*s %*s %255s", &flags, name) != 2) continue;
        const char *p = file_mode ? name : (name[0] == '@' ? name + 1 : NULL);
        found = (flags & 0x10000) != 0 /* __SO_ACCEPTCON: listening */ && p != NULL && strlen(p) == n &&
                memcmp(p, path, n) == 0;
    }
    fclose(f);
    return found;
}

/* ---------------------------------------------------------------- loopback */

/* --loopback N: one process, one frame in flight on a loopback port (net_ring0: tx comes back on
 * rx), engine 1 echoing to itself. Each hop is pong's turn of the round trips, step for step:
 * rx_burst (32), check_frame, the destination, the source's sequence tracked, an mbuf allocated,
 * a header written from scratch and the payload copied, tx_burst_prepared, the received mbuf
 * freed. No second process and no memif copies: what is left is the per-message cost of the
 * code on the path, the C counterpart of `nautilus bench transport --loopback N`. warmup hops,
 * then N timed (CLOCK_MONOTONIC before and after, none per hop). */
static int run_loopback(setup *s, uint64_t count, uint64_t warmup, uint16_t size, int json, char **eal, int neal) {
    uint64_t hops = 0, bad = 0, lost = 0, other = 0, late = 0, missed = 0, start = 0, total = warmup + count;
    int32_t r = na_dpdk_alloc_bulk(s->pool, tx, txa, rooms, 1);
    if (r != 0) die("mbuf allocation for the first frame", r);
    uint8_t *f = (uint8_t *)(uintptr_t)txa[0];
    tlens[0] = write_header(f, s->info.mac, ENGINE_PING, ENGINE_PING, PRIORITY, TYPE_DATA, ++tx_next[PRIORITY][ENGINE_PING],
                            size);
    memcpy(f + HEADER_LEN, template_payload, size);
    if (send_all(tx, tlens, 1) != 0) die("the loopback port took no frame for 1 s", 0);
    uint64_t idle_since = 0;
    uint32_t spin = 0;
    if (warmup == 0) start = now_ns();
    while (hops < total && !stop_requested) {
        uint16_t got = na_dpdk_rx_burst_wait(0, 0, rx, rxa, rlens, BURST, poll_spins);
        if (got == 0) { /* rare: the frame comes straight back; no clock read per hop */
            if ((++spin & 1023) == 0) {
                uint64_t t = now_ns();
                if (spin == 1024) idle_since = t;
                else if (t - idle_since > REPLY_TIMEOUT) break; /* the frame was lost */
            }
            continue;
        }
        spin = 0;
        uint16_t nrep = 0;
        uint16_t idx[BURST];
        for (uint16_t i = 0; i < got; i++) {
            if (take_frame((const uint8_t *)(uintptr_t)rxa[i], rlens[i], ENGINE_PING, &bad, &other, &late, &lost, &missed))
                idx[nrep++] = i;
        }
        if (nrep && send_echoes(s, ENGINE_PING, idx, nrep) != 0) die("the loopback port took no frame for 1 s", 0);
        na_dpdk_free_bulk(rx, got);
        hops += nrep;
        if (start == 0 && hops >= warmup) start = now_ns();
    }
    uint64_t end = now_ns();
    uint64_t timed = hops > warmup ? hops - warmup : 0;
    double ns = timed ? (double)(end - start) / (double)timed : 0;
    int ok = hops >= total && bad == 0 && lost == 0;
    if (json) {
        printf("{\"bench\":\"na_dpdk_pingpong\",\"transport\":\"dpdk-c\",\"mode\":\"loopback\",\"poll_spins\":%u,\"device\":",
               poll_spins);
        json_str(s->info.name);
        printf(",\"payload_bytes\":%u,\"hops\":%" PRIu64 ",\"warmup_hops\":%" PRIu64 ",\"ns_per_hop\":%.2f,"
               "\"lost\":%" PRIu64 ",\"bad\":%" PRIu64 ",",
               size, timed, warmup, ns, lost, bad);
        json_args(eal, neal);
        printf("}\n");
    } else {
        printf("# loopback on %s, %u-byte payloads, one frame in flight, %" PRIu64 " hops after %" PRIu64 " not timed\n",
               s->info.name, size, timed, warmup);
        printf("ns/hop %.2f  lost %" PRIu64 "  bad %" PRIu64 "%s\n", ns, lost, bad, ok ? "" : "  (incomplete)");
    }
    return ok ? 0 : 1;
}

/* ping, before EAL creates the server socket: the name must be free. In file mode a socket file
 * nobody listens on (a crashed run) is removed; the file EAL creates is removed at exit. */
static void claim_socket(const char *path, int file_mode) {
    if (listening(path, file_mode)) {
        fprintf(stderr, "na_dpdk_pingpong (ping): a server already listens on %s%s (another ping?): choose another "
                "--socket\n", file_mode ? "" : "abstract socket @", path);
        exit(1);
    }
    if (!file_mode) return;
    struct stat sb;
    if (lstat(path, &sb) != 0) {
        if (errno != ENOENT) {
            perror(path);
            exit(1);
        }
        socket_to_remove = path;
        return;
    }
    if (!S_ISSOCK(sb.st_mode)) {
        fprintf(stderr, "na_dpdk_pingpong (ping): %s exists and is not a socket: choose another --socket\n", path);
        exit(1);
    }
    fprintf(stderr, "na_dpdk_pingpong (ping): removing stale socket file %s (nobody listens on it)\n", path);
    if (unlink(path) != 0) {
        perror(path);
        exit(1);
    }
    socket_to_remove = path;
}

/* pong: wait for ping's server socket (a memif client's start fails, loudly, without one). */
static void wait_socket(const char *path, int file_mode) {
    uint64_t deadline = now_ns() + SOCKET_TIMEOUT;
    while (!listening(path, file_mode)) {
        if (stop_requested) exit(1);
        if (now_ns() > deadline) {
            fprintf(stderr, "na_dpdk_pingpong (pong): nothing listens on %s%s after 30 s: start the ping side "
                    "(na_dpdk_pingpong --role ping --socket %s)\n", file_mode ? "" : "abstract socket @", path, path);
            exit(1);
        }
        sleep_ns(10 * MS);
    }
}

int main(int argc, char **argv) {
    const char *role = NULL, *socket_path = NULL;
    uint64_t count = 1000000, warmup = 200000, size = 32, cpu = UINT64_MAX, one_way = 0, loopback = 0;
    int json = 0, dd = argc, round_trip_options = 0, count_given = 0, warmup_given = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (strcmp(a, "--") == 0) {
            dd = i;
            break;
        } else if (strcmp(a, "--json") == 0) {
            json = 1;
        } else if (strcmp(a, "--role") == 0 && more) {
            role = argv[++i];
            if (strcmp(role, "ping") != 0 && strcmp(role, "pong") != 0) usage();
        } else if (strcmp(a, "--socket") == 0 && more) {
            socket_path = argv[++i];
            /* sun_path less the abstract name's leading NUL and the terminating one; no commas (they
             * separate vdev arguments) and no white space (/proc/net/unix is read by fields) */
            if (*socket_path == '\0' || strlen(socket_path) > sizeof(((struct sockaddr_un *)0)->sun_path) - 2 ||
                strpbrk(socket_path, ", \t\n") != NULL) {
                fprintf(stderr, "na_dpdk_pingpong: --socket: a path of 1..%zu bytes without commas or spaces\n",
                        sizeof(((struct sockaddr_un *)0)->sun_path) - 2);
                usage();
            }
        } else if (strcmp(a, "--count") == 0 && more) {
            if (parse_u64(argv[++i], 1, 1000000000, &count) != 0) usage();
            round_trip_options = count_given = 1;
        } else if (strcmp(a, "--warmup") == 0 && more) {
            if (parse_u64(argv[++i], 0, 1000000000, &warmup) != 0) usage();
            round_trip_options = warmup_given = 1;
        } else if (strcmp(a, "--one-way") == 0 && more) {
            if (parse_u64(argv[++i], 1, 1000000000, &one_way) != 0) usage();
        } else if (strcmp(a, "--loopback") == 0 && more) {
            if (parse_u64(argv[++i], 1, 10000000000ULL, &loopback) != 0) usage();
        } else if (strcmp(a, "--size") == 0 && more) {
            if (parse_u64(argv[++i], MIN_PAYLOAD, MAX_PAYLOAD, &size) != 0) usage();
        } else if (strcmp(a, "--cpu") == 0 && more) {
            if (parse_u64(argv[++i], 0, 1023, &cpu) != 0) usage();
        } else if (strcmp(a, "--poll-spins") == 0 && more) {
            uint64_t v;
            if (parse_u64(argv[++i], 0, 1024, &v) != 0) usage();
            poll_spins = (uint32_t)v;
        } else {
            usage();
        }
    }
    if (loopback && (role != NULL || socket_path != NULL || one_way || count_given)) {
        fprintf(stderr, "na_dpdk_pingpong: --loopback N runs alone in one process: no --role, --socket, --one-way or --count"
                        " (--warmup: hops not timed)\n");
        usage();
    }
    if (loopback) {
        role = "loop";
        socket_path = "";
    }
    if (role == NULL || socket_path == NULL) usage();
    if (one_way && round_trip_options) {
        fprintf(stderr, "na_dpdk_pingpong: --one-way N replaces the round trips: no --count or --warmup with it\n");
        usage();
    }
    if (one_way) hello_type = TYPE_HELLO_ONE_WAY;
    int is_ping = role[1] == 'i', is_loop = loopback != 0;
    prog_role = is_loop ? "loopback" : is_ping ? "ping" : "pong";
    if (cpu == UINT64_MAX) cpu = is_ping || is_loop ? 0 : 1;

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN); /* a peer closing the memif control socket must not kill us */

    char lcores[24], prefix[64], vdev[256];
    snprintf(lcores, sizeof lcores, "%" PRIu64, cpu);
    snprintf(prefix, sizeof prefix, "--file-prefix=na-pp-%s-%ld", prog_role, (long)getpid());
    snprintf(vdev, sizeof vdev, "--vdev=net_memif0,role=%s,id=0,socket=%s", is_ping ? "server" : "client", socket_path);
    char *eal[128];
    int neal = 0;
    eal[neal++] = argv[0];
    if (dd < argc) {
        for (int i = dd + 1; i < argc && neal < 127; i++) eal[neal++] = argv[i];
    } else {
        static char *defaults[] = {"--no-huge", "--no-pci", "--no-shconf", "-m", "256", "--no-telemetry",
                                   "--log-level=warning", "-l"};
        for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++) eal[neal++] = defaults[i];
        eal[neal++] = lcores;
        eal[neal++] = prefix;
        eal[neal++] = is_loop ? "--vdev=net_ring0" : vdev;
    }
    eal[neal] = NULL;
    char *eal_copy[128]; /* EAL may permute its argv: keep ours for the report */
    memcpy(eal_copy, eal, sizeof(char *) * (size_t)(neal + 1));

    int file_mode = 0; /* socket-abstract=no in the EAL arguments: the socket is a file */
    for (int i = 1; i < neal; i++) file_mode |= strstr(eal[i], "socket-abstract=no") != NULL;
    atexit(remove_socket);
    if (is_loop) {
    } else if (is_ping) {
        claim_socket(socket_path, file_mode);
    } else {
        wait_socket(socket_path, file_mode);
    }

    int32_t r = na_dpdk_eal_init(neal, eal_copy);
    if (r < 0) die("EAL initialisation failed (na_dpdk_eal_init)", r);
    setup s;
    memset(&s, 0, sizeof s);
    open_port(&s, is_ping || is_loop, socket_path);
    int rc = is_loop ? run_loopback(&s, loopback, warmup_given ? warmup : 1000000, (uint16_t)size, json, eal, neal)
             : is_ping ? (one_way ? run_ping_one_way(&s, one_way, (uint16_t)size, json, eal, neal)
                                : run_ping(&s, count, warmup, (uint16_t)size, json, eal, neal))
                     : run_pong(&s, one_way ? one_way : count + warmup, one_way != 0, json);
    close_port(&s);
    remove_socket();
    return rc;
}
