package dev.nautilus.accel.dpdk;

import dev.nautilus.accel.bindings.dpdk.na_dpdk_h;
import dev.nautilus.accel.nativeaccess.Errno;
import dev.nautilus.accel.nativeaccess.NativeModule;
import dev.nautilus.accel.nativeaccess.NativeUnavailableException;
import dev.nautilus.accel.nativeaccess.Platform;
import dev.nautilus.accel.nativeaccess.UnsupportedPlatformException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The DPDK module: availability, version and error text. DPDK is used through {@link Eal}
 * (initialise once per process), {@link Mempool}, {@link EthPort}, {@link RxQueue} /
 * {@link TxQueue} and {@link PacketBatch}.
 *
 * <p>The module is available where the shim {@code libna_dpdk} was built (Linux with DPDK's
 * development files: {@code pkg-config libdpdk}; Debian: {@code libdpdk-dev}) and its probe call
 * succeeds. Elsewhere every entry point throws {@link NativeUnavailableException} (or its
 * subclass {@link UnsupportedPlatformException} off Linux) saying why.
 */
public final class Dpdk {
    static final NativeModule MODULE = new NativeModule("dpdk", "na_dpdk",
            "DPDK: EAL, mempools, ethdev ports, zero-copy packet bursts (needs libdpdk at build time)", Dpdk::probe);

    private Dpdk() {}

    private static void probe() {
        if (!Platform.isLinux()) {
            throw UnsupportedPlatformException.of("module dpdk", "DPDK is supported on Linux only");
        }
        int abi = na_dpdk_h.na_dpdk_abi_version();
        if (abi != na_dpdk_h.NA_DPDK_ABI_VERSION()) {
            throw new NativeUnavailableException("module dpdk is unavailable: libna_dpdk has ABI version " + abi
                    + " but these bindings expect " + na_dpdk_h.NA_DPDK_ABI_VERSION() + "; rebuild the natives (make native)");
        }
        int bad = na_dpdk_h.na_dpdk_check_constants();
        if (bad != 0) {
            throw new NativeUnavailableException("module dpdk is unavailable: libna_dpdk was built against DPDK headers "
                    + "whose offload constants differ from na_dpdk.h (check " + bad + "); rebuild with DPDK 22.11");
        }
    }

    /** @return true when DPDK can be used in this JVM */
    public static boolean isAvailable() {
        return MODULE.isAvailable();
    }

    /** @throws NativeUnavailableException saying why DPDK cannot be used here, and the fix */
    public static void ensureAvailable() {
        MODULE.ensureAvailable();
    }

    /** @return why DPDK is unavailable, or empty */
    public static Optional<NativeUnavailableException> unavailabilityCause() {
        return MODULE.unavailabilityCause();
    }

    /** @return the module descriptor */
    public static NativeModule module() {
        return MODULE;
    }

