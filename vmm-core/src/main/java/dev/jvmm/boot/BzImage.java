package dev.jvmm.boot;

import static dev.jvmm.boot.BootParams.BOOT_FLAG;
import static dev.jvmm.boot.BootParams.BOOT_FLAG_MAGIC;
import static dev.jvmm.boot.BootParams.CMDLINE_SIZE;
import static dev.jvmm.boot.BootParams.EDD_MBR_SIG_BUFFER;
import static dev.jvmm.boot.BootParams.HDR;
import static dev.jvmm.boot.BootParams.HDRS_MAGIC;
import static dev.jvmm.boot.BootParams.HEADER;
import static dev.jvmm.boot.BootParams.INITRD_ADDR_MAX;
import static dev.jvmm.boot.BootParams.INIT_SIZE;
import static dev.jvmm.boot.BootParams.JUMP;
import static dev.jvmm.boot.BootParams.KERNEL_ALIGNMENT;
import static dev.jvmm.boot.BootParams.KERNEL_INFO_OFFSET;
import static dev.jvmm.boot.BootParams.LOADED_HIGH;
import static dev.jvmm.boot.BootParams.LOADFLAGS;
import static dev.jvmm.boot.BootParams.PREF_ADDRESS;
import static dev.jvmm.boot.BootParams.RELOCATABLE_KERNEL;
import static dev.jvmm.boot.BootParams.SETUP_SECTS;
import static dev.jvmm.boot.BootParams.SYSSIZE;
import static dev.jvmm.boot.BootParams.VERSION;
import static dev.jvmm.boot.BootParams.XLF_KERNEL_64;
import static dev.jvmm.boot.BootParams.XLOADFLAGS;
import static dev.jvmm.boot.LittleEndian.u16;
import static dev.jvmm.boot.LittleEndian.u32;
import static dev.jvmm.boot.LittleEndian.u64;
import static dev.jvmm.boot.LittleEndian.u8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A Linux x86 bzImage, checked for the 64-bit boot protocol (Documentation/arch/x86/boot.rst).
 *
 * <p>The file is the real-mode setup (the boot sector and {@code setup_sects} sectors of 512 bytes,
 * holding the setup header at 0x1f1) followed by the protected-mode kernel, which is what a loader puts
 * in guest RAM. Accepted images have the "HdrS" header, boot flag 0xAA55, protocol 2.12 or later (for
 * {@code xloadflags}), {@code XLF_KERNEL_64} (a 64-bit entry at load address + 0x200) and
 * {@code LOADED_HIGH} (a bzImage, not a zImage). Every refusal is a {@link KernelImageException} naming
 * the image and the field.
 */
public final class BzImage {
    /** Protocol 2.12 added xloadflags, which says whether the 64-bit entry exists. */
    public static final int MIN_PROTOCOL = 0x020c;
    /** The 64-bit entry point's offset from the load address (startup_64). */
    public static final long ENTRY_64_OFFSET = 0x200;
    /** Boot protocol 2.12's header ends after handover_offset; anything shorter lacks fields we read. */
    static final int MIN_HDR_END = KERNEL_INFO_OFFSET;
    private static final int SECTOR = 512;
    private static final String PASS_BZIMAGE = "pass a bzImage (arch/x86/boot/bzImage, /boot/vmlinuz-*)";

    private final String name;
    private final byte[] header;
    private final byte[] payload;

    private BzImage(String name, byte[] header, byte[] payload) {
        this.name = name;
        this.header = header;
        this.payload = payload;
    }

    /** Reads and checks the bzImage at {@code path}. */
    public static BzImage read(Path path) {
        String name = path.toString();
        try {
            long size = Files.size(path);
            if (size > Integer.MAX_VALUE - 8) {
                throw new KernelImageException(name, "file", "is " + Sizes.size(size)
                        + ", larger than any bzImage — " + PASS_BZIMAGE);
            }
            return parse(name, Files.readAllBytes(path));
        } catch (NoSuchFileException e) {
            throw new KernelImageException(name, "file", "no such file — check the kernel path", e);
        } catch (IOException e) {
            throw new KernelImageException(name, "file", "cannot be read (" + e + ") — check the kernel path "
                    + "and its permissions", e);
        }
    }

