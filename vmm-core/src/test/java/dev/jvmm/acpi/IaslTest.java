package dev.jvmm.acpi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jvmm.acpi.AcpiTableReader.Table;
import dev.jvmm.memory.GuestLayout;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks the tables with ACPICA's own tools (Debian package acpica-tools): {@code iasl -d} runs the
 * table checks ACPICA applies at boot (checksums, FADT register widths, 32/64-bit address agreement) and
 * prints every field, and compiling the disassembled DSDT back must give exactly our AML.
 */
class IaslTest {
    static final String INSTALL_HINT = "apt-get install acpica-tools";
    private static final int VCPUS = 16;

    @TempDir
    Path dir;

    private static AcpiTableReader tables;

    @BeforeAll
    static void encode() {
        tables = AcpiTablesTest.image(GuestLayout.x86(8 * GuestLayout.GIB), AcpiConfig.of(VCPUS));
    }

    static Path iasl() {
        Optional<Path> found = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(p -> !p.isEmpty())
                .map(p -> Path.of(p, "iasl"))
                .filter(Files::isExecutable)
                .findFirst();
        if (found.isEmpty()) {
            fail("iasl (the ACPICA compiler/disassembler) is not on PATH; install it: " + INSTALL_HINT);
        }
        return found.get();
    }

    /** Runs iasl with {@code args} in {@code dir}; returns its combined output after asserting exit 0. */
    String run(String... args) throws IOException, InterruptedException {
        List<String> command = Stream.concat(Stream.of(iasl().toString()), Arrays.stream(args)).toList();
        Path log = dir.resolve("iasl.log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "iasl did not finish within 60 s: " + command);
        String out = Files.readString(log, StandardCharsets.ISO_8859_1);
        assertEquals(0, p.exitValue(), command + " failed:\n" + out);
        return out;
    }

    /** Disassembles one table; asserts ACPICA found nothing to warn about; returns the .dsl text. */
    String disassemble(String signature) throws Exception {
        Table t = tables.get(signature);
        String name = signature.toLowerCase(Locale.ROOT);
        Files.write(dir.resolve(name + ".dat"), t.bytes());
        String out = run("-d", name + ".dat");
        String dsl = Files.readString(dir.resolve(name + ".dsl"), StandardCharsets.ISO_8859_1);
        for (String text : List.of(out, dsl)) {
            for (String bad : List.of("Warning", "Error", "Incorrect", "Invalid")) {
                assertFalse(text.contains(bad), signature + ": iasl reported \"" + bad + "\":\n" + out + "\n" + dsl);
            }
        }
        return dsl;
    }

    private static void assertField(String dsl, String field, String value) {
        assertTrue(dsl.lines().anyMatch(l -> l.matches("(.*\\])? *" + field + " : " + value + "\\b.*")),
                "no line \"" + field + " : " + value + "\" in\n" + dsl);
    }

    @Test
    void fadtPassesAcpicasChecks() throws Exception {
        String dsl = disassemble("FACP");
        assertField(dsl, "SCI Interrupt", "0009");
        assertField(dsl, "SMI Command Port", "00000000");
        assertField(dsl, "PM1A Event Block Address", "00000600");
        assertField(dsl, "PM1A Control Block Address", "00000604");
        assertField(dsl, "PM1 Event Block Length", "04");
        assertField(dsl, "PM1 Control Block Length", "02");
        assertField(dsl, "Hardware Reduced \\(V5\\)", "0");
        assertField(dsl, "Control Method Power Button \\(V1\\)", "0");
        assertField(dsl, "8042 Present on ports 60/64 \\(V2\\)", "1");
        assertField(dsl, "FADT Minor Revision", "03");
    }

    @Test
    void madtMcfgFacsAndRootTablesPassAcpicasChecks() throws Exception {
        String madt = disassemble("APIC");
        assertField(madt, "Local Apic Address", "FEE00000");
        assertEquals(VCPUS, madt.lines().filter(l -> l.contains("[Processor Local APIC]")).count());
        assertField(madt, "I/O Apic ID", String.format("%02X", VCPUS));
        assertField(madt, "Address", "FEC00000");
        assertField(madt, "Interrupt Input LINT", "01");

        String mcfg = disassemble("MCFG");
        assertField(mcfg, "Base Address", "00000000E0000000");
        assertField(mcfg, "End Bus Number", "00");

        assertField(disassemble("FACS"), "Version", "02");
        assertEquals(3, disassemble("XSDT").lines().filter(l -> l.contains("ACPI Table Address")).count());
        assertEquals(3, disassemble("RSDT").lines().filter(l -> l.contains("ACPI Table Address")).count());
    }

    @Test
    void dsdtDisassemblesAndRecompilesToTheSameAml() throws Exception {
        String dsl = disassemble("DSDT");
        assertTrue(dsl.contains("Name (\\_S5, Package (0x04)"), dsl);
        assertTrue(dsl.contains("Device (PCI0)") && dsl.contains("EisaId (\"PNP0A08\")"), dsl);
        assertTrue(dsl.contains("Memory32Fixed (ReadWrite,"), dsl);
        assertTrue(dsl.contains("Device (C00F)"), dsl);

        Files.writeString(dir.resolve("again.dsl"), dsl);
        // -oa: no optimizations, so the compiler keeps the root prefixes we wrote
        String out = run("-oa", "again.dsl");
        assertTrue(out.contains("0 Errors, 0 Warnings, 0 Remarks"), out);
        byte[] recompiled = Files.readAllBytes(dir.resolve("again.aml"));
        byte[] ours = tables.get("DSDT").bytes();
        assertArrayEquals(Arrays.copyOfRange(ours, 36, ours.length), Arrays.copyOfRange(recompiled, 36, recompiled.length),
                "the ASL compiler encodes the disassembled DSDT exactly as we did");
    }
}
