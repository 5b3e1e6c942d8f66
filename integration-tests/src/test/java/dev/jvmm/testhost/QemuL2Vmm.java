package dev.jvmm.testhost;

/** QEMU (the host's qemu-system-x86, seen through L1's 9p root) on L1's KVM: the reference VMM. */
public record QemuL2Vmm() implements L2Vmm {
    @Override
    public String name() {
        return "qemu";
    }

    @Override
    public String command(L2Launch launch) {
        StringBuilder cmd = new StringBuilder("exec qemu-system-x86_64 -accel kvm -cpu host")
                .append(" -m ").append(launch.memoryMib())
                .append(" -smp ").append(launch.vcpus())
                .append(" -nodefaults -display none -no-reboot")
                .append(" -serial file:").append(launch.consoleLog())
                .append(launch.qmpOption());
        launch.device().ifPresent(d -> cmd.append(" -device vfio-pci,host=").append(d));
        cmd.append(" -kernel ").append(launch.kernel())
                .append(" -initrd ").append(launch.initrd())
                .append(" -append '").append(launch.kernelCmdline()).append("'");
        return cmd.toString();
    }
}
