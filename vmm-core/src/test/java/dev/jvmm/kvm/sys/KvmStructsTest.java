package dev.jvmm.kvm.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The Java side of the struct classes: that each field handle touches exactly its member's bytes (the
 * members' offsets themselves are checked against gcc by {@link KvmAbiTest}), flexible-array helpers,
 * range checks and the {@code kvm_run} data helpers.
 */
class KvmStructsTest {

    @Test
    void everyFieldHandleWritesExactlyTheBytesOfTheMemberItIsNamedAfter() throws Exception {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Class<?> c : AbiCoverage.mainClasses(KvmRun.class, 20)) {
            StructLayout layout = AbiCoverage.structLayoutOf(c);
            if (layout == null) {
                continue;
            }
            List<CAbiProbe.Member> members = CAbiProbe.members(layout);
            for (Field f : c.getDeclaredFields()) {
                if (f.getType() != VarHandle.class || !Modifier.isPublic(f.getModifiers())) {
                    continue;
                }
                VarHandle h = (VarHandle) f.get(null);
                String where = c.getSimpleName() + "." + f.getName();
                Optional<CAbiProbe.Member> member = members.stream()
                        .filter(m -> m.cPath().replace('.', '_').toUpperCase().equals(f.getName()))
                        .findFirst();
                if (member.isEmpty()) {
                    wrong.add(where + ": no member of " + layout.name().orElseThrow() + " has this name");
                    continue;
                }
                boolean indexed = h.coordinateTypes().size() == 2;
                long width = sizeOf(h.varType());
                long expectedStart = member.get().offset() + (indexed ? width : 0); // indexed: element 1
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment s = arena.allocate(layout);
                    Object allOnes = allOnes(h.varType());
                    if (indexed) {
                        h.set(s, 1L, allOnes);
                    } else {
                        h.set(s, allOnes);
                    }
                    for (long i = 0; i < s.byteSize(); i++) {
                        boolean inField = i >= expectedStart && i < expectedStart + width;
                        if ((s.get(ValueLayout.JAVA_BYTE, i) != 0) != inField) {
                            wrong.add(where + ": wrote byte " + i + ", expected bytes " + expectedStart + ".."
                                    + (expectedStart + width - 1) + " of " + member.get().cPath());
                            break;
                        }
                    }
                }
                checked++;
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(checked > 100, "only " + checked + " handles checked");
    }

    @Test
    void flexibleArraysAllocateTheirEntriesAfterTheHeaderAndStoreTheCount() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cpuid = KvmCpuid2.allocate(arena, 3);
            assertEquals(3, KvmCpuid2.nent(cpuid));
            assertEquals(8 + 3 * 40, cpuid.byteSize());
            assertEquals(cpuid.address() + 8 + 2 * 40, KvmCpuid2.entry(cpuid, 2).address());
            assertThrows(IndexOutOfBoundsException.class, () -> KvmCpuid2.entry(cpuid, 3));
            assertThrows(IndexOutOfBoundsException.class, () -> KvmCpuid2.entry(cpuid, -1));

            MemorySegment msrs = KvmMsrs.allocate(arena, 2);
            KvmMsrEntry.setIndex(KvmMsrs.entry(msrs, 1), 0x174);
            assertEquals(0x174, msrs.get(ValueLayout.JAVA_INT, 8 + 16));
            assertEquals(2, KvmMsrs.nmsrs(msrs));

            MemorySegment routing = KvmIrqRouting.allocate(arena, 2);
            assertEquals(0, routing.address() % 8, "kvm_irq_routing is 8-byte aligned in C");
            KvmIrqRoutingEntry.setMsiRoute(KvmIrqRouting.entry(routing, 1), 33, 0x1_fee0_0000L, 0x4041);
            MemorySegment e = KvmIrqRouting.entry(routing, 1);
            assertEquals(33, KvmIrqRoutingEntry.gsi(e));
            assertEquals(KvmConstants.KVM_IRQ_ROUTING_MSI, KvmIrqRoutingEntry.type(e));
            assertEquals(0xfee0_0000, KvmIrqRoutingMsi.addressLo(KvmIrqRoutingEntry.msi(e)));
            assertEquals(1, KvmIrqRoutingMsi.addressHi(KvmIrqRoutingEntry.msi(e)));
            assertEquals(0x4041, KvmIrqRoutingMsi.data(KvmIrqRoutingEntry.msi(e)));
            KvmIrqRoutingEntry.setIrqchipRoute(e, 4, KvmConstants.KVM_IRQCHIP_IOAPIC, 4);
            assertEquals(KvmConstants.KVM_IRQ_ROUTING_IRQCHIP, KvmIrqRoutingEntry.type(e));
            assertEquals(0, KvmIrqRoutingMsi.data(KvmIrqRoutingEntry.msi(e)), "route refilled from zero");

