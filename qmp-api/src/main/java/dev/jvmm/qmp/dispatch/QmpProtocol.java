package dev.jvmm.qmp.dispatch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jvmm.qmp.wire.JsonFramer;
import dev.jvmm.qmp.wire.JsonLineWriter;
import dev.jvmm.qmp.wire.JsonMessageReader;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * What all connections of one server share: the command table, the greeting, and the input limits.
 * It makes one {@link QmpSession} per connection.
 */
public final class QmpProtocol {

    private final CommandTable commands;
    private final byte[] greeting;
    private final int maxMessageBytes;
    private final int maxDepth;
    private final JsonMessageReader reader;

    /**
     * @param greeting the greeting object ({@code {"QMP": {...}}}), sent first on every connection
     * @param maxMessageBytes the largest request accepted
     * @param maxDepth the deepest nesting accepted
     */
    public QmpProtocol(CommandTable commands, ObjectNode greeting, int maxMessageBytes, int maxDepth) {
        this.commands = Objects.requireNonNull(commands, "commands");
        this.greeting = JsonLineWriter.line(Objects.requireNonNull(greeting, "greeting"));
        this.maxMessageBytes = maxMessageBytes;
        this.maxDepth = maxDepth;
        this.reader = new JsonMessageReader(maxDepth);
    }

    public QmpProtocol(CommandTable commands, ObjectNode greeting, int maxMessageBytes) {
        this(commands, greeting, maxMessageBytes, JsonFramer.DEFAULT_MAX_DEPTH);
    }

    /**
     * A new connection's protocol state.
     *
     * @param loop runs tasks on the connection's event-loop thread, in submission order; command results
     *     that complete on other threads come back through it
     * @param output where the session writes
     */
    public QmpSession newSession(Executor loop, QmpSession.Output output) {
        return new QmpSession(commands, greeting, new JsonFramer(maxMessageBytes, maxDepth), reader, loop, output);
    }

    public CommandTable commands() {
        return commands;
    }
}
