package dev.jvmm.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class PciIntxRoutingTest {

    static RecordingFunction withPin(String name, int pin) {
        PciConfigSpace config = PciConfigSpace.type0(new PciIdentity(0x1af4, 0x1041, 1, 0x02_00_00, 0x1af4, 1),
                PciConfigSpace.CONVENTIONAL_SIZE);
        config.setInterruptPin(pin);
        return new RecordingFunction(name, config, null, null);
    }

    @Test
    void slotsSwizzleOverTheEightIoapicPinsAboveTheIsaIrqs() {
        assertEquals(16, PciIntxRouting.gsi(0, 1));
        assertEquals(17, PciIntxRouting.gsi(1, 1));
        assertEquals(18, PciIntxRouting.gsi(1, 2));
        assertEquals(23, PciIntxRouting.gsi(7, 1));
        assertEquals(16, PciIntxRouting.gsi(8, 1), "slot 8 wraps around to the first line");
        assertEquals(18, PciIntxRouting.gsi(31, 4));
        for (int slot = 0; slot < 32; slot++) {
            for (int pin = 1; pin <= 4; pin++) {
                int gsi = PciIntxRouting.gsi(slot, pin);
                assertEquals(true, gsi >= 16 && gsi <= 23, "slot " + slot + " pin " + pin + " -> " + gsi);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> PciIntxRouting.gsi(0, 0));
        assertThrows(IllegalArgumentException.class, () -> PciIntxRouting.gsi(32, 1));
        assertThrows(IllegalArgumentException.class, () -> new PciIntxRouting.Route(2, 1, 16));
    }

    @Test
    void routesListEachUsedSlotAndPinOnceInOrder() {
        PciBus bus = new PciBus(0);
        bus.add(new PciHostBridge());
        bus.add(withPin("b", 2), PciBdf.parse("00:05.0"));
        bus.add(withPin("a", 1), PciBdf.parse("00:03.0"));
        bus.add(withPin("a1", 1), PciBdf.parse("00:03.1"));
        bus.add(withPin("none", 0), PciBdf.parse("00:04.0"));
        assertEquals(List.of(new PciIntxRouting.Route(3, 1, 19), new PciIntxRouting.Route(5, 2, 22)),
                PciIntxRouting.routes(bus));
    }
}
