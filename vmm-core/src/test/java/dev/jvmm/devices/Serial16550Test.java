package dev.jvmm.devices;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.bus.Bus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The UART through a port I/O bus, with register values from the PC16550D data sheet. */
class Serial16550Test {
    // Register offsets and bits, written out here independently of the device (Linux serial_reg.h).
    static final int RX = 0, TX = 0, DLL = 0, DLM = 1, IER = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5,
            MSR = 6, SCR = 7;
    static final long BASE = 0x3f8;

    final RecordingIrqLine irq = new RecordingIrqLine();
    final ByteArrayOutputStream console = new ByteArrayOutputStream();
    final Bus pio = new Bus("pio");
    Serial16550 uart = attach(new Serial16550("ttyS0", irq, console, 32));

    Serial16550 attach(Serial16550 device) {
        pio.register("com1", BASE, Serial16550.REGISTER_COUNT, device);
        return device;
    }

    int in(int reg) {
        return (int) pio.read(BASE + reg, 1);
    }

    void out(int reg, int value) {
        pio.write(BASE + reg, 1, value);
    }

    @Test
    void idleUartHasAnEmptyTransmitterAndNoInterrupt() {
        assertEquals(0x60, in(LSR), "THRE | TEMT");
        assertEquals(0x01, in(IIR), "no interrupt pending, FIFOs off");
        assertEquals(0xb0, in(MSR), "DCD | DSR | CTS: a console that is always ready");
        assertEquals(0x03, in(LCR), "8N1 as a BIOS leaves it");
        assertEquals(0, in(RX), "empty receiver reads 0");
        assertEquals(List.of(), irq.levels());
    }

