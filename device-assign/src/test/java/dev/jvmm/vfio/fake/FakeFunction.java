package dev.jvmm.vfio.fake;

import static dev.jvmm.vfio.sys.VfioConstants.*;

import dev.jvmm.pci.PciBdf;
import dev.jvmm.vfio.kernel.IrqInfo;
import dev.jvmm.vfio.kernel.RegionInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One host PCI function in the fake host: what sysfs shows (IDs, driver, group) and what vfio-pci would
 * report once it is open (regions, IRQs, reset), plus the bytes behind its regions.
 */
public final class FakeFunction {

    /** Where vfio-pci places region {@code i} in the device fd: {@code i << VFIO_PCI_OFFSET_SHIFT}. */
    public static final int OFFSET_SHIFT = 40;

    private final FakeHost host;
    final PciBdf address;
    final int group;
    int vendor = 0x1b36;
    int device = 0x0010;
    int classCode = 0x010802;
    String driver = "vfio-pci";
    int deviceFlags = VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET;
    final List<RegionInfo> regions = new ArrayList<>();
    final List<IrqInfo> irqs = new ArrayList<>();
    final byte[] config = new byte[4096];
    final Map<Long, Byte> regionBytes = new HashMap<>();
    /** Another process holds the device (through its cdev or a second group open): GET_DEVICE_FD says EBUSY. */
    boolean inUseElsewhere;
    int resets;
    /** The interrupt index vfio-pci has on (INTx, MSI or MSI-X), -1 for none. */
    int irqType = -1;
    /** The INTx unmask eventfd's name, null when none. */
    String unmaskEventfd;

    FakeFunction(FakeHost host, PciBdf address, int group) {
        this.host = host;
        this.address = address;
        this.group = group;
        nvmeLike();
    }

    public static long regionOffset(int index) {
        return (long) index << OFFSET_SHIFT;
    }

    /**
     * An NVMe controller as QEMU's emulated one looks through vfio-pci: BAR0 of 16 KiB, mmap-able except
     * the page holding its MSI-X table (sparse areas), BARs 1-5 and the ROM absent, 4 KiB of config space,
     * no VGA region (EINVAL), INTx, MSI, 65 MSI-X vectors, error and request IRQs.
     */
    private void nvmeLike() {
        int rw = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;
        regions.add(new RegionInfo(0, rw | VFIO_REGION_INFO_FLAG_MMAP | VFIO_REGION_INFO_FLAG_CAPS, 0x4000,
                regionOffset(0), Optional.of(List.of(new RegionInfo.Area(0, 0x2000), new RegionInfo.Area(0x3000, 0x1000))),
                Optional.empty(), false));
        for (int i = 1; i <= VFIO_PCI_ROM_REGION_INDEX; i++) {
            regions.add(RegionInfo.plain(i, 0, 0, regionOffset(i)));
        }
        regions.add(RegionInfo.plain(VFIO_PCI_CONFIG_REGION_INDEX, rw, 4096, regionOffset(VFIO_PCI_CONFIG_REGION_INDEX)));
        regions.add(null); // VGA: EINVAL
        irqs.add(new IrqInfo(VFIO_PCI_INTX_IRQ_INDEX,
                VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE | VFIO_IRQ_INFO_AUTOMASKED, 1));
        irqs.add(new IrqInfo(VFIO_PCI_MSI_IRQ_INDEX, VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE, 1));
        irqs.add(new IrqInfo(VFIO_PCI_MSIX_IRQ_INDEX, VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE, 65));
        irqs.add(new IrqInfo(VFIO_PCI_ERR_IRQ_INDEX, VFIO_IRQ_INFO_EVENTFD, 1));
        irqs.add(new IrqInfo(VFIO_PCI_REQ_IRQ_INDEX, VFIO_IRQ_INFO_EVENTFD, 1));
        writeIds();
    }

