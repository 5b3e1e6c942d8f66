package dev.jvmm.vfio.archfixture;

import dev.jvmm.kvm.archfixture.KvmFixtures;
import dev.jvmm.memory.archfixture.MemoryFixtures;
import dev.jvmm.qmp.archfixture.QmpFixtures;

/** device-assign look-alikes for the architecture rules. */
public final class VfioFixtures {
    private VfioFixtures() {
    }

    /** Allowed: device-assign uses vmm-core and guest-memory. */
    public static final class Clean {
        public int below() {
            return new KvmFixtures.Clean().memory() + new MemoryFixtures.Clean().value();
        }
    }

    /** Violation: device-assign uses its sibling qmp-api. */
    public static final class UsesQmp {
        public Object qmp() {
            return new QmpFixtures.Clean();
        }
    }
}
