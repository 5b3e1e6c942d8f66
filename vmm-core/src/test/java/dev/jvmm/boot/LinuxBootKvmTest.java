package dev.jvmm.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.kvm.DescriptorTable;
import dev.jvmm.kvm.ExitHandler;
import dev.jvmm.kvm.Regs;
import dev.jvmm.kvm.Sregs;
import dev.jvmm.kvm.VcpuExit;
import dev.jvmm.kvm.sys.KvmSystem;
import dev.jvmm.kvm.sys.VcpuFd;
import dev.jvmm.kvm.sys.VmFd;
import dev.jvmm.kvm.testing.GuestProgram;
import dev.jvmm.memory.Gpa;
import dev.jvmm.memory.GuestLayout;
import dev.jvmm.memory.RamRegion;
import dev.jvmm.memory.sys.GuestRam;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The whole direct-boot path under KVM: a synthetic bzImage whose 64-bit entry is
 * {@code guest/boot_probe.S} is loaded by {@link LinuxLoader}, the vCPU is set up from {@link BootSetup},
 * {@link PageTables} and {@link BootGdt} as a VMM boots Linux, and the probe reports what it finds
 * through RSI, at its entry address, in its segment registers and on its stack.
 */
@Tag("l1")
class LinuxBootKvmTest {
    private static final long MIB = GuestLayout.MIB;

    @Test
    void aKernelEnteredThroughTheBootSetupFindsItsZeroPageCommandLineAndInitrd() {
        GuestProgram probe = GuestProgram.assemble("guest/boot_probe.S");
        BzImage kernel = BzImage.parse("boot_probe", new SyntheticBzImage().withEntryCode(probe.bytes()).build());
        byte[] initrdBytes = "07070100initrd".getBytes(StandardCharsets.US_ASCII);
        GuestLayout layout = GuestLayout.x86(64 * MIB);
        List<Long> reports = new ArrayList<>();
        int[] exitCode = {-1};
        ExitHandler ports = new ExitHandler() {
            @Override
            public long pioRead(int port, int size) {
                throw new AssertionError("unexpected port read " + Integer.toHexString(port));
            }

            @Override
            public void pioWrite(int port, int size, long value) {
                switch (port) {
                    case 0x502 -> reports.add(value);
                    case 0x501 -> exitCode[0] = (int) value;
                    default -> throw new AssertionError("unexpected port write " + Integer.toHexString(port));
                }
            }

            @Override
            public long mmioRead(long gpa, int size) {
                throw new AssertionError("unexpected MMIO read at 0x" + Long.toHexString(gpa));
            }

            @Override
            public void mmioWrite(long gpa, int size, long value) {
                throw new AssertionError("unexpected MMIO write at 0x" + Long.toHexString(gpa));
            }
        };

        try (GuestRam ram = GuestRam.create(layout, false);
             KvmSystem kvm = KvmSystem.open();
             VmFd vm = kvm.createVm()) {
            vm.setTssAddr(Gpa.of(0xfffb_d000L));
            int slot = 0;
            for (RamRegion r : ram.regions()) {
                vm.setUserMemoryRegion(slot++, r.gpa().start(), r.length(), r.hva(), false);
            }
            BootSetup setup = LinuxLoader.load(ram, kernel, "console=ttyS0",
                    Optional.of(new Initrd("initrd", initrdBytes)));
            long cr3 = PageTables.write(ram);
            DescriptorTable gdtr = BootGdt.write(ram);
            MpTable.write(ram, 1);

            try (VcpuFd vcpu = vm.createVcpu(0)) {
                vcpu.setCpuid(kvm.supportedCpuid()); // long mode needs CPUID.80000001h:EDX.LM
                Sregs sregs = vcpu.getSregs();
                vcpu.setSregs(sregs.withSegments(BootGdt.CODE64, BootGdt.DATA)
                        .withTables(gdtr, sregs.idt())
                        .withControl(Sregs.CR0_PE | Sregs.CR0_ET | Sregs.CR0_PG, cr3, Sregs.CR4_PAE,
                                Sregs.EFER_LME | Sregs.EFER_LMA));
                vcpu.setRegs(Regs.entry(setup.entryPoint().value(), setup.stackPointer().value(),
                        setup.zeroPage().value()));
                for (int i = 0; i < 100 && exitCode[0] < 0; i++) {
                    VcpuExit exit = vcpu.run(ports);
                    assertNull(exit, "the probe stopped early after reports " + reports);
                }
            }
            assertEquals(0, exitCode[0], "probe finished; reports " + reports);
            assertEquals(List.of(BootParams.HDRS_MAGIC, setup.entryPoint().value(), (long) setup.e820().size(),
                            le32("cons"), le32("0707"), (long) BootGdt.BOOT_CS, (long) BootGdt.BOOT_DS, 0x5afe57acL),
                    reports);
            assertTrue(setup.entryPoint().value() >= 16 * MIB, "relocatable kernel ran at pref_address");
        }
    }

    private static long le32(String four) {
        byte[] b = four.getBytes(StandardCharsets.US_ASCII);
        return LittleEndian.u32(b, 0);
    }
}
