package dev.jvmm.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RangeTest {

    private static final long GIB = 1L << 30;

    @Test
    void describesItselfWithInclusiveBoundsAndSize() {
        GpaRange hole = GpaRange.of(Gpa.of(3 * GIB), GIB);
        assertEquals("GpaRange[0xc0000000..0xffffffff, 1 GiB]", hole.toString());
        assertEquals(Gpa.of(0xffff_ffffL), hole.last());
        assertEquals(Gpa.of(4 * GIB), hole.end());
        assertEquals("IovaRange[0x0..0x2, 3 bytes]", IovaRange.of(Iova.of(0), 3).toString());
    }

    @Test
    void rangeMayEndExactlyAtTwoToThe64() {
        GpaRange top = GpaRange.of(Gpa.of(-4096L), 4096);
        assertEquals(Gpa.of(-1L), top.last());
        assertTrue(top.contains(Gpa.of(-1L)));
        AddressOverflowException e = assertThrows(AddressOverflowException.class, top::end);
        assertTrue(e.getMessage().contains("0xfffffffffffff000"), e.getMessage());
        GpaRange upperHalf = GpaRange.of(Gpa.of(Long.MIN_VALUE), Long.MIN_VALUE);
        assertEquals(Gpa.of(-1L), upperHalf.last());
        assertEquals(GpaRange.of(Gpa.of(0), -1L), GpaRange.ofInclusive(Gpa.of(0), Gpa.of(-2L)));
    }

    @Test
    void rejectsEmptyAndOverflowingRanges() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> GpaRange.of(Gpa.of(0x1000), 0));
        assertTrue(empty.getMessage().contains("length 0"), empty.getMessage());
        AddressOverflowException past = assertThrows(AddressOverflowException.class,
                () -> IovaRange.of(Iova.of(-4096L), 4097));
        assertTrue(past.getMessage().contains("at most 0x1000 bytes"), past.getMessage());
        assertThrows(AddressOverflowException.class, () -> GpaRange.of(Gpa.of(Long.MIN_VALUE), Long.MIN_VALUE + 1));
        assertThrows(AddressOverflowException.class, () -> GpaRange.ofInclusive(Gpa.of(0), Gpa.of(-1L)));
        assertThrows(IllegalArgumentException.class, () -> GpaRange.ofInclusive(Gpa.of(2), Gpa.of(1)));
        assertThrows(NullPointerException.class, () -> GpaRange.of(null, 1));
    }

    @Test
    void containsOverlapsAndIntersection() {
        GpaRange a = GpaRange.of(Gpa.of(0x1000), 0x1000);
        GpaRange b = GpaRange.of(Gpa.of(0x1800), 0x1000);
        GpaRange adjacent = GpaRange.of(Gpa.of(0x2000), 0x1000);
        assertTrue(a.contains(Gpa.of(0x1fff)));
        assertFalse(a.contains(Gpa.of(0x2000)));
        assertFalse(a.contains(Gpa.of(0xfff)));
        assertTrue(a.overlaps(b));
        assertFalse(a.overlaps(adjacent), "touching ranges do not overlap");
        assertEquals(Optional.of(GpaRange.of(Gpa.of(0x1800), 0x800)), a.intersection(b));
        assertEquals(Optional.empty(), a.intersection(adjacent));
        assertTrue(GpaRange.of(Gpa.of(0), 0x10000).contains(a));
        assertFalse(a.contains(b));
    }

    @Test
    void highHalfRangesCompareUnsigned() {
        IovaRange high = IovaRange.of(Iova.of(Long.MIN_VALUE), 0x1000);
        IovaRange low = IovaRange.of(Iova.of(0), 0x1000);
        assertFalse(high.overlaps(low));
        assertFalse(low.contains(Iova.of(Long.MIN_VALUE)));
        assertTrue(IovaRange.of(Iova.of(0x7fff_ffff_ffff_f000L), 0x2000).overlaps(high));
    }
}
