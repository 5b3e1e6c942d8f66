package dev.jvmm.pci;

import dev.jvmm.bus.BusDevice;
import dev.jvmm.bus.GuestAccessLog;
import java.util.Objects;

/**
 * PCI configuration mechanism #1 (PCI 3.0 section 3.2.2.3.2): a 32-bit address register at 0xcf8 and
 * a data window at 0xcfc-0xcff. Register it at {@link #PORT_BASE} for {@link #PORT_COUNT} ports.
 *
 * <pre>
 *  0xcf8  bit 31     enable (config cycle on data-port accesses)
 *         bits 23:16 bus, 15:11 device, 10:8 function, 7:2 dword register, 1:0 read as 0
 *  0xcfc  data: register (0xcf8 & 0xfc) + (port - 0xcfc), 1, 2 or 4 bytes
 * </pre>
 *
 * <p>Only dword accesses reach the address register (as on Intel chipsets, where byte accesses to
 * 0xcf8-0xcfb belong to other registers); other accesses there read all-ones and are dropped. Data
 * accesses with enable clear, or to a bus other than this one, read all-ones. Thread-safe: the address
 * register is shared by all vCPUs, as in hardware, and each access is atomic.
 */
public final class PciConfigIo implements BusDevice {
    public static final long PORT_BASE = 0xcf8;
    public static final int PORT_COUNT = 8;

    private static final int ENABLE = 0x8000_0000;
    /** Bits that hold state: enable, bus, device, function, register; the reserved ones read 0. */
    private static final int ADDRESS_BITS = ENABLE | 0x00ff_fffc;
    private static final int DATA = 4;

    private final PciBus bus;
    private final GuestAccessLog ignored;
    private int address;

    public PciConfigIo(PciBus bus) {
        this.bus = Objects.requireNonNull(bus, "bus");
        this.ignored = new GuestAccessLog("pci config ports", System.getLogger(PciConfigIo.class.getName()));
    }

    /** The current value of the address register. */
    public synchronized int address() {
        return address;
    }

    @Override
    public synchronized long read(long offset, int size) {
        if (offset == 0 && size == 4) {
            return address & 0xffff_ffffL;
        }
        if (isData(offset, size)) {
            if (!targetsThisBus()) {
                return PciBus.allOnes(size) & 0xffff_ffffL;
            }
            return bus.configRead(device(), function(), register(offset), size) & 0xffff_ffffL;
        }
        ignored.ignored(() -> size + "-byte read of port 0x" + Long.toHexString(PORT_BASE + offset));
        return size >= 8 ? -1L : (1L << (8 * size)) - 1;
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        if (offset == 0 && size == 4) {
            address = (int) value & ADDRESS_BITS;
        } else if (isData(offset, size)) {
            if (targetsThisBus()) {
                bus.configWrite(device(), function(), register(offset), size, (int) value);
            }
        } else {
            ignored.ignored(() -> String.format("%d-byte write of 0x%x to port 0x%x", size, value, PORT_BASE + offset));
        }
    }

    private static boolean isData(long offset, int size) {
        return (size == 1 || size == 2 || size == 4) && offset >= DATA && offset + size <= PORT_COUNT;
    }

    private boolean targetsThisBus() {
        return (address & ENABLE) != 0 && (address >>> 16 & 0xff) == bus.number();
    }

    private int device() {
        return address >>> 11 & 0x1f;
    }

    private int function() {
        return address >>> 8 & 0x7;
    }

    private int register(long offset) {
        return (address & 0xfc) + (int) (offset - DATA);
    }
}
