package dev.jvmm.kvm.archfixture;

import dev.jvmm.memory.archfixture.MemoryFixtures;
import dev.jvmm.qmp.archfixture.QmpFixtures;
import dev.jvmm.vfio.archfixture.VfioFixtures;
import java.lang.foreign.MemorySegment;

/** vmm-core look-alikes (outside sys) for the architecture rules. */
public final class KvmFixtures {
    private KvmFixtures() {
    }

    /** Allowed: vmm-core uses guest-memory. */
    public static final class Clean {
        public int memory() {
            return new MemoryFixtures.Clean().value();
        }
    }

    /** Violation: vmm-core uses device-assign. */
    public static final class UsesVfio {
        public Object vfio() {
            return new VfioFixtures.Clean();
        }
    }

    /** Violation: vmm-core uses qmp-api. */
    public static final class UsesQmp {
        public Object qmp() {
            return new QmpFixtures.Clean();
        }
    }

    /** Violation: java.lang.foreign outside a sys package. */
    public static final class UsesForeign {
        public long size(MemorySegment segment) {
            return segment.byteSize();
        }
    }
}
