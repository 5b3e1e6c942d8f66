package dev.jvmm.kvm.sys.archfixture;

import java.lang.foreign.MemorySegment;

/** A sys-package look-alike for the architecture rules. */
public final class SysFixtures {
    private SysFixtures() {
    }

    /** Allowed: java.lang.foreign inside a sys package. */
    public static final class UsesForeign {
        public long size(MemorySegment segment) {
            return segment.byteSize();
        }
    }
}
