package dev.jvmm.vfio.config;

/**
 * A BAR as the guest has programmed it: the address in its register(s) (for I/O BARs the port), and
 * whether that is mapped.
 */
public record BarState(BarSpec spec, long address, BarStatus status) {

    @Override
    public String toString() {
        return String.format("BAR %d %s size 0x%x at 0x%x: %s", spec.index(), spec.kind(), spec.size(), address, status);
    }
}
