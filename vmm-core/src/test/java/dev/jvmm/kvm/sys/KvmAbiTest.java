package dev.jvmm.kvm.sys;

import static dev.jvmm.kvm.sys.CAbiProbe.constants;
import static dev.jvmm.kvm.sys.CAbiProbe.struct;
import static dev.jvmm.kvm.sys.CAbiProbe.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.StructLayout;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
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
        Set<String> probed = new HashSet<>();
        TABLE.forEach(p -> probed.add(p.c()));
        List<String> missing = new ArrayList<>();
        for (Class<?> c : packageClasses()) {
            StructLayout layout = structLayoutOf(c);
            if (layout != null) {
                String sizeof = "sizeof(struct " + layout.name().orElse("?") + ")";
                if (!probed.contains(sizeof)) {
                    missing.add(c.getSimpleName() + ": add struct(" + c.getSimpleName() + ".LAYOUT)");
                }
            } else if (hasNumericConstants(c)) {
                for (CAbiProbe.Probe p : constants(c)) {
                    if (!probed.contains(p.c())) {
                        missing.add(c.getSimpleName() + "." + p.c()
                                + ": add constants(" + c.getSimpleName() + ".class)");
                    }
                }
            }
        }
        assertEquals(List.of(), missing, "classes of dev.jvmm.kvm.sys that KvmAbiTest.TABLE does not check");
    }

    @Test
    void tableIsSubstantial() {
        // Guards against a walker bug that silently yields nothing to compare.
        assertTrue(TABLE.size() > 500, "only " + TABLE.size() + " probes");
        assertTrue(TABLE.stream().anyMatch(p -> p.c().equals("offsetof(struct kvm_run, io.port)")));
        assertTrue(TABLE.stream().anyMatch(p -> p.c().equals("offsetof(struct kvm_cpuid2, entries[0].eax)")));
    }

    static String prelude() throws IOException {
        try (InputStream in = KvmAbiTest.class.getResourceAsStream("kvm-abi-prelude.h")) {
            if (in == null) {
                throw new IllegalStateException("test resource dev/jvmm/kvm/sys/kvm-abi-prelude.h is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The top-level classes compiled into this package's main output directory (not the tests'). */
    static List<Class<?>> packageClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(KvmRun.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dir = root.resolve("dev/jvmm/kvm/sys");
        assertTrue(Files.isDirectory(dir), "expected the main classes as a directory, got " + root);
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".class") && !name.contains("$") && !name.equals("package-info.class")) {
                    classes.add(Class.forName("dev.jvmm.kvm.sys." + name.substring(0, name.length() - 6)));
                }
            }
        }
        assertTrue(classes.size() > 20, "found only " + classes + " in " + dir);
        return classes;
    }

    static StructLayout structLayoutOf(Class<?> c) throws IllegalAccessException {
        try {
            Field f = c.getField("LAYOUT");
            return f.get(null) instanceof StructLayout s ? s : null;
        } catch (NoSuchFieldException e) {
            return null;
        }
    }

    private static boolean hasNumericConstants(Class<?> c) {
        for (Field f : c.getDeclaredFields()) {
            int mod = f.getModifiers();
            if (Modifier.isPublic(mod) && Modifier.isStatic(mod) && Modifier.isFinal(mod)
                    && (f.getType() == int.class || f.getType() == long.class)) {
                return true;
            }
        }
        return false;
    }
}
