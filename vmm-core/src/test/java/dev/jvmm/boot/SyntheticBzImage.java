package dev.jvmm.boot;

import static dev.jvmm.boot.BootParams.BOOT_FLAG;
import static dev.jvmm.boot.BootParams.CMDLINE_SIZE;
import static dev.jvmm.boot.BootParams.HEADER;
import static dev.jvmm.boot.BootParams.INITRD_ADDR_MAX;
import static dev.jvmm.boot.BootParams.INIT_SIZE;
import static dev.jvmm.boot.BootParams.JUMP;
import static dev.jvmm.boot.BootParams.KERNEL_ALIGNMENT;
import static dev.jvmm.boot.BootParams.LOADFLAGS;
import static dev.jvmm.boot.BootParams.PREF_ADDRESS;
import static dev.jvmm.boot.BootParams.RELOCATABLE_KERNEL;
import static dev.jvmm.boot.BootParams.SETUP_SECTS;
import static dev.jvmm.boot.BootParams.SYSSIZE;
import static dev.jvmm.boot.BootParams.VERSION;
import static dev.jvmm.boot.BootParams.XLOADFLAGS;

import java.util.Arrays;

/**
 * Builds bzImage files with chosen setup-header fields: a boot sector and setup sectors filled with a
 * recognizable pattern around the header, followed by a protected-mode "kernel" of patterned bytes. No
 * real kernel is needed to test the parser and the loader's placement rules.
 */
public final class SyntheticBzImage {
    int setupSects = 3;
    int bootFlag = BootParams.BOOT_FLAG_MAGIC;
    long header = BootParams.HDRS_MAGIC;
    int version = 0x020f;
    int hdrEnd = BootParams.HDR_END_2_15;
    int loadflags = BootParams.LOADED_HIGH;
    int xloadflags = BootParams.XLF_KERNEL_64 | BootParams.XLF_CAN_BE_LOADED_ABOVE_4G;
    long kernelAlignment = 0x20_0000;
    boolean relocatable = true;
    long prefAddress = 0x100_0000;
    long initSize = 0x200_0000;
    long cmdlineSize = 2047;
    long initrdAddrMax = 0x7fff_ffff;
    int payloadSize = 64 * 1024;
    /** syssize in paragraphs; -1 derives it from payloadSize as tools/build.c does. */
    long syssize = -1;
    /** The protected-mode kernel's bytes; null for {@link #payloadByte} patterned bytes of payloadSize. */
    byte[] payload;

    /** A kernel whose 64-bit entry (offset 0x200 of the protected-mode code) is {@code entryCode}. */
    public SyntheticBzImage withEntryCode(byte[] entryCode) {
        payload = new byte[(int) BzImage.ENTRY_64_OFFSET + entryCode.length];
        Arrays.fill(payload, 0, (int) BzImage.ENTRY_64_OFFSET, (byte) 0xcc); // int3: never run
        System.arraycopy(entryCode, 0, payload, (int) BzImage.ENTRY_64_OFFSET, entryCode.length);
        payloadSize = payload.length;
        return this;
    }

    public SyntheticBzImage nonRelocatable() {
        relocatable = false;
        return this;
    }

    /** The byte at {@code i} of the protected-mode kernel. */
    static byte payloadByte(int i) {
        return (byte) (i * 31 + 7);
    }

    public byte[] build() {
        int sects = setupSects == 0 ? 4 : setupSects;
        int kernelOffset = (sects + 1) * 512;
        byte[] b = new byte[kernelOffset + payloadSize];
        for (int i = 0; i < kernelOffset; i++) {
            b[i] = (byte) (0xa0 + i % 16);
        }
        for (int i = 0x1f1; i < Math.min(hdrEnd, kernelOffset); i++) {
            b[i] = 0;
        }
        for (int i = 0; i < payloadSize; i++) {
            b[kernelOffset + i] = payload != null ? payload[i] : payloadByte(i);
        }
        LittleEndian.put8(b, SETUP_SECTS, setupSects);
        LittleEndian.put32(b, SYSSIZE, syssize >= 0 ? syssize : (payloadSize + 15) / 16);
        LittleEndian.put16(b, BOOT_FLAG, bootFlag);
        LittleEndian.put8(b, JUMP, 0xeb);
        LittleEndian.put8(b, JUMP + 1, hdrEnd - (JUMP + 2));
        LittleEndian.put32(b, HEADER, header);
        LittleEndian.put16(b, VERSION, version);
        LittleEndian.put8(b, LOADFLAGS, loadflags);
        LittleEndian.put32(b, INITRD_ADDR_MAX, initrdAddrMax);
        LittleEndian.put32(b, KERNEL_ALIGNMENT, kernelAlignment);
        LittleEndian.put8(b, RELOCATABLE_KERNEL, relocatable ? 1 : 0);
        LittleEndian.put16(b, XLOADFLAGS, xloadflags);
        LittleEndian.put32(b, CMDLINE_SIZE, cmdlineSize);
        LittleEndian.put64(b, PREF_ADDRESS, prefAddress);
        LittleEndian.put32(b, INIT_SIZE, initSize);
        return b;
    }

    BzImage parse() {
        return BzImage.parse("test-bzImage", build());
    }
}
