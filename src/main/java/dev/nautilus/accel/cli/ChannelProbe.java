package dev.nautilus.accel.cli;

import dev.nautilus.accel.bus.ChannelDescriptor;
import dev.nautilus.accel.bus.ChannelInfo;
import dev.nautilus.accel.bus.MessageBus;
import dev.nautilus.accel.shm.ShmSegmentInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Tells whether a shared memory segment holds a message bus channel, and decodes it
 * ({@link MessageBus#inspect}) when it does.
 *
 * <p>The channel magic is first read from the segment's file (8 bytes, no mapping, no native
 * code), so segments that are not channels are told apart even without native access; only
 * segments that carry the magic are mapped (read-only) and decoded. Stateless and thread-safe.
 */
final class ChannelProbe {
    /** What a segment turned out to be. */
    enum Kind {
        /** A ready bus channel, decoded. */
        CHANNEL("channel", "channel"),
        /** Not a bus channel. */
        OTHER("-", "other"),
        /** Could not be told: unreadable, no native access, or a channel that is unfinished or corrupt. */
        UNKNOWN("?", "unknown");

        private final String column;
        private final String json;

        Kind(String column, String json) {
            this.column = column;
            this.json = json;
        }

        /** @return the KIND column of {@code nautilus shm list}: {@code channel}, {@code -} or {@code ?} */
        String column() {
            return column;
        }

        /** @return the {@code kind} value of the JSON outputs: {@code channel}, {@code other} or {@code unknown} */
        String json() {
            return json;
        }
    }

    /**
     * What a probe found.
     *
     * @param kind channel, other, or unknown
     * @param channel the decoded channel when {@code kind} is {@link Kind#CHANNEL}
     * @param problem why the kind is {@link Kind#UNKNOWN}, for the user; empty otherwise
     */
    record Result(Kind kind, Optional<ChannelInfo> channel, Optional<String> problem) {
        /** @return true for a decoded channel whose creator process is dead */
        boolean stale() {
            return channel.map(ChannelInfo::stale).orElse(false);
        }

        /** @return the CREATOR column: {@code 1234 alive}, {@code 1234 dead}, {@code -} or {@code ?} */
        String creatorColumn() {
            return switch (kind) {
                case CHANNEL -> creatorText(channel.orElseThrow());
                case OTHER -> "-";
                case UNKNOWN -> "?";
            };
        }
    }

    private ChannelProbe() {}

    /**
     * @param segment a segment as listed
     * @return what it holds; never throws for an unreadable or vanished segment (kind unknown)
     */
    static Result probe(ShmSegmentInfo segment) {
        if (segment.size() < ChannelDescriptor.HEADER_LENGTH) {
            return new Result(Kind.OTHER, Optional.empty(), Optional.empty());
        }
        try (FileChannel f = FileChannel.open(segment.path(), StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.nativeOrder());
            while (b.hasRemaining() && f.read(b) >= 0) {
                // read the 8 magic bytes
            }
            if (b.hasRemaining() || b.getLong(0) != ChannelDescriptor.MAGIC) {
                return new Result(Kind.OTHER, Optional.empty(), Optional.empty());
            }
        } catch (AccessDeniedException | SecurityException e) {
            return new Result(Kind.UNKNOWN, Optional.empty(), Optional.of("cannot read " + segment.name()
                    + " to tell whether it is a bus channel: permission denied"));
        } catch (NoSuchFileException e) {
            return new Result(Kind.UNKNOWN, Optional.empty(), Optional.of(segment.name() + " was removed while being read"));
        } catch (IOException | UnsupportedOperationException e) {
            // a file system that does not read(): mapping (below) says what is there
        }
        try {
            Optional<ChannelInfo> info = MessageBus.inspect(segment.name());
            if (info.isPresent()) {
                return new Result(Kind.CHANNEL, info, Optional.empty());
            }
            return new Result(Kind.UNKNOWN, Optional.empty(), Optional.of("segment " + segment.name()
                    + " starts with the bus channel magic but is not a ready channel of layout version "
                    + ChannelDescriptor.LAYOUT_VERSION + " (still being created, corrupt, or of another nautilus-accel version)"));
        } catch (RuntimeException e) {
            // best effort: no native access, no permission, removed meanwhile: say why, never fail a listing
            String m = e.getMessage();
            return new Result(Kind.UNKNOWN, Optional.empty(), Optional.of("cannot decode " + segment.name() + " as a bus channel: "
                    + (m == null || m.isBlank() ? e.toString() : m)));
        }
    }

    /**
     * @param c a channel
     * @return its creator as {@code 1234 alive} or {@code 1234 dead}
     */
    static String creatorText(ChannelInfo c) {
        return c.creatorPid() + (c.creatorAlive() ? " alive" : " dead");
    }
}
