package dev.jvmm.kvm;

import java.util.ArrayList;
import java.util.List;

/**
 * The per-vCPU changes a guest needs on top of KVM_GET_SUPPORTED_CPUID (the same set Firecracker and
 * Cloud Hypervisor apply): each vCPU's own APIC id, the hypervisor bit, and a topology of {@code n}
 * single-threaded cores in one package, so an SMP guest finds and numbers every vCPU.
 */
public final class CpuidFixups {
    static final int LEAF_FEATURES = 0x1;
    static final int LEAF_CACHE = 0x4;
    static final int LEAF_TOPOLOGY = 0xb;
    static final int LEAF_TOPOLOGY_V2 = 0x1f;
    static final int LEAF_AMD_TOPOLOGY = 0x8000_001e;

    static final int ECX_HYPERVISOR = 1 << 31;
    static final int ECX_TSC_DEADLINE = 1 << 24;
    static final int EDX_HTT = 1 << 28;
    /** Topology level types in CPUID 0xB/0x1F ECX[15:8]. */
    static final int LEVEL_SMT = 1, LEVEL_CORE = 2;

    private CpuidFixups() {
    }

    /** The CPUID table for vCPU {@code apicId} of a VM with {@code vcpus} vCPUs. */
    public static List<CpuidEntry> forVcpu(List<CpuidEntry> supported, int apicId, int vcpus) {
        if (vcpus < 1 || apicId < 0 || apicId >= vcpus || vcpus > 255) {
            throw new IllegalArgumentException("vCPU " + apicId + " of " + vcpus + ": need 0 <= id < count <= 255");
        }
        int coreBits = 32 - Integer.numberOfLeadingZeros(vcpus - 1);
        List<CpuidEntry> out = new ArrayList<>(supported.size());
        for (CpuidEntry e : supported) {
            out.add(switch (e.function()) {
                case LEAF_FEATURES -> e
                        .withEbx((e.ebx() & 0x0000_ffff) | (apicId << 24) | (Math.min(vcpus, 255) << 16))
                        .withEcx(e.ecx() | ECX_HYPERVISOR)
                        .withEdx(vcpus > 1 ? e.edx() | EDX_HTT : e.edx() & ~EDX_HTT);
                case LEAF_CACHE -> e.eax() == 0 ? e
                        : e.withEax((e.eax() & 0x03ff_ffff) | ((vcpus - 1) << 26) & 0xfc00_0000);
                case LEAF_TOPOLOGY, LEAF_TOPOLOGY_V2 -> topology(e, apicId, vcpus, coreBits);
                case LEAF_AMD_TOPOLOGY -> e.withEax(apicId).withEbx(apicId & 0xff).withEcx(0);
                default -> e;
            });
        }
        return out;
    }

    /**
     * {@code table} with CPUID.1:ECX.TSC_DEADLINE (bit 24) set. KVM_GET_SUPPORTED_CPUID leaves the bit
     * clear even when the in-kernel LAPIC emulates the mode (KVM_CAP_TSC_DEADLINE_TIMER); QEMU and
     * Firecracker set it. Without it Linux must calibrate the LAPIC timer against the PIT, which under
     * nested virtualization can fail ("APIC timer disabled due to verification failure"), leaving the
     * guest with a periodic PIT tick and no high-resolution timers.
     */
    public static List<CpuidEntry> withTscDeadlineTimer(List<CpuidEntry> table) {
        return table.stream().map(e -> e.function() == LEAF_FEATURES ? e.withEcx(e.ecx() | ECX_TSC_DEADLINE) : e)
                .toList();
    }

    private static CpuidEntry topology(CpuidEntry e, int apicId, int vcpus, int coreBits) {
        return switch (e.index()) {
            // SMT level: one thread per core, so the next level starts at bit 0.
            case 0 -> new CpuidEntry(e.function(), 0, e.flags(), 0, 1, (LEVEL_SMT << 8), apicId);
            // Core level: all vCPUs are cores of one package.
            case 1 -> new CpuidEntry(e.function(), 1, e.flags(), coreBits, vcpus, (LEVEL_CORE << 8) | 1, apicId);
            default -> new CpuidEntry(e.function(), e.index(), e.flags(), 0, 0, e.index() & 0xff, apicId);
        };
    }
}
