package dev.jvmm.acpi;

import dev.jvmm.boot.MpTable;
import dev.jvmm.bus.BusDevice;
import dev.jvmm.bus.GuestAccessLog;
import dev.jvmm.devices.IrqLine;
import dev.jvmm.devices.PowerButton;
import java.util.Objects;

/**
 * The ACPI fixed-hardware PM1a register blocks (ACPI 6.5 section 4.8.3.1 and 4.8.3.2) on port I/O, the
 * way the FADT written by {@link AcpiTables} describes them:
 *
 * <pre>
 *  0x600  PM1a_STS  16 bits, write 1 to clear: PWRBTN_STS (bit 8) and the other fixed-event status bits
 *  0x602  PM1a_EN   16 bits: TMR_EN, GBL_EN, PWRBTN_EN (bit 8), SLPBTN_EN, RTC_EN, PCIEXP_WAKE_DIS
 *  0x604  PM1a_CNT  16 bits: SCI_EN (bit 0, always 1), BM_RLD, GBL_RLS, SLP_TYP (bits 12:10), SLP_EN (bit 13)
 * </pre>
 *
 * <p>The enable register keeps every defined enable bit, so ACPICA's read-back after enabling an event
 * (the global lock's GBL_EN, the power button's PWRBTN_EN) sees the bit stick. The only event raised is
 * the power button: {@link #pressPowerButton} sets PWRBTN_STS. The SCI is a level, asserted while some
 * status bit and its enable bit are both set; the guest's handler clears the status and the line drops.
 *
 * <p>There is no SMI command port (FADT SMI_CMD = 0), so the platform is in ACPI mode from reset and
 * SCI_EN reads 1 whatever is written. Writing SLP_EN with SLP_TYP = {@link #SLP_TYP_S5} (the value of the
 * DSDT's {@code \_S5}) hands a {@link PowerOffRequest} to the VMM; other sleep types are counted
 * ({@link #ignoredSleepRequests}) and otherwise ignored, since the DSDT offers no S1-S4.
 *
 * <p>Accesses of 1, 2 or 4 bytes anywhere in the six ports work byte by byte, as on a chipset; anything
 * reaching past them reads all-ones and is dropped. Thread-safe: vCPU threads and the host thread
 * pressing the button share one lock, under which the SCI is driven so its levels arrive in order.
 */
public final class AcpiPm implements BusDevice, PowerButton {
    /** First port of the device: PM1a_EVT_BLK (status then enable), then PM1a_CNT_BLK. */
    public static final long PORT_BASE = 0x600;
    public static final int PORT_COUNT = 6;
    public static final long PM1A_EVT_BLK = PORT_BASE;
    /** PM1_EVT_LEN: a 16-bit status register and a 16-bit enable register. */
    public static final int PM1_EVT_LEN = 4;
    public static final long PM1A_CNT_BLK = PORT_BASE + PM1_EVT_LEN;
    public static final int PM1_CNT_LEN = 2;
    /** The SCI's ISA IRQ, identity-mapped to IOAPIC pin 9, level-triggered, active high. */
    public static final int SCI_IRQ = MpTable.SCI_IRQ;
    /** SLP_TYP the DSDT's {@code \_S5} package gives for soft-off. */
    public static final int SLP_TYP_S5 = 5;

    // PM1 status bits (ACPI 6.5 table 4.16)
    public static final int TMR_STS = 1;
    public static final int BM_STS = 1 << 4;
    public static final int GBL_STS = 1 << 5;
    public static final int PWRBTN_STS = 1 << 8;
    public static final int SLPBTN_STS = 1 << 9;
    public static final int RTC_STS = 1 << 10;
    public static final int PCIEXP_WAKE_STS = 1 << 14;
    public static final int WAK_STS = 1 << 15;
    // PM1 enable bits (table 4.17)
    public static final int TMR_EN = 1;
    public static final int GBL_EN = 1 << 5;
    public static final int PWRBTN_EN = 1 << 8;
    public static final int SLPBTN_EN = 1 << 9;
    public static final int RTC_EN = 1 << 10;
    public static final int PCIEXP_WAKE_DIS = 1 << 14;
    // PM1 control bits (table 4.18)
    public static final int SCI_EN = 1;
    public static final int BM_RLD = 1 << 1;
    public static final int GBL_RLS = 1 << 2;
    public static final int SLP_TYP_SHIFT = 10;
    public static final int SLP_TYP_MASK = 7 << SLP_TYP_SHIFT;
    public static final int SLP_EN = 1 << 13;

    private static final int STATUS_W1C = TMR_STS | BM_STS | GBL_STS | PWRBTN_STS | SLPBTN_STS | RTC_STS
            | PCIEXP_WAKE_STS | WAK_STS;
    private static final int ENABLE_BITS = TMR_EN | GBL_EN | PWRBTN_EN | SLPBTN_EN | RTC_EN | PCIEXP_WAKE_DIS;
    /** Status bits that raise the SCI when enabled (the fixed events); the enable bit sits at the same place. */
    private static final int SCI_EVENTS = TMR_STS | GBL_STS | PWRBTN_STS | SLPBTN_STS | RTC_STS;
    /** Control bits that hold a value; GBL_RLS and SLP_EN are write-only and read 0, SCI_EN reads 1. */
    private static final int CONTROL_STORED = BM_RLD | SLP_TYP_MASK;

