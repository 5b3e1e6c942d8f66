package dev.jvmm.acpi;

import dev.jvmm.boot.MpTable;

/**
 * What the ACPI tables describe beyond the guest layout: the number of vCPUs and which legacy PC devices
 * exist (the FADT's IA-PC boot architecture flags, ACPI 6.5 section 5.2.9.3, which Linux believes).
 *
 * @param vcpus          1 to {@link MpTable#MAX_CPUS}: xAPIC IDs are 8 bits, 0xff is broadcast and the
 *                       IOAPIC takes the ID after the last vCPU
 * @param i8042          an 8042 keyboard controller answers at ports 0x60/0x64 (without the flag Linux
 *                       does not probe it when ACPI lists no PS/2 device)
 * @param cmosRtc        a CMOS RTC answers at ports 0x70/0x71 (without it Linux registers no rtc_cmos)
 */
public record AcpiConfig(int vcpus, boolean i8042, boolean cmosRtc) {

    public AcpiConfig {
        if (vcpus < 1 || vcpus > MpTable.MAX_CPUS) {
            throw new IllegalArgumentException("the MADT describes 1 to " + MpTable.MAX_CPUS + " vCPUs (8-bit xAPIC"
                    + " IDs, one kept for the IOAPIC), got " + vcpus);
        }
    }

    /** jvmm's machine today: {@code vcpus} vCPUs, the i8042 ({@link dev.jvmm.devices.I8042}), no RTC. */
    public static AcpiConfig of(int vcpus) {
        return new AcpiConfig(vcpus, true, false);
    }
}
