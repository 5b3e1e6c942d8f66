package dev.jvmm.pci;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PCI function address: domain (segment group), bus, device (slot) and function, as Linux prints it
 * in sysfs ({@code 0000:00:1f.3}). Used both for the guest's topology and for host devices being
 * assigned, whose domain may be non-zero.
 *
 * <p>Invariants: domain 0-0xffff, bus 0-255, device 0-31, function 0-7.
 */
public record PciBdf(int domain, int bus, int device, int function) implements Comparable<PciBdf> {
    public static final int MAX_DOMAIN = 0xffff;
    public static final int MAX_BUS = 0xff;
    public static final int MAX_DEVICE = 0x1f;
    public static final int MAX_FUNCTION = 7;

    private static final Pattern FORMAT =
            Pattern.compile("(?:(\\p{XDigit}{4}):)?(\\p{XDigit}{2}):(\\p{XDigit}{2})\\.(\\p{XDigit})");

    public PciBdf {
        check("domain", domain, MAX_DOMAIN);
        check("bus", bus, MAX_BUS);
        check("device", device, MAX_DEVICE);
        check("function", function, MAX_FUNCTION);
    }

    private static void check(String what, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(String.format("PCI %s must be 0-0x%x, got 0x%x", what, max, value));
        }
    }

    /** Function {@code function} of device {@code device} on {@code bus}, domain 0. */
    public static PciBdf of(int bus, int device, int function) {
        return new PciBdf(0, bus, device, function);
    }

    /**
     * Parses {@code dddd:bb:dd.f} or {@code bb:dd.f} (domain 0), hex digits in either case, with exactly
     * the digit counts Linux prints; throws {@link PciBdfFormatException} naming the format otherwise.
     */
    public static PciBdf parse(String text) {
        if (text == null) {
            throw new PciBdfFormatException("null", "no address given");
        }
        Matcher m = FORMAT.matcher(text.strip());
        if (!m.matches()) {
            throw new PciBdfFormatException(text, "not of the form [dddd:]bb:dd.f");
        }
        int domain = m.group(1) == null ? 0 : Integer.parseInt(m.group(1), 16);
        int bus = Integer.parseInt(m.group(2), 16);
        int device = Integer.parseInt(m.group(3), 16);
        int function = Integer.parseInt(m.group(4), 16);
        if (device > MAX_DEVICE) {
            throw new PciBdfFormatException(text, String.format("device 0x%02x is above 0x1f", device));
        }
        if (function > MAX_FUNCTION) {
            throw new PciBdfFormatException(text, "function " + m.group(4) + " is above 7");
        }
        return new PciBdf(domain, bus, device, function);
    }

    /** Device and function as one byte, {@code device << 3 | function}, as in config addresses. */
    public int devfn() {
        return device << 3 | function;
    }

    /** {@code bb:dd.f}, without the domain. */
    public String toShortString() {
        return String.format("%02x:%02x.%x", bus, device, function);
    }

    /** {@code dddd:bb:dd.f}, as in {@code /sys/bus/pci/devices}. */
    @Override
    public String toString() {
        return String.format("%04x:%02x:%02x.%x", domain, bus, device, function);
    }

    @Override
    public int compareTo(PciBdf o) {
        return Long.compare(key(), o.key());
    }

    private long key() {
        return (long) domain << 16 | bus << 8 | devfn();
    }
}
