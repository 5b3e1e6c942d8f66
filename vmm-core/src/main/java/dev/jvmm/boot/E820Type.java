package dev.jvmm.boot;

/** The e820 address range types of {@code arch/x86/include/asm/e820/types.h}. */
public enum E820Type {
    RAM(1),
    RESERVED(2),
    ACPI(3),
    NVS(4),
    UNUSABLE(5),
    PMEM(7);

    private final int code;

    E820Type(int code) {
        this.code = code;
    }

    /** The value in {@code struct boot_e820_entry.type}. */
    public int code() {
        return code;
    }

    public static E820Type of(int code) {
        for (E820Type t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown e820 type " + code + " (known: 1 RAM, 2 reserved, 3 ACPI, "
                + "4 NVS, 5 unusable, 7 PMEM)");
    }
}
