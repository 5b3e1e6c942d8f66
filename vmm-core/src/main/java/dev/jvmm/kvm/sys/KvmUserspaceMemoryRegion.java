package dev.jvmm.kvm.sys;

import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u32;
import static dev.jvmm.kvm.sys.Layouts.u64;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct kvm_userspace_memory_region}, the argument of {@code KVM_SET_USER_MEMORY_REGION}: maps
 * {@code memory_size} bytes of this process at {@code userspace_addr} into the guest at
 * {@code guest_phys_addr} as memory slot {@code slot}. A size of 0 deletes the slot.
 */
public final class KvmUserspaceMemoryRegion {

    public static final StructLayout LAYOUT = Layouts.struct("kvm_userspace_memory_region",
            u32("slot"),
            u32("flags"),
            u64("guest_phys_addr"),
            u64("memory_size"),
            u64("userspace_addr"));

    public static final VarHandle SLOT = field(LAYOUT, "slot");
    public static final VarHandle FLAGS = field(LAYOUT, "flags");
    public static final VarHandle GUEST_PHYS_ADDR = field(LAYOUT, "guest_phys_addr");
    public static final VarHandle MEMORY_SIZE = field(LAYOUT, "memory_size");
    public static final VarHandle USERSPACE_ADDR = field(LAYOUT, "userspace_addr");

    private KvmUserspaceMemoryRegion() {}

    public static int slot(MemorySegment s) { return (int) SLOT.get(s); }
    public static void setSlot(MemorySegment s, int v) { SLOT.set(s, v); }
    /** {@code KVM_MEM_*} bits. */
    public static int flags(MemorySegment s) { return (int) FLAGS.get(s); }
    public static void setFlags(MemorySegment s, int v) { FLAGS.set(s, v); }
    public static long guestPhysAddr(MemorySegment s) { return (long) GUEST_PHYS_ADDR.get(s); }
    public static void setGuestPhysAddr(MemorySegment s, long v) { GUEST_PHYS_ADDR.set(s, v); }
    public static long memorySize(MemorySegment s) { return (long) MEMORY_SIZE.get(s); }
    public static void setMemorySize(MemorySegment s, long v) { MEMORY_SIZE.set(s, v); }
    public static long userspaceAddr(MemorySegment s) { return (long) USERSPACE_ADDR.get(s); }
    public static void setUserspaceAddr(MemorySegment s, long v) { USERSPACE_ADDR.set(s, v); }
}
