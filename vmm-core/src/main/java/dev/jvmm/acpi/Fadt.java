package dev.jvmm.acpi;

import dev.jvmm.memory.Gpa;

/**
 * The Fixed ACPI Description Table, "FACP" (ACPI 6.5 section 5.2.9), revision 6.3 layout (276 bytes,
 * with the hypervisor vendor identity). It describes a fixed-hardware (not hardware-reduced) platform
 * already in ACPI mode: SMI_CMD = 0, the {@link AcpiPm} PM1a event and control blocks on port I/O, the SCI
 * on IRQ 9, no PM1b, PM2, PM timer or GPE blocks, no reset register, a fixed power button and no sleep
 * button. Every block appears twice, as the ACPI 1.0 port number and as the X_ Generic Address Structure
 * with the same address and a bit width of 8 times its length, so ACPICA finds nothing to warn about.
 */
final class Fadt {
    static final int LENGTH = 276;
    static final int REVISION = 6;
    static final int MINOR_REVISION = 3;

    // Flags (table 5.10)
    static final int WBINVD = 1;
    static final int PROC_C1 = 1 << 2;
    static final int PWR_BUTTON = 1 << 4;
    static final int SLP_BUTTON = 1 << 5;
    static final int RESET_REG_SUP = 1 << 10;
    static final int HW_REDUCED_ACPI = 1 << 20;
    // IA-PC boot architecture flags (table 5.11)
    static final int LEGACY_DEVICES = 1;
    static final int IAPC_8042 = 1 << 1;
    static final int VGA_NOT_PRESENT = 1 << 2;
    static final int CMOS_RTC_NOT_PRESENT = 1 << 5;
    /** P_LVL2_LAT above 100 and P_LVL3_LAT above 1000 microseconds: no C2 or C3 (section 5.2.9). */
    static final int NO_C2_LATENCY = 101;
    static final int NO_C3_LATENCY = 1001;

    private static final int SYSTEM_IO = 1;
    private static final int WORD_ACCESS = 2;
    private static final int GAS_SIZE = 12;

    private Fadt() {
    }

    static byte[] encode(Gpa facs, Gpa dsdt, AcpiConfig config) {
        int bootArch = LEGACY_DEVICES | VGA_NOT_PRESENT | (config.i8042() ? IAPC_8042 : 0)
                | (config.cmosRtc() ? 0 : CMOS_RTC_NOT_PRESENT);
        // PWR_BUTTON clear: the power button is the fixed-feature one (PWRBTN_STS/PWRBTN_EN).
        int flags = WBINVD | PROC_C1 | SLP_BUTTON;
        TableWriter w = TableWriter.table("FACP", REVISION, "JVMMFACP");
        w.u32(u32(facs)) // FIRMWARE_CTRL
                .u32(u32(dsdt)) // DSDT
                .u8(0) // reserved (ACPI 1.0 INT_MODEL)
                .u8(0) // Preferred_PM_Profile: unspecified
                .u16(AcpiPm.SCI_IRQ) // SCI_INT
                .u32(0) // SMI_CMD: none, ACPI mode only
                .u8(0).u8(0) // ACPI_ENABLE, ACPI_DISABLE
                .u8(0).u8(0) // S4BIOS_REQ, PSTATE_CNT
                .u32(AcpiPm.PM1A_EVT_BLK).u32(0) // PM1a_EVT_BLK, PM1b_EVT_BLK
                .u32(AcpiPm.PM1A_CNT_BLK).u32(0) // PM1a_CNT_BLK, PM1b_CNT_BLK
                .u32(0) // PM2_CNT_BLK
                .u32(0) // PM_TMR_BLK: none (optional since ACPI 5.0A)
                .u32(0).u32(0) // GPE0_BLK, GPE1_BLK
                .u8(AcpiPm.PM1_EVT_LEN).u8(AcpiPm.PM1_CNT_LEN)
                .u8(0).u8(0) // PM2_CNT_LEN, PM_TMR_LEN
                .u8(0).u8(0).u8(0) // GPE0_BLK_LEN, GPE1_BLK_LEN, GPE1_BASE
                .u8(0) // CST_CNT
                .u16(NO_C2_LATENCY).u16(NO_C3_LATENCY)
                .u16(0).u16(0) // FLUSH_SIZE, FLUSH_STRIDE
                .u8(0).u8(0) // DUTY_OFFSET, DUTY_WIDTH
                .u8(0).u8(0).u8(0) // DAY_ALRM, MON_ALRM, CENTURY
                .u16(bootArch) // IAPC_BOOT_ARCH
                .u8(0) // reserved
                .u32(flags)
                .zeros(GAS_SIZE) // RESET_REG: none (RESET_REG_SUP clear)
                .u8(0) // RESET_VALUE
                .u16(0) // ARM_BOOT_ARCH
                .u8(MINOR_REVISION)
                .u64(facs.value()) // X_FIRMWARE_CTRL
                .u64(dsdt.value()) // X_DSDT
                .gas(SYSTEM_IO, 8 * AcpiPm.PM1_EVT_LEN, WORD_ACCESS, AcpiPm.PM1A_EVT_BLK) // X_PM1a_EVT_BLK
                .zeros(GAS_SIZE) // X_PM1b_EVT_BLK
                .gas(SYSTEM_IO, 8 * AcpiPm.PM1_CNT_LEN, WORD_ACCESS, AcpiPm.PM1A_CNT_BLK) // X_PM1a_CNT_BLK
                .zeros(GAS_SIZE) // X_PM1b_CNT_BLK
                .zeros(GAS_SIZE) // X_PM2_CNT_BLK
                .zeros(GAS_SIZE) // X_PM_TMR_BLK
                .zeros(GAS_SIZE).zeros(GAS_SIZE) // X_GPE0_BLK, X_GPE1_BLK
                .zeros(GAS_SIZE).zeros(GAS_SIZE) // SLEEP_CONTROL_REG, SLEEP_STATUS_REG (hardware-reduced only)
                .ascii("JVMM", 8); // Hypervisor Vendor Identity
        byte[] table = w.finishTable();
        if (table.length != LENGTH) {
            throw new IllegalStateException("FADT encoded as " + table.length + " bytes instead of " + LENGTH);
        }
        return table;
    }

    private static long u32(Gpa gpa) {
        if ((gpa.value() >>> 32) != 0) {
            throw new IllegalArgumentException(gpa + " does not fit the FADT's 32-bit pointer fields");
        }
        return gpa.value();
    }
}
