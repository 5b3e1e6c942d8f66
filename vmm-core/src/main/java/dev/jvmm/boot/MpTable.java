package dev.jvmm.boot;

import static dev.jvmm.boot.LittleEndian.put16;
import static dev.jvmm.boot.LittleEndian.put32;
import static dev.jvmm.boot.LittleEndian.put8;

import dev.jvmm.memory.Gpa;
import dev.jvmm.memory.GpaRange;
import dev.jvmm.memory.GuestLayout;
import dev.jvmm.memory.sys.GuestRam;
import dev.jvmm.pci.PciIntxRouting;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The Intel MultiProcessor Specification 1.4 tables that tell a guest without ACPI how many CPUs it has
 * and how the ISA interrupts reach the IOAPIC (the shape of kvmtool's x86/mptable.c and Firecracker's
 * mptable.rs; structure names as in Linux's asm/mpspec_def.h).
 *
 * <p>At {@link LowMemory#MP_TABLE} (0x9fc00, the last KiB below 640 KiB, which Linux scans for "_MP_"):
 * the 16-byte floating pointer ({@code mpf_intel}), then the configuration table ({@code mpc_table},
 * "PCMP") and its entries in the order the spec asks: one processor per vCPU (APIC ID = index, enabled,
 * the BSP flag on 0), bus 0 "PCI", bus 1 "ISA", the IOAPIC (ID = number of vCPUs, version 0x11 as KVM's
 * in-kernel IOAPIC reports, at 0xfec00000), I/O interrupt assignments for ISA IRQs 0-15, and the two local
 * interrupts (ExtINT on LINT0 of the BSP, NMI on LINT1 of every CPU). Both checksums make their bytes sum
 * to zero.
 *
 * <p>ISA IRQ 0 (the PIT) goes to IOAPIC pin 2 and IRQ 2 (the PIC cascade, never a device line) has no
 * entry, as in QEMU/SeaBIOS; every other IRQ goes to the pin of the same number. The VMM's GSI routing
 * must match: route GSI 0 to IOAPIC pin 2 (QEMU's kvm_pc_setup_irq_routing does), or the guest's timer
 * check will not see the PIT. {@link #ioapicPin(int)} is that mapping. Every ISA IRQ conforms to the
 * bus (edge, active high) except {@link #SCI_IRQ}, the ACPI SCI, which is level-triggered and active high
 * as the MADT's interrupt source override for it says ({@link #irqFlags(int)}): Linux reads the MADT when
 * it has ACPI and the MP table otherwise, and the two must describe the same wiring.
 *
 * <p>PCI INTx: after the ISA entries, one I/O interrupt entry per slot and pin a device uses
 * ({@link PciIntxRouting}): source bus 0 ("PCI"), source IRQ {@code slot << 2 | (pin - 1)} (MP 1.4 section
 * D.3), level-triggered and active low, to the IOAPIC pin of the route's GSI. Linux looks a PCI device's
 * IRQ up there (IO_APIC_get_PCI_irq_vector, by bus, slot and pin) when it runs without ACPI.
 */
public final class MpTable {
    /** xAPIC IDs are 8 bits, 0xff is broadcast, and the IOAPIC takes the ID after the last CPU. */
    public static final int MAX_CPUS = 254;
    public static final int PCI_BUS_ID = 0;
    public static final int ISA_BUS_ID = 1;
    public static final int LAPIC_VERSION = 0x14;
    public static final int IOAPIC_VERSION = 0x11;
    public static final int ISA_IRQS = 16;
    /** ISA IRQ of the ACPI SCI ({@code dev.jvmm.acpi.AcpiPm}), a level-triggered, active-high line. */
    public static final int SCI_IRQ = 9;

    // entry types (MP spec table 4-3)
    public static final int MP_PROCESSOR = 0;
    public static final int MP_BUS = 1;
    public static final int MP_IOAPIC = 2;
    public static final int MP_INTSRC = 3;
    public static final int MP_LINTSRC = 4;
    // interrupt types (table 4-8)
    public static final int MP_INT = 0;
    public static final int MP_NMI = 1;
    public static final int MP_EXTINT = 3;
    public static final int CPU_ENABLED = 1;
    public static final int CPU_BOOTPROCESSOR = 2;
    public static final int MPC_APIC_USABLE = 1;
    /** irqflag of a PCI interrupt: polarity active low (bits 1:0 = 11b), trigger level (bits 3:2 = 11b). */
    public static final int MP_IRQ_PCI_FLAGS = 0x0f;
    // irqflag of interrupt entries (table 4-10): polarity bits 1:0, trigger mode bits 3:2
    public static final int MP_IRQPOL_CONFORMS = 0;
    public static final int MP_IRQPOL_ACTIVE_HIGH = 1;
    public static final int MP_IRQTRIG_CONFORMS = 0;
    public static final int MP_IRQTRIG_LEVEL = 3 << 2;

    public static final int MPF_SIZE = 16;
    public static final int MPC_TABLE_SIZE = 44;
    public static final int MPC_CPU_SIZE = 20;
    /** Bus, IOAPIC, interrupt and local interrupt entries are 8 bytes each. */
    public static final int MPC_SMALL_ENTRY_SIZE = 8;

    private static final int CPU_SIGNATURE = 0x600; // family 6, as kvmtool and Firecracker give
    private static final int CPU_FEATURES = 0x201; // APIC | FPU

    private MpTable() {
    }

    /** The IOAPIC pin ISA IRQ {@code irq} is wired to, or -1 for IRQ 2 (the cascade, not routed). */
    public static int ioapicPin(int irq) {
        if (irq < 0 || irq >= ISA_IRQS) {
            throw new IllegalArgumentException("ISA IRQs are 0-15, got " + irq);
        }
        return irq == 0 ? 2 : irq == 2 ? -1 : irq;
    }

    /** The MP irqflag of ISA IRQ {@code irq}: level and active high for the SCI, conforming to ISA otherwise. */
    public static int irqFlags(int irq) {
        ioapicPin(irq);
        return irq == SCI_IRQ ? MP_IRQPOL_ACTIVE_HIGH | MP_IRQTRIG_LEVEL : MP_IRQPOL_CONFORMS | MP_IRQTRIG_CONFORMS;
    }

    /** Number of I/O interrupt entries: ISA IRQs 0-15 except 2. */
    static int intsrcCount() {
        int n = 0;
        for (int irq = 0; irq < ISA_IRQS; irq++) {
            n += ioapicPin(irq) >= 0 ? 1 : 0;
        }
        return n;
    }

    /** Bytes the floating pointer and configuration table take for {@code cpus} vCPUs. */
    public static int size(int cpus) {
        return size(cpus, 0);
    }

    /** Bytes for {@code cpus} vCPUs and {@code pciRoutes} PCI interrupt entries. */
    public static int size(int cpus, int pciRoutes) {
        checkCpus(cpus);
        return MPF_SIZE + MPC_TABLE_SIZE + cpus * MPC_CPU_SIZE
                + (2 + 1 + intsrcCount() + pciRoutes + 2) * MPC_SMALL_ENTRY_SIZE;
    }

    /** Writes the tables for {@code cpus} vCPUs at {@link LowMemory#MP_TABLE}; returns the range written. */
    public static GpaRange write(GuestRam ram, int cpus) {
        return write(ram, cpus, List.of());
    }

    /** Writes the tables for {@code cpus} vCPUs and the PCI INTx routes {@code pci}; returns the range written. */
    public static GpaRange write(GuestRam ram, int cpus, List<PciIntxRouting.Route> pci) {
        byte[] bytes = encode(cpus, LowMemory.MP_TABLE, pci);
        if (bytes.length > LowMemory.ACPI_TABLES.start().value() - LowMemory.MP_TABLE.value()) {
            throw new IllegalArgumentException("the MP table for " + cpus + " vCPUs and " + pci.size()
                    + " PCI interrupt routes does not fit below the ACPI tables");
        }
        ram.write(LowMemory.MP_TABLE, bytes);
        return GpaRange.of(LowMemory.MP_TABLE, bytes.length);
    }

    /** The floating pointer followed by the configuration table, as placed at {@code base}. */
    public static byte[] encode(int cpus, Gpa base) {
        return encode(cpus, base, List.of());
    }

    /** As {@link #encode(int, Gpa)}, with an I/O interrupt entry for each PCI INTx route in {@code pci}. */
    public static byte[] encode(int cpus, Gpa base, List<PciIntxRouting.Route> pci) {
        byte[] b = new byte[size(cpus, pci.size())];
        int table = MPF_SIZE;
        int ioapicId = cpus;

        // mpf_intel
        b[0] = '_';
        b[1] = 'M';
        b[2] = 'P';
        b[3] = '_';
        put32(b, 4, base.plus(table).value()); // physptr
        put8(b, 8, 1); // length in 16-byte units
        put8(b, 9, 4); // specification 1.4
        put8(b, 10, checksum(b, 0, MPF_SIZE)); // feature bytes stay 0: a configuration table is present

        int p = table + MPC_TABLE_SIZE;
        int entries = 0;
        for (int cpu = 0; cpu < cpus; cpu++) {
            put8(b, p, MP_PROCESSOR);
            put8(b, p + 1, cpu); // apicid
            put8(b, p + 2, LAPIC_VERSION);
            put8(b, p + 3, CPU_ENABLED | (cpu == 0 ? CPU_BOOTPROCESSOR : 0));
            put32(b, p + 4, CPU_SIGNATURE);
            put32(b, p + 8, CPU_FEATURES);
            p += MPC_CPU_SIZE;
            entries++;
        }
        p = bus(b, p, PCI_BUS_ID, "PCI   ");
        p = bus(b, p, ISA_BUS_ID, "ISA   ");
        entries += 2;

        put8(b, p, MP_IOAPIC);
        put8(b, p + 1, ioapicId);
        put8(b, p + 2, IOAPIC_VERSION);
        put8(b, p + 3, MPC_APIC_USABLE);
        put32(b, p + 4, GuestLayout.IOAPIC.start().value());
        p += MPC_SMALL_ENTRY_SIZE;
        entries++;

        for (int irq = 0; irq < ISA_IRQS; irq++) {
            if (ioapicPin(irq) >= 0) {
                p = interrupt(b, p, MP_INTSRC, MP_INT, irqFlags(irq), ISA_BUS_ID, irq, ioapicId, ioapicPin(irq));
                entries++;
            }
        }
        for (PciIntxRouting.Route r : pci) {
            p = interrupt(b, p, MP_INTSRC, MP_INT, MP_IRQ_PCI_FLAGS, PCI_BUS_ID, r.slot() << 2 | (r.pin() - 1),
                    ioapicId, r.gsi());
            entries++;
        }
        p = interrupt(b, p, MP_LINTSRC, MP_EXTINT, 0, ISA_BUS_ID, 0, 0, 0); // BSP's LINT0
        p = interrupt(b, p, MP_LINTSRC, MP_NMI, 0, ISA_BUS_ID, 0, 0xff, 1); // every CPU's LINT1
        entries += 2;

        // mpc_table
        b[table] = 'P';
        b[table + 1] = 'C';
        b[table + 2] = 'M';
        b[table + 3] = 'P';
        put16(b, table + 4, p - table); // length: header and entries
        put8(b, table + 6, 4); // spec 1.4
        ascii(b, table + 8, "JVMM    "); // oem, 8 bytes
        ascii(b, table + 16, "0.1         "); // productid, 12 bytes
        put16(b, table + 34, entries); // entry count (Linux: oemcount)
        put32(b, table + 36, GuestLayout.LAPIC.start().value());
        put8(b, table + 7, checksum(b, table, p - table));
        return b;
    }

    private static int bus(byte[] b, int p, int id, String type) {
        put8(b, p, MP_BUS);
        put8(b, p + 1, id);
        ascii(b, p + 2, type);
        return p + MPC_SMALL_ENTRY_SIZE;
    }

    private static int interrupt(byte[] b, int p, int entryType, int irqType, int irqFlag, int srcBus, int srcIrq,
            int dstApic, int dstPin) {
        put8(b, p, entryType);
        put8(b, p + 1, irqType);
        put16(b, p + 2, irqFlag);
        put8(b, p + 4, srcBus);
        put8(b, p + 5, srcIrq);
        put8(b, p + 6, dstApic);
        put8(b, p + 7, dstPin);
        return p + MPC_SMALL_ENTRY_SIZE;
    }

    private static void ascii(byte[] b, int off, String s) {
        byte[] a = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(a, 0, b, off, a.length);
    }

    /** The byte that makes {@code b[off, off + len)} sum to zero (mod 256), given its slot is still 0. */
    private static int checksum(byte[] b, int off, int len) {
        int sum = 0;
        for (int i = off; i < off + len; i++) {
            sum += b[i];
        }
        return -sum & 0xff;
    }

    private static void checkCpus(int cpus) {
        if (cpus < 1 || cpus > MAX_CPUS) {
            throw new IllegalArgumentException("the MP table describes 1 to " + MAX_CPUS + " vCPUs (8-bit xAPIC IDs, "
                    + "one kept for the IOAPIC), got " + cpus);
        }
    }
}
