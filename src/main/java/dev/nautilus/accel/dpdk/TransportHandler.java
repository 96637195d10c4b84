package dev.nautilus.accel.dpdk;

import java.lang.foreign.MemorySegment;

/** Receives the messages {@link DpdkMessageTransport#poll} hands over. */
@FunctionalInterface
public interface TransportHandler {
    /**
     * One message. Read the payload during the call only (its mbuf goes back to the pool at the next poll).
     *
     * @param sourceEngine the sending engine
     * @param priority {@link TransportFrame#PRIORITY_CRITICAL}, {@code _NORMAL} or {@code _BULK}
     * @param typeId the message type
     * @param buffer the packet memory (read only what is given)
     * @param offset where the payload starts in {@code buffer}
     * @param length payload bytes
     */
    void onMessage(int sourceEngine, int priority, int typeId, MemorySegment buffer, long offset, int length);
}
