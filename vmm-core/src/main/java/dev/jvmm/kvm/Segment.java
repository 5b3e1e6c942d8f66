package dev.jvmm.kvm;

/**
 * A segment register as KVM holds it (struct kvm_segment): the hidden descriptor cache, not just the
 * selector. {@code type} is the 4-bit descriptor type (Intel SDM Vol. 3A, 3.4.5.1).
 */
public record Segment(long base, int limit, int selector, int type, boolean present, int dpl,
                      boolean db, boolean s, boolean l, boolean g, boolean avl, boolean unusable) {
    public static final int TYPE_DATA_RW_ACCESSED = 0x3;
    public static final int TYPE_CODE_RX_ACCESSED = 0xb;
    public static final int TYPE_TSS_BUSY_64 = 0xb;

    /** Flat 4 GiB code segment; {@code longMode} selects a 64-bit (L=1, D=0) or 32-bit (D=1) one. */
    public static Segment flatCode(int selector, boolean longMode) {
        return new Segment(0, 0xffff_ffff, selector, TYPE_CODE_RX_ACCESSED, true, 0,
                !longMode, true, longMode, true, false, false);
    }

    /** Flat 4 GiB read/write data segment. */
    public static Segment flatData(int selector) {
        return new Segment(0, 0xffff_ffff, selector, TYPE_DATA_RW_ACCESSED, true, 0,
                true, true, false, true, false, false);
    }

    /** A real-mode segment: base = selector × 16, 64 KiB limit. */
    public static Segment realMode(int selector, int type) {
        return new Segment((long) selector << 4, 0xffff, selector, type, true, 0,
                false, true, false, false, false, false);
    }

    /** The 64-bit GDT descriptor this segment corresponds to (for code and data segments). */
    public long gdtEntry() {
        long lim = limit;
        int lim20 = g ? (int) (lim >>> 12) : (int) lim;
        long d = (lim20 & 0xffffL) | ((base & 0xffffffL) << 16);
        d |= ((long) type & 0xf) << 40;
        d |= (s ? 1L : 0L) << 44;
        d |= ((long) dpl & 3) << 45;
        d |= (present ? 1L : 0L) << 47;
        d |= ((long) (lim20 >>> 16) & 0xf) << 48;
        d |= (avl ? 1L : 0L) << 52;
        d |= (l ? 1L : 0L) << 53;
        d |= (db ? 1L : 0L) << 54;
        d |= (g ? 1L : 0L) << 55;
        d |= ((base >>> 24) & 0xffL) << 56;
        return d;
    }
}
