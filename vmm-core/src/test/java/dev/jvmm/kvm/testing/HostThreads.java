package dev.jvmm.kvm.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What Linux says about this JVM's threads and descriptors, for tests that must see a vCPU thread really
 * park (blocked, burning no CPU) and a VM leave nothing open: /proc/self/task/TID/stat and schedstat, and
 * /proc/self/fd.
 */
public final class HostThreads {
    private HostThreads() {
    }

    /** The scheduler state letter of thread {@code tid}: R running or runnable, S sleeping, D, T, ... */
    public static char state(long tid) throws IOException {
        String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2); // the command name may contain spaces and ')'
    }

    /** Nanoseconds thread {@code tid} has run on a CPU (first field of schedstat). */
    public static long cpuTime(long tid) throws IOException {
        return Long.parseLong(Files.readString(Path.of("/proc/self/task/" + tid + "/schedstat")).split(" ")[0]);
    }

    /** How long thread {@code tid} ran on a CPU during the next {@code millis} ms of wall time. */
    public static long cpuTimeOver(long tid, long millis) throws IOException, InterruptedException {
        long start = cpuTime(tid);
        Thread.sleep(millis);
        return cpuTime(tid) - start;
    }

    /**
     * Waits up to 2 s for thread {@code tid} to block (state S): a thread that has just completed a
     * "parked" future still has to reach its wait. Fails naming the state it saw.
     */
    public static void awaitSleeping(long tid, String context) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        char state;
        while ((state = state(tid)) != 'S') {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(context + ": thread " + tid + " is in state " + state + ", not blocked");
            }
            Thread.sleep(0, 100_000);
        }
    }

    /** Whether {@code tid} is a live thread of this process. */
    public static boolean isThreadOfThisProcess(long tid) {
        return Files.isDirectory(Path.of("/proc/self/task/" + tid));
    }

    /** The targets of this process's descriptors that belong to KVM or guest RAM. */
    public static List<String> kvmDescriptors() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path p : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(p).toString();
                    if (target.contains("kvm") || target.contains("jvmm-guest-ram")) {
                        found.add(target);
                    }
                } catch (IOException gone) {
                    // the listing's own descriptor, closed by now
                }
            }
        }
        return found;
    }
}
