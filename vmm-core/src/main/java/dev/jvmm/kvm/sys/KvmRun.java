package dev.jvmm.kvm.sys;

import static dev.jvmm.kvm.sys.Layouts.U64;
import static dev.jvmm.kvm.sys.Layouts.U8;
import static dev.jvmm.kvm.sys.Layouts.array;
import static dev.jvmm.kvm.sys.Layouts.checkU8;
import static dev.jvmm.kvm.sys.Layouts.pad;
import static dev.jvmm.kvm.sys.Layouts.u16;
import static dev.jvmm.kvm.sys.Layouts.u32;
import static dev.jvmm.kvm.sys.Layouts.u64;
import static dev.jvmm.kvm.sys.Layouts.u8;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.UnionLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct kvm_run}: the page a vCPU fd maps at offset 0 ({@code KVM_GET_VCPU_MMAP_SIZE} bytes, more
 * than {@link #LAYOUT}'s size: the PIO data page follows). {@code KVM_RUN} reads the "in" header fields
 * and, on return, fills {@code exit_reason} and the member of the anonymous exit union it names.
 *
 * <p>Modelled exit members: {@code hw} (UNKNOWN), {@code fail_entry}, {@code ex}, {@code io},
 * {@code debug}, {@code mmio}, {@code internal}, {@code system_event}; {@code padding[256]} fixes the
 * union's size whatever else the kernel puts there. The anonymous C unions are unnamed layouts here,
 * selected by position ({@link Layouts#anonymous}) where C paths simply leave them out. The sync-regs
 * area {@code s} is modelled only by its size.
 */
public final class KvmRun {

    /** {@code SYNC_REGS_SIZE_BYTES}: the size of the {@code s} union. */
    public static final int SYNC_REGS_SIZE_BYTES = 2048;

    private static final UnionLayout SYSTEM_EVENT_FLAGS_DATA =
            MemoryLayout.unionLayout(u64("flags"), array("data", 16, U64));

    private static final UnionLayout EXIT = MemoryLayout.unionLayout(
            MemoryLayout.structLayout(
                    u64("hardware_exit_reason")).withName("hw"),
            MemoryLayout.structLayout(
                    u64("hardware_entry_failure_reason"), u32("cpu"), pad(4)).withName("fail_entry"),
            MemoryLayout.structLayout(
                    u32("exception"), u32("error_code")).withName("ex"),
            MemoryLayout.structLayout(
                    u8("direction"), u8("size"), u16("port"), u32("count"), u64("data_offset")).withName("io"),
            MemoryLayout.structLayout(
                    KvmDebugExitArch.LAYOUT.withName("arch")).withName("debug"),
            MemoryLayout.structLayout(
                    u64("phys_addr"), array("data", 8, U8), u32("len"), u8("is_write"), pad(3)).withName("mmio"),
            MemoryLayout.structLayout(
                    u32("suberror"), u32("ndata"), array("data", 16, U64)).withName("internal"),
            MemoryLayout.structLayout(
                    u32("type"), u32("ndata"), SYSTEM_EVENT_FLAGS_DATA).withName("system_event"),
            array("padding", 256, U8));

    public static final StructLayout LAYOUT = Layouts.struct("kvm_run",
            u8("request_interrupt_window"),
            u8("immediate_exit"),
            array("padding1", 6, U8),
            u32("exit_reason"),
            u8("ready_for_interrupt_injection"),
            u8("if_flag"),
            u16("flags"),
            u64("cr8"),
            u64("apic_base"),
            EXIT,
            u64("kvm_valid_regs"),
            u64("kvm_dirty_regs"),
            MemoryLayout.unionLayout(array("padding", SYNC_REGS_SIZE_BYTES, U8)).withName("s"));

    private static final PathElement EXIT_UNION = Layouts.anonymous(LAYOUT, EXIT);

    public static final VarHandle REQUEST_INTERRUPT_WINDOW = Layouts.field(LAYOUT, "request_interrupt_window");
    public static final VarHandle IMMEDIATE_EXIT = Layouts.field(LAYOUT, "immediate_exit");
    public static final VarHandle EXIT_REASON = Layouts.field(LAYOUT, "exit_reason");
    public static final VarHandle READY_FOR_INTERRUPT_INJECTION =
            Layouts.field(LAYOUT, "ready_for_interrupt_injection");
    public static final VarHandle IF_FLAG = Layouts.field(LAYOUT, "if_flag");
    public static final VarHandle FLAGS = Layouts.field(LAYOUT, "flags");
    public static final VarHandle CR8 = Layouts.field(LAYOUT, "cr8");
    public static final VarHandle APIC_BASE = Layouts.field(LAYOUT, "apic_base");

    public static final VarHandle HW_HARDWARE_EXIT_REASON = exitField("hw", "hardware_exit_reason");
    public static final VarHandle FAIL_ENTRY_HARDWARE_ENTRY_FAILURE_REASON =
            exitField("fail_entry", "hardware_entry_failure_reason");
    public static final VarHandle FAIL_ENTRY_CPU = exitField("fail_entry", "cpu");
    public static final VarHandle EX_EXCEPTION = exitField("ex", "exception");
    public static final VarHandle EX_ERROR_CODE = exitField("ex", "error_code");
    public static final VarHandle IO_DIRECTION = exitField("io", "direction");
    public static final VarHandle IO_SIZE = exitField("io", "size");
    public static final VarHandle IO_PORT = exitField("io", "port");
    public static final VarHandle IO_COUNT = exitField("io", "count");
    public static final VarHandle IO_DATA_OFFSET = exitField("io", "data_offset");
    public static final VarHandle MMIO_PHYS_ADDR = exitField("mmio", "phys_addr");
    public static final VarHandle MMIO_LEN = exitField("mmio", "len");
    public static final VarHandle MMIO_IS_WRITE = exitField("mmio", "is_write");
    public static final VarHandle INTERNAL_SUBERROR = exitField("internal", "suberror");
    public static final VarHandle INTERNAL_NDATA = exitField("internal", "ndata");
    /** {@code internal.data[i]}: coordinates (segment, long i). */
    public static final VarHandle INTERNAL_DATA = Layouts.field(LAYOUT, EXIT_UNION,
            PathElement.groupElement("internal"), PathElement.groupElement("data"), PathElement.sequenceElement());
    public static final VarHandle SYSTEM_EVENT_TYPE = exitField("system_event", "type");
    public static final VarHandle SYSTEM_EVENT_NDATA = exitField("system_event", "ndata");
    public static final VarHandle SYSTEM_EVENT_FLAGS = Layouts.field(LAYOUT, EXIT_UNION,
            PathElement.groupElement("system_event"), Layouts.anonymous(systemEvent(), SYSTEM_EVENT_FLAGS_DATA),
            PathElement.groupElement("flags"));
    /** {@code system_event.data[i]}: coordinates (segment, long i). */
    public static final VarHandle SYSTEM_EVENT_DATA = Layouts.field(LAYOUT, EXIT_UNION,
            PathElement.groupElement("system_event"), Layouts.anonymous(systemEvent(), SYSTEM_EVENT_FLAGS_DATA),
            PathElement.groupElement("data"), PathElement.sequenceElement());

    private static final long MMIO_DATA_OFFSET = exitOffset("mmio", "data");
    private static final long DEBUG_ARCH_OFFSET = exitOffset("debug", "arch");

    private KvmRun() {}

    // The "in" fields, set before KVM_RUN.
    public static void setRequestInterruptWindow(MemorySegment s, boolean v) {
        REQUEST_INTERRUPT_WINDOW.set(s, (byte) (v ? 1 : 0));
    }
    public static void setImmediateExit(MemorySegment s, boolean v) { IMMEDIATE_EXIT.set(s, (byte) (v ? 1 : 0)); }
    public static void setCr8(MemorySegment s, long v) { CR8.set(s, v); }
    public static void setApicBase(MemorySegment s, long v) { APIC_BASE.set(s, v); }

    // The header "out" fields.
    /** {@code KVM_EXIT_*}; see {@link KvmExit#name(int)}. */
    public static int exitReason(MemorySegment s) { return (int) EXIT_REASON.get(s); }
    public static boolean immediateExit(MemorySegment s) { return (byte) IMMEDIATE_EXIT.get(s) != 0; }
    public static boolean requestInterruptWindow(MemorySegment s) {
        return (byte) REQUEST_INTERRUPT_WINDOW.get(s) != 0;
    }
    public static boolean readyForInterruptInjection(MemorySegment s) {
        return (byte) READY_FOR_INTERRUPT_INJECTION.get(s) != 0;
    }
    public static boolean ifFlag(MemorySegment s) { return (byte) IF_FLAG.get(s) != 0; }
    /** {@code KVM_RUN_X86_*} bits. */
    public static int flags(MemorySegment s) { return Short.toUnsignedInt((short) FLAGS.get(s)); }
    public static long cr8(MemorySegment s) { return (long) CR8.get(s); }
    public static long apicBase(MemorySegment s) { return (long) APIC_BASE.get(s); }

    // KVM_EXIT_UNKNOWN, KVM_EXIT_FAIL_ENTRY, KVM_EXIT_EXCEPTION, KVM_EXIT_DEBUG
    public static long hwHardwareExitReason(MemorySegment s) { return (long) HW_HARDWARE_EXIT_REASON.get(s); }
    public static long failEntryHardwareEntryFailureReason(MemorySegment s) {
        return (long) FAIL_ENTRY_HARDWARE_ENTRY_FAILURE_REASON.get(s);
    }
    public static int failEntryCpu(MemorySegment s) { return (int) FAIL_ENTRY_CPU.get(s); }
    public static int exException(MemorySegment s) { return (int) EX_EXCEPTION.get(s); }
    public static int exErrorCode(MemorySegment s) { return (int) EX_ERROR_CODE.get(s); }
    /** {@code debug.arch}, to be used with {@link KvmDebugExitArch}. */
    public static MemorySegment debugArch(MemorySegment s) {
        return s.asSlice(DEBUG_ARCH_OFFSET, KvmDebugExitArch.LAYOUT);
    }

    // KVM_EXIT_IO
    /** {@code KVM_EXIT_IO_IN} or {@code KVM_EXIT_IO_OUT}. */
    public static int ioDirection(MemorySegment s) { return Byte.toUnsignedInt((byte) IO_DIRECTION.get(s)); }
    /** Bytes per access: 1, 2 or 4. */
    public static int ioSize(MemorySegment s) { return Byte.toUnsignedInt((byte) IO_SIZE.get(s)); }
    public static int ioPort(MemorySegment s) { return Short.toUnsignedInt((short) IO_PORT.get(s)); }
    /** Repetitions (string I/O); the data holds {@code size * count} bytes. */
    public static int ioCount(MemorySegment s) { return (int) IO_COUNT.get(s); }
    /** Where the data sits, relative to the start of the mapping. */
    public static long ioDataOffset(MemorySegment s) { return (long) IO_DATA_OFFSET.get(s); }
    /**
     * The {@code size * count} data bytes of a port I/O exit, to read for OUT and fill for IN. {@code s}
     * must be the whole vCPU mapping, since the data lies past {@code struct kvm_run}.
     */
    public static MemorySegment ioData(MemorySegment s) {
        return s.asSlice(ioDataOffset(s), (long) ioSize(s) * Integer.toUnsignedLong(ioCount(s)));
    }

    // KVM_EXIT_MMIO
    public static long mmioPhysAddr(MemorySegment s) { return (long) MMIO_PHYS_ADDR.get(s); }
    /** Bytes accessed, at most 8. */
    public static int mmioLen(MemorySegment s) { return (int) MMIO_LEN.get(s); }
    public static boolean mmioIsWrite(MemorySegment s) { return (byte) MMIO_IS_WRITE.get(s) != 0; }
    /** The first {@code len} bytes of {@code mmio.data}: read them for a write, fill them for a read. */
    public static MemorySegment mmioData(MemorySegment s) {
        int len = mmioLen(s);
        if (len < 0 || len > 8) {
            throw new IllegalStateException("kvm_run.mmio.len is " + len + ": KVM never reports more than 8");
        }
        return s.asSlice(MMIO_DATA_OFFSET, len);
    }

    // KVM_EXIT_INTERNAL_ERROR
    /** {@code KVM_INTERNAL_ERROR_*}. */
    public static int internalSuberror(MemorySegment s) { return (int) INTERNAL_SUBERROR.get(s); }
    public static int internalNdata(MemorySegment s) { return (int) INTERNAL_NDATA.get(s); }
    public static long internalData(MemorySegment s, int i) { return (long) INTERNAL_DATA.get(s, (long) i); }

    // KVM_EXIT_SYSTEM_EVENT
    /** {@code KVM_SYSTEM_EVENT_*}. */
    public static int systemEventType(MemorySegment s) { return (int) SYSTEM_EVENT_TYPE.get(s); }
    public static int systemEventNdata(MemorySegment s) { return (int) SYSTEM_EVENT_NDATA.get(s); }
    public static long systemEventFlags(MemorySegment s) { return (long) SYSTEM_EVENT_FLAGS.get(s); }
    public static long systemEventData(MemorySegment s, int i) { return (long) SYSTEM_EVENT_DATA.get(s, (long) i); }

    /** For tests and for building exits in fakes: sets {@code exit_reason}. */
    public static void setExitReason(MemorySegment s, int v) { EXIT_REASON.set(s, v); }

    /** For fakes of port I/O exits: sets the {@code io} member. */
    public static void setIo(MemorySegment s, int direction, int size, int port, int count, long dataOffset) {
        IO_DIRECTION.set(s, checkU8("io.direction", direction));
        IO_SIZE.set(s, checkU8("io.size", size));
        IO_PORT.set(s, Layouts.checkU16("io.port", port));
        IO_COUNT.set(s, count);
        IO_DATA_OFFSET.set(s, dataOffset);
    }

    /** For fakes of MMIO exits: sets the {@code mmio} member (data is left to the caller). */
    public static void setMmio(MemorySegment s, long physAddr, int len, boolean isWrite) {
        MMIO_PHYS_ADDR.set(s, physAddr);
        MMIO_LEN.set(s, len);
        MMIO_IS_WRITE.set(s, (byte) (isWrite ? 1 : 0));
    }

    private static VarHandle exitField(String member, String field) {
        return Layouts.field(LAYOUT, EXIT_UNION, PathElement.groupElement(member), PathElement.groupElement(field));
    }

    private static long exitOffset(String member, String field) {
        return LAYOUT.byteOffset(EXIT_UNION, PathElement.groupElement(member), PathElement.groupElement(field));
    }

    private static StructLayout systemEvent() {
        return (StructLayout) EXIT.select(PathElement.groupElement("system_event"));
    }
}
