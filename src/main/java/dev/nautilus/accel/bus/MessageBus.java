package dev.nautilus.accel.bus;

import dev.nautilus.accel.shm.SharedMemory;
import dev.nautilus.accel.shm.ShmException;
import dev.nautilus.accel.shm.ShmNames;
import dev.nautilus.accel.shm.ShmOptions;
import dev.nautilus.accel.shm.ShmSegmentInfo;
import dev.nautilus.accel.nativeaccess.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A message bus in shared memory: named {@link Channel}s in a namespace, each one POSIX shared
 * memory segment ({@code <namespace>.<channel>}, e.g. {@code /trading.orders}) holding a
 * lock-free ring per priority {@link Lane}. Publishers and the subscriber of a channel may live in
 * any processes on the machine; messages move with zero copies.
 *
 * <pre>{@code
 * try (MessageBus bus = MessageBus.open("/trading")) {
 *     Channel orders = bus.channel("orders", ChannelConfig.defaults());     // create or open
 *     Publisher pub = orders.publisher();
 *     pub.offer(Lane.CRITICAL, NEW_ORDER, payload);
 *     // in the engine process:
 *     Subscriber sub = orders.subscribe(WaitStrategy.defaultSleeping());
 *     sub.receive((type, buf, off, len) -> handle(type, buf, off, len), 64, -1);
 * }
 * }</pre>
 *
 * <p><b>Lifecycle.</b> The process that creates a channel owns its name: it removes it with
 * {@link #removeChannel} (or {@link ChannelConfig#withRemoveOnClose}); other processes only map and
 * unmap it. A channel whose creator died stays until removed: {@link #staleChannels()} finds them,
 * {@link #removeStaleChannels()} (or {@code nautilus shm rm}) removes them. Closing the bus unmaps
 * every channel it opened; later use of them throws {@link IllegalStateException}.
 *
 * <p>Thread-safe. Close publishers and subscribers (and stop threads blocked in
 * {@link Subscriber#receive}) before closing the bus.
 */
public final class MessageBus implements AutoCloseable {
    private static final Pattern CHANNEL_NAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final long OPEN_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final String namespace;
    private final Arena arena = Arena.ofShared();
    private final Map<String, Channel> channels = new ConcurrentHashMap<>();
    private final List<String> removeOnClose = new ArrayList<>();
    private volatile boolean open = true;

    private MessageBus(String namespace) {
        this.namespace = namespace;
    }

    /**
     * Opens a bus namespace. Nothing is created until a channel is.
     *
     * @param namespace a shared memory name, e.g. {@code /trading}; channels are named
     *     {@code <namespace>.<channel>}
     * @return the bus
     * @throws IllegalArgumentException for an invalid name
     */
    public static MessageBus open(String namespace) {
        ShmNames.validate(namespace);
        SharedMemory.ensureAvailable();
        return new MessageBus(namespace);
    }

    /** @return the namespace, e.g. {@code /trading} */
    public String namespace() {
        return namespace;
    }

    /**
     * @param channel a channel name
     * @return its segment name, {@code <namespace>.<channel>}
     */
    public String segmentName(String channel) {
        if (channel == null || !CHANNEL_NAME.matcher(channel).matches()) {
            throw new IllegalArgumentException("invalid channel name \"" + channel
                    + "\": use 1 or more of A-Z a-z 0-9 _ - (e.g. \"orders\")");
        }
        return ShmNames.validate(namespace + "." + channel);
    }

    /**
     * Creates a channel; fails if its segment exists.
     *
     * @param channel channel name ({@code A-Z a-z 0-9 _ -})
     * @param config variant, lane sizes, unblock timeout
     * @return the channel
     * @throws ShmException EEXIST when it exists (use {@link #channel} to create or open)
     */
    public Channel createChannel(String channel, ChannelConfig config) {
        checkOpen();
        String seg = segmentName(channel);
        long[] caps = new long[Lane.ALL.length];
        for (Lane l : Lane.ALL) {
            caps[l.ordinal()] = config.laneCapacity(l);
        }
        MemorySegment s = SharedMemory.create(seg, ChannelDescriptor.segmentSize(caps), ShmOptions.defaults(), arena);
        try {
            Channel.format(s, config);
        } catch (RuntimeException e) {
            SharedMemory.unlink(seg);
            throw e;
        }
        if (config.removeOnClose()) {
            synchronized (removeOnClose) {
                removeOnClose.add(seg);
            }
        }
        Channel c = new Channel(this, channel, seg, s, config.unblockTimeoutNanos());
        channels.put(channel, c);
        return c;
    }

    /**
     * Opens an existing channel, waiting up to 5 s for its creator to finish writing it.
     *
     * @param channel channel name
     * @return the channel (the unblock timeout is the default; use {@link #channel} to set it)
     * @throws ShmException ENOENT when it does not exist
     * @throws RingFormatException when the segment is not a channel of this layout, or was never finished
     */
    public Channel openChannel(String channel) {
        return openChannel(channel, ManyToOneRing.DEFAULT_UNBLOCK_TIMEOUT_NANOS);
    }

    private Channel openChannel(String channel, long unblockTimeoutNanos) {
        checkOpen();
        Channel existing = channels.get(channel);
        if (existing != null) {
            return existing;
        }
        String seg = segmentName(channel);
        MemorySegment s = SharedMemory.open(seg, ShmOptions.defaults(), arena);
        long deadline = System.nanoTime() + OPEN_WAIT_NANOS;
        while (true) {
            String problem = Channel.validate(s, seg);
            if (problem != null) {
                throw new RingFormatException(problem);
            }
            if (Channel.isReady(s)) {
                break;
            }
            if (System.nanoTime() > deadline) {
                long creator = s.get(ValueLayout.JAVA_LONG, ChannelDescriptor.CREATOR_PID_OFFSET);
                throw new RingFormatException("channel " + seg + " was never finished by its creator"
                        + (creator == 0 ? "" : " (pid " + creator + ")") + ": remove it (nautilus shm rm " + seg
                        + ") and recreate it");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
        Channel c = new Channel(this, channel, seg, s, unblockTimeoutNanos);
        Channel raced = channels.putIfAbsent(channel, c);
        return raced != null ? raced : c;
    }

    /**
     * Opens a channel, creating it when it does not exist. An existing channel must have the
     * configured variant and lane capacities.
     *
     * @param channel channel name
     * @param config how to create it, and what an existing one must match
     * @return the channel
     * @throws IllegalStateException when an existing channel differs from the config
     */
    public Channel channel(String channel, ChannelConfig config) {
        checkOpen();
        Channel c;
        try {
            c = createChannel(channel, config);
        } catch (ShmException e) {
            if (e.errno() != Errno.EEXIST) {
                throw e;
            }
            c = openChannel(channel, config.unblockTimeoutNanos());
        }
        for (Lane l : Lane.ALL) {
            if (c.variant() != config.variant() || c.laneCapacity(l) != config.laneCapacity(l)) {
                throw new IllegalStateException("channel " + c.segmentName() + " exists as " + c.variant() + " with lanes "
                        + c.laneCapacity(Lane.CRITICAL) + "/" + c.laneCapacity(Lane.NORMAL) + "/" + c.laneCapacity(Lane.BULK)
                        + " bytes, not as configured (" + config + "): use the same config everywhere, or remove it first");
            }
        }
        return c;
    }

    /**
     * Unlinks a channel's segment. Processes that have it mapped keep working on it; new opens fail.
     *
     * @param channel channel name
     * @return true when it existed
     */
    public boolean removeChannel(String channel) {
        channels.remove(channel);
        return SharedMemory.unlink(segmentName(channel));
    }

    /**
     * Describes every channel of this namespace (segments {@code <namespace>.*} that hold a channel).
     *
     * @return snapshots, sorted by name
     */
    public List<ChannelInfo> channels() {
        List<ChannelInfo> out = new ArrayList<>();
        for (ShmSegmentInfo i : SharedMemory.list(namespace + ".")) {
            inspect(i.name()).ifPresent(out::add);
        }
        return out;
    }

    /** @return channels of this namespace whose creator process is gone */
    public List<ChannelInfo> staleChannels() {
        return channels().stream().filter(ChannelInfo::stale).toList();
    }

    /**
     * Unlinks every channel of this namespace whose creator process is gone.
     *
     * @return the segment names removed
     */
    public List<String> removeStaleChannels() {
        List<String> removed = new ArrayList<>();
        for (ChannelInfo c : staleChannels()) {
            if (SharedMemory.unlink(c.segmentName())) {
                removed.add(c.segmentName());
            }
        }
        return removed;
    }

    /**
     * Decodes a segment as a channel without joining it (read-only mapping).
     *
     * @param segmentName e.g. {@code /trading.orders}
     * @return the snapshot, or empty when the segment is not a (finished) channel
     * @throws ShmException when the segment cannot be opened (ENOENT, EACCES)
     */
    public static Optional<ChannelInfo> inspect(String segmentName) {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment s = SharedMemory.open(segmentName, ShmOptions.defaults().withReadOnly(true), tmp);
            if (s.byteSize() < ChannelDescriptor.HEADER_LENGTH || Channel.validate(s, segmentName) != null
                    || !Channel.isReady(s)) {
                return Optional.empty();
            }
            return Optional.of(ChannelInfo.decode(segmentName, s));
        }
    }

    void checkOpen() {
        if (!open) {
            throw new IllegalStateException("message bus " + namespace + " is closed");
        }
    }

    boolean isOpen() {
        return open;
    }

    /**
     * Unmaps every channel this bus opened and removes the ones created with
     * {@link ChannelConfig#withRemoveOnClose}. Idempotent.
     *
     * @throws IllegalStateException when a thread is still blocked in a channel (e.g. in
     *     {@link Subscriber#receive}); stop it first
     */
    @Override
    public void close() {
        if (!open) {
            return;
        }
        arena.close();
        open = false;
        channels.clear();
        synchronized (removeOnClose) {
            for (String seg : removeOnClose) {
                SharedMemory.unlink(seg);
            }
            removeOnClose.clear();
        }
    }

    @Override
    public String toString() {
        return "MessageBus[" + namespace + ", " + channels.size() + " channels open]";
    }
}
