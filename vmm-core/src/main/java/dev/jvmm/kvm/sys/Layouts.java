package dev.jvmm.kvm.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Building blocks shared by the struct classes: the uapi scalar types as layouts, padding, field handles
 * bound to offset 0, flexible-array allocation, and range checks for narrow unsigned fields.
 *
 * <p>All scalar layouts are in native byte order with their natural alignment, which is what
 * {@code __u8 … __u64} are on x86_64. {@link MemoryLayout#structLayout} rejects a member that is not
 * aligned, so a missing padding layout is caught when the class initializes, and the size, offset and
 * alignment of every named member are compared with gcc's by {@code KvmAbiTest}.
 */
public final class Layouts {

    /** Unnamed scalar layouts, for array elements. */
    public static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
    public static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT;
    public static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT;
    public static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG;

    private Layouts() {}

    /** {@code __u8} (read it with {@link Byte#toUnsignedInt}). */
    public static ValueLayout.OfByte u8(String name) {
        return ValueLayout.JAVA_BYTE.withName(name);
    }

    /** {@code __u16} (read it with {@link Short#toUnsignedInt}). */
    public static ValueLayout.OfShort u16(String name) {
        return ValueLayout.JAVA_SHORT.withName(name);
    }

    /** {@code __u32} or {@code __s32}: Java holds the bit pattern in an {@code int}. */
    public static ValueLayout.OfInt u32(String name) {
        return ValueLayout.JAVA_INT.withName(name);
    }

    /** {@code __u64} or {@code __s64}: Java holds the bit pattern in a {@code long}. */
    public static ValueLayout.OfLong u64(String name) {
        return ValueLayout.JAVA_LONG.withName(name);
    }

    /** A named array {@code type name[count]}. */
    public static SequenceLayout array(String name, long count, MemoryLayout element) {
        return MemoryLayout.sequenceLayout(count, element).withName(name);
    }

    /**
     * A flexible array member {@code type name[]}: zero elements long, so the enclosing struct has the
     * same {@code sizeof} as in C and the member's offset is where entry 0 starts.
     */
    public static SequenceLayout flexibleArray(String name, MemoryLayout element) {
        return MemoryLayout.sequenceLayout(0, element).withName(name);
    }

    /** Padding the C compiler inserts silently; named C pad fields are {@link #array arrays} instead. */
    public static MemoryLayout pad(long bytes) {
        return MemoryLayout.paddingLayout(bytes);
    }

    /** A named top-level struct; the name is the C struct tag, which the ABI test uses. */
    public static StructLayout struct(String tag, MemoryLayout... members) {
        return MemoryLayout.structLayout(members).withName(tag);
    }

    /**
     * The path element that selects an anonymous C member (an unnamed union) by its position, because an
     * anonymous member has no name to select it by.
     */
    public static PathElement anonymous(GroupLayout parent, MemoryLayout member) {
        int index = parent.memberLayouts().indexOf(member);
        if (index < 0) {
            throw new IllegalArgumentException(member + " is not a member of " + parent);
        }
        return PathElement.groupElement(index);
    }

    /**
     * A handle for the field at {@code path} whose only coordinate is the struct's segment (plus one
     * {@code long} index per open {@code sequenceElement()} in the path). {@link MemoryLayout#varHandle}
     * adds a base-offset coordinate; this binds it to 0.
     */
    public static VarHandle field(MemoryLayout layout, PathElement... path) {
        return MethodHandles.insertCoordinates(layout.varHandle(path), 1, 0L);
    }

    /** Shorthand for {@link #field} on a path of member names. */
    public static VarHandle field(MemoryLayout layout, String... names) {
        PathElement[] path = new PathElement[names.length];
        for (int i = 0; i < names.length; i++) {
            path[i] = PathElement.groupElement(names[i]);
        }
        return field(layout, path);
    }

    /**
     * Allocates, zeroed, a struct ending in a flexible array with room for {@code count} entries. The
     * caller stores {@code count} in the struct's own count field.
     */
    public static MemorySegment allocateFlexible(Arena arena, StructLayout header, MemoryLayout entry,
                                                 int count) {
        if (count < 0) {
            throw new IllegalArgumentException("entry count must be >= 0, got " + count);
        }
        long bytes = Math.addExact(header.byteSize(), Math.multiplyExact(entry.byteSize(), (long) count));
        long alignment = Math.max(header.byteAlignment(), entry.byteAlignment());
        return arena.allocate(bytes, alignment);
    }

    /** Entry {@code index} of the flexible array that starts at {@code entriesOffset} in {@code struct}. */
    public static MemorySegment flexibleEntry(MemorySegment struct, long entriesOffset, MemoryLayout entry,
                                              int index) {
        long capacity = (struct.byteSize() - entriesOffset) / entry.byteSize();
        if (index < 0 || index >= capacity) {
            throw new IndexOutOfBoundsException(
                    "entry " + index + " is outside the " + capacity + " entries this segment has room for");
        }
        return struct.asSlice(entriesOffset + entry.byteSize() * index, entry);
    }

    /** Narrows to a {@code __u8}, refusing values that would be silently truncated. */
    public static byte checkU8(String field, int value) {
        if ((value & ~0xFF) != 0) {
            throw new IllegalArgumentException(field + " is a __u8: " + value + " is outside 0..255");
        }
        return (byte) value;
    }

    /** Narrows to a {@code __u16}, refusing values that would be silently truncated. */
    public static short checkU16(String field, int value) {
        if ((value & ~0xFFFF) != 0) {
            throw new IllegalArgumentException(field + " is a __u16: " + value + " is outside 0..65535");
        }
        return (short) value;
    }
}
