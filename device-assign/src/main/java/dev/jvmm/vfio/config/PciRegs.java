package dev.jvmm.vfio.config;

/**
 * Offsets and bits of the PCI configuration space used here, named as in linux/pci_regs.h (which
 * {@code PciRegsTest} compares them with).
 */
public final class PciRegs {

    public static final int PCI_CFG_SPACE_SIZE = 256;
    public static final int PCI_CFG_SPACE_EXP_SIZE = 4096;
    public static final int PCI_STD_HEADER_SIZEOF = 64;

    public static final int PCI_VENDOR_ID = 0x00;
    public static final int PCI_DEVICE_ID = 0x02;
    public static final int PCI_COMMAND = 0x04;
    public static final int PCI_COMMAND_IO = 0x1;
    public static final int PCI_COMMAND_MEMORY = 0x2;
    public static final int PCI_COMMAND_MASTER = 0x4;
    public static final int PCI_COMMAND_PARITY = 0x40;
    public static final int PCI_COMMAND_SERR = 0x100;
    public static final int PCI_COMMAND_INTX_DISABLE = 0x400;
    public static final int PCI_STATUS = 0x06;
    public static final int PCI_STATUS_INTERRUPT = 0x08;
    public static final int PCI_STATUS_CAP_LIST = 0x10;
    public static final int PCI_STATUS_PARITY = 0x100;
    public static final int PCI_STATUS_SIG_TARGET_ABORT = 0x800;
    public static final int PCI_STATUS_REC_TARGET_ABORT = 0x1000;
    public static final int PCI_STATUS_REC_MASTER_ABORT = 0x2000;
    public static final int PCI_STATUS_SIG_SYSTEM_ERROR = 0x4000;
    public static final int PCI_STATUS_DETECTED_PARITY = 0x8000;
    public static final int PCI_CLASS_REVISION = 0x08;
    public static final int PCI_CACHE_LINE_SIZE = 0x0c;
    public static final int PCI_LATENCY_TIMER = 0x0d;
    public static final int PCI_HEADER_TYPE = 0x0e;
    public static final int PCI_HEADER_TYPE_MASK = 0x7f;
    public static final int PCI_HEADER_TYPE_NORMAL = 0;
    public static final int PCI_BIST = 0x0f;
    public static final int PCI_BASE_ADDRESS_0 = 0x10;
    public static final int PCI_BASE_ADDRESS_SPACE_IO = 0x01;
    public static final int PCI_BASE_ADDRESS_MEM_TYPE_MASK = 0x06;
    public static final int PCI_BASE_ADDRESS_MEM_TYPE_32 = 0x00;
    public static final int PCI_BASE_ADDRESS_MEM_TYPE_1M = 0x02;
    public static final int PCI_BASE_ADDRESS_MEM_TYPE_64 = 0x04;
    public static final int PCI_BASE_ADDRESS_MEM_PREFETCH = 0x08;
    public static final int PCI_CARDBUS_CIS = 0x28;
    public static final int PCI_SUBSYSTEM_VENDOR_ID = 0x2c;
    public static final int PCI_ROM_ADDRESS = 0x30;
    public static final int PCI_ROM_ADDRESS_ENABLE = 0x01;
    public static final int PCI_CAPABILITY_LIST = 0x34;
    public static final int PCI_INTERRUPT_LINE = 0x3c;
    public static final int PCI_INTERRUPT_PIN = 0x3d;
    public static final int PCI_MIN_GNT = 0x3e;

    public static final int PCI_CAP_LIST_ID = 0;
    public static final int PCI_CAP_LIST_NEXT = 1;
    public static final int PCI_CAP_ID_PM = 0x01;
    public static final int PCI_CAP_ID_MSI = 0x05;
    public static final int PCI_CAP_ID_VNDR = 0x09;
    public static final int PCI_CAP_ID_EXP = 0x10;
    public static final int PCI_CAP_ID_MSIX = 0x11;

    public static final int PCI_PM_PMC = 2;
    public static final int PCI_PM_CTRL = 4;
    public static final int PCI_PM_SIZEOF = 8;

    public static final int PCI_MSI_FLAGS = 0x02;
    public static final int PCI_MSI_FLAGS_ENABLE = 0x0001;
    public static final int PCI_MSI_FLAGS_QMASK = 0x000e;
    public static final int PCI_MSI_FLAGS_QSIZE = 0x0070;
    public static final int PCI_MSI_FLAGS_64BIT = 0x0080;
    public static final int PCI_MSI_FLAGS_MASKBIT = 0x0100;
    public static final int PCI_MSI_ADDRESS_LO = 0x04;
    public static final int PCI_MSI_ADDRESS_HI = 0x08;
    public static final int PCI_MSI_DATA_32 = 0x08;
    public static final int PCI_MSI_MASK_32 = 0x0c;
    public static final int PCI_MSI_PENDING_32 = 0x10;
    public static final int PCI_MSI_DATA_64 = 0x0c;
    public static final int PCI_MSI_MASK_64 = 0x10;
    public static final int PCI_MSI_PENDING_64 = 0x14;

    public static final int PCI_MSIX_FLAGS = 2;
    public static final int PCI_MSIX_FLAGS_QSIZE = 0x07ff;
    public static final int PCI_MSIX_FLAGS_MASKALL = 0x4000;
    public static final int PCI_MSIX_FLAGS_ENABLE = 0x8000;
    public static final int PCI_MSIX_TABLE = 4;
    public static final int PCI_MSIX_TABLE_BIR = 0x7;
    public static final long PCI_MSIX_TABLE_OFFSET = 0xfffffff8L;
    public static final int PCI_MSIX_PBA = 8;
    public static final int PCI_CAP_MSIX_SIZEOF = 12;
    public static final int PCI_MSIX_ENTRY_SIZE = 16;
    public static final int PCI_MSIX_ENTRY_LOWER_ADDR = 0x0;
    public static final int PCI_MSIX_ENTRY_UPPER_ADDR = 0x4;
    public static final int PCI_MSIX_ENTRY_DATA = 0x8;
    public static final int PCI_MSIX_ENTRY_VECTOR_CTRL = 0xc;
    public static final int PCI_MSIX_ENTRY_CTRL_MASKBIT = 0x1;

    public static final int PCI_EXP_FLAGS = 0x02;
    public static final int PCI_EXP_FLAGS_VERS = 0x000f;
    public static final int PCI_EXP_DEVCTL = 0x08;
    public static final int PCI_EXP_DEVSTA = 0x0a;
    public static final int PCI_EXP_LNKCTL = 0x10;
    public static final int PCI_EXP_LNKSTA = 0x12;
    public static final int PCI_EXP_DEVCTL2 = 0x28;
    public static final int PCI_EXP_DEVSTA2 = 0x2a;
    public static final int PCI_EXP_LNKCTL2 = 0x30;
    public static final int PCI_EXP_LNKSTA2 = 0x32;

    private PciRegs() {}
}
