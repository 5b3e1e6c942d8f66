package dev.jvmm.kvm.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The section table of an x86-64 relocatable ELF object, as much of it as {@link GuestProgram} needs to
 * check that a flat binary cut from {@code .text} is complete. Field offsets follow the System V gABI,
 * "Sections" ({@code Elf64_Ehdr}, {@code Elf64_Shdr}).
 */
final class ElfSections {
    static final int SHT_PROGBITS = 1;
    static final int SHT_RELA = 4;
    static final int SHT_NOBITS = 8;
    static final int SHT_REL = 9;
    static final long SHF_ALLOC = 0x2;

    /** One {@code Elf64_Shdr}, reduced to what the checks read. */
    record Section(String name, int type, long flags, long size) {
        boolean isRelocations() {
            return type == SHT_REL || type == SHT_RELA;
        }

        /** Loadable code or data, i.e. something the guest would need at run time. */
        boolean isLoadableContent() {
            return (flags & SHF_ALLOC) != 0 && (type == SHT_PROGBITS || type == SHT_NOBITS);
        }
    }

    private ElfSections() {
    }

    /** Parses the section table of {@code object}; throws {@link IllegalArgumentException} if it is not an ELF64 LE REL file. */
    static List<Section> parse(byte[] object) {
        ByteBuffer elf = ByteBuffer.wrap(object).order(ByteOrder.LITTLE_ENDIAN);
        if (object.length < 64 || elf.getInt(0) != 0x464C457F) {
            throw new IllegalArgumentException("not an ELF file (" + object.length + " bytes)");
        }
        if (object[4] != 2 || object[5] != 1 || elf.getShort(16) != 1) {
            throw new IllegalArgumentException("not a 64-bit little-endian relocatable ELF object: class "
                    + object[4] + ", data " + object[5] + ", e_type " + elf.getShort(16));
        }
        long shoff = elf.getLong(0x28);
        int shentsize = Short.toUnsignedInt(elf.getShort(0x3A));
        int shnum = Short.toUnsignedInt(elf.getShort(0x3C));
        int shstrndx = Short.toUnsignedInt(elf.getShort(0x3E));
        if (shentsize < 64 || shoff < 0 || shoff + (long) shnum * shentsize > object.length || shstrndx >= shnum) {
            throw new IllegalArgumentException("ELF section table out of bounds: e_shoff " + shoff
                    + ", e_shentsize " + shentsize + ", e_shnum " + shnum + ", file " + object.length + " bytes");
        }
        long namesOffset = elf.getLong(Math.toIntExact(shoff + (long) shstrndx * shentsize + 0x18));
        List<Section> sections = new ArrayList<>(shnum);
        for (int i = 0; i < shnum; i++) {
            int header = Math.toIntExact(shoff + (long) i * shentsize);
            String name = cString(object, Math.toIntExact(namesOffset + Integer.toUnsignedLong(elf.getInt(header))));
            sections.add(new Section(name, elf.getInt(header + 4), elf.getLong(header + 8), elf.getLong(header + 0x20)));
        }
        return List.copyOf(sections);
    }

    private static String cString(byte[] bytes, int start) {
        int end = start;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, start, end - start, StandardCharsets.US_ASCII);
    }
}
