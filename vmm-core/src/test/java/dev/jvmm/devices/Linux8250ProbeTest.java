package dev.jvmm.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.bus.Bus;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Replays, register access by register access, what Linux's 8250 driver does to a PC COM port
 * (drivers/tty/serial/8250/8250_port.c: autoconfig, autoconfig_16550a, size_fifo, the THRE and TXEN
 * tests of serial8250_do_startup, and serial8250_handle_irq), and checks it concludes "16550A" with no
 * bug workarounds. The driver logic is transliterated here, independent of the device.
 */
class Linux8250ProbeTest {
    // include/uapi/linux/serial_reg.h
    static final int UART_RX = 0, UART_TX = 0, UART_DLL = 0, UART_DLM = 1, UART_IER = 1, UART_IIR = 2,
            UART_FCR = 2, UART_EFR = 2, UART_LCR = 3, UART_MCR = 4, UART_LSR = 5, UART_MSR = 6, UART_SCR = 7;
    static final int UART_LCR_CONF_MODE_A = 0x80, UART_LCR_CONF_MODE_B = 0xbf;
    static final int UART_FCR_ENABLE_FIFO = 0x01, UART_FCR_CLEAR_RCVR = 0x02, UART_FCR_CLEAR_XMIT = 0x04,
            UART_FCR7_64BYTE = 0x20;
    static final int UART_IIR_NO_INT = 0x01, UART_IIR_ID = 0x0e;
    static final int UART_IER_RDI = 0x01, UART_IER_THRI = 0x02, UART_IER_RLSI = 0x04, UART_IER_UUE = 0x40;
    static final int UART_MCR_LOOP = 0x10, UART_MCR_OUT2 = 0x08, UART_MCR_RTS = 0x02, UART_MCR_DTR = 0x01;
    static final int UART_LSR_DR = 0x01, UART_LSR_BI = 0x10, UART_LSR_THRE = 0x20, UART_LSR_TEMT = 0x40;
    static final int BOTH_EMPTY = UART_LSR_TEMT | UART_LSR_THRE;

    /** The driver's view of one port: serial_in/serial_out over the port I/O bus. */
    static final class Port {
        final Bus bus;
        final long iobase;
        final List<String> trace = new ArrayList<>();

        Port(Bus bus, long iobase) {
            this.bus = bus;
            this.iobase = iobase;
        }

        int in(int reg) {
            int v = (int) bus.read(iobase + reg, 1);
            trace.add(String.format("in  %d -> %02x", reg, v));
            return v;
        }

        void out(int reg, int value) {
            trace.add(String.format("out %d <- %02x", reg, value & 0xff));
            bus.write(iobase + reg, 1, value & 0xff);
        }

        int dlRead() {
            return in(UART_DLL) | in(UART_DLM) << 8;
        }

        void dlWrite(int value) {
            out(UART_DLL, value & 0xff);
            out(UART_DLM, value >> 8 & 0xff);
        }
    }

    /** autoconfig() for a port without UPF_BUGGY_UART, with the loopback test (no UPF_SKIP_TEST). */
    static String autoconfig(Port p) {
        int scratch = p.in(UART_IER);
        p.out(UART_IER, 0);
        int scratch2 = p.in(UART_IER) & 0x0f;
        p.out(UART_IER, 0x0f);
        int scratch3 = p.in(UART_IER) & 0x0f;
        p.out(UART_IER, scratch);
        if (scratch2 != 0 || scratch3 != 0x0f) {
            return "IER test failed";
        }
        int saveMcr = p.in(UART_MCR);
        int saveLcr = p.in(UART_LCR);
        p.out(UART_MCR, UART_MCR_LOOP | 0x0a);
        int status1 = p.in(UART_MSR) & 0xf0;
        p.out(UART_MCR, saveMcr);
        if (status1 != 0x90) {
            return "LOOP test failed";
        }
        p.out(UART_LCR, UART_LCR_CONF_MODE_B);
        p.out(UART_EFR, 0);
        p.out(UART_LCR, 0);
        p.out(UART_FCR, UART_FCR_ENABLE_FIFO);
        String type = switch (p.in(UART_IIR) >> 6) {
            case 0 -> autoconfig8250(p);
            case 1 -> "unknown";
            case 2 -> "16550";
            default -> autoconfig16550a(p);
        };
        p.out(UART_LCR, saveLcr);
        // Reset the UART.
        p.out(UART_MCR, saveMcr);
        clearFifos(p);
        p.in(UART_RX);
        p.out(UART_IER, 0);
        return type;
    }

    static String autoconfig8250(Port p) {
        int scratch = p.in(UART_SCR);
        p.out(UART_SCR, 0xa5);
        int status1 = p.in(UART_SCR);
        p.out(UART_SCR, 0x5a);
        int status2 = p.in(UART_SCR);
        p.out(UART_SCR, scratch);
        return status1 == 0xa5 && status2 == 0x5a ? "16450" : "8250";
    }

