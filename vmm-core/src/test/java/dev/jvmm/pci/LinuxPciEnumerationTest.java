package dev.jvmm.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.bus.Bus;
import dev.jvmm.memory.GuestLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Enumerates bus 0 through configuration mechanism #1 the way Linux does on x86
 * (arch/x86/pci/direct.c pci_check_type1 and pci_sanity_check; drivers/pci/probe.c pci_scan_slot and
 * __pci_read_base; then assigning and enabling resources), with the driver-side logic written out
 * here, and checks what it finds against how the devices were built.
 */
class LinuxPciEnumerationTest {
    static final long MIB = 1L << 20;
    static final int PCI_COMMAND_IO = 1, PCI_COMMAND_MEMORY = 2;

    final Bus pio = new Bus("pio");
    final Bus mmio = new Bus("mmio");
    final PciBus bus = new PciBus(0);
    final RecordingFunction nic = function("nic", 0x8086, 0x10d3, 0x02_00_00);
    final RecordingFunction gpu = function("gpu", 0x10de, 0x1eb8, 0x03_02_00);
    final RecordingFunction audio = function("gpu-audio", 0x10de, 0x10f8, 0x04_03_00);

    RecordingFunction function(String name, int vendor, int device, int classCode) {
        return new RecordingFunction(name, PciConfigSpace.type0(new PciIdentity(vendor, device, 0xa1, classCode,
                vendor, 0x1234), PciConfigSpace.EXTENDED_SIZE), mmio, pio);
    }

    LinuxPciEnumerationTest() {
        nic.config.addBar(0, PciBarType.MEMORY32, 128 * 1024, false);
        nic.config.addBar(1, PciBarType.IO, 32, false);
        nic.config.addBar(3, PciBarType.MEMORY64, 16 * 1024, false);
        gpu.config.addBar(0, PciBarType.MEMORY32, 16 * MIB, false);
        gpu.config.addBar(1, PciBarType.MEMORY64, 256 * MIB, true);
        gpu.config.addBar(3, PciBarType.MEMORY64, 32 * MIB, true);
        gpu.config.addBar(5, PciBarType.IO, 128, false);
        gpu.config.setMultiFunction(true);
        audio.config.addBar(0, PciBarType.MEMORY32, 16 * 1024, false);
        bus.add(new PciHostBridge());
        bus.add(nic);
        bus.add(gpu, PciBdf.parse("00:1f.0"));
        bus.add(audio, PciBdf.parse("00:1f.1"));
        pio.register("pci-conf1", PciConfigIo.PORT_BASE, PciConfigIo.PORT_COUNT, new PciConfigIo(bus));
        PciEcam ecam = new PciEcam(bus, GuestLayout.ECAM_WINDOW);
        mmio.register("pci-ecam", ecam.window().start().value(), ecam.window().length(), ecam);
    }

    // ---- arch/x86/pci/direct.c, pci_conf1_read/write ----

    static int conf1Address(int bus, int devfn, int reg) {
        return 0x8000_0000 | bus << 16 | devfn << 8 | (reg & 0xfc);
    }

    int read(int devfn, int reg, int len) {
        pio.write(0xcf8, 4, conf1Address(0, devfn, reg) & 0xffff_ffffL);
        return (int) switch (len) {
            case 1 -> pio.read(0xcfc + (reg & 3), 1);
            case 2 -> pio.read(0xcfc + (reg & 2), 2);
            default -> pio.read(0xcfc, 4);
        };
    }

    void write(int devfn, int reg, int len, int value) {
        pio.write(0xcf8, 4, conf1Address(0, devfn, reg) & 0xffff_ffffL);
        switch (len) {
            case 1 -> pio.write(0xcfc + (reg & 3), 1, value & 0xff);
            case 2 -> pio.write(0xcfc + (reg & 2), 2, value & 0xffff);
            default -> pio.write(0xcfc, 4, value & 0xffff_ffffL);
        }
    }

    int ecamRead(int devfn, int reg) {
        return (int) mmio.read(GuestLayout.ECAM_WINDOW.start().value() + ((long) devfn << 12) + reg, 4);
    }

    boolean pciCheckType1() {
        pio.write(0xcfb, 1, 0x01);
        long tmp = pio.read(0xcf8, 4);
        pio.write(0xcf8, 4, 0x8000_0000L);
        boolean works = pio.read(0xcf8, 4) == 0x8000_0000L && pciSanityCheck();
        pio.write(0xcf8, 4, tmp);
        return works;
    }

    boolean pciSanityCheck() {
        for (int devfn = 0; devfn < 0x100; devfn++) {
            int cls = read(devfn, 0x0a, 2);
            int vendor = read(devfn, 0x00, 2);
            if (cls == 0x0600 || cls == 0x0300 || vendor == 0x8086 || vendor == 0x0e11) {
                return true;
            }
        }
        return false;
    }

