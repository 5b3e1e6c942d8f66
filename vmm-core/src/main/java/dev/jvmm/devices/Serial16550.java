package dev.jvmm.devices;

import dev.jvmm.bus.BusDevice;
import dev.jvmm.bus.GuestAccessLog;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * A National Semiconductor PC16550D UART (what Linux calls a "16550A": working FIFOs), the PC's COM
 * port. Eight byte-wide registers; offsets 0 and 1 switch to the divisor latch while LCR.DLAB is set.
 *
 * <p>Transmission is instantaneous: a byte written to THR goes straight to the output stream (flushed,
 * so console output is never held back), so LSR always reports THRE and TEMT. Bytes from the host are
 * {@linkplain #offer offered} from any thread into a bounded receive queue that the guest drains
 * through RBR; the queue stands for the hardware FIFO plus a flow-controlled line, so nothing offered
 * and accepted is ever lost. In loopback mode (MCR.LOOP) transmitted bytes are received instead, into
 * at most 16 bytes (one without FIFOs) as on the chip, and host input is refused.
 *
 * <p>Interrupts, highest priority first (IIR bits 3:1): receiver line status (overrun), received data
 * (0x04 at or above the FIFO trigger level, character time-out 0x0C below it: emulated bytes arrive all
 * at once, so the time-out is taken to have expired), THR empty, modem status. The IRQ output is a
 * level: asserted while an enabled interrupt is pending and MCR.OUT2 is set, as the PC wires OUT2 to
 * gate the UART's interrupt onto the ISA bus (loopback disconnects it).
 *
 * <p>Thread-safe: vCPU threads and the host input thread share one lock; the IRQ line is driven under
 * it so levels reach the interrupt controller in order. Any offset, size and value is accepted: wider
 * accesses are split into byte accesses, offsets past the registers read 0xff and drop writes.
 */
public final class Serial16550 implements BusDevice {
    public static final long COM1_BASE = 0x3f8;
    public static final int COM1_IRQ = 4;
    public static final long COM2_BASE = 0x2f8;
    public static final int COM2_IRQ = 3;
    /** Bytes of port space the UART decodes. */
    public static final int REGISTER_COUNT = 8;
    public static final int DEFAULT_INPUT_CAPACITY = 4096;
    /** The 16550's receive FIFO: how much loopback holds before overrunning. */
    public static final int HARDWARE_FIFO_SIZE = 16;

    private static final System.Logger LOG = System.getLogger(Serial16550.class.getName());

    // Register offsets (PC16550D data sheet, table II).
    private static final int DATA = 0; // RBR read, THR write; DLL when DLAB
    private static final int IER = 1; // DLM when DLAB
    private static final int IIR_FCR = 2;
    private static final int LCR = 3;
    private static final int MCR = 4;
    private static final int LSR = 5;
    private static final int MSR = 6;
    private static final int SCR = 7;

    private static final int IER_RDI = 0x01;
    private static final int IER_THRI = 0x02;
    private static final int IER_RLSI = 0x04;
    private static final int IER_MSI = 0x08;
    private static final int IER_WRITABLE = 0x0f;

    private static final int IIR_NO_INT = 0x01;
    private static final int IIR_MSI = 0x00;
    private static final int IIR_THRI = 0x02;
    private static final int IIR_RDI = 0x04;
    private static final int IIR_RLSI = 0x06;
    private static final int IIR_TIMEOUT = 0x0c;
    private static final int IIR_FIFOS_ENABLED = 0xc0;

    private static final int FCR_ENABLE = 0x01;
    private static final int FCR_CLEAR_RX = 0x02;
    private static final int FCR_TRIGGER_SHIFT = 6;
    private static final int[] RX_TRIGGER_LEVELS = {1, 4, 8, 14};

    private static final int LCR_DLAB = 0x80;

    private static final int MCR_DTR = 0x01;
    private static final int MCR_RTS = 0x02;
    private static final int MCR_OUT1 = 0x04;
    private static final int MCR_OUT2 = 0x08;
    private static final int MCR_LOOP = 0x10;
    private static final int MCR_WRITABLE = 0x1f;

    private static final int LSR_DR = 0x01;
    private static final int LSR_OE = 0x02;
    private static final int LSR_ERRORS = 0x1e; // OE, PE, FE, BI
    private static final int LSR_THRE = 0x20;
    private static final int LSR_TEMT = 0x40;

    private static final int MSR_DCTS = 0x01;
    private static final int MSR_DDSR = 0x02;
    private static final int MSR_TERI = 0x04;
    private static final int MSR_DDCD = 0x08;
    private static final int MSR_CTS = 0x10;
    private static final int MSR_DSR = 0x20;
    private static final int MSR_RI = 0x40;
    private static final int MSR_DCD = 0x80;
    /** Modem inputs outside loopback: a null-modem console that is always ready (as QEMU and Cloud Hypervisor). */
    private static final int MSR_LINES_CONNECTED = MSR_CTS | MSR_DSR | MSR_DCD;

    /** What a PC BIOS leaves COM1 at: 9600 baud (115200 / 12), 8 data bits, no parity, 1 stop bit. */
    private static final int RESET_DIVISOR = 12;
    private static final int RESET_LCR = 0x03;

    private final String name;
    private final IrqLine irq;
    private final OutputStream out;
    private final int inputCapacity;
    private final GuestAccessLog ignored;

    private final ArrayDeque<Byte> rx = new ArrayDeque<>();
    private int ier;
    private int fcr;
    private int lcr = RESET_LCR;
    private int mcr;
    private int lineStatusErrors;
    private int msrDeltas;
    private int scr;
    private int divisor = RESET_DIVISOR;
    private boolean thrEmptyPending;
    private boolean irqAsserted;

    /**
     * A UART named {@code name} (for messages, e.g. "ttyS0"), raising {@code irq}, writing what the
     * guest transmits to {@code out} and holding up to {@code inputCapacity} bytes of host input.
     */
    public Serial16550(String name, IrqLine irq, OutputStream out, int inputCapacity) {
        this.name = Objects.requireNonNull(name, "name");
        this.irq = Objects.requireNonNull(irq, "irq");
        this.out = Objects.requireNonNull(out, "out");
        if (inputCapacity < HARDWARE_FIFO_SIZE) {
            throw new IllegalArgumentException(name + ": input capacity must hold at least one FIFO ("
                    + HARDWARE_FIFO_SIZE + " bytes), got " + inputCapacity);
        }
        this.inputCapacity = inputCapacity;
        this.ignored = new GuestAccessLog(name, LOG);
    }

    public Serial16550(String name, IrqLine irq, OutputStream out) {
        this(name, irq, out, DEFAULT_INPUT_CAPACITY);
    }

    /**
     * Queues host input for the guest, from any thread. Returns how many leading bytes of {@code data}
     * were accepted: fewer than offered when the queue is full, none in loopback mode (the line is
     * disconnected). The caller keeps the rest and offers it again later.
     */
    public synchronized int offer(byte[] data) {
        if ((mcr & MCR_LOOP) != 0) {
            return 0;
        }
        int accepted = Math.min(data.length, inputCapacity - rx.size());
        for (int i = 0; i < accepted; i++) {
            rx.add(data[i]);
        }
        if (accepted > 0) {
            updateIrq();
        }
        return accepted;
    }

    /** Bytes queued for the guest and not yet read. */
    public synchronized int pendingInput() {
        return rx.size();
    }

    /** The baud rate divisor the guest programmed (DLM:DLL). */
    public synchronized int divisor() {
        return divisor;
    }

    /** Guest accesses that were dropped: unknown offsets and writes to read-only registers. */
    public long ignoredAccesses() {
        return ignored.count();
    }

    public String name() {
        return name;
    }

    @Override
    public synchronized long read(long offset, int size) {
        if (size < 1 || size > 8) {
            ignored.ignored(() -> size + "-byte read at offset " + offset);
            return -1L;
        }
        long value = 0;
        for (int i = 0; i < size; i++) {
            value |= (long) readByte(offset + i) << (8 * i);
        }
        updateIrq();
        return value;
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        if (size < 1 || size > 8) {
            ignored.ignored(() -> size + "-byte write at offset " + offset);
            return;
        }
        for (int i = 0; i < size; i++) {
            writeByte(offset + i, (int) (value >>> (8 * i)) & 0xff);
        }
        updateIrq();
    }

    private boolean dlab() {
        return (lcr & LCR_DLAB) != 0;
    }

    private boolean fifosEnabled() {
        return (fcr & FCR_ENABLE) != 0;
    }

    private boolean loopback() {
        return (mcr & MCR_LOOP) != 0;
    }

    private int readByte(long offset) {
        if (offset < 0 || offset >= REGISTER_COUNT) {
            ignored.ignored(() -> "read at offset " + offset);
            return 0xff;
        }
        return switch ((int) offset) {
            case DATA -> dlab() ? divisor & 0xff : receive();
            case IER -> dlab() ? divisor >>> 8 : ier;
            case IIR_FCR -> readIir();
            case LCR -> lcr;
            case MCR -> mcr;
            case LSR -> readLsr();
            case MSR -> readMsr();
            case SCR -> scr;
            default -> throw new AssertionError(offset);
        };
    }

    private void writeByte(long offset, int value) {
        if (offset < 0 || offset >= REGISTER_COUNT) {
            ignored.ignored(() -> String.format("write of 0x%02x at offset %d", value, offset));
            return;
        }
        switch ((int) offset) {
            case DATA -> {
                if (dlab()) {
                    divisor = (divisor & 0xff00) | value;
                } else {
                    transmit(value);
                }
            }
            case IER -> {
                if (dlab()) {
                    divisor = (divisor & 0x00ff) | value << 8;
                } else {
                    writeIer(value);
                }
            }
            case IIR_FCR -> writeFcr(value);
            case LCR -> lcr = value;
            case MCR -> writeMcr(value);
            case LSR, MSR -> ignored.ignored(() -> String.format("write of 0x%02x to read-only %s", value,
                    offset == LSR ? "LSR" : "MSR"));
            case SCR -> scr = value;
            default -> throw new AssertionError(offset);
        }
    }

    private int receive() {
        Byte b = rx.poll();
        return b == null ? 0 : b & 0xff;
    }

    private void transmit(int value) {
        if (loopback()) {
            int fifo = fifosEnabled() ? HARDWARE_FIFO_SIZE : 1;
            if (rx.size() < fifo) {
                rx.add((byte) value);
            } else {
                lineStatusErrors |= LSR_OE;
            }
        } else {
            try {
                out.write(value);
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(name + ": writing guest console output failed; check where the "
                        + "console is sent (file system full, pipe reader gone?)", e);
            }
        }
        // The byte left THR at once: THR is empty again and, if enabled, says so by interrupt.
        thrEmptyPending = true;
    }

    private void writeIer(int value) {
        int old = ier;
        ier = value & IER_WRITABLE;
        // Enabling the THRE interrupt while THR is empty raises it at once (Linux's
        // serial8250_do_startup tests exactly this, else it assumes UART_BUG_THRE).
        if ((ier & IER_THRI) != 0 && (old & IER_THRI) == 0) {
            thrEmptyPending = true;
        }
    }

    private void writeFcr(int value) {
        boolean enable = (value & FCR_ENABLE) != 0;
        if (enable != fifosEnabled() || (value & FCR_CLEAR_RX) != 0) {
            // Changing FCR0 clears both FIFOs; FCR1 clears the receiver. The transmitter is always empty.
            rx.clear();
        }
        fcr = enable ? value & 0xc9 : 0; // bits 0, 3, 6, 7 stick; the other bits act once or are reserved
    }

    private void writeMcr(int value) {
        int oldLines = modemLines();
        mcr = value & MCR_WRITABLE;
        int newLines = modemLines();
        int changed = oldLines ^ newLines;
        if ((changed & MSR_CTS) != 0) {
            msrDeltas |= MSR_DCTS;
        }
        if ((changed & MSR_DSR) != 0) {
            msrDeltas |= MSR_DDSR;
        }
        if ((oldLines & MSR_RI) != 0 && (newLines & MSR_RI) == 0) {
            msrDeltas |= MSR_TERI;
        }
        if ((changed & MSR_DCD) != 0) {
            msrDeltas |= MSR_DDCD;
        }
    }

    /** MSR bits 7:4: the modem inputs, wired to MCR outputs in loopback (RTS→CTS, DTR→DSR, OUT1→RI, OUT2→DCD). */
    private int modemLines() {
        if (!loopback()) {
            return MSR_LINES_CONNECTED;
        }
        int lines = 0;
        lines |= (mcr & MCR_RTS) != 0 ? MSR_CTS : 0;
        lines |= (mcr & MCR_DTR) != 0 ? MSR_DSR : 0;
        lines |= (mcr & MCR_OUT1) != 0 ? MSR_RI : 0;
        lines |= (mcr & MCR_OUT2) != 0 ? MSR_DCD : 0;
        return lines;
    }

    private int readMsr() {
        int value = modemLines() | msrDeltas;
        msrDeltas = 0;
        return value;
    }

    private int readLsr() {
        int value = LSR_THRE | LSR_TEMT | lineStatusErrors | (rx.isEmpty() ? 0 : LSR_DR);
        lineStatusErrors = 0;
        return value;
    }

    private int readIir() {
        int id = pendingInterrupt();
        if (id == IIR_THRI) {
            thrEmptyPending = false; // reading IIR while it reports THRE is what clears THRE
        }
        return id | (fifosEnabled() ? IIR_FIFOS_ENABLED : 0);
    }

    /** IIR bits 3:0 for the highest-priority enabled pending interrupt (data sheet table IV). */
    private int pendingInterrupt() {
        if ((ier & IER_RLSI) != 0 && (lineStatusErrors & LSR_ERRORS) != 0) {
            return IIR_RLSI;
        }
        if ((ier & IER_RDI) != 0 && !rx.isEmpty()) {
            int trigger = RX_TRIGGER_LEVELS[fcr >>> FCR_TRIGGER_SHIFT];
            return fifosEnabled() && rx.size() < trigger ? IIR_TIMEOUT : IIR_RDI;
        }
        if ((ier & IER_THRI) != 0 && thrEmptyPending) {
            return IIR_THRI;
        }
        if ((ier & IER_MSI) != 0 && msrDeltas != 0) {
            return IIR_MSI;
        }
        return IIR_NO_INT;
    }

    private void updateIrq() {
        boolean level = pendingInterrupt() != IIR_NO_INT && (mcr & MCR_OUT2) != 0 && !loopback();
        if (level != irqAsserted) {
            irqAsserted = level;
            irq.set(level);
        }
    }

    @Override
    public String toString() {
        return "Serial16550[" + name + "]";
    }
}
