package dev.jvmm.vfio.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.memory.GuestLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One test per rule of the guest's config-space view, against the NVMe-like and edu-like device models. */
class VfioConfigSpaceTest {

    static final GuestWindows WINDOWS = GuestWindows.of(GuestLayout.x86(2 * GuestLayout.GIB),
            GuestWindows.DEFAULT_IO_WINDOW);

    final RecordingListener listener = new RecordingListener();

    VfioConfigSpace create(DeviceModels.Model model) {
        return create(model, ConfigSpaceOptions.DEFAULT);
    }

    VfioConfigSpace create(DeviceModels.Model model, ConfigSpaceOptions options) {
        return VfioConfigSpace.create(model.device(), model.bars(), WINDOWS, listener, listener, options);
    }

    /** Capability offsets reached from 0x34 through the guest's view. */
    static List<Integer> walk(VfioConfigSpace space) {
        List<Integer> offsets = new ArrayList<>();
        int at = space.read(0x34, 1);
        while (at != 0 && offsets.size() < 64) {
            offsets.add(at);
            at = space.read(at + 1, 1);
        }
        return offsets;
    }

    @Test
    void identityRegistersComeFromTheDeviceAndIgnoreWrites() {
        DeviceModels.Model m = DeviceModels.nvmeLike();
        VfioConfigSpace s = create(m);
        for (int off : new int[] {0x00, 0x08, 0x2c}) {
            s.write(off, 4, 0x5a5a5a5a);
        }
        s.write(0x3d, 1, 7);
        assertEquals(0xa808144d, s.read(0x00, 4));
        assertEquals(0x144d, s.read(0x00, 2));
        assertEquals(0xa8, s.read(0x03, 1));
        assertEquals(0x01080200, s.read(0x08, 4));
        assertEquals(0xa801144d, s.read(0x2c, 4));
        assertEquals(1, s.read(0x3d, 1), "interrupt pin");
        assertEquals(List.of(), m.device().writes, "nothing reached the device");
    }

    @Test
    void headerTypeHidesTheMultiFunctionBitAndBistIsZero() {
        VfioConfigSpace s = create(DeviceModels.nvmeLike());
        assertEquals(0x00, s.read(0x0e, 1));
        s.write(0x0c, 4, 0xffffffff);
        assertEquals(0x000000ff, s.read(0x0c, 4), "cache line size writable; latency, header type, BIST read-only 0");
    }

    @Test
    void bar64IsSizedFromTheRegionSizeAndKeepsItsTypeBits() {
        VfioConfigSpace s = create(DeviceModels.nvmeLike());
        assertEquals(0x00000004, s.read(0x10, 4));
        s.write(0x10, 4, 0xffffffff);
        s.write(0x14, 4, 0xffffffff);
        assertEquals(0xffffc004, s.read(0x10, 4), "16 KiB, 64-bit, non-prefetchable");
        assertEquals(0xffffffff, s.read(0x14, 4));
        for (int bar = 2; bar < 6; bar++) {
            s.write(0x10 + 4 * bar, 4, 0xffffffff);
            assertEquals(0, s.read(0x10 + 4 * bar, 4), "unimplemented BAR " + bar);
        }
    }

    @Test
    void barsLargerThan4GiBAndIoBarsSizeCorrectly() {
        VfioConfigSpace s = create(DeviceModels.eduLike());
        for (int off = 0x10; off < 0x28; off += 4) {
            s.write(off, 4, 0xffffffff);
        }
        assertEquals(0xfff00000, s.read(0x10, 4), "1 MiB 32-bit");
        assertEquals(0x0000ff01, s.read(0x14, 4), "256 I/O ports, 16-bit port space");
        assertEquals(0x0000000c, s.read(0x18, 4), "8 GiB: no address bits in the low half");
        assertEquals(0xfffffffe, s.read(0x1c, 4));
        assertEquals(0, s.read(0x20, 4));
        s.write(0x30, 4, 0xffffffff);
        assertEquals(0xffff0001, s.read(0x30, 4), "64 KiB ROM, enable bit writable");
    }

