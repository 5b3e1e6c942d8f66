package dev.jvmm.vfio.config;

/** Why a BAR is, or is not, mapped into the guest. */
public enum BarStatus {
    /** Decoding is off (command register, or the ROM enable bit). */
    DISABLED,
    /** Decoding and mapped at its programmed address. */
    MAPPED,
    /** Decoding, but the programmed range leaves the guest window for its kind: not mapped. */
    OUTSIDE_WINDOW,
    /** Decoding inside its window, but over another BAR of this device mapped before it: not mapped. */
    OVERLAPPING
}
