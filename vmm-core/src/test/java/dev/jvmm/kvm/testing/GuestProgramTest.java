package dev.jvmm.kvm.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Assembles every guest program and checks encodings that depend on the source being right: the CPU mode
 * directive, the ports, the MMIO addresses, and position independence.
 */
class GuestProgramTest {

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @ParameterizedTest
    @ValueSource(strings = {"realmode_hello", "protmode_hello", "longmode_hello", "mmio_probe", "msi_counter", "spin"})
    void everyProgramAssemblesToLessThanAPage(String name) {
        GuestProgram program = GuestProgram.assemble("guest/" + name + ".S");

        assertEquals(name, program.name());
        assertTrue(program.size() > 0 && program.size() < 4096, program.toString());
        assertEquals(program.size(), program.bytes().length);
    }

    @Test
    void spinIsAShortJumpToItself() {
        assertArrayEquals(hex("EB FE"), GuestProgram.assemble("guest/spin.S").bytes());
    }

    @Test
    void realModeHelloIs16BitCodeWithItsMessageAtTheEnd() {
        GuestProgram program = GuestProgram.assemble("guest/realmode_hello.S");
        byte[] message = ascii("Hello from real mode\n");
        byte[] bytes = program.bytes();

        assertEquals(bytes.length - message.length, program.indexOf(message), program.hex());
        // mov $0x3f8,%dx without an operand-size prefix exists only in 16-bit code.
        int mov = program.indexOf(hex("BA F8 03"));
        assertTrue(mov > 0, program.hex());
        assertNotEquals((byte) 0x66, bytes[mov - 1], "operand-size prefix: .code16 missing? " + program.hex());
        // mov $0x501,%dx ; xor %al,%al ; out %al,%dx
        assertTrue(program.contains(hex("BA 01 05 30 C0 EE")), program.hex());
        // call with a 16-bit displacement 0, then pop %si: the call/pop that finds the load address.
        assertTrue(program.contains(hex("E8 00 00 5E")), program.hex());
    }

    @Test
    void protectedModeHelloIs32BitCode() {
        GuestProgram program = GuestProgram.assemble("guest/protmode_hello.S");

        assertEquals(program.size() - 26, program.indexOf(ascii("Hello from protected mode\n")), program.hex());
        // call with a 32-bit displacement 0, then pop %esi.
        assertTrue(program.contains(hex("E8 00 00 00 00 5E")), program.hex());
        // In 32-bit code a 16-bit register operand needs the 0x66 prefix.
        assertTrue(program.contains(hex("66 BA F8 03")), program.hex());
        assertTrue(program.contains(hex("66 BA 01 05 30 C0 EE")), program.hex());
    }

    @Test
    void longModeHelloFindsItsMessageRipRelative() {
        GuestProgram program = GuestProgram.assemble("guest/longmode_hello.S");
        byte[] message = ascii("Hello from long mode\n");
        byte[] bytes = program.bytes();

        int messageAt = program.indexOf(message);
        assertEquals(bytes.length - message.length, messageAt, program.hex());
        // lea disp32(%rip),%rsi = 48 8D 35 disp32; the target is the end of the 7-byte instruction + disp32.
        int lea = program.indexOf(hex("48 8D 35"));
        assertTrue(lea >= 0, program.hex());
        int disp = (bytes[lea + 3] & 0xff) | (bytes[lea + 4] & 0xff) << 8 | (bytes[lea + 5] & 0xff) << 16
                | bytes[lea + 6] << 24;
        assertEquals(messageAt, lea + 7 + disp, "lea does not point at the message: " + program.hex());
        assertTrue(program.contains(hex("66 BA F8 03")), program.hex());
        assertTrue(program.contains(hex("66 BA 01 05 30 C0 EE")), program.hex());
    }

    @Test
    void mmioProbeWritesThenReadsTheDevicePageAndReportsOnPort0x502() {
        GuestProgram program = GuestProgram.assemble("guest/mmio_probe.S");

        // mov $0xD0000000,%ebx: zero-extends into RBX (an absolute disp32 would sign-extend).
        int base = program.indexOf(hex("BB 00 00 00 D0"));
        // movl $0xCAFEF00D,(%rbx)
        int write = program.indexOf(hex("C7 03 0D F0 FE CA"));
        // mov 0x4(%rbx),%eax
        int read = program.indexOf(hex("8B 43 04"));
        // mov $0x502,%dx ; out %eax,%dx (EF: 32-bit out)
        int report = program.indexOf(hex("66 BA 02 05 EF"));
        int exit = program.indexOf(hex("66 BA 01 05 30 C0 EE"));
        assertTrue(0 <= base && base < write && write < read && read < report && report < exit,
                "order base " + base + ", write " + write + ", read " + read + ", report " + report + ", exit " + exit
                        + ": " + program.hex());
    }

