package dev.nautilus.accel.shm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Unique segment names for tests, and their removal afterwards. */
final class TestNames implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private final List<String> names = new ArrayList<>();

    String next() {
        String n = "/na-test-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        names.add(n);
        return n;
    }

    @Override
    public void close() {
        for (String n : names) {
            try {
                SharedMemory.unlink(n);
            } catch (RuntimeException ignored) {
                // best effort
            }
        }
        names.clear();
    }
}
