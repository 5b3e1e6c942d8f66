package dev.jvmm.qmp.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jvmm.qmp.QmpException;
import java.util.concurrent.CompletionStage;

/**
 * Runs one command with its already validated arguments. It runs on the connection's event loop and must
 * not block: work on the VM goes to the VM's control thread and comes back as the returned stage. The
 * stage's value is the {@code return} member; a stage failed with {@link QmpException} (or a
 * {@code QmpException} thrown here) becomes an error reply of that class.
 */
@FunctionalInterface
public interface CommandHandler<A> {
    CompletionStage<? extends JsonNode> handle(A arguments, CommandContext context) throws QmpException;
}