    @Test
    void transmittedBytesReachTheOutputStream() {
        for (byte b : "hello, world\n".getBytes(StandardCharsets.US_ASCII)) {
            assertTrue((in(LSR) & 0x20) != 0, "THRE before every byte, as the console driver polls");
            out(TX, b);
        }
        assertEquals("hello, world\n", console.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void hostInputIsReadInOrderWithDataReady() {
        assertEquals(3, uart.offer(new byte[] {'a', 'b', (byte) 0xff}));
        assertEquals(0x61, in(LSR), "DR joins THRE | TEMT");
        assertEquals('a', in(RX));
        assertEquals('b', in(RX));
        assertEquals(0xff, in(RX));
        assertEquals(0x60, in(LSR));
        assertEquals(0, uart.pendingInput());
    }

    @Test
    void offerTakesNoMoreThanTheQueueHolds() {
        byte[] lots = new byte[50];
        assertEquals(32, uart.offer(lots));
        assertEquals(0, uart.offer(lots));
        in(RX);
        assertEquals(1, uart.offer(lots));
        assertThrows(IllegalArgumentException.class, () -> new Serial16550("x", irq, console, 8));
    }

    @Test
    void divisorLatchHidesBehindDlab() {
        out(IER, 0x05);
        out(LCR, 0x83);
        out(DLL, 0x01);
        out(DLM, 0x02);
        assertEquals(0x01, in(DLL));
        assertEquals(0x02, in(DLM));
        assertEquals(0x0201, uart.divisor());
        out(LCR, 0x03);
        assertEquals(0x05, in(IER), "IER untouched by divisor writes");
        assertEquals("", console.toString(), "DLL writes are not transmitted");
        assertEquals(0x0201, uart.divisor());
    }

    @Test
    void scratchRegisterHoldsAnyByteAndIerKeepsFourBits() {
        for (int v : new int[] {0x00, 0xa5, 0x5a, 0xff}) {
            out(SCR, v);
            assertEquals(v, in(SCR));
        }
        out(IER, 0xff);
        assertEquals(0x0f, in(IER));
        out(MCR, 0xff);
        assertEquals(0x1f, in(MCR));
    }

    @Test
    void interruptIdentificationFollowsDataSheetPriorities() {
        out(MCR, 0x08); // OUT2
        out(FCR, 0x01); // FIFOs on, trigger 1
        out(MCR, 0x18); // loopback to make an overrun
        for (int i = 0; i < 17; i++) {
            out(TX, i);
        }
        out(MCR, 0x08);
        out(IER, 0x0f);
        assertEquals(0xc6, in(IIR), "receiver line status (overrun) comes first");
        assertEquals(0x63, in(LSR) & 0x63, "DR and OE; reading LSR clears OE");
        assertEquals(0x61, in(LSR));
        assertEquals(0xc4, in(IIR), "then received data");
        for (int i = 0; i < 16; i++) {
            assertEquals(i, in(RX));
        }
        assertEquals(0xc2, in(IIR), "then THR empty, raised when IER.THRI was enabled");
        assertEquals(0xc0, in(IIR), "reading IIR cleared THRE; modem status deltas from leaving loopback");
        assertEquals(0xb3, in(MSR), "lines plus DCTS|DDSR: loopback had CTS and DSR low");
        assertEquals(0xc1, in(IIR), "nothing left");
    }

    @Test
    void fifoTriggerLevelChoosesBetweenTimeoutAndDataAvailable() {
        out(IER, 0x01);
        out(FCR, 0x81); // FIFOs on, trigger 8
        uart.offer(new byte[7]);
        assertEquals(0xcc, in(IIR), "below the trigger: character time-out");
        uart.offer(new byte[1]);
        assertEquals(0xc4, in(IIR), "at the trigger: data available");
        out(FCR, 0x83); // clear receiver
        assertEquals(0xc1, in(IIR));
        assertEquals(0x60, in(LSR));
        out(FCR, 0x00);
        uart.offer(new byte[1]);
        assertEquals(0x04, in(IIR), "no FIFOs: data available, no FIFO bits");
    }

    @Test
    void irqLineIsALevelGatedByOut2() {
        out(IER, 0x01);
        uart.offer(new byte[] {1});
        assertFalse(irq.level(), "OUT2 clear: the PC does not see the UART's interrupt");
        out(MCR, 0x08);
        assertTrue(irq.level());
        in(RX);
        assertFalse(irq.level(), "receiver drained");
        out(IER, 0x03);
        assertTrue(irq.level(), "enabling THRI with THR empty raises it");
        in(IIR);
        assertFalse(irq.level(), "reading IIR acknowledged THRE");
        out(TX, 'x');
        assertTrue(irq.level(), "THR empties at once after a write");
        out(IER, 0x00);
        assertFalse(irq.level());
        assertEquals(List.of(true, false, true, false, true, false), irq.levels());
    }

    @Test
    void loopbackWiresModemControlToModemStatusAndTxToRx() {
        out(MCR, 0x10 | 0x0a); // LOOP | RTS | OUT2: Linux's presence test
        assertEquals(0x90, in(MSR) & 0xf0, "CTS from RTS, DCD from OUT2");
        out(MCR, 0x10 | 0x05); // LOOP | DTR | OUT1
        assertEquals(0x60, in(MSR) & 0xf0, "DSR from DTR, RI from OUT1");
        out(MCR, 0x10);
        assertEquals(0x04, in(MSR) & 0x04, "trailing edge of RI");
        assertEquals(0, uart.offer(new byte[] {1}), "the line is disconnected in loopback");
        out(TX, 0x42);
        assertEquals(0x61, in(LSR));
        assertEquals(0x42, in(RX));
        assertEquals("", console.toString(), "looped bytes do not leave the UART");
        out(TX, 1);
        out(TX, 2);
        assertEquals(0x63, in(LSR), "no FIFOs: the second byte overruns the first");
    }

    @Test
    void widerAccessesAreSplitIntoByteAccesses() {
        out(LCR, 0x80);
        pio.write(BASE, 2, 0x1234);
        assertEquals(0x1234, uart.divisor());
        assertEquals(0x1234, pio.read(BASE, 2));
        out(LCR, 0x03);
        pio.write(BASE + 4, 4, 0x5a00_0000L); // MCR, LSR (read-only), MSR (read-only), SCR
        assertEquals(0x5a, in(SCR));
        assertEquals(0, in(MCR));
    }

    @Test
    void outputFailureIsAHostErrorNamingTheDevice() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        };
        Serial16550 u = new Serial16550("ttyS1", new RecordingIrqLine(), broken);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> u.write(TX, 1, 'x'));
        assertTrue(e.getMessage().startsWith("ttyS1: writing guest console output failed"), e.getMessage());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void inputOfferedFromAnotherThreadArrivesIntactAndInOrder() throws InterruptedException {
        byte[] data = new byte[100_000];
        new Random(7).nextBytes(data);
        Thread host = Thread.ofPlatform().start(() -> {
            int sent = 0;
            while (sent < data.length) {
                byte[] chunk = java.util.Arrays.copyOfRange(data, sent, Math.min(data.length, sent + 1000));
                int n = uart.offer(chunk);
                sent += n;
                if (n == 0) {
                    Thread.onSpinWait();
                }
            }
        });
        byte[] got = new byte[data.length];
        int n = 0;
        while (n < got.length) {
            if ((in(LSR) & 0x01) != 0) {
                got[n++] = (byte) in(RX);
            }
        }
        host.join();
        assertArrayEquals(data, got);
    }

    @Test
    void randomGuestAccessesNeverThrowAndLeaveAWorkingUart() {
        long seed = Long.getLong("jvmm.seed", System.nanoTime());
        System.out.println("Serial16550Test seed " + seed + " (rerun with -Djvmm.seed=" + seed + ")");
        Random rnd = new Random(seed);
        for (int i = 0; i < 100_000; i++) {
            long offset = rnd.nextInt(12) - 2;
            int size = 1 + rnd.nextInt(8);
            long value = rnd.nextLong();
            try {
                if (rnd.nextBoolean()) {
                    uart.read(offset, size);
                } else {
                    uart.write(offset, size, value);
                }
                if (rnd.nextInt(100) == 0) {
                    uart.offer(new byte[rnd.nextInt(40)]);
                }
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " step " + i + " offset " + offset + " size " + size, e);
            }
        }
        out(LCR, 0x03);
        out(MCR, 0x00);
        assertEquals(0x60, in(LSR) & 0x60, "seed " + seed);
        console.reset();
        out(TX, 'k');
        assertEquals("k", console.toString(), "seed " + seed);
    }
}
