package dev.jvmm.testhost;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * NVMe read benchmark, not a test (tag {@code bench}, left out unless asked for): in ONE L1, the NVMe is
 * assigned to an L2 guest by QEMU and by jvmm in turn, N rounds alternating (the order flips every round),
 * and the guest's {@code nvme-bench} reads it with O_DIRECT: 128 MiB sequentially in 1 MiB requests, then
 * 4096 random 4 KiB reads, {@code jvmm.bench.passes} times in each boot (the boot's figure is the median of
 * its passes). Prints each round with every pass, the medians over the rounds and the ratios jvmm/QEMU (above
 * 1.0: jvmm is faster).
 *
 *
 * <p>{@code -Djvmm.bench.variants=NAME=JVM OPTIONS;NAME2=...} adds jvmm runs with more JVM options, each
 * compared with QEMU too (for trying a JVM setting before bin/vmm adopts it).
 *
 * <pre>
 * bin/mvn -pl integration-tests -am verify -Pbench -Djvmm.images.skip=true -Dtest=JvmmNvmeBenchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false [-Djvmm.bench.rounds=3] [-Djvmm.bench.passes=5] \
 *     [-Djvmm.bench.variants='xint=-Xint']
 * </pre>
 */
@Tag("bench")
class JvmmNvmeBenchmark {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    @Test
    void nvmeReadsJvmmVersusQemu() {
        int rounds = Integer.getInteger("jvmm.bench.rounds", 3);
        int passes = Integer.getInteger("jvmm.bench.passes", 5);
        try (TestHost host = TestHost.start("bench-nvme", TestHostOptions.defaults().withDevices(EmulatedDevice.NVME))) {
            VfioBinding nvme = host.bindToVfio(EmulatedDevice.NVME);
            Map<String, L2Vmm> vmms = new LinkedHashMap<>();
            vmms.put("qemu", new QemuL2Vmm());
            vmms.put("jvmm", JvmmL2Vmm.ofThisProject());
            for (String variant : System.getProperty("jvmm.bench.variants", "").split(";")) {
                int eq = variant.indexOf('=');
                if (eq > 0) {
                    vmms.put("jvmm-" + variant.substring(0, eq).strip(),
                            JvmmL2Vmm.ofThisProject().withMoreJavaOpts(variant.substring(eq + 1)));
                }
            }
            Map<String, double[]> seq = new LinkedHashMap<>();
            Map<String, double[]> rand = new LinkedHashMap<>();
            vmms.keySet().forEach(k -> {
                seq.put(k, new double[rounds]);
                rand.put(k, new double[rounds]);
            });
            for (int round = 0; round < rounds; round++) {
                // The order flips every round, so neither VMM always runs right after the other.
                List<Map.Entry<String, L2Vmm>> order = new ArrayList<>(vmms.entrySet());
                if (round % 2 == 1) {
                    Collections.reverse(order);
                }
                for (Map.Entry<String, L2Vmm> vmm : order) {
                    L2Launch launch = host.l2Launch(L2Test.NVME_BENCH, Optional.of(nvme.device()))
                            .withExtraKernelArgs("jvmm.passes=" + passes);
                    L2Result r = host.runL2(vmm.getValue(), L2Test.NVME_BENCH, launch, TIMEOUT).assertPassed();
                    double mibPerS = Double.parseDouble(r.facts().get("seq_mib_s"));
                    double usPerRead = Double.parseDouble(r.facts().get("rand_us"));
                    seq.get(vmm.getKey())[round] = mibPerS;
                    rand.get(vmm.getKey())[round] = usPerRead;
                    System.out.printf("round %d %-10s 128 MiB sequential %7.1f MiB/s, 4096 x 4 KiB random %7.1f us/read"
                            + " (medians of %s passes; each pass: %s MiB/s, %s us/read)%n", round + 1, vmm.getKey(),
                            mibPerS, usPerRead, r.facts().get("passes"), r.facts().get("seq_mib_s_each"),
                            r.facts().get("rand_us_each"));
                }
            }
            double qSeq = median(seq.get("qemu"));
            double qRand = median(rand.get("qemu"));
            for (String name : vmms.keySet()) {
                System.out.printf("median %-10s %.1f MiB/s sequential, %.1f us/random read%n", name + ":",
                        median(seq.get(name)), median(rand.get(name)));
            }
            for (String name : vmms.keySet()) {
                if (!name.equals("qemu")) {
                    System.out.printf("%s/QEMU: sequential %.2fx, random %.2fx (above 1.0: jvmm faster)%n", name,
                            median(seq.get(name)) / qSeq, qRand / median(rand.get(name)));
                }
            }
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