    static String autoconfig16550a(Port p) {
        // EFR with DLAB set: only ST16C650V1 parts.
        p.out(UART_LCR, UART_LCR_CONF_MODE_A);
        if (p.in(UART_EFR) == 0) {
            p.out(UART_EFR, 0xa8);
            String t = p.in(UART_EFR) != 0 ? "ST16650" : "16550A_FSL64 or Motorola DUART";
            p.out(UART_EFR, 0);
            return t;
        }
        // EFR behind LCR = 0xbf: ST16C650V2, TI16C752 and friends.
        p.out(UART_LCR, UART_LCR_CONF_MODE_B);
        if (p.in(UART_EFR) == 0 && !brokenEfr(p)) {
            return "ST16650V2 family (has EFR)";
        }
        // National Semiconductor SuperIO: MCR.LOOP visible in EXCR1 of bank 2.
        p.out(UART_LCR, 0);
        int status1 = p.in(UART_MCR);
        p.out(UART_LCR, 0xe0);
        int status2 = p.in(0x02);
        if (((status2 ^ status1) & UART_MCR_LOOP) == 0) {
            p.out(UART_LCR, 0);
            p.out(UART_MCR, status1 ^ UART_MCR_LOOP);
            p.out(UART_LCR, 0xe0);
            status2 = p.in(0x02);
            p.out(UART_LCR, 0);
            p.out(UART_MCR, status1);
            if (((status2 ^ status1) & UART_MCR_LOOP) != 0) {
                return "NS16550A";
            }
        }
        // TI16750: IIR bit 5 follows FCR7_64BYTE only with DLAB set.
        p.out(UART_LCR, 0);
        p.out(UART_FCR, UART_FCR_ENABLE_FIFO | UART_FCR7_64BYTE);
        status1 = p.in(UART_IIR) >> 5;
        p.out(UART_FCR, UART_FCR_ENABLE_FIFO);
        p.out(UART_LCR, UART_LCR_CONF_MODE_A);
        p.out(UART_FCR, UART_FCR_ENABLE_FIFO | UART_FCR7_64BYTE);
        status2 = p.in(UART_IIR) >> 5;
        p.out(UART_FCR, UART_FCR_ENABLE_FIFO);
        p.out(UART_LCR, 0);
        if (status1 == 6 && status2 == 7) {
            return "TI16750";
        }
        // XScale: IER bit 6 (UUE) sticks.
        int iersave = p.in(UART_IER);
        p.out(UART_IER, iersave & ~UART_IER_UUE);
        if ((p.in(UART_IER) & UART_IER_UUE) == 0) {
            p.out(UART_IER, iersave | UART_IER_UUE);
            if ((p.in(UART_IER) & UART_IER_UUE) != 0) {
                return "XScale";
            }
        }
        p.out(UART_IER, iersave);
        // 16550A or the 64-byte U6_16550A.
        return sizeFifo(p) == 64 ? "U6_16550A" : "16550A";
    }

    static boolean brokenEfr(Port p) {
        return readDivisorId(p) == 0x0201 && sizeFifo(p) == 16;
    }

    static int readDivisorId(Port p) {
        int oldLcr = p.in(UART_LCR);
        p.out(UART_LCR, UART_LCR_CONF_MODE_A);
        int oldDl = p.dlRead();
        p.dlWrite(0);
        int id = p.dlRead();
        p.dlWrite(oldDl);
        p.out(UART_LCR, oldLcr);
        return id;
    }

    static int sizeFifo(Port p) {
        int oldLcr = p.in(UART_LCR);
        p.out(UART_LCR, 0);
        int oldFcr = p.in(UART_FCR);
        int oldMcr = p.in(UART_MCR);
        p.out(UART_FCR, UART_FCR_ENABLE_FIFO | UART_FCR_CLEAR_RCVR | UART_FCR_CLEAR_XMIT);
        p.out(UART_MCR, UART_MCR_LOOP);
        p.out(UART_LCR, UART_LCR_CONF_MODE_A);
        int oldDl = p.dlRead();
        p.dlWrite(0x0001);
        p.out(UART_LCR, 0x03);
        for (int count = 0; count < 256; count++) {
            p.out(UART_TX, count);
        }
        int count = 0;
        while ((p.in(UART_LSR) & UART_LSR_DR) != 0 && count < 256) {
            p.in(UART_RX);
            count++;
        }
        p.out(UART_FCR, oldFcr);
        p.out(UART_MCR, oldMcr);
        p.out(UART_LCR, UART_LCR_CONF_MODE_A);
        p.dlWrite(oldDl);
        p.out(UART_LCR, oldLcr);
        return count;
    }

    static void clearFifos(Port p) {
        p.out(UART_FCR, UART_FCR_ENABLE_FIFO);
        p.out(UART_FCR, UART_FCR_ENABLE_FIFO | UART_FCR_CLEAR_RCVR | UART_FCR_CLEAR_XMIT);
        p.out(UART_FCR, 0);
    }

