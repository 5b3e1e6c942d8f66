package dev.jvmm.kvm.sys;

/**
 * The {@code KVM_CAP_*} numbers this VMM asks {@code KVM_CHECK_EXTENSION} about (linux/kvm.h). The
 * answer is 0 for "absent"; some capabilities answer a count instead of 1 (noted below).
 */
public final class KvmCaps {

    public static final int KVM_CAP_IRQCHIP = 0;
    public static final int KVM_CAP_HLT = 1;
    public static final int KVM_CAP_USER_MEMORY = 3;
    public static final int KVM_CAP_SET_TSS_ADDR = 4;
    public static final int KVM_CAP_EXT_CPUID = 7;
    /** Answers the recommended maximum number of vCPUs per VM. */
    public static final int KVM_CAP_NR_VCPUS = 9;
    /** Answers the number of memory slots per VM. */
    public static final int KVM_CAP_NR_MEMSLOTS = 10;
    public static final int KVM_CAP_USER_NMI = 22;
    public static final int KVM_CAP_IRQ_ROUTING = 25;
    public static final int KVM_CAP_IRQ_INJECT_STATUS = 26;
    public static final int KVM_CAP_IRQFD = 32;
    public static final int KVM_CAP_PIT2 = 33;
    public static final int KVM_CAP_PIT_STATE2 = 35;
    public static final int KVM_CAP_IOEVENTFD = 36;
    public static final int KVM_CAP_SET_IDENTITY_MAP_ADDR = 37;
    public static final int KVM_CAP_ENABLE_CAP = 54;
    public static final int KVM_CAP_XCRS = 56;
    public static final int KVM_CAP_TSC_CONTROL = 60;
    public static final int KVM_CAP_GET_TSC_KHZ = 61;
    /** Answers the maximum number of vCPUs per VM. */
    public static final int KVM_CAP_MAX_VCPUS = 66;
    /** The in-kernel LAPIC emulates the TSC-deadline timer mode (KVM does not report it in CPUID itself). */
    public static final int KVM_CAP_TSC_DEADLINE_TIMER = 72;
    public static final int KVM_CAP_SIGNAL_MSI = 77;
    public static final int KVM_CAP_READONLY_MEM = 81;
    public static final int KVM_CAP_IRQFD_RESAMPLE = 82;
    public static final int KVM_CAP_DEVICE_CTRL = 89;
    public static final int KVM_CAP_SPLIT_IRQCHIP = 121;
    public static final int KVM_CAP_IOEVENTFD_ANY_LENGTH = 122;
    /** Answers the largest vCPU id plus one. */
    public static final int KVM_CAP_MAX_VCPU_ID = 128;
    public static final int KVM_CAP_X2APIC_API = 129;
    public static final int KVM_CAP_MSI_DEVID = 131;
    public static final int KVM_CAP_IMMEDIATE_EXIT = 136;
    /** Answers the mask of {@code KVM_X86_DISABLE_EXITS_*} this host allows. */
    public static final int KVM_CAP_X86_DISABLE_EXITS = 143;

    private KvmCaps() {}
}
