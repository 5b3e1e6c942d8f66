package dev.jvmm.pci;

/**
 * Offsets and bits of the type 0 configuration header (PCI Local Bus Specification 3.0, section 6.1;
 * names as in Linux's {@code include/uapi/linux/pci_regs.h}).
 */
public final class PciRegisters {
    private PciRegisters() {
    }

    public static final int VENDOR_ID = 0x00;
    public static final int DEVICE_ID = 0x02;
    public static final int COMMAND = 0x04;
    public static final int STATUS = 0x06;
    public static final int REVISION_ID = 0x08;
    /** Programming interface, subclass, base class: three bytes from here. */
    public static final int CLASS_PROG = 0x09;
    public static final int CACHE_LINE_SIZE = 0x0c;
    public static final int LATENCY_TIMER = 0x0d;
    public static final int HEADER_TYPE = 0x0e;
    public static final int BIST = 0x0f;
    public static final int BASE_ADDRESS_0 = 0x10;
    public static final int BAR_COUNT = 6;
    public static final int CARDBUS_CIS = 0x28;
    public static final int SUBSYSTEM_VENDOR_ID = 0x2c;
    public static final int SUBSYSTEM_ID = 0x2e;
    public static final int ROM_ADDRESS = 0x30;
    public static final int CAPABILITY_LIST = 0x34;
    public static final int INTERRUPT_LINE = 0x3c;
    public static final int INTERRUPT_PIN = 0x3d;
    public static final int MIN_GNT = 0x3e;
    public static final int MAX_LAT = 0x3f;
    /** Where the capability list builder starts: the first byte after the type 0 header. */
    public static final int FIRST_CAPABILITY = 0x40;
    /** Extended capabilities (PCIe) start here. */
    public static final int EXTENDED_CAPABILITIES = 0x100;

    public static final int COMMAND_IO = 0x0001;
    public static final int COMMAND_MEMORY = 0x0002;
    public static final int COMMAND_MASTER = 0x0004;
    public static final int COMMAND_PARITY = 0x0040;
    public static final int COMMAND_SERR = 0x0100;
    public static final int COMMAND_INTX_DISABLE = 0x0400;

    public static final int STATUS_INTERRUPT = 0x0008;
    public static final int STATUS_CAP_LIST = 0x0010;
    public static final int STATUS_PARITY = 0x0100;
    public static final int STATUS_SIG_TARGET_ABORT = 0x0800;
    public static final int STATUS_REC_TARGET_ABORT = 0x1000;
    public static final int STATUS_REC_MASTER_ABORT = 0x2000;
    public static final int STATUS_SIG_SYSTEM_ERROR = 0x4000;
    public static final int STATUS_DETECTED_PARITY = 0x8000;
    /** The error bits software clears by writing 1 (section 6.2.3). */
    public static final int STATUS_WRITE_1_TO_CLEAR = STATUS_PARITY | STATUS_SIG_TARGET_ABORT
            | STATUS_REC_TARGET_ABORT | STATUS_REC_MASTER_ABORT | STATUS_SIG_SYSTEM_ERROR | STATUS_DETECTED_PARITY;

    public static final int HEADER_TYPE_MULTI_FUNCTION = 0x80;

    public static final int BAR_SPACE_IO = 0x01;
    public static final int BAR_MEM_TYPE_64 = 0x04;
    public static final int BAR_MEM_PREFETCH = 0x08;
    public static final int BAR_MEM_FLAGS_MASK = 0x0f;
    public static final int BAR_IO_FLAGS_MASK = 0x03;

    public static final int CAP_ID_PM = 0x01;
    public static final int CAP_ID_MSI = 0x05;
    public static final int CAP_ID_VNDR = 0x09;
    public static final int CAP_ID_EXP = 0x10;
    public static final int CAP_ID_MSIX = 0x11;
}
