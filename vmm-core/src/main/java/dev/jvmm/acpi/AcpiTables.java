package dev.jvmm.acpi;

import dev.jvmm.boot.LowMemory;
import dev.jvmm.memory.Gpa;
import dev.jvmm.memory.GpaRange;
import dev.jvmm.memory.GuestLayout;
import dev.jvmm.memory.sys.GuestRam;
import java.util.List;
import java.util.Objects;

/**
 * Writes the ACPI tables a direct-booted Linux guest reads, into the BIOS area
 * {@link LowMemory#ACPI_TABLES} ([0xe0000, 1 MiB), reserved in e820), in this order:
 *
 * <pre>
 *  0xe0000  RSDP  "RSD PTR ", revision 2 (ACPI 2.0+), both checksums; RSDT and XSDT addresses
 *           XSDT  64-bit pointers to FACP, APIC, MCFG
 *           RSDT  the same as 32-bit pointers, for OSes that use only ACPI 1.0 structures
 *           FACP  {@link Fadt}: PM1a blocks of {@link AcpiPm}, SCI 9, pointers to FACS and DSDT
 *           FACS  64 bytes, 64-byte aligned, no waking vector (S5 only), global lock free
 *           APIC  {@link Madt}: one local APIC per vCPU, the IOAPIC, IRQ 0 and SCI overrides, LINT1 NMI
 *           MCFG  {@link Mcfg}: the start of the layout's ECAM window, segment 0, bus 0 ({@link #PCI_BUSES})
 *           DSDT  {@link Dsdt}: \_S5, the PCI0 host bridge and its windows, the ECAM reservation, CPUs
 * </pre>
 *
 * Every table starts on a 16-byte boundary (the RSDP must, to be found), has its length and a checksum
 * that makes its bytes sum to zero, OEM ID "JVMM  " and creator "JVMM". The largest set (254 vCPUs)
 * takes about 10 KiB of the 128 KiB area; nothing else lives there, and the MP table stays below it at
 * {@link LowMemory#MP_TABLE}.
 *
 * <p>Linux finds the RSDP by scanning [0xe0000, 1 MiB); a loader may also pass the address in
 * {@code boot_params.acpi_rsdp_addr} ({@link dev.jvmm.boot.BootParams#setAcpiRsdpAddr}) or as
 * {@code acpi_rsdp=0xe0000} on the command line.
 */
public final class AcpiTables {
    /** Where the RSDP goes: the first 16-byte boundary Linux's BIOS-area scan looks at. */
    public static final Gpa RSDP_ADDRESS = LowMemory.ACPI_TABLES.start();
    static final int RSDP_LENGTH = 36;
    static final int RSDP_REVISION = 2;
    static final int RSDP_V1_LENGTH = 20;
    static final int FACS_LENGTH = 64;
    static final int FACS_VERSION = 2;
    /**
     * PCI buses the tables describe (MCFG allocation, PCI0's bus range): jvmm's machine has bus 0 and no
     * bridges. Describing all 256 buses the ECAM window could hold made Linux look for peer host bridges
     * on buses 1-255 (pcibios_fixup_peer_bridges, up to its MCFG end bus): 65,280 vendor-ID reads
     * through 0xCF8/0xCFC, each a VM exit, about 3 s of boot in the nested test host.
     */
    static final int PCI_BUSES = 1;
    private static final int TABLE_ALIGNMENT = 16;
    private static final int FACS_ALIGNMENT = 64;

    private AcpiTables() {
    }

    /**
     * Writes the tables for {@code vcpus} vCPUs and jvmm's legacy devices ({@link AcpiConfig#of}) into
     * {@code ram}; returns the RSDP's address ({@link #RSDP_ADDRESS}).
     */
    public static Gpa write(GuestRam ram, GuestLayout layout, int vcpus) {
        return write(ram, layout, AcpiConfig.of(vcpus));
    }

    /** Writes the tables {@code config} calls for into {@code ram}; returns the RSDP's address. */
    public static Gpa write(GuestRam ram, GuestLayout layout, AcpiConfig config) {
        byte[] image = image(layout, config);
        ram.write(RSDP_ADDRESS, image);
        return RSDP_ADDRESS;
    }