    /** What __pci_read_base learns about one BAR. */
    record Found(int devfn, int index, PciBarType type, long size, boolean prefetchable) {
    }

    List<Found> readBases(int devfn) {
        List<Found> found = new ArrayList<>();
        for (int index = 0; index < 6; index++) {
            int pos = 0x10 + 4 * index;
            int origCmd = read(devfn, 0x04, 2);
            if ((origCmd & (PCI_COMMAND_IO | PCI_COMMAND_MEMORY)) != 0) {
                write(devfn, 0x04, 2, origCmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
            }
            int l = read(devfn, pos, 4);
            write(devfn, pos, 4, l | ~0);
            int sz = read(devfn, pos, 4);
            write(devfn, pos, 4, l);
            if (sz == 0xffff_ffff) {
                sz = 0;
            }
            PciBarType type;
            long size;
            if ((l & 1) != 0) {
                type = PciBarType.IO;
                size = pciSize(l & ~3L & 0xffff_ffffL, sz & ~3L & 0xffff_ffffL, 0xffff_fffcL & 0xffff);
            } else if ((l & 6) == 4) {
                type = PciBarType.MEMORY64;
                int lHi = read(devfn, pos + 4, 4);
                write(devfn, pos + 4, 4, ~0);
                int szHi = read(devfn, pos + 4, 4);
                write(devfn, pos + 4, 4, lHi);
                long base = (l & ~0xfL & 0xffff_ffffL) | (long) lHi << 32;
                long max = (sz & ~0xfL & 0xffff_ffffL) | (long) szHi << 32;
                size = pciSize(base, max, ~0xfL);
            } else {
                type = PciBarType.MEMORY32;
                size = pciSize(l & ~0xfL & 0xffff_ffffL, sz & ~0xfL & 0xffff_ffffL, 0xffff_fff0L);
            }
            if ((origCmd & (PCI_COMMAND_IO | PCI_COMMAND_MEMORY)) != 0) {
                write(devfn, 0x04, 2, origCmd);
            }
            if (size != 0) {
                found.add(new Found(devfn, index, type, size, type != PciBarType.IO && (l & 8) != 0));
            }
            if (type == PciBarType.MEMORY64) {
                index++;
            }
        }
        return found;
    }

    static long pciSize(long base, long maxbase, long mask) {
        long size = mask & maxbase;
        if (size == 0) {
            return 0;
        }
        size = size & ~(size - 1);
        if (base == maxbase && ((base | (size - 1)) & mask) != mask) {
            return 0;
        }
        return size;
    }

    @Test
    void linuxFindsEveryFunctionSizesEveryBarAndMapsThemOnceEnabled() {
        assertTrue(pciCheckType1(), "PCI: Using configuration type 1");

        // pci_scan_child_bus: every slot, function 0 first, functions 1-7 only if multi-function.
        List<String> functions = new ArrayList<>();
        List<Found> bars = new ArrayList<>();
        for (int slot = 0; slot < 32; slot++) {
            for (int fn = 0; fn < 8; fn++) {
                int devfn = slot << 3 | fn;
                int id = read(devfn, 0x00, 4);
                if (id == 0xffff_ffff || id == 0 || id == 0x0000_ffff || id == 0xffff_0000) {
                    if (fn == 0) {
                        break;
                    }
                    continue;
                }
                int cls = read(devfn, 0x08, 4) >>> 8;
                int hdr = read(devfn, 0x0e, 1);
                functions.add(String.format("00:%02x.%d %04x:%04x class %06x", slot, fn, id & 0xffff, id >>> 16, cls));
                bars.addAll(readBases(devfn));
                if (fn == 0 && (hdr & 0x80) == 0) {
                    break;
                }
            }
        }
        assertEquals(List.of("00:00.0 1b36:0008 class 060000", "00:01.0 8086:10d3 class 020000",
                "00:1f.0 10de:1eb8 class 030200", "00:1f.1 10de:10f8 class 040300"), functions);
        int nicFn = 1 << 3;
        int gpuFn = 0x1f << 3;
        int audioFn = gpuFn | 1;
        assertEquals(List.of(
                new Found(nicFn, 0, PciBarType.MEMORY32, 128 * 1024, false),
                new Found(nicFn, 1, PciBarType.IO, 32, false),
                new Found(nicFn, 3, PciBarType.MEMORY64, 16 * 1024, false),
                new Found(gpuFn, 0, PciBarType.MEMORY32, 16 * MIB, false),
                new Found(gpuFn, 1, PciBarType.MEMORY64, 256 * MIB, true),
                new Found(gpuFn, 3, PciBarType.MEMORY64, 32 * MIB, true),
                new Found(gpuFn, 5, PciBarType.IO, 128, false),
                new Found(audioFn, 0, PciBarType.MEMORY32, 16 * 1024, false)), bars);
        for (RecordingFunction f : List.of(nic, gpu, audio)) {
            assertEquals(List.of(), f.moves, f.name + ": sizing with decoding off moves nothing");
        }

        // Assign: naturally aligned, 32-bit BARs below 4 GiB, 64-bit above; then pci_enable_device.
        long next32 = 0xc000_0000L;
        long next64 = 0x40_0000_0000L;
        long nextIo = 0xc000;
        List<Long> assigned = new ArrayList<>();
        for (Found b : bars) {
            long address = switch (b.type()) {
                case IO -> nextIo = align(nextIo, b.size());
                case MEMORY32 -> next32 = align(next32, b.size());
                case MEMORY64 -> next64 = align(next64, b.size());
            };
            switch (b.type()) {
                case IO -> nextIo += b.size();
                case MEMORY32 -> next32 += b.size();
                case MEMORY64 -> next64 += b.size();
            }
            int pos = 0x10 + 4 * b.index();
            int flags = read(b.devfn(), pos, 4) & (b.type() == PciBarType.IO ? 0x3 : 0xf);
            write(b.devfn(), pos, 4, (int) address | flags);
            if (b.type() == PciBarType.MEMORY64) {
                write(b.devfn(), pos + 4, 4, (int) (address >>> 32));
            }
            assigned.add(address);
        }
        for (RecordingFunction f : List.of(nic, gpu, audio)) {
            assertEquals(List.of(), f.moves, f.name + ": programming with decoding off moves nothing");
        }
        for (int devfn : new int[] {nicFn, gpuFn, audioFn}) {
            int cmd = read(devfn, 0x04, 2);
            write(devfn, 0x04, 2, cmd | PCI_COMMAND_IO | PCI_COMMAND_MEMORY);
        }

        for (int i = 0; i < bars.size(); i++) {
            Found b = bars.get(i);
            long address = assigned.get(i);
            RecordingFunction f = b.devfn() == nicFn ? nic : b.devfn() == gpuFn ? gpu : audio;
            assertTrue(f.moves.contains(new RecordingFunction.Move(b.index(), OptionalLong.empty(),
                    OptionalLong.of(address))), f.name + " BAR" + b.index() + ": " + f.moves);
            Bus space = b.type() == PciBarType.IO ? pio : mmio;
            assertEquals(0xba00 + b.index(), space.read(address, 4), f.name + " BAR" + b.index() + " reachable");
            assertEquals(0xba00 + b.index(), space.read(address + b.size() - 4, 4));
            assertEquals(address, f.config.bar(b.index()).orElseThrow().address());
        }
        assertEquals(4, gpu.moves.size(), "one move per BAR, no more");
        assertEquals(3, nic.moves.size());
        assertEquals(1, audio.moves.size());

        // The same functions through ECAM: identical config contents, and extended space for PCIe sizes.
        for (int devfn : new int[] {0, nicFn, gpuFn, audioFn}) {
            for (int reg = 0; reg < 0x40; reg += 4) {
                assertEquals(read(devfn, reg, 4), ecamRead(devfn, reg), String.format("devfn %02x reg 0x%02x", devfn, reg));
            }
        }
        assertEquals(0xffff_ffff, ecamRead(0, 0x100), "the host bridge has no extended space");
        assertEquals(0, ecamRead(nicFn, 0x100), "a 4 KiB function with an empty extended list");
        assertEquals(0xffff_ffff, ecamRead(2 << 3, 0), "empty slot");
        assertEquals(0xffff_ffffL, mmio.read(GuestLayout.ECAM_WINDOW.start().value() + (1L << 20), 4), "bus 1 is empty");
    }

    @Test
    void dataPortAccessesNeedTheEnableBitAndAnyByteLaneWorks() {
        pio.write(0xcf8, 4, 0x0000_0000L); // enable clear
        assertEquals(0xffff_ffffL, pio.read(0xcfc, 4));
        pio.write(0xcf8, 4, 0x8000_0000L);
        assertEquals(0x0008_1b36L, pio.read(0xcfc, 4));
        assertEquals(0x1b36L, pio.read(0xcfc, 2));
        assertEquals(0x0008L, pio.read(0xcfe, 2));
        assertEquals(0x1bL, pio.read(0xcfd, 1));
        assertEquals(0x00L, pio.read(0xcff, 1));
        assertEquals(0x081bL, pio.read(0xcfd, 2), "a word at byte lane 1");
        pio.write(0xcf8, 4, 0x8001_0000L); // bus 1
        assertEquals(0xffff_ffffL, pio.read(0xcfc, 4));
        pio.write(0xcf8, 4, 0xffff_ffffL);
        assertEquals(0x80ff_fffcL, pio.read(0xcf8, 4), "reserved bits read 0");
        assertEquals(0xffL, pio.read(0xcf9, 1), "byte access to the address register is not the address register");
        pio.write(0xcf8, 2, 0x1234);
        assertEquals(0x80ff_fffcL, pio.read(0xcf8, 4));
    }

    static long align(long value, long alignment) {
        return (value + alignment - 1) & -alignment;
    }
}