            MemorySegment list = KvmMsrList.allocate(arena, 2);
            list.set(ValueLayout.JAVA_INT, 4 + 4, 0xc0000080);
            assertEquals(0xc0000080, KvmMsrList.index(list, 1));

            MemorySegment mask = KvmSignalMask.allocate(arena);
            assertEquals(KvmSignalMask.KERNEL_SIGSET_BYTES, KvmSignalMask.len(mask));
            assertEquals(KvmSignalMask.KERNEL_SIGSET_BYTES, KvmSignalMask.sigset(mask).byteSize());
        }
        assertThrows(IllegalArgumentException.class, () -> KvmCpuid2.allocate(Arena.global(), -1));
    }

    @Test
    void narrowFieldsReadUnsignedAndRefuseValuesThatWouldBeTruncated() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(KvmSegment.LAYOUT);
            KvmSegment.setSelector(seg, 0xffff);
            assertEquals(0xffff, KvmSegment.selector(seg));
            KvmSegment.setType(seg, 0xb);
            assertEquals(0xb, KvmSegment.type(seg));
            assertThrows(IllegalArgumentException.class, () -> KvmSegment.setSelector(seg, 0x10000));
            assertThrows(IllegalArgumentException.class, () -> KvmSegment.setType(seg, 256));
            assertThrows(IllegalArgumentException.class, () -> KvmSegment.setDpl(seg, -1));
            assertEquals(0xb, KvmSegment.type(seg), "a refused write changes nothing");

            MemorySegment lapic = arena.allocate(KvmLapicState.LAYOUT);
            KvmLapicState.setReg(lapic, 0x350, 0x700);
            assertEquals(0x700, lapic.get(ValueLayout.JAVA_INT, 0x350));
            assertThrows(IllegalArgumentException.class, () -> KvmLapicState.reg(lapic, 0x352));
            assertThrows(IllegalArgumentException.class, () -> KvmLapicState.reg(lapic, 0x400));
        }
    }

    @Test
    void kvmRunHelpersAddressTheExitData() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment run = arena.allocate(3 * 4096, 4096); // what mmap of the vCPU fd gives
            KvmRun.setExitReason(run, KvmExit.KVM_EXIT_IO);
            KvmRun.setIo(run, KvmExit.KVM_EXIT_IO_OUT, 2, 0x3f8, 3, 4096);
            assertEquals("KVM_EXIT_IO", KvmExit.name(KvmRun.exitReason(run)));
            assertEquals(0x3f8, KvmRun.ioPort(run));
            MemorySegment data = KvmRun.ioData(run);
            assertEquals(run.address() + 4096, data.address());
            assertEquals(6, data.byteSize());

            KvmRun.setMmio(run, 0xfebf_0000L, 4, true);
            assertTrue(KvmRun.mmioIsWrite(run));
            assertEquals(4, KvmRun.mmioData(run).byteSize());
            assertEquals(run.address() + 32 + 8, KvmRun.mmioData(run).address());
            KvmRun.setMmio(run, 0, 9, false);
            assertFalse(KvmRun.mmioIsWrite(run));
            assertThrows(IllegalStateException.class, () -> KvmRun.mmioData(run));

            KvmRun.setImmediateExit(run, true);
            assertTrue(KvmRun.immediateExit(run));
            assertEquals(1, run.get(ValueLayout.JAVA_BYTE, 1));
        }
    }

    @Test
    void exitNamesMatchTheConstants() throws IllegalAccessException {
        int reasons = 0;
        for (Field f : KvmExit.class.getFields()) {
            String n = f.getName();
            if (n.startsWith("KVM_EXIT_") && !n.startsWith("KVM_EXIT_IO_")) {
                assertEquals(n, KvmExit.name(f.getInt(null)));
                reasons++;
            }
        }
        assertTrue(reasons > 30, reasons + " exit reasons");
        assertEquals("exit reason 4294967295", KvmExit.name(-1));
    }

    private static long sizeOf(Class<?> carrier) {
        if (carrier == byte.class) {
            return 1;
        } else if (carrier == short.class) {
            return 2;
        } else if (carrier == int.class) {
            return 4;
        } else if (carrier == long.class) {
            return 8;
        }
        throw new IllegalArgumentException("unexpected field carrier " + carrier);
    }

    private static Object allOnes(Class<?> carrier) {
        if (carrier == byte.class) {
            return (byte) -1;
        } else if (carrier == short.class) {
            return (short) -1;
        } else if (carrier == int.class) {
            return -1;
        }
        return -1L;
    }
}
