package dev.jvmm.qmp.wire;

/** A message that is not valid JSON; the message text is the QMP error {@code desc}. */
public final class JsonSyntaxException extends Exception {
    public JsonSyntaxException(String description) {
        super(description);
    }
}