    /** The bytes {@link #write} puts at {@link #RSDP_ADDRESS}: every table at its final address. */
    static byte[] image(GuestLayout layout, AcpiConfig config) {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(config, "config");
        byte[] dsdt = Dsdt.encode(layout, config.vcpus());
        byte[] madt = Madt.encode(config.vcpus());
        byte[] mcfg = Mcfg.encode(layout.ecamWindow(), PCI_BUSES);
        byte[] facs = facs();
        int pointed = 3; // FACP, APIC, MCFG

        Placer at = new Placer(RSDP_ADDRESS.value());
        long rsdp = at.place(RSDP_LENGTH, TABLE_ALIGNMENT);
        long xsdt = at.place(TableWriter.HEADER_SIZE + 8 * pointed, TABLE_ALIGNMENT);
        long rsdt = at.place(TableWriter.HEADER_SIZE + 4 * pointed, TABLE_ALIGNMENT);
        long fadt = at.place(Fadt.LENGTH, TABLE_ALIGNMENT);
        long facsAt = at.place(facs.length, FACS_ALIGNMENT);
        long madtAt = at.place(madt.length, TABLE_ALIGNMENT);
        long mcfgAt = at.place(mcfg.length, TABLE_ALIGNMENT);
        long dsdtAt = at.place(dsdt.length, TABLE_ALIGNMENT);
        GpaRange used = GpaRange.ofInclusive(RSDP_ADDRESS, Gpa.of(at.next() - 1));
        if (!LowMemory.ACPI_TABLES.contains(used)) {
            throw new IllegalStateException("ACPI tables for " + config.vcpus() + " vCPUs need " + used
                    + ", more than the BIOS area " + LowMemory.ACPI_TABLES);
        }

        List<Long> tables = List.of(fadt, madtAt, mcfgAt);
        byte[] image = new byte[(int) used.length()];
        at.put(image, rsdp, rsdp(rsdt, xsdt));
        at.put(image, xsdt, xsdt(tables));
        at.put(image, rsdt, rsdt(tables));
        at.put(image, fadt, Fadt.encode(Gpa.of(facsAt), Gpa.of(dsdtAt), config));
        at.put(image, facsAt, facs);
        at.put(image, madtAt, madt);
        at.put(image, mcfgAt, mcfg);
        at.put(image, dsdtAt, dsdt);
        return image;
    }

    /** Root System Description Pointer (ACPI 6.5 section 5.2.5.3). */
    static byte[] rsdp(long rsdt, long xsdt) {
        TableWriter w = new TableWriter();
        w.ascii("RSD PTR ", 8).u8(0).ascii(TableWriter.OEM_ID, 6).u8(RSDP_REVISION).u32(rsdt).u32(RSDP_LENGTH)
                .u64(xsdt).u8(0).zeros(3);
        byte[] b = w.toByteArray();
        b[8] = TableWriter.checksum(b, 0, RSDP_V1_LENGTH);
        b[32] = TableWriter.checksum(b, 0, RSDP_LENGTH);
        return b;
    }

    /** Extended System Description Table (section 5.2.8): 64-bit table addresses. */
    static byte[] xsdt(List<Long> tables) {
        TableWriter w = TableWriter.table("XSDT", 1, "JVMMXSDT");
        tables.forEach(w::u64);
        return w.finishTable();
    }

    /** Root System Description Table (section 5.2.7): 32-bit table addresses. */
    static byte[] rsdt(List<Long> tables) {
        TableWriter w = TableWriter.table("RSDT", 1, "JVMMRSDT");
        tables.forEach(w::u32);
        return w.finishTable();
    }

    /**
     * Firmware ACPI Control Structure (section 5.2.10): required on fixed-hardware platforms, holds the
     * global lock (free) and the waking vector (none: there is no S3). No checksum.
     */
    static byte[] facs() {
        TableWriter w = new TableWriter();
        w.ascii("FACS", 4).u32(FACS_LENGTH).u32(0 /* hardware signature */).u32(0 /* waking vector */)
                .u32(0 /* global lock */).u32(0 /* flags */).u64(0 /* X waking vector */).u8(FACS_VERSION).zeros(3)
                .u32(0 /* OSPM flags */).zeros(24);
        return w.toByteArray();
    }

    /** Hands out addresses upwards from a base, each aligned. */
    private static final class Placer {
        private final long base;
        private long next;

        Placer(long base) {
            this.base = base;
            this.next = base;
        }

        long place(int length, int alignment) {
            long at = (next + alignment - 1) & -alignment;
            next = at + length;
            return at;
        }

        long next() {
            return next;
        }

        void put(byte[] image, long address, byte[] bytes) {
            System.arraycopy(bytes, 0, image, (int) (address - base), bytes.length);
        }
    }
}
