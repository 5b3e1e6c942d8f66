package dev.jvmm.acpi;

import java.util.Random;

/**
 * Seeded randomized iterations. The seed comes from {@code -Djvmm.seed=N} when given, else is drawn;
 * it is printed before the run and named in any failure, so a failure replays with the same seed.
 */
final class Seeded {

    interface Body {
        void run(Random random, int iteration) throws Exception;
    }

    private Seeded() {
    }

    static void repeat(String name, int iterations, Body body) {
        String given = System.getProperty("jvmm.seed");
        long seed = given != null && !given.isBlank() ? Long.parseLong(given.strip()) : new Random().nextLong();
        System.out.println("[seeded] " + name + ": seed " + seed + " (replay: -Djvmm.seed=" + seed + "), "
                + iterations + " iterations");
        Random random = new Random(seed);
        for (int i = 0; i < iterations; i++) {
            try {
                body.run(random, i);
            } catch (Throwable t) {
                throw new AssertionError(name + " failed at iteration " + i + " with seed " + seed
                        + " (replay: -Djvmm.seed=" + seed + "): " + t, t);
            }
        }
    }
}
