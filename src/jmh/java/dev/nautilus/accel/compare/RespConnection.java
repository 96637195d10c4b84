package dev.nautilus.accel.compare;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A minimal Redis client (RESP2) over one {@link Socket} with {@code TCP_NODELAY}: just what a
 * pub/sub echo needs (PING, INFO, SUBSCRIBE, PUBLISH, PUBSUB NUMSUB). Each command is one
 * {@code write} of a reused buffer; replies are parsed from a reused read buffer, so
 * {@link #publish}, {@link #readInteger} and {@link #readMessage} allocate nothing.
 *
 * <p>Reads block, up to the socket timeout; {@link #awaitInput()} reports a timeout as
 * {@code false} while no reply has started, so a caller can check on its peer and wait again.
 * Errors are {@link CompareException}s that name the server and what was being read. Not
 * thread-safe: one thread per connection.
 */
final class RespConnection implements AutoCloseable {
    private static final byte[] PUBLISH_HEAD = "*3\r\n$7\r\nPUBLISH\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGE = "message".getBytes(StandardCharsets.US_ASCII);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String address;
    private final byte[] rbuf = new byte[64 * 1024];
    private int rpos;
    private int rlim;
    private final byte[] wbuf;
    private int wlen;

    private RespConnection(Socket socket, String address, int maxPayload) throws IOException {
        this.socket = socket;
        this.address = address;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.wbuf = new byte[maxPayload + 256];
    }

    /**
     * Connects.
     *
     * @param host e.g. {@code 127.0.0.1}
     * @param port e.g. {@code 6379}
     * @param timeoutMillis connect timeout, and the socket read timeout
     * @param maxPayload the largest payload {@link #publish} will send
     * @return the connection
     * @throws CompareException when Redis cannot be reached, saying how to start one
     */
    static RespConnection connect(String host, int port, int timeoutMillis, int maxPayload) {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            return new RespConnection(s, host + ":" + port, maxPayload);
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing to do
            }
            throw new CompareException("cannot reach Redis at " + host + ":" + port + " (" + e.getMessage() + "). Start one"
                    + " with: redis-server --bind 127.0.0.1 --port " + port + " --save '' --appendonly no"
                    + " (Debian/Ubuntu: apt-get install redis-server); or run scripts/bench-compare.sh (make bench-compare),"
                    + " which starts a private one; or give --host/--port of a running server", e);
        }
    }

    /** @return host:port */
    String address() {
        return address;
    }

    // ---------------------------------------------------------------- commands

    /**
     * Sends a command of text arguments (not for the hot path: it allocates).
     *
     * @param args e.g. {@code "PING"}
     */
    void command(String... args) {
        wlen = 0;
        put((byte) '*');
        putDecimal(args.length);
        putCrlf();
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            putBulk(b, b.length);
        }
        flush(args[0]);
    }

    /**
     * Sends {@code PUBLISH channel payload} (read the reply with {@link #readInteger}). No allocation.
     *
     * @param channel channel name bytes
     * @param payload the message
     * @param length bytes of {@code payload} to send
     */
    void publish(byte[] channel, byte[] payload, int length) {
        System.arraycopy(PUBLISH_HEAD, 0, wbuf, 0, PUBLISH_HEAD.length);
        wlen = PUBLISH_HEAD.length;
        putBulk(channel, channel.length);
        putBulk(payload, length);
        flush("PUBLISH");
    }

    /**
     * Subscribes this connection to a channel and reads the confirmation. Afterwards the
     * connection only receives messages ({@link #readMessage}).
     *
     * @param channel the channel
     */
    void subscribe(String channel) {
        command("SUBSCRIBE", channel);
        expectArrayHeader(3, "SUBSCRIBE reply");
        String kind = new String(readBulk("SUBSCRIBE reply"), StandardCharsets.UTF_8);
        String ch = new String(readBulk("SUBSCRIBE reply"), StandardCharsets.UTF_8);
        readInteger("SUBSCRIBE reply");
        if (!kind.equals("subscribe") || !ch.equals(channel)) {
            throw protocol("SUBSCRIBE " + channel + " answered " + kind + " " + ch);
        }
    }

    /**
     * @param channel a channel
     * @return how many clients are subscribed to it ({@code PUBSUB NUMSUB})
     */
    long subscribers(String channel) {
        command("PUBSUB", "NUMSUB", channel);
        expectArrayHeader(2, "PUBSUB NUMSUB reply");
        readBulk("PUBSUB NUMSUB reply");
        return readInteger("PUBSUB NUMSUB reply");
    }

    /** Sends PING and checks for PONG. */
    void ping() {
        command("PING");
        int t = readType("PING reply");
        String line = readLine("PING reply");
        if (t != '+' || !line.equals("PONG")) {
            throw protocol("PING answered " + (char) t + line);
        }
    }

    /**
     * @param section e.g. {@code server}
     * @return the text of {@code INFO section}
     */
    String info(String section) {
        command("INFO", section);
        return new String(readBulk("INFO reply"), StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- replies

    /**
     * Waits for the next reply to start.
     *
     * @return true when input is waiting; false when the socket timeout passed first
     */
    boolean awaitInput() {
        if (rpos < rlim) {
            return true;
        }
        try {
            fill();
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            throw failed("waiting for input", e);
        }
    }

    /**
     * Reads an integer reply ({@code :n}). No allocation.
     *
     * @param what what the reply answers, for messages
     * @return n
     * @throws CompareException for an error reply or another type
     */
    long readInteger(String what) {
        int t = readType(what);
        if (t != ':') {
            throw unexpected(t, "an integer", what);
        }
        return readNumberLine(what);
    }

    /**
     * Reads one pub/sub message ({@code message <channel> <payload>}) into {@code dst}. No allocation.
     *
     * @param channel the channel it must come from
     * @param dst where the payload goes
     * @return the payload length
     */
    int readMessage(byte[] channel, byte[] dst) {
        expectArrayHeader(3, "message");
        int kindLength = readBulkLength("message kind");
        if (kindLength != MESSAGE.length || !consumeEquals(MESSAGE, "message kind")) {
            throw protocol("expected a pub/sub \"message\"");
        }
        readCrlf("message kind");
        int chLength = readBulkLength("message channel");
        if (chLength != channel.length || !consumeEquals(channel, "message channel")) {
            throw protocol("expected a message on channel " + new String(channel, StandardCharsets.UTF_8));
        }
        readCrlf("message channel");
        int n = readBulkLength("message payload");
        if (n > dst.length) {
            throw protocol("message of " + n + " bytes, larger than the " + dst.length + " expected");
        }
        readFully(dst, n, "message payload");
        readCrlf("message payload");
        return n;
    }

    private void expectArrayHeader(int n, String what) {
        int t = readType(what);
        if (t != '*') {
            throw unexpected(t, "an array", what);
        }
        long got = readNumberLine(what);
        if (got != n) {
            throw protocol(what + ": an array of " + got + " elements, expected " + n);
        }
    }

    private byte[] readBulk(String what) {
        int n = readBulkLength(what);
        byte[] b = new byte[n];
        readFully(b, n, what);
        readCrlf(what);
        return b;
    }

    private int readBulkLength(String what) {
        int t = readType(what);
        if (t != '$') {
            throw unexpected(t, "a bulk string", what);
        }
        long n = readNumberLine(what);
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw protocol(what + ": bulk string of length " + n);
        }
        return (int) n;
    }

    /** @return the type byte; an error reply ({@code -ERR ...}) becomes a CompareException with its text */
    private int readType(String what) {
        int t = readByte(what);
        if (t == '-') {
            throw new CompareException("Redis at " + address + " answered an error to " + what + ": " + readLine(what));
        }
        return t;
    }

    private CompareException unexpected(int t, String expected, String what) {
        return protocol(what + ": expected " + expected + ", got a reply starting with '" + (char) t + "'");
    }

    private long readNumberLine(String what) {
        long v = 0;
        boolean negative = false;
        int c = readByte(what);
        if (c == '-') {
            negative = true;
            c = readByte(what);
        }
        while (c != '\r') {
            if (c < '0' || c > '9') {
                throw protocol(what + ": malformed number");
            }
            v = v * 10 + (c - '0');
            c = readByte(what);
        }
        if (readByte(what) != '\n') {
            throw protocol(what + ": missing line feed");
        }
        return negative ? -v : v;
    }

    private String readLine(String what) {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = readByte(what)) != '\r') {
            b.append((char) c);
        }
        readByte(what);
        return b.toString();
    }

    private void readCrlf(String what) {
        if (readByte(what) != '\r' || readByte(what) != '\n') {
            throw protocol(what + ": missing CRLF");
        }
    }

    private boolean consumeEquals(byte[] expected, String what) {
        boolean same = true;
        for (byte e : expected) {
            same &= readByte(what) == (e & 0xFF);
        }
        return same;
    }

    private void readFully(byte[] dst, int n, String what) {
        int done = 0;
        while (done < n) {
            if (rpos == rlim) {
                fillOrFail(what);
            }
            int k = Math.min(n - done, rlim - rpos);
            System.arraycopy(rbuf, rpos, dst, done, k);
            rpos += k;
            done += k;
        }
    }

    private int readByte(String what) {
        if (rpos == rlim) {
            fillOrFail(what);
        }
        return rbuf[rpos++] & 0xFF;
    }

    private void fillOrFail(String what) {
        try {
            fill();
        } catch (IOException e) {
            throw failed("reading " + what, e);
        }
    }

    private void fill() throws IOException {
        if (rpos == rlim) {
            rpos = 0;
            rlim = 0;
        }
        int n = in.read(rbuf, rlim, rbuf.length - rlim);
        if (n < 0) {
            throw new IOException("connection closed by the server");
        }
        rlim += n;
    }

    // ---------------------------------------------------------------- writing

    private void putBulk(byte[] b, int length) {
        put((byte) '$');
        putDecimal(length);
        putCrlf();
        System.arraycopy(b, 0, wbuf, wlen, length);
        wlen += length;
        putCrlf();
    }

    private void put(byte b) {
        wbuf[wlen++] = b;
    }

    private void putCrlf() {
        wbuf[wlen++] = '\r';
        wbuf[wlen++] = '\n';
    }

    private void putDecimal(int v) {
        if (v == 0) {
            put((byte) '0');
            return;
        }
        int start = wlen;
        while (v > 0) {
            wbuf[wlen++] = (byte) ('0' + v % 10);
            v /= 10;
        }
        for (int i = start, j = wlen - 1; i < j; i++, j--) {
            byte t = wbuf[i];
            wbuf[i] = wbuf[j];
            wbuf[j] = t;
        }
    }

    private void flush(String what) {
        try {
            out.write(wbuf, 0, wlen);
            out.flush();
        } catch (IOException e) {
            throw failed("sending " + what, e);
        }
    }

    private CompareException failed(String doing, IOException e) {
        String why = e instanceof SocketTimeoutException ? "no answer within the socket timeout" : e.getMessage();
        return new CompareException("Redis connection " + address + " failed while " + doing + ": " + why, e);
    }

    private CompareException protocol(String what) {
        return new CompareException("unexpected reply from Redis at " + address + ": " + what);
    }

    /** @param millis the read timeout */
    void timeout(int millis) {
        try {
            socket.setSoTimeout(millis);
        } catch (IOException e) {
            throw failed("setting the socket timeout", e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing: nothing to do
        }
    }

    @Override
    public String toString() {
        return "RespConnection[" + address + ", buffered " + (rlim - rpos) + " bytes]";
    }
}