    @Test
    void romIsHiddenWithoutOneAndByTheBcm57810Quirk() {
        DeviceModels.Model edu = DeviceModels.eduLike();
        List<BarSpec> noRom = edu.bars().stream().filter(b -> b.kind() != BarKind.ROM).toList();
        VfioConfigSpace s = VfioConfigSpace.create(edu.device(), noRom, WINDOWS, listener, listener,
                ConfigSpaceOptions.DEFAULT);
        s.write(0x30, 4, 0xffffffff);
        assertEquals(0, s.read(0x30, 4));

        DeviceModels.Model bcm = DeviceModels.eduLike();
        bcm.device().set(0x00, 4, 0x14e4 | 0x168e << 16);
        VfioConfigSpace q = create(bcm);
        q.write(0x30, 4, 0xffffffff);
        assertEquals(0, q.read(0x30, 4));
        assertEquals("bcm57810-rom", q.appliedQuirks().getFirst().name());
        assertTrue(q.bar(BarSpec.ROM_INDEX).isEmpty());
    }

    @Test
    void commandPassesDecodeBitsToTheDevicePreservingTheRestAndEmulatesIntxDisable() {
        DeviceModels.Model m = DeviceModels.nvmeLike();
        m.device().set(0x04, 2, 0x0100, 0x0547, 0); // the host set SERR enable
        VfioConfigSpace s = create(m);
        s.write(0x04, 2, 0xffff);
        assertEquals(0x0547, s.read(0x04, 2), "writable bits read back, the rest 0");
        assertEquals(0x0107, m.device().peek(0x04, 2), "decode bits on, SERR kept, INTx disable not forwarded");
        s.write(0x04, 2, 0x0400);
        assertEquals(0x0400, s.read(0x04, 2));
        assertEquals(0x0100, m.device().peek(0x04, 2));
        s.write(0x05, 1, 0x00);
        assertEquals(0x0000, s.read(0x04, 2));
        assertEquals(0x0100, m.device().peek(0x04, 2), "a write to the high byte only does not reach the device");
    }

    @Test
    void statusForwardsWriteOneToClearAndEmulatesTheCapabilityListBit() {
        DeviceModels.Model m = DeviceModels.nvmeLike();
        VfioConfigSpace s = create(m);
        assertEquals(0x2010, s.read(0x06, 2));
        s.write(0x06, 2, 0x0000);
        assertEquals(0x2010, s.read(0x06, 2), "writing 0 clears nothing");
        s.write(0x04, 4, 0x2000_0002);
        assertEquals(0x0010, s.read(0x06, 2), "writing 1 cleared the device's received-master-abort");
        assertEquals(0x0010, m.device().peek(0x06, 2));

        DeviceModels.Model hidden = DeviceModels.nvmeLike();
        VfioConfigSpace none = VfioConfigSpace.create(hidden.device(), hidden.bars(), WINDOWS, listener, listener,
                new ConfigSpaceOptions(Set.of(), List.of()));
        assertEquals(0x2000, none.read(0x06, 2), "no exposed capability: no capability list");
        assertEquals(0, none.read(0x34, 1));
    }

    @Test
    void interruptLineIsWritableScratch() {
        DeviceModels.Model m = DeviceModels.nvmeLike();
        VfioConfigSpace s = create(m);
        assertEquals(0, s.read(0x3c, 1));
        s.write(0x3c, 1, 11);
        assertEquals(11, s.read(0x3c, 1));
        assertEquals(0xff, m.device().peek(0x3c, 1), "never forwarded");
    }

