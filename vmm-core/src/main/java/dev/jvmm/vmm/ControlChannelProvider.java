package dev.jvmm.vmm;

import dev.jvmm.cli.VmConfig;
import java.io.IOException;

/**
 * A control channel implementation found with {@link java.util.ServiceLoader}: vmm-core defines the
 * {@link VmControlPlane} it drives and never depends on the implementation, which lives in another
 * module (qmp-api registers one in {@code META-INF/services/dev.jvmm.vmm.ControlChannelProvider}).
 * {@link Main} opens the channel that {@code -qmp} asks for before the first VM starts and closes it
 * after the last one ended.
 */
public interface ControlChannelProvider {

    /**
     * Starts serving {@code control} where {@code spec} says, returning once clients can connect.
     * Closing the result stops the channel, closes its connections and removes what it created (a UNIX
     * socket file).
     *
     * @throws IOException when the endpoint cannot be set up; the message names it and the way out
     * @throws IllegalArgumentException when {@code spec} is not acceptable (e.g. a non-loopback TCP host)
     */
    AutoCloseable open(VmConfig.QmpSpec spec, VmControlPlane control) throws IOException;
}
