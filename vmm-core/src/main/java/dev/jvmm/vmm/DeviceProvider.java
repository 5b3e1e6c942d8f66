package dev.jvmm.vmm;

import dev.jvmm.cli.VmConfig;
import java.util.List;

/**
 * Builds the devices of some {@code -device} kinds, found with {@link java.util.ServiceLoader}: vmm-core
 * knows only this interface and never the implementation, which lives in another module (device-assign
 * registers one for {@code vfio-pci} in {@code META-INF/services/dev.jvmm.vmm.DeviceProvider}).
 *
 * <p>{@link LinuxVm} asks each provider once per VM run, after the platform devices exist and before the
 * MP table is written and any vCPU runs, with every spec it {@link #accepts}, in command-line order. What
 * {@link #attach} returns is closed when the VM ends: after the vCPU threads stopped, before the VM's
 * memslots and guest RAM go. So a guest reset, which builds the VM afresh, detaches and re-attaches.
 */
public interface DeviceProvider {

    /** Whether this provider builds devices of {@code spec}'s kind. */
    boolean accepts(VmConfig.DeviceSpec spec);

    /**
     * Creates the devices {@code specs} describe and plugs them into {@code machine} (PCI bus, buses,
     * memslots, interrupt routes). On failure nothing stays attached and the exception names the device
     * and the fix.
     *
     * @return what detaches every device again, releasing all it holds
     * @throws DeviceSetupException when a device cannot be attached (one line, the cause and the fix)
     */
    AutoCloseable attach(List<VmConfig.DeviceSpec> specs, Machine machine);
}