    /**
     * The config space QEMU's NVMe shows through vfio-pci: BAR0 64-bit memory, status with the capability
     * list, INTA#, then PM (0x40) -> MSI (0x50: 64-bit, per-vector masking, 1 vector) -> PCIe (0x70) ->
     * MSI-X (0xb0: 65 vectors, table at BAR0 + 0x2000, PBA at BAR0 + 0x3000).
     */
    public FakeFunction nvmeConfigSpace() {
        setConfig(0x06, 2, 0x0010);
        setConfig(0x0e, 1, 0x00);
        setConfig(0x10, 4, 0x0000_0004);
        setConfig(0x2c, 4, 0x1100_1af4);
        setConfig(0x34, 1, 0x40);
        setConfig(0x3d, 1, 1);
        setConfig(0x40, 2, 0x01 | 0x50 << 8);
        setConfig(0x42, 2, 0x0003);
        setConfig(0x50, 2, 0x05 | 0x70 << 8);
        setConfig(0x52, 2, 0x0180);
        setConfig(0x70, 2, 0x10 | 0xb0 << 8);
        setConfig(0x72, 2, 0x0002);
        setConfig(0xb0, 2, 0x11);
        setConfig(0xb2, 2, 64);
        setConfig(0xb4, 4, 0x2000);
        setConfig(0xb8, 4, 0x3000);
        return this;
    }

    /** Sets {@code width} bytes of config space, as the hardware would show them. */
    public FakeFunction setConfig(int offset, int width, int value) {
        for (int i = 0; i < width; i++) {
            config[offset + i] = (byte) (value >>> (8 * i));
        }
        return this;
    }

    /** Reads {@code width} bytes of config space as they are now. */
    public int configValue(int offset, int width) {
        int v = 0;
        for (int i = 0; i < width; i++) {
            v |= (config[offset + i] & 0xff) << (8 * i);
        }
        return v;
    }

    /** Replaces region {@code index}. */
    public FakeFunction region(RegionInfo region) {
        regions.set(region.index(), region);
        return this;
    }

    /** The interrupt index vfio-pci has enabled: INTx 0, MSI 1, MSI-X 2, or -1. */
    public int irqType() {
        return irqType;
    }

    /** The name of the eventfd vfio-pci unmasks INTx on, or null. */
    public String unmaskEventfd() {
        return unmaskEventfd;
    }

    /** The bytes a pwrite left in region {@code index} at {@code offset} (little-endian, {@code width} bytes). */
    public long regionValue(int index, long offset, int width) {
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = (v << 8) | (regionBytes.getOrDefault(regionOffset(index) + offset + i, (byte) 0) & 0xff);
        }
        return v;
    }

    private void writeIds() {
        setConfig16(0x00, vendor);
        setConfig16(0x02, device);
        config[0x09] = (byte) classCode;
        config[0x0a] = (byte) (classCode >> 8);
        config[0x0b] = (byte) (classCode >> 16);
    }

    private void setConfig16(int offset, int value) {
        config[offset] = (byte) value;
        config[offset + 1] = (byte) (value >> 8);
    }

    public PciBdf address() {
        return address;
    }

    /** The driver sysfs shows; null when unbound. */
    public FakeFunction driver(String name) {
        this.driver = name;
        host.sync();
        return this;
    }

    public FakeFunction ids(int vendorId, int deviceId, int classCode) {
        this.vendor = vendorId;
        this.device = deviceId;
        this.classCode = classCode;
        writeIds();
        host.sync();
        return this;
    }

    public FakeFunction withoutReset() {
        deviceFlags &= ~VFIO_DEVICE_FLAGS_RESET;
        return this;
    }

    public FakeFunction inUseElsewhere(boolean busy) {
        this.inUseElsewhere = busy;
        return this;
    }

    /** How many times VFIO_DEVICE_RESET reached the device. */
    public int resets() {
        return resets;
    }

    public byte configByte(int offset) {
        return config[offset];
    }

    boolean blocksViability() {
        return driver != null && !driver.equals("vfio-pci") && !driver.equals("pci-stub");
    }
}