    /** @return DPDK's version string, e.g. {@code DPDK 22.11.11} */
    public static String version() {
        ensureAvailable();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(128);
            na_dpdk_h.na_dpdk_version(buf, 128);
            return buf.getString(0);
        }
    }

    /**
     * @param errno a positive error code (errno, or DPDK's own above 1000)
     * @return DPDK's text for it ({@code rte_strerror})
     */
    static String strerror(int errno) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(256);
            return na_dpdk_h.na_dpdk_strerror(errno, buf, 256) > 0 ? buf.getString(0) : "";
        }
    }

    /** @return an exception for a negative result {@code r} of a call on a target, with a hint */
    static DpdkException error(String call, String target, int r, String hint) {
        int errno = -r;
        return new DpdkException(call, target, errno, strerror(errno), hint == null ? defaultHint(errno) : hint);
    }

    private static String defaultHint(int errno) {
        if (errno == Errno.ENODEV) {
            return "no such port: list the ports with EthPort.list() or 'nautilus dpdk ports'";
        }
        if (errno == Errno.ENOMEM) {
            return "DPDK ran out of memory: give EAL more (EalOptions.memoryMegabytes, -m) or use fewer/smaller mempools";
        }
        if (errno == Errno.EOPNOTSUPP) {
            return "the port's driver does not support this";
        }
        return "";
    }

    // ------------------------------------------------------------------ hot-path downcalls

    /**
     * Downcall handles for the per-burst calls, made with {@link Linker.Option#critical} (no
     * thread-state transition: these calls are short and never block or call back). jextract
     * cannot emit linker options, so they are written here beside the generated bindings, for the
     * same functions and signatures as {@code na_dpdk.h}.
     */
    static final class Hot {
        static final MethodHandle RX_BURST;
        static final MethodHandle TX_BURST_PREPARED;
        static final MethodHandle ALLOC_BULK;
        static final MethodHandle FREE_BULK;

        /**
         * Send, allocate, free and a receive that busy-waits in C for a bounded number of tries
         * (na_dpdk_rx_burst_wait), with every pointer passed as a {@code long} address: for arrays
         * in memory whose owner keeps it alive and checks that before each call (the message
         * transport's native block), a segment argument would cost its unwrapping on every call. A
         * pointer and a 64-bit integer travel alike in every 64-bit C calling convention the
         * JDK's linker supports.
         */
        static final MethodHandle TX_BURST_PREPARED_AT;
        static final MethodHandle ALLOC_BULK_AT;
        static final MethodHandle FREE_BULK_AT;
        static final MethodHandle RX_BURST_WAIT_AT;

        static {
            ensureAvailable();
            Linker linker = Linker.nativeLinker();
            SymbolLookup lookup = SymbolLookup.loaderLookup();
            Linker.Option critical = Linker.Option.critical(false);
            RX_BURST = linker.downcallHandle(find(lookup, "na_dpdk_rx_burst"), FunctionDescriptor.of(ValueLayout.JAVA_SHORT,
                    ValueLayout.JAVA_SHORT, ValueLayout.JAVA_SHORT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                    ValueLayout.ADDRESS, ValueLayout.JAVA_SHORT), critical);
            TX_BURST_PREPARED = linker.downcallHandle(find(lookup, "na_dpdk_tx_burst_prepared"), FunctionDescriptor.of(
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_SHORT, ValueLayout.JAVA_SHORT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                    ValueLayout.JAVA_SHORT, ValueLayout.JAVA_INT, ValueLayout.JAVA_SHORT, ValueLayout.JAVA_SHORT), critical);
            ALLOC_BULK = linker.downcallHandle(find(lookup, "na_dpdk_alloc_bulk"), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                    critical);
            FREE_BULK = linker.downcallHandle(find(lookup, "na_dpdk_free_bulk"), FunctionDescriptor.ofVoid(
                    ValueLayout.ADDRESS, ValueLayout.JAVA_INT), critical);
            ValueLayout at = ValueLayout.JAVA_LONG;
            TX_BURST_PREPARED_AT = linker.downcallHandle(find(lookup, "na_dpdk_tx_burst_prepared"), FunctionDescriptor.of(
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_SHORT, ValueLayout.JAVA_SHORT, at, at, ValueLayout.JAVA_SHORT,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_SHORT, ValueLayout.JAVA_SHORT), critical);
            ALLOC_BULK_AT = linker.downcallHandle(find(lookup, "na_dpdk_alloc_bulk"), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                    at, at, at, at, ValueLayout.JAVA_INT), critical);
            FREE_BULK_AT = linker.downcallHandle(find(lookup, "na_dpdk_free_bulk"), FunctionDescriptor.ofVoid(at,
                    ValueLayout.JAVA_INT), critical);
            RX_BURST_WAIT_AT = linker.downcallHandle(find(lookup, "na_dpdk_rx_burst_wait"), FunctionDescriptor.of(
                    ValueLayout.JAVA_SHORT, ValueLayout.JAVA_SHORT, ValueLayout.JAVA_SHORT, at, at, at, ValueLayout.JAVA_SHORT,
                    ValueLayout.JAVA_INT), critical);
        }

        private Hot() {}

        private static MemorySegment find(SymbolLookup lookup, String name) {
            return lookup.find(name).orElseThrow(() -> new NativeUnavailableException(
                    "module dpdk is unavailable: libna_dpdk does not export " + name + "; rebuild the natives (make native)"));
        }
    }
}
