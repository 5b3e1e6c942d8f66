package dev.jvmm.acpi;

import dev.jvmm.devices.RecordingIrqLine;
import dev.jvmm.memory.testing.Seeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.bus.Bus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class AcpiPmTest {
    private static final int STS = 0;
    private static final int EN = 2;
    private static final int CNT = 4;
    private static final int PWRBTN = 0x100;

    private final RecordingIrqLine sci = new RecordingIrqLine();
    private final List<String> powerOffs = new ArrayList<>();
    private final AcpiPm pm = new AcpiPm(sci, powerOffs::add);

    @Test
    void resetStateIsAcpiModeWithNothingPendingOrEnabled() {
        assertEquals(0, pm.read(STS, 2));
        assertEquals(0, pm.read(EN, 2));
        assertEquals(1, pm.read(CNT, 2), "SCI_EN reads 1: no SMI_CMD, always in ACPI mode");
        pm.write(CNT, 2, 0);
        assertEquals(1, pm.read(CNT, 2), "SCI_EN cannot be cleared");
        assertEquals(0, sci.edges());
    }

    @Test
    void powerButtonRaisesTheSciOnlyWhenEnabledAndWriteOneClears() {
        pm.pressPowerButton();
        assertEquals(PWRBTN, pm.read(STS, 2), "PWRBTN_STS is set even while disabled");
        assertFalse(sci.level(), "no SCI while PWRBTN_EN is clear");

        pm.write(EN, 2, PWRBTN);
        assertTrue(sci.level(), "enabling a pending event raises the level-triggered SCI");
        pm.write(STS, 2, 0);
        pm.write(STS, 2, 0xfeff);
        assertEquals(PWRBTN, pm.read(STS, 2), "writing 0s, or 1s to other bits, leaves PWRBTN_STS set");
        assertTrue(sci.level());

        pm.write(STS, 2, PWRBTN);
        assertEquals(0, pm.read(STS, 2), "write 1 to clear");
        assertFalse(sci.level(), "clearing the status drops the SCI");

        pm.pressPowerButton();
        assertTrue(sci.level());
        pm.pressPowerButton();
        assertTrue(sci.level(), "a second press while pending changes nothing");
        pm.write(EN, 2, 0);
        assertFalse(sci.level(), "disabling the event drops the SCI; the status stays");
        assertEquals(PWRBTN, pm.read(STS, 2));
        assertEquals(4, sci.edges(), "up, down, up, down");
    }

    @Test
    void enableRegisterKeepsEveryDefinedEnableBitSoAcpicaReadBackSucceeds() {
        pm.write(EN, 2, 0xffff);
        assertEquals(0x4721, pm.read(EN, 2), "TMR_EN, GBL_EN, PWRBTN_EN, SLPBTN_EN, RTC_EN, PCIEXP_WAKE_DIS");
        pm.write(EN + 1, 1, 0);
        assertEquals(0x21, pm.read(EN, 2), "a byte write changes only its byte");
        pm.write(STS, 4, 0x0100_ffffL);
        assertEquals(0x0100, pm.read(EN, 2), "a dword write at 0x600 reaches status and enable");
    }

    /** What ACPICA's acpi_hw_legacy_sleep does for S5, register access by register access. */
    @Test
    void acpicaS5SequencePowersOffExactlyOnceOnTheSlpEnWrite() {
        pm.write(STS, 2, 0x8731); // acpi_hw_clear_acpi_status: ACPI_BITMASK_ALL_FIXED_STATUS
        int cnt = (int) pm.read(CNT, 2);
        cnt &= ~(AcpiPm.SLP_TYP_MASK | AcpiPm.SLP_EN);
        cnt |= AcpiPm.SLP_TYP_S5 << AcpiPm.SLP_TYP_SHIFT;
        pm.write(CNT, 2, cnt); // write #1: SLP_TYP only
        assertEquals(List.of(), powerOffs, "no power-off before SLP_EN");
        pm.write(CNT, 2, cnt | AcpiPm.SLP_EN); // write #2: SLP_TYP | SLP_EN
        assertEquals(1, powerOffs.size());
        assertTrue(powerOffs.get(0).contains("S5") && powerOffs.get(0).contains("0x604"), powerOffs.get(0));
        assertEquals(0x1401, pm.read(CNT, 2), "SLP_TYP stays, SLP_EN reads 0, SCI_EN 1");
        assertEquals(0, pm.ignoredSleepRequests());
    }

    @Test
    void byteWriteOfTheControlHighByteAlsoPowersOff() {
        pm.write(CNT + 1, 1, (AcpiPm.SLP_TYP_S5 << 2) | (1 << 5));
        assertEquals(1, powerOffs.size());
    }

    @Test
    void otherSleepTypesAreCountedNotObeyed() {
        for (int typ = 0; typ < 8; typ++) {
            if (typ != AcpiPm.SLP_TYP_S5) {
                pm.write(CNT, 2, typ << AcpiPm.SLP_TYP_SHIFT | AcpiPm.SLP_EN);
            }
        }
        assertEquals(List.of(), powerOffs);
        assertEquals(7, pm.ignoredSleepRequests());
    }

    @Test
    void accessesPastTheSixPortsReadOnesAndAreDropped() {
        assertEquals(0xffff_ffffL, pm.read(4, 4));
        assertEquals(0xff, pm.read(6, 1));
        assertEquals(-1L, pm.read(0, 8));
        pm.write(4, 4, 0xffff_ffffL);
        pm.write(0, 8, -1L);
        assertEquals(List.of(), powerOffs, "a write reaching past the control register is dropped whole");
        assertEquals(5, pm.ignoredAccesses());
    }

    @Test
    void onTheIoBusAtPort0x600() {
        Bus io = new Bus("io");
        io.register("acpi-pm", AcpiPm.PORT_BASE, AcpiPm.PORT_COUNT, pm);
        assertEquals(1, io.read(0x604, 2));
        io.write(0x602, 2, PWRBTN);
        pm.pressPowerButton();
        assertEquals(PWRBTN, io.read(0x600, 2));
        assertTrue(sci.level());
        io.write(0x600, 2, PWRBTN);
        assertFalse(sci.level());
        io.write(0x604, 2, 0x3400);
        assertEquals(1, powerOffs.size());
    }

    /**
     * Random accesses of every size at offsets in and around the block never throw, and after each one
     * the SCI is exactly "some enabled fixed event is pending" and the power-off count follows a byte
     * model of the control register.
     */
    @Test
    void randomAccessesNeverThrowAndKeepTheSciAndPowerOffInvariants() {
        Seeded.repeat("AcpiPm random accesses", 20_000, (random, i) -> {
            int[] sizes = {1, 2, 4, 8};
            long[] extremes = {Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 2, -1};
            long offset = random.nextInt(50) == 0 ? extremes[random.nextInt(extremes.length)] : random.nextInt(12) - 2;
            int size = sizes[random.nextInt(sizes.length)];
            long value = random.nextLong();
            int before = powerOffs.size();
            switch (random.nextInt(4)) {
                case 0 -> pm.read(offset, size);
                case 1 -> pm.pressPowerButton();
                default -> {
                    pm.write(offset, size, value);
                    boolean valid = offset >= 0 && size <= 4 && offset + size <= 6;
                    boolean reachesHighByte = valid && offset <= 5 && offset + size > 5;
                    int high = reachesHighByte ? (int) (value >>> (8 * (5 - offset)) & 0xff) : -1;
                    boolean s5 = high >= 0 && (high & 0x20) != 0 && (high >>> 2 & 7) == AcpiPm.SLP_TYP_S5;
                    assertEquals(before + (s5 ? 1 : 0), powerOffs.size(), String.format(
                            "power-off after a %d-byte write of 0x%x at %d", size, value, offset));
                }
            }
            int pending = (int) (pm.read(0, 2) & pm.read(2, 2) & 0x0721);
            assertEquals(pending != 0, sci.level(), "SCI level = an enabled fixed event is pending");
            assertEquals(1, pm.read(4, 2) & 1, "SCI_EN");
            assertEquals(0, pm.read(4, 2) & AcpiPm.SLP_EN, "SLP_EN reads 0");
        });
    }

    @Test
    void buttonPressesFromAnotherThreadRaceGuestClearsWithoutRedundantLineChanges() throws Exception {
        pm.write(EN, 2, PWRBTN);
        AtomicBoolean done = new AtomicBoolean();
        List<Throwable> failures = new ArrayList<>();
        Thread presser = new Thread(() -> {
            try {
                for (int i = 0; i < 20_000; i++) {
                    pm.pressPowerButton();
                }
            } catch (Throwable t) {
                synchronized (failures) {
                    failures.add(t);
                }
            } finally {
                done.set(true);
            }
        });
        presser.start();
        int cleared = 0;
        while (!done.get() || (pm.read(STS, 2) & PWRBTN) != 0) {
            if ((pm.read(STS, 2) & PWRBTN) != 0) {
                pm.write(STS, 2, PWRBTN);
                cleared++;
            }
        }
        presser.join();
        assertEquals(List.of(), failures);
        assertFalse(sci.level(), "all presses handled");
        assertTrue(cleared >= 1);
        assertEquals(0, sci.edges() % 2, "every rise was followed by a fall");
    }
}
