package dev.jvmm.qmp.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jvmm.qmp.RunState;
import dev.jvmm.qmp.VmControl;
import dev.jvmm.qmp.dispatch.NoArguments;
import dev.jvmm.qmp.dispatch.QmpCommand;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Run-state commands: {@code query-status}, {@code stop}, {@code cont}, {@code system_reset},
 * {@code system_powerdown}, {@code quit}. Each hands the work to {@link VmControl}, whose future completes
 * on the VM's control thread; events come from the VM, not from here.
 */
final class RunControlCommands {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RunControlCommands() {
    }

    static List<QmpCommand<?>> all(VmControl vm) {
        return List.of(
                QmpCommand.of("query-status", NoArguments.class, (args, ctx) -> vm.status().thenApply(RunControlCommands::status)),
                noReturn("stop", vm::stop),
                noReturn("cont", vm::cont),
                noReturn("system_reset", vm::reset),
                noReturn("system_powerdown", vm::powerdown),
                QmpCommand.of("quit", NoArguments.class, (args, ctx) -> {
                    ctx.closeAfterReply();
                    return vm.quit().thenApply(v -> NODES.objectNode());
                }));
    }

    /** {@code StatusInfo}: {@code {"running": bool, "status": RunState}}. */
    static ObjectNode status(RunState state) {
        ObjectNode status = NODES.objectNode();
        status.put("running", state.running());
        status.put("status", state.wireName());
        return status;
    }

    private static QmpCommand<NoArguments> noReturn(String name, Supplier<? extends CompletionStage<Void>> action) {
        return QmpCommand.of(name, NoArguments.class, (args, ctx) -> action.get().thenApply(v -> (JsonNode) NODES.objectNode()));
    }
}
