package dev.jvmm.vfio.pci;

import dev.jvmm.cli.VmConfig;
import dev.jvmm.memory.sys.ErrnoException;
import dev.jvmm.pci.PciBdf;
import dev.jvmm.pci.PciBdfFormatException;
import dev.jvmm.vfio.VfioException;
import dev.jvmm.vfio.config.ConfigSpaceException;
import dev.jvmm.vfio.config.DeviceAccessException;
import dev.jvmm.vfio.host.PciSysfs;
import dev.jvmm.vfio.kernel.VfioKernel;
import dev.jvmm.vfio.sys.SysVfioKernel;
import dev.jvmm.vmm.DeviceProvider;
import dev.jvmm.vmm.DeviceSetupException;
import dev.jvmm.vmm.Machine;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code -device vfio-pci,host=BDF|sysfsdev=PATH[,id=][,addr=]} for {@code bin/vmm}: registered in
 * {@code META-INF/services/dev.jvmm.vmm.DeviceProvider}, it assigns the host's devices through the running
 * kernel's VFIO ({@link SysVfioKernel}) and KVM ({@link VmKvmBinding}). Host problems become one-line
 * {@link DeviceSetupException}s naming the device and the fix.
 */
public final class VfioPciProvider implements DeviceProvider {

    @Override
    public boolean accepts(VmConfig.DeviceSpec spec) {
        return spec instanceof VmConfig.DeviceSpec.VfioPci;
    }

    @Override
    public AutoCloseable attach(List<VmConfig.DeviceSpec> specs, Machine machine) {
        AssignedDevices.Target target = new AssignedDevices.Target(new VmKvmBinding(machine.vm()), machine.ram(),
                machine.pci(), machine.mmio(), machine.pio(), machine.barAllocator());
        return attach(SysVfioKernel.forVm(machine.vm().fd()), PciSysfs.host(), specs, target);
    }

    /**
     * Assigns {@code specs} through {@code kernel}; host problems become one-line {@link DeviceSetupException}s.
     */
    static AssignedDevices attach(VfioKernel kernel, PciSysfs sysfs, List<VmConfig.DeviceSpec> specs,
                                  AssignedDevices.Target target) {
        List<AssignedDevices.Request> requests = specs.stream().map(VfioPciProvider::request).toList();
        try {
            return AssignedDevices.attach(kernel, sysfs, requests, target);
        } catch (VfioException | ErrnoException | ConfigSpaceException | DeviceAccessException e) {
            throw new DeviceSetupException("-device vfio-pci: " + oneLine(e.getMessage()), e);
        }
    }

    /** The host address of a {@code -device}: {@code host=} as given, or the last element of {@code sysfsdev=}. */
    static AssignedDevices.Request request(VmConfig.DeviceSpec spec) {
        VmConfig.DeviceSpec.VfioPci v = (VmConfig.DeviceSpec.VfioPci) spec;
        String text = v.host().orElseGet(() -> {
            Path p = v.sysfsdev().orElseThrow();
            return p.getFileName() == null ? p.toString() : p.getFileName().toString();
        });
        try {
            return new AssignedDevices.Request(PciBdf.parse(text), v.id(), v.addr());
        } catch (PciBdfFormatException e) {
            throw new DeviceSetupException("-device vfio-pci (" + v.id() + "): " + oneLine(e.getMessage())
                    + "; sysfsdev= must end in the device's address, e.g. /sys/bus/pci/devices/0000:01:00.0");
        }
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replace('\n', ' ');
    }
}
