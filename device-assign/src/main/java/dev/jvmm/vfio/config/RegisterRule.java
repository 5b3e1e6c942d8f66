package dev.jvmm.vfio.config;

import java.util.Objects;

/**
 * One row of the config-space table: how the guest sees the {@code width}-byte register at
 * {@code offset}. Each mask is a bit mask over the register:
 * <ul>
 *   <li>{@code emulated}: bits read from the emulated value ({@code initial} at first) instead of the
 *       device;</li>
 *   <li>{@code writable}: emulated bits the guest can set and clear;</li>
 *   <li>{@code writeOneToClear}: emulated bits a guest write of 1 clears;</li>
 *   <li>{@code deviceWritable}: bits of a guest write passed to the device;</li>
 *   <li>{@code devicePreserved}: device bits written back unchanged when a guest write is passed on
 *       (device bits that neither pass nor are preserved are written as 0: read-only or
 *       write-1-to-clear in the device, where 0 changes nothing).</li>
 * </ul>
 * A bit in no mask reads from the device and ignores writes. {@code reason} says why, citing the spec.
 */
public record RegisterRule(String name, int offset, int width, int emulated, int writable, int writeOneToClear,
                           int deviceWritable, int devicePreserved, int initial, String reason) {

    public RegisterRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(reason, "reason");
        if (width != 1 && width != 2 && width != 4) {
            throw new IllegalArgumentException(name + ": width must be 1, 2 or 4, got " + width);
        }
        if (offset < 0 || offset + width > PciRegs.PCI_CFG_SPACE_SIZE) {
            throw new IllegalArgumentException(name + ": offset 0x" + Integer.toHexString(offset)
                    + " is outside the 256-byte config header");
        }
        int all = width == 4 ? -1 : (1 << (8 * width)) - 1;
        int any = emulated | writable | writeOneToClear | deviceWritable | devicePreserved | initial;
        if ((any & ~all) != 0) {
            throw new IllegalArgumentException(name + ": a mask or the initial value has bits beyond " + width + " bytes");
        }
        if (((writable | writeOneToClear) & ~emulated) != 0 || (writable & writeOneToClear) != 0) {
            throw new IllegalArgumentException(name + ": writable and write-1-to-clear bits must be emulated and disjoint");
        }
        if ((deviceWritable & devicePreserved) != 0) {
            throw new IllegalArgumentException(name + ": a device bit cannot be both passed on and preserved");
        }
    }

    /** Fully emulated, read-only, reading {@code value}. */
    public static RegisterRule readOnly(String name, int offset, int width, int value, String reason) {
        return new RegisterRule(name, offset, width, mask(width), 0, 0, 0, 0, value, reason);
    }

    /** Fully emulated, every bit in {@code writable} guest-writable, starting at {@code initial}. */
    public static RegisterRule emulated(String name, int offset, int width, int writable, int initial, String reason) {
        return new RegisterRule(name, offset, width, mask(width), writable, 0, 0, 0, initial, reason);
    }

    /** Read from the device; guest writes of {@code deviceWritable} bits pass to it as they are. */
    public static RegisterRule passThrough(String name, int offset, int width, int deviceWritable, String reason) {
        return new RegisterRule(name, offset, width, 0, 0, 0, deviceWritable, 0, 0, reason);
    }

    /** The same rule at {@code offset + delta} (capability rules are written relative to the capability). */
    public RegisterRule shifted(int delta) {
        return new RegisterRule(name, offset + delta, width, emulated, writable, writeOneToClear, deviceWritable,
                devicePreserved, initial, reason);
    }

    /** The same rule reading {@code value} where it is emulated. */
    public RegisterRule withInitial(int value) {
        return new RegisterRule(name, offset, width, emulated, writable, writeOneToClear, deviceWritable,
                devicePreserved, value & emulated, reason);
    }

    static int mask(int width) {
        return width == 4 ? -1 : (1 << (8 * width)) - 1;
    }
}
