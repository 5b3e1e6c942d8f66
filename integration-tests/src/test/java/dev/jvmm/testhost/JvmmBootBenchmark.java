package dev.jvmm.testhost;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Boot-time benchmark, not a test (tag {@code bench}, left out of every build unless asked for):
 * in ONE L1, boots the stock L2 kernel and initramfs ({@code -smp 2 -m 512}, quiet console) with QEMU
 * and with jvmm, N rounds, alternating, and prints each time from VMM start to the guest's first init
 * line ({@link BootTimer}), the medians and the ratio jvmm/QEMU. For jvmm it also splits each boot at the
 * first KVM_RUN (from {@code -stats}): the VMM's own start before it, the guest's boot after it.
 *
 * <p>jvmm runs twice per round: as {@code bin/vmm} starts it out of the box, and with a JDK 25 AOT
 * cache (JEP 483/514: classes loaded and linked ahead of time) made by one untimed training boot in the
 * same L1 ({@code -XX:AOTCacheOutput}), kept on L1's own tmpfs: read over 9p from the run directory,
 * the cache made boots slower, not faster.
 *
 * <pre>
 * bin/mvn -pl integration-tests -am verify -Pbench -Djvmm.images.skip=true -Dtest=JvmmBootBenchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false [-Djvmm.bench.rounds=5]
 * </pre>
 */
@Tag("bench")
class JvmmBootBenchmark {
    private static final Duration BOOT_TIMEOUT = Duration.ofMinutes(5);
    /** On L1's tmpfs, which lives as long as this L1. */
    private static final String AOT_CACHE = "/tmp/jvmm.aot";
    /** jvmm's -stats file in the run directory, rewritten by each jvmm boot. */
    private static final String STATS = "boot-stats.json";

    @Test
    void bootToInitJvmmVersusQemu() {
        int rounds = Integer.getInteger("jvmm.bench.rounds", 5);
        try (TestHost host = TestHost.start("bench-boot", TestHostOptions.defaults().withDevices())) {
            L2Launch launch = host.l2Launch(L2Test.BOOT, Optional.empty()).withVcpus(2).withMemoryMib(512);
            JvmmL2Vmm jvmm = JvmmL2Vmm.ofThisProject().withMoreVmmArgs("-stats " + L1Machine.L1_RUN + "/" + STATS);
            Map<String, L2Vmm> vmms = new LinkedHashMap<>();
            vmms.put("qemu", new QemuL2Vmm());
            vmms.put("jvmm", jvmm);
            vmms.put("jvmm-aot", jvmm.withMoreJavaOpts("-XX:AOTCache=" + AOT_CACHE));

            try {
                BootTimer.Timing training = BootTimer.time(host,
                        jvmm.withMoreJavaOpts("-XX:AOTCacheOutput=" + AOT_CACHE), launch, BOOT_TIMEOUT);
                System.out.printf("training boot for the AOT cache (not in the results): init %.2f s, exit %.2f s%n",
                        training.toInit(), training.toExit());
            } catch (AssertionError e) {
                System.out.println("the AOT training boot failed, jvmm-aot is left out: " + e.getMessage());
                vmms.remove("jvmm-aot");
            }

            Map<String, List<BootTimer.Timing>> times = new LinkedHashMap<>();
            Map<String, List<Double>> vmmShares = new LinkedHashMap<>();
            vmms.keySet().forEach(k -> times.put(k, new ArrayList<>()));
            List<String> failed = new ArrayList<>();
            rounds:
            for (int round = 1; round <= rounds; round++) {
                for (Map.Entry<String, L2Vmm> vmm : vmms.entrySet()) {
                    try {
                        Path stats = host.runDir().resolve(STATS);
                        Files.deleteIfExists(stats);
                        BootTimer.Timing t = BootTimer.time(host, vmm.getValue(), launch, BOOT_TIMEOUT);
                        if (t.exitCode() != 0) {
                            throw new AssertionError("exit status " + t.exitCode());
                        }
                        times.get(vmm.getKey()).add(t);
                        String split = "";
                        if (Files.exists(stats)) {
                            OptionalLong ms = ExitCounts.read(stats).firstKvmRunMillis();
                            if (ms.isPresent()) {
                                double own = ms.getAsLong() / 1000.0;
                                vmmShares.computeIfAbsent(vmm.getKey(), k -> new ArrayList<>()).add(own);
                                split = String.format("  (VMM start to first KVM_RUN %6.2f s, guest %6.2f s)", own,
                                        t.toInit() - own);
                            }
                        }
                        System.out.printf("round %d %-9s init %6.2f s  exit %6.2f s%s%n", round, vmm.getKey(),
                                t.toInit(), t.toExit(), split);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    } catch (AssertionError e) {
                        // Left out of the medians, and counted: the nested host is known to fail now and then.
                        failed.add("round " + round + " " + vmm.getKey() + ": " + e.getMessage());
                        System.out.println("round " + round + " " + vmm.getKey() + " FAILED: " + e.getMessage());
                    } catch (TestHostException e) {
                        failed.add("round " + round + " " + vmm.getKey() + ": L1 failed, rounds end: " + e.getMessage());
                        System.out.println(failed.getLast());
                        break rounds;
                    }
                }
            }
            System.out.printf("%d boots failed and are left out%s%n", failed.size(), failed.isEmpty() ? "" : ":");
            failed.forEach(f -> System.out.println("  " + f.lines().findFirst().orElse("")));
            if (times.values().stream().anyMatch(List::isEmpty)) {
                throw new AssertionError("no successful boot for some VMM: " + times.keySet());
            }
            double qemu = median(times.get("qemu"));
            System.out.printf("%nboot to first init line, median of %d (L1 = QEMU TCG, %d vCPU; L2 -smp 2 -m 512)%n",
                    rounds, host.options().cpus());
            for (Map.Entry<String, List<BootTimer.Timing>> e : times.entrySet()) {
                double m = median(e.getValue());
                System.out.printf("  %-9s %6.2f s  ratio to qemu %.2f  (to exit %6.2f s)%n", e.getKey(), m, m / qemu,
                        medianExit(e.getValue()));
            }
            vmmShares.forEach((k, own) -> {
                double s = median(own.stream().mapToDouble(Double::doubleValue).sorted().toArray());
                double m = median(times.get(k));
                System.out.printf("  %-9s its own start to the first KVM_RUN %6.2f s (median), so the guest's part is about"
                        + " %6.2f s = %.2f of qemu's whole boot%n", k, s, m - s, (m - s) / qemu);
            });
        }
    }

    private static double median(List<BootTimer.Timing> times) {
        return median(times.stream().mapToDouble(BootTimer.Timing::toInit).sorted().toArray());
    }

    private static double medianExit(List<BootTimer.Timing> times) {
        return median(times.stream().mapToDouble(BootTimer.Timing::toExit).sorted().toArray());
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
