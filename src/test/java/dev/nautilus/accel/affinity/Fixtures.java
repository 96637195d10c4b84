package dev.nautilus.accel.affinity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The topology fixtures in src/test/resources/topology: one real capture and synthetic shapes. */
final class Fixtures {
    /** REAL: this build VM (2 vCPUs, no caches directory). */
    static final String THIS_VM = "this-vm-2cpu";
    /** SYNTHETIC: 2 sockets x 8 cores x 2 threads, 2 NUMA nodes, isolcpus and nohz_full. */
    static final String SERVER = "server-2s-numa-smt";
    /** SYNTHETIC: i9-12900K, 8 P-cores with SMT + 8 E-cores. */
    static final String HYBRID = "intel-hybrid-desktop";
    /** SYNTHETIC: 4 little (capacity 446) + 4 big (1024) ARM cores. */
    static final String ARM = "arm-big-little";
    /** SYNTHETIC: 4c/8t laptop booted with nosmt: CPUs 4-7 offline, no NUMA. */
    static final String OFFLINE = "laptop-offline-cpus";

    private Fixtures() {}

    static Path root(String name) {
        URL url = Fixtures.class.getResource("/topology/" + name);
        if (url == null) {
            throw new IllegalStateException("fixture " + name + " is missing from src/test/resources/topology");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static CpuTopology read(String name) {
        return CpuTopology.read(root(name));
    }

    /** Copies a fixture into a directory, to change files of it. */
    static Path copy(String name, Path into) {
        Path from = root(name);
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path to = into.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return into;
    }
}
