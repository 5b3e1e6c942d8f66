package dev.jvmm.memory.sys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.memory.Gpa;
import dev.jvmm.memory.GpaRange;
import dev.jvmm.memory.GuestLayout;
import dev.jvmm.memory.GuestMemoryAccessException;
import dev.jvmm.memory.IommuMapping;
import dev.jvmm.memory.ReservedIovaOverlapException;
import dev.jvmm.memory.ReservedIovaRegion;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuestRamTest {
    private static final long GIB = GuestLayout.GIB;

    @Test
    void lowAndHighRamFollowEachOtherInOneMapping() {
        try (GuestRam ram = GuestRam.create(GuestLayout.x86(3 * GIB + 512 * GuestLayout.MIB), false)) {
            assertEquals(2, ram.regions().size());
            assertEquals(Gpa.of(4 * GIB), ram.regions().get(1).gpa().start());
            assertEquals(ram.regions().get(0).hva().plus(3 * GIB), ram.regions().get(1).hva());
            ram.writeLong(Gpa.of(4 * GIB + 8), 0x0123456789abcdefL);
            assertEquals(0x0123456789abcdefL, ram.readLong(Gpa.of(4 * GIB + 8)));
            assertEquals(0x0123456789abcdefL,
                    ram.segment(GpaRange.of(Gpa.of(4 * GIB), 4096)).get(ValueLayout.JAVA_LONG_UNALIGNED, 8));
            assertEquals(ram.hva(Gpa.of(4 * GIB)).plus(8), ram.hva(Gpa.of(4 * GIB + 8)));
        }
    }

    @Test
    void guestRamAsksForTransparentHugePages() throws Exception {
        if (!java.nio.file.Files.exists(java.nio.file.Path.of("/sys/kernel/mm/transparent_hugepage"))) {
            return; // a kernel without THP refuses the advice, and GuestRam goes on without it
        }
        try (GuestRam ram = GuestRam.create(GuestLayout.x86(64 * GuestLayout.MIB), false)) {
            String start = Long.toHexString(ram.regions().get(0).hva().value());
            List<String> smaps = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/smaps"));
            int at = -1;
            for (int i = 0; i < smaps.size() && at < 0; i++) {
                if (smaps.get(i).startsWith(start + "-")) {
                    at = i;
                }
            }
            assertTrue(at >= 0, "no /proc/self/smaps entry starts at 0x" + start);
            String flags = smaps.subList(at + 1, smaps.size()).stream().filter(l -> l.startsWith("VmFlags:"))
                    .findFirst().orElseThrow();
            assertTrue(List.of(flags.substring("VmFlags:".length()).trim().split(" ")).contains("hg"),
                    "MADV_HUGEPAGE shows as 'hg' in VmFlags: " + flags);
        }
    }

    @Test
    void accessesOutsideRamOrAcrossItsEndTouchNothing() {
        try (GuestRam ram = GuestRam.create(GuestLayout.x86(16 * GuestLayout.MIB), false)) {
            long last = 16 * GuestLayout.MIB - 4;
            ram.writeInt(Gpa.of(last), 7);
            assertEquals(7, ram.readInt(Gpa.of(last)));
            GuestMemoryAccessException e = assertThrows(GuestMemoryAccessException.class,
                    () -> ram.writeLong(Gpa.of(last), 1));
            assertTrue(e.getMessage().contains("runs past the end of RAM region"), e.getMessage());
            assertEquals(7, ram.readInt(Gpa.of(last)));
            e = assertThrows(GuestMemoryAccessException.class, () -> ram.readByte(Gpa.of(0xfee0_0000L)));
            assertTrue(e.getMessage().contains("Gpa[0xfee00000] is not guest RAM"), e.getMessage());
            assertThrows(GuestMemoryAccessException.class, () -> ram.read(Gpa.of(0), 0));
            byte[] bytes = {1, 2, 3};
            ram.write(Gpa.of(0x1000), bytes);
            assertArrayEquals(bytes, ram.read(Gpa.of(0x1000), 3));
        }
    }

    @Test
    void iommuMappingsAreIdentityAtTheRamHostAddresses() {
        try (GuestRam ram = GuestRam.create(GuestLayout.x86(5 * GIB), false)) {
            List<ReservedIovaRegion> reserved = ReservedIovaRegion.parseSysfs(
                    "0x00000000fee00000 0x00000000feefffff msi\n");
            List<IommuMapping> maps = ram.iommuMappings(reserved);
            assertEquals(2, maps.size());
            for (int i = 0; i < maps.size(); i++) {
                assertEquals(ram.regions().get(i).gpa().start().value(), maps.get(i).iova().value());
                assertEquals(ram.regions().get(i).hva(), maps.get(i).hva());
                assertEquals(ram.regions().get(i).length(), maps.get(i).length());
            }
            List<ReservedIovaRegion> clash = ReservedIovaRegion.parseSysfs(
                    "0x0000000000100000 0x00000000001fffff direct\n");
            assertThrows(ReservedIovaOverlapException.class, () -> ram.iommuMappings(clash));
        }
    }

    @Test
    void closeReleasesTheMemory() {
        GuestRam ram = GuestRam.create(GuestLayout.x86(2 * GuestLayout.MIB), false);
        ram.close();
        assertThrows(IllegalStateException.class, () -> ram.readByte(Gpa.of(0)));
    }
}
