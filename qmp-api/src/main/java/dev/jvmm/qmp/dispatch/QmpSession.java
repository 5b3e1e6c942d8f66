package dev.jvmm.qmp.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jvmm.qmp.QmpErrorClass;
import dev.jvmm.qmp.QmpException;
import dev.jvmm.qmp.wire.JsonFramer;
import dev.jvmm.qmp.wire.JsonLineWriter;
import dev.jvmm.qmp.wire.JsonMessageReader;
import dev.jvmm.qmp.wire.JsonSyntaxException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * The protocol state of one QMP connection, independent of any socket: bytes in through
 * {@link #receive}, lines out through {@link Output}.
 *
 * <p>It starts in capabilities negotiation (only {@code qmp_capabilities}; every other command, known or
 * not, is CommandNotFound "Expecting capabilities negotiation with 'qmp_capabilities'"; no events) and
 * moves to command mode when {@code qmp_capabilities} succeeds. Requests are checked in QEMU's order
 * (object, members, command name, arguments) and answered strictly in the order they arrived: while a
 * command waits for the VM, later requests wait in the backlog, as QEMU runs one in-band command at a
 * time. The {@code id} of a request, whatever its JSON type, is echoed on its reply and on every error
 * about it; errors about input that has no readable id carry none.
 *
 * <p>Threading: every method must be called on the connection's event-loop thread, which is also where
 * {@code loop} runs tasks.
 */
public final class QmpSession {

    private static final System.Logger LOG = System.getLogger(QmpSession.class.getName());
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Where a session writes. Called on the event-loop thread only. */
    public interface Output {
        /** Writes one complete line (already ending in CRLF). */
        void send(byte[] line);

        /** Closes the connection after what was sent so far. */
        void close();

        /** The backlog is empty and no command is running: a paused reader may resume. */
        default void idle() {
        }
    }

    private enum Mode { NEGOTIATING, COMMANDS, CLOSED }

    /** A backlog entry: a parsed message, or the error text for input that was not one. */
    private record Incoming(JsonNode message, String syntaxError) {
    }

    private final CommandTable commands;
    private final byte[] greeting;
    private final JsonFramer framer;
    private final JsonMessageReader reader;
    private final Executor loop;
    private final Output output;
    private final ArrayDeque<Incoming> backlog = new ArrayDeque<>();
    private final Context context = new Context();
    private final JsonFramer.Listener framed = new JsonFramer.Listener() {
        @Override
        public void onMessage(byte[] bytes, int length) {
            try {
                backlog.add(new Incoming(reader.read(bytes, length), null));
            } catch (JsonSyntaxException e) {
                backlog.add(new Incoming(null, e.getMessage()));
            }
        }

        @Override
        public void onError(String description) {
            backlog.add(new Incoming(null, description));
        }
    };
    private Mode mode = Mode.NEGOTIATING;
    private boolean busy;
    private boolean closeAfterReply;

    QmpSession(CommandTable commands, byte[] greeting, JsonFramer framer, JsonMessageReader reader, Executor loop,
            Output output) {
        this.commands = commands;
        this.greeting = greeting;
        this.framer = framer;
        this.reader = reader;
        this.loop = loop;
        this.output = output;
    }

    /** Sends the greeting; call once, when the connection opens. */
    public void open() {
        output.send(greeting);
    }

    /** Handles bytes read from the connection. */
    public void receive(byte[] data, int offset, int length) {
        if (mode == Mode.CLOSED) {
            return;
        }
        framer.feed(data, offset, length, framed);
        drain();
    }

    /** Writes an event line if this connection is in command mode; a negotiating one drops it. */
    public void deliverEvent(byte[] line) {
        if (mode == Mode.COMMANDS) {
            output.send(line);
        }
    }

    /** Requests parsed but not answered yet, counting one that is running. */
    public int backlog() {
        return backlog.size() + (busy ? 1 : 0);
    }

    public boolean negotiated() {
        return mode == Mode.COMMANDS;
    }

    public boolean closed() {
        return mode == Mode.CLOSED;
    }

    /** The connection went away: forget the backlog; results still on their way are dropped. */
    public void close() {
        mode = Mode.CLOSED;
        backlog.clear();
    }

    private void drain() {
        while (!busy && mode != Mode.CLOSED && !backlog.isEmpty()) {
            handle(backlog.poll());
        }
        if (!busy && mode != Mode.CLOSED) {
            output.idle();
        }
    }

    private void handle(Incoming in) {
        if (in.syntaxError != null) {
            sendError(null, QmpErrorClass.GenericError, in.syntaxError);
            return;
        }
        if (!(in.message instanceof ObjectNode request)) {
            sendError(null, QmpErrorClass.GenericError, "QMP input must be a JSON object");
            return;
        }
        JsonNode id = request.get("id");
        CompletableFuture<? extends JsonNode> result;
        try {
            result = dispatch(request);
        } catch (QmpException e) {
            sendError(id, e.errorClass(), e.description());
            return;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "QMP command failed with an unexpected exception", e);
            sendError(id, QmpErrorClass.GenericError, describe(e));
            return;
        }
        // Even a result that is already there is answered from a new loop task: a VM command publishes
        // its event (queued onto the loop) before completing, and the reply must come after it.
        busy = true;
        result.whenComplete((value, failure) -> loop.execute(() -> {
            busy = false;
            if (mode == Mode.CLOSED) {
                return;
            }
            try {
                finish(id, result);
                drain();
            } catch (RuntimeException e) {
                // A bug in reply handling: this connection's state is unknown now. Surface it and close
                // the connection rather than leave it silently stuck.
                LOG.log(System.Logger.Level.ERROR, "QMP reply handling failed; closing the connection", e);
                mode = Mode.CLOSED;
                backlog.clear();
                output.close();
            }
        }));
    }

    private CompletableFuture<? extends JsonNode> dispatch(ObjectNode request) throws QmpException {
        String name = null;
        ObjectNode arguments = NODES.objectNode();
        for (Map.Entry<String, JsonNode> member : request.properties()) {
            JsonNode value = member.getValue();
            switch (member.getKey()) {
                case "execute" -> {
                    if (!value.isTextual()) {
                        throw QmpException.generic("QMP input member 'execute' must be a string");
                    }
                    name = value.textValue();
                }
                case "arguments" -> {
                    if (!(value instanceof ObjectNode object)) {
                        throw QmpException.generic("QMP input member 'arguments' must be an object");
                    }
                    arguments = object;
                }
                case "id" -> {
                    // Any JSON value; echoed on the reply.
                }
                // exec-oob lands here too: this server offers no OOB capability.
                default -> throw QmpException.generic("QMP input member '" + member.getKey() + "' is unexpected");
            }
        }
        if (name == null) {
            throw QmpException.generic("QMP input lacks member 'execute'");
        }
        QmpCommand<?> command = commands.lookup(name).orElse(null);
        if (mode == Mode.NEGOTIATING && (command == null || !command.beforeNegotiation())) {
            throw new QmpException(QmpErrorClass.CommandNotFound,
                    "Expecting capabilities negotiation with 'qmp_capabilities'");
        }
        if (command == null) {
            throw new QmpException(QmpErrorClass.CommandNotFound, "The command " + name + " has not been found");
        }
        return command.invoke(arguments, context).toCompletableFuture();
    }

    private void finish(JsonNode id, CompletableFuture<? extends JsonNode> result) {
        JsonNode value;
        try {
            value = result.join();
        } catch (CompletionException | CancellationException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof QmpException q) {
                sendError(id, q.errorClass(), q.description());
            } else {
                LOG.log(System.Logger.Level.WARNING, "QMP command failed", cause);
                sendError(id, QmpErrorClass.GenericError, describe(cause));
            }
            afterReply();
            return;
        }
        ObjectNode reply = NODES.objectNode();
        reply.set("return", value == null ? NODES.objectNode() : value);
        if (id != null) {
            reply.set("id", id);
        }
        output.send(JsonLineWriter.line(reply));
        afterReply();
    }

    private void afterReply() {
        if (closeAfterReply) {
            mode = Mode.CLOSED;
            backlog.clear();
            output.close();
        }
    }

    private void sendError(JsonNode id, QmpErrorClass errorClass, String description) {
        ObjectNode reply = NODES.objectNode();
        if (id != null) {
            reply.set("id", id);
        }
        ObjectNode error = reply.putObject("error");
        error.put("class", errorClass.name());
        error.put("desc", description);
        output.send(JsonLineWriter.line(reply));
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }

    private final class Context implements CommandContext {
        @Override
        public boolean negotiated() {
            return mode == Mode.COMMANDS;
        }

        @Override
        public void enterCommandMode() {
            if (mode == Mode.NEGOTIATING) {
                mode = Mode.COMMANDS;
            }
        }

        @Override
        public List<String> availableCommands() {
            return mode == Mode.COMMANDS ? commands.names() : commands.namesBeforeNegotiation();
        }

        @Override
        public void closeAfterReply() {
            closeAfterReply = true;
        }
    }
}
