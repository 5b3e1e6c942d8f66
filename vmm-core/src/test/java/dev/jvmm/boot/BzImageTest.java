package dev.jvmm.boot;

import dev.jvmm.memory.testing.Seeded;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BzImageTest {

    @Test
    void parsesTheSetupHeaderFields() {
        SyntheticBzImage s = new SyntheticBzImage();
        s.version = 0x020f;
        s.setupSects = 5;
        s.kernelAlignment = 0x40_0000;
        s.prefAddress = 0x200_0000;
        s.initSize = 0x123_4000;
        s.cmdlineSize = 4095;
        s.initrdAddrMax = 0x3fff_ffff;
        s.payloadSize = 10_000;
        byte[] file = s.build();
        BzImage k = BzImage.parse("vmlinuz-test", file);

        assertEquals("vmlinuz-test", k.name());
        assertEquals(0x020f, k.version());
        assertEquals("2.15", k.protocol());
        assertEquals(5, k.setupSects());
        assertEquals((10_000 + 15) / 16, k.syssize());
        assertEquals(BootParams.LOADED_HIGH, k.loadflags());
        assertEquals(BootParams.XLF_KERNEL_64 | BootParams.XLF_CAN_BE_LOADED_ABOVE_4G, k.xloadflags());
        assertEquals(0x40_0000, k.kernelAlignment());
        assertTrue(k.relocatable());
        assertEquals(0x200_0000, k.prefAddress());
        assertEquals(0x123_4000, k.initSize());
        assertEquals(4095, k.cmdlineSize());
        assertEquals(0x3fff_ffff, k.initrdAddrMax());
        assertEquals(10_000, k.payloadSize());
        assertArrayEquals(Arrays.copyOfRange(file, 6 * 512, file.length), k.payload());
        assertArrayEquals(Arrays.copyOfRange(file, 0x1f1, 0x26c), k.setupHeader());
    }

    @Test
    void setupHeaderEndsWhereTheJumpAtOx200Says() {
        SyntheticBzImage s = new SyntheticBzImage();
        s.version = 0x020c;
        s.hdrEnd = 0x268; // 2.12: the header ends after handover_offset
        assertEquals(0x268 - 0x1f1, s.parse().setupHeader().length);
        assertEquals("2.12", s.parse().protocol());
    }

    @Test
    void setupSectsZeroMeansFour() {
        SyntheticBzImage s = new SyntheticBzImage();
        s.setupSects = 0;
        s.payloadSize = 777;
        byte[] file = s.build();
        BzImage k = BzImage.parse("old", file);
        assertEquals(4, k.setupSects());
        assertEquals(777, k.payloadSize());
        assertEquals(SyntheticBzImage.payloadByte(0), k.payload()[0]);
        assertEquals(file.length - 5 * 512, k.payloadSize());
    }

    @Test
    void refusesAnElfVmlinux() {
        byte[] elf = new byte[4096];
        elf[0] = 0x7f;
        elf[1] = 'E';
        elf[2] = 'L';
        elf[3] = 'F';
        KernelImageException e = refused(elf, "header");
        assertTrue(e.getMessage().contains("ELF file (a vmlinux?)"), e.getMessage());
        assertTrue(e.getMessage().contains("arch/x86/boot/bzImage"), e.getMessage());
    }

    @Test
    void refusesAFileTooShortForTheHeader() {
        KernelImageException e = refused(new byte[0x200], "header");
        assertTrue(e.getMessage().contains("512 bytes is too short"), e.getMessage());
    }

    @Test
    void refusesAnInitrdOrAnythingWithoutHdrS() {
        byte[] gzip = new byte[8192];
        gzip[0] = 0x1f;
        gzip[1] = (byte) 0x8b;
        KernelImageException e = refused(gzip, "header");
        assertEquals("img: not a bzImage: no HdrS magic at 0x202 — pass a bzImage (arch/x86/boot/bzImage, "
                + "/boot/vmlinuz-*), not a vmlinux or an initrd", e.getMessage());

        SyntheticBzImage s = new SyntheticBzImage();
        s.header = 0x5372_6449L; // "IdrS"
        refused(s.build(), "header");
    }

    @Test
    void refusesAFileThatEndsInsideTheHeader() {
        byte[] full = new SyntheticBzImage().build();
        refused(Arrays.copyOf(full, 0x207), "header"); // HdrS present, version cut in half
        KernelImageException e = refused(Arrays.copyOf(full, 0x240), "jump");
        assertTrue(e.getMessage().contains("truncated: the setup header ends at 0x26c but the file is only 576 bytes"),
                e.getMessage());
    }

    @Test
    void anyTruncationOrCorruptionIsAcceptedOrRefusedWithKernelImageException() {
        byte[] valid = new SyntheticBzImage().build();
        Seeded.repeat("bzImage corruption", 5000, (random, i) -> {
            byte[] b = Arrays.copyOf(valid, random.nextBoolean() ? valid.length : random.nextInt(valid.length + 1));
            int flips = random.nextInt(4);
            for (int f = 0; f < flips && b.length > 0; f++) {
                int at = random.nextBoolean() ? 0x1f1 + random.nextInt(0x80) : random.nextInt(b.length);
                if (at < b.length) {
                    b[at] = (byte) random.nextInt(256);
                }
            }
            try {
                BzImage k = BzImage.parse("fuzz", b);
                assertEquals(b.length - (k.setupSects() + 1) * 512, k.payloadSize());
                assertTrue(k.version() >= BzImage.MIN_PROTOCOL);
            } catch (KernelImageException expected) {
                assertTrue(expected.getMessage().startsWith("fuzz: "), expected.getMessage());
            }
        });
    }

    @Test
    void refusesAWrongBootFlag() {
        SyntheticBzImage s = new SyntheticBzImage();
        s.bootFlag = 0x55aa;
        KernelImageException e = refused(s.build(), "boot_flag");
        assertTrue(e.getMessage().contains("boot_flag at 0x1fe is 0x55aa, not 0xaa55"), e.getMessage());
    }

    @Test
    void refusesProtocolsBefore2Point12() {
        for (int v : new int[] {0x0200, 0x0205, 0x0206, 0x020b}) {
            SyntheticBzImage s = new SyntheticBzImage();
            s.version = v;
            KernelImageException e = refused(s.build(), "version");
            String shown = (v >> 8) + "." + String.format("%02d", v & 0xff);
            assertTrue(e.getMessage().contains("boot protocol " + shown + " too old, need ≥ 2.12 with a 64-bit entry"),
                    e.getMessage());
        }
        SyntheticBzImage s = new SyntheticBzImage();
        s.version = 0x020c;
        s.hdrEnd = 0x268;
        assertEquals(0x020c, s.parse().version());
    }

    @Test
    void refusesAKernelWithoutA64BitEntry() {
        SyntheticBzImage s = new SyntheticBzImage();
        s.xloadflags = BootParams.XLF_CAN_BE_LOADED_ABOVE_4G;
        KernelImageException e = refused(s.build(), "xloadflags");
        assertTrue(e.getMessage().contains("no 64-bit entry point (xloadflags 0x2 lacks XLF_KERNEL_64)"),
                e.getMessage());
    }

    @Test
    void refusesAZImage() {
        SyntheticBzImage s = new SyntheticBzImage();
        s.loadflags = BootParams.CAN_USE_HEAP;
        KernelImageException e = refused(s.build(), "loadflags");
        assertTrue(e.getMessage().contains("a zImage (loadflags lacks LOADED_HIGH)"), e.getMessage());
    }

    @Test
    void refusesAHeaderEndOutsideTheRoomBootParamsHasForIt() {
        SyntheticBzImage shortHeader = new SyntheticBzImage();
        shortHeader.hdrEnd = 0x260;
        KernelImageException e = refused(shortHeader.build(), "jump");
        assertTrue(e.getMessage().contains("setup header end 0x202 + byte 0x201 = 0x260 is outside [0x268, 0x290]"),
                e.getMessage());
        SyntheticBzImage longHeader = new SyntheticBzImage();
        longHeader.hdrEnd = 0x292;
        refused(longHeader.build(), "jump");
        SyntheticBzImage longest = new SyntheticBzImage();
        longest.hdrEnd = 0x290;
        assertEquals(0x290 - 0x1f1, longest.parse().setupHeader().length);
    }

    @Test
    void refusesAFileThatEndsInsideTheSetupSectors() {
        byte[] full = new SyntheticBzImage().build();
        KernelImageException e = refused(Arrays.copyOf(full, 4 * 512), "setup_sects");
        assertTrue(e.getMessage().contains("truncated: setup_sects = 3 puts the kernel at 0x800 but the file is "
                + "only 2048 bytes"), e.getMessage());
    }

    @Test
    void refusesAKernelShorterThanSyssizeSays() {
        SyntheticBzImage s = new SyntheticBzImage();
        s.payloadSize = 1000;
        s.syssize = 64; // 1024 bytes: 24 missing, more than the 15 bytes of paragraph rounding
        KernelImageException e = refused(s.build(), "syssize");
        assertTrue(e.getMessage().contains("syssize says 1024 bytes of protected-mode kernel but only 1000"),
                e.getMessage());
        s.syssize = 63; // 1008 bytes: within rounding
        assertEquals(1000, s.parse().payloadSize());
    }

    @Test
    void refusesARelocatableKernelWithAnAlignmentThatIsNotAPowerOfTwo() {
        SyntheticBzImage s = new SyntheticBzImage();
        s.kernelAlignment = 0x30_0000;
        refused(s.build(), "kernel_alignment");
        s.kernelAlignment = 0;
        refused(s.build(), "kernel_alignment");
        s.nonRelocatable(); // alignment only matters to a relocatable kernel
        assertFalse(s.parse().relocatable());
    }

    @Test
    void readsFromAPathAndNamesAMissingFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bzImage");
        Files.write(file, new SyntheticBzImage().build());
        BzImage k = BzImage.read(file);
        assertEquals(file.toString(), k.name());
        assertEquals(64 * 1024, k.payloadSize());

        Path missing = dir.resolve("nope");
        KernelImageException e = assertThrows(KernelImageException.class, () -> BzImage.read(missing));
        assertEquals("file", e.field());
        assertTrue(e.getMessage().startsWith(missing + ": no such file"), e.getMessage());

        Path initrd = dir.resolve("initrd.img");
        Files.write(initrd, new byte[4096]);
        e = assertThrows(KernelImageException.class, () -> BzImage.read(initrd));
        assertTrue(e.getMessage().startsWith(initrd + ": not a bzImage: no HdrS magic"), e.getMessage());
    }

    /** The one test that reads a real kernel: /boot/vmlinuz-* when this machine has a readable one. */
    @Test
    void parsesARealKernelFromBootWhenThereIsOne() throws IOException {
        Optional<Path> kernel = findBootKernel();
        assumeTrue(kernel.isPresent(), "no readable /boot/vmlinuz-* on this machine; this test parses a real "
                + "bzImage only where one is installed (the synthetic-image tests cover the parser)");
        BzImage k = BzImage.read(kernel.get());
        assertTrue(k.version() >= BzImage.MIN_PROTOCOL, k.toString());
        assertTrue((k.xloadflags() & BootParams.XLF_KERNEL_64) != 0, k.toString());
        assertTrue(k.cmdlineSize() >= 255, k.toString());
        assertTrue(k.initSize() >= k.payloadSize(), k.toString());
        assertTrue(k.prefAddress() >= 0x10_0000, k.toString());
        assertTrue(k.setupHeader().length >= 0x268 - 0x1f1, k.toString());
        assertEquals(Files.size(kernel.get()) - (k.setupSects() + 1) * 512L, k.payloadSize());
        System.out.println("parsed " + k);
    }

    static Optional<Path> findBootKernel() throws IOException {
        Path boot = Path.of("/boot");
        if (!Files.isDirectory(boot)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(boot)) {
            List<Path> kernels = files.filter(p -> p.getFileName().toString().startsWith("vmlinuz-"))
                    .filter(Files::isRegularFile).filter(Files::isReadable)
                    .sorted(Comparator.reverseOrder()).toList();
            return kernels.stream().findFirst();
        }
    }

    private static KernelImageException refused(byte[] file, String field) {
        KernelImageException e = assertThrows(KernelImageException.class, () -> BzImage.parse("img", file));
        assertEquals(field, e.field(), e.getMessage());
        assertEquals("img", e.image());
        assertTrue(e.getMessage().startsWith("img: "), e.getMessage());
        return e;
    }

}
