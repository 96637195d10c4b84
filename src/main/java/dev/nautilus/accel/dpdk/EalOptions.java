package dev.nautilus.accel.dpdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Arguments for {@link Eal#init}: a typed builder over DPDK's EAL command line. Immutable; every
 * {@code with...} returns a copy. {@link #toArgs()} gives the exact arguments passed to
 * {@code rte_eal_init} (after the program name).
 *
 * <p>Start from {@link #defaults()} (EAL's own defaults: all cores, hugepages, PCI scan) or from
 * {@link #virtualDevices(String...)} for machines without NICs or hugepages:
 * {@code --no-huge --no-pci --no-shconf -m 256 --vdev=...}. Note that {@code --in-memory} is
 * refused together with {@code --no-huge} (EAL: not compatible with legacy memory);
 * {@code --no-shconf} keeps runtime files out of the way instead.
 */
public final class EalOptions {
    private static final Pattern CORES = Pattern.compile("[0-9]+([-,][0-9]+)*");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern LOG_LEVEL = Pattern.compile("([a-z0-9_.*]+:)?(emergency|alert|critical|error|warning|notice|info|debug|[1-8])");

    private final String cores;
    private final int memoryMegabytes;
    private final boolean noHuge;
    private final boolean inMemory;
    private final boolean noShconf;
    private final boolean noPci;
    private final boolean telemetry;
    private final String filePrefix;
    private final List<String> vdevs;
    private final List<String> pciAllow;
    private final String logLevel;
    private final List<String> extraArgs;

    private EalOptions(String cores, int memoryMegabytes, boolean noHuge, boolean inMemory, boolean noShconf, boolean noPci,
                       boolean telemetry, String filePrefix, List<String> vdevs, List<String> pciAllow, String logLevel,
                       List<String> extraArgs) {
        this.cores = cores;
        this.memoryMegabytes = memoryMegabytes;
        this.noHuge = noHuge;
        this.inMemory = inMemory;
        this.noShconf = noShconf;
        this.noPci = noPci;
        this.telemetry = telemetry;
        this.filePrefix = filePrefix;
        this.vdevs = List.copyOf(vdevs);
        this.pciAllow = List.copyOf(pciAllow);
        this.logLevel = logLevel;
        this.extraArgs = List.copyOf(extraArgs);
    }

    /** @return EAL's defaults (no arguments) except telemetry off */
    public static EalOptions defaults() {
        return new EalOptions(null, 0, false, false, false, false, false, null, List.of(), List.of(), null, List.of());
    }

    /**
     * @param vdevs virtual devices, e.g. {@code net_ring0} (tx loops back to rx) or
     *     {@code net_memif0,role=server}
     * @return options for a machine without NICs or hugepages: {@code --no-huge --no-pci
     *     --no-shconf -m 256}, core 0 only, warnings and errors logged, these vdevs
     */
    public static EalOptions virtualDevices(String... vdevs) {
        EalOptions o = defaults().withNoHuge(true).withNoPci(true).withNoShconf(true).withMemoryMegabytes(256)
                .withCores("0").withLogLevel("warning");
        for (String v : vdevs) {
            o = o.withVdev(v);
        }
        return o;
    }

    /**
     * @param cores an lcore list for {@code -l}, e.g. {@code 0} or {@code 0-1} or {@code 0,2}; null for EAL's default (all)
     * @return a copy with it
     */
    public EalOptions withCores(String cores) {
        if (cores != null && !CORES.matcher(cores).matches()) {
            throw new IllegalArgumentException("invalid EAL core list \"" + cores + "\": use CPU numbers and ranges, e.g. 0 or 0-1 or 0,2");
        }
        return new EalOptions(cores, memoryMegabytes, noHuge, inMemory, noShconf, noPci, telemetry, filePrefix, vdevs,
                pciAllow, logLevel, extraArgs);
    }

    /**
     * @param megabytes memory EAL reserves at start ({@code -m}); 0 for EAL's default
     * @return a copy with it
     */
    public EalOptions withMemoryMegabytes(int megabytes) {
        if (megabytes < 0) {
            throw new IllegalArgumentException("invalid EAL memory " + megabytes + " MB: use 0 (EAL's default) or more");
        }
        return new EalOptions(cores, megabytes, noHuge, inMemory, noShconf, noPci, telemetry, filePrefix, vdevs, pciAllow,
                logLevel, extraArgs);
    }

    /**
     * @param on {@code --no-huge}: ordinary pages instead of hugepages (slower DMA, fine for vdevs)
     * @return a copy with it
     */
    public EalOptions withNoHuge(boolean on) {
        return new EalOptions(cores, memoryMegabytes, on, inMemory, noShconf, noPci, telemetry, filePrefix, vdevs, pciAllow,
                logLevel, extraArgs);
    }

    /**
     * @param on {@code --in-memory}: no shared runtime files (cannot be combined with {@code --no-huge})
     * @return a copy with it
     */
    public EalOptions withInMemory(boolean on) {
        return new EalOptions(cores, memoryMegabytes, noHuge, on, noShconf, noPci, telemetry, filePrefix, vdevs, pciAllow,
                logLevel, extraArgs);
    }

    /**
     * @param on {@code --no-shconf}: no shared config file (no secondary processes)
     * @return a copy with it
     */
    public EalOptions withNoShconf(boolean on) {
        return new EalOptions(cores, memoryMegabytes, noHuge, inMemory, on, noPci, telemetry, filePrefix, vdevs, pciAllow,
                logLevel, extraArgs);
    }

    /**
     * @param on {@code --no-pci}: do not scan the PCI bus
     * @return a copy with it
     */
    public EalOptions withNoPci(boolean on) {
        return new EalOptions(cores, memoryMegabytes, noHuge, inMemory, noShconf, on, telemetry, filePrefix, vdevs, pciAllow,
                logLevel, extraArgs);
    }

    /**
     * @param on keep DPDK's telemetry socket (off by default: {@code --no-telemetry})
     * @return a copy with it
     */
    public EalOptions withTelemetry(boolean on) {
        return new EalOptions(cores, memoryMegabytes, noHuge, inMemory, noShconf, noPci, on, filePrefix, vdevs, pciAllow,
                logLevel, extraArgs);
    }

    /**
     * @param prefix {@code --file-prefix}: separates the runtime files of independent DPDK processes; null for none
     * @return a copy with it
     */
    public EalOptions withFilePrefix(String prefix) {
        if (prefix != null && !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("invalid EAL file prefix \"" + prefix + "\": use 1-64 letters, digits, '_', '.', '-'");
        }
        return new EalOptions(cores, memoryMegabytes, noHuge, inMemory, noShconf, noPci, telemetry, prefix, vdevs, pciAllow,
                logLevel, extraArgs);
    }

    /**
     * @param vdev a virtual device for {@code --vdev}, e.g. {@code net_ring0} or {@code net_null0}
     * @return a copy with it added
     */
    public EalOptions withVdev(String vdev) {
        if (vdev == null || vdev.isBlank() || vdev.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("invalid vdev \"" + vdev + "\": give a driver name and instance, e.g. net_ring0");
        }
        List<String> v = new ArrayList<>(vdevs);
        v.add(vdev);
        return new EalOptions(cores, memoryMegabytes, noHuge, inMemory, noShconf, noPci, telemetry, filePrefix, v, pciAllow,
                logLevel, extraArgs);
    }

    /**
     * @param pciAddress a device for {@code -a} (allow list), e.g. {@code 0000:3b:00.0}
     * @return a copy with it added
     */
    public EalOptions withPciAllow(String pciAddress) {
        if (pciAddress == null || !pciAddress.matches("([0-9a-fA-F]{4}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7](,.*)?")) {
            throw new IllegalArgumentException("invalid PCI address \"" + pciAddress + "\": use domain:bus:device.function, e.g. 0000:3b:00.0");
        }
        List<String> p = new ArrayList<>(pciAllow);
        p.add(pciAddress);
        return new EalOptions(cores, memoryMegabytes, noHuge, inMemory, noShconf, noPci, telemetry, filePrefix, vdevs, p,
                logLevel, extraArgs);
    }

    /**
     * @param level {@code --log-level}, e.g. {@code warning}, {@code debug} or {@code pmd.net.ring:debug}; null for EAL's default
     * @return a copy with it
     */
    public EalOptions withLogLevel(String level) {
        if (level != null && !LOG_LEVEL.matcher(level).matches()) {
            throw new IllegalArgumentException("invalid EAL log level \"" + level
                    + "\": use emergency, alert, critical, error, warning, notice, info, debug or 1-8, optionally after 'type:'");
        }
        return new EalOptions(cores, memoryMegabytes, noHuge, inMemory, noShconf, noPci, telemetry, filePrefix, vdevs, pciAllow,
                level, extraArgs);
    }

    /**
     * @param args more EAL arguments, passed as they are after the typed ones
     * @return a copy with them added
     */
    public EalOptions withExtraArgs(String... args) {
        List<String> e = new ArrayList<>(extraArgs);
        for (String a : args) {
            e.add(Objects.requireNonNull(a, "EAL argument is null"));
        }
        return new EalOptions(cores, memoryMegabytes, noHuge, inMemory, noShconf, noPci, telemetry, filePrefix, vdevs, pciAllow,
                logLevel, e);
    }

    /** @return the virtual devices */
    public List<String> vdevs() {
        return vdevs;
    }

    /**
     * @return the EAL arguments (without the program name)
     * @throws IllegalArgumentException for a combination EAL refuses, saying which
     */
    public List<String> toArgs() {
        if (inMemory && noHuge) {
            throw new IllegalArgumentException("EAL options --in-memory and --no-huge cannot be combined (EAL: in-memory mode"
                    + " is not compatible with legacy memory): drop --in-memory and use --no-shconf to keep runtime files away");
        }
        return build();
    }

    private List<String> build() {
        List<String> a = new ArrayList<>();
        if (cores != null) {
            a.add("-l");
            a.add(cores);
        }
        if (memoryMegabytes > 0) {
            a.add("-m");
            a.add(String.valueOf(memoryMegabytes));
        }
        if (noHuge) {
            a.add("--no-huge");
        }
        if (inMemory) {
            a.add("--in-memory");
        }
        if (noShconf) {
            a.add("--no-shconf");
        }
        if (noPci) {
            a.add("--no-pci");
        }
        if (!telemetry) {
            a.add("--no-telemetry");
        }
        if (filePrefix != null) {
            a.add("--file-prefix=" + filePrefix);
        }
        for (String v : vdevs) {
            a.add("--vdev=" + v);
        }
        for (String p : pciAllow) {
            a.add("-a");
            a.add(p);
        }
        if (logLevel != null) {
            a.add("--log-level=" + logLevel);
        }
        a.addAll(extraArgs);
        return List.copyOf(a);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EalOptions e && e.build().equals(build());
    }

    @Override
    public int hashCode() {
        return build().hashCode();
    }

    @Override
    public String toString() {
        return String.join(" ", build());
    }
}
