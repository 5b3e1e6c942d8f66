package dev.jvmm.kvm;

/** Why KVM_RUN returned, when it was not a port-I/O or MMIO access the VMM served in place. */
public sealed interface VcpuExit {
    /** HLT with no in-kernel irqchip to wait for an interrupt. */
    record Hlt() implements VcpuExit {
    }

    /** Triple fault or equivalent: the guest cannot continue. */
    record Shutdown() implements VcpuExit {
    }

    /** KVM_RUN returned EINTR: a kick or another signal; the caller decides whether to stop. */
    record Interrupted() implements VcpuExit {
    }

    /** KVM_SYSTEM_EVENT_SHUTDOWN / RESET / CRASH (PSCI or a guest reset through the irqchip). */
    record SystemEvent(int type) implements VcpuExit {
    }

    /** The CPU refused to enter the guest (invalid state); reason is the hardware's code. */
    record FailEntry(long hardwareReason, int cpu) implements VcpuExit {
    }

    /** KVM could not emulate something (suberror KVM_INTERNAL_ERROR_*). */
    record InternalError(int suberror, long[] data) implements VcpuExit {
    }

    /** Any other exit reason this VMM does not handle. */
    record Unhandled(int reason) implements VcpuExit {
    }
}
