package dev.jvmm.vfio.fake;

import dev.jvmm.memory.Hva;
import dev.jvmm.vfio.kernel.RegionMapping;

/** A device region "mmap'ed" by the fake kernel: an address range nobody may touch, and its unmapping. */
final class FakeRegionMapping implements RegionMapping {

    private final FakeVfioKernel kernel;
    final FakeHandle device;
    private final long offset;
    private final Hva hva;
    private final long length;
    private boolean open = true;

    FakeRegionMapping(FakeVfioKernel kernel, FakeHandle device, long offset, Hva hva, long length) {
        this.kernel = kernel;
        this.device = device;
        this.offset = offset;
        this.hva = hva;
        this.length = length;
    }

    @Override
    public Hva hva() {
        return hva;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        if (open) {
            open = false;
            kernel.unmapped(this);
        }
    }

    @Override
    public String toString() {
        return device.name + " offset=0x" + Long.toHexString(offset) + " length=0x" + Long.toHexString(length);
    }
}
