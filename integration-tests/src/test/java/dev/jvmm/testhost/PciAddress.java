package dev.jvmm.testhost;

import java.util.regex.Pattern;

/** A PCI function address as sysfs names it, {@code 0000:00:02.0} (domain:bus:device.function). */
public record PciAddress(String value) {
    private static final Pattern FORM = Pattern.compile("[0-9a-f]{4}:[0-9a-f]{2}:[01][0-9a-f]\\.[0-7]");

    public PciAddress {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("not a PCI address: '" + value
                    + "'; expected domain:bus:device.function in lower-case hex, e.g. 0000:00:02.0");
        }
    }

    public static PciAddress parse(String text) {
        return new PciAddress(text == null ? null : text.strip());
    }

    @Override
    public String toString() {
        return value;
    }
}
