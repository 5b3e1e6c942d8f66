package dev.jvmm.memory.testing;

import java.util.Random;

/**
 * Seeded randomized iterations. The seed comes from {@code -Djvmm.seed=N} when given, else is drawn;
 * it is printed before the run and named in any failure, so a failure replays with the same seed.
 * Shared with the other modules' tests through guest-memory's test-jar.
 */
public final class Seeded {

    public interface Body {
        void run(Random random, int iteration) throws Exception;
    }

    private Seeded() {
    }

    public static long seed() {
        String given = System.getProperty("jvmm.seed");
        return given != null && !given.isBlank() ? Long.parseLong(given.strip()) : new Random().nextLong();
    }

    public static void repeat(String name, int iterations, Body body) {
        long seed = seed();
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
