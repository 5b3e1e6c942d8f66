package dev.jvmm.qmp.dispatch;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The commands a server answers, by name, in registration order (the order {@code query-commands}
 * lists them). Immutable once built; new commands such as {@code device_add} are one more
 * {@link QmpCommand} in the builder.
 */
public final class CommandTable {

    private final Map<String, QmpCommand<?>> commands;

    private CommandTable(Map<String, QmpCommand<?>> commands) {
        this.commands = commands;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<QmpCommand<?>> lookup(String name) {
        return Optional.ofNullable(commands.get(name));
    }

    /** Every command name, in registration order. */
    public List<String> names() {
        return List.copyOf(commands.keySet());
    }

    /** The names of the commands callable before negotiation, in registration order. */
    public List<String> namesBeforeNegotiation() {
        return commands.values().stream().filter(QmpCommand::beforeNegotiation).map(QmpCommand::name).toList();
    }

    public static final class Builder {
        private final Map<String, QmpCommand<?>> commands = new LinkedHashMap<>();

        public Builder add(QmpCommand<?> command) {
            QmpCommand<?> previous = commands.putIfAbsent(command.name(), command);
            if (previous != null) {
                throw new IllegalArgumentException("command " + command.name() + " is registered twice");
            }
            return this;
        }

        public Builder addAll(Collection<? extends QmpCommand<?>> all) {
            all.forEach(this::add);
            return this;
        }

        public CommandTable build() {
            return new CommandTable(Collections.unmodifiableMap(new LinkedHashMap<>(commands)));
        }
    }
}
