package dev.nautilus.accel.testutil;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running a test main class, reaped on close; its output (stdout and stderr together)
 * is read line by line while it runs. Use {@link JavaProcess} for run-to-completion children.
 */
public final class ChildJvm implements AutoCloseable {
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

    /**
     * @param main the class whose main method runs
     * @param args its arguments
     * @return the running child
     */
    public static ChildJvm start(Class<?> main, String... args) {
        return start(List.of(), System.getProperty("java.class.path"), main, args);
    }

    /** uid and gid of user nobody on Debian. */
    public static final int NOBODY = 65534;

    /**
     * The project's own class folders (target/classes and target/test-classes) as a class path,
     * when another user can read them: running as root on Linux with setpriv present. Children
     * started with {@link #startAs} use it (they cannot read root's Maven repository).
     *
     * @return the class path, or null when that is not possible here
     */
    public static String classPathReadableByOthers() {
        if (!System.getProperty("os.name", "").startsWith("Linux") || !"root".equals(System.getProperty("user.name"))) {
            return null;
        }
        if (java.util.stream.Stream.of("/usr/bin/setpriv", "/bin/setpriv")
                .noneMatch(p -> java.nio.file.Files.isExecutable(java.nio.file.Path.of(p)))) {
            return null;
        }
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            java.nio.file.Path p = java.nio.file.Path.of(e).toAbsolutePath();
            if (java.nio.file.Files.isDirectory(p) && (p.endsWith("classes") || p.endsWith("test-classes"))) {
                for (java.nio.file.Path q = p; q != null; q = q.getParent()) {
                    try {
                        java.util.Set<java.nio.file.attribute.PosixFilePermission> perms = java.nio.file.Files.getPosixFilePermissions(q);
                        if (!perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)
                                || !perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)) {
                            return null;
                        }
                    } catch (IOException ex) {
                        return null;
                    }
                }
                entries.add(p.toString());
            }
        }
        return entries.size() == 2 ? String.join(java.io.File.pathSeparator, entries) : null;
    }

    /**
     * Starts the child as another user (Linux, as root, through setpriv) with a class path of
     * the given entries only.
     */
    public static ChildJvm startAs(int uid, int gid, String classPath, Class<?> main, String... args) {
        return start(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups"), classPath, main, args);
    }

    private static ChildJvm start(List<String> prefix, String classPath, Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(JavaProcess.command(List.of("--enable-native-access=ALL-UNNAMED", "-Xshare:auto", "-XX:TieredStopAtLevel=1"),
                classPath, main.getName(), List.of(args)));
        try {
            return new ChildJvm(new ProcessBuilder(cmd).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the next output line, waiting at most the timeout */
    public String nextLine(long timeoutMs) throws InterruptedException {
        String l = lines.poll(timeoutMs, TimeUnit.MILLISECONDS);
        if (l == null) {
            throw new AssertionError("child printed no line within " + timeoutMs + " ms; output so far:\n" + output());
        }
        return l;
    }

    /** Kills the child at once (SIGKILL) and waits for it to be gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return whether the child is still running */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for exit (bounded) and returns the exit code. */
    public int waitFor(long timeoutMs) throws InterruptedException {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child did not exit within " + timeoutMs + " ms; output:\n" + output());
        }
        return process.exitValue();
    }

    /** @return everything the child printed so far */
    public String output() {
        synchronized (all) {
            return all.toString();
        }
    }

    /** @return the child's process id */
    public long pid() {
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