    @Test
    void capabilityListSkipsHiddenCapabilitiesWhoseBytesReadZero() {
        VfioConfigSpace s = create(DeviceModels.nvmeLike());
        assertEquals(List.of(0x40, 0x50, 0x70, 0xb0), walk(s));
        assertEquals(0, s.read(0xb1, 1), "MSI-X was followed by the hidden vendor capability");
        assertEquals(0, s.read(0xd0, 4));
        assertEquals(0, s.read(0xd4, 4));
        assertEquals(List.of(0x01, 0x05, 0x10, 0x11, 0x09),
                s.deviceCapabilities().stream().map(Capability::id).toList());

        DeviceModels.Model edu = DeviceModels.eduLike();
        VfioConfigSpace e = create(edu);
        assertEquals(List.of(0x40, 0x60), walk(e), "the vendor capability between MSI and PM vanished");
        assertEquals(0x6005, e.read(0x40, 2));

        VfioConfigSpace onlyMsix = VfioConfigSpace.create(DeviceModels.nvmeLike().device(),
                DeviceModels.nvmeLike().bars(), WINDOWS, listener, listener,
                new ConfigSpaceOptions(Set.of(PciRegs.PCI_CAP_ID_MSIX), List.of()));
        assertEquals(List.of(0xb0), walk(onlyMsix));
        assertEquals(0, onlyMsix.read(0x50, 4), "MSI hidden");
    }

    @Test
    void aHideCapabilityQuirkRemovesAnAllowedCapabilityForMatchingDevicesOnly() {
        ConfigQuirk hidePcie = new ConfigQuirk("test-hide-pcie", 0x144d, ConfigQuirk.ANY_DEVICE,
                new ConfigQuirk.HideCapability(PciRegs.PCI_CAP_ID_EXP), "test", "this test");
        ConfigSpaceOptions options = new ConfigSpaceOptions(ConfigSpaceOptions.DEFAULT_EXPOSED_CAPABILITIES,
                List.of(hidePcie));
        VfioConfigSpace nvme = create(DeviceModels.nvmeLike(), options);
        assertEquals(List.of(0x40, 0x50, 0xb0), walk(nvme));
        assertEquals(0, nvme.read(0x74, 4), "hidden PCIe body reads 0");
        assertEquals(List.of(hidePcie), nvme.appliedQuirks());
        VfioConfigSpace edu = create(DeviceModels.eduLike(), options);
        assertEquals(List.of(), edu.appliedQuirks());
    }

    @Test
    void extendedSpaceReadsZeroAndBadAccessesReadAllOnes() {
        DeviceModels.Model m = DeviceModels.nvmeLike();
        VfioConfigSpace s = create(m);
        assertEquals(0, s.read(0x100, 4), "the device's AER header is hidden");
        s.write(0x100, 4, -1);
        assertEquals(0xffffffff, s.read(0x0e, 4));
        assertEquals(0xffff, s.read(0xfff, 2));
        assertEquals(0xff, s.read(4096, 1));
        assertEquals(0xffffffff, s.read(0, 3));
        s.write(0x02, 4, 0);
        assertEquals(5, s.badAccesses());
        assertEquals(0, m.device().writes.size());
    }

    @Test
    void pciExpressAndPowerManagementPassThroughOnlyControlAndStatusBits() {
        DeviceModels.Model m = DeviceModels.nvmeLike();
        VfioConfigSpace s = create(m);
        assertEquals(0x10008fc1, s.read(0x74, 4), "device capabilities from the device");
        s.write(0x74, 4, 0);
        s.write(0x78, 2, 0x2c10);
        assertEquals(0x2c10, m.device().peek(0x78, 2), "device control reaches the device");
        s.write(0x7a, 2, 0x0004);
        assertEquals(0, s.read(0x7a, 2), "device status is write-1-to-clear");
        s.write(0x80, 2, 0x0003);
        assertEquals(0x0040, s.read(0x80, 2), "link control is the host's");
        s.write(0x44, 2, 0x0003);
        assertEquals(0x000b, s.read(0x44, 2), "power state D3hot");
        assertEquals(List.of(0x78, 0x7a, 0x44), m.device().writes.stream().map(FakePciDevice.Write::offset).toList());
    }

