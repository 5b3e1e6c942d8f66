package dev.jvmm.devices;

import dev.jvmm.bus.Bus;
import dev.jvmm.bus.BusDevice;
import dev.jvmm.bus.GuestAccessLog;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The PS/2 keyboard controller (Intel 8042) with nothing plugged into its keyboard and mouse ports:
 * enough for Linux's i8042 driver to probe it quickly and, above all, for the guest to reset the
 * machine by pulsing the controller's reset line (command 0xfe, Linux's {@code reboot=k}, the default
 * fallback when ACPI reset is absent).
 *
 * <p>Two ports: data at 0x60 ({@link #dataPort()}) and command/status at 0x64 ({@link #commandPort()}).
 * Commands are the {@link #COMMANDS} table; those that take a parameter take the next data-port write.
 * Replies queue in the output buffer (status bit OBF); reading 0x60 with nothing queued returns 0.
 * Writes meant for the keyboard or mouse time out as with empty sockets: the controller answers 0xfe
 * with the status time-out bit set, so drivers give up at once instead of waiting.
 *
 * <p>Interrupts: IRQ 1 while keyboard-port data waits and CTR bit 0 is set, IRQ 12 likewise for mouse
 * data and CTR bit 1. Port 0x61 is not here: KVM's in-kernel PIT emulates it ({@code KVM_PIT_SPEAKER_DUMMY}).
 *
 * <p>Thread-safe; any offset, size and value is accepted (sizes other than 1 read 0xff… and are dropped).
 */
public final class I8042 {
    public static final long DATA_PORT = 0x60;
    public static final long COMMAND_PORT = 0x64;
    public static final int KEYBOARD_IRQ = 1;
    public static final int AUX_IRQ = 12;

    private static final System.Logger LOG = System.getLogger(I8042.class.getName());

    // Status register (read 0x64).
    static final int STR_OBF = 0x01;
    static final int STR_SYSFLAG = 0x04;
    static final int STR_CMDDAT = 0x08;
    static final int STR_KEYLOCK = 0x10; // 1: keyboard not inhibited by the key lock
    static final int STR_AUXDATA = 0x20;
    static final int STR_TIMEOUT = 0x40;

    // Controller command byte, CTR (internal RAM byte 0).
    static final int CTR_KBDINT = 0x01;
    static final int CTR_AUXINT = 0x02;
    static final int CTR_SYSFLAG = 0x04;
    static final int CTR_KBDDIS = 0x10;
    static final int CTR_AUXDIS = 0x20;
    static final int CTR_XLATE = 0x40;
    /** What a PC BIOS leaves: keyboard interrupt on, POST passed, scan code translation on, mouse off. */
    static final int CTR_AT_BOOT = CTR_KBDINT | CTR_SYSFLAG | CTR_AUXDIS | CTR_XLATE;

    // Output port (commands 0xd0/0xd1): bit 0 is the CPU reset line (active low), bit 1 gates A20.
    private static final int OUTPORT_RESET_INACTIVE = 0x01;
    private static final int OUTPORT_A20 = 0x02;

    private static final int NO_DEVICE_REPLY = 0xfe;
    private static final int OUTPUT_QUEUE_LIMIT = 16;

    /** What a controller command does; {@code takesParameter} commands act on the next data byte. */
    private enum Action {
        READ_RAM, WRITE_RAM(true), DISABLE_AUX, ENABLE_AUX, AUX_INTERFACE_TEST, SELF_TEST,
        KBD_INTERFACE_TEST, DISABLE_KBD, ENABLE_KBD, READ_INPUT_PORT, READ_OUTPUT_PORT,
        WRITE_OUTPUT_PORT(true), WRITE_KBD_OUTPUT(true), WRITE_AUX_OUTPUT(true), WRITE_AUX_DEVICE(true),
        A20_OFF, A20_ON, PULSE_OUTPUT_LINES;

        final boolean takesParameter;

        Action() {
            this(false);
        }

        Action(boolean takesParameter) {
            this.takesParameter = takesParameter;
        }
    }

    /**
     * The commands written to port 0x64 this controller knows, as in the IBM PC AT Technical Reference
     * and Linux's {@code i8042.h}: 0x20-0x3f read internal RAM (0x20 is the CTR), 0x60-0x7f write it,
     * 0xf0-0xff pulse output-port lines for every 0 bit in the low nibble (bit 0 is reset, so 0xfe resets).
     */
    static final Map<Integer, Action> COMMANDS = commandTable();

    private static Map<Integer, Action> commandTable() {
        var table = new HashMap<Integer, Action>();
        for (int i = 0; i < 0x20; i++) {
            table.put(0x20 + i, Action.READ_RAM);
            table.put(0x60 + i, Action.WRITE_RAM);
        }
        table.put(0xa7, Action.DISABLE_AUX);
        table.put(0xa8, Action.ENABLE_AUX);
        table.put(0xa9, Action.AUX_INTERFACE_TEST);
        table.put(0xaa, Action.SELF_TEST);
        table.put(0xab, Action.KBD_INTERFACE_TEST);
        table.put(0xad, Action.DISABLE_KBD);
        table.put(0xae, Action.ENABLE_KBD);
        table.put(0xc0, Action.READ_INPUT_PORT);
        table.put(0xd0, Action.READ_OUTPUT_PORT);
        table.put(0xd1, Action.WRITE_OUTPUT_PORT);
        table.put(0xd2, Action.WRITE_KBD_OUTPUT);
        table.put(0xd3, Action.WRITE_AUX_OUTPUT);
        table.put(0xd4, Action.WRITE_AUX_DEVICE);
        table.put(0xdd, Action.A20_OFF);
        table.put(0xdf, Action.A20_ON);
        for (int i = 0xf0; i <= 0xff; i++) {
            table.put(i, Action.PULSE_OUTPUT_LINES);
        }
        return Map.copyOf(table);
    }

    private record Output(int value, boolean aux, boolean timeout) {
    }

    private final IrqLine keyboardIrq;
    private final IrqLine auxIrq;
    private final ResetRequest reset;
    private final GuestAccessLog ignored = new GuestAccessLog("i8042", LOG);
    private final ArrayDeque<Output> output = new ArrayDeque<>();
    private final int[] ram = new int[0x20];
    private final BusDevice dataPort = new Port(false);
    private final BusDevice commandPort = new Port(true);

    private int status = STR_SYSFLAG | STR_KEYLOCK;
    private int outputPort = OUTPORT_RESET_INACTIVE | OUTPORT_A20;
    private Action pending;
    private int pendingCommand;
    private boolean keyboardIrqAsserted;
    private boolean auxIrqAsserted;

    public I8042(IrqLine keyboardIrq, IrqLine auxIrq, ResetRequest reset) {
        this.keyboardIrq = Objects.requireNonNull(keyboardIrq, "keyboardIrq");
        this.auxIrq = Objects.requireNonNull(auxIrq, "auxIrq");
        this.reset = Objects.requireNonNull(reset, "reset");
        ram[0] = CTR_AT_BOOT;
    }

    /** Claims ports 0x60 and 0x64 on {@code pio}. */
    public void register(Bus pio) {
        pio.register("i8042-data", DATA_PORT, 1, dataPort);
        pio.register("i8042-command", COMMAND_PORT, 1, commandPort);
    }

    /** Port 0x60: output buffer on read, data (command parameters, device bytes) on write. */
    public BusDevice dataPort() {
        return dataPort;
    }

    /** Port 0x64: status on read, controller command on write. */
    public BusDevice commandPort() {
        return commandPort;
    }

    /** The controller command byte (CTR). */
    public synchronized int commandByte() {
        return ram[0];
    }

    /** Whether the guest has A20 enabled through the output port (KVM itself never masks A20). */
    public synchronized boolean a20() {
        return (outputPort & OUTPORT_A20) != 0;
    }

    public long ignoredAccesses() {
        return ignored.count();
    }

    private final class Port implements BusDevice {
        private final boolean command;

        Port(boolean command) {
            this.command = command;
        }

        @Override
        public long read(long offset, int size) {
            if (offset != 0 || size != 1) {
                ignored.ignored(() -> size + "-byte read at " + portName(offset));
                return size >= 8 ? -1L : (1L << (8 * size)) - 1;
            }
            return command ? readStatus() : readData();
        }

        @Override
        public void write(long offset, int size, long value) {
            if (offset != 0 || size != 1) {
                ignored.ignored(() -> size + "-byte write at " + portName(offset));
                return;
            }
            if (command) {
                writeCommand((int) value & 0xff);
            } else {
                writeData((int) value & 0xff);
            }
        }

        private String portName(long offset) {
            return String.format("port 0x%x", (command ? COMMAND_PORT : DATA_PORT) + offset);
        }
    }

    private synchronized int readStatus() {
        int value = status;
        Output head = output.peek();
        if (head != null) {
            value |= STR_OBF | (head.aux ? STR_AUXDATA : 0) | (head.timeout ? STR_TIMEOUT : 0);
        }
        return value;
    }

    private synchronized int readData() {
        Output head = output.poll();
        updateIrqs();
        return head == null ? 0 : head.value;
    }

    private synchronized void writeCommand(int command) {
        status |= STR_CMDDAT;
        Action action = COMMANDS.get(command);
        if (action == null) {
            ignored.ignored(() -> String.format("unknown controller command 0x%02x", command));
            return;
        }
        if (action.takesParameter) {
            pending = action;
            pendingCommand = command;
            return;
        }
        pending = null;
        switch (action) {
            case READ_RAM -> reply(ram[command & 0x1f]);
            case DISABLE_AUX -> ram[0] |= CTR_AUXDIS;
            case ENABLE_AUX -> ram[0] &= ~CTR_AUXDIS;
            case AUX_INTERFACE_TEST, KBD_INTERFACE_TEST -> reply(0x00); // 0: no clock or data line stuck
            case SELF_TEST -> {
                status |= STR_SYSFLAG;
                reply(0x55);
            }
            case DISABLE_KBD -> ram[0] |= CTR_KBDDIS;
            case ENABLE_KBD -> ram[0] &= ~CTR_KBDDIS;
            case READ_INPUT_PORT -> reply(0x80); // bit 7: keyboard not inhibited
            case READ_OUTPUT_PORT -> reply(outputPort);
            case A20_OFF -> outputPort &= ~OUTPORT_A20;
            case A20_ON -> outputPort |= OUTPORT_A20;
            case PULSE_OUTPUT_LINES -> {
                if ((command & OUTPORT_RESET_INACTIVE) == 0) {
                    reset.request(String.format("i8042 command 0x%02x pulsed the CPU reset line", command));
                }
            }
            default -> throw new AssertionError(action);
        }
        updateIrqs();
    }

    private synchronized void writeData(int value) {
        status &= ~STR_CMDDAT;
        Action action = pending;
        pending = null;
        if (action == null) {
            // A byte for the keyboard: none is plugged in.
            output(new Output(NO_DEVICE_REPLY, false, true));
            updateIrqs();
            return;
        }
        switch (action) {
            case WRITE_RAM -> {
                int index = pendingCommand & 0x1f;
                ram[index] = value;
                if (index == 0) {
                    status = (status & ~STR_SYSFLAG) | (value & CTR_SYSFLAG);
                }
            }
            case WRITE_OUTPUT_PORT -> {
                outputPort = value;
                if ((value & OUTPORT_RESET_INACTIVE) == 0) {
                    reset.request(String.format("i8042 output port write 0x%02x drove the CPU reset line", value));
                    outputPort |= OUTPORT_RESET_INACTIVE;
                }
            }
            case WRITE_KBD_OUTPUT -> output(new Output(value, false, false));
            case WRITE_AUX_OUTPUT -> output(new Output(value, true, false));
            case WRITE_AUX_DEVICE -> output(new Output(NO_DEVICE_REPLY, true, true)); // no mouse
            default -> throw new AssertionError(action);
        }
        updateIrqs();
    }

    private void reply(int value) {
        output(new Output(value, false, false));
    }

    private void output(Output o) {
        if (output.size() >= OUTPUT_QUEUE_LIMIT) {
            ignored.ignored(() -> String.format("reply 0x%02x: the guest is not reading the output buffer", o.value));
            return;
        }
        output.add(o);
    }

    private void updateIrqs() {
        Output head = output.peek();
        boolean kbd = head != null && !head.aux && (ram[0] & CTR_KBDINT) != 0;
        boolean aux = head != null && head.aux && (ram[0] & CTR_AUXINT) != 0;
        if (kbd != keyboardIrqAsserted) {
            keyboardIrqAsserted = kbd;
            keyboardIrq.set(kbd);
        }
        if (aux != auxIrqAsserted) {
            auxIrqAsserted = aux;
            auxIrq.set(aux);
        }
    }
}
