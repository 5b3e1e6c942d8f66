package dev.jvmm.qmp.archfixture;

import dev.jvmm.kvm.archfixture.KvmFixtures;
import dev.jvmm.vfio.archfixture.VfioFixtures;

/** qmp-api look-alikes for the architecture rules. */
public final class QmpFixtures {
    private QmpFixtures() {
    }

    /** Allowed: qmp-api uses vmm-core. */
    public static final class Clean {
        public int below() {
            return new KvmFixtures.Clean().memory();
        }
    }

    /** Violation: qmp-api uses its sibling device-assign. */
    public static final class UsesVfio {
        public Object vfio() {
            return new VfioFixtures.Clean();
        }
    }
}
