package dev.jvmm.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.kvm.sys.KvmCaps;
import dev.jvmm.kvm.sys.KvmSystem;
import dev.jvmm.kvm.testing.TinyVm;
import dev.jvmm.memory.sys.ErrnoException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Opening KVM, refusing what it lacks, and leaving nothing behind. */
class KvmLifecycleTest {

    /** What /proc/self/fd says this process holds of KVM and guest RAM. */
    private static List<String> kvmDescriptors() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path p : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(p).toString();
                    if (target.contains("kvm") || target.contains("jvmm-guest-ram")) {
                        found.add(p.getFileName() + " -> " + target);
                    }
                } catch (IOException gone) {
                    // closed while listing (the listing's own descriptor)
                }
            }
        }
        return found;
    }

    @Test
    void aVmThatRanLeavesNoDescriptorBehind() throws Exception {
        List<String> before = kvmDescriptors();
        List<String> during;
        try (TinyVm vm = TinyVm.create(TinyVm.Mode.LONG, true, "guest/longmode_hello.S")) {
            vm.vm().routing().addMsi(0xfee0_0000L, 0x41);
            during = kvmDescriptors();
            vm.run(30);
        }
        assertTrue(during.size() >= before.size() + 4,
                "expected /dev/kvm, the VM, the vCPU and the RAM memfd while running, saw " + during);
        assertEquals(before, kvmDescriptors(), "descriptors left after close");
    }

    @Test
    void aMissingKvmDeviceSaysWhatToLoad() {
        ErrnoException e = assertThrows(ErrnoException.class, () -> KvmSystem.open("/dev/kvm-does-not-exist"));
        assertTrue(e.getMessage().contains("ENOENT"), e.getMessage());
        assertTrue(e.getMessage().contains("modprobe kvm_amd"), e.getMessage());
    }

    @Test
    void capabilityCheckNamesWhatIsMissing() {
        try (KvmSystem kvm = KvmSystem.open()) {
            Map<String, Integer> caps = new LinkedHashMap<>();
            caps.put("KVM_CAP_IRQCHIP", KvmCaps.KVM_CAP_IRQCHIP);
            caps.put("KVM_CAP_FROM_THE_FUTURE", 100_000);
            assertEquals(List.of("KVM_CAP_FROM_THE_FUTURE"), kvm.missing(caps));
            assertTrue(kvm.maxVcpus() >= 1);
            assertTrue(kvm.supportedCpuid().stream().anyMatch(c -> c.function() == 0));
        }
    }

    @Test
    void overlappingMemslotsAreRefusedWithTheSlotNamed() throws Exception {
        try (TinyVm vm = TinyVm.create(TinyVm.Mode.REAL, false, "guest/spin.S")) {
            var ram = vm.vm().ram().regions().getFirst();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> vm.vm().memslots().add(ram.gpa(), ram.hva(), false));
            assertTrue(e.getMessage().contains("overlaps memslot 0"), e.getMessage());
        }
    }
}