    @Test
    void memoryBarsMapWhenDecodingInsideTheWindowAndMoveOrUnmap() {
        VfioConfigSpace s = create(DeviceModels.nvmeLike());
        s.write(0x10, 4, 0xc000_0000);
        assertEquals(List.of(), listener.take(), "decoding is off");
        s.write(0x04, 2, 0x0002);
        assertEquals(List.of("map 0 GpaRange[0xc0000000..0xc0003fff, 16 KiB]"), listener.take());
        s.write(0x10, 4, 0xc001_0000);
        assertEquals(List.of("unmap 0 GpaRange[0xc0000000..0xc0003fff, 16 KiB]",
                "map 0 GpaRange[0xc0010000..0xc0013fff, 16 KiB]"), listener.take());
        s.write(0x14, 4, 0x2);
        assertEquals(List.of("unmap 0 GpaRange[0xc0010000..0xc0013fff, 16 KiB]",
                "map 0 GpaRange[0x2c0010000..0x2c0013fff, 16 KiB]"), listener.take(), "64-bit BAR into mmio64");
        s.write(0x14, 4, 0);
        assertEquals(List.of("unmap 0 GpaRange[0x2c0010000..0x2c0013fff, 16 KiB]",
                "map 0 GpaRange[0xc0010000..0xc0013fff, 16 KiB]"), listener.take());
        s.write(0x10, 4, 0xe000_0000);       // the first address past the 32-bit window
        assertEquals(List.of("unmap 0 GpaRange[0xc0010000..0xc0013fff, 16 KiB]"), listener.take());
        assertEquals(BarStatus.OUTSIDE_WINDOW, s.bar(0).orElseThrow().status());
        s.write(0x10, 4, 0xdfff_c000);
        assertEquals(List.of("map 0 GpaRange[0xdfffc000..0xdfffffff, 16 KiB]"), listener.take(), "last 16 KiB fits");
        s.write(0x04, 2, 0x0000);
        assertEquals(List.of("unmap 0 GpaRange[0xdfffc000..0xdfffffff, 16 KiB]"), listener.take());
        assertEquals(BarStatus.DISABLED, s.bar(0).orElseThrow().status());
    }

    @Test
    void barsOutsideTheirWindowAreRecordedButNeverMapped() {
        VfioConfigSpace s = create(DeviceModels.eduLike());
        s.write(0x04, 2, 0x0003);
        s.write(0x10, 4, 0x8000_0000);       // guest RAM
        s.write(0x14, 4, 0x0000_0060);       // legacy ports below the I/O window
        s.write(0x18, 4, 0x0000_000c);       // 8 GiB at 0: RAM
        s.write(0x1c, 4, 0x0000_0100);       // 1 TiB: above the 64-bit window
        s.write(0x10, 4, 0xe000_0000);       // just past the 32-bit window: ECAM
        assertEquals(List.of(), listener.take());
        assertEquals(BarStatus.OUTSIDE_WINDOW, s.bar(0).orElseThrow().status());
        assertEquals(0xe000_0000L, s.bar(0).orElseThrow().address());
        assertEquals(BarStatus.OUTSIDE_WINDOW, s.bar(1).orElseThrow().status());
        assertEquals(BarStatus.OUTSIDE_WINDOW, s.bar(2).orElseThrow().status());
        assertTrue(s.barsOutsideWindow() >= 3);
        s.write(0x14, 4, 0x0000_1001);
        assertEquals(List.of("map 1 IoPortRange[0x1000-0x10ff]"), listener.take());
        s.write(0x1c, 4, 0x2);
        assertEquals(List.of("map 2 GpaRange[0x200000000..0x3ffffffff, 8 GiB]"), listener.take());
    }

