package dev.jvmm.vfio.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A model of a physical PCI function's 4 KiB config space as vfio-pci would show it: bytes, plus per-byte
 * masks of the bits hardware lets software write and of its write-1-to-clear bits. It records every write
 * it receives and fails (AssertionError) on an access no correct caller makes: a size other than 1, 2
 * or 4, or crossing a 4-byte boundary, or outside 4 KiB.
 */
final class FakePciDevice implements DeviceConfigAccess {

    record Write(int offset, int width, int value) {}

    private final byte[] bytes = new byte[4096];
    private final byte[] writable = new byte[4096];
    private final byte[] writeOneToClear = new byte[4096];
    final List<Write> writes = new ArrayList<>();
    long reads;

    /** Sets {@code width} bytes at {@code offset}, with hardware write masks. */
    FakePciDevice set(int offset, int width, int value, int hwWritable, int hwWriteOneToClear) {
        for (int i = 0; i < width; i++) {
            bytes[offset + i] = (byte) (value >>> (8 * i));
            writable[offset + i] = (byte) (hwWritable >>> (8 * i));
            writeOneToClear[offset + i] = (byte) (hwWriteOneToClear >>> (8 * i));
        }
        return this;
    }

    /** Sets read-only bytes. */
    FakePciDevice set(int offset, int width, int value) {
        return set(offset, width, value, 0, 0);
    }

    /** The raw current value, bypassing the access checks (for assertions). */
    int peek(int offset, int width) {
        int v = 0;
        for (int i = 0; i < width; i++) {
            v |= (bytes[offset + i] & 0xff) << (8 * i);
        }
        return v;
    }

    @Override
    public int read(int offset, int width) {
        check(offset, width);
        reads++;
        return peek(offset, width);
    }

    @Override
    public void write(int offset, int width, int value) {
        check(offset, width);
        writes.add(new Write(offset, width, value));
        for (int i = 0; i < width; i++) {
            int at = offset + i;
            int v = (value >>> (8 * i)) & 0xff;
            int w = writable[at] & 0xff;
            int c = writeOneToClear[at] & 0xff;
            bytes[at] = (byte) (((bytes[at] & 0xff) & ~w & ~(v & c)) | (v & w));
        }
    }

    private static void check(int offset, int width) {
        if ((width != 1 && width != 2 && width != 4) || offset < 0 || offset + width > 4096
                || (offset & 3) + width > 4) {
            throw new AssertionError("illegal device config access: " + width + " bytes at 0x" + Integer.toHexString(offset));
        }
    }
}
