package dev.nautilus.accel.compare;

import java.io.PrintStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Redis pub/sub echo round trip, for comparison with the shared-memory bus
 * ({@link CrossProcessPingPong}): this process PUBLISHes on channel {@code ping} a message of
 * {@code --size} bytes carrying {@link System#nanoTime()} and a sequence number, and waits on a
 * second connection, SUBSCRIBEd to {@code pong}, for the echo; a child JVM, SUBSCRIBEd to
 * {@code ping} on one connection, PUBLISHes each message's payload on {@code pong} over another.
 * The round trip is recorded in an HdrHistogram after a warm-up.
 *
 * <p>The client is {@link RespConnection}: java.net.Socket, TCP_NODELAY, blocking reads, no
 * allocation per message. Every PUBLISH reply is read and checked (it must say 1 subscriber), so
 * the connections stay in sync; on the measuring side it is read after the echo arrived, outside
 * the timed interval (it is already in the socket buffer then). The measuring thread and the
 * child's thread are pinned to two CPUs like {@link CrossProcessPingPong}; redis-server itself
 * is not pinned by this class.
 *
 * <pre>{@code
 * redis-server --bind 127.0.0.1 --port 6399 --save '' --appendonly no &
 * java --enable-native-access=ALL-UNNAMED -cp target/bench/benchmarks.jar \
 *      dev.nautilus.accel.compare.RedisPubSubEcho --port 6399 [--json]
 * }</pre>
 * {@code make bench-compare} starts a private redis-server and runs both comparisons.
 */
public final class RedisPubSubEcho {
    private static final String ECHO_ROLE = "--echo-child";
    private static final byte[] PING = "ping".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PONG = "pong".getBytes(StandardCharsets.US_ASCII);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long START_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final int TIMEOUT_MILLIS = 10_000;
    private static final int SLICE_MILLIS = 1_000;
    private static final int MAX_SIZE = 1 << 20;

    /**
     * What to run.
     *
     * @param host Redis host
     * @param port Redis port
     * @param size payload bytes
     * @param warmup round trips not recorded
     * @param roundTrips round trips recorded
     * @param cpus where the two sides run, or null when not pinned
     * @param json print JSON instead of a table
     */
    record Settings(String host, int port, int size, long warmup, long roundTrips, CpuPair cpus, boolean json) {
        long total() {
            return warmup + roundTrips;
        }
    }

    private RedisPubSubEcho() {}

    /**
     * Runs the measurement (or, started by it, the echo child).
     *
     * @param args options; {@code --help} lists them
     */
    public static void main(String[] args) {
        int code;
        if (args.length > 0 && args[0].equals(ECHO_ROLE)) {
            try {
                code = echo(args);
            } catch (RuntimeException | Error e) {
                System.err.println("echo child: " + e);
                e.printStackTrace();
                code = 1;
            }
            System.exit(code);
        }
        try {
            code = run(args, System.out);
        } catch (UsageException e) {
            System.err.println("error: " + e.getMessage() + " (--help lists the options)");
            code = 2;
        } catch (CompareException e) {
            System.err.println("error: " + e.getMessage());
            code = 1;
        }
        System.exit(code);
    }

    private static final String HELP = """
            usage: RedisPubSubEcho [options]
              Round trip of a Redis pub/sub echo: PUBLISH ping here, a child JVM subscribed to ping
              PUBLISHes the payload on pong, this process receives it on a pong subscription.
              --host HOST        Redis host (default 127.0.0.1)
              --port PORT        Redis port (default 6379)
              --size BYTES       payload bytes, >= 16 (default 32)
              --warmup N         round trips run first and not recorded (default 20000)
              --round-trips N    round trips recorded (default 200000)
              --cpus A,B         pin the measuring thread to CPU A and the echo child to CPU B
                                 (default: the two highest online CPUs)
              --no-pin           do not pin (the output says so)
              --json             print JSON instead of the table
            Use a Redis no one else uses: the channels are ping and pong.
            """;

    static int run(String[] args, PrintStream out) {
        Options o = Options.parse(args, 0, Set.of("--host", "--port", "--size", "--warmup", "--round-trips", "--cpus"),
                Set.of("--no-pin", "--json", "--help"));
        if (o.flag("--help")) {
            out.print(HELP);
            return 0;
        }
        Settings s = new Settings(o.string("--host", "127.0.0.1"), (int) o.number("--port", 6379, 1, 65535),
                (int) o.number("--size", 32, CrossProcessPingPong.MIN_SIZE, MAX_SIZE),
                o.number("--warmup", 20_000, 0, Long.MAX_VALUE / 4), o.number("--round-trips", 200_000, 1, Long.MAX_VALUE / 4),
                CpuPair.choose(o.string("--cpus", null), o.flag("--no-pin")), o.flag("--json"));
        Runtime.getRuntime().addShutdownHook(new Thread(ChildJvm::killAll, "na-cmp-cleanup"));

        ChildJvm child = null;
        try (RespConnection pub = RespConnection.connect(s.host(), s.port(), TIMEOUT_MILLIS, s.size());
             RespConnection sub = RespConnection.connect(s.host(), s.port(), TIMEOUT_MILLIS, 64)) {
            pub.ping();
            String version = field(pub.info("server"), "redis_version");
            sub.subscribe("pong");
            long others = pub.subscribers("ping");
            if (others != 0) {
                throw new CompareException(others + " client(s) of Redis at " + pub.address() + " already subscribe to channel"
                        + " ping: use a Redis no one else uses (scripts/bench-compare.sh starts a private one)");
            }
            System.err.printf(Locale.ROOT, "redis: %d warm-up + %d recorded round trips of %d B...%n", s.warmup(),
                    s.roundTrips(), s.size());
            child = ChildJvm.start(RedisPubSubEcho.class, List.of(ECHO_ROLE, s.host(), String.valueOf(s.port()),
                    String.valueOf(s.size()), String.valueOf(s.total()), String.valueOf(s.cpus() == null ? -1 : s.cpus().child())));
            long deadline = System.nanoTime() + START_NANOS;
            while (pub.subscribers("ping") < 1) {
                child.checkAlive("starting (subscribing to ping)");
                if (System.nanoTime() > deadline) {
                    throw new CompareException("the echo child (pid " + child.pid() + ") did not subscribe to ping within "
                            + TimeUnit.NANOSECONDS.toSeconds(START_NANOS) + " s");
                }
                sleepMillis(5);
            }
            ChildJvm c = child;
            sub.timeout(SLICE_MILLIS);
            Histogram h = CpuPair.callPinned(s.cpus(), () -> measure(pub, sub, s, c));
            child.awaitExit(30, "the round trips");
            RoundTrips rt = RoundTrips.of("redis", h);
            System.err.printf(Locale.ROOT, "redis: p50 %s us, p99.9 %s us%n", RoundTrips.fmt(rt.p50()), RoundTrips.fmt(rt.p999()));
            if (s.json()) {
                printJson(out, s, version, pub.address(), child.pid(), rt);
            } else {
                printTable(out, s, version, pub.address(), child.pid(), rt);
            }
            return 0;
        } finally {
            if (child != null) {
                child.close();
            }
        }
    }

    private static Histogram measure(RespConnection pub, RespConnection sub, Settings s, ChildJvm child) {
        Histogram h = RoundTrips.histogram();
        int size = s.size();
        byte[] payload = new byte[size];
        for (int i = 16; i < size; i++) {
            payload[i] = (byte) i;
        }
        byte[] echo = new byte[size];
        long warmup = s.warmup();
        long total = s.total();
        for (long n = 0; n < total; n++) {
            long t0 = System.nanoTime();
            LONG.set(payload, 0, t0);
            LONG.set(payload, 8, n);
            pub.publish(PING, payload, size);
            boolean replied = false;
            while (!sub.awaitInput()) {
                child.checkAlive("round trip " + n);
                if (!replied) {
                    checkReply(pub.readInteger("PUBLISH ping"), "ping", "the echo child");
                    replied = true;
                }
                if (System.nanoTime() - t0 > STALL_NANOS) {
                    throw new CompareException("no echo for " + TimeUnit.NANOSECONDS.toSeconds(STALL_NANOS)
                            + " s at round trip " + n + ": the echo child (pid " + child.pid() + ") stopped answering");
                }
            }
            int len = sub.readMessage(PONG, echo);
            long rtt = System.nanoTime() - (long) LONG.get(echo, 0);
            if (!replied) {
                checkReply(pub.readInteger("PUBLISH ping"), "ping", "the echo child");
            }
            long seq = (long) LONG.get(echo, 8);
            if (seq != n || len != size) {
                throw new CompareException("round trip " + n + " got back message " + seq + " of " + len
                        + " bytes: a message was lost, reordered or changed");
            }
            if (n >= warmup) {
                h.recordValue(Math.min(rtt, RoundTrips.HIGHEST_NANOS));
            }
        }
        return h;
    }

    private static void checkReply(long receivers, String channel, String who) {
        if (receivers != 1) {
            throw new CompareException("PUBLISH on " + channel + " reached " + receivers + " subscribers, expected 1 ("
                    + who + "): is another client using this Redis?");
        }
    }

    /** The child: {@code --echo-child HOST PORT SIZE COUNT CPU}; echoes COUNT messages, then exits 0. */
    private static int echo(String[] args) {
        ChildJvm.exitWhenParentGone();
        if (args.length != 6) {
            System.err.println("usage: RedisPubSubEcho " + ECHO_ROLE + " HOST PORT SIZE COUNT CPU (started by RedisPubSubEcho)");
            return 2;
        }
        String host = args[1];
        int port = Integer.parseInt(args[2]);
        int size = Integer.parseInt(args[3]);
        long count = Long.parseLong(args[4]);
        CpuPair.pinCurrentThread(Integer.parseInt(args[5]));
        try (RespConnection pub = RespConnection.connect(host, port, TIMEOUT_MILLIS, size);
             RespConnection sub = RespConnection.connect(host, port, TIMEOUT_MILLIS, 64)) {
            sub.subscribe("ping");
            sub.timeout(0); // wait for pings as long as it takes: the parent-watch thread ends this JVM if the parent dies
            byte[] buf = new byte[size];
            for (long i = 0; i < count; i++) {
                int n = sub.readMessage(PING, buf);
                pub.publish(PONG, buf, n);
                checkReply(pub.readInteger("PUBLISH pong"), "pong", "the measuring process");
            }
        }
        return 0;
    }

    /** @return the value of {@code name:value} in an INFO text, or "unknown" */
    private static String field(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).strip();
            }
        }
        return "unknown";
    }

    private static String echoSide(Settings s, long childPid) {
        return "child JVM (pid " + childPid + "), SUBSCRIBE ping on one connection, PUBLISH pong on another"
                + (s.cpus() == null ? ", not pinned" : ", pinned to CPU " + s.cpus().child());
    }

    private static String setup(Settings s, String version) {
        return "Redis " + version + " pub/sub echo, " + s.size() + "-byte messages, blocking socket reads, TCP_NODELAY; "
                + CpuPair.describe(s.cpus()) + "; redis-server not pinned; warm-up " + s.warmup() + " round trips, then "
                + s.roundTrips() + " recorded; echo side in a child JVM";
    }

    private static void printTable(PrintStream out, Settings s, String version, String address, long childPid, RoundTrips rt) {
        out.println("Redis pub/sub echo round trip: this process (pid " + ProcessHandle.current().pid() + ") PUBLISHes on"
                + " \"ping\" a message carrying System.nanoTime() and waits for its echo on \"pong\"");
        row(out, "redis", version + " at " + address + " (redis-server is not pinned by this program)");
        row(out, "echo", echoSide(s, childPid));
        row(out, "client", "minimal RESP2 client over java.net.Socket, TCP_NODELAY, blocking reads; the PUBLISH reply is"
                + " read and checked after the echo arrived, outside the timed interval");
        row(out, "threads", CpuPair.describe(s.cpus()));
        row(out, "run", "warm-up " + s.warmup() + " round trips (not recorded), then " + s.roundTrips()
                + " recorded; " + s.size() + "-byte messages; HdrHistogram, 3 significant digits");
        out.println();
        out.println("Round trip, microseconds");
        new TextTable("transport", "round trips", "p50", "p90", "p99", "p99.9", "max", "mean")
                .add(rt.transport(), String.valueOf(rt.count()), RoundTrips.fmt(rt.p50()), RoundTrips.fmt(rt.p90()),
                        RoundTrips.fmt(rt.p99()), RoundTrips.fmt(rt.p999()), RoundTrips.fmt(rt.max()), RoundTrips.fmt(rt.mean()))
                .print(out);
    }

    private static void row(PrintStream out, String key, String value) {
        out.printf(Locale.ROOT, "  %-9s %s%n", key, value);
    }

    private static void printJson(PrintStream out, Settings s, String version, String address, long childPid, RoundTrips rt) {
        StringBuilder b = new StringBuilder("{\"benchmark\":\"redis-pubsub-echo\"");
        b.append(",\"setup\":").append(RoundTrips.quote(setup(s, version)));
        b.append(",\"redis_version\":").append(RoundTrips.quote(version));
        b.append(",\"address\":").append(RoundTrips.quote(address));
        b.append(",\"echo\":").append(RoundTrips.quote(echoSide(s, childPid)));
        b.append(",\"size_bytes\":").append(s.size());
        b.append(",\"warmup\":").append(s.warmup());
        b.append(",\"round_trips\":").append(s.roundTrips());
        b.append(",\"pinned\":").append(s.cpus() != null);
        if (s.cpus() != null) {
            b.append(",\"parent_cpu\":").append(s.cpus().parent()).append(",\"child_cpu\":").append(s.cpus().child());
        }
        b.append(",\"cpus_available\":").append(Runtime.getRuntime().availableProcessors());
        b.append(",\"java\":").append(RoundTrips.quote(System.getProperty("java.version")));
        b.append(",\n\"results\":[\n").append(rt.toJson()).append("\n]}");
        out.println(b);
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompareException("interrupted");
        }
    }
}
