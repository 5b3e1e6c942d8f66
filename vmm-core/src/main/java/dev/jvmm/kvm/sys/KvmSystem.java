package dev.jvmm.kvm.sys;

import dev.jvmm.kvm.CpuidEntry;
import dev.jvmm.memory.sys.Errno;
import dev.jvmm.memory.sys.ErrnoException;
import dev.jvmm.memory.sys.Fd;
import dev.jvmm.memory.sys.Posix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /dev/kvm}: the system-wide KVM handle. Opening checks the API version and every capability the
 * VMM relies on, so a host that lacks one fails at start naming it, not later with an obscure EINVAL.
 */
public final class KvmSystem implements AutoCloseable {
    public static final String DEFAULT_PATH = "/dev/kvm";

    /** Capabilities jvmm cannot run without, by the name the error message uses. */
    private static final Map<String, Integer> REQUIRED = new LinkedHashMap<>();

    static {
        REQUIRED.put("KVM_CAP_IRQCHIP", KvmCaps.KVM_CAP_IRQCHIP);
        REQUIRED.put("KVM_CAP_USER_MEMORY", KvmCaps.KVM_CAP_USER_MEMORY);
        REQUIRED.put("KVM_CAP_SET_TSS_ADDR", KvmCaps.KVM_CAP_SET_TSS_ADDR);
        REQUIRED.put("KVM_CAP_SET_IDENTITY_MAP_ADDR", KvmCaps.KVM_CAP_SET_IDENTITY_MAP_ADDR);
        REQUIRED.put("KVM_CAP_EXT_CPUID", KvmCaps.KVM_CAP_EXT_CPUID);
        REQUIRED.put("KVM_CAP_IRQ_ROUTING", KvmCaps.KVM_CAP_IRQ_ROUTING);
        REQUIRED.put("KVM_CAP_IRQFD", KvmCaps.KVM_CAP_IRQFD);
        REQUIRED.put("KVM_CAP_IOEVENTFD", KvmCaps.KVM_CAP_IOEVENTFD);
        REQUIRED.put("KVM_CAP_PIT2", KvmCaps.KVM_CAP_PIT2);
        REQUIRED.put("KVM_CAP_SIGNAL_MSI", KvmCaps.KVM_CAP_SIGNAL_MSI);
        REQUIRED.put("KVM_CAP_IMMEDIATE_EXIT", KvmCaps.KVM_CAP_IMMEDIATE_EXIT);
    }

    private final Fd fd;
    private final int vcpuMmapSize;

    private KvmSystem(Fd fd) {
        this.fd = fd;
        this.vcpuMmapSize = Posix.ioctl(fd, KvmIoctls.KVM_GET_VCPU_MMAP_SIZE, 0L, "KVM_GET_VCPU_MMAP_SIZE");
    }

    /** Opens {@code /dev/kvm} and checks the API version and the required capabilities. */
    public static KvmSystem open() {
        return open(DEFAULT_PATH);
    }

    public static KvmSystem open(String path) {
        Fd fd;
        try {
            fd = Posix.open(path, Posix.O_RDWR);
        } catch (ErrnoException e) {
            throw switch (e.errno()) {
                case Errno.ENOENT -> e.withFix("load kvm_intel or kvm_amd (modprobe kvm_amd), or enable "
                        + "virtualization in the firmware");
                case Errno.EACCES, Errno.EPERM -> e.withFix("add this user to the kvm group or run as root");
                default -> e;
            };
        }
        try {
            int version = Posix.ioctl(fd, KvmIoctls.KVM_GET_API_VERSION, 0L, "KVM_GET_API_VERSION");
            if (version != KvmConstants.KVM_API_VERSION) {
                throw new KvmUnsupportedException(path + " speaks KVM API version " + version + "; jvmm needs "
                        + KvmConstants.KVM_API_VERSION);
            }
            List<String> missing = missingCapabilities(fd, REQUIRED);
            if (!missing.isEmpty()) {
                throw new KvmUnsupportedException("the host kernel's KVM lacks " + String.join(", ", missing)
                        + ": jvmm needs Linux 4.14 or later with an in-kernel irqchip");
            }
            return new KvmSystem(fd);
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    static List<String> missingCapabilities(Fd fd, Map<String, Integer> wanted) {
        List<String> missing = new ArrayList<>();
        wanted.forEach((name, cap) -> {
            if (Posix.ioctl(fd, KvmIoctls.KVM_CHECK_EXTENSION, (long) cap, "KVM_CHECK_EXTENSION") <= 0) {
                missing.add(name);
            }
        });
        return missing;
    }

    /** Names of the given capabilities this host lacks (for tests and diagnostics). */
    public List<String> missing(Map<String, Integer> capabilities) {
        return missingCapabilities(fd, capabilities);
    }

    /** KVM_CHECK_EXTENSION: 0 when absent, otherwise a capability-specific positive value. */
    public int checkExtension(int capability) {
        return Posix.ioctl(fd, KvmIoctls.KVM_CHECK_EXTENSION, capability, "KVM_CHECK_EXTENSION");
    }

    /** The most vCPUs one VM may have (KVM_CAP_MAX_VCPUS, falling back to KVM_CAP_NR_VCPUS). */
    public int maxVcpus() {
        int max = checkExtension(KvmCaps.KVM_CAP_MAX_VCPUS);
        return max > 0 ? max : Math.max(4, checkExtension(KvmCaps.KVM_CAP_NR_VCPUS));
    }

    int vcpuMmapSize() {
        return vcpuMmapSize;
    }

    /** KVM_GET_SUPPORTED_CPUID: the leaves this host can give a guest, before any per-VM fixes. */
    public List<CpuidEntry> supportedCpuid() {
        for (int n = 128; n <= 4096; n *= 2) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment cpuid = KvmCpuid2.allocate(a, n);
                int r = Posix.ioctlErrno(fd, KvmIoctls.KVM_GET_SUPPORTED_CPUID, cpuid);
                if (r == -Errno.E2BIG) {
                    continue;
                }
                if (r < 0) {
                    throw new ErrnoException(-r, "KVM_GET_SUPPORTED_CPUID", fd.name(), null);
                }
                List<CpuidEntry> entries = new ArrayList<>();
                for (int i = 0; i < KvmCpuid2.nent(cpuid); i++) {
                    MemorySegment e = KvmCpuid2.entry(cpuid, i);
                    entries.add(new CpuidEntry(KvmCpuidEntry2.function(e), KvmCpuidEntry2.index(e),
                            KvmCpuidEntry2.flags(e), KvmCpuidEntry2.eax(e), KvmCpuidEntry2.ebx(e),
                            KvmCpuidEntry2.ecx(e), KvmCpuidEntry2.edx(e)));
                }
                return entries;
            }
        }
        throw new KvmUnsupportedException("KVM_GET_SUPPORTED_CPUID wants more than 4096 entries");
    }

    /** KVM_CREATE_VM. */
    public VmFd createVm() {
        int vm = Posix.ioctl(fd, KvmIoctls.KVM_CREATE_VM, 0L, "KVM_CREATE_VM");
        return new VmFd(this, Fd.adopt(vm, "kvm-vm"));
    }

    @Override
    public void close() {
        fd.close();
    }
}
