package dev.jvmm.memory.archfixture;

import dev.jvmm.kvm.archfixture.KvmFixtures;

/** guest-memory look-alikes for the architecture rules. */
public final class MemoryFixtures {
    private MemoryFixtures() {
    }

    /** Allowed: depends on nothing of ours. */
    public static final class Clean {
        public int value() {
            return 1;
        }
    }

    /** Violation: the bottom module reaches up into vmm-core. */
    public static final class UsesKvm {
        public Object kvm() {
            return new KvmFixtures.Clean();
        }
    }
}
