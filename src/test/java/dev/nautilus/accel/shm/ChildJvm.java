package dev.nautilus.accel.shm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A child JVM running {@link ShmChild}, reaped on close; its output is read line by line. */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder all = new StringBuilder();

    private ChildJvm(Process p) {
        this.process = p;
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (all) {
                        all.append(line).append('\n');
                    }
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // process ended
            }
        }, "child-reader");
        t.setDaemon(true);
        t.start();
    }

    static ChildJvm start(String... args) {
        return start(List.of(), System.getProperty("java.class.path"), args);
    }

    /**
     * Starts the child as another user (Linux, as root, through setpriv) with a class path of
     * the given entries only.
     */
    static ChildJvm startAs(int uid, int gid, String classPath, String... args) {
        return start(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups"), classPath, args);
    }

    private static ChildJvm start(List<String> prefix, String classPath, String... args) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(System.getProperty("java.home") + "/bin/java");
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xshare:auto");
        cmd.add("-XX:TieredStopAtLevel=1");
        String basedir = System.getProperty("nautilus.test.basedir");
        if (basedir != null) {
            cmd.add("-Dnautilus.test.basedir=" + basedir);
        }
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(ShmChild.class.getName());
        cmd.addAll(List.of(args));
        try {
            return new ChildJvm(new ProcessBuilder(cmd).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the next output line, waiting at most the timeout */
    String nextLine(long timeoutMs) throws InterruptedException {
        String l = lines.poll(timeoutMs, TimeUnit.MILLISECONDS);
        if (l == null) {
            throw new AssertionError("child printed no line within " + timeoutMs + " ms; output so far:\n" + output());
        }
        return l;
    }

    /** Waits for exit (bounded) and returns the exit code. */
    int waitFor(long timeoutMs) throws InterruptedException {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child did not exit within " + timeoutMs + " ms; output:\n" + output());
        }
        return process.exitValue();
    }

    String output() {
        synchronized (all) {
            return all.toString();
        }
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
