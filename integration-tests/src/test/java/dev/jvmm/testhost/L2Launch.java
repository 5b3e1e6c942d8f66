package dev.jvmm.testhost;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Everything a VMM in L1 needs to boot one L2 guest. Paths are valid in L1 as they are on the host.
 *
 * @param consoleLog where the guest's serial console (ttyS0) must be written, in L1
 * @param device     the L1 device (bound to vfio-pci) to assign, if any
 * @param vcpus      the guest's vCPUs (-smp)
 * @param qmpSocket  where the VMM must serve QMP ({@code -qmp unix:PATH,server=on,wait=off}), in L1, if at all
 */
public record L2Launch(Path kernel, Path initrd, String kernelCmdline, Optional<PciAddress> device,
                       String consoleLog, int memoryMib, int vcpus, Optional<String> qmpSocket) {

    public L2Launch {
        if (memoryMib < 64 || vcpus < 1) {
            throw new IllegalArgumentException("an L2 guest needs at least 64 MiB and 1 vCPU, got " + memoryMib
                    + " MiB and " + vcpus);
        }
    }

    public L2Launch withKernel(Path value) {
        return new L2Launch(value, initrd, kernelCmdline, device, consoleLog, memoryMib, vcpus, qmpSocket);
    }

    public L2Launch withVcpus(int value) {
        return new L2Launch(kernel, initrd, kernelCmdline, device, consoleLog, memoryMib, value, qmpSocket);
    }

    public L2Launch withMemoryMib(int value) {
        return new L2Launch(kernel, initrd, kernelCmdline, device, consoleLog, value, vcpus, qmpSocket);
    }

    public L2Launch withConsoleLog(String value) {
        return new L2Launch(kernel, initrd, kernelCmdline, device, value, memoryMib, vcpus, qmpSocket);
    }

    /** The same launch with {@code args} appended to the kernel command line. */
    public L2Launch withExtraKernelArgs(String args) {
        return new L2Launch(kernel, initrd, (kernelCmdline + " " + args).strip(), device, consoleLog, memoryMib, vcpus, qmpSocket);
    }

    public L2Launch withQmpSocket(String path) {
        return new L2Launch(kernel, initrd, kernelCmdline, device, consoleLog, memoryMib, vcpus, Optional.of(path));
    }

    /** The {@code -qmp} option QEMU and jvmm both understand, or "" without a socket. */
    public String qmpOption() {
        return qmpSocket.map(path -> " -qmp unix:" + path + ",server=on,wait=off").orElse("");
    }
}
