package dev.jvmm.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.bus.Bus;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class PciBusTest {
    final PciBus bus = new PciBus(0);

    static RecordingFunction function(String name) {
        return new RecordingFunction(name, PciConfigSpace.type0(
                new PciIdentity(0x1af4, 0x1041, 1, 0x02_00_00, 0x1af4, 1), PciConfigSpace.CONVENTIONAL_SIZE), null, null);
    }

    @Test
    void devicesTakeTheNextFreeSlotOrTheirAddress() {
        assertEquals(PciBdf.of(0, 0, 0), bus.add(new PciHostBridge()));
        assertEquals(PciBdf.of(0, 5, 0), bus.add(function("a"), PciBdf.parse("00:05.0")));
        assertEquals(PciBdf.of(0, 1, 0), bus.add(function("b")));
        bus.add(function("c"), PciBdf.parse("00:02.3"));
        assertEquals(PciBdf.of(0, 3, 0), bus.add(function("d")), "a slot with any function in use is taken");
        IllegalArgumentException taken = assertThrows(IllegalArgumentException.class,
                () -> bus.add(function("e"), PciBdf.parse("00:05.0")));
        assertTrue(taken.getMessage().contains("cannot add e at 00:05.0: a is there"), taken.getMessage());
        assertThrows(IllegalArgumentException.class, () -> bus.add(function("f"), PciBdf.parse("01:00.0")));
        assertEquals("a", bus.remove(PciBdf.parse("00:05.0")).orElseThrow().name());
        assertEquals(PciBdf.of(0, 4, 0), bus.add(function("g")));
        assertEquals(List.of("0000:00:00.0", "0000:00:01.0", "0000:00:02.3", "0000:00:03.0", "0000:00:04.0"),
                bus.devices().keySet().stream().map(PciBdf::toString).toList());
    }

    @Test
    void aFullBusSaysSo() {
        for (int i = 0; i < PciBus.DEVICES; i++) {
            bus.add(function("f" + i));
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> bus.add(function("one more")));
        assertTrue(e.getMessage().contains("all 32 device slots on bus 00 are taken"), e.getMessage());
    }

    @Test
    void emptyFunctionsAndMalformedAccessesReadAllOnes() {
        bus.add(new PciHostBridge());
        assertEquals(0x0008_1b36, bus.configRead(0, 0, 0, 4));
        assertEquals(-1, bus.configRead(1, 0, 0, 4));
        assertEquals(0xffff, bus.configRead(0, 1, 0, 2));
        assertEquals(0xff, bus.configRead(0, 0, 0x100, 1), "the host bridge's space is 256 bytes");
        assertEquals(-1, bus.configRead(0, 0, 2, 4), "crossing a dword");
        assertEquals(-1, bus.configRead(32, 0, 0, 4));
        assertEquals(0xffffff, bus.configRead(0, 0, 0, 3));
        bus.configWrite(40, 9, 0x5000, 3, 0); // dropped, not thrown
    }

    @Test
    void barMovesAreReportedWhenDecodingChangesAndOnlyThen() {
        Bus mmio = new Bus("mmio");
        RecordingFunction f = new RecordingFunction("nic", PciConfigSpace.type0(
                new PciIdentity(0x8086, 0x10d3, 0, 0x02_00_00, 0, 0), PciConfigSpace.CONVENTIONAL_SIZE), mmio, null);
        f.config.addBar(0, PciBarType.MEMORY32, 0x1000, false);
        f.config.addBar(2, PciBarType.MEMORY64, 0x4000, false);
        bus.add(f, PciBdf.parse("00:03.0"));

        bus.configWrite(3, 0, 0x10, 4, 0xc000_0000);
        bus.configWrite(3, 0, 0x18, 4, 0x0000_0000);
        bus.configWrite(3, 0, 0x1c, 4, 0x0000_0010);
        assertEquals(List.of(), f.moves, "nothing decodes while Command.Memory is clear");

        bus.configWrite(3, 0, 0x04, 2, 0x0002);
        assertEquals(List.of(
                new RecordingFunction.Move(0, OptionalLong.empty(), OptionalLong.of(0xc000_0000L)),
                new RecordingFunction.Move(2, OptionalLong.empty(), OptionalLong.of(0x10_0000_0000L))), f.moves);
        assertEquals(0xba00, mmio.read(0xc000_0000L, 4));
        assertEquals(0xba02, mmio.read(0x10_0000_0000L, 4));

        f.moves.clear();
        bus.configWrite(3, 0, 0x10, 4, 0xc000_0000); // same address again
        bus.configWrite(3, 0, 0x0c, 1, 0x10); // cache line size, not decoding
        assertEquals(List.of(), f.moves);

        bus.configWrite(3, 0, 0x1c, 4, 0x0000_0020); // the guest moves the 64-bit BAR while decoding
        assertEquals(List.of(new RecordingFunction.Move(2, OptionalLong.of(0x10_0000_0000L),
                OptionalLong.of(0x20_0000_0000L))), f.moves);
        assertEquals(0xba02, mmio.read(0x20_0000_0000L, 4));
        assertEquals(0xffff_ffffL, mmio.read(0x10_0000_0000L, 4), "old range unmapped");

        f.moves.clear();
        bus.configWrite(3, 0, 0x04, 2, 0x0000);
        assertEquals(List.of(
                new RecordingFunction.Move(0, OptionalLong.of(0xc000_0000L), OptionalLong.empty()),
                new RecordingFunction.Move(2, OptionalLong.of(0x20_0000_0000L), OptionalLong.empty())), f.moves);
        assertEquals(List.of(), mmio.ranges());
    }
}
