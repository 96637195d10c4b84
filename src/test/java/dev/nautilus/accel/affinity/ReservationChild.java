package dev.nautilus.accel.affinity;

import java.nio.file.Path;

/**
 * Child-process side of {@link CpuReservationCrossProcessTest}. Commands:
 * <ul>
 *   <li>{@code hold DIR CPU}: reserves CPU of the live machine in lock directory DIR, prints
 *       "reserved PID", then sleeps until killed (or 60 s)</li>
 *   <li>{@code try DIR CPU}: tries to reserve it, prints "reserved" or "refused MESSAGE", exits</li>
 * </ul>
 */
public final class ReservationChild {
    private ReservationChild() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        int cpu = Integer.parseInt(args[2]);
        CpuReservation.Request request = CpuReservation.request(CpuTopology.read()).lockDirectory(dir);
        switch (args[0]) {
            case "hold" -> {
                CpuReservation r = request.reserveCpu(cpu);
                System.out.println("reserved " + ProcessHandle.current().pid() + " " + r.cpus());
                System.out.flush();
                Thread.sleep(60_000);
                System.exit(3); // the parent should have killed us
            }
            case "try" -> {
                try (CpuReservation r = request.reserveCpu(cpu)) {
                    System.out.println("reserved " + r.cpus());
                } catch (CpuReservationException e) {
                    System.out.println("refused " + e.getMessage());
                }
            }
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }
}