    @Test
    void msiCounterCarriesItsIdtAndTalksToTheLocalApic() {
        GuestProgram program = GuestProgram.assemble("guest/msi_counter.S");
        byte[] bytes = program.bytes();

        // The IDT (gates 0..0x40, 16 bytes each) is the zero-filled tail of the image, 16-byte aligned.
        int idtSize = 0x41 * 16;
        for (int i = bytes.length - idtSize; i < bytes.length; i++) {
            assertEquals(0, bytes[i], "IDT byte at " + i + " not zero");
        }
        assertEquals(0, (bytes.length - idtSize) % 16, "IDT not 16-byte aligned");
        // The IDTR's limit word 0x040F, directly followed by its 8-byte base (zero until run time).
        assertTrue(program.contains(hex("0F 04 00 00 00 00 00 00 00 00")), program.hex());
        // lidt (%rsi)
        assertTrue(program.contains(hex("0F 01 1E")), program.hex());
        // movw $0x8E00,0x4(%rbx): present DPL0 64-bit interrupt gate; movw $0x10,0x2(%rbx): selector 0x10 (__BOOT_CS)
        assertTrue(program.contains(hex("66 C7 43 04 00 8E")), program.hex());
        assertTrue(program.contains(hex("66 C7 43 02 10 00")), program.hex());
        // mov $0xFEE00000,%ebx ; movl $0x1FF,0xF0(%rbx): software-enable the APIC
        assertTrue(program.contains(hex("BB 00 00 E0 FE C7 83 F0 00 00 00 FF 01 00 00")), program.hex());
        // mov $0x504,%dx ; mov $1,%al ; out %al,%dx: ready
        assertTrue(program.contains(hex("66 BA 04 05 B0 01 EE")), program.hex());
        // sti ; hlt back to back: the interrupt shadow closes the race with the count test
        assertTrue(program.contains(hex("FB F4")), program.hex());
        // handler: mov $0x503,%dx ; out %al,%dx ; mov $0xFEE00000,%eax ; movl $0,0xB0(%rax) ... iretq
        int count = program.indexOf(hex("66 BA 03 05 EE"));
        int eoi = program.indexOf(hex("B8 00 00 E0 FE C7 80 B0 00 00 00 00 00 00 00"));
        int iretq = program.indexOf(hex("48 CF"));
        assertTrue(0 <= count && count < eoi && eoi < iretq, "count " + count + ", eoi " + eoi + ", iretq " + iretq);
    }

    @Test
    void assemblesOncePerResourceAndHandsOutCopies() {
        GuestProgram first = GuestProgram.assemble("guest/spin.S");
        byte[] scribbled = first.bytes();
        scribbled[0] = 0;

        assertSame(first, GuestProgram.assemble("guest/spin.S"));
        assertEquals((byte) 0xEB, first.bytes()[0]);
    }

    @Test
    void reportsAssemblerErrorsWithGccsOutput() {
        var e = assertThrows(GuestAssemblyException.class,
                () -> GuestProgram.assemble("guest-invalid/syntax_error.S"));

        assertTrue(e.getMessage().contains("frobnicate"), e.getMessage());
        assertTrue(e.getMessage().contains("guest-invalid/syntax_error.S"), e.getMessage());
    }

    @Test
    void refusesAbsoluteAddressesThatOnlyALinkerCouldFill() {
        var e = assertThrows(GuestAssemblyException.class,
                () -> GuestProgram.assemble("guest-invalid/absolute_reference.S"));

        assertTrue(e.getMessage().contains("relocations (.rela.text)"), e.getMessage());
    }

    @Test
    void refusesContentOutsideText() {
        var e = assertThrows(GuestAssemblyException.class,
                () -> GuestProgram.assemble("guest-invalid/data_section.S"));

        assertTrue(e.getMessage().contains(".data (4 bytes)"), e.getMessage());
    }

    @Test
    void refusesAnEmptyProgram() {
        var e = assertThrows(GuestAssemblyException.class, () -> GuestProgram.assemble("guest-invalid/empty.S"));

        assertTrue(e.getMessage().contains("empty .text"), e.getMessage());
    }

    @Test
    void namesAMissingResource() {
        var e = assertThrows(GuestAssemblyException.class, () -> GuestProgram.assemble("guest/no_such_program.S"));

        assertTrue(e.getMessage().contains("guest/no_such_program.S is not on the test classpath"), e.getMessage());
    }

    @Test
    void saysHowToInstallAMissingAssembler() {
        var tools = new GuestProgram.Toolchain("/nonexistent/jvmm-test/gcc", "objcopy");

        var e = assertThrows(GuestAssemblyException.class, () -> GuestProgram.assemble("guest/spin.S", tools));

        assertTrue(e.getMessage().contains("/nonexistent/jvmm-test/gcc"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install gcc binutils"), e.getMessage());
        assertFalse(e.getMessage().contains("null"), e.getMessage());
    }
}
