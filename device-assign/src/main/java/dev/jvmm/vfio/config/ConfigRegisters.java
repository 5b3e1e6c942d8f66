package dev.jvmm.vfio.config;

import java.util.Arrays;

/**
 * The per-byte tables behind the guest's view of the 256-byte config space: the emulated values and the
 * masks of {@link RegisterRule}, spread over bytes. A byte no rule covers is emulated, read-only and
 * 0: everything not explicitly exposed is hidden.
 */
final class ConfigRegisters {

    static final int SIZE = PciRegs.PCI_CFG_SPACE_SIZE;

    private final byte[] value = new byte[SIZE];
    private final byte[] emulated = new byte[SIZE];
    private final byte[] writable = new byte[SIZE];
    private final byte[] writeOneToClear = new byte[SIZE];
    private final byte[] deviceWritable = new byte[SIZE];
    private final byte[] devicePreserved = new byte[SIZE];
    private final String[] owner = new String[SIZE];
    private byte[] initial;

    ConfigRegisters() {
        Arrays.fill(emulated, (byte) 0xff);
    }

    /** Applies {@code rule}, which must not overlap an earlier one. */
    void apply(RegisterRule rule) {
        for (int i = 0; i < rule.width(); i++) {
            int at = rule.offset() + i;
            if (owner[at] != null) {
                throw new IllegalStateException("config byte 0x" + Integer.toHexString(at) + " is claimed by both "
                        + owner[at] + " and " + rule.name());
            }
            owner[at] = rule.name();
            int shift = 8 * i;
            value[at] = (byte) (rule.initial() >>> shift);
            emulated[at] = (byte) (rule.emulated() >>> shift);
            writable[at] = (byte) (rule.writable() >>> shift);
            writeOneToClear[at] = (byte) (rule.writeOneToClear() >>> shift);
            deviceWritable[at] = (byte) (rule.deviceWritable() >>> shift);
            devicePreserved[at] = (byte) (rule.devicePreserved() >>> shift);
        }
    }

    /** Records the current values as the state {@link #reset} returns to. */
    void sealInitialState() {
        initial = value.clone();
    }

    void reset() {
        System.arraycopy(initial, 0, value, 0, SIZE);
    }

    int value(int offset, int width) { return get(value, offset, width); }
    int emulated(int offset, int width) { return get(emulated, offset, width); }
    int writable(int offset, int width) { return get(writable, offset, width); }
    int writeOneToClear(int offset, int width) { return get(writeOneToClear, offset, width); }
    int deviceWritable(int offset, int width) { return get(deviceWritable, offset, width); }
    int devicePreserved(int offset, int width) { return get(devicePreserved, offset, width); }

    /** The rule covering {@code offset}, or null for hidden bytes. */
    String owner(int offset) {
        return owner[offset];
    }

    /** Sets emulated bits directly (the MSI/MSI-X handlers and BAR sizing adjust values this way). */
    void setValue(int offset, int width, int v) {
        for (int i = 0; i < width; i++) {
            value[offset + i] = (byte) (v >>> (8 * i));
        }
    }

    private static int get(byte[] table, int offset, int width) {
        int v = 0;
        for (int i = 0; i < width; i++) {
            v |= (table[offset + i] & 0xff) << (8 * i);
        }
        return v;
    }
}
