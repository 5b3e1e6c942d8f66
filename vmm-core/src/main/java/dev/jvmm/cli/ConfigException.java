package dev.jvmm.cli;

/** A bad option or option value; the message is one line naming the option, the problem and the fix. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
