package dev.nautilus.accel.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The echo side of a comparison: a child JVM running the same java with the same class path,
 * started from an unpinned thread (a child inherits the affinity of the thread that forks it).
 *
 * <p>Its standard input stays a pipe from this process and is never written: when this process
 * is gone, even after {@code SIGKILL}, the child reads end of file and halts
 * ({@link #exitWhenParentGone()}). Its output goes to a temporary log, shown in error messages.
 * {@link #close()} kills and reaps it; {@link #killAll()} does that for every live child, from a
 * shutdown hook. Thread-safe.
 */
final class ChildJvm implements AutoCloseable {
    /** Exit code of a child whose parent is gone. */
    static final int PARENT_GONE = 3;
    /** JVM options of every child, the same as the script gives the parent. */
    static final List<String> JVM_OPTIONS = List.of("--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED");
    private static final Set<ChildJvm> LIVE = ConcurrentHashMap.newKeySet();

    private final Process process;
    private final Path log;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code java <options> -cp <this class path> main args...}. Call it from a thread
     * that is not pinned.
     *
     * @param main the main class
     * @param args its arguments
     * @return the running child
     * @throws CompareException when it cannot be started
     */
    static ChildJvm start(Class<?> main, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JVM_OPTIONS);
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith("nautilus.") || key.startsWith("agrona.")) {
                cmd.add("-D" + key + "=" + System.getProperty(key));
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(args);
        Path log = null;
        try {
            log = Files.createTempFile("na-cmp-child-", ".log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            ChildJvm c = new ChildJvm(p, log);
            LIVE.add(c);
            return c;
        } catch (IOException e) {
            deleteQuietly(log);
            throw new CompareException("cannot start the echo child JVM (" + cmd.get(0) + "): " + e.getMessage(), e);
        }
    }

    /** @return the child's process id */
    long pid() {
        return process.pid();
    }

    /** @return whether the child still runs (no allocation) */
    boolean alive() {
        return process.isAlive();
    }

    /**
     * @param doing what the parent was doing, for the message
     * @throws CompareException when the child has exited, with its output
     */
    void checkAlive(String doing) {
        if (!process.isAlive()) {
            throw new CompareException("the echo child (pid " + process.pid() + ") exited with code " + process.exitValue()
                    + " while " + doing + output());
        }
    }

    /**
     * Waits for the child to finish on its own and checks its exit code.
     *
     * @param seconds how long to wait
     * @param doing what it should have finished, for the message
     * @throws CompareException when it does not exit in time or exits with an error
     */
    void awaitExit(long seconds, String doing) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                throw new CompareException("the echo child (pid " + process.pid() + ") did not exit within " + seconds
                        + " s after " + doing + output());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompareException("interrupted while waiting for the echo child");
        }
        if (process.exitValue() != 0) {
            throw new CompareException("the echo child (pid " + process.pid() + ") exited with code " + process.exitValue()
                    + " after " + doing + output());
        }
    }

    private String output() {
        try {
            String s = Files.readString(log, StandardCharsets.UTF_8).strip();
            if (s.length() > 3000) {
                s = "..." + s.substring(s.length() - 3000);
            }
            return s.isEmpty() ? " (it printed nothing)" : "; it printed:\n" + s;
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** Kills the child if it still runs, reaps it (up to 10 s) and deletes its log. Idempotent. */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            LIVE.remove(this);
            deleteQuietly(log);
        }
    }

    /** Kills and reaps every child still running (for a shutdown hook). */
    static void killAll() {
        for (ChildJvm c : List.copyOf(LIVE)) {
            c.close();
        }
    }

    /**
     * In a child: starts a daemon thread that halts this JVM with {@link #PARENT_GONE} when
     * standard input reaches end of file, i.e. when the parent process is gone. Call it before
     * pinning, so the thread is not pinned with the echo thread.
     */
    static void exitWhenParentGone() {
        Thread.ofPlatform().daemon().name("na-cmp-parent-watch").start(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the parent never writes; anything read is ignored
                }
            } catch (IOException e) {
                // a broken pipe is a gone parent too
            }
            Runtime.getRuntime().halt(PARENT_GONE);
        });
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // a temporary file: the OS cleans it
            }
        }
    }
}
