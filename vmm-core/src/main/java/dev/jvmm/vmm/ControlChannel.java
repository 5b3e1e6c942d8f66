package dev.jvmm.vmm;

import dev.jvmm.cli.ConfigException;
import dev.jvmm.cli.VmConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The control channel {@link Main} runs, if {@code -qmp} asked for one: found through
 * {@link ControlChannelProvider} and closed with {@code Main}'s other resources, close failures turned
 * into an unchecked exception naming the channel.
 */
final class ControlChannel implements AutoCloseable {
    private final String description;
    private final AutoCloseable channel;

    private ControlChannel(String description, AutoCloseable channel) {
        this.description = description;
        this.channel = channel;
    }

    /** The providers registered on the class path (META-INF/services). */
    static List<ControlChannelProvider> installedProviders() {
        return ServiceLoader.load(ControlChannelProvider.class, ControlChannel.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).toList();
    }

    /**
     * Opens the channel {@code spec} describes with the one provider in {@code providers}, or a no-op
     * channel without {@code -qmp}.
     *
     * @throws ConfigException when there is no provider, or more than one
     */
    static ControlChannel open(Optional<VmConfig.QmpSpec> spec, VmControlPlane control,
            List<ControlChannelProvider> providers) throws IOException {
        if (spec.isEmpty()) {
            return new ControlChannel("none", () -> { });
        }
        if (providers.isEmpty()) {
            throw new ConfigException("-qmp: no control channel implementation is on the class path; the qmp-api"
                    + " module's jar and its target/lib must be there (bin/vmm adds them after a full build)");
        }
        if (providers.size() > 1) {
            throw new ConfigException("-qmp: " + providers.size() + " control channel implementations are on the"
                    + " class path (" + providers.stream().map(p -> p.getClass().getName()).toList()
                    + "); keep one");
        }
        return new ControlChannel(spec.get().toString(), providers.getFirst().open(spec.get(), control));
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing the control channel " + description + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("closing the control channel " + description + ": " + e.getMessage(), e);
        }
    }
}
