package dev.jvmm.vfio.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PciAddressTest {

    @Test
    void parsesTheFormsLspciPrints() {
        assertEquals(new PciAddress(0, 6, 0x0d, 0), PciAddress.parse("0000:06:0d.0"));
        assertEquals(new PciAddress(0, 6, 0x0d, 1), PciAddress.parse("06:0d.1"));
        assertEquals(new PciAddress(0x10, 0xff, 0x1f, 7), PciAddress.parse(" 10:FF:1f.7 "));
        assertEquals("0010:ff:1f.7", PciAddress.parse("10:FF:1f.7").toString());
        assertEquals("0000:00:03.0", new PciAddress(0, 0, 3, 0).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0000:06:0d", "0000:06:0d.8", "00000:06:0d.0", "0000:106:0d.0", "0000:06:0d.0x", "06.0d.0"})
    void refusesWhatIsNotAnAddress(String text) {
        PciAddressException e = assertThrows(PciAddressException.class, () -> PciAddress.parse(text));
        assertEquals("\"" + text + "\" is not a PCI address: write domain:bus:device.function in hex as lspci -D"
                + " prints it, e.g. 0000:06:0d.0", e.getMessage());
    }

    @Test
    void refusesADeviceNumberAbove0x1f() {
        PciAddressException e = assertThrows(PciAddressException.class, () -> PciAddress.parse("0000:06:20.0"));
        assertEquals("\"0000:06:20.0\" is not a PCI address: device number 0x20 is above 0x1f", e.getMessage());
        assertThrows(PciAddressException.class, () -> new PciAddress(0, 256, 0, 0));
    }

    @Test
    void ordersByDomainBusDeviceFunction() {
        assertTrue(PciAddress.parse("0000:01:00.1").compareTo(PciAddress.parse("0000:02:00.0")) < 0);
        assertTrue(PciAddress.parse("0001:00:00.0").compareTo(PciAddress.parse("0000:ff:1f.7")) > 0);
        assertTrue(PciAddress.parse("0000:00:01.0").compareTo(PciAddress.parse("0000:00:00.7")) > 0);
    }
}
