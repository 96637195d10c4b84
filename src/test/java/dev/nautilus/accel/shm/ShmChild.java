package dev.nautilus.accel.shm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Child-process side of the cross-process tests. Commands:
 * <ul>
 *   <li>{@code read NAME OFFSET}: prints the long at OFFSET</li>
 *   <li>{@code create-write NAME SIZE OFFSET VALUE}: creates NAME and writes a long</li>
 *   <li>{@code write NAME OFFSET VALUE}: opens NAME and writes a long</li>
 *   <li>{@code open NAME [ro]}: opens (read-only with "ro"), prints "opened SIZE FIRSTLONG" or "error MESSAGE"</li>
 *   <li>{@code read-only-write NAME}: opens read-only, tries to write, prints the exception class</li>
 *   <li>{@code wait NAME OFFSET EXPECTED TIMEOUT_MS}: prints "waiting", futex-waits, prints the result and the word</li>
 *   <li>{@code wake NAME OFFSET VALUE}: stores VALUE in the int word with release semantics and wakes all</li>
 * </ul>
 */
public final class ShmChild {
    private ShmChild() {}

    public static void main(String[] args) throws Exception {
        try (Arena arena = Arena.ofShared()) {
            switch (args[0]) {
                case "read" -> {
                    MemorySegment s = SharedMemory.open(args[1], arena);
                    System.out.println(s.get(ValueLayout.JAVA_LONG, Long.parseLong(args[2])));
                }
                case "create-write" -> {
                    MemorySegment s = SharedMemory.create(args[1], Long.parseLong(args[2]), arena);
                    s.set(ValueLayout.JAVA_LONG, Long.parseLong(args[3]), Long.parseLong(args[4]));
                    System.out.println("ok " + s.byteSize());
                }
                case "write" -> {
                    MemorySegment s = SharedMemory.open(args[1], arena);
                    s.set(ValueLayout.JAVA_LONG, Long.parseLong(args[2]), Long.parseLong(args[3]));
                    System.out.println("ok");
                }
                case "open" -> {
                    boolean ro = args.length > 2 && args[2].equals("ro");
                    try {
                        MemorySegment s = SharedMemory.open(args[1], ShmOptions.defaults().withReadOnly(ro), arena);
                        System.out.println("opened " + s.byteSize() + " " + s.get(ValueLayout.JAVA_LONG, 0));
                    } catch (ShmException e) {
                        System.out.println("error " + e.getMessage());
                    }
                }
                case "read-only-write" -> {
                    MemorySegment s = SharedMemory.open(args[1], ShmOptions.defaults().withReadOnly(true), arena);
                    try {
                        s.set(ValueLayout.JAVA_LONG, 0, 1L);
                        System.out.println("wrote");
                    } catch (IllegalArgumentException e) {
                        System.out.println("refused " + e.getClass().getSimpleName());
                    }
                }
                case "wait" -> {
                    MemorySegment s = SharedMemory.open(args[1], arena);
                    long off = Long.parseLong(args[2]);
                    int expected = Integer.parseInt(args[3]);
                    long timeoutNs = Long.parseLong(args[4]) * 1_000_000L;
                    System.out.println("waiting");
                    System.out.flush();
                    long t0 = System.nanoTime();
                    int r = Futex.await(s, off, expected, timeoutNs);
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    System.out.println(Futex.resultName(r) + " " + s.get(ValueLayout.JAVA_INT, off) + " " + ms);
                }
                case "wake" -> {
                    MemorySegment s = SharedMemory.open(args[1], arena);
                    long off = Long.parseLong(args[2]);
                    ValueLayout.JAVA_INT.varHandle().setRelease(s, off, Integer.parseInt(args[3]));
                    System.out.println("woke " + Futex.wakeAll(s, off));
                }
                default -> throw new IllegalArgumentException("unknown command " + args[0]);
            }
        }
    }
}
