package dev.jvmm.kvm.sys;

import static dev.jvmm.kvm.sys.CAbiProbe.constants;
import static dev.jvmm.kvm.sys.CAbiProbe.struct;
import static dev.jvmm.kvm.sys.CAbiProbe.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every size, alignment, member offset/size, ioctl number and constant of {@code dev.jvmm.kvm.sys}
 * against what gcc computes from the installed linux/kvm.h. Fails (never skips) without gcc.
 */
class KvmAbiTest {

    /**
     * The one table driving both the C program and the Java side. A struct row expands into sizeof,
     * _Alignof and every named member's offsetof/sizeof, so a field added to a layout is probed without
     * touching this table; a constants row probes every public static final int/long by its name.
     */
    static final List<CAbiProbe.Probe> TABLE = CAbiProbe.table(
            struct(KvmUserspaceMemoryRegion.LAYOUT),
            struct(KvmRegs.LAYOUT),
            struct(KvmSegment.LAYOUT),
            struct(KvmDtable.LAYOUT),
            struct(KvmSregs.LAYOUT),
            struct(KvmFpu.LAYOUT),
            struct(KvmLapicState.LAYOUT),
            struct(KvmMsrEntry.LAYOUT),
            struct(KvmMsrs.LAYOUT),
            struct(KvmMsrList.LAYOUT),
            struct(KvmCpuidEntry2.LAYOUT),
            struct(KvmCpuid2.LAYOUT),
            struct(KvmPitConfig.LAYOUT),
            struct(KvmClockData.LAYOUT),
            struct(KvmSignalMask.LAYOUT),
            struct(KvmIrqRoutingIrqchip.LAYOUT),
            struct(KvmIrqRoutingMsi.LAYOUT),
            struct(KvmIrqRoutingEntry.LAYOUT),
            struct(KvmIrqRouting.LAYOUT),
            struct(KvmIrqfd.LAYOUT),
            struct(KvmIoeventfd.LAYOUT),
            struct(KvmMsi.LAYOUT),
            struct(KvmIrqLevel.LAYOUT),
            struct(KvmCreateDevice.LAYOUT),
            struct(KvmDeviceAttr.LAYOUT),
            struct(KvmXcr.LAYOUT),
            struct(KvmXcrs.LAYOUT),
            struct(KvmEnableCap.LAYOUT),
            struct(KvmDebugExitArch.LAYOUT),
            struct(KvmRun.LAYOUT),
            constants(Ioctl.class),
            constants(KvmIoctls.class),
            constants(KvmExit.class),
            constants(KvmCaps.class),
            constants(KvmConstants.class),
            value("SYNC_REGS_SIZE_BYTES", () -> KvmRun.SYNC_REGS_SIZE_BYTES),
            value("sizeof(sigset_t)", () -> KvmSignalMask.KERNEL_SIGSET_BYTES),
            value("(KVM_NR_INTERRUPTS + 63) / 64", () -> KvmSregs.INTERRUPT_BITMAP_WORDS));

    @Test
    void javaLayoutsAndConstantsMatchTheInstalledKernelHeaders(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir)
            throws IOException { // kept on failure: the message names the probe program
        CAbiProbe.check(dir, prelude(), TABLE);
    }

    @Test
    void tableCoversEveryStructAndConstantsClassOfThePackage() throws Exception {
        assertEquals(List.of(), AbiCoverage.unprobed(TABLE, KvmRun.class, 20),
                "classes of dev.jvmm.kvm.sys that KvmAbiTest.TABLE does not check");
    }

    @Test
    void tableIsSubstantial() {
        // Guards against a walker bug that silently yields nothing to compare.
        assertTrue(TABLE.size() > 500, "only " + TABLE.size() + " probes");
        assertTrue(TABLE.stream().anyMatch(p -> p.c().equals("offsetof(struct kvm_run, io.port)")));
        assertTrue(TABLE.stream().anyMatch(p -> p.c().equals("offsetof(struct kvm_cpuid2, entries[0].eax)")));
    }

    static String prelude() throws IOException {
        return AbiCoverage.resource(KvmAbiTest.class, "kvm-abi-prelude.h");
    }
}