    final RecordingIrqLine irq = new RecordingIrqLine();
    final ByteArrayOutputStream console = new ByteArrayOutputStream();
    final Bus pio = new Bus("pio");
    final Serial16550 uart = new Serial16550("ttyS0", irq, console);
    final Port port = new Port(pio, Serial16550.COM1_BASE);

    Linux8250ProbeTest() {
        pio.register("com1", Serial16550.COM1_BASE, Serial16550.REGISTER_COUNT, uart);
    }

    @Test
    void autoconfigDetectsA16550A() {
        assertEquals("16550A", autoconfig(port), String.join("\n", port.trace));
        assertEquals(16, sizeFifo(port), "a 16550A's FIFO holds 16 bytes");
        assertEquals(0x03, port.in(UART_LCR), "LCR restored");
        assertEquals(0x00, port.in(UART_MCR), "MCR restored");
        assertEquals(12, uart.divisor(), "divisor restored after size_fifo");
        assertEquals("", console.toString(), "probing transmits nothing on the line");
        assertEquals(List.of(), irq.levels(), "OUT2 never set during the probe: no interrupt");
    }

    @Test
    void startupFindsNeitherTheThreNorTheTxenBug() {
        autoconfig(port);
        // serial8250_do_startup: clear FIFOs, clear interrupt registers, set OUT2 (port->irq != 0).
        clearFifos(port);
        port.in(UART_LSR);
        port.in(UART_RX);
        port.in(UART_IIR);
        port.in(UART_MSR);
        port.out(UART_LCR, 0x03);
        port.out(UART_MCR, UART_MCR_OUT2 | UART_MCR_RTS | UART_MCR_DTR);

        // UART_BUG_THRE test: THRE must be re-asserted when THRI is enabled again.
        while ((port.in(UART_LSR) & UART_LSR_THRE) == 0) {
            // wait_for_xmitr
        }
        port.out(UART_IER, UART_IER_THRI);
        int iir1 = port.in(UART_IIR);
        port.out(UART_IER, 0);
        port.out(UART_IER, UART_IER_THRI);
        int iir = port.in(UART_IIR);
        port.out(UART_IER, 0);
        boolean bugThre = (iir1 & UART_IIR_NO_INT) == 0 && (iir & UART_IIR_NO_INT) != 0;
        assertFalse(bugThre, "UART_BUG_THRE: iir1=" + iir1 + " iir=" + iir);

        // UART_BUG_TXEN test: enabling THRI with an empty transmitter must show an interrupt.
        port.out(UART_IER, UART_IER_THRI);
        int lsr = port.in(UART_LSR);
        iir = port.in(UART_IIR);
        port.out(UART_IER, 0);
        boolean bugTxen = (lsr & UART_LSR_TEMT) != 0 && (iir & UART_IIR_NO_INT) != 0;
        assertFalse(bugTxen, "UART_BUG_TXEN: lsr=" + lsr + " iir=" + iir);
    }

    @Test
    void interruptDrivenReceiveAndTransmitLikeSerial8250HandleIrq() {
        autoconfig(port);
        port.out(UART_FCR, UART_FCR_ENABLE_FIFO | 0x80 | UART_FCR_CLEAR_RCVR | UART_FCR_CLEAR_XMIT);
        port.out(UART_MCR, UART_MCR_OUT2 | UART_MCR_RTS | UART_MCR_DTR);
        port.out(UART_IER, UART_IER_RDI | UART_IER_RLSI);
        assertFalse(irq.level());

        uart.offer("root\n".getBytes());
        assertTrue(irq.level(), "received data raises IRQ 4");
        StringBuilder received = new StringBuilder();
        StringBuilder sent = new StringBuilder();
        String echo = "# ";
        int handled = 0;
        while (irq.level() && handled++ < 10) {
            // serial8250_handle_irq: nothing to do if IIR says no interrupt.
            int iir = port.in(UART_IIR);
            assertFalse((iir & UART_IIR_NO_INT) != 0, "line raised but IIR shows none");
            int lsr = port.in(UART_LSR);
            if ((lsr & (UART_LSR_DR | UART_LSR_BI)) != 0) {
                do {
                    received.append((char) port.in(UART_RX));
                    lsr = port.in(UART_LSR);
                } while ((lsr & UART_LSR_DR) != 0);
                port.out(UART_IER, UART_IER_RDI | UART_IER_RLSI | UART_IER_THRI); // start_tx of the echo
            }
            if ((lsr & UART_LSR_THRE) != 0 && (port.in(UART_IER) & UART_IER_THRI) != 0) {
                if (sent.length() < echo.length()) {
                    port.out(UART_TX, echo.charAt(sent.length()));
                    sent.append(echo.charAt(sent.length()));
                } else {
                    port.out(UART_IER, UART_IER_RDI | UART_IER_RLSI); // __stop_tx
                }
            }
        }
        assertEquals("root\n", received.toString());
        assertEquals(echo, console.toString());
        assertFalse(irq.level(), "line low once everything is served");
        assertEquals(UART_IIR_NO_INT, port.in(UART_IIR) & (UART_IIR_ID | UART_IIR_NO_INT));
    }
}