    private static final int STATUS = 0;
    private static final int ENABLE = 1;
    private static final int CONTROL = 2;
    private static final String[] REGISTER_NAMES = {"PM1a_STS", "PM1a_EN", "PM1a_CNT"};

    private final IrqLine sci;
    private final PowerOffRequest powerOff;
    private final GuestAccessLog ignored =
            new GuestAccessLog("acpi pm1a", System.getLogger(AcpiPm.class.getName()));
    private final GuestAccessLog ignoredSleeps =
            new GuestAccessLog("acpi pm1a sleep", System.getLogger(AcpiPm.class.getName()));
    private int status;
    private int enable;
    private int control = SCI_EN;
    private boolean sciLevel;

    /** PM1a registers raising {@code sci} (the line for {@link #SCI_IRQ}) and powering off through {@code powerOff}. */
    public AcpiPm(IrqLine sci, PowerOffRequest powerOff) {
        this.sci = Objects.requireNonNull(sci, "sci");
        this.powerOff = Objects.requireNonNull(powerOff, "powerOff");
    }

    /** The power button was pressed (and released): sets PWRBTN_STS, raising the SCI if PWRBTN_EN is set. */
    @Override
    public synchronized void pressPowerButton() {
        status |= PWRBTN_STS;
        updateSci();
    }

    /** Writes of SLP_EN with a sleep type other than S5 (which the DSDT does not offer), since construction. */
    public long ignoredSleepRequests() {
        return ignoredSleeps.count();
    }

    /** Accesses ignored because they reached past the six ports, since construction. */
    public long ignoredAccesses() {
        return ignored.count();
    }

    @Override
    public synchronized long read(long offset, int size) {
        if (!inRange(offset, size)) {
            ignored.ignored(() -> size + "-byte read at offset " + offset);
            return size >= 8 ? -1L : (1L << (8 * size)) - 1;
        }
        long value = 0;
        for (int i = 0; i < size; i++) {
            int at = (int) offset + i;
            value |= (long) (registerValue(at / 2) >>> (8 * (at % 2)) & 0xff) << (8 * i);
        }
        return value;
    }

    @Override
    public void write(long offset, int size, long value) {
        String powerOffCause;
        synchronized (this) {
            if (!inRange(offset, size)) {
                ignored.ignored(() -> String.format("%d-byte write of 0x%x at offset %d", size, value, offset));
                return;
            }
            int[] written = new int[3];
            int[] masks = new int[3];
            for (int i = 0; i < size; i++) {
                int at = (int) offset + i;
                int shift = 8 * (at % 2);
                written[at / 2] |= (int) (value >>> (8 * i) & 0xff) << shift;
                masks[at / 2] |= 0xff << shift;
            }
            if (masks[STATUS] != 0) {
                status &= ~(written[STATUS] & masks[STATUS] & STATUS_W1C);
            }
            if (masks[ENABLE] != 0) {
                enable = (enable & ~masks[ENABLE]) | (written[ENABLE] & masks[ENABLE] & ENABLE_BITS);
            }
            powerOffCause = masks[CONTROL] != 0 ? writeControl(written[CONTROL], masks[CONTROL]) : null;
            updateSci();
        }
        if (powerOffCause != null) {
            powerOff.request(powerOffCause);
        }
    }

    /** Stores the control bits; returns the power-off cause when this write enters S5, else null. */
    private String writeControl(int written, int mask) {
        int merged = (control & ~mask) | (written & mask);
        control = (merged & CONTROL_STORED) | SCI_EN;
        if ((written & mask & SLP_EN) == 0) {
            return null;
        }
        int slpTyp = (merged & SLP_TYP_MASK) >>> SLP_TYP_SHIFT;
        if (slpTyp == SLP_TYP_S5) {
            return String.format("guest wrote 0x%04x to PM1a_CNT (port 0x%x): SLP_EN with SLP_TYP %d (S5, soft off)",
                    merged & 0xffff, PM1A_CNT_BLK, slpTyp);
        }
        ignoredSleeps.ignored(() -> String.format("SLP_EN with SLP_TYP %d (PM1a_CNT = 0x%04x), a sleep state the"
                + " DSDT does not offer", slpTyp, merged & 0xffff));
        return null;
    }

    private int registerValue(int register) {
        return switch (register) {
            case STATUS -> status;
            case ENABLE -> enable;
            default -> control | SCI_EN;
        };
    }

    private void updateSci() {
        boolean level = (status & enable & SCI_EVENTS) != 0;
        if (level != sciLevel) {
            sciLevel = level;
            sci.set(level);
        }
    }

    private static boolean inRange(long offset, int size) {
        return offset >= 0 && offset < PORT_COUNT && size >= 1 && size <= 4 && offset + size <= PORT_COUNT;
    }

    @Override
    public synchronized String toString() {
        return String.format("AcpiPm[%s=0x%04x %s=0x%04x %s=0x%04x sci=%s]", REGISTER_NAMES[STATUS], status,
                REGISTER_NAMES[ENABLE], enable, REGISTER_NAMES[CONTROL], control | SCI_EN, sciLevel);
    }
}
