package dev.jvmm.pci;

/** A PCI address string did not parse; the message quotes it and gives the expected format. */
public final class PciBdfFormatException extends IllegalArgumentException {
    private final String input;

    PciBdfFormatException(String input, String problem) {
        super("bad PCI address \"" + input + "\": " + problem + "; expected [domain:]bus:device.function in hex, "
                + "such as 0000:00:1f.3 or 00:1f.3 (domain 0000-ffff, bus 00-ff, device 00-1f, function 0-7)");
        this.input = input;
    }

    /** The string that failed to parse. */
    public String input() {
        return input;
    }
}
