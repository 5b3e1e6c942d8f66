package dev.jvmm.kvm.sys;

/**
 * Why {@code KVM_RUN} returned ({@code kvm_run.exit_reason}) and the codes that qualify some exits.
 * Names and values as in linux/kvm.h; {@link #name(int)} turns a reason into its macro name for messages.
 */
public final class KvmExit {

    public static final int KVM_EXIT_UNKNOWN = 0;
    public static final int KVM_EXIT_EXCEPTION = 1;
    public static final int KVM_EXIT_IO = 2;
    public static final int KVM_EXIT_HYPERCALL = 3;
    public static final int KVM_EXIT_DEBUG = 4;
    public static final int KVM_EXIT_HLT = 5;
    public static final int KVM_EXIT_MMIO = 6;
    public static final int KVM_EXIT_IRQ_WINDOW_OPEN = 7;
    public static final int KVM_EXIT_SHUTDOWN = 8;
    public static final int KVM_EXIT_FAIL_ENTRY = 9;
    public static final int KVM_EXIT_INTR = 10;
    public static final int KVM_EXIT_SET_TPR = 11;
    public static final int KVM_EXIT_TPR_ACCESS = 12;
    public static final int KVM_EXIT_S390_SIEIC = 13;
    public static final int KVM_EXIT_S390_RESET = 14;
    public static final int KVM_EXIT_DCR = 15;
    public static final int KVM_EXIT_NMI = 16;
    public static final int KVM_EXIT_INTERNAL_ERROR = 17;
    public static final int KVM_EXIT_OSI = 18;
    public static final int KVM_EXIT_PAPR_HCALL = 19;
    public static final int KVM_EXIT_S390_UCONTROL = 20;
    public static final int KVM_EXIT_WATCHDOG = 21;
    public static final int KVM_EXIT_S390_TSCH = 22;
    public static final int KVM_EXIT_EPR = 23;
    public static final int KVM_EXIT_SYSTEM_EVENT = 24;
    public static final int KVM_EXIT_S390_STSI = 25;
    public static final int KVM_EXIT_IOAPIC_EOI = 26;
    public static final int KVM_EXIT_HYPERV = 27;
    public static final int KVM_EXIT_ARM_NISV = 28;
    public static final int KVM_EXIT_X86_RDMSR = 29;
    public static final int KVM_EXIT_X86_WRMSR = 30;
    public static final int KVM_EXIT_DIRTY_RING_FULL = 31;
    public static final int KVM_EXIT_AP_RESET_HOLD = 32;
    public static final int KVM_EXIT_X86_BUS_LOCK = 33;
    public static final int KVM_EXIT_XEN = 34;
    public static final int KVM_EXIT_RISCV_SBI = 35;
    public static final int KVM_EXIT_RISCV_CSR = 36;
    public static final int KVM_EXIT_NOTIFY = 37;

    /** {@code kvm_run.io.direction}. */
    public static final int KVM_EXIT_IO_IN = 0;
    public static final int KVM_EXIT_IO_OUT = 1;

    /** {@code kvm_run.internal.suberror} of {@code KVM_EXIT_INTERNAL_ERROR}. */
    public static final int KVM_INTERNAL_ERROR_EMULATION = 1;
    public static final int KVM_INTERNAL_ERROR_SIMUL_EX = 2;
    public static final int KVM_INTERNAL_ERROR_DELIVERY_EV = 3;
    public static final int KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON = 4;

    /** {@code kvm_run.system_event.type} of {@code KVM_EXIT_SYSTEM_EVENT}. */
    public static final int KVM_SYSTEM_EVENT_SHUTDOWN = 1;
    public static final int KVM_SYSTEM_EVENT_RESET = 2;
    public static final int KVM_SYSTEM_EVENT_CRASH = 3;
    public static final int KVM_SYSTEM_EVENT_WAKEUP = 4;
    public static final int KVM_SYSTEM_EVENT_SUSPEND = 5;
    public static final int KVM_SYSTEM_EVENT_SEV_TERM = 6;

    private static final String[] NAMES = {
            "KVM_EXIT_UNKNOWN",
            "KVM_EXIT_EXCEPTION",
            "KVM_EXIT_IO",
            "KVM_EXIT_HYPERCALL",
            "KVM_EXIT_DEBUG",
            "KVM_EXIT_HLT",
            "KVM_EXIT_MMIO",
            "KVM_EXIT_IRQ_WINDOW_OPEN",
            "KVM_EXIT_SHUTDOWN",
            "KVM_EXIT_FAIL_ENTRY",
            "KVM_EXIT_INTR",
            "KVM_EXIT_SET_TPR",
            "KVM_EXIT_TPR_ACCESS",
            "KVM_EXIT_S390_SIEIC",
            "KVM_EXIT_S390_RESET",
            "KVM_EXIT_DCR",
            "KVM_EXIT_NMI",
            "KVM_EXIT_INTERNAL_ERROR",
            "KVM_EXIT_OSI",
            "KVM_EXIT_PAPR_HCALL",
            "KVM_EXIT_S390_UCONTROL",
            "KVM_EXIT_WATCHDOG",
            "KVM_EXIT_S390_TSCH",
            "KVM_EXIT_EPR",
            "KVM_EXIT_SYSTEM_EVENT",
            "KVM_EXIT_S390_STSI",
            "KVM_EXIT_IOAPIC_EOI",
            "KVM_EXIT_HYPERV",
            "KVM_EXIT_ARM_NISV",
            "KVM_EXIT_X86_RDMSR",
            "KVM_EXIT_X86_WRMSR",
            "KVM_EXIT_DIRTY_RING_FULL",
            "KVM_EXIT_AP_RESET_HOLD",
            "KVM_EXIT_X86_BUS_LOCK",
            "KVM_EXIT_XEN",
            "KVM_EXIT_RISCV_SBI",
            "KVM_EXIT_RISCV_CSR",
            "KVM_EXIT_NOTIFY"
    };

    private KvmExit() {}

    /** The macro name of exit reason {@code reason}, e.g. "KVM_EXIT_IO", or "exit reason N" if unknown here. */
    public static String name(int reason) {
        return reason >= 0 && reason < NAMES.length ? NAMES[reason] : "exit reason " + Integer.toUnsignedString(reason);
    }
}
