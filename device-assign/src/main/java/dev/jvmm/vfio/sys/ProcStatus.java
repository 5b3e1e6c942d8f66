package dev.jvmm.vfio.sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The two lines of {@code /proc/self/status} the locked-memory check needs: {@code VmLck} (memory this
 * process has locked, in kB) and {@code CapEff} (effective capabilities, a hex bitmap).
 */
record ProcStatus(long lockedBytes, long effectiveCapabilities) {

    static ProcStatus read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static ProcStatus parse(String content) {
        long locked = 0;
        long caps = 0;
        for (String line : content.split("\n")) {
            if (line.startsWith("VmLck:")) {
                String value = line.substring("VmLck:".length()).strip();
                if (!value.endsWith(" kB")) {
                    throw new IllegalStateException("/proc/self/status has \"" + line + "\", not VmLck: <n> kB");
                }
                locked = Math.multiplyExact(Long.parseLong(value.substring(0, value.length() - 3).strip()), 1024L);
            } else if (line.startsWith("CapEff:")) {
                caps = Long.parseUnsignedLong(line.substring("CapEff:".length()).strip(), 16);
            }
        }
        return new ProcStatus(locked, caps);
    }

    boolean hasCapability(int capability) {
        return (effectiveCapabilities & (1L << capability)) != 0;
    }
}
