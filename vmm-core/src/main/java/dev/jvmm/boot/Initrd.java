package dev.jvmm.boot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/** An initial ramdisk (cpio archive, possibly compressed) to hand to the kernel; never empty. */
public record Initrd(String name, byte[] bytes) {

    public Initrd {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length == 0) {
            throw new BootSetupException("initrd " + name + " is empty: pass a cpio archive or leave the initrd out");
        }
    }

    public static Initrd read(Path path) {
        String name = path.toString();
        try {
            long size = Files.size(path);
            if (size > Integer.MAX_VALUE - 8) {
                throw new BootSetupException("initrd " + name + " is " + Sizes.size(size) + "; the loader takes at "
                        + "most 2 GiB (and the kernel's initrd_addr_max is usually 2 GiB): use a smaller initrd");
            }
            return new Initrd(name, Files.readAllBytes(path));
        } catch (NoSuchFileException e) {
            throw new BootSetupException("initrd " + name + ": no such file — check the initrd path", e);
        } catch (IOException e) {
            throw new BootSetupException("initrd " + name + " cannot be read (" + e + ") — check the path and its "
                    + "permissions", e);
        }
    }

    public long size() {
        return bytes.length;
    }
}
