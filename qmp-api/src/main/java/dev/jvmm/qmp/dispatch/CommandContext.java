package dev.jvmm.qmp.dispatch;

import java.util.List;

/** What a command may see and change of the connection it runs on. */
public interface CommandContext {

    /** True once {@code qmp_capabilities} succeeded on this connection. */
    boolean negotiated();

    /** Leaves capabilities negotiation: from now on every command is available and events are sent. */
    void enterCommandMode();

    /** The names of the commands available on this connection in its current mode, in table order. */
    List<String> availableCommands();

    /** Closes the connection once this command's reply is written ({@code quit}). */
    void closeAfterReply();
}
