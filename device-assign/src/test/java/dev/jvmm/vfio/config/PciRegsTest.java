package dev.jvmm.vfio.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.kvm.sys.CAbiProbe;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** Every constant of {@link PciRegs} against linux/pci_regs.h, compiled by gcc (fails without gcc). */
class PciRegsTest {

    @Test
    void constantsMatchLinuxPciRegs(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) {
        List<CAbiProbe.Probe> probes = CAbiProbe.constants(PciRegs.class);
        assertTrue(probes.size() > 80, "only " + probes.size() + " constants");
        CAbiProbe.check(dir, "#include <linux/pci_regs.h>\n", probes);
    }
}
