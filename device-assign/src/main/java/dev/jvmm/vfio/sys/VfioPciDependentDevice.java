package dev.jvmm.vfio.sys;

import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u16;
import static dev.jvmm.kvm.sys.Layouts.u32;
import static dev.jvmm.kvm.sys.Layouts.u8;

import dev.jvmm.kvm.sys.Layouts;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct vfio_pci_dependent_device}: one device a hot reset of the queried device also resets,
 * with its IOMMU group. Entry of {@link VfioPciHotResetInfo}. {@code devfn} is
 * {@code slot << 3 | function}.
 */
public final class VfioPciDependentDevice {

    public static final StructLayout LAYOUT = Layouts.struct("vfio_pci_dependent_device",
            u32("group_id"),
            u16("segment"),
            u8("bus"),
            u8("devfn"));

    public static final VarHandle GROUP_ID = field(LAYOUT, "group_id");
    public static final VarHandle SEGMENT = field(LAYOUT, "segment");
    public static final VarHandle BUS = field(LAYOUT, "bus");
    public static final VarHandle DEVFN = field(LAYOUT, "devfn");

    private VfioPciDependentDevice() {}

    public static int groupId(MemorySegment s) { return (int) GROUP_ID.get(s); }
    public static void setGroupId(MemorySegment s, int v) { GROUP_ID.set(s, v); }
    public static int segment(MemorySegment s) { return Short.toUnsignedInt((short) SEGMENT.get(s)); }
    public static void setSegment(MemorySegment s, int v) { SEGMENT.set(s, Layouts.checkU16("segment", v)); }
    public static int bus(MemorySegment s) { return Byte.toUnsignedInt((byte) BUS.get(s)); }
    public static void setBus(MemorySegment s, int v) { BUS.set(s, Layouts.checkU8("bus", v)); }
    public static int devfn(MemorySegment s) { return Byte.toUnsignedInt((byte) DEVFN.get(s)); }
    public static void setDevfn(MemorySegment s, int v) { DEVFN.set(s, Layouts.checkU8("devfn", v)); }
}
