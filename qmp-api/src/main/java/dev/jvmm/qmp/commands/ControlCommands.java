package dev.jvmm.qmp.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jvmm.qmp.QmpErrorClass;
import dev.jvmm.qmp.QmpException;
import dev.jvmm.qmp.QmpVersion;
import dev.jvmm.qmp.dispatch.ArgumentBinder;
import dev.jvmm.qmp.dispatch.NoArguments;
import dev.jvmm.qmp.dispatch.QmpCommand;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The protocol's own commands: {@code qmp_capabilities}, {@code query-version}, {@code query-commands}.
 * They touch no VM and answer on the event loop at once.
 */
final class ControlCommands {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** {@code qmp_capabilities} arguments: {@code {"enable": [QMPCapability...]}}, optional. */
    record CapabilitiesArguments(Optional<List<QmpCapability>> enable) {
    }

    private ControlCommands() {
    }

    static List<QmpCommand<?>> all(QmpVersion version) {
        return List.of(capabilities(), queryVersion(version), queryCommands());
    }

    private static QmpCommand<CapabilitiesArguments> capabilities() {
        return new QmpCommand<>("qmp_capabilities", ArgumentBinder.of(CapabilitiesArguments.class), (args, ctx) -> {
            if (ctx.negotiated()) {
                throw new QmpException(QmpErrorClass.CommandNotFound,
                        "Capabilities negotiation is already complete, command ignored");
            }
            List<QmpCapability> enable = args.enable().orElse(List.of());
            if (!enable.isEmpty()) {
                // The greeting offers no capability, so none can be enabled.
                throw QmpException.generic("Capability " + enable.getFirst().wireName() + " not available");
            }
            ctx.enterCommandMode();
            return CompletableFuture.completedFuture(NODES.objectNode());
        }, true);
    }

    private static QmpCommand<NoArguments> queryVersion(QmpVersion version) {
        ObjectNode info = versionInfo(version);
        return QmpCommand.of("query-version", NoArguments.class,
                (args, ctx) -> CompletableFuture.completedFuture(info.deepCopy()));
    }

    private static QmpCommand<NoArguments> queryCommands() {
        return QmpCommand.of("query-commands", NoArguments.class, (args, ctx) -> {
            ArrayNode list = NODES.arrayNode();
            for (String name : ctx.availableCommands()) {
                list.addObject().put("name", name);
            }
            return CompletableFuture.completedFuture(list);
        });
    }

    /** {@code VersionInfo}: the value of {@code query-version} and of the greeting's {@code version}. */
    static ObjectNode versionInfo(QmpVersion version) {
        ObjectNode info = NODES.objectNode();
        ObjectNode qemu = info.putObject("qemu");
        qemu.put("micro", version.micro());
        qemu.put("minor", version.minor());
        qemu.put("major", version.major());
        info.put("package", version.packageName());
        return info;
    }

    /** The greeting: {@code {"QMP": {"version": VersionInfo, "capabilities": []}}}. */
    static ObjectNode greeting(QmpVersion version) {
        ObjectNode greeting = NODES.objectNode();
        ObjectNode qmp = greeting.putObject("QMP");
        qmp.set("version", versionInfo(version));
        qmp.putArray("capabilities");
        return greeting;
    }
}