    /** Checks {@code bytes} as a bzImage; {@code name} is used in error messages. */
    public static BzImage parse(String name, byte[] bytes) {
        int len = bytes.length;
        if (len >= 4 && bytes[0] == 0x7f && bytes[1] == 'E' && bytes[2] == 'L' && bytes[3] == 'F') {
            throw new KernelImageException(name, "header", "not a bzImage: this is an ELF file (a vmlinux?) — "
                    + PASS_BZIMAGE);
        }
        if (len < VERSION + 2) {
            throw new KernelImageException(name, "header", "not a bzImage: " + len + " bytes is too short to hold "
                    + "the setup header at 0x1f1 — " + PASS_BZIMAGE);
        }
        if (u32(bytes, HEADER) != HDRS_MAGIC) {
            throw new KernelImageException(name, "header", "not a bzImage: no HdrS magic at 0x202 — "
                    + PASS_BZIMAGE + ", not a vmlinux or an initrd");
        }
        if (u16(bytes, BOOT_FLAG) != BOOT_FLAG_MAGIC) {
            throw new KernelImageException(name, "boot_flag", "not a bzImage: boot_flag at 0x1fe is "
                    + Sizes.hex(u16(bytes, BOOT_FLAG)) + ", not 0xaa55 — " + PASS_BZIMAGE);
        }
        int version = u16(bytes, VERSION);
        if (version < MIN_PROTOCOL) {
            throw new KernelImageException(name, "version", "boot protocol " + protocolString(version)
                    + " too old, need ≥ 2.12 with a 64-bit entry (Linux 3.8 or later, built for x86_64)");
        }
        int hdrEnd = JUMP + 2 + u8(bytes, JUMP + 1);
        if (hdrEnd < MIN_HDR_END || hdrEnd > EDD_MBR_SIG_BUFFER) {
            throw new KernelImageException(name, "jump", "setup header end 0x202 + byte 0x201 = "
                    + Sizes.hex(hdrEnd) + " is outside [" + Sizes.hex(MIN_HDR_END) + ", "
                    + Sizes.hex(EDD_MBR_SIG_BUFFER) + "] for protocol " + protocolString(version)
                    + " — the image is corrupt; " + PASS_BZIMAGE);
        }
        if (len < hdrEnd) {
            throw new KernelImageException(name, "jump", "truncated: the setup header ends at " + Sizes.hex(hdrEnd)
                    + " but the file is only " + len + " bytes — the file is incomplete; copy it again");
        }
        int xloadflags = u16(bytes, XLOADFLAGS);
        if ((xloadflags & XLF_KERNEL_64) == 0) {
            throw new KernelImageException(name, "xloadflags", "no 64-bit entry point (xloadflags "
                    + Sizes.hex(xloadflags) + " lacks XLF_KERNEL_64) — pass a kernel built for x86_64");
        }
        if ((u8(bytes, LOADFLAGS) & LOADED_HIGH) == 0) {
            throw new KernelImageException(name, "loadflags", "a zImage (loadflags lacks LOADED_HIGH), which "
                    + "loads at 0x10000 — " + PASS_BZIMAGE);
        }
        int sects = u8(bytes, SETUP_SECTS) == 0 ? 4 : u8(bytes, SETUP_SECTS);
        int kernelOffset = (sects + 1) * SECTOR;
        if (len <= kernelOffset) {
            throw new KernelImageException(name, "setup_sects", "truncated: setup_sects = " + sects
                    + " puts the kernel at " + Sizes.hex(kernelOffset) + " but the file is only " + len
                    + " bytes — the file is incomplete; copy it again");
        }
        long syssizeBytes = u32(bytes, SYSSIZE) * 16;
        int payloadLength = len - kernelOffset;
        if (syssizeBytes > payloadLength + 15L) {
            throw new KernelImageException(name, "syssize", "truncated: syssize says " + syssizeBytes
                    + " bytes of protected-mode kernel but only " + payloadLength
                    + " follow the setup sectors — the file is incomplete; copy it again");
        }
        long alignment = u32(bytes, KERNEL_ALIGNMENT);
        if (u8(bytes, RELOCATABLE_KERNEL) != 0 && Long.bitCount(alignment) != 1) {
            throw new KernelImageException(name, "kernel_alignment", "relocatable kernel with kernel_alignment "
                    + Sizes.hex(alignment) + ", not a power of two — the image is corrupt; " + PASS_BZIMAGE);
        }
        byte[] header = Arrays.copyOfRange(bytes, HDR, hdrEnd);
        byte[] payload = Arrays.copyOfRange(bytes, kernelOffset, len);
        return new BzImage(name, header, payload);
    }

