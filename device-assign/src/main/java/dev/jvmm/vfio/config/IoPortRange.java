package dev.jvmm.vfio.config;

/**
 * A non-empty range of x86 I/O ports {@code [first, first + length)}, inside the 64 KiB port space.
 */
public record IoPortRange(int first, int length) {

    public static final int PORT_SPACE = 0x1_0000;

    public IoPortRange {
        if (first < 0 || length < 1 || (long) first + length > PORT_SPACE) {
            throw new IllegalArgumentException(String.format(
                    "I/O port range [0x%x, +0x%x) must be non-empty and inside 0x0-0xffff", first, length));
        }
    }

    public static IoPortRange of(int first, int length) {
        return new IoPortRange(first, length);
    }

    /** The highest port inside the range. */
    public int last() {
        return first + length - 1;
    }

    public boolean contains(IoPortRange other) {
        return other.first >= first && other.last() <= last();
    }

    public boolean overlaps(IoPortRange other) {
        return other.first <= last() && first <= other.last();
    }

    @Override
    public String toString() {
        return String.format("IoPortRange[0x%x-0x%x]", first, last());
    }
}
