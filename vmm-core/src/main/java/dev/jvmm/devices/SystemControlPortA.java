package dev.jvmm.devices;

import dev.jvmm.bus.BusDevice;
import dev.jvmm.bus.GuestAccessLog;
import java.util.Objects;

/**
 * PS/2 system control port A at 0x92 ("fast A20 and reset"): bit 1 gates A20, writing bit 0 as 1 resets
 * the CPU. Linux's {@code reboot=} does not use it, but boot loaders and other guests do. KVM never
 * masks A20, so bit 1 is only remembered and read back. Thread-safe; any size or value is accepted.
 */
public final class SystemControlPortA implements BusDevice {
    public static final long PORT = 0x92;

    private static final int FAST_RESET = 0x01;
    private static final int A20 = 0x02;

    private final ResetRequest reset;
    private final GuestAccessLog ignored =
            new GuestAccessLog("port 0x92", System.getLogger(SystemControlPortA.class.getName()));
    private int value = A20;

    public SystemControlPortA(ResetRequest reset) {
        this.reset = Objects.requireNonNull(reset, "reset");
    }

    @Override
    public synchronized long read(long offset, int size) {
        if (offset != 0 || size != 1) {
            ignored.ignored(() -> size + "-byte read at offset " + offset);
            return size >= 8 ? -1L : (1L << (8 * size)) - 1;
        }
        return value;
    }

    @Override
    public synchronized void write(long offset, int size, long v) {
        if (offset != 0 || size != 1) {
            ignored.ignored(() -> size + "-byte write at offset " + offset);
            return;
        }
        value = (int) v & ~FAST_RESET & 0xff; // the reset bit reads back 0 once the pulse is done
        if ((v & FAST_RESET) != 0) {
            reset.request("write of 0x" + Integer.toHexString((int) v & 0xff) + " to port 0x92 set the fast reset bit");
        }
    }

    public synchronized boolean a20() {
        return (value & A20) != 0;
    }
}