    private static String protocolString(int version) {
        return (version >>> 8) + "." + String.format("%02d", version & 0xff);
    }

    private int hdr8(int offset) {
        return u8(header, offset - HDR);
    }

    private long hdr32(int offset) {
        return u32(header, offset - HDR);
    }

    /** The file name or label given when parsing, used in messages. */
    public String name() {
        return name;
    }

    /** Boot protocol version, e.g. 0x020f for 2.15. */
    public int version() {
        return u16(header, VERSION - HDR);
    }

    /** The version as "2.15". */
    public String protocol() {
        return protocolString(version());
    }

    /** Setup sectors after the boot sector (0 in the file means 4). */
    public int setupSects() {
        int s = hdr8(SETUP_SECTS);
        return s == 0 ? 4 : s;
    }

    /** Size of the protected-mode code in 16-byte paragraphs. */
    public long syssize() {
        return hdr32(SYSSIZE);
    }

    public int loadflags() {
        return hdr8(LOADFLAGS);
    }

    public int xloadflags() {
        return u16(header, XLOADFLAGS - HDR);
    }

    public long kernelAlignment() {
        return hdr32(KERNEL_ALIGNMENT);
    }

    public boolean relocatable() {
        return hdr8(RELOCATABLE_KERNEL) != 0;
    }

    /** Where the kernel prefers to run (LOAD_PHYSICAL_ADDR); a non-relocatable kernel moves itself here. */
    public long prefAddress() {
        return u64(header, PREF_ADDRESS - HDR);
    }

    /** Bytes the kernel needs from its runtime start address before it reads the memory map. */
    public long initSize() {
        return hdr32(INIT_SIZE);
    }

    /** Longest command line the kernel takes, without the terminating NUL. */
    public long cmdlineSize() {
        return hdr32(CMDLINE_SIZE);
    }

    /** Highest address the initrd may occupy (its last byte). */
    public long initrdAddrMax() {
        return hdr32(INITRD_ADDR_MAX);
    }

    /** The setup header as in the file, from 0x1f1 to 0x202 + byte 0x201 (a copy). */
    public byte[] setupHeader() {
        return header.clone();
    }

    /** Length of the protected-mode kernel: what the loader copies into guest RAM. */
    public int payloadSize() {
        return payload.length;
    }

    /** The protected-mode kernel itself, shared with the loader (not copied: it can be tens of MiB). */
    byte[] payload() {
        return payload;
    }

    @Override
    public String toString() {
        return "BzImage[" + name + ", protocol " + protocol() + ", " + Sizes.size(payload.length)
                + (relocatable() ? ", relocatable align " + Sizes.hex(kernelAlignment()) : "")
                + ", pref " + Sizes.hex(prefAddress()) + ", init_size " + Sizes.hex(initSize()) + "]";
    }
}
