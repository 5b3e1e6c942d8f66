package dev.jvmm.qmp.commands;

import dev.jvmm.qmp.QmpServerOptions;
import dev.jvmm.qmp.QmpVersion;
import dev.jvmm.qmp.VmControl;
import dev.jvmm.qmp.dispatch.CommandTable;
import dev.jvmm.qmp.dispatch.QmpCommand;
import dev.jvmm.qmp.dispatch.QmpProtocol;
import java.util.List;

/**
 * The commands jvmm answers, wired to a {@link VmControl}. {@code device_add} and {@code device_del} will
 * be two more {@link QmpCommand}s (an argument record with a {@code @QmpRest} property map, and
 * {@code {"id": str}}) added to {@link #table}.
 */
public final class StandardCommands {

    private StandardCommands() {
    }

    /** The command table, in the order {@code query-commands} lists it. */
    public static CommandTable table(VmControl vm, QmpVersion version) {
        return table(vm, version, List.of());
    }

    /** The standard table plus {@code extra} commands (names must not clash). */
    public static CommandTable table(VmControl vm, QmpVersion version, List<QmpCommand<?>> extra) {
        return CommandTable.builder()
                .addAll(ControlCommands.all(version))
                .addAll(RunControlCommands.all(vm))
                .addAll(InventoryCommands.all(vm))
                .addAll(extra)
                .build();
    }

    /** Everything a server needs to run the protocol for {@code vm} under {@code options}. */
    public static QmpProtocol protocol(VmControl vm, QmpServerOptions options) {
        return new QmpProtocol(table(vm, options.version()), ControlCommands.greeting(options.version()),
                options.maxMessageBytes());
    }
}