    @Test
    void overlappingBarsOfTheDeviceAreNotMappedTwice() {
        VfioConfigSpace s = create(DeviceModels.eduLike());
        s.write(0x10, 4, 0xc000_0000);
        s.write(0x30, 4, 0xc008_0001);       // ROM inside BAR0's range
        s.write(0x04, 2, 0x0002);
        assertEquals(List.of("map 0 GpaRange[0xc0000000..0xc00fffff, 1 MiB]"), listener.take());
        assertEquals(BarStatus.OVERLAPPING, s.bar(BarSpec.ROM_INDEX).orElseThrow().status());
        s.write(0x10, 4, 0xc010_0000);
        assertEquals(List.of("unmap 0 GpaRange[0xc0000000..0xc00fffff, 1 MiB]",
                "map 0 GpaRange[0xc0100000..0xc01fffff, 1 MiB]", "map 6 GpaRange[0xc0080000..0xc008ffff, 64 KiB]"),
                listener.take());
        s.write(0x30, 4, 0xc008_0000);
        assertEquals(List.of("unmap 6 GpaRange[0xc0080000..0xc008ffff, 64 KiB]"), listener.take(), "ROM enable off");
    }

    @Test
    void msiStateIsEmulatedPerVectorAndReported() {
        DeviceModels.Model m = DeviceModels.nvmeLike();
        VfioConfigSpace s = create(m);
        assertEquals(0x018a, s.read(0x52, 2), "64-bit, maskable, 32 vectors capable");
        s.write(0x54, 4, 0xfee0_0003);
        s.write(0x58, 4, 0);
        s.write(0x5c, 2, 0x4020);
        assertEquals(0xfee0_0000, s.read(0x54, 4), "address bits 1:0 reserved");
        assertEquals(List.of(), listener.take(), "nothing to report while disabled");
        s.write(0x52, 2, 0x0021);            // enable, 4 vectors
        List<String> events = listener.take();
        assertEquals(1, events.size());
        assertTrue(events.getFirst().contains("MsiVector[3: 0xfee00000 <- 0x4023]"), events.toString());
        s.write(0x60, 4, 0x4);               // mask vector 2
        assertEquals(List.of("msi vector MsiVector[2: 0xfee00000 <- 0x4022, masked]"), listener.take());
        s.write(0x52, 2, 0x0071);            // asks for 128 vectors: clamped to 32
        assertEquals(0x01db, s.read(0x52, 2), "enable, 32 vectors (QSIZE 5), capability bits");
        assertEquals(32, s.msiVectors().size());
        assertEquals(0x0000_0001, s.read(0x64, 4), "pending bits from the device");
        s.write(0x52, 2, 0x0000);
        assertEquals("msi []", listener.take().getLast());
        assertTrue(m.device().writes.isEmpty(), "MSI never reaches the device's config space");
    }

    @Test
    void msixControlAndTableAreEmulated() {
        DeviceModels.Model m = DeviceModels.nvmeLike();
        VfioConfigSpace s = create(m);
        MsixTable table = s.msixTable().orElseThrow();
        assertEquals(33, table.vectorCount());
        assertEquals(0, table.tableBar());
        assertEquals(0x3000, table.tableOffset());
        assertEquals(0x2000, table.pbaOffset());
        assertEquals(0x0020, s.read(0xb2, 2));
        assertEquals(0x3000, s.read(0xb4, 4));
        table.write(0x10, 8, 0x0000_0001_fee0_1000L);
        assertEquals(List.of(), listener.take(), "MSI-X off: state kept, nothing reported");
        s.write(0xb2, 2, 0xc000);
        assertEquals(List.of("msix enabled=true masked=true"), listener.take());
        table.write(0x18, 4, 0x31);
        table.write(0x1c, 4, 0);
        assertEquals(List.of("msix vector MsiVector[1: 0x1fee01000 <- 0x31, masked]",
                "msix vector MsiVector[1: 0x1fee01000 <- 0x31]"), listener.take());
        table.write(0x1c, 4, 0);
        assertEquals(List.of(), listener.take(), "no change, no report");
        assertEquals(0xffff_ffffL, table.read(0x2, 4));
        assertEquals(0xffff_ffffL, table.read(33 * 16, 4));
        assertEquals(2, table.badAccesses());
        assertEquals(1, table.read(0x0c, 4) & 1, "vector 0 still masked");
        s.write(0xb2, 2, 0x8000);
        assertEquals(List.of("msix enabled=true masked=false"), listener.take());
    }

