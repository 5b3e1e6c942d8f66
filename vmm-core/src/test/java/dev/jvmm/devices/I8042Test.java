package dev.jvmm.devices;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.bus.Bus;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class I8042Test {
    // drivers/input/serio/i8042.h
    static final int I8042_STR_OBF = 0x01, I8042_STR_IBF = 0x02, I8042_STR_KEYLOCK = 0x10,
            I8042_STR_AUXDATA = 0x20, I8042_STR_TIMEOUT = 0x40;
    static final int I8042_CTR_KBDINT = 0x01, I8042_CTR_AUXINT = 0x02, I8042_CTR_KBDDIS = 0x10,
            I8042_CTR_AUXDIS = 0x20;
    static final int I8042_CMD_CTL_RCTR = 0x0120, I8042_CMD_CTL_WCTR = 0x1060, I8042_CMD_CTL_TEST = 0x01aa,
            I8042_CMD_AUX_DISABLE = 0x00a7, I8042_CMD_AUX_ENABLE = 0x00a8, I8042_CMD_AUX_LOOP = 0x11d3,
            I8042_CMD_KBD_TEST = 0x01ab, I8042_CMD_AUX_TEST = 0x01a9;
    static final int I8042_CTL_TIMEOUT = 10000;
    static final int I8042_BUFFER_SIZE = 16;

    final RecordingIrqLine kbdIrq = new RecordingIrqLine();
    final RecordingIrqLine auxIrq = new RecordingIrqLine();
    final List<String> resets = new ArrayList<>();
    final I8042 kbc = new I8042(kbdIrq, auxIrq, resets::add);
    final SystemControlPortA port92 = new SystemControlPortA(resets::add);
    final Bus pio = new Bus("pio");

    I8042Test() {
        kbc.register(pio);
        pio.register("port92", SystemControlPortA.PORT, 1, port92);
    }

    int status() {
        return (int) pio.read(0x64, 1);
    }

    int data() {
        return (int) pio.read(0x60, 1);
    }

    void command(int c) {
        pio.write(0x64, 1, c);
    }

    void writeData(int v) {
        pio.write(0x60, 1, v);
    }

    /** __i8042_command(): returns the replies, or null for Linux's "auxerr"; fails on a timeout. */
    int[] i8042Command(int command, int... params) {
        assertEquals(command >> 12 & 0xf, params.length);
        waitWrite();
        command(command & 0xff);
        for (int p : params) {
            waitWrite();
            writeData(p);
        }
        int[] replies = new int[command >> 8 & 0xf];
        for (int i = 0; i < replies.length; i++) {
            waitRead(command);
            if (command == I8042_CMD_AUX_LOOP && (status() & I8042_STR_AUXDATA) == 0) {
                return null;
            }
            replies[i] = data();
        }
        return replies;
    }

    void waitWrite() {
        for (int i = 0; i < I8042_CTL_TIMEOUT; i++) {
            if ((status() & I8042_STR_IBF) == 0) {
                return;
            }
        }
        throw new AssertionError("i8042_wait_write timed out");
    }

    void waitRead(int command) {
        for (int i = 0; i < I8042_CTL_TIMEOUT; i++) {
            if ((status() & I8042_STR_OBF) != 0) {
                return;
            }
        }
        throw new AssertionError(String.format("i8042 command 0x%04x timed out waiting for a reply", command));
    }

    int flush() {
        int i = 0;
        while ((status() & I8042_STR_OBF) != 0 && i < I8042_BUFFER_SIZE) {
            data();
            i++;
        }
        return i;
    }

    @Test
    void linuxProbeFindsAControllerWithoutMuxQuicklyAndRebootsIt() {
        // i8042_controller_check, i8042_controller_selftest
        assertTrue(flush() < I8042_BUFFER_SIZE, "No controller found");
        assertArrayEquals(new int[] {0x55}, i8042Command(I8042_CMD_CTL_TEST));

        // i8042_controller_init
        int ctr = i8042Command(I8042_CMD_CTL_RCTR)[0];
        assertEquals(0x65, ctr, "BIOS defaults: KBDINT | SYSFLAG | AUXDIS | XLATE");
        assertTrue((status() & I8042_STR_KEYLOCK) != 0, "Linux would warn: Keylock active");
        ctr = (ctr | I8042_CTR_KBDDIS) & ~I8042_CTR_KBDINT;
        i8042Command(I8042_CMD_CTL_WCTR, ctr);
        assertEquals(ctr, kbc.commandByte());

        // i8042_check_mux -> i8042_set_mux_mode(1): a legacy controller echoes the third byte too.
        flush();
        assertArrayEquals(new int[] {0xf0}, i8042Command(I8042_CMD_AUX_LOOP, 0xf0));
        assertArrayEquals(new int[] {0x56}, i8042Command(I8042_CMD_AUX_LOOP, 0x56));
        assertArrayEquals(new int[] {0xa4}, i8042Command(I8042_CMD_AUX_LOOP, 0xa4), "== 0xa4: no MUX");

        // i8042_check_aux: loop, bit assignment test, then AUX IRQ delivery.
        flush();
        assertArrayEquals(new int[] {0x5a}, i8042Command(I8042_CMD_AUX_LOOP, 0x5a));
        i8042Command(I8042_CMD_AUX_DISABLE);
        assertTrue((i8042Command(I8042_CMD_CTL_RCTR)[0] & I8042_CTR_AUXDIS) != 0);
        i8042Command(I8042_CMD_AUX_ENABLE);
        assertEquals(0, i8042Command(I8042_CMD_CTL_RCTR)[0] & I8042_CTR_AUXDIS);
        ctr = (ctr & ~I8042_CTR_AUXDIS) | I8042_CTR_AUXINT;
        i8042Command(I8042_CMD_CTL_WCTR, ctr);
        i8042Command(I8042_CMD_AUX_LOOP & 0xf0ff, 0xa5);
        assertTrue(auxIrq.level(), "IRQ 12 delivered for the looped byte");
        int str = status();
        assertTrue((str & I8042_STR_OBF) != 0 && (str & I8042_STR_AUXDATA) != 0);
        assertEquals(0xa5, data());
        assertFalse(auxIrq.level());
        ctr = (ctr | I8042_CTR_AUXDIS) & ~I8042_CTR_AUXINT;
        i8042Command(I8042_CMD_CTL_WCTR, ctr);
        assertArrayEquals(new int[] {0x00}, i8042Command(I8042_CMD_KBD_TEST));
        assertArrayEquals(new int[] {0x00}, i8042Command(I8042_CMD_AUX_TEST));

        // i8042_enable_kbd_port, then atkbd's GETID to an empty socket: an immediate time-out.
        ctr = (ctr & ~I8042_CTR_KBDDIS) | I8042_CTR_KBDINT;
        i8042Command(I8042_CMD_CTL_WCTR, ctr);
        waitWrite();
        writeData(0xf2);
        assertTrue(kbdIrq.level(), "IRQ 1 for the keyboard port's answer");
        str = status();
        assertEquals(I8042_STR_OBF | I8042_STR_TIMEOUT, str & (I8042_STR_OBF | I8042_STR_TIMEOUT | I8042_STR_AUXDATA));
        assertEquals(0xfe, data());
        assertFalse(kbdIrq.level());

        // Reading an empty output buffer returns 0.
        assertEquals(0, status() & I8042_STR_OBF);
        assertEquals(0, data());

        // machine_emergency_restart, BOOT_KBD: kb_wait(), then pulse the reset line.
        assertEquals(List.of(), resets);
        waitWrite();
        command(0xfe);
        assertEquals(1, resets.size());
        assertTrue(resets.getFirst().contains("0xfe"), resets.getFirst());
    }

    @Test
    void pulseCommandsResetExactlyWhenTheyPulseBitZero() {
        for (int c = 0xf0; c <= 0xff; c++) {
            resets.clear();
            command(c);
            assertEquals((c & 1) == 0 ? 1 : 0, resets.size(), String.format("command 0x%02x", c));
        }
    }

    @Test
    void outputPortControlsResetAndA20() {
        command(0xd0);
        assertEquals(0x03, data(), "reset inactive, A20 on");
        command(0xdd);
        assertFalse(kbc.a20());
        command(0xdf);
        assertTrue(kbc.a20());
        command(0xd1);
        writeData(0x01);
        assertFalse(kbc.a20());
        assertEquals(List.of(), resets);
        command(0xd1);
        writeData(0x02);
        assertEquals(1, resets.size(), "output port bit 0 low drives reset");
        command(0xd0);
        assertEquals(0x03, data(), "reset line released again after the pulse");
    }

    @Test
    void internalRamIsReadAndWrittenThroughTheCommandTable() {
        command(0x65); // write RAM byte 5
        writeData(0x99);
        command(0x25);
        assertEquals(0x99, data());
        command(0x60);
        writeData(0x00);
        assertEquals(0, kbc.commandByte());
        command(0x20);
        assertEquals(0x00, data());
        assertEquals(0, status() & 0x04, "status SYS flag follows CTR bit 2");
        command(0xaa);
        assertEquals(0x55, data());
        assertEquals(0x04, status() & 0x04, "self-test sets the SYS flag");
    }

    @Test
    void controllerDisableAndEnableCommandsFlipCtrBits() {
        command(0xad);
        assertEquals(I8042_CTR_KBDDIS, kbc.commandByte() & I8042_CTR_KBDDIS);
        command(0xae);
        assertEquals(0, kbc.commandByte() & I8042_CTR_KBDDIS);
        command(0xa8);
        assertEquals(0, kbc.commandByte() & I8042_CTR_AUXDIS);
        command(0xa7);
        assertEquals(I8042_CTR_AUXDIS, kbc.commandByte() & I8042_CTR_AUXDIS);
        long before = kbc.ignoredAccesses();
        command(0x05);
        assertEquals(before + 1, kbc.ignoredAccesses(), "unknown commands are counted");
        assertEquals(0, status() & I8042_STR_OBF, "and answer nothing");
    }

    @Test
    void port92ResetsOnBitZeroAndKeepsA20() {
        assertEquals(0x02, pio.read(0x92, 1));
        pio.write(0x92, 1, 0x00);
        assertFalse(port92.a20());
        assertEquals(List.of(), resets);
        pio.write(0x92, 1, 0x03);
        assertEquals(1, resets.size());
        assertTrue(port92.a20());
        assertEquals(0x02, pio.read(0x92, 1), "bit 0 reads back 0");
    }

    @Test
    void randomAccessesNeverThrow() {
        long seed = Long.getLong("jvmm.seed", System.nanoTime());
        System.out.println("I8042Test seed " + seed + " (rerun with -Djvmm.seed=" + seed + ")");
        Random rnd = new Random(seed);
        I8042 k = new I8042(on -> { }, on -> { }, cause -> { });
        SystemControlPortA a = new SystemControlPortA(cause -> { });
        for (int i = 0; i < 100_000; i++) {
            long offset = rnd.nextInt(4) - 1;
            int size = 1 << rnd.nextInt(4);
            long value = rnd.nextLong();
            var dev = switch (rnd.nextInt(3)) {
                case 0 -> k.dataPort();
                case 1 -> k.commandPort();
                default -> a;
            };
            try {
                if (rnd.nextBoolean()) {
                    dev.read(offset, size);
                } else {
                    dev.write(offset, size, value);
                }
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " step " + i, e);
            }
        }
        for (int i = 0; i < 20 && (k.commandPort().read(0, 1) & I8042_STR_OBF) != 0; i++) {
            k.dataPort().read(0, 1);
        }
        assertEquals(0, k.commandPort().read(0, 1) & I8042_STR_OBF, "seed " + seed + ": output buffer drains");
        k.commandPort().write(0, 1, 0xaa);
        assertEquals(0x55, k.dataPort().read(0, 1), "seed " + seed + ": self-test still answers");
    }
}
