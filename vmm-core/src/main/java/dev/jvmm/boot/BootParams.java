package dev.jvmm.boot;

import static dev.jvmm.boot.LittleEndian.put16;
import static dev.jvmm.boot.LittleEndian.put32;
import static dev.jvmm.boot.LittleEndian.put64;
import static dev.jvmm.boot.LittleEndian.put8;

import dev.jvmm.memory.Gpa;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code struct boot_params}, the 4 KiB "zero page" a 64-bit Linux kernel finds through RSI, as bytes.
 *
 * <p>The constants are byte offsets into {@code struct boot_params}, named after the fields of
 * {@code arch/x86/include/uapi/asm/bootparam.h}; the {@code struct setup_header} fields sit at the same
 * offsets in the zero page and in the first sector of a bzImage (the header starts at {@link #HDR} in
 * both), so one set of constants serves the image parser and this encoder. Multi-byte fields are
 * little-endian. Nothing here depends on a Java memory layout: the page is a byte array and every field
 * is written at its documented offset.
 *
 * <p>Use {@link #withSetupHeader} to start from a kernel's header (what the 64-bit boot protocol asks:
 * zero the page, copy the header from the image, then fill in the loader's fields), and
 * {@link #decode} to read a page back.
 */
public final class BootParams {
    public static final int SIZE = 4096;

    // struct boot_params
    public static final int ACPI_RSDP_ADDR = 0x070;
    public static final int EXT_RAMDISK_IMAGE = 0x0c0;
    public static final int EXT_RAMDISK_SIZE = 0x0c4;
    public static final int EXT_CMD_LINE_PTR = 0x0c8;
    public static final int E820_ENTRIES = 0x1e8;
    public static final int SENTINEL = 0x1ef;
    /** {@code hdr}: struct setup_header. */
    public static final int HDR = 0x1f1;
    /** {@code edd_mbr_sig_buffer}: the first field after the room boot_params keeps for {@code hdr}. */
    public static final int EDD_MBR_SIG_BUFFER = 0x290;
    public static final int E820_TABLE = 0x2d0;
    /** E820_MAX_ENTRIES_ZEROPAGE: slots in {@code e820_table}. */
    public static final int E820_MAX_ENTRIES_ZEROPAGE = 128;
    /** sizeof(struct boot_e820_entry): u64 addr, u64 size, u32 type, packed. */
    public static final int BOOT_E820_ENTRY_SIZE = 20;

    // struct setup_header, as offsets in boot_params (and in the bzImage file)
    public static final int SETUP_SECTS = 0x1f1;
    public static final int ROOT_FLAGS = 0x1f2;
    public static final int SYSSIZE = 0x1f4;
    public static final int RAM_SIZE = 0x1f8;
    public static final int VID_MODE = 0x1fa;
    public static final int ROOT_DEV = 0x1fc;
    public static final int BOOT_FLAG = 0x1fe;
    /** A short jmp: 0xEB then the offset from 0x202 to the end of the header (so the end is 0x202 + byte 0x201). */
    public static final int JUMP = 0x200;
    public static final int HEADER = 0x202;
    public static final int VERSION = 0x206;
    public static final int REALMODE_SWTCH = 0x208;
    public static final int START_SYS_SEG = 0x20c;
    public static final int KERNEL_VERSION = 0x20e;
    public static final int TYPE_OF_LOADER = 0x210;
    public static final int LOADFLAGS = 0x211;
    public static final int SETUP_MOVE_SIZE = 0x212;
    public static final int CODE32_START = 0x214;
    public static final int RAMDISK_IMAGE = 0x218;
    public static final int RAMDISK_SIZE = 0x21c;
    public static final int BOOTSECT_KLUDGE = 0x220;
    public static final int HEAP_END_PTR = 0x224;
    public static final int EXT_LOADER_VER = 0x226;
    public static final int EXT_LOADER_TYPE = 0x227;
    public static final int CMD_LINE_PTR = 0x228;
    public static final int INITRD_ADDR_MAX = 0x22c;
    public static final int KERNEL_ALIGNMENT = 0x230;
    public static final int RELOCATABLE_KERNEL = 0x234;
    public static final int MIN_ALIGNMENT = 0x235;
    public static final int XLOADFLAGS = 0x236;
    public static final int CMDLINE_SIZE = 0x238;
    public static final int HARDWARE_SUBARCH = 0x23c;
    public static final int HARDWARE_SUBARCH_DATA = 0x240;
    public static final int PAYLOAD_OFFSET = 0x248;
    public static final int PAYLOAD_LENGTH = 0x24c;
    public static final int SETUP_DATA = 0x250;
    public static final int PREF_ADDRESS = 0x258;
    public static final int INIT_SIZE = 0x260;
    public static final int HANDOVER_OFFSET = 0x264;
    public static final int KERNEL_INFO_OFFSET = 0x268;
    /** End of the header as of protocol 2.15 (after kernel_info_offset). */
    public static final int HDR_END_2_15 = 0x26c;

    // magic values and flags
    public static final int BOOT_FLAG_MAGIC = 0xaa55;
    /** "HdrS" read as a little-endian u32. */
    public static final long HDRS_MAGIC = 0x5372_6448L;
    /** type_of_loader 0xff: a boot loader without an assigned ID. */
    public static final int LOADER_TYPE_UNDEFINED = 0xff;
    public static final int LOADED_HIGH = 1;
    public static final int KASLR_FLAG = 1 << 1;
    public static final int QUIET_FLAG = 1 << 5;
    public static final int KEEP_SEGMENTS = 1 << 6;
    public static final int CAN_USE_HEAP = 1 << 7;
    public static final int XLF_KERNEL_64 = 1;
    public static final int XLF_CAN_BE_LOADED_ABOVE_4G = 1 << 1;

    private final byte[] page;

    private BootParams(byte[] page) {
        this.page = page;
    }

    /** A zeroed page. */
    public static BootParams empty() {
        return new BootParams(new byte[SIZE]);
    }

    /**
     * A zeroed page holding {@code header}: the bytes of a kernel image from {@link #HDR} to the end of
     * its setup header, copied to the same offset.
     */
    public static BootParams withSetupHeader(byte[] header) {
        if (header.length > EDD_MBR_SIG_BUFFER - HDR) {
            throw new IllegalArgumentException("setup header of " + header.length + " bytes would run past "
                    + Sizes.hex(EDD_MBR_SIG_BUFFER) + " (edd_mbr_sig_buffer); boot_params has room for "
                    + (EDD_MBR_SIG_BUFFER - HDR));
        }
        byte[] page = new byte[SIZE];
        System.arraycopy(header, 0, page, HDR, header.length);
        return new BootParams(page);
    }

    /** Reads a zero page back (a copy of {@code page}, which must be {@link #SIZE} bytes). */
    public static BootParams decode(byte[] page) {
        if (page.length != SIZE) {
            throw new IllegalArgumentException("a zero page is " + SIZE + " bytes, got " + page.length);
        }
        return new BootParams(page.clone());
    }

    /** The encoded page (a copy). */
    public byte[] toBytes() {
        return page.clone();
    }

    public BootParams setTypeOfLoader(int type) {
        put8(page, TYPE_OF_LOADER, type);
        return this;
    }

    public BootParams setLoadflags(int flags) {
        put8(page, LOADFLAGS, flags);
        return this;
    }

    public BootParams setHeapEndPtr(int offset) {
        put16(page, HEAP_END_PTR, offset);
        return this;
    }

    public BootParams setCode32Start(long address) {
        put32(page, CODE32_START, checkU32("code32_start", address));
        return this;
    }

    /** cmd_line_ptr gets the low 32 bits, ext_cmd_line_ptr the high ones. */
    public BootParams setCmdLinePtr(Gpa cmdline) {
        put32(page, CMD_LINE_PTR, cmdline.value());
        put32(page, EXT_CMD_LINE_PTR, cmdline.value() >>> 32);
        return this;
    }

    /** ramdisk_image/ramdisk_size get the low 32 bits, the ext_ fields the high ones; size 0 means none. */
    public BootParams setRamdisk(Gpa image, long size) {
        put32(page, RAMDISK_IMAGE, image.value());
        put32(page, EXT_RAMDISK_IMAGE, image.value() >>> 32);
        put32(page, RAMDISK_SIZE, size);
        put32(page, EXT_RAMDISK_SIZE, size >>> 32);
        return this;
    }

    /**
     * acpi_rsdp_addr (boot protocol 2.14 and later): where the kernel finds the ACPI RSDP without scanning
     * the BIOS area. Kernels older than 2.14 ignore the field; 0 means "not given".
     */
    public BootParams setAcpiRsdpAddr(Gpa rsdp) {
        put64(page, ACPI_RSDP_ADDR, rsdp.value());
        return this;
    }

    /** Writes {@code entries} to e820_table and their count to e820_entries (at most 128). */
    public BootParams setE820(List<E820Entry> entries) {
        if (entries.size() > E820_MAX_ENTRIES_ZEROPAGE) {
            throw new IllegalArgumentException(entries.size() + " e820 entries do not fit the zero page's "
                    + E820_MAX_ENTRIES_ZEROPAGE + " slots (E820_MAX_ENTRIES_ZEROPAGE); merge adjacent ones");
        }
        Arrays.fill(page, E820_TABLE, E820_TABLE + E820_MAX_ENTRIES_ZEROPAGE * BOOT_E820_ENTRY_SIZE, (byte) 0);
        for (int i = 0; i < entries.size(); i++) {
            E820Entry e = entries.get(i);
            int off = E820_TABLE + i * BOOT_E820_ENTRY_SIZE;
            put64(page, off, e.addr().value());
            put64(page, off + 8, e.size());
            put32(page, off + 16, e.type().code());
        }
        put8(page, E820_ENTRIES, entries.size());
        return this;
    }

    public int u8(int offset) {
        return LittleEndian.u8(page, offset);
    }

    public int u16(int offset) {
        return LittleEndian.u16(page, offset);
    }

    public long u32(int offset) {
        return LittleEndian.u32(page, offset);
    }

    public long u64(int offset) {
        return LittleEndian.u64(page, offset);
    }

    public int typeOfLoader() {
        return u8(TYPE_OF_LOADER);
    }

    public int loadflags() {
        return u8(LOADFLAGS);
    }

    public int heapEndPtr() {
        return u16(HEAP_END_PTR);
    }

    /** The boot protocol version, e.g. 0x020f for 2.15. */
    public int version() {
        return u16(VERSION);
    }

    public Gpa cmdLinePtr() {
        return Gpa.of(u32(CMD_LINE_PTR) | u32(EXT_CMD_LINE_PTR) << 32);
    }

    public Gpa ramdiskImage() {
        return Gpa.of(u32(RAMDISK_IMAGE) | u32(EXT_RAMDISK_IMAGE) << 32);
    }

    public long ramdiskSize() {
        return u32(RAMDISK_SIZE) | u32(EXT_RAMDISK_SIZE) << 32;
    }

    public Gpa acpiRsdpAddr() {
        return Gpa.of(u64(ACPI_RSDP_ADDR));
    }

    /** The e820_entries entries of e820_table. */
    public List<E820Entry> e820() {
        int n = u8(E820_ENTRIES);
        if (n > E820_MAX_ENTRIES_ZEROPAGE) {
            throw new IllegalStateException("e820_entries = " + n + " exceeds the " + E820_MAX_ENTRIES_ZEROPAGE
                    + " slots of e820_table");
        }
        List<E820Entry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int off = E820_TABLE + i * BOOT_E820_ENTRY_SIZE;
            entries.add(new E820Entry(Gpa.of(u64(off)), u64(off + 8), E820Type.of((int) u32(off + 16))));
        }
        return List.copyOf(entries);
    }

    private static long checkU32(String field, long value) {
        if ((value >>> 32) != 0) {
            throw new IllegalArgumentException(field + " is a 32-bit field; " + Sizes.hex(value) + " does not fit");
        }
        return value;
    }
}
