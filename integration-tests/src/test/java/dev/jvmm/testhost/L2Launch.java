package dev.jvmm.testhost;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Everything a VMM in L1 needs to boot one L2 guest. Paths are valid in L1 as they are on the host.
 *
 * @param consoleLog where the guest's serial console (ttyS0) must be written, in L1
 * @param device     the L1 device (bound to vfio-pci) to assign, if any
 */
public record L2Launch(Path kernel, Path initrd, String kernelCmdline, Optional<PciAddress> device,
                       String consoleLog, int memoryMib) {
}