    @Test
    void msixIsHiddenWhenItsTableIsOutsideTheBars() {
        DeviceModels.Model m = DeviceModels.nvmeLike();
        m.device().set(0xb4, 4, 0x3ff8);     // 33 entries from 0x3ff8 pass the 16 KiB BAR
        VfioConfigSpace s = create(m);
        assertTrue(s.msixTable().isEmpty());
        assertEquals(List.of(0x40, 0x50, 0x70), walk(s));
    }

    @Test
    void resetUnmapsBarsAndDisablesInterrupts() {
        VfioConfigSpace s = create(DeviceModels.nvmeLike());
        s.write(0x10, 4, 0xc000_0000);
        s.write(0x04, 2, 0x0006);
        s.write(0x52, 2, 0x0001);
        s.write(0xb2, 2, 0x8000);
        s.msixTable().orElseThrow().write(0x0c, 4, 0);
        listener.take();
        s.reset();
        assertEquals(List.of("unmap 0 GpaRange[0xc0000000..0xc0003fff, 16 KiB]", "msi []",
                "msix enabled=false masked=false"), listener.take());
        assertEquals(0, s.read(0x04, 2));
        assertEquals(0x4, s.read(0x10, 4));
        assertEquals(1, s.msixTable().orElseThrow().read(0x0c, 4));
    }

    @Test
    void devicesThatCannotBeVirtualizedAreRefusedWithTheReason() {
        DeviceModels.Model bridge = DeviceModels.nvmeLike();
        bridge.device().set(0x0e, 1, 0x01);
        assertTrue(assertThrows(ConfigSpaceException.class, () -> create(bridge)).getMessage().contains("bridges"));

        DeviceModels.Model gone = DeviceModels.nvmeLike();
        gone.device().set(0x00, 4, 0xffffffff);
        assertTrue(assertThrows(ConfigSpaceException.class, () -> create(gone)).getMessage().contains("D3cold"));

        DeviceModels.Model loop = DeviceModels.nvmeLike();
        loop.device().set(0xd1, 1, 0x50);
        assertTrue(assertThrows(ConfigSpaceException.class, () -> create(loop)).getMessage().contains("loops"));
    }

    @Test
    void barSpecsAreProbedFromTypeBitsAndRegionSizes() {
        assertEquals(List.of(new BarSpec(0, BarKind.MEMORY64, 0x4000, false)), DeviceModels.nvmeLike().bars());
        assertEquals(List.of(new BarSpec(0, BarKind.MEMORY32, 1 << 20, false), new BarSpec(1, BarKind.IO, 0x100, false),
                new BarSpec(2, BarKind.MEMORY64, 8L << 30, true), new BarSpec(6, BarKind.ROM, 0x10000, false)),
                DeviceModels.eduLike().bars());
        assertThrows(IllegalArgumentException.class, () -> new BarSpec(0, BarKind.MEMORY32, 0x3000, false));
        assertFalse(new BarSpec(1, BarKind.IO, 4, false).isMemory());
    }

    @Test
    void everyHeaderByteIsGovernedByANamedRule() {
        VfioConfigSpace s = create(DeviceModels.nvmeLike());
        for (int off = 0; off < 0x40; off++) {
            assertFalse(s.describe(off).equals("hidden"), "header byte 0x" + Integer.toHexString(off));
        }
        assertEquals("hidden", s.describe(0xd4));
        assertEquals("command", s.describe(0x05));
    }
}
