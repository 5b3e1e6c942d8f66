package dev.jvmm.memory;

/**
 * The text given as an IOMMU group's {@code reserved_regions} file is not in the kernel's format
 * ({@code 0x<start> 0x<end> <type>} per line, both addresses inclusive).
 */
public final class ReservedRegionsFormatException extends IllegalArgumentException {

    private final int lineNumber;

    ReservedRegionsFormatException(int lineNumber, String line, String problem) {
        super("reserved_regions line " + lineNumber + " \"" + line + "\": " + problem
                + "; expected \"0x<start> 0x<end> <type>\" as /sys/kernel/iommu_groups/N/reserved_regions"
                + " writes it (pass the file's content unchanged)");
        this.lineNumber = lineNumber;
    }

    /** 1-based line of the offending text. */
    public int lineNumber() {
        return lineNumber;
    }
}
