package dev.jvmm.kvm.sys;

/**
 * Flag and type values that go inside the KVM structs, named and valued as in linux/kvm.h and
 * asm/kvm.h. Exit reasons are in {@link KvmExit}, capabilities in {@link KvmCaps}, request numbers in
 * {@link KvmIoctls}.
 */
public final class KvmConstants {

    /** What {@code KVM_GET_API_VERSION} must answer; anything else is an incompatible KVM. */
    public static final int KVM_API_VERSION = 12;

    // kvm_userspace_memory_region.flags
    public static final int KVM_MEM_LOG_DIRTY_PAGES = 1 << 0;
    public static final int KVM_MEM_READONLY = 1 << 1;

    // kvm_irq_routing_entry.type, and the irqchip ids of kvm_irq_routing_irqchip.irqchip
    public static final int KVM_IRQ_ROUTING_IRQCHIP = 1;
    public static final int KVM_IRQ_ROUTING_MSI = 2;
    public static final int KVM_IRQCHIP_PIC_MASTER = 0;
    public static final int KVM_IRQCHIP_PIC_SLAVE = 1;
    public static final int KVM_IRQCHIP_IOAPIC = 2;
    public static final int KVM_IOAPIC_NUM_PINS = 24;

    // kvm_msi.flags and kvm_irq_routing_entry.flags
    public static final int KVM_MSI_VALID_DEVID = 1 << 0;

    // kvm_irqfd.flags
    public static final int KVM_IRQFD_FLAG_DEASSIGN = 1 << 0;
    public static final int KVM_IRQFD_FLAG_RESAMPLE = 1 << 1;

    // kvm_ioeventfd.flags
    public static final int KVM_IOEVENTFD_FLAG_DATAMATCH = 1 << 0;
    public static final int KVM_IOEVENTFD_FLAG_PIO = 1 << 1;
    public static final int KVM_IOEVENTFD_FLAG_DEASSIGN = 1 << 2;
    public static final int KVM_IOEVENTFD_FLAG_VIRTIO_CCW_NOTIFY = 1 << 3;

    // kvm_clock_data.flags
    public static final int KVM_CLOCK_TSC_STABLE = 2;
    public static final int KVM_CLOCK_REALTIME = 1 << 2;
    public static final int KVM_CLOCK_HOST_TSC = 1 << 3;

    // kvm_pit_config.flags
    public static final int KVM_PIT_SPEAKER_DUMMY = 1;

    // kvm_cpuid_entry2.flags (SIGNIFCANT is the header's spelling)
    public static final int KVM_CPUID_FLAG_SIGNIFCANT_INDEX = 1 << 0;
    public static final int KVM_CPUID_FLAG_STATEFUL_FUNC = 1 << 1;
    public static final int KVM_CPUID_FLAG_STATE_READ_NEXT = 1 << 2;

    // kvm_create_device.flags and .type
    public static final int KVM_CREATE_DEVICE_TEST = 1;
    public static final int KVM_DEV_TYPE_VFIO = 4;

    // kvm_device_attr.group/.attr of the KVM-VFIO device. Linux 6.6 renamed GROUP to FILE (the same
    // values; FILE_ADD takes a VFIO group fd or, with iommufd, a VFIO device fd); both names are kept.
    public static final int KVM_DEV_VFIO_GROUP = 1;
    public static final int KVM_DEV_VFIO_GROUP_ADD = 1;
    public static final int KVM_DEV_VFIO_GROUP_DEL = 2;
    public static final int KVM_DEV_VFIO_FILE = 1;
    public static final int KVM_DEV_VFIO_FILE_ADD = 1;
    public static final int KVM_DEV_VFIO_FILE_DEL = 2;

    // kvm_enable_cap.args[0] for KVM_CAP_X86_DISABLE_EXITS
    public static final int KVM_X86_DISABLE_EXITS_MWAIT = 1 << 0;
    public static final int KVM_X86_DISABLE_EXITS_HLT = 1 << 1;
    public static final int KVM_X86_DISABLE_EXITS_PAUSE = 1 << 2;
    public static final int KVM_X86_DISABLE_EXITS_CSTATE = 1 << 3;

    // kvm_run.flags
    public static final int KVM_RUN_X86_SMM = 1 << 0;
    public static final int KVM_RUN_X86_BUS_LOCK = 1 << 1;

    // Array bounds (asm/kvm.h)
    public static final int KVM_NR_INTERRUPTS = 256;
    public static final int KVM_APIC_REG_SIZE = 0x400;
    public static final int KVM_MAX_XCRS = 16;

    private KvmConstants() {}
}
