package dev.jvmm.qmp.bridge;

import dev.jvmm.cli.VmConfig;
import dev.jvmm.qmp.QmpEndpoint;
import dev.jvmm.qmp.QmpServerOptions;
import dev.jvmm.qmp.QmpVersion;
import dev.jvmm.qmp.transport.QmpServer;
import dev.jvmm.vmm.ControlChannelProvider;
import dev.jvmm.vmm.VmControlPlane;
import java.io.IOException;

/**
 * {@code -qmp} for {@code bin/vmm}: a {@link QmpServer} with default options on the endpoint the command
 * line names, serving the VMM's control plane through {@link ControlPlaneVmControl}. Registered in
 * {@code META-INF/services/dev.jvmm.vmm.ControlChannelProvider}, so vmm-core finds it without depending
 * on this module. A TCP endpoint must be a loopback address.
 */
public final class QmpChannelProvider implements ControlChannelProvider {

    @Override
    public AutoCloseable open(VmConfig.QmpSpec spec, VmControlPlane control) throws IOException {
        QmpEndpoint endpoint = switch (spec) {
            case VmConfig.QmpSpec.Unix unix -> new QmpEndpoint.UnixSocket(unix.path());
            case VmConfig.QmpSpec.Tcp tcp -> new QmpEndpoint.Tcp(tcp.host(), tcp.port(), false);
        };
        QmpServerOptions options = new QmpServerOptions(endpoint, QmpServerOptions.DEFAULT_MAX_CLIENTS,
                QmpServerOptions.DEFAULT_MAX_MESSAGE_BYTES, QmpVersion.JVMM);
        ControlPlaneVmControl vm = new ControlPlaneVmControl(control);
        QmpServer server;
        try {
            server = QmpServer.start(options, vm);
        } catch (IOException | RuntimeException e) {
            vm.close();
            throw e;
        }
        return () -> {
            try {
                server.close();
            } finally {
                vm.close();
            }
        };
    }
}
