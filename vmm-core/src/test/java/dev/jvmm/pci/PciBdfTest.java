package dev.jvmm.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class PciBdfTest {
    @Test
    void parsesTheSysfsFormWithAndWithoutDomain() {
        assertEquals(new PciBdf(0, 0, 0x1f, 3), PciBdf.parse("0000:00:1f.3"));
        assertEquals(new PciBdf(0, 0, 0x1f, 3), PciBdf.parse("00:1f.3"));
        assertEquals(new PciBdf(0x10, 0xab, 0x0d, 7), PciBdf.parse("0010:AB:0D.7"));
        assertEquals(new PciBdf(0, 6, 0x0d, 1), PciBdf.parse(" 0000:06:0d.1\n"));
    }

    @Test
    void printsWhatItParses() {
        PciBdf bdf = PciBdf.parse("0001:06:0d.1");
        assertEquals("0001:06:0d.1", bdf.toString());
        assertEquals("06:0d.1", bdf.toShortString());
        assertEquals(0x69, bdf.devfn());
        assertEquals(PciBdf.of(6, 0xd, 1), PciBdf.parse(PciBdf.of(6, 0xd, 1).toShortString()));
    }

    @Test
    void badInputNamesTheInputAndTheExpectedFormat() {
        for (String bad : List.of("", "0:1f.3", "00:1f", "00:1f.8", "00:20.0", "00:1g.0", "0000:00:1f.3.1",
                "00000:00:1f.3", "00-1f-3", "00:1f.f")) {
            PciBdfFormatException e = assertThrows(PciBdfFormatException.class, () -> PciBdf.parse(bad), bad);
            assertEquals(bad, e.input());
            assertTrue(e.getMessage().contains("\"" + bad + "\""), e.getMessage());
            assertTrue(e.getMessage().contains("such as 0000:00:1f.3 or 00:1f.3"), e.getMessage());
        }
        assertTrue(assertThrows(PciBdfFormatException.class, () -> PciBdf.parse("00:20.0")).getMessage()
                .contains("device 0x20 is above 0x1f"));
        assertThrows(PciBdfFormatException.class, () -> PciBdf.parse(null));
    }

    @Test
    void componentsAreRangeChecked() {
        assertThrows(IllegalArgumentException.class, () -> PciBdf.of(256, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> PciBdf.of(0, 32, 0));
        assertThrows(IllegalArgumentException.class, () -> PciBdf.of(0, 0, 8));
        assertThrows(IllegalArgumentException.class, () -> new PciBdf(0x10000, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> PciBdf.of(-1, 0, 0));
    }

    @Test
    void ordersByDomainBusDeviceFunction() {
        var set = new TreeSet<>(List.of(PciBdf.parse("0001:00:00.0"), PciBdf.parse("00:1f.0"),
                PciBdf.parse("01:00.0"), PciBdf.parse("00:02.1"), PciBdf.parse("00:02.0")));
        assertEquals("[0000:00:02.0, 0000:00:02.1, 0000:00:1f.0, 0000:01:00.0, 0001:00:00.0]", set.toString());
    }
}
