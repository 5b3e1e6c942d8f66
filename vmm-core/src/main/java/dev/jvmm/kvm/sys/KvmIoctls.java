package dev.jvmm.kvm.sys;

import static dev.jvmm.kvm.sys.Ioctl._IO;
import static dev.jvmm.kvm.sys.Ioctl._IOR;
import static dev.jvmm.kvm.sys.Ioctl._IOW;
import static dev.jvmm.kvm.sys.Ioctl._IOWR;

/**
 * The KVM ioctl request numbers, each defined as linux/kvm.h defines it, with the argument struct's size
 * taken from its Java layout (so a wrong layout shows up as a wrong ioctl number too). Grouped by the fd
 * they are issued on; the comment after each says what the third ioctl argument is.
 */
public final class KvmIoctls {

    /** {@code KVMIO}, the ioctl type byte of every KVM request. */
    public static final int KVMIO = 0xAE;

    // System ioctls, on /dev/kvm.
    public static final long KVM_GET_API_VERSION = _IO(KVMIO, 0x00);                          // none
    public static final long KVM_CREATE_VM = _IO(KVMIO, 0x01);                                // machine type, 0
    public static final long KVM_GET_MSR_INDEX_LIST = _IOWR(KVMIO, 0x02, KvmMsrList.LAYOUT);
    public static final long KVM_CHECK_EXTENSION = _IO(KVMIO, 0x03);                          // KVM_CAP_*
    public static final long KVM_GET_VCPU_MMAP_SIZE = _IO(KVMIO, 0x04);                       // none
    public static final long KVM_GET_SUPPORTED_CPUID = _IOWR(KVMIO, 0x05, KvmCpuid2.LAYOUT);
    public static final long KVM_GET_EMULATED_CPUID = _IOWR(KVMIO, 0x09, KvmCpuid2.LAYOUT);

    // VM ioctls, on the fd KVM_CREATE_VM returns.
    public static final long KVM_CREATE_VCPU = _IO(KVMIO, 0x41);                              // vCPU id
    public static final long KVM_SET_USER_MEMORY_REGION = _IOW(KVMIO, 0x46, KvmUserspaceMemoryRegion.LAYOUT);
    public static final long KVM_SET_TSS_ADDR = _IO(KVMIO, 0x47);                             // guest address
    public static final long KVM_SET_IDENTITY_MAP_ADDR = _IOW(KVMIO, 0x48, Layouts.U64);      // __u64 *
    public static final long KVM_CREATE_IRQCHIP = _IO(KVMIO, 0x60);                           // none
    public static final long KVM_IRQ_LINE = _IOW(KVMIO, 0x61, KvmIrqLevel.LAYOUT);
    public static final long KVM_IRQ_LINE_STATUS = _IOWR(KVMIO, 0x67, KvmIrqLevel.LAYOUT);
    public static final long KVM_SET_GSI_ROUTING = _IOW(KVMIO, 0x6a, KvmIrqRouting.LAYOUT);
    public static final long KVM_IRQFD = _IOW(KVMIO, 0x76, KvmIrqfd.LAYOUT);
    public static final long KVM_CREATE_PIT2 = _IOW(KVMIO, 0x77, KvmPitConfig.LAYOUT);
    public static final long KVM_SET_BOOT_CPU_ID = _IO(KVMIO, 0x78);                          // vCPU id
    public static final long KVM_IOEVENTFD = _IOW(KVMIO, 0x79, KvmIoeventfd.LAYOUT);
    public static final long KVM_SET_CLOCK = _IOW(KVMIO, 0x7b, KvmClockData.LAYOUT);
    public static final long KVM_GET_CLOCK = _IOR(KVMIO, 0x7c, KvmClockData.LAYOUT);
    public static final long KVM_SIGNAL_MSI = _IOW(KVMIO, 0xa5, KvmMsi.LAYOUT);
    public static final long KVM_CREATE_DEVICE = _IOWR(KVMIO, 0xe0, KvmCreateDevice.LAYOUT);

    // VM or vCPU ioctls (which fd depends on the capability).
    public static final long KVM_ENABLE_CAP = _IOW(KVMIO, 0xa3, KvmEnableCap.LAYOUT);

    // Device ioctls, on the fd KVM_CREATE_DEVICE returns (also VM and vCPU fds for some attributes).
    public static final long KVM_SET_DEVICE_ATTR = _IOW(KVMIO, 0xe1, KvmDeviceAttr.LAYOUT);
    public static final long KVM_GET_DEVICE_ATTR = _IOW(KVMIO, 0xe2, KvmDeviceAttr.LAYOUT);
    public static final long KVM_HAS_DEVICE_ATTR = _IOW(KVMIO, 0xe3, KvmDeviceAttr.LAYOUT);

    // vCPU ioctls, on the fd KVM_CREATE_VCPU returns.
    public static final long KVM_RUN = _IO(KVMIO, 0x80);                                      // none
    public static final long KVM_GET_REGS = _IOR(KVMIO, 0x81, KvmRegs.LAYOUT);
    public static final long KVM_SET_REGS = _IOW(KVMIO, 0x82, KvmRegs.LAYOUT);
    public static final long KVM_GET_SREGS = _IOR(KVMIO, 0x83, KvmSregs.LAYOUT);
    public static final long KVM_SET_SREGS = _IOW(KVMIO, 0x84, KvmSregs.LAYOUT);
    public static final long KVM_GET_MSRS = _IOWR(KVMIO, 0x88, KvmMsrs.LAYOUT);
    public static final long KVM_SET_MSRS = _IOW(KVMIO, 0x89, KvmMsrs.LAYOUT);
    public static final long KVM_SET_SIGNAL_MASK = _IOW(KVMIO, 0x8b, KvmSignalMask.LAYOUT);
    public static final long KVM_GET_FPU = _IOR(KVMIO, 0x8c, KvmFpu.LAYOUT);
    public static final long KVM_SET_FPU = _IOW(KVMIO, 0x8d, KvmFpu.LAYOUT);
    public static final long KVM_GET_LAPIC = _IOR(KVMIO, 0x8e, KvmLapicState.LAYOUT);
    public static final long KVM_SET_LAPIC = _IOW(KVMIO, 0x8f, KvmLapicState.LAYOUT);
    public static final long KVM_SET_CPUID2 = _IOW(KVMIO, 0x90, KvmCpuid2.LAYOUT);
    public static final long KVM_GET_CPUID2 = _IOWR(KVMIO, 0x91, KvmCpuid2.LAYOUT);
    public static final long KVM_SET_TSC_KHZ = _IO(KVMIO, 0xa2);                              // kHz
    public static final long KVM_GET_TSC_KHZ = _IO(KVMIO, 0xa3);                              // none
    public static final long KVM_GET_XCRS = _IOR(KVMIO, 0xa6, KvmXcrs.LAYOUT);
    public static final long KVM_SET_XCRS = _IOW(KVMIO, 0xa7, KvmXcrs.LAYOUT);

    private KvmIoctls() {}
}
