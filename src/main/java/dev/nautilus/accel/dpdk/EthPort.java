package dev.nautilus.accel.dpdk;

import dev.nautilus.accel.bindings.dpdk.na_dpdk_h;
import dev.nautilus.accel.bindings.dpdk.na_dpdk_port_info;
import dev.nautilus.accel.bindings.dpdk.na_dpdk_stats;
import dev.nautilus.accel.nativeaccess.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An Ethernet port (a NIC, or a virtual device such as {@code net_ring0}):
 * {@link #configure}, {@link #setupRxQueue} / {@link #setupTxQueue}, {@link #start}, then move
 * packets with the queues; {@link #stop}, {@link #close}.
 *
 * <pre>{@code
 * EthPort port = EthPort.byName(eal, "net_ring0");
 * port.configure(1, 1);
 * RxQueue rx = port.setupRxQueue(0, 1024, pool);
 * TxQueue tx = port.setupTxQueue(0, 1024);
 * port.start();
 * }</pre>
 *
 * <p>One object per port and EAL ({@link #of} returns the same one). Control calls are
 * synchronized; queues are used by one thread each. Every bad input (port id, queue and
 * descriptor counts, calls in the wrong state) gives an exception saying what to do, never a
 * crash.
 */
public final class EthPort implements AutoCloseable {
    /** Receive offload: IPv4 header checksum checked by the port. */
    public static final long RX_OFFLOAD_IPV4_CKSUM = 0x2;
    /** Receive offload: UDP checksum checked by the port. */
    public static final long RX_OFFLOAD_UDP_CKSUM = 0x4;
    /** Transmit offload: IPv4 header checksum computed by the port. */
    public static final long TX_OFFLOAD_IPV4_CKSUM = 0x2;
    /** Transmit offload: UDP checksum computed by the port. */
    public static final long TX_OFFLOAD_UDP_CKSUM = 0x4;
    /** Transmit offload: mbufs of a queue all come from one pool with refcount 1 (faster free). */
    public static final long TX_OFFLOAD_MBUF_FAST_FREE = 0x10000;

    private static final Map<Integer, EthPort> PORTS = new HashMap<>();

    private final Eal eal;
    private final int id;
    private final String name;
    private RxQueue[] rxQueues = new RxQueue[0];
    private TxQueue[] txQueues = new TxQueue[0];
    private long txOffloads;
    private volatile boolean started;
    private volatile boolean closed;

    private EthPort(Eal eal, int id, String name) {
        this.eal = eal;
        this.id = id;
        this.name = name;
    }

    /**
     * @param eal the running EAL
     * @return every port, by id
     */
    public static List<EthPort> list(Eal eal) {
        eal.checkOpen();
        List<EthPort> out = new ArrayList<>();
        for (int p = na_dpdk_h.na_dpdk_port_next(0); p >= 0; p = na_dpdk_h.na_dpdk_port_next(p + 1)) {
            out.add(of(eal, p));
        }
        return out;
    }

    /**
     * @param eal the running EAL
     * @param id a port id
     * @return the port
     * @throws IllegalArgumentException when there is no such port, listing the ports there are
     */
    public static EthPort of(Eal eal, int id) {
        Objects.requireNonNull(eal, "eal is null: Eal.init(...) first");
        eal.checkOpen();
        synchronized (PORTS) {
            EthPort p = PORTS.get(id);
            if (p != null && p.eal == eal && !p.closed) {
                return p;
            }
            if (id < 0 || id > 0xFFFF || na_dpdk_h.na_dpdk_port_valid(id) != 1) {
                throw new IllegalArgumentException("port id " + id + " is out of range: the ports are " + ids()
                        + " (EAL creates them from --vdev and -a options)");
            }
            p = new EthPort(eal, id, readInfo(id).name());
            PORTS.put(id, p);
            eal.track(p);
            return p;
        }
    }

    /**
     * @param eal the running EAL
     * @param name a device name, e.g. {@code net_ring0}
     * @return the port
     * @throws IllegalArgumentException when no port has that name
     */
    public static EthPort byName(Eal eal, String name) {
        eal.checkOpen();
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("port name is empty: give a device name, e.g. net_ring0");
        }
        int id;
        try (Arena a = Arena.ofConfined()) {
            id = na_dpdk_h.na_dpdk_port_by_name(a.allocateFrom(name));
        }
        if (id < 0) {
            List<String> names = new ArrayList<>();
            for (int p = na_dpdk_h.na_dpdk_port_next(0); p >= 0; p = na_dpdk_h.na_dpdk_port_next(p + 1)) {
                names.add(readInfo(p).name());
            }
            throw new IllegalArgumentException("no port named \"" + name + "\": the ports are " + names
                    + " (add one with EalOptions.withVdev, e.g. net_ring0)");
        }
        return of(eal, id);
    }

    private static List<Integer> ids() {
        List<Integer> ids = new ArrayList<>();
        for (int p = na_dpdk_h.na_dpdk_port_next(0); p >= 0; p = na_dpdk_h.na_dpdk_port_next(p + 1)) {
            ids.add(p);
        }
        return ids;
    }

    /** @return the port id */
    public int id() {
        return id;
    }

    /** @return the device name */
    public String name() {
        return name;
    }

    /** @return what the port is and can do now */
    public PortInfo info() {
        checkOpen();
        return readInfo(id);
    }

    private static PortInfo readInfo(int id) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(na_dpdk_port_info.layout());
            int r = na_dpdk_h.na_dpdk_port_info_get((short) id, s);
            if (r < 0) {
                throw Dpdk.error("rte_eth_dev_info_get", "port " + id, r, null);
            }
            byte[] mac = new byte[6];
            MemorySegment.copy(na_dpdk_port_info.mac(s), ValueLayout.JAVA_BYTE, 0, mac, 0, 6);
            return new PortInfo(id, na_dpdk_port_info.name(s).getString(0), na_dpdk_port_info.driver(s).getString(0),
                    MacAddress.of(mac), na_dpdk_port_info.socket_id(s),
                    u16(na_dpdk_port_info.max_rx_queues(s)), u16(na_dpdk_port_info.max_tx_queues(s)),
                    u16(na_dpdk_port_info.rx_desc_min(s)), u16(na_dpdk_port_info.rx_desc_max(s)),
                    u16(na_dpdk_port_info.rx_desc_align(s)), u16(na_dpdk_port_info.tx_desc_min(s)),
                    u16(na_dpdk_port_info.tx_desc_max(s)), u16(na_dpdk_port_info.tx_desc_align(s)),
                    na_dpdk_port_info.rx_offload_capa(s), na_dpdk_port_info.tx_offload_capa(s),
                    na_dpdk_port_info.max_rx_pktlen(s), u16(na_dpdk_port_info.mtu(s)),
                    u16(na_dpdk_port_info.nb_rx_queues(s)), u16(na_dpdk_port_info.nb_tx_queues(s)),
                    na_dpdk_port_info.link_status(s) == na_dpdk_h.NA_DPDK_LINK_UP(), na_dpdk_port_info.link_speed(s),
                    na_dpdk_port_info.link_duplex(s) == na_dpdk_h.NA_DPDK_LINK_FULL_DUPLEX(),
                    na_dpdk_port_info.link_autoneg(s) == 1, na_dpdk_port_info.promiscuous(s) == 1,
                    na_dpdk_port_info.started(s) == 1);
        }
    }

    private static int u16(short v) {
        return v & 0xFFFF;
    }

    /**
     * Configures queue counts without offloads.
     *
     * @param rxQueues receive queues, 1 to {@code info().maxRxQueues()}
     * @param txQueues transmit queues, 1 to {@code info().maxTxQueues()}
     */
    public void configure(int rxQueues, int txQueues) {
        configure(rxQueues, txQueues, 0, 0);
    }

    /**
     * Configures queue counts and offloads ({@code rte_eth_dev_configure}); the port must be stopped.
     *
     * @param rxQueues receive queues, 1 to {@code info().maxRxQueues()}
     * @param txQueues transmit queues, 1 to {@code info().maxTxQueues()}
     * @param rxOffloads {@code RX_OFFLOAD_*} bits, a subset of {@code info().rxOffloadCapabilities()}
     * @param txOffloads {@code TX_OFFLOAD_*} bits, a subset of {@code info().txOffloadCapabilities()}
     */
    public synchronized void configure(int rxQueues, int txQueues, long rxOffloads, long txOffloads) {
        checkOpen();
        if (started) {
            throw new IllegalStateException("port " + id + " (" + name + ") is started: stop it before configuring it");
        }
        PortInfo info = readInfo(id);
        if (rxQueues < 1 || rxQueues > info.maxRxQueues() || txQueues < 1 || txQueues > info.maxTxQueues()) {
            throw new IllegalArgumentException("port " + id + " (" + info.driver() + ") does not accept " + rxQueues
                    + " receive and " + txQueues + " transmit queues: it allows 1 to " + info.maxRxQueues() + " and 1 to "
                    + info.maxTxQueues());
        }
        if ((rxOffloads & ~info.rxOffloadCapabilities()) != 0 || (txOffloads & ~info.txOffloadCapabilities()) != 0) {
            throw new IllegalArgumentException("port " + id + " (" + info.driver() + ") does not offer the offloads asked"
                    + " for: rx " + PortInfo.offloadNames(rxOffloads & ~info.rxOffloadCapabilities()) + ", tx "
                    + PortInfo.offloadNames(txOffloads & ~info.txOffloadCapabilities()) + " (it offers rx "
                    + info.rxOffloadNames() + ", tx " + info.txOffloadNames() + "): compute those in software");
        }
        int r = na_dpdk_h.na_dpdk_port_configure((short) id, (short) rxQueues, (short) txQueues, rxOffloads, txOffloads,
                MemorySegment.NULL, MemorySegment.NULL);
        if (r < 0) {
            throw Dpdk.error("rte_eth_dev_configure", "port " + id + ", " + rxQueues + " rx / " + txQueues + " tx queues", r,
                    "the driver " + info.driver() + " refused this configuration");
        }
        this.rxQueues = new RxQueue[rxQueues];
        this.txQueues = new TxQueue[txQueues];
        this.txOffloads = txOffloads;
    }

    /**
     * Sets up a receive queue whose buffers come from {@code pool}; the port must be configured and stopped.
     *
     * @param queue 0 to the configured count - 1
     * @param descriptors ring size, within the driver's limits ({@link PortInfo})
     * @param pool where received packets are stored
     * @return the queue
     */
    public synchronized RxQueue setupRxQueue(int queue, int descriptors, Mempool pool) {
        checkQueueSetup("receive", queue, rxQueues.length);
        Objects.requireNonNull(pool, "pool is null");
        PortInfo info = readInfo(id);
        checkDescriptors("receive", descriptors, info.rxDescriptorsMin(), info.rxDescriptorsMax(), info.rxDescriptorsAlign(),
                info.driver());
        int r = na_dpdk_h.na_dpdk_rx_queue_setup((short) id, (short) queue, (short) descriptors, info.socketId(),
                pool.handle());
        if (r < 0) {
            throw Dpdk.error("rte_eth_rx_queue_setup", "port " + id + " queue " + queue + ", " + descriptors + " descriptors",
                    r, -r == Errno.ENOMEM ? "the pool \"" + pool.name() + "\" has too few mbufs to fill " + descriptors
                            + " descriptors: make it larger" : null);
        }
        RxQueue q = new RxQueue(this, queue, pool);
        rxQueues[queue] = q;
        return q;
    }

    /**
     * Sets up a transmit queue; the port must be configured and stopped.
     *
     * @param queue 0 to the configured count - 1
     * @param descriptors ring size, within the driver's limits ({@link PortInfo})
     * @return the queue
     */
    public synchronized TxQueue setupTxQueue(int queue, int descriptors) {
        checkQueueSetup("transmit", queue, txQueues.length);
        PortInfo info = readInfo(id);
        checkDescriptors("transmit", descriptors, info.txDescriptorsMin(), info.txDescriptorsMax(), info.txDescriptorsAlign(),
                info.driver());
        int r = na_dpdk_h.na_dpdk_tx_queue_setup((short) id, (short) queue, (short) descriptors, info.socketId());
        if (r < 0) {
            throw Dpdk.error("rte_eth_tx_queue_setup", "port " + id + " queue " + queue + ", " + descriptors + " descriptors",
                    r, null);
        }
        TxQueue q = new TxQueue(this, queue);
        txQueues[queue] = q;
        return q;
    }

    private void checkQueueSetup(String kind, int queue, int configured) {
        checkOpen();
        if (started) {
            throw new IllegalStateException("port " + id + " (" + name + ") is started: stop it before setting up queues");
        }
        if (configured == 0) {
            throw new IllegalStateException("port " + id + " (" + name + ") is not configured: call configure first");
        }
        if (queue < 0 || queue >= configured) {
            throw new IllegalArgumentException("invalid " + kind + " queue " + queue + " on port " + id + ": it was configured"
                    + " with " + configured + " (queues 0 to " + (configured - 1) + ")");
        }
    }

    private void checkDescriptors(String kind, int n, int min, int max, int align, String driver) {
        if (n < Math.max(1, min) || n > max || (align > 1 && n % align != 0)) {
            throw new IllegalArgumentException(kind + " descriptor count " + n + " is not accepted by driver " + driver
                    + ": it takes " + Math.max(1, min) + " to " + max + (align > 1 ? ", a multiple of " + align : ""));
        }
    }

    /**
     * The usual set-up of a port one thread drives: one receive and one transmit queue of
     * {@code descriptors} each (receive buffers from {@code pool}), no offloads, then start.
     *
     * @param pool where received packets are stored
     * @param descriptors ring size of each queue, within the driver's limits (e.g. 1024)
     */
    public synchronized void startSingleQueue(Mempool pool, int descriptors) {
        configure(1, 1);
        setupRxQueue(0, descriptors, pool);
        setupTxQueue(0, descriptors);
        start();
    }

    /**
     * Waits for the link to come up (a memif pair, for one, connects after both ends started).
     *
     * @param timeout the longest wait
     * @return true when the link is up, false when the timeout passed first
     * @throws InterruptedException when interrupted while waiting
     */
    public boolean awaitLinkUp(java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!info().linkUp()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /**
     * @param queue a set-up receive queue
     * @return it
     */
    public synchronized RxQueue rxQueue(int queue) {
        checkOpen();
        if (queue < 0 || queue >= rxQueues.length || rxQueues[queue] == null) {
            throw new IllegalArgumentException("receive queue " + queue + " of port " + id + " is not set up");
        }
        return rxQueues[queue];
    }

    /**
     * @param queue a set-up transmit queue
     * @return it
     */
    public synchronized TxQueue txQueue(int queue) {
        checkOpen();
        if (queue < 0 || queue >= txQueues.length || txQueues[queue] == null) {
            throw new IllegalArgumentException("transmit queue " + queue + " of port " + id + " is not set up");
        }
        return txQueues[queue];
    }

    long configuredTxOffloads() {
        return txOffloads;
    }

    /** Starts the port; every configured queue must be set up. */
    public synchronized void start() {
        checkOpen();
        if (started) {
            return;
        }
        for (int q = 0; q < rxQueues.length; q++) {
            if (rxQueues[q] == null) {
                throw new IllegalStateException("receive queue " + q + " of port " + id + " is not set up: set up every"
                        + " configured queue before start");
            }
        }
        for (int q = 0; q < txQueues.length; q++) {
            if (txQueues[q] == null) {
                throw new IllegalStateException("transmit queue " + q + " of port " + id + " is not set up: set up every"
                        + " configured queue before start");
            }
        }
        if (rxQueues.length == 0) {
            throw new IllegalStateException("port " + id + " (" + name + ") is not configured: configure it and set up its queues");
        }
        int r = na_dpdk_h.na_dpdk_port_start((short) id);
        if (r < 0) {
            throw Dpdk.error("rte_eth_dev_start", "port " + id, r, null);
        }
        started = true;
    }

    /** Stops the port (queued packets stay in the rings until it is closed). Idempotent. */
    public synchronized void stop() {
        checkOpen();
        if (started) {
            int r = na_dpdk_h.na_dpdk_port_stop((short) id);
            started = false;
            if (r < 0) {
                throw Dpdk.error("rte_eth_dev_stop", "port " + id, r, null);
            }
        }
    }

    /** @return true while started */
    public boolean isStarted() {
        return started && !closed;
    }

    void checkStarted() {
        if (!started) {
            throw new IllegalStateException("port " + id + " (" + name + ") is " + (closed ? "closed" : "not started")
                    + ": configure, set up queues and start it before moving packets");
        }
    }

    /**
     * @param on promiscuous mode on or off
     * @throws DpdkException when the driver cannot
     */
    public synchronized void promiscuous(boolean on) {
        checkOpen();
        int r = na_dpdk_h.na_dpdk_port_promiscuous((short) id, on ? 1 : 0);
        if (r < 0) {
            throw Dpdk.error(on ? "rte_eth_promiscuous_enable" : "rte_eth_promiscuous_disable", "port " + id, r, null);
        }
    }

    /** @return the basic counters */
    public PortStats stats() {
        checkOpen();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(na_dpdk_stats.layout());
            int r = na_dpdk_h.na_dpdk_stats_get((short) id, s);
            if (r < 0) {
                throw Dpdk.error("rte_eth_stats_get", "port " + id, r, null);
            }
            return new PortStats(na_dpdk_stats.ipackets(s), na_dpdk_stats.opackets(s), na_dpdk_stats.ibytes(s),
                    na_dpdk_stats.obytes(s), na_dpdk_stats.imissed(s), na_dpdk_stats.ierrors(s), na_dpdk_stats.oerrors(s),
                    na_dpdk_stats.rx_nombuf(s));
        }
    }

    /** Zeroes the basic counters. */
    public void resetStats() {
        checkOpen();
        int r = na_dpdk_h.na_dpdk_stats_reset((short) id);
        if (r < 0) {
            throw Dpdk.error("rte_eth_stats_reset", "port " + id, r, null);
        }
    }

    /** @return the driver's extended counters by name, in the driver's order */
    public Map<String, Long> xstats() {
        checkOpen();
        int n = na_dpdk_h.na_dpdk_xstats_count((short) id);
        if (n < 0) {
            throw Dpdk.error("rte_eth_xstats_get", "port " + id, n, null);
        }
        Map<String, Long> out = new LinkedHashMap<>();
        if (n == 0) {
            return out;
        }
        int nameMax = na_dpdk_h.NA_DPDK_NAME_MAX();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment names = a.allocate((long) n * nameMax);
            MemorySegment values = a.allocate(ValueLayout.JAVA_LONG, n);
            int got = na_dpdk_h.na_dpdk_xstats_names((short) id, names, n);
            int vals = na_dpdk_h.na_dpdk_xstats_values((short) id, values, n);
            if (got < 0 || vals < 0) {
                throw Dpdk.error("rte_eth_xstats_get", "port " + id, Math.min(got, vals), null);
            }
            for (int i = 0; i < Math.min(got, vals); i++) {
                out.put(names.getString((long) i * nameMax), values.getAtIndex(ValueLayout.JAVA_LONG, i));
            }
        }
        return out;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("port " + id + " (" + name + ") is closed");
        }
        eal.checkOpen();
    }

    /** Stops and closes the port ({@code rte_eth_dev_close}), freeing its queues' mbufs. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        RuntimeException failure = null;
        if (eal.isOpen()) {
            if (started) {
                na_dpdk_h.na_dpdk_port_stop((short) id);
                started = false;
            }
            int r = na_dpdk_h.na_dpdk_port_close((short) id);
            if (r < 0) {
                failure = Dpdk.error("rte_eth_dev_close", "port " + id, r, null);
            }
        }
        closed = true;
        eal.untrack(this);
        synchronized (PORTS) {
            PORTS.remove(id, this);
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "EthPort[" + id + ", " + name + (closed ? ", closed" : started ? ", started" : "") + "]";
    }
}
