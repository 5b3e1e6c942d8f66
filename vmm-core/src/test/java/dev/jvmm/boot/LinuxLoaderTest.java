package dev.jvmm.boot;

import dev.jvmm.memory.testing.Seeded;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.memory.Gpa;
import dev.jvmm.memory.GpaRange;
import dev.jvmm.memory.GuestLayout;
import dev.jvmm.memory.sys.GuestRam;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LinuxLoaderTest {
    private static final long MIB = GuestLayout.MIB;
    private static final long GIB = GuestLayout.GIB;
    private static final Pattern GIVE_M = Pattern.compile("give -m at least (\\d+) MiB");

    private static Initrd initrd(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 13 + 5);
        }
        return new Initrd("test-initrd", b);
    }

    @Test
    void loadsKernelCommandLineInitrdAndZeroPage() {
        SyntheticBzImage s = new SyntheticBzImage(); // relocatable, pref 16 MiB, align 2 MiB, init_size 32 MiB
        BzImage kernel = s.parse();
        Initrd initrd = initrd((int) MIB + 123);
        String cmdline = "console=ttyS0 root=/dev/vda rw";
        try (GuestRam ram = GuestRam.create(GuestLayout.x86(256 * MIB), false)) {
            BootSetup setup = LinuxLoader.load(ram, kernel, cmdline, Optional.of(initrd));

            assertEquals(GpaRange.of(Gpa.of(16 * MIB), kernel.payloadSize()), setup.kernel());
            assertEquals(Gpa.of(16 * MIB + 0x200), setup.entryPoint());
            assertEquals(GpaRange.of(Gpa.of(16 * MIB), 32 * MIB), setup.kernelInit());
            assertArrayEquals(kernel.payload(), ram.read(setup.kernel().start(), kernel.payloadSize()));

            assertEquals(GpaRange.of(Gpa.of(0x20000), cmdline.length() + 1), setup.cmdline());
            assertArrayEquals((cmdline + "\0").getBytes(StandardCharsets.US_ASCII),
                    ram.read(Gpa.of(0x20000), cmdline.length() + 1));

            GpaRange rd = setup.initrd().orElseThrow();
            assertEquals(GpaRange.of(Gpa.of(256 * MIB - MIB - 4096), initrd.size()), rd, "highest page-aligned slot");
            assertArrayEquals(initrd.bytes(), ram.read(rd.start(), (int) initrd.size()));

            assertEquals(Gpa.of(0x7000), setup.zeroPage());
            assertEquals(Gpa.of(0x8ff0), setup.stackPointer());
            assertEquals(Gpa.of(0x9000), setup.pageTables());
            assertEquals(Gpa.of(0x500), setup.gdt());
            assertEquals(Gpa.of(0x9fc00), setup.mpTable());

            BootParams zp = BootParams.decode(ram.read(setup.zeroPage(), BootParams.SIZE));
            assertEquals(0xff, zp.typeOfLoader());
            assertEquals(BootParams.LOADED_HIGH | BootParams.CAN_USE_HEAP, zp.loadflags());
            assertEquals(0xde00, zp.heapEndPtr());
            assertEquals(Gpa.of(0x20000), zp.cmdLinePtr());
            assertEquals(rd.start(), zp.ramdiskImage());
            assertEquals(initrd.size(), zp.ramdiskSize());
            assertEquals(16 * MIB, zp.u32(BootParams.CODE32_START));
            assertEquals(E820.forLayout(ram.layout()), zp.e820());
            assertEquals(setup.e820(), zp.e820());
            // the kernel's own header fields are passed through untouched
            assertEquals(0x020f, zp.version());
            assertEquals(BootParams.HDRS_MAGIC, zp.u32(BootParams.HEADER));
            assertEquals(BootParams.BOOT_FLAG_MAGIC, zp.u16(BootParams.BOOT_FLAG));
            assertEquals(s.kernelAlignment, zp.u32(BootParams.KERNEL_ALIGNMENT));
            assertEquals(s.initSize, zp.u32(BootParams.INIT_SIZE));
            assertEquals(s.cmdlineSize, zp.u32(BootParams.CMDLINE_SIZE));
            assertEquals(s.prefAddress, zp.u64(BootParams.PREF_ADDRESS));
            assertEquals(0, zp.u8(BootParams.SENTINEL), "nothing outside the header copied from the image");
        }
    }

    @Test
    void withoutInitrdTheRamdiskFieldsStayZero() {
        try (GuestRam ram = GuestRam.create(GuestLayout.x86(64 * MIB), false)) {
            BootSetup setup = LinuxLoader.load(ram, new SyntheticBzImage().parse(), "");
            assertEquals(Optional.empty(), setup.initrd());
            assertEquals(GpaRange.of(Gpa.of(0x20000), 1), setup.cmdline());
            BootParams zp = BootParams.decode(ram.read(setup.zeroPage(), BootParams.SIZE));
            assertEquals(0, zp.ramdiskSize());
            assertEquals(Gpa.of(0), zp.ramdiskImage());
        }
    }

    @Test
    void nonRelocatableKernelLoadsAt1MibAndIsKeptClearUpToPrefPlusInitSize() {
        SyntheticBzImage s = new SyntheticBzImage().nonRelocatable();
        s.prefAddress = 16 * MIB;
        s.initSize = 20 * MIB;
        BootSetup setup = LinuxLoader.plan(GuestLayout.x86(128 * MIB), s.parse(), "", 4096);
        assertEquals(Gpa.of(MIB), setup.kernel().start());
        assertEquals(Gpa.of(MIB + 0x200), setup.entryPoint());
        assertEquals(GpaRange.of(Gpa.of(MIB), 35 * MIB), setup.kernelInit());
        assertEquals(GpaRange.of(Gpa.of(128 * MIB - 4096), 4096), setup.initrd().orElseThrow());
    }

    @Test
    void relocatableKernelGoesToPrefAddressRoundedUpToItsAlignmentNeverBelow1Mib() {
        SyntheticBzImage s = new SyntheticBzImage();
        s.prefAddress = 0;
        assertEquals(Gpa.of(2 * MIB), plan(s, 64 * MIB).kernel().start(), "1 MiB aligned up to 2 MiB");
        s.kernelAlignment = 0x1000;
        assertEquals(Gpa.of(MIB), plan(s, 64 * MIB).kernel().start());
        s.prefAddress = 0x110_0000;
        s.kernelAlignment = 2 * MIB;
        assertEquals(Gpa.of(0x120_0000), plan(s, 64 * MIB).kernel().start());
        s.prefAddress = 16 * MIB;
        s.kernelAlignment = 16 * MIB;
        assertEquals(Gpa.of(16 * MIB), plan(s, 64 * MIB).kernel().start());
    }

    @Test
    void kernelThatDoesNotFitSaysHowMuchRamItNeeds() {
        SyntheticBzImage s = new SyntheticBzImage(); // runs at 16 MiB, init_size 32 MiB
        BootSetupException e = assertThrows(BootSetupException.class, () -> plan(s, 32 * MIB));
        assertEquals("kernel test-bzImage needs RAM up to 0x3000000 (loaded at 0x1000000, 64 KiB, init_size "
                + "0x2000000) but RAM below the PCI hole ends at 0x2000000 with 32 MiB RAM: give -m at least 48 MiB",
                e.getMessage());
        assertEquals(Gpa.of(16 * MIB), plan(s, 48 * MIB).kernel().start());

        e = assertThrows(BootSetupException.class,
                () -> LinuxLoader.plan(GuestLayout.x86(32 * MIB), s.parse(), "", 10 * MIB + 1));
        assertTrue(e.getMessage().endsWith("give -m at least 59 MiB (kernel and the 10485761 bytes initrd)"),
                e.getMessage());
        assertEquals(Gpa.of(49 * MIB - 4096),
                LinuxLoader.plan(GuestLayout.x86(59 * MIB), s.parse(), "", 10 * MIB + 1).initrd().orElseThrow().start());
    }

    @Test
    void initrdTooLargeForRamSaysWhichRamSizeWorks() {
        SyntheticBzImage s = new SyntheticBzImage();
        s.initSize = 16 * MIB; // kernel uses [16 MiB, 32 MiB)
        BzImage kernel = s.parse();
        BootSetupException e = assertThrows(BootSetupException.class,
                () -> LinuxLoader.plan(GuestLayout.x86(64 * MIB), kernel, "", 40 * MIB));
        assertEquals("initrd of 40 MiB does not fit below 0x4000000 with 64 MiB RAM (the kernel uses RAM up to "
                + "0x2000000): give -m at least 72 MiB", e.getMessage());
        assertThrows(BootSetupException.class, () -> LinuxLoader.plan(GuestLayout.x86(71 * MIB), kernel, "", 40 * MIB));
        assertEquals(GpaRange.of(Gpa.of(32 * MIB), 40 * MIB),
                LinuxLoader.plan(GuestLayout.x86(72 * MIB), kernel, "", 40 * MIB).initrd().orElseThrow());
    }

    @Test
    void initrdStaysBelowInitrdAddrMax() {
        SyntheticBzImage s = new SyntheticBzImage();
        s.initrdAddrMax = 0x37ff_ffff; // the old 896 MiB limit
        BootSetup setup = LinuxLoader.plan(GuestLayout.x86(2 * GIB), s.parse(), "", 5 * MIB + 1);
        GpaRange rd = setup.initrd().orElseThrow();
        assertEquals(Gpa.of(0x3800_0000L - 5 * MIB - 4096), rd.start());
        assertTrue(rd.last().value() <= 0x37ff_ffffL);

        // with high RAM the initrd still goes below 3 GiB and below initrd_addr_max
        s.initrdAddrMax = 0xffff_ffffL;
        rd = LinuxLoader.plan(GuestLayout.x86(8 * GIB), s.parse(), "", 4096).initrd().orElseThrow();
        assertEquals(GpaRange.of(Gpa.of(3 * GIB - 4096), 4096), rd);
    }

    @Test
    void initrdBeyondInitrdAddrMaxIsNotFixedByMoreRam() {
        SyntheticBzImage s = new SyntheticBzImage();
        s.initrdAddrMax = 0x3fff_ffff;
        BootSetupException e = assertThrows(BootSetupException.class,
                () -> LinuxLoader.plan(GuestLayout.x86(4 * GIB), s.parse(), "", GIB));
        assertEquals("initrd of 1 GiB does not fit between the end of kernel test-bzImage at 0x3000000 and its "
                + "initrd_addr_max 0x3fffffff: use an initrd of at most 976 MiB", e.getMessage());
        assertEquals(Gpa.of(48 * MIB), LinuxLoader.plan(GuestLayout.x86(4 * GIB), s.parse(), "", 976 * MIB)
                .initrd().orElseThrow().start());
    }

    @Test
    void commandLineIsLimitedByCmdlineSize() {
        SyntheticBzImage s = new SyntheticBzImage();
        s.cmdlineSize = 255;
        String max = "x".repeat(255);
        assertEquals(256, plan(s, 64 * MIB, max).cmdline().length());
        BootSetupException e = assertThrows(BootSetupException.class, () -> plan(s, 64 * MIB, max + "y"));
        assertEquals("kernel command line is 256 bytes; kernel test-bzImage takes at most cmdline_size = 255 "
                + "bytes (without the terminating NUL): shorten it", e.getMessage());
        // bytes, not characters, count
        assertThrows(BootSetupException.class, () -> plan(s, 64 * MIB, "é".repeat(128)));
        e = assertThrows(BootSetupException.class, () -> plan(s, 64 * MIB, "root=/dev/vda\0init=/bin/sh"));
        assertTrue(e.getMessage().contains("contains a NUL character at index 13"), e.getMessage());
    }

    @Test
    void commandLineNeverRunsIntoTheMpTable() {
        SyntheticBzImage s = new SyntheticBzImage();
        s.cmdlineSize = 0xffff_ffffL;
        int room = 0x9fc00 - 0x20000 - 1;
        assertEquals(room + 1, plan(s, 64 * MIB, "a".repeat(room)).cmdline().length());
        BootSetupException e = assertThrows(BootSetupException.class, () -> plan(s, 64 * MIB, "a".repeat(room + 1)));
        assertTrue(e.getMessage().contains("the command line area [0x20000, 0x9fc00) holds at most " + room),
                e.getMessage());
    }

    @Test
    void aRefusedLoadWritesNothing() {
        try (GuestRam ram = GuestRam.create(GuestLayout.x86(64 * MIB), false)) {
            BzImage kernel = new SyntheticBzImage().parse();
            assertThrows(BootSetupException.class,
                    () -> LinuxLoader.load(ram, kernel, "console=ttyS0", Optional.of(initrd((int) (40 * MIB)))));
            assertArrayEquals(new byte[BootParams.SIZE], ram.read(LowMemory.ZERO_PAGE, BootParams.SIZE));
            assertArrayEquals(new byte[64], ram.read(LowMemory.CMDLINE, 64));
            assertArrayEquals(new byte[4096], ram.read(Gpa.of(16 * MIB), 4096));
        }
    }

    @Test
    void emptyInitrdIsRefused() {
        BootSetupException e = assertThrows(BootSetupException.class, () -> new Initrd("empty.cpio", new byte[0]));
        assertTrue(e.getMessage().startsWith("initrd empty.cpio is empty"), e.getMessage());
    }

    /** Random kernels, RAM sizes and initrds: either a placement with every invariant, or a refusal whose -m works. */
    @Test
    void randomConfigurationsArePlacedOrRefusedWithAWorkingFix() {
        int[] outcomes = new int[3]; // placed, refused with a working -m, refused for initrd_addr_max
        Seeded.repeat("initrd placement", 2000, (random, i) -> {
            SyntheticBzImage s = new SyntheticBzImage();
            s.relocatable = random.nextBoolean();
            s.prefAddress = new long[] {0, MIB, 2 * MIB, 16 * MIB, 0x110_0000}[random.nextInt(5)];
            if (!s.relocatable && s.prefAddress == 0x110_0000) {
                s.prefAddress = 16 * MIB;
            }
            s.kernelAlignment = 1L << (12 + random.nextInt(13)); // 4 KiB .. 16 MiB
            s.payloadSize = 4096 + random.nextInt(1 << 20);
            s.initSize = s.payloadSize + random.nextLong(96 * MIB);
            s.initrdAddrMax = random.nextBoolean() ? 0x7fff_ffffL : MIB * (64 + random.nextInt(4096)) - 1;
            BzImage kernel = s.parse();
            long ram = MIB * (1 + random.nextInt(random.nextBoolean() ? 512 : 6 * 1024));
            long initrd = random.nextInt(4) == 0 ? 0 : 1 + random.nextLong(random.nextBoolean() ? 64 * MIB : 2 * GIB);
            String context = kernel + " ram=" + ram + " initrd=" + initrd;
            try {
                check(LinuxLoader.plan(GuestLayout.x86(ram), kernel, "console=ttyS0", initrd), kernel, ram, initrd);
                outcomes[0]++;
            } catch (BootSetupException e) {
                Matcher m = GIVE_M.matcher(e.getMessage());
                if (m.find()) {
                    long suggested = Long.parseLong(m.group(1)) * MIB;
                    assertTrue(suggested > ram, context + ": " + e.getMessage());
                    check(LinuxLoader.plan(GuestLayout.x86(suggested), kernel, "console=ttyS0", initrd), kernel,
                            suggested, initrd);
                    assertThrows(BootSetupException.class, () -> LinuxLoader.plan(
                            GuestLayout.x86(suggested - MIB), kernel, "console=ttyS0", initrd), "minimal: " + context);
                    outcomes[1]++;
                } else {
                    outcomes[2]++;
                    assertTrue(e.getMessage().contains("initrd_addr_max")
                            || e.getMessage().contains("no RAM size helps"), context + ": " + e.getMessage());
                }
            }
        });
        System.out.println("[seeded] initrd placement: placed " + outcomes[0] + ", refused with a -m that works "
                + outcomes[1] + ", refused for initrd_addr_max or the PCI hole " + outcomes[2]);
        for (int n : outcomes) {
            assertTrue(n >= 50, "every outcome is exercised: " + Arrays.toString(outcomes));
        }
    }

    private static void check(BootSetup setup, BzImage kernel, long ram, long initrd) {
        long lowEnd = Math.min(ram, 3 * GIB);
        GpaRange k = setup.kernel();
        assertTrue(k.start().value() >= MIB, "kernel at or above 1 MiB");
        assertTrue(!kernel.relocatable() || k.start().isAligned(kernel.kernelAlignment()), "aligned");
        assertTrue(setup.kernelInit().contains(k));
        assertTrue(setup.kernelInit().end().value() <= lowEnd, "kernel in low RAM");
        assertEquals(k.start().plus(0x200), setup.entryPoint());
        if (initrd == 0) {
            assertEquals(Optional.empty(), setup.initrd());
            return;
        }
        GpaRange rd = setup.initrd().orElseThrow();
        assertEquals(initrd, rd.length());
        assertTrue(rd.start().isAligned(4096), "page aligned");
        long limit = Math.min(kernel.initrdAddrMax() + 1, lowEnd);
        assertTrue(rd.end().value() <= limit, "below initrd_addr_max and the end of low RAM");
        assertTrue(rd.start().value() >= setup.kernelInit().end().value(), "above the kernel");
        assertTrue(rd.end().value() + 4096 > limit, "the highest page-aligned slot");
    }

    private static BootSetup plan(SyntheticBzImage s, long ram) {
        return plan(s, ram, "");
    }

    private static BootSetup plan(SyntheticBzImage s, long ram, String cmdline) {
        return LinuxLoader.plan(GuestLayout.x86(ram), s.parse(), cmdline, 0);
    }

}
