package dev.nautilus.accel.bus;

import java.lang.foreign.MemorySegment;

/**
 * Receives messages from a ring or a bus subscription, one call per message, with no allocation:
 * the payload is {@code length} bytes at {@code offset} in {@code buffer}, a read-only view of
 * the ring's data region (writes throw). The bytes are valid only during the call: copy what you
 * keep.
 */
@FunctionalInterface
public interface MessageHandler {
    /**
     * @param typeId the message type the producer gave, &gt;= 1
     * @param buffer read-only view of the ring's data region
     * @param offset where the payload starts in {@code buffer}
     * @param length payload bytes
     */
    void onMessage(int typeId, MemorySegment buffer, long offset, int length);
}
