package dev.jvmm.testhost;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Everything a VMM in L1 needs to boot one L2 guest. Paths are valid in L1 as they are on the host.
 *
 * @param consoleLog where the guest's serial console (ttyS0) must be written, in L1
 * @param device     the L1 device (bound to vfio-pci) to assign, if any
 * @param qmpSocket  where the VMM must serve QMP ({@code -qmp unix:PATH,server=on,wait=off}), in L1, if at all
 */
public record L2Launch(Path kernel, Path initrd, String kernelCmdline, Optional<PciAddress> device,
                       String consoleLog, int memoryMib, Optional<String> qmpSocket) {
    /** The {@code -qmp} option QEMU and jvmm both understand, or "" without a socket. */
    public String qmpOption() {
        return qmpSocket.map(path -> " -qmp unix:" + path + ",server=on,wait=off").orElse("");
    }
}
