package dev.jvmm.kvm.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The request-number encoding; the KVM numbers themselves are checked against gcc by {@link KvmAbiTest}. */
class IoctlTest {

    @Test
    void encodesAndDecodesEveryFieldSeeded() {
        long seed = Long.getLong("jvmm.seed", System.nanoTime());
        System.out.println("IoctlTest seed " + seed + " (rerun with -Djvmm.seed=" + seed + ")");
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 10_000; i++) {
            int dir = random.nextInt(4);
            int type = random.nextInt(256);
            int nr = random.nextInt(256);
            int size = random.nextInt(1 << 14);
            long request = Ioctl._IOC(dir, type, nr, size);
            String what = "seed " + seed + ": _IOC(" + dir + ", " + type + ", " + nr + ", " + size + ")";
            assertEquals(dir, Ioctl._IOC_DIR(request), what);
            assertEquals(type, Ioctl._IOC_TYPE(request), what);
            assertEquals(nr, Ioctl._IOC_NR(request), what);
            assertEquals(size, Ioctl._IOC_SIZE(request), what);
            assertEquals(0, request >>> 32, what + " must be zero-extended");
        }
    }

    @Test
    void kvmRequestsCarryTheirLayoutSizes() {
        assertEquals(Ioctl._IOC_READ | Ioctl._IOC_WRITE, Ioctl._IOC_DIR(KvmIoctls.KVM_GET_SUPPORTED_CPUID));
        assertEquals(KvmCpuid2.LAYOUT.byteSize(), Ioctl._IOC_SIZE(KvmIoctls.KVM_GET_SUPPORTED_CPUID));
        assertEquals(KvmSregs.LAYOUT.byteSize(), Ioctl._IOC_SIZE(KvmIoctls.KVM_SET_SREGS));
        assertEquals(0xAE, Ioctl._IOC_TYPE(KvmIoctls.KVM_RUN));
    }

    @Test
    void refusesFieldsWiderThanTheirBits() {
        assertThrows(IllegalArgumentException.class, () -> Ioctl._IOC(0, 0xAE, 0, 1 << 14));
        assertThrows(IllegalArgumentException.class, () -> Ioctl._IOC(0, 0x100, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Ioctl._IOC(0, 0xAE, 256, 0));
        assertThrows(IllegalArgumentException.class, () -> Ioctl._IOC(4, 0xAE, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Ioctl._IOC(0, 0xAE, 0, -1));
    }
}
