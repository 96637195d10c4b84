package dev.nautilus.accel.affinity;

/**
 * Child-process side of the affinity tests. Commands:
 * <ul>
 *   <li>{@code fifo PRIORITY}: tries SCHED_FIFO on its main thread; prints "ok" or "error MESSAGE"</li>
 * </ul>
 */
public final class AffinityChild {
    private AffinityChild() {}

    public static void main(String[] args) {
        switch (args[0]) {
            case "fifo" -> {
                try {
                    RealtimeScheduling.setCurrentThread(SchedulingPolicy.FIFO, Integer.parseInt(args[1]));
                    System.out.println("ok");
                } catch (AffinityException e) {
                    System.out.println("error " + e.getMessage());
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
