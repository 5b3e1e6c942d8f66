package dev.jvmm.kvm.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe utility itself: that it passes a right layout and fails a wrong one, gcc or header, loudly. */
class CAbiProbeTest {

    private static final String PRELUDE = """
            struct probe_s {
                unsigned int n;
                union { unsigned int x; unsigned short y; };
                unsigned long long v[2];
                struct { unsigned char a; unsigned int b; } inner;
                unsigned long long e[];
            };
            #define PROBE_CONSTANT 0xC008AE05u
            """;

    private static StructLayout probeS(boolean swapped) {
        MemoryLayout n = Layouts.u32("n");
        MemoryLayout u = MemoryLayout.unionLayout(Layouts.u32("x"), Layouts.u16("y"));
        return Layouts.struct("probe_s",
                swapped ? u : n,
                swapped ? n : u,
                Layouts.array("v", 2, Layouts.U64),
                MemoryLayout.structLayout(Layouts.u8("a"), Layouts.pad(3), Layouts.u32("b")).withName("inner"),
                Layouts.flexibleArray("e", Layouts.U64));
    }

    @Test
    void matchingLayoutPassesIncludingAnonymousUnionNestedStructAndFlexibleArray(@TempDir Path dir) {
        List<CAbiProbe.Probe> table = CAbiProbe.table(
                CAbiProbe.struct(probeS(false)),
                CAbiProbe.value("PROBE_CONSTANT", () -> 0xC008AE05L));
        CAbiProbe.check(dir, PRELUDE, table);
        List<String> names = table.stream().map(CAbiProbe.Probe::c).toList();
        assertTrue(names.contains("offsetof(struct probe_s, x)"), names.toString());
        assertTrue(names.contains("offsetof(struct probe_s, inner.b)"), names.toString());
        assertTrue(names.contains("sizeof(((struct probe_s *)0)->e[0])"), names.toString());
        assertTrue(names.contains("offsetof(struct probe_s, v[0])"), names.toString());
    }

    @Test
    void everyMismatchIsListedWithBothValues(@TempDir Path dir) {
        List<CAbiProbe.Probe> table = CAbiProbe.table(
                CAbiProbe.struct(probeS(true)),
                CAbiProbe.value("PROBE_CONSTANT", () -> 0xC008AE05)); // int: sign-extends, as a bug would
        AssertionError e = assertThrows(AssertionError.class, () -> CAbiProbe.check(dir, PRELUDE, table));
        String m = e.getMessage();
        assertTrue(m.startsWith("4 of " + table.size() + " ABI values differ"), m);
        assertTrue(m.contains("offsetof(struct probe_s, n): C=0 Java=4"), m);
        assertTrue(m.contains("offsetof(struct probe_s, x): C=4 Java=0"), m);
        assertTrue(m.contains("offsetof(struct probe_s, y): C=4 Java=0"), m);
        assertTrue(m.contains("PROBE_CONSTANT: C=3221794309 (0xc008ae05) Java=-1073172987 (0xffffffffc008ae05)"), m);
    }

    @Test
    void missingCompilerFailsWithTheInstallCommand(@TempDir Path dir) {
        AssertionError e = assertThrows(AssertionError.class, () -> CAbiProbe.evaluate(
                dir, PRELUDE, List.of("sizeof(struct probe_s)"), "gcc-not-installed-jvmm"));
        assertTrue(e.getMessage().contains("apt-get install gcc linux-libc-dev"), e.getMessage());
    }

    @Test
    void missingHeaderFailsWithTheInstallCommandAndGccsError(@TempDir Path dir) {
        AssertionError e = assertThrows(AssertionError.class, () -> CAbiProbe.evaluate(
                dir, "#include <linux/no_such_header_jvmm.h>", List.of("1")));
        assertTrue(e.getMessage().contains("apt-get install gcc linux-libc-dev"), e.getMessage());
        assertTrue(e.getMessage().contains("no_such_header_jvmm.h"), e.getMessage());
    }

    @Test
    void evaluatesArbitraryExpressions(@TempDir Path dir) {
        assertEquals(Map.of("sizeof(long long) * 3", 24L, "-5", -5L),
                CAbiProbe.evaluate(dir, "", List.of("sizeof(long long) * 3", "-5")));
    }
}
