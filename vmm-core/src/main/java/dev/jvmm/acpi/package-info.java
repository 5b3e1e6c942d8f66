/**
 * ACPI for a direct-booted x86 Linux guest: the tables that tell it its CPUs, interrupt controllers, PCI
 * Express configuration space and how to power off, and the fixed-hardware power-management registers
 * that carry out power-off and the power button. The shapes follow Cloud Hypervisor's and Firecracker's
 * tables (rust-vmm {@code acpi_tables}), on a fixed-hardware rather than hardware-reduced platform.
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link dev.jvmm.acpi.AcpiTables} places RSDP, XSDT, RSDT, FADT, FACS, MADT, MCFG and DSDT in the
 *       BIOS area [0xe0000, 1 MiB) of guest RAM and returns the RSDP's address;
 *       {@link dev.jvmm.acpi.AcpiConfig} says how many vCPUs and which legacy devices.</li>
 *   <li>{@link dev.jvmm.acpi.Aml} encodes the AML terms and resource descriptors the DSDT uses.</li>
 *   <li>{@link dev.jvmm.acpi.AcpiPm} is the PM1a event and control block on ports 0x600-0x605: it raises
 *       the SCI (IRQ 9, level, active high) for the power button and hands S5 requests to a
 *       {@link dev.jvmm.acpi.PowerOffRequest}.</li>
 * </ul>
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Every table has its true length and a checksum making its bytes sum to zero; the RSDP's first 20
 *       bytes and all 36 bytes each sum to zero; every table starts 16-byte aligned, the FACS 64-byte
 *       aligned, all inside [0xe0000, 1 MiB), which e820 reserves and nothing else uses.</li>
 *   <li>The FADT, MADT and DSDT agree with {@link dev.jvmm.acpi.AcpiPm}: its ports are the PM1a blocks,
 *       its SCI line is the FADT's SCI_INT and the MADT's level/active-high override, and its S5 sleep
 *       type is the DSDT's {@code \_S5}.</li>
 *   <li>The MADT describes the machine the MP table ({@link dev.jvmm.boot.MpTable}) describes: APIC IDs
 *       0..n-1, the IOAPIC with ID n at 0xfec00000, ISA IRQ 0 on GSI 2.</li>
 *   <li>The PM device never throws for a guest access; accesses past its ports read all-ones and are
 *       dropped and counted. Writing tables only goes through {@link dev.jvmm.memory.sys.GuestRam}'s GPA
 *       methods: nothing here uses {@code java.lang.foreign}.</li>
 * </ul>
 */
package dev.jvmm.acpi;
