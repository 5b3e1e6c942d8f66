package dev.jvmm.vfio.host;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A host PCI function's address, domain:bus:device.function, as {@code lspci -D} and sysfs spell it
 * ({@code 0000:06:0d.0}). {@link #toString()} gives that canonical form, which is also the name
 * {@code VFIO_GROUP_GET_DEVICE_FD} expects.
 *
 * <p>vmm-core has no PCI address type yet; when it gains one ({@code dev.jvmm.pci.PciBdf}), this record
 * should give way to it.
 */
public record PciAddress(int domain, int bus, int device, int function) implements Comparable<PciAddress> {

    private static final Pattern FORM = Pattern.compile(
            "(?:([0-9a-fA-F]{1,4}):)?([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})\\.([0-7])");

    public PciAddress {
        check("domain", domain, 0xffff);
        check("bus", bus, 0xff);
        check("device", device, 0x1f);
        check("function", function, 7);
    }

    /**
     * Parses {@code dddd:bb:dd.f} or, with domain 0, {@code bb:dd.f} (hex digits, either case).
     *
     * @throws PciAddressException naming the text and the expected form
     */
    public static PciAddress parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new PciAddressException("\"" + text + "\" is not a PCI address: write domain:bus:device.function"
                    + " in hex as lspci -D prints it, e.g. 0000:06:0d.0");
        }
        int domain = m.group(1) == null ? 0 : Integer.parseInt(m.group(1), 16);
        int device = Integer.parseInt(m.group(3), 16);
        if (device > 0x1f) {
            throw new PciAddressException("\"" + text + "\" is not a PCI address: device number 0x"
                    + Integer.toHexString(device) + " is above 0x1f");
        }
        return new PciAddress(domain, Integer.parseInt(m.group(2), 16), device, Integer.parseInt(m.group(4)));
    }

    private static void check(String field, int value, int max) {
        if (value < 0 || value > max) {
            throw new PciAddressException("PCI " + field + " " + value + " is outside 0-0x" + Integer.toHexString(max));
        }
    }

    @Override
    public int compareTo(PciAddress o) {
        return Long.compare(packed(), o.packed());
    }

    private long packed() {
        return ((long) domain << 16) | (bus << 8) | (device << 3) | function;
    }

    /** {@code dddd:bb:dd.f}, lower-case hex. */
    @Override
    public String toString() {
        return String.format("%04x:%02x:%02x.%x", domain, bus, device, function);
    }
}
