package dev.jvmm.testhost;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * NVMe read benchmark, not a test (tag {@code bench}, left out unless asked for): in ONE L1, the NVMe is
 * assigned to an L2 guest by QEMU and by jvmm in turn, N rounds alternating, and the guest's
 * {@code nvme-bench} reads it with O_DIRECT: 128 MiB sequentially in 1 MiB requests, then 4096 random
 * 4 KiB reads. Prints each round, the medians and the ratios jvmm/QEMU (above 1.0: jvmm is faster).
 *
 * <pre>
 * bin/mvn -pl integration-tests -am verify -Pbench -Djvmm.images.skip=true -Dtest=JvmmNvmeBenchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false [-Djvmm.bench.rounds=3]
 * </pre>
 */
@Tag("bench")
class JvmmNvmeBenchmark {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    @Test
    void nvmeReadsJvmmVersusQemu() {
        int rounds = Integer.getInteger("jvmm.bench.rounds", 3);
        try (TestHost host = TestHost.start("bench-nvme", TestHostOptions.defaults().withDevices(EmulatedDevice.NVME))) {
            VfioBinding nvme = host.bindToVfio(EmulatedDevice.NVME);
            Map<String, L2Vmm> vmms = new LinkedHashMap<>();
            vmms.put("qemu", new QemuL2Vmm());
            vmms.put("jvmm", JvmmL2Vmm.ofThisProject());
            Map<String, double[]> seq = new LinkedHashMap<>();
            Map<String, double[]> rand = new LinkedHashMap<>();
            vmms.keySet().forEach(k -> {
                seq.put(k, new double[rounds]);
                rand.put(k, new double[rounds]);
            });
            for (int round = 0; round < rounds; round++) {
                for (Map.Entry<String, L2Vmm> vmm : vmms.entrySet()) {
                    L2Result r = host.runL2(vmm.getValue(), L2Test.NVME_BENCH, Optional.of(nvme.device()), TIMEOUT)
                            .assertPassed();
                    double mibPerS = Double.parseDouble(r.facts().get("seq_mib_s"));
                    double usPerRead = Double.parseDouble(r.facts().get("rand_us"));
                    seq.get(vmm.getKey())[round] = mibPerS;
                    rand.get(vmm.getKey())[round] = usPerRead;
                    System.out.printf("round %d %-5s 128 MiB sequential %7.1f MiB/s (%s s), 4096 x 4 KiB random %7.1f us/read"
                            + " (%s s)%n", round + 1, vmm.getKey(), mibPerS, r.facts().get("seq_s"), usPerRead,
                            r.facts().get("rand_s"));
                }
            }
            double qSeq = median(seq.get("qemu"));
            double jSeq = median(seq.get("jvmm"));
            double qRand = median(rand.get("qemu"));
            double jRand = median(rand.get("jvmm"));
            System.out.printf("median qemu: %.1f MiB/s sequential, %.1f us/random read%n", qSeq, qRand);
            System.out.printf("median jvmm: %.1f MiB/s sequential, %.1f us/random read%n", jSeq, jRand);
            System.out.printf("jvmm/QEMU: sequential %.2fx, random %.2fx (above 1.0: jvmm faster)%n", jSeq / qSeq,
                    qRand / jRand);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
