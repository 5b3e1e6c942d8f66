package dev.jvmm.qmp.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jvmm.qmp.QmpException;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * One entry of the command table: a name, an argument record that the request's {@code arguments} are
 * bound to (strictly, before anything runs), and a handler.
 *
 * @param name the QMP command name
 * @param arguments binds and checks the {@code arguments} member
 * @param handler runs the command
 * @param beforeNegotiation true only for {@code qmp_capabilities}: callable while the connection is still
 *     negotiating
 */
public record QmpCommand<A extends Record>(
        String name, ArgumentBinder<A> arguments, CommandHandler<A> handler, boolean beforeNegotiation) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]*");

    public QmpCommand {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("command name '" + name + "' is not a QMP name (lower case,"
                    + " digits, '-' and '_')");
        }
        Objects.requireNonNull(arguments, "arguments");
        Objects.requireNonNull(handler, "handler");
    }

    /** A command available once capabilities are negotiated. */
    public static <A extends Record> QmpCommand<A> of(String name, Class<A> arguments, CommandHandler<A> handler) {
        return new QmpCommand<>(name, ArgumentBinder.of(arguments), handler, false);
    }

    /** Binds {@code arguments} and runs the handler. */
    public CompletionStage<? extends JsonNode> invoke(ObjectNode arguments, CommandContext context)
            throws QmpException {
        return handler.handle(this.arguments.bind(arguments), context);
    }
}
