package dev.jvmm.vfio.pci;

import dev.jvmm.bus.BusDevice;
import dev.jvmm.bus.GuestAccessLog;
import dev.jvmm.vfio.VfioDevice;
import dev.jvmm.vfio.config.MsixTable;
import dev.jvmm.vfio.kernel.RegionInfo;
import java.util.Optional;

/**
 * Guest accesses to the trapped parts of the BARs (see {@link BarLayout}): inside the MSI-X table they
 * go to the emulated {@link MsixTable}; elsewhere to the device with pread/pwrite of its region (vfio-pci
 * itself refuses the table's bytes there, and lets the pending bit array be read). An access the region
 * does not allow (a write to the ROM), or half inside the table, reads all ones and is dropped, counted.
 * A failing pread/pwrite is a host failure and propagates.
 *
 * <p>Every access holds the device's lock: the MSI-X table and the config space change interrupt
 * routing together.
 */
final class TrappedAccess {

    private static final System.Logger LOG = System.getLogger(TrappedAccess.class.getName());

    private final Object lock;
    private final VfioDevice device;
    private final Optional<MsixTable> msix;
    private final GuestAccessLog ignored;

    TrappedAccess(Object lock, VfioDevice device, Optional<MsixTable> msix) {
        this.lock = lock;
        this.device = device;
        this.msix = msix;
        this.ignored = new GuestAccessLog("vfio " + device.address(), LOG);
    }

    /** The bus device for trapped piece {@code [base, ...)} of BAR {@code bar}: offsets become BAR offsets. */
    BusDevice piece(int bar, long base) {
        return new BusDevice() {
            @Override
            public long read(long offset, int size) {
                return TrappedAccess.this.read(bar, base + offset, size);
            }

            @Override
            public void write(long offset, int size, long value) {
                TrappedAccess.this.write(bar, base + offset, size, value);
            }
        };
    }

    long read(int bar, long offset, int size) {
        synchronized (lock) {
            MsixTable table = table(bar, offset, size);
            if (table != null) {
                return table.read(offset - table.tableOffset(), size);
            }
            RegionInfo r = device.region(bar).orElse(null);
            if (r == null || !r.readable() || straddlesTable(bar, offset, size) || offset + size > r.size()) {
                ignored.ignored(() -> size + "-byte read of BAR " + bar + " at 0x" + Long.toHexString(offset));
                return size == 8 ? -1L : (1L << (8 * size)) - 1;
            }
            return device.readRegion(bar, offset, size);
        }
    }

    void write(int bar, long offset, int size, long value) {
        synchronized (lock) {
            MsixTable table = table(bar, offset, size);
            if (table != null) {
                table.write(offset - table.tableOffset(), size, value);
                return;
            }
            RegionInfo r = device.region(bar).orElse(null);
            if (r == null || !r.writable() || straddlesTable(bar, offset, size) || offset + size > r.size()) {
                ignored.ignored(() -> size + "-byte write of BAR " + bar + " at 0x" + Long.toHexString(offset));
                return;
            }
            device.writeRegion(bar, offset, size, value);
        }
    }

    /** The MSI-X table if the access lies wholly inside it. */
    private MsixTable table(int bar, long offset, int size) {
        return msix.filter(t -> t.tableBar() == bar && offset >= t.tableOffset()
                && offset + size <= t.tableOffset() + t.tableSize()).orElse(null);
    }

    private boolean straddlesTable(int bar, long offset, int size) {
        return msix.filter(t -> t.tableBar() == bar && offset < t.tableOffset() + t.tableSize()
                && t.tableOffset() < offset + size).isPresent();
    }

    /** Guest accesses dropped so far. */
    long ignoredAccesses() {
        return ignored.count();
    }
}
