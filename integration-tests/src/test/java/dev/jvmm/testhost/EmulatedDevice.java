package dev.jvmm.testhost;

import java.util.List;

/** PCI devices QEMU emulates in L1, ready to be bound to vfio-pci and assigned to an L2 guest. */
public enum EmulatedDevice {
    /** QEMU's NVMe controller, class 0x010802, backed by a sparse file in the run directory. */
    NVME("0x1b36", "0x0010",
            List.of("-drive", "file=" + L1Machine.CONTAINER_RUN + "/nvme.img,if=none,id=nvm,format=raw",
                    "-device", "nvme,serial=deadbeef,drive=nvm")),
    /** QEMU's "edu" teaching device (docs/specs/edu.rst): ID, liveness and factorial registers in BAR0. */
    EDU("0x1234", "0x11e8", List.of("-device", "edu"));

    private final String vendor;
    private final String device;
    private final List<String> qemuArgs;

    EmulatedDevice(String vendor, String device, List<String> qemuArgs) {
        this.vendor = vendor;
        this.device = device;
        this.qemuArgs = qemuArgs;
    }

    /** The vendor ID as sysfs prints it ({@code 0x1b36}). */
    public String vendor() {
        return vendor;
    }

    /** The device ID as sysfs prints it ({@code 0x0010}). */
    public String device() {
        return device;
    }

    /** The arguments that add the device to L1's QEMU command line. */
    public List<String> qemuArgs() {
        return qemuArgs;
    }
}
