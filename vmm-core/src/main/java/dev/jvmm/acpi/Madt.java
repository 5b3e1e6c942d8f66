package dev.jvmm.acpi;

import dev.jvmm.memory.GuestLayout;

/**
 * The Multiple APIC Description Table, "APIC" (ACPI 6.5 section 5.2.12), revision 5: the same machine the
 * MP table describes ({@link dev.jvmm.boot.MpTable}), which Linux ignores once it has a MADT.
 *
 * <ul>
 *   <li>local APIC address 0xfee00000, flags PCAT_COMPAT (dual 8259s exist: KVM's in-kernel PIC);</li>
 *   <li>one Processor Local APIC per vCPU, ACPI processor UID = APIC ID = index, enabled, in APIC ID
 *       order so the boot processor comes first;</li>
 *   <li>one I/O APIC, ID = number of vCPUs (as in the MP table), at 0xfec00000, GSI base 0;</li>
 *   <li>Interrupt Source Overrides: ISA IRQ 0 (the PIT) to GSI 2, flags conforming to the ISA bus (edge,
 *       active high), as {@link dev.jvmm.boot.MpTable#ioapicPin} wires it; ISA IRQ 9 (the SCI) to GSI 9,
 *       level-triggered and active high, as {@link AcpiPm} drives it (without an override Linux would
 *       program the SCI active low);</li>
 *   <li>Local APIC NMI on LINT1 of every processor (UID 0xff).</li>
 * </ul>
 */
final class Madt {
    static final int REVISION = 5;
    static final int PCAT_COMPAT = 1;
    static final int PROCESSOR_LOCAL_APIC = 0;
    static final int IO_APIC = 1;
    static final int INTERRUPT_SOURCE_OVERRIDE = 2;
    static final int LOCAL_APIC_NMI = 4;
    static final int LAPIC_ENABLED = 1;
    /** MPS INTI flags: polarity bits 1:0, trigger mode bits 3:2; 0 conforms to the bus. */
    static final int CONFORMS = 0;
    static final int ACTIVE_HIGH = 1;
    static final int LEVEL_TRIGGERED = 3 << 2;
    static final int ALL_PROCESSORS = 0xff;
    static final int ISA_BUS = 0;
    static final int PIT_IRQ = 0;
    static final int PIT_GSI = 2;

    private Madt() {
    }

    static byte[] encode(int vcpus) {
        TableWriter w = TableWriter.table("APIC", REVISION, "JVMMAPIC");
        w.u32(GuestLayout.LAPIC.start().value()).u32(PCAT_COMPAT);
        for (int cpu = 0; cpu < vcpus; cpu++) {
            w.u8(PROCESSOR_LOCAL_APIC).u8(8).u8(cpu).u8(cpu).u32(LAPIC_ENABLED);
        }
        w.u8(IO_APIC).u8(12).u8(vcpus).u8(0).u32(GuestLayout.IOAPIC.start().value()).u32(0);
        w.u8(INTERRUPT_SOURCE_OVERRIDE).u8(10).u8(ISA_BUS).u8(PIT_IRQ).u32(PIT_GSI).u16(CONFORMS);
        w.u8(INTERRUPT_SOURCE_OVERRIDE).u8(10).u8(ISA_BUS).u8(AcpiPm.SCI_IRQ).u32(AcpiPm.SCI_IRQ)
                .u16(ACTIVE_HIGH | LEVEL_TRIGGERED);
        w.u8(LOCAL_APIC_NMI).u8(6).u8(ALL_PROCESSORS).u16(CONFORMS).u8(1 /* LINT1 */);
        return w.finishTable();
    }
}
